package world_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// step is one line of the determinism script: an API call or a clock move.
type step struct {
	service, op, input string
	advance            time.Duration
	snapshotRestore    bool // replace the world by a restore of its snapshot
}

var script = []step{
	{service: "sts", op: "GetCallerIdentity"},
	{advance: 5 * time.Minute},
	{service: "sts", op: "GetCallerIdentity"},
	{service: "cloudtrail", op: "LookupEvents", input: `{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"GetCallerIdentity"}]}`},
	{service: "cloudtrail", op: "LookupEvents", input: `{"LookupAttributes":[{"AttributeKey":"Bogus","AttributeValue":"x"}]}`},
	{service: "cloudtrail", op: "LookupEvents", input: `{"MaxResults":100}`},
	{advance: time.Hour},
	{snapshotRestore: true},
	{service: "cloudtrail", op: "LookupEvents", input: `{"MaxResults":2,"LookupAttributes":[{"AttributeKey":"ReadOnly","AttributeValue":"true"}]}`},
	{advance: 91 * 24 * time.Hour},
	{service: "sts", op: "GetCallerIdentity"},
	{service: "cloudtrail", op: "LookupEvents", input: `{"StartTime":"2026-01-01T00:00:00Z","EndTime":1900000000}`},
	{service: "cloudtrail", op: "LookupEvents", input: `{"StartTime":1900000000,"EndTime":1800000000}`},
}

// runScript runs the script on a fresh world and returns the transcript: every
// response or error, then the final snapshot.
func runScript(t *testing.T) []byte {
	t.Helper()
	w, err := world.New(world.Config{Seed: 7, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { w.Close() }()
	var out bytes.Buffer
	for i, s := range script {
		switch {
		case s.advance > 0:
			if _, err := w.Advance(s.advance); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "%02d advance %s -> %s\n", i, s.advance, w.Now().Format(time.RFC3339))
		case s.snapshotRestore:
			snap, err := w.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			r, err := world.Restore(snap)
			if err != nil {
				t.Fatal(err)
			}
			w.Close()
			w = r
			fmt.Fprintf(&out, "%02d snapshot and restore (%d bytes)\n", i, len(snap))
		default:
			resp, err := w.Invoke(world.Request{Service: s.service, Operation: s.op, Input: []byte(s.input)})
			fmt.Fprintf(&out, "%02d %s %s %s\n", i, s.service, s.op, s.input)
			if err != nil {
				fmt.Fprintf(&out, "   error: %v\n", err)
				continue
			}
			b, err := json.MarshalIndent(resp, "   ", " ")
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "   %s\n", b)
		}
	}
	snap, err := w.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	out.WriteString("snapshot:\n")
	out.Write(snap)
	return out.Bytes()
}

// TestDeterminism runs the same script twice and compares both transcripts
// with each other and with testdata/determinism.golden. The golden file is
// shared by the native and the js/wasm runs, so both must give the same bytes.
func TestDeterminism(t *testing.T) {
	a := runScript(t)
	b := runScript(t)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs of the same script differ")
	}
	golden := filepath.Join("testdata", "determinism.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, a, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(a, want) {
		t.Errorf("transcript differs from %s (run go test -update after checking the change):\n%s", golden, firstDiff(a, want))
	}
}

func firstDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y []byte
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if !bytes.Equal(x, y) {
			return fmt.Sprintf("line %d\n got: %s\nwant: %s", i+1, x, y)
		}
	}
	return "(no line differs)"
}
