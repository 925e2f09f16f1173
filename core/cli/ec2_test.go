package cli

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/core/world"
)

func TestAddCount(t *testing.T) {
	for _, c := range []struct {
		in       string
		min, max int64
		bad      bool
	}{
		{"1", 1, 1, false}, {"2:5", 2, 5, false}, {" 3 : 4 ", 3, 4, false}, {"1_0", 10, 10, false},
		{"x", 0, 0, true}, {"1:2:3", 0, 0, true}, {":", 0, 0, true}, {"", 0, 0, true}, {"1:", 0, 0, true},
	} {
		p := newDict()
		err := addCount(p, c.in)
		if (err != nil) != c.bad {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if c.bad {
			if err.Error() != "count parameter should be of form min[:max] (e.g. 1 or 1:10)" {
				t.Errorf("%q: message %q", c.in, err)
			}
			continue
		}
		lo, _ := p.get("MinCount")
		hi, _ := p.get("MaxCount")
		if lo.(*big.Int).Int64() != c.min || hi.(*big.Int).Int64() != c.max {
			t.Errorf("%q: %v %v", c.in, lo, hi)
		}
	}
}

// FuzzEC2Count throws arbitrary --count values at run-instances' count
// argument: a count or the CLI's error, never a panic.
func FuzzEC2Count(f *testing.F) {
	for _, s := range []string{"1", "2:5", "x", "1:2:3", " 7 ", "-1", "1_000", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := newDict()
		if err := addCount(p, s); err == nil {
			if _, ok := p.get("MinCount"); !ok {
				t.Fatalf("%q: no MinCount", s)
			}
		}
	})
}

// FuzzEC2Load throws arbitrary arguments at `telltale ec2 load`: an exit
// code, never a panic.
func FuzzEC2Load(f *testing.F) {
	for _, s := range []string{"load --instance-id i-0123456789abcdef0 --cpu 95 --for 15m", "load --cpu=x", "load --auto-scaling-group-name g --mem 90", "load --for", "nope"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := world.New(world.Config{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		var out, errb bytes.Buffer
		sess := &Session{World: w, Env: &Env{Stdout: &out, Stderr: &errb}}
		code := sess.Exec(append([]string{"ec2"}, strings.Fields(s)...))
		if code == ExitOK && out.Len() == 0 {
			t.Fatalf("%q: success without output", s)
		}
		_ = fmt.Sprint(code)
	})
}
