package eventbridge

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestConformancePutEvents runs the recorded PutRule + PutEvents cases
// (../shared/conformance/eventbridge_localstack_put_events.jsonl): the entry
// goes through PutEvents and the rule's target must receive it exactly when
// AWS delivered it.
func TestConformancePutEvents(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "conformance", "eventbridge_localstack_put_events.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("conformance file (the repository must be cloned with shared/ beside it): %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	pass, total := 0, 0
	for sc.Scan() {
		var c struct {
			ID      string          `json:"id"`
			Pattern json.RawMessage `json:"pattern"`
			Entry   struct {
				Source, DetailType, Detail string
			} `json:"put_events_entry"`
			Expect string `json:"expect"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		if c.Expect != "match" && c.Expect != "nomatch" {
			continue
		}
		total++
		fx := newFixture(t)
		pattern := string(c.Pattern)
		if _, err := fx.s.PutRule(fx.call(), &PutRuleInput{Name: "r", EventPattern: &pattern}); err != nil {
			t.Errorf("%s: PutRule: %v", c.ID, err)
			continue
		}
		fx.must(fx.s.PutTargets(fx.call(), &PutTargetsInput{Rule: "r", Targets: []json.RawMessage{json.RawMessage(`{"Id":"q","Arn":"arn:aws:sqs:us-east-1:123456789012:q"}`)}}))
		out := fx.putEvent(c.Entry.Source, c.Entry.DetailType, c.Entry.Detail)
		if out.FailedEntryCount != 0 {
			t.Errorf("%s: entry failed: %+v", c.ID, out.Entries)
			continue
		}
		if got := len(fx.tg.got) == 1; got != (c.Expect == "match") {
			t.Errorf("%s: delivered %v, AWS: %s", c.ID, got, c.Expect)
			continue
		}
		pass++
	}
	if total == 0 {
		t.Fatal("no cases")
	}
	t.Logf("%s: %d of %d cases pass", filepath.Base(path), pass, total)
}
