// Package archtest enforces the architecture of core/ (ARCHITECTURE.md, "Rules
// that keep the core pure") by reading the source of every core package: no
// browser, network, file system or random imports, no wall clock, no
// goroutines, no init functions, and dependencies that point one way.
package archtest

import (
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/telltale-dev/telltale"

// forbiddenImports are the packages core must not import directly; an entry
// ending in "/" forbids the whole tree under it.
var forbiddenImports = []string{
	"syscall/js",
	"github.com/hack-pad/safejs",
	"github.com/maxence-charriere/go-app/",
	"net/http", "net/http/",
	"os", "os/",
	"math/rand", "math/rand/v2",
	"unsafe",
}

// forbiddenTime are the functions of package time that read the wall clock or
// start timers.
var forbiddenTime = map[string]bool{
	"Now": true, "Sleep": true, "After": true, "AfterFunc": true, "Tick": true,
	"NewTimer": true, "NewTicker": true, "Since": true, "Until": true,
}

// foundation packages may be imported by everyone; they import only each other.
// metricdata is shapes only (the CloudWatch metric types that metrics and the
// services publishing or reading metrics through world's interfaces share).
// insights is the Logs Insights query language (parser and evaluator over
// an event iterator); logs runs it, and the console may parse with it.
var foundation = map[string]bool{
	"clock": true, "store": true, "ids": true, "awserr": true, "api": true,
	"jq": true, "eventpattern": true, "filterpattern": true, "metricmath": true,
	"metricdata": true, "insights": true,
}

// violation is one broken rule at a position.
type violation struct {
	pos  string
	rule string
}

func (v violation) String() string { return v.pos + ": " + v.rule }

// pkgSource is the parsed non-test, buildable Go files of one directory.
type pkgSource struct {
	fset  *token.FileSet
	files []*ast.File
}

func parseDir(dir string) (*pkgSource, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &pkgSource{fset: token.NewFileSet()}
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(p.fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if ignored(f) {
			continue
		}
		p.files = append(p.files, f)
	}
	return p, nil
}

// ignored reports whether a file is excluded from every build (//go:build
// ignore, as generators are).
func ignored(f *ast.File) bool {
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				return false
			}
			return !expr.Eval(func(tag string) bool { return tag != "ignore" })
		}
	}
	return false
}

// imports returns the import paths of the package, sorted and unique.
func (p *pkgSource) imports() []string {
	seen := map[string]bool{}
	for _, f := range p.files {
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			seen[path] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// purity checks imports, wall-clock reads, go statements and init functions.
func (p *pkgSource) purity() []violation {
	var vs []violation
	add := func(pos token.Pos, format string, args ...any) {
		position := p.fset.Position(pos)
		vs = append(vs, violation{fmt.Sprintf("%s:%d", filepath.Base(position.Filename), position.Line), fmt.Sprintf(format, args...)})
	}
	for _, f := range p.files {
		timeName := ""
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			for _, bad := range forbiddenImports {
				if path == bad || (strings.HasSuffix(bad, "/") && strings.HasPrefix(path, bad)) {
					add(im.Pos(), "imports %s", path)
					break
				}
			}
			if path == "time" {
				timeName = "time"
				if im.Name != nil {
					timeName = im.Name.Name
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.GoStmt:
				add(x.Pos(), "starts a goroutine")
			case *ast.FuncDecl:
				if x.Recv == nil && x.Name.Name == "init" {
					add(x.Pos(), "has an init function")
				}
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && timeName != "" && id.Name == timeName && id.Obj == nil && forbiddenTime[x.Sel.Name] {
					add(x.Pos(), "uses time.%s", x.Sel.Name)
				}
			}
			return true
		})
	}
	return vs
}

// group is the first path element of a core package: the unit of the
// dependency rules ("cloudtrail" for core/cloudtrail and its subpackages).
func group(importPath string) (string, bool) {
	rest, ok := strings.CutPrefix(importPath, module+"/core/")
	if !ok {
		return "", false
	}
	g, _, _ := strings.Cut(rest, "/")
	return g, true
}

// direction checks that the imports of a package in group g point the right
// way: foundation packages import only foundation packages; services import
// only foundation packages (never each other, world or cli); world does not
// import cli.
func direction(g string, imports []string) []violation {
	var vs []violation
	for _, im := range imports {
		to, ok := group(im)
		if !ok || to == g {
			continue
		}
		bad := false
		switch {
		case g == "cli":
		case g == "world":
			bad = to == "cli"
		default: // a foundation package or a service
			bad = !foundation[to]
		}
		if bad {
			vs = append(vs, violation{g, "imports " + im})
		}
	}
	return vs
}

func coreDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "go.mod")); err != nil || filepath.Base(dir) != "core" {
		t.Fatalf("cannot find core/ from %s", dir)
	}
	return dir
}

