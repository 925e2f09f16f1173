package alarms

import (
	"strings"
	"testing"
)

func TestParseRule(t *testing.T) {
	states := map[string]string{"cpu": StateAlarm, "disk": StateOK, "deploy": StateAlarm,
		"arn:aws:cloudwatch:us-east-1:123456789012:alarm:net": StateInsufficient}
	get := func(n string) string { return states[n] }
	for _, c := range []struct {
		rule string
		want bool
		kids int
	}{
		{"ALARM(cpu)", true, 1},
		{"TRUE", true, 0},
		{"FALSE", false, 0},
		{"ALARM(cpu) AND ALARM(disk)", false, 2},
		{"ALARM(cpu) AND NOT ALARM(deploy)", false, 2},
		{"(ALARM(cpu) OR ALARM(disk)) AND OK(disk)", true, 2},
		{`ALARM("cpu") OR ALARM("disk")`, true, 2},
		{`INSUFFICIENT_DATA("arn:aws:cloudwatch:us-east-1:123456789012:alarm:net")`, true, 1},
		{"NOT NOT ALARM(cpu)", true, 1},
		{"ALARM(disk) OR ALARM(cpu) AND FALSE", false, 2},
		{"ALARM(nope)", false, 1},
		{"  ALARM( cpu )  ", true, 1},
	} {
		r, err := ParseRule(c.rule)
		if err != nil {
			t.Errorf("%q: %v", c.rule, err)
			continue
		}
		if got := r.Eval(get); got != c.want {
			t.Errorf("%q = %v, want %v", c.rule, got, c.want)
		}
		if len(r.Children) != c.kids {
			t.Errorf("%q: children %v", c.rule, r.Children)
		}
	}
	for _, bad := range []string{"", "ALARM", "ALARM()", "ALARM(cpu", "ALARM(cpu) AND", "AND", "(TRUE", "TRUE)",
		"alarm(cpu)", `ALARM("cpu)`, "ALARM(cpu) XOR ALARM(disk)", "TRUEX", strings.Repeat("(", 200) + "TRUE" + strings.Repeat(")", 200),
		strings.Repeat("x", MaxRuleLength+1)} {
		if _, err := ParseRule(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	var b strings.Builder
	for i := 0; i < 101; i++ {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString("ALARM(a" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ")")
	}
	if _, err := ParseRule(b.String()); err == nil || !strings.Contains(err.Error(), "more than 100") {
		t.Errorf("101 children: %v", err)
	}
}

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{"ALARM(cpu)", "ALARM(a) AND NOT OK(b)", `(ALARM("x") OR TRUE) AND FALSE`,
		"INSUFFICIENT_DATA(arn:aws:cloudwatch:us-east-1:123456789012:alarm:n)", "((((", "NOT", `ALARM("`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			return
		}
		r.Eval(func(string) string { return StateAlarm })
		if len(r.Children) > MaxRuleChildren {
			t.Fatalf("%d children", len(r.Children))
		}
	})
}
