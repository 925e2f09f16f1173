package filterpattern

import (
	"errors"
	"testing"
	"unicode/utf8"
)

var fuzzPatterns = []string{
	"", " ", `" "`, "ERROR", "?ERROR ?WARN", "ERROR -WARN", `"a phrase" b`, `%^[hc]at$%`, `%\x28%`,
	`{ $.a = 1 }`, `{ ($.a.b[0] = "x" || $.c IS NULL) && $.d NOT EXISTS }`, `{ $.* = %1[0-9]{1,2}% }`,
	`{ $.['k.k'] != 12.* }`, `{ $.n >= -1e3 }`, `[ip, user, ..., status = 4*, bytes > 1000]`,
	`[w1=ERROR || w1=WARN, w2]`, `[..., r=*.html*, s=%^4%,]`, `[]`, `{ $.a = "\"" }`, `[a, , ...]`,
}

var fuzzMessages = []string{
	"", "ERROR WARN message", `{"a":1,"c":null,"b":{"x":"y"}}`, `[1,2]`,
	`127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /a.html HTTP/1.0" 404 2326`, `{"a":`, "\xff\xfe",
}

func FuzzParse(f *testing.F) {
	for _, p := range fuzzPatterns {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		p, err := Parse(pattern)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T %v", pattern, err, err)
			}
			if pe.Offset < 0 || pe.Offset > len(pattern) && utf8.RuneCountInString(pattern) <= MaxLength {
				t.Fatalf("offset %d outside %q", pe.Offset, pattern)
			}
			if pe.Message == "" {
				t.Fatal("empty message")
			}
			_ = pe.Caret(pattern)
			return
		}
		for _, m := range fuzzMessages {
			match, ok := p.Match(m)
			if ok {
				_ = match.ExtractedValues()
				for _, r := range match.Highlights() {
					if r.Start < 0 || r.End > len(m) || r.Start > r.End {
						t.Fatalf("range %v outside %q", r, m)
					}
				}
			}
		}
	})
}

func FuzzMatch(f *testing.F) {
	for i, p := range fuzzPatterns {
		f.Add(p, fuzzMessages[i%len(fuzzMessages)])
	}
	f.Fuzz(func(t *testing.T, pattern, message string) {
		p, err := Parse(pattern)
		if err != nil {
			return
		}
		m, ok := p.Match(message)
		if ok != p.Matches(message) {
			t.Fatal("Match and Matches disagree")
		}
		if !ok {
			return
		}
		vals := m.ExtractedValues()
		for k := range vals {
			if _, ok := m.Resolve(k); !ok && p.Kind() == KindSpace {
				t.Fatalf("extracted %s does not resolve", k)
			}
		}
		for _, r := range m.Highlights() {
			if r.Start < 0 || r.End > len(message) || r.Start > r.End {
				t.Fatalf("range %v outside %q", r, message)
			}
		}
	})
}
