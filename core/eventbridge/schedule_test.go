package eventbridge

import (
	"testing"
	"time"
)

func TestParseScheduleErrors(t *testing.T) {
	bad := []string{
		// Recorded invalid (spec 1.10).
		"cron(7 20 * * NOT *)", "cron(INVALID)", "cron(0 dummy ? * MON-FRI *)", "cron(71 8 1 * ? *)",
		"cron(0 1 * * * *)", "rate(1 minutes)", "rate(10 minute)", "rate(10 seconds)", "rate(10 years)",
		"rate()", "rate(10)", "rate(0 minutes)", "rate(-10 minutes)", "rate(foo minutes)", "rate(10 MINUTES)",
		"rate( 10 minutes )", " rate(10 minutes)", "rate(10 minutess)",
		// Other faults.
		"", "rate", "cron()", "cron(0 10 * * ? * *)", "cron(0 10 ? * ? *)", "cron(0 10 * * 1 *)",
		"cron(0 24 * * ? *)", "cron(0 0 32 * ? *)", "cron(0 0 0 * ? *)", "cron(0 0 ? 13 * *)",
		"cron(0 0 ? * 8 *)", "cron(0 0 ? * 3#1,6#3 *)", "cron(0 0 ? * 3#6 *)", "cron(0 0 1 * ? 1969)",
		"cron(0 0 1 * ? 2200)", "cron(0/0 0 1 * ? *)", "cron(0  0 1 * ? *)", "cron(0,,1 0 1 * ? *)",
		"cron(0 0 32W * ? *)", "cron(0 0 ? * 8L *)", "RATE(5 minutes)", "rate(5 minutes) ",
	}
	for _, s := range bad {
		if _, err := ParseSchedule(s); err == nil || err.Error() != "Parameter ScheduleExpression is not valid." {
			t.Errorf("ParseSchedule(%q) = %v, want the AWS error", s, err)
		}
	}
	good := []string{
		"cron(0 10 * * ? *)", "cron(15 10 ? * 6L 2002-2005)", "cron(* * ? * SAT#3 *)", "cron(0/5 5 ? JAN 1-5 2022)",
		"cron(0/30 20-23 ? * MON-FRI *)", "cron(0 8 1 * ? *)", "cron(0 18 ? * MON-FRI *)", "cron(0 0 L * ? *)",
		"cron(0 0 3W * ? *)", "rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(2 hours)", "rate(1 day)",
		"rate(7 days)", "cron(0 22 ? * FRI-MON *)", "cron(0 0 1,15 * ? *)",
	}
	for _, s := range good {
		if _, err := ParseSchedule(s); err != nil {
			t.Errorf("ParseSchedule(%q): %v", s, err)
		}
	}
}

func TestScheduleNext(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	anchor := at("2026-01-02T03:00:30Z")
	cases := []struct {
		expr, from string
		want       []string
	}{
		{"rate(5 minutes)", "2026-01-02T03:00:30Z", []string{"2026-01-02T03:05:30Z", "2026-01-02T03:10:30Z"}},
		{"rate(1 day)", "2026-01-02T03:00:30Z", []string{"2026-01-03T03:00:30Z"}},
		{"cron(0 10 * * ? *)", "2026-01-02T03:00:00Z", []string{"2026-01-02T10:00:00Z", "2026-01-03T10:00:00Z"}},
		{"cron(0/15 * * * ? *)", "2026-01-02T03:00:00Z", []string{"2026-01-02T03:15:00Z", "2026-01-02T03:30:00Z"}},
		// 2026-01-30 is a Friday: the last Friday of January.
		{"cron(0 12 ? * 6L *)", "2026-01-02T03:00:00Z", []string{"2026-01-30T12:00:00Z", "2026-02-27T12:00:00Z"}},
		// The third Saturday of January 2026 is the 17th.
		{"cron(0 9 ? * SAT#3 *)", "2026-01-02T03:00:00Z", []string{"2026-01-17T09:00:00Z"}},
		{"cron(0 0 L * ? *)", "2026-02-01T00:00:00Z", []string{"2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z"}},
		// 2026-01-03 is a Saturday: 3W is Friday the 2nd; 2026-02-03 is a Tuesday.
		{"cron(0 0 3W * ? *)", "2026-01-01T00:00:00Z", []string{"2026-01-02T00:00:00Z", "2026-02-03T00:00:00Z"}},
		{"cron(0 8 ? * MON-FRI *)", "2026-01-02T09:00:00Z", []string{"2026-01-05T08:00:00Z", "2026-01-06T08:00:00Z"}},
		{"cron(0 22 ? * FRI-MON *)", "2026-01-05T23:00:00Z", []string{"2026-01-09T22:00:00Z", "2026-01-10T22:00:00Z"}},
	}
	for _, c := range cases {
		s, err := ParseSchedule(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		cur := at(c.from)
		for _, w := range c.want {
			next, ok := s.Next(anchor, cur)
			if !ok || !next.Equal(at(w)) {
				t.Errorf("%s after %s = %s %v, want %s", c.expr, cur.Format(time.RFC3339), next.Format(time.RFC3339), ok, w)
				break
			}
			cur = next
		}
	}
	never, _ := ParseSchedule("cron(0 0 30 FEB ? *)")
	if _, ok := never.Next(anchor, anchor); ok {
		t.Error("30 FEB fired")
	}
	past, _ := ParseSchedule("cron(15 10 ? * 6L 2002-2005)")
	if _, ok := past.Next(anchor, anchor); ok {
		t.Error("a schedule in the past fired")
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"rate(5 minutes)", "rate(1 day)", "cron(0 10 * * ? *)", "cron(15 10 ? * 6L 2002-2005)",
		"cron(* * ? * SAT#3 *)", "cron(0/5 5 ? JAN 1-5 2022)", "cron(0 0 3W * ? *)", "cron(0 22 ? * FRI-MON *)", "cron(0 0 30 FEB ? *)"} {
		f.Add(s)
	}
	anchor := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := ParseSchedule(expr)
		if err != nil {
			return
		}
		next, ok := s.Next(anchor, anchor)
		if ok && !next.After(anchor) {
			t.Fatalf("%q: next %s is not after %s", expr, next, anchor)
		}
	})
}
