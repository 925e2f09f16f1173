package cli_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/cli"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/cases")

// memFS is an in-memory cli.FS.
type memFS struct{ files map[string][]byte }

func newMemFS() *memFS { return &memFS{files: map[string][]byte{}} }

var errNotExist = errors.New("no such file")

func (m *memFS) ReadFile(name string) ([]byte, error) {
	b, ok := m.files[name]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", name, errNotExist)
	}
	return append([]byte(nil), b...), nil
}

func (m *memFS) WriteFileAtomic(name string, data []byte) error {
	m.files[name] = append([]byte(nil), data...)
	return nil
}

func (m *memFS) Exists(name string) (bool, error) {
	_, ok := m.files[name]
	return ok, nil
}

// fixedClock is the wall clock of the tests: fresh worlds start here.
func fixedClock() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// parseCase reads a case file: "-- file: NAME --" sections put files in the
// in-memory FS ("-- base64: NAME --" sections binary files, written in
// base64); the "-- script --" section holds one telltale command line
// per line ("#" lines are comments, a trailing backslash continues the line,
// "... < NAME" feeds a file to stdin, and "cat NAME" shows a file, or that there is none).
func parseCase(t *testing.T, src string) (files map[string]string, script []string) {
	t.Helper()
	files = map[string]string{}
	var cur *strings.Builder
	var curName string
	var curB64 bool
	flush := func() {
		if cur == nil {
			return
		}
		if curName == "" {
			for _, l := range strings.Split(cur.String(), "\n") {
				if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
					continue
				}
				if n := len(script); n > 0 && strings.HasSuffix(script[n-1], "\\") {
					script[n-1] = strings.TrimSuffix(script[n-1], "\\") + "\n" + l
					continue
				}
				script = append(script, l)
			}
		} else if curB64 {
			b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(cur.String()), ""))
			if err != nil {
				t.Fatalf("base64 file %s: %v", curName, err)
			}
			files[curName] = string(b)
		} else {
			files[curName] = cur.String()
		}
		cur = nil
	}
	for _, line := range strings.SplitAfter(src, "\n") {
		trim := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trim, "-- ") && strings.HasSuffix(trim, " --") {
			flush()
			head := strings.TrimSuffix(strings.TrimPrefix(trim, "-- "), " --")
			cur = &strings.Builder{}
			curB64 = false
			switch {
			case head == "script":
				curName = ""
			case strings.HasPrefix(head, "file: "):
				curName = strings.TrimPrefix(head, "file: ")
			case strings.HasPrefix(head, "base64: "):
				curName, curB64 = strings.TrimPrefix(head, "base64: "), true
			default:
				t.Fatalf("unknown section %q", head)
			}
			continue
		}
		if cur != nil {
			cur.WriteString(line)
		}
	}
	flush()
	return files, script
}

// TestGolden runs every testdata/cases/*.txt through cli.Main in-process and
// compares the transcript with the .golden file next to it.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/cases/*.txt")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files, script := parseCase(t, string(src))
			fs := newMemFS()
			names := make([]string, 0, len(files))
			for n := range files {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				fs.files[n] = []byte(files[n])
			}
			var got strings.Builder
			for _, line := range script {
				var stdin []byte
				cmdline := line
				if i := strings.LastIndex(line, " < "); i >= 0 {
					name := strings.TrimSpace(line[i+3:])
					b, ok := fs.files[name]
					if !ok {
						t.Fatalf("%s: no file %s for stdin", line, name)
					}
					stdin, cmdline = b, line[:i]
				}
				args, err := cli.SplitLine(cmdline)
				if err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				if len(args) == 2 && args[0] == "cat" {
					if b, ok := fs.files[args[1]]; ok {
						fmt.Fprintf(&got, "$ %s\n%s[end of %s]\n\n", line, b, args[1])
					} else {
						fmt.Fprintf(&got, "$ %s\n[no file %s]\n\n", line, args[1])
					}
					continue
				}
				if len(args) > 0 && args[0] == "telltale" {
					args = args[1:]
				}
				var stdout, stderr bytes.Buffer
				env := &cli.Env{Stdin: bytes.NewReader(stdin), Stdout: &stdout, Stderr: &stderr, FS: fs, WallClock: fixedClock, Version: "test"}
				code := cli.Main(env, args)
				fmt.Fprintf(&got, "$ %s\n", line)
				if stdout.Len() > 0 {
					fmt.Fprintf(&got, "[stdout]\n%s", stdout.String())
					if !strings.HasSuffix(stdout.String(), "\n") {
						got.WriteString("[no newline at end]\n")
					}
				}
				if stderr.Len() > 0 {
					fmt.Fprintf(&got, "[stderr]\n%s", stderr.String())
					if !strings.HasSuffix(stderr.String(), "\n") {
						got.WriteString("[no newline at end]\n")
					}
				}
				fmt.Fprintf(&got, "[exit %d]\n\n", code)
			}
			golden := strings.TrimSuffix(path, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got.String() != string(want) {
				t.Errorf("transcript differs from %s (run go test ./core/cli -run TestGolden -update and review the diff):\n%s", golden, diffLines(string(want), got.String()))
			}
		})
	}
}

// diffLines shows the first lines that differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, a, b)
		}
	}
	return "(no difference)"
}
