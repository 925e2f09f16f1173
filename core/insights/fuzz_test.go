package insights

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"
)

// FuzzParse throws arbitrary text at the parser and runs what parses over a
// few events: every input gets a query or an *Error inside the text, never
// a panic or a hang.
func FuzzParse(f *testing.F) {
	for _, c := range []string{
		"fields @timestamp, @message | sort @timestamp desc | limit 25",
		`filter @message like /Exception/ | stats count(*) as exceptionCount by bin(1h) | sort exceptionCount desc`,
		`parse @message "[*] *" as level, msg | filter level = "ERROR" | sort @timestamp desc | limit 5`,
		`parse @message /user=(?<user2>.*?), method:(?<method2>.*?)/ | stats avg(latency2) by method2`,
		`stats max(a) as hi, min(a) as lo, hi - lo as d by bin(5m), status | stats sum(d) by status`,
		`fields jsonParse(x).a[0], case(a > 1, "b", "c"), concat(a, "-", b) as c | dedup c | limit 3`,
		`SOURCE logGroups(namePrefix: ['/aws'], class: ['STANDARD']) | filter a in [1, "b"] and not b like 'x'`,
		"fields a\n# comment | x\n| display a as `odd-name`",
		`filter referrer= http://34.250.27.141/ and method= "GET"`,
		`pattern @message | diff previousDay`,
		`fields 2 ^ 3 % 5 / (1 - 1) as z | unnest z into y | unmask`,
	} {
		f.Add(c)
	}
	evs := events(`{"a": 1, "b": "x", "x": "{\"a\":[1]}", "level": "ERROR"}`, `[ERROR] boom`, `REPORT RequestId: r	Duration: 1 ms`)
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.Start < 0 || e.End < e.Start || e.End > utf8.RuneCountInString(s) || e.Line < 1 || e.Col < 0 {
				t.Fatalf("bad location %+v for %q", e, s)
			}
			return
		}
		if _, err := q.Run(slices.Values(evs), Options{End: 1 << 62}); err != nil {
			t.Fatalf("Run(%q): %v", s, err)
		}
	})
}

// FuzzTokens checks that highlighting covers any text with ordered,
// non-overlapping spans inside it.
func FuzzTokens(f *testing.F) {
	f.Add(`parse @message /(?<a>\w+)/ | filter a like "x" # c` + "\n| stats count(*) by bin(5m)")
	f.Add("fields `odd field`, 1.5e3, 'unterminated")
	f.Fuzz(func(t *testing.T, s string) {
		end := 0
		for _, tk := range Tokens(s) {
			if tk.Start < end || tk.End <= tk.Start || tk.End > len(s) {
				t.Fatalf("bad span %+v after %d in %q", tk, end, s)
			}
			end = tk.End
		}
	})
}
