package eventbridge

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestRoutingFollowsRuleChanges checks that the bus's cached routing set
// follows put-rule (new rule, changed pattern), disable, enable and delete,
// and that delivery keeps the rules' store order.
func TestRoutingFollowsRuleChanges(t *testing.T) {
	f := newFixture(t)
	put := func(name, pattern string) {
		f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: name, EventPattern: ptr(pattern)}))
		f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: name, Targets: []json.RawMessage{
			json.RawMessage(fmt.Sprintf(`{"Id":"1","Arn":"arn:aws:sqs:us-east-1:123456789012:%s","Input":"{}"}`, name))}}))
	}
	steps := []struct {
		do     func()
		source string
		detail string
		want   string // queues reached, in order
	}{
		{func() { put("a", `{"source":["app"]}`) }, "app", `{}`, "a"},
		{func() { put("b", `{"source":["app"],"detail":{"n":[{"numeric":[">",5]}]}}`) }, "app", `{"n":7}`, "a b"},
		{func() {}, "app", `{"n":3}`, "a"},
		{func() { put("b", `{"source":["other"]}`) }, "app", `{"n":7}`, "a"},
		{func() {}, "other", `{}`, "b"},
		{func() { f.must(f.s.DisableRule(f.call(), &ruleRef{Name: "a"})) }, "app", `{}`, ""},
		{func() { f.must(f.s.EnableRule(f.call(), &ruleRef{Name: "a"})) }, "app", `{}`, "a"},
		{func() {
			f.must(f.s.RemoveTargets(f.call(), &RemoveTargetsInput{Rule: "a", Ids: []string{"1"}}))
			f.must(f.s.DeleteRule(f.call(), &DeleteRuleInput{Name: "a"}))
			put("c", `{"$or":[{"source":["app"]},{"detail":{"k":[{"prefix":"x"}]}}]}`)
		}, "app", `{}`, "c"},
		{func() {}, "zzz", `{"k":"xy"}`, "c"},
		{func() {}, "zzz", `{"k":"yx"}`, ""},
	}
	for i, st := range steps {
		st.do()
		f.tg.got = nil
		f.putEvent(st.source, "d", st.detail)
		var got []string
		for _, g := range f.tg.got {
			arn, _, _ := strings.Cut(g, " ")
			got = append(got, arn[strings.LastIndex(arn, ":")+1:])
		}
		if s := strings.Join(got, " "); s != st.want {
			t.Errorf("step %d: reached [%s], want [%s]", i, s, st.want)
		}
	}
}
