package filterpattern

import (
	"encoding/json"
	"strings"
	"testing"
)

// hostile are keys and values aimed at the jq source a JSON pattern
// compiles to: quotes, escapes, interpolation, jq's environment-reading
// builtins, control characters, comments, path syntax.
var hostile = []string{
	`env`, `$ENV`, `now`, `input`, `halt_error`, `$__loc__`, `debug`, `\(env)`, `\(now)`,
	`" | env | "`, `"; halt_error; "`, `") or true or ("`, `) or (true`, `.[] | input`, `#comment`,
	"tab\tnew\nline\r", "nul\x00byte", "\x7f\x1f", `\`, `\\`, `\"`, `@sh "\(input)"`,
	`a.b`, `a[0]`, `$.x`, `*`, `%x%`, `&&`, `||`, `}`, `]`, `é ☃ 🎉`, `{"a":1}`, strings.Repeat(`\"|)`, 50),
}

// quote writes s as a pattern's quoted string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func TestHostileSelectorsAndValues(t *testing.T) {
	for _, h := range hostile {
		if strings.ContainsAny(h, "'") {
			continue
		}
		pattern := "{ $.['" + h + "'] = " + quote(h) + " }"
		if strings.HasPrefix(h, "*") || strings.HasSuffix(h, "*") {
			continue // a glob, not a literal
		}
		p, err := Parse(pattern)
		if err != nil {
			// A key may hold characters the pattern language cannot
			// express (']' ends the bracket); that is a parse error, never
			// a jq compile error.
			if strings.Contains(err.Error(), "jq") {
				t.Errorf("Parse(%q) reached jq: %v", pattern, err)
			}
			continue
		}
		event, _ := json.Marshal(map[string]string{h: h})
		other, _ := json.Marshal(map[string]string{h: h + "x", "other key": h})
		if !p.Matches(string(event)) {
			t.Errorf("%q does not match %s", pattern, event)
		}
		if p.Matches(string(other)) {
			t.Errorf("%q matches %s", pattern, other)
		}
		m, _ := p.Match(string(event))
		for _, v := range m.ExtractedValues() {
			if v != strings.ToValidUTF8(h, "\uFFFD") {
				t.Errorf("extracted %q, want %q", v, h)
			}
		}
	}
	// Bare names that are jq builtins are plain keys.
	p, err := Parse(`{ $.env = now && $.input = halt_error && $.['$__loc__'] NOT EXISTS }`)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Matches(`{"env":"now","input":"halt_error"}`) {
		t.Error("builtin-named keys did not match")
	}
}

func TestHostileSpaceValues(t *testing.T) {
	for _, h := range hostile {
		if strings.ContainsAny(h, "\"\t\n\r ") || h == "*" || strings.HasPrefix(h, "*") || strings.HasSuffix(h, "*") {
			continue
		}
		p, err := Parse("[a, b = " + quote(h) + "]")
		if err != nil {
			t.Errorf("Parse: %v", err)
			continue
		}
		if !p.Matches("x " + h) {
			t.Errorf("[a, b = %q] does not match", h)
		}
	}
}

// TestBounded checks that hostile events and patterns end quickly with no
// match rather than hanging or failing.
func TestBounded(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)
	p, _ := Parse(`{ $.a.a = * }`)
	if p.Matches(deep) {
		t.Error("a 5000-deep event matched")
	}
	wide := `{"a":[` + strings.Repeat(`1,`, 200000) + `1]}`
	p, _ = Parse(`{ $.a[*] = 2 }`)
	if p.Matches(wide) {
		t.Error("wide event matched")
	}
	p, _ = Parse(`[` + strings.Repeat(`..., a = y, `, 40) + `...]`)
	if p.Matches(strings.Repeat("x ", 100000) + "y") {
		t.Error("ellipses matched")
	}
	p, _ = Parse(`%(a+)+$%`[0:1] + `a+a+a+a+b%`)
	_ = p.Matches(strings.Repeat("a", 100000))
}
