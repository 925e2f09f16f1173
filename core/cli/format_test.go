package cli

import (
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigToInt64 turns the *big.Int of decoded JSON into the int64 of responses.
func bigToInt64(v any) any {
	switch x := v.(type) {
	case *big.Int:
		return x.Int64()
	case []any:
		for i := range x {
			x[i] = bigToInt64(x[i])
		}
	case *pyDict:
		for _, k := range x.keys {
			x.vals[k] = bigToInt64(x.vals[k])
		}
	}
	return v
}

// TestFormatters compares the json, text and table printers with the output
// of awscli's own formatters (json.dumps, text.format_text, TableFormatter
// without colour) on the inputs of testdata/format, recorded once from awscli
// 1.45.11, whose formatters are those of v2.
func TestFormatters(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/format/*.json")
	n := 0
	for _, in := range inputs {
		if strings.HasSuffix(in, ".out.json") {
			continue
		}
		n++
		base := strings.TrimSuffix(in, ".json")
		t.Run(filepath.Base(base), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			v, err := pyJSONLoads(string(src), false)
			if err != nil {
				t.Fatal(err)
			}
			v = bigToInt64(v)
			for _, f := range []struct {
				ext   string
				print func(*strings.Builder)
			}{
				{".out.json", func(b *strings.Builder) { writeJSON(b, v) }},
				{".text", func(b *strings.Builder) { writeText(b, v) }},
				{".table", func(b *strings.Builder) { writeTable(b, "Op", v) }},
			} {
				want, err := os.ReadFile(base + f.ext)
				if err != nil {
					t.Fatal(err)
				}
				var got strings.Builder
				f.print(&got)
				if got.String() != string(want) {
					t.Errorf("%s%s:\nwant:\n%s\ngot:\n%s", base, f.ext, want, got.String())
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no inputs")
	}
}
