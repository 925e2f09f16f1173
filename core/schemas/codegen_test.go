package schemas

import (
	"flag"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/codegen")

// The inputs of the code generators: discovered documents (inferred here from
// events, OpenAPI and Draft 4) and hand-written ones (testdata/codegen/*.json).
func codegenInputs(t *testing.T) map[string]string {
	t.Helper()
	in := map[string]string{}
	for _, tc := range recorded {
		inf, err := inferEvents([]string{tc.event})
		if err != nil {
			t.Fatal(err)
		}
		name := strings.Fields(tc.name)[0]
		doc := inf.openAPI()
		in["discovered-"+name] = marshal(doc)
		d4, err := toDraft4(doc)
		if err != nil {
			t.Fatal(err)
		}
		in["discovered-"+name+"-draft4"] = marshal(d4)
	}
	files, _ := filepath.Glob("testdata/codegen/*.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in[strings.TrimSuffix(filepath.Base(f), ".json")] = string(b)
	}
	return in
}

func TestCodegenGolden(t *testing.T) {
	for name, content := range codegenInputs(t) {
		for _, lang := range []struct {
			ext string
			fn  func(string) (string, error)
		}{{"go", GoStruct}, {"ts", TypeScript}} {
			t.Run(name+"."+lang.ext, func(t *testing.T) {
				got, err := lang.fn(content)
				if err != nil {
					t.Fatal(err)
				}
				again, _ := lang.fn(content)
				if again != got {
					t.Fatal("output is not deterministic")
				}
				if lang.ext == "go" {
					if _, err := parser.ParseFile(token.NewFileSet(), "x.go", got, 0); err != nil {
						t.Fatalf("generated Go does not parse: %v", err)
					}
				}
				path := filepath.Join("testdata/codegen", name+"."+lang.ext+".golden")
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./core/schemas -run TestCodegenGolden -update)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs:\n%s", path, got)
				}
			})
		}
	}
}

func TestCodegenErrors(t *testing.T) {
	for _, bad := range []string{``, `[`, `[]`, `"x"`, `{}`, `{"openapi":"3.0.0"}`, `{"components":{"schemas":{}}}`} {
		if _, err := GoStruct(bad); err == nil {
			t.Errorf("GoStruct(%q): no error", bad)
		}
		if _, err := TypeScript(bad); err == nil {
			t.Errorf("TypeScript(%q): no error", bad)
		}
	}
}
