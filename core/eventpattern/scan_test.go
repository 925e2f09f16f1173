package eventpattern

import (
	"fmt"
	"strings"
	"testing"
)

// TestDuplicateKeys checks that a key repeated in an event object counts
// only with its last value, as jq.Decode reads the event, in the jq program,
// the native matcher and the routing Set alike, for objects with few keys
// (compared one by one) and many (indexed).
func TestDuplicateKeys(t *testing.T) {
	var many strings.Builder
	many.WriteString(`{"a":[{`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&many, `"k%d":1,"c":"v%d",`, i, i)
	}
	many.WriteString(`"z":0}],"c":"x","c":"y","c":"w"}`)
	cases := []struct {
		pattern, event string
		want           bool
	}{
		{`{"a":{"c":[""]}}`, `{"a":[{"c":"","c":"0"}]}`, false},
		{`{"a":{"c":["0"]}}`, `{"a":[{"c":"","c":"0"}]}`, true},
		{`{"a":{"c":["x"]}}`, `{"a":{"c":"x"},"a":{"d":1}}`, false},
		{`{"a":{"d":[1]}}`, `{"a":{"c":"x"},"a":{"d":1}}`, true},
		{`{"c":["x"]}`, `{"\u0063":"x","c":"y"}`, false},
		{`{"c":["y"]}`, `{"\u0063":"x","c":"y"}`, true},
		{`{"a":{"c":["v39"]}}`, many.String(), true},
		{`{"a":{"c":["v38"]}}`, many.String(), false},
		{`{"c":["w"]}`, many.String(), true},
		{`{"c":["y"]}`, many.String(), false},
		{`{"a":{"k3":[1],"c":["v39"]}}`, many.String(), true},
	}
	for _, c := range cases {
		p, err := Parse(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		viaJQ, err := prog.Match([]byte(c.event))
		if err != nil {
			t.Fatal(err)
		}
		native, err := prog.MatchNative([]byte(c.event))
		if err != nil {
			t.Fatal(err)
		}
		s := NewSet()
		s.Add(prog)
		ids, err := s.Match([]byte(c.event), nil)
		if err != nil {
			t.Fatal(err)
		}
		if viaJQ != c.want || native != c.want || (len(ids) == 1) != c.want {
			t.Errorf("pattern %s event %.60s: jq %v, native %v, Set %v, want %v", c.pattern, c.event, viaJQ, native, len(ids) == 1, c.want)
		}
	}
}
