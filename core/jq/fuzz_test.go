package jq

import "testing"

// FuzzLiteral checks that every string survives Literal: the compiled literal
// evaluates to the string itself (invalid UTF-8 bytes as U+FFFD).
func FuzzLiteral(f *testing.F) {
	for _, s := range hostile[:len(hostile)-2] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prog, err := Compile(StringLiteral(s)+" == $want", WithVariables("$want"))
		if err != nil {
			t.Fatalf("compile literal of %q: %v", s, err)
		}
		out, err := prog.Run(nil, string([]rune(s)))
		if err != nil || len(out) != 1 || out[0] != true {
			t.Fatalf("literal of %q: %v %v", s, out, err)
		}
	})
}
