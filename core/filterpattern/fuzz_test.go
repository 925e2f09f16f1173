package filterpattern

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/jq"
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

// FuzzDecode checks the projecting decoder against jq.Decode: the same
// texts are valid JSON, and with a full projection the same value results.
func FuzzDecode(f *testing.F) {
	for _, m := range fuzzMessages {
		f.Add(m)
	}
	for _, m := range []string{`{"a":"\u00e9\ud83d\ude00","b":[1,2.5,-0,1e400,123456789012345678901234567890]}`, `{"a":1}x`, `[01]`, `{"a":"\x01"}`, `[1,]`, `{"a" 1}`, `"\ud800"`, `{"k":"\xff"}`} {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := decodeProjected(s, leafProj)
		want, err := jq.Decode([]byte(s))
		if ok != (err == nil) {
			if err != nil && strings.Contains(err.Error(), "deep") {
				return
			}
			if !ok && strings.Count(s, "[")+strings.Count(s, "{") > MaxJSONDepth {
				return
			}
			t.Fatalf("decodeProjected(%q) ok=%v, jq.Decode err=%v", s, ok, err)
		}
		if ok && !reflect.DeepEqual(normal(got), normal(want)) {
			t.Fatalf("decodeProjected(%q) = %#v, jq.Decode = %#v", s, got, want)
		}
	})
}

// normal makes *big.Int values comparable with DeepEqual.
func normal(v any) any {
	switch x := v.(type) {
	case *big.Int:
		return x.String()
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return fmt.Sprint(x)
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normal(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = normal(e)
		}
		return out
	}
	return v
}