// corePackages returns every directory under core/ that holds Go files,
// relative to core/, skipping testdata and this test's own directory.
func corePackages(t *testing.T, core string) []string {
	var dirs []string
	err := filepath.WalkDir(core, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != core && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			rel, _ := filepath.Rel(core, filepath.Dir(path))
			if len(dirs) == 0 || dirs[len(dirs)-1] != rel {
				dirs = append(dirs, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

func TestCorePurity(t *testing.T) {
	core := coreDir(t)
	pkgs := corePackages(t, core)
	if len(pkgs) < 8 {
		t.Fatalf("found only %d core packages: %v", len(pkgs), pkgs)
	}
	for _, rel := range pkgs {
		t.Run(rel, func(t *testing.T) {
			p, err := parseDir(filepath.Join(core, rel))
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range p.purity() {
				t.Errorf("core/%s: %s", rel, v)
			}
			g, _ := group(module + "/core/" + filepath.ToSlash(rel))
			for _, v := range direction(g, p.imports()) {
				t.Errorf("core/%s: %s breaks the dependency direction", rel, v.rule)
			}
		})
	}
}

// TestCheckerCatchesViolations runs the checker over testdata/bad, which breaks
// every rule, and testdata/good, which breaks none.
func TestCheckerCatchesViolations(t *testing.T) {
	p, err := parseDir("testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range p.purity() {
		got = append(got, v.String())
	}
	want := []string{
		"bad.go:6: imports math/rand",
		"bad.go:7: imports net/http",
		"bad.go:8: imports os",
		"bad.go:11: imports github.com/hack-pad/safejs",
		"bad.go:16: has an init function",
		"bad.go:20: starts a goroutine",
		"bad.go:21: uses time.Sleep",
		"bad.go:22: uses time.Now",
		"bad.go:23: uses time.Since",
		"bad.go:26: uses time.After",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	good, err := parseDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	if vs := good.purity(); len(vs) != 0 {
		t.Errorf("good package reported: %v", vs)
	}

	core := module + "/core/"
	for _, tt := range []struct {
		group   string
		imports []string
		bad     int
	}{
		{"sts", []string{core + "api", core + "awserr", "time"}, 0},
		{"sts", []string{core + "cloudtrail"}, 1},
		{"sts", []string{core + "world", core + "cli"}, 2},
		{"cloudtrail", []string{core + "api/models", core + "store", core + "cloudtrail/internal/x"}, 0},
		{"clock", []string{core + "sts"}, 1},
		{"api", []string{core + "awserr"}, 0},
		{"world", []string{core + "sts", core + "cloudtrail", core + "clock"}, 0},
		{"world", []string{core + "cli"}, 1},
		{"cli", []string{core + "world", core + "sts"}, 0},
	} {
		if vs := direction(tt.group, tt.imports); len(vs) != tt.bad {
			t.Errorf("direction(%s, %v) = %v, want %d violations", tt.group, tt.imports, vs, tt.bad)
		}
	}
}
