package cli

import (
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/core/world"
)

// TestOutfileWithoutFiles runs lambda invoke where there are no files (the
// browser): the payload can go to /dev/stdout, and a file name is refused
// with a hint, after the call, as the CLI fails when it cannot open the file.
func TestOutfileWithoutFiles(t *testing.T) {
	w, err := world.New(world.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var out, errb strings.Builder
	s := &Session{World: w, Env: &Env{Stdout: &out, Stderr: &errb}}
	run := func(line string) int {
		out.Reset()
		errb.Reset()
		return s.ExecLine(line)
	}
	if code := run("aws lambda create-function --function-name f --runtime python3.12 --handler a.h --role arn:aws:iam::123456789012:role/r --code S3Bucket=bucket,S3Key=k"); code != ExitOK {
		t.Fatalf("create-function: %d %s", code, errb.String())
	}
	tests := []struct {
		line       string
		code       int
		stdout     string // a prefix
		stderrPart string
	}{
		{"aws lambda invoke --function-name f --payload e30= /dev/stdout", ExitOK, `{"statusCode":200,"body":"{}"}{` + "\n", ""},
		{"aws lambda invoke --function-name f --payload e30= /dev/null --query StatusCode", ExitOK, "200\n", ""},
		{"aws lambda invoke --function-name f --payload e30= /dev/stderr --query StatusCode", ExitOK, "200\n", `{"statusCode":200,"body":"{}"}`},
		{"aws lambda invoke --function-name f --payload e30= out.json", ExitGeneral, "", "there are no local files here, so the Payload cannot be saved to 'out.json': name /dev/stdout as the outfile"},
		{"aws lambda create-function --function-name g --role r --zip-file fileb://f.zip", ExitUsage, "", "Unable to load paramfile fileb://f.zip: there are no local files here"},
	}
	for _, tt := range tests {
		code := run(tt.line)
		if code != tt.code || !strings.HasPrefix(out.String(), tt.stdout) || !strings.Contains(errb.String(), tt.stderrPart) {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %q", tt.line, code, out.String(), errb.String())
		}
	}
}

// TestIsZip checks the zip test of --zip-file on empty, text and zip input.
func TestIsZip(t *testing.T) {
	empty := "PK\x05\x06" + strings.Repeat("\x00", 18)
	for _, tt := range []struct {
		in   string
		want bool
	}{{"", false}, {"PK", false}, {"hello", false}, {empty, true}} {
		if got := isZip([]byte(tt.in)); got != tt.want {
			t.Errorf("isZip(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
