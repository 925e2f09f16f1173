package cli

import (
	"encoding/json"
	"os"
	"testing"
)

// TestShorthandOracle runs the inputs of testdata/shorthand.json, whose
// results were recorded from awscli's ShorthandParser, through the port.
func TestShorthandOracle(t *testing.T) {
	src, err := os.ReadFile("testdata/shorthand.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		In  string          `json:"in"`
		Out json.RawMessage `json:"out"`
		Err string          `json:"err"`
	}
	if err := json.Unmarshal(src, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		d, err := parseShorthand(c.In, nil)
		if c.Err != "" {
			if err == nil || err.Error() != c.Err {
				t.Errorf("%q: want error\n%s\ngot %v (%v)", c.In, c.Err, err, pyJSONDumps(d))
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: unexpected error %v", c.In, err)
			continue
		}
		want, err := pyJSONLoads(string(c.Out), false)
		if err != nil {
			t.Fatal(err)
		}
		if pyJSONDumps(d) != pyJSONDumps(want) {
			t.Errorf("%q:\nwant %s\ngot  %s", c.In, pyJSONDumps(want), pyJSONDumps(d))
		}
	}
}
