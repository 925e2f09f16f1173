package schemas

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"testing"
)

// FuzzInfer feeds arbitrary events to the inference: it must never panic, and
// what it renders must be JSON that the exporters and code generators accept.
func FuzzInfer(f *testing.F) {
	for _, tc := range recorded {
		f.Add(tc.event, "")
	}
	f.Add(`{"a":[{"b":1},{"b":"x"}],"c":[[]],"d":null}`, `{"a":[],"e":1.5}`)
	f.Add(`{"":{"":{"":1}}}`, `{"-":{"_":[{"":[]}]}}`)
	f.Fuzz(func(t *testing.T, e1, e2 string) {
		for _, events := range [][]string{{e1}, {e1, e2}} {
			in, err := inferEvents(events)
			if err != nil {
				continue
			}
			doc := in.openAPI()
			content := marshal(doc)
			if !json.Valid([]byte(content)) {
				t.Fatalf("invalid OpenAPI JSON: %s", content)
			}
			d4, err := toDraft4(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid([]byte(marshal(d4))) {
				t.Fatalf("invalid Draft 4 JSON")
			}
			src, err := GoStruct(content)
			if err != nil {
				t.Fatalf("GoStruct: %v", err)
			}
			if _, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0); err != nil {
				t.Fatalf("Go does not parse: %v\n%s", err, src)
			}
			if _, err := TypeScript(marshal(d4)); err != nil {
				t.Fatalf("TypeScript: %v", err)
			}
		}
	})
}

// FuzzCodegen feeds arbitrary schema documents to the code generators: an
// error or code, never a panic.
func FuzzCodegen(f *testing.F) {
	f.Add(`{"openapi":"3.0.0","components":{"schemas":{"A":{"properties":{"a":{"$ref":"#/components/schemas/A"},"b":{"type":"array"}}}}}}`)
	f.Add(`{"$schema":"x","title":"T","properties":{"x":{"type":["null","string"]}},"definitions":{"T":{"properties":{}}}}`)
	f.Add(`{"components":{"schemas":{"a b":{"type":"object","properties":{"c":{"type":"object","properties":{"d":{"type":"object","properties":{"e":{}}}}}}}}}}`)
	f.Fuzz(func(t *testing.T, content string) {
		if src, err := GoStruct(content); err == nil {
			if _, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0); err != nil {
				t.Fatalf("Go does not parse: %v", err)
			}
		}
		TypeScript(content)
	})
}
