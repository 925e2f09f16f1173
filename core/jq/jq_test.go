package jq

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var hostile = []string{
	``, `"`, `\`, `\\`, `\"`, `)`, `(`, `|`, `" | env | "`, `\(env)`, `\(now)`, `$__loc__`, `input`,
	`halt_error`, `env`, `$ENV`, "nul\x00byte", "\x00", "tab\tnew\nline\r", "\x7f\x1f", `'`, "`",
	`"; halt_error; "`, `.[] | input`, "é ☃ 🎉", "\xff\xfe invalid utf8", `{"a":1}`, `#comment`,
	`@sh "\(input)"`, strings.Repeat(`\"|)`, 5000), strings.Repeat("x", 100_000),
}

func TestLiteralRoundTripsHostileStrings(t *testing.T) {
	for _, s := range hostile {
		lit := StringLiteral(s)
		p, err := Compile(lit+" == $want", WithVariables("$want"))
		if err != nil {
			t.Fatalf("compile %q: %v", short(s), err)
		}
		want := string([]rune(s)) // each invalid byte becomes U+FFFD
		out, err := p.Run(nil, want)
		if err != nil || len(out) != 1 || out[0] != true {
			t.Errorf("literal of %q: got %v, %v", short(s), out, err)
		}
	}
}

func TestLiteralValues(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want any
	}{
		{nil, nil}, {true, true}, {false, false}, {-3, -3}, {1.5, 1.5}, {-0.25, -0.25},
		{"a\"b", "a\"b"},
		{[]any{1, "x", nil, []any{}}, []any{1, "x", nil, []any{}}},
		{map[string]any{`")|env|("`: 1, "$__loc__": []any{"input"}}, map[string]any{`")|env|("`: 1, "$__loc__": []any{"input"}}},
	} {
		lit, err := Literal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Compile(lit)
		if err != nil {
			t.Fatalf("compile %s: %v", lit, err)
		}
		got, err := p.Run(nil)
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
			t.Errorf("Literal(%v) = %s -> %v, %v", tt.v, lit, got, err)
		}
	}
	if _, err := Literal(struct{}{}); err == nil {
		t.Error("Literal(struct{}{}) succeeded")
	}
}

func TestForbidden(t *testing.T) {
	for _, src := range []string{
		"now", "env", "$ENV", "env.HOME", "$ENV.PATH", "input", "[inputs]", "halt", "halt_error",
		`"x" | halt_error(1)`, "$__loc__", "{$__loc__}", "{$ENV}", "debug", `debug("x")`, "stderr",
		"input_filename", "input_line_number", "builtins", "localtime", "strflocaltime(\"%c\")",
		`"\(now)"`, `[.[] | select(. == now)]`, `def f: now; f`, `import "a" as a; .`, `include "a"; .`,
		"get_search_list", "$__prog_args", `reduce (1,2) as $x (0; . + now)`, `try env catch .`,
		`if true then input else 1 end`, `.a as $x | {($x): now}`, `@sh "\(input)"`, "modulemeta",
	} {
		_, err := Compile(src)
		if err == nil {
			t.Errorf("Compile(%q) succeeded", src)
			continue
		}
		if !errors.Is(err, ErrForbidden) && !strings.Contains(err.Error(), "not defined") && !strings.Contains(err.Error(), "input") {
			t.Errorf("Compile(%q) = %v, want a refusal", src, err)
		}
	}
	if _, err := Compile(".", WithFunction("now", 0, 0, func(any, []any) any { return 0 })); !errors.Is(err, ErrForbidden) {
		t.Errorf("WithFunction(now) = %v", err)
	}
}

func TestBounds(t *testing.T) {
	for _, src := range []string{"repeat(1)", "[range(1e9)]", "def f: f; f", "last(range(1e12))", `[limit(1e9; repeat("x"))] | length`, "until(false; .)"} {
		p, err := Compile(src, WithMaxSteps(100_000))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Run(0); !errors.Is(err, ErrSteps) && !errors.Is(err, ErrOutputs) {
			t.Errorf("%s: err = %v, want a bound", src, err)
		}
		if _, _, err := p.First(0); src != "repeat(1)" && !errors.Is(err, ErrSteps) {
			t.Errorf("%s: First err = %v, want ErrSteps", src, err)
		}
		if _, _, err := p.FirstShallow(0); src != "repeat(1)" && !errors.Is(err, ErrSteps) {
			t.Errorf("%s: FirstShallow err = %v, want ErrSteps", src, err)
		}
	}
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	if _, err := Decode([]byte(deep)); !errors.Is(err, ErrDepth) {
		t.Errorf("Decode(deep) = %v", err)
	}
	var v any = 1
	for i := 0; i < 2000; i++ {
		v = []any{v}
	}
	if _, err := MustCompile(".").Run(v); !errors.Is(err, ErrDepth) {
		t.Errorf("Run(deep) = %v", err)
	}
}

func TestDecodeAndReuse(t *testing.T) {
	p := MustCompile(`.a == 300 and .b > 9007199254740992`)
	v, err := Decode([]byte(`{"a":300.0,"b":9007199254740993}`))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		out, err := p.Run(v)
		if err != nil || len(out) != 1 || out[0] != true {
			t.Fatalf("run %d: %v %v", i, out, err)
		}
		first, ok, err := p.FirstShallow(v)
		if err != nil || !ok || first != true {
			t.Fatalf("FirstShallow %d: %v %v %v", i, first, ok, err)
		}
	}
	for _, bad := range []string{`{"a":1} x`, `{`, `nul`, ``} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
