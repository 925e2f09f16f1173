package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/cli"
)

// TestREADME runs every indented `telltale ...` line of README.md, in order, in
// one directory, and checks the exit status the line's comment states (0 when
// it states none). Lines of other programs (make, go, bin/telltale build) are
// covered by CI and the browser tests.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := "aws sts get-caller-identity --query Account\n! aws sts nope\n"
	if err := os.WriteFile(filepath.Join(dir, "lesson.tt"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	exitRE := regexp.MustCompile(`#\s*exits (\d+)`)
	ran := 0
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "    telltale ") {
			continue
		}
		cmd := strings.TrimSpace(line)
		want := 0
		if m := exitRE.FindStringSubmatch(cmd); m != nil {
			want, _ = strconv.Atoi(m[1])
			cmd = strings.TrimSpace(cmd[:strings.Index(cmd, "#")])
		}
		args, err := cli.SplitLine(cmd)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		var out, errb bytes.Buffer
		env := &cli.Env{Stdout: &out, Stderr: &errb, FS: osFS{},
			WallClock: func() time.Time { return time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC) },
			Commands:  hostCommands()}
		got := cli.Main(env, args[1:])
		if got != want {
			t.Errorf("%s\nexit %d, want %d\nstdout: %s\nstderr: %s", cmd, got, want, out.String(), errb.String())
		}
		// Commands that read something must print it; writes such as
		// put-metric-data, clock set and clock advance may print nothing, as the
		// AWS CLI does for an empty response.
		if want == 0 && out.Len() == 0 && regexp.MustCompile(` (get|list|describe|lookup|test|explain|help)`).MatchString(cmd) {
			t.Errorf("%s printed nothing", cmd)
		}
		ran++
	}
	if ran < 10 {
		t.Fatalf("found only %d telltale lines in README.md", ran)
	}
}
