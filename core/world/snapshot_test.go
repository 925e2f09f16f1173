package world_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

func TestSnapshotRoundTrip(t *testing.T) {
	w := newWorld(t)
	for i := 0; i < 3; i++ {
		if _, err := w.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity"}); err != nil {
			t.Fatal(err)
		}
		w.Advance(time.Minute)
	}
	w.Invoke(world.Request{Service: "cloudtrail", Operation: "LookupEvents", Input: []byte(`{"MaxResults":0}`)})
	snap, err := w.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := w.Snapshot()
	if !bytes.Equal(snap, again) {
		t.Fatal("two snapshots of the same world differ")
	}
	r, err := world.Restore(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	snap2, err := r.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(snap, snap2) {
		t.Fatalf("restored snapshot differs:\n%s\n---\n%s", snap, snap2)
	}
	// The restored world goes on exactly as the original does.
	for _, x := range []*world.World{w, r} {
		x.Advance(time.Hour)
		x.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity"})
	}
	a, _ := w.Snapshot()
	b, _ := r.Snapshot()
	if !bytes.Equal(a, b) {
		t.Fatal("the original and the restored world diverged")
	}
	if r.Identity() != w.Identity() || r.Seed() != w.Seed() || !r.Now().Equal(w.Now()) {
		t.Error("identity, seed or clock not restored")
	}
}

func TestRestoreErrors(t *testing.T) {
	w := newWorld(t)
	w.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity"})
	good, err := w.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(fn func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		fn(m)
		b, _ := json.Marshal(m)
		return b
	}
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"empty", nil, "the file is empty"},
		{"blank", []byte(" \n\t"), "the file is empty"},
		{"truncated", good[:len(good)/2], "the document is truncated"},
		{"truncated at start", good[:1], "the document is truncated"},
		{"corrupt", append([]byte("{\"format\": x"), good[12:]...), "invalid JSON at byte"},
		{"not an object", []byte(`[1,2,3]`), "cannot unmarshal array"},
		{"trailing garbage", append(append([]byte{}, good...), []byte("}")...), "unexpected data after the document"},
		{"two documents", append(append([]byte{}, good...), good...), "unexpected data after the document"},
		{"newer version", edit(func(m map[string]any) { m["version"] = 99 }), "saved by a newer version of Telltale (format version 99; this one reads 1)"},
		{"newer version with new fields", edit(func(m map[string]any) { m["version"] = 2; m["newThing"] = true }), "saved by a newer version of Telltale (format version 2"},
		{"version zero", edit(func(m map[string]any) { m["version"] = 0 }), "unknown format version 0"},
		{"wrong format", edit(func(m map[string]any) { m["format"] = "something-else" }), `its format is "something-else", not "telltale-world"`},
		{"no format", []byte(`{"version":1}`), `its format is "", not "telltale-world"`},
		{"unknown field", edit(func(m map[string]any) { m["extra"] = 1 }), `unknown field "extra"`},
		{"bad account", edit(func(m map[string]any) { m["account"] = "abc" }), `bad account id "abc"`},
		{"no region", edit(func(m map[string]any) { m["region"] = "" }), "no region"},
		{"no clock", edit(func(m map[string]any) { delete(m, "now") }), "no clock time"},
		{"bad clock", edit(func(m map[string]any) { m["now"] = "yesterday" }), "cannot parse"},
		{"bad pair", edit(func(m map[string]any) { m["store"] = []any{[]any{"k"}} }), "a stored pair must be [key, value]"},
		{"empty key", edit(func(m map[string]any) { m["store"] = []any{[]any{"", "v"}} }), "empty key"},
		{"wrong type", edit(func(m map[string]any) { m["seed"] = "x" }), "cannot unmarshal string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := world.Restore(tt.doc)
			if err == nil {
				r.Close()
				t.Fatal("no error")
			}
			if !errors.Is(err, world.ErrSnapshot) {
				t.Errorf("error %v does not wrap ErrSnapshot", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}
