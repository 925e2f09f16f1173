package world_test

import (
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

func BenchmarkInvokeGetCallerIdentity(b *testing.B) {
	w := newWorld(b)
	req := world.Request{Service: "sts", Operation: "GetCallerIdentity"}
	for b.Loop() {
		if _, err := w.Invoke(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshotRestore snapshots a world holding 100 recorded calls and
// restores it.
func BenchmarkSnapshotRestore(b *testing.B) {
	w := newWorld(b)
	for i := 0; i < 100; i++ {
		w.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity"})
		w.Advance(time.Minute)
	}
	for b.Loop() {
		snap, err := w.Snapshot()
		if err != nil {
			b.Fatal(err)
		}
		r, err := world.Restore(snap)
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// FuzzRestore: any document restores or gives an error, never a panic; a
// restored world snapshots again.
func FuzzRestore(f *testing.F) {
	w, err := world.New(world.Config{Seed: 1, Start: start})
	if err != nil {
		f.Fatal(err)
	}
	w.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity"})
	good, err := w.Snapshot()
	w.Close()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(`{"format":"telltale-world","version":2}`))
	f.Add([]byte(`{"format":"telltale-world","version":1,"account":"123456789012","region":"r","now":"0001-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"format":"telltale-world","version":1,"account":"123456789012","region":"r","now":"9999-12-31T23:59:59Z","store":[["cloudtrail/event/x/1","{"]]}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := world.Restore(b)
		if err != nil {
			return
		}
		defer r.Close()
		if _, err := r.Snapshot(); err != nil {
			t.Fatalf("a restored world does not snapshot: %v", err)
		}
		// The restored world answers calls, whatever its store holds.
		r.Invoke(world.Request{Service: "cloudtrail", Operation: "LookupEvents"})
	})
}
