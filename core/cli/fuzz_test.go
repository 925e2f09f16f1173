package cli

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

// FuzzShorthand throws arbitrary values at the shorthand parser: it must
// return a value or a ShorthandParseError, never panic or hang, and give the
// same answer twice.
func FuzzShorthand(f *testing.F) {
	for _, s := range []string{"a=b", "Key=a,Values=b,c", "a={b=[c,d],e='f,g'}", "a=b,,", "a@=file://x", `a="x\"y"`, "a=[", "Name=a,Value=b Name=c,Value=d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		resolve := func(v string) (string, bool, error) {
			if strings.HasPrefix(v, "file://") {
				return "content", true, nil
			}
			return "", false, nil
		}
		d1, err1 := parseShorthand(s, resolve)
		d2, err2 := parseShorthand(s, resolve)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("%q: not deterministic", s)
		}
		if err1 != nil {
			if _, ok := err1.(*shorthandError); !ok {
				t.Fatalf("%q: unexpected error type %T", s, err1)
			}
			if err1.Error() != err2.Error() {
				t.Fatalf("%q: not deterministic", s)
			}
			return
		}
		if pyJSONDumps(d1) != pyJSONDumps(d2) {
			t.Fatalf("%q: not deterministic", s)
		}
	})
}

// FuzzPyJSON checks that the Python-compatible JSON decoder never panics and
// that what it decodes survives a round trip through the encoder.
func FuzzPyJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5, "x"]}`, `[{"a":1,}]`, `"\ud83d\ude00"`, `NaN`, `{"a" 1}`, `01`, `[1e400]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := pyJSONLoads(s, true)
		if err != nil {
			return
		}
		out := pyJSONDumps(v)
		v2, err := pyJSONLoads(out, true)
		if err != nil {
			t.Fatalf("%q: re-encoded %q does not decode: %v", s, out, err)
		}
		if pyJSONDumps(v2) != out {
			t.Fatalf("%q: round trip changed %q", s, out)
		}
	})
}

// FuzzSplitLine checks that SplitLine never panics and that a line of plain
// words splits on white space.
func FuzzSplitLine(f *testing.F) {
	for _, s := range []string{`aws sts get-caller-identity`, `a 'b c' "d \"e\""`, `a\ b`, "a \\\nb", `'unclosed`, `"\`, `x # y`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := SplitLine(s)
		if err != nil {
			return
		}
		if !strings.ContainsAny(s, `'"\`) {
			fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' })
			if got, want := strings.Join(words, " "), strings.Join(fields, " "); got != want {
				t.Fatalf("%q: words %q", s, words)
			}
		}
	})
}

// FuzzScriptLines checks that ScriptLines never panics and returns only
// non-empty commands with increasing line numbers.
func FuzzScriptLines(f *testing.F) {
	for _, s := range []string{"# comment\naws sts get-caller-identity\n", "aws cloudtrail lookup-events \\\n  --max-items 1\n", "! aws sts bogus\n", "echo 'a\nb'\n", "a # b\n\n\nc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines, err := ScriptLines(s)
		if err != nil {
			return
		}
		last := 0
		for _, l := range lines {
			if strings.TrimSpace(l.Text) == "" || l.Line <= last {
				t.Fatalf("%q: bad line %+v", s, l)
			}
			last = l.Line
		}
	})
}

// FuzzParseDuration checks that ParseDuration never panics and returns a
// duration between 0 and 100 years.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90s", "5m", "2h", "3d", "1h30m", "1d2h3m4s", "", "1x", "36500d", "99999999999999999999d", "36500d23h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 || d > 100*365*24*time.Hour {
			t.Fatalf("%q: %v", s, d)
		}
	})
}

// FuzzAWSCommand runs arbitrary `aws` command lines against a fresh world:
// every outcome is an exit status and a message, never an internal error.
func FuzzAWSCommand(f *testing.F) {
	for _, s := range []string{
		"sts get-caller-identity --output table",
		"cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=x --max-items 1",
		"cloudtrail lookup-events --starting-token eyJOZXh0VG9rZW4iOiBudWxsfQ== --page-size 2",
		"cloudtrail lookup-events --cli-input-json '{\"MaxResults\": 1}' --query 'Events[].{a: EventId}'",
		"cloudtrail lookup-events --max-results=-1 --no-paginate",
		"cloudtrail lookup-events --generate-cli-skeleton output --output text",
		"lambda invoke --function-name f --payload e30= /dev/stdout",
		"--cli-binary-format raw-in-base64-out lambda invoke --function-name f --payload '{}' out.json",
		"lambda create-function --function-name f --role r --zip-file fileb://x --code S3Bucket=b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args, err := SplitLine(line)
		if err != nil || len(line) > 2000 {
			return
		}
		w, err := world.New(world.Config{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		var out, errb strings.Builder
		s := &Session{World: w, Env: &Env{Stdout: &out, Stderr: &errb, FS: mapFS{"x": "{}"}}}
		s.Exec(append([]string{"aws"}, args...))
		if strings.Contains(errb.String(), "internal error") {
			t.Fatalf("%q: %s", line, errb.String())
		}
	})
}

// FuzzB64Decode checks the port of Python's lenient base64.b64decode: never
// a panic, an error of the CLI's kind, and what Go's strict decoder accepts
// decodes to the same bytes.
func FuzzB64Decode(f *testing.F) {
	for _, s := range []string{"eyJhIjoxfQ==", "e30=", "QQ", "QQ=", "QQ==x", "a b\nc=d", "{\"a\":1}", "héllo", "====", "QUJD=QUJD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := pyB64Decode(s)
		b2, err2 := pyB64Decode(s)
		if (err == nil) != (err2 == nil) || !bytes.Equal(b, b2) {
			t.Fatalf("%q: not deterministic", s)
		}
		if err != nil {
			if _, ok := err.(*paramErr); !ok {
				t.Fatalf("%q: unexpected error type %T", s, err)
			}
			return
		}
		if len(b) > len(s)*3/4+3 {
			t.Fatalf("%q: %d bytes from %d characters", s, len(b), len(s))
		}
		if want, e := base64.StdEncoding.DecodeString(s); e == nil && !bytes.Equal(want, b) {
			t.Fatalf("%q: got %x, want %x", s, b, want)
		}
	})
}
