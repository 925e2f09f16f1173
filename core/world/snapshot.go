package world

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// SnapshotFormat and SnapshotVersion identify a snapshot document. A world
// restores snapshots of its own version and refuses newer ones.
const (
	SnapshotFormat  = "telltale-world"
	SnapshotVersion = 1
)

// ErrSnapshot is wrapped by every error Restore returns.
var ErrSnapshot = errors.New("not a telltale world")

type snapshot struct {
	Format   string       `json:"format"`
	Version  int          `json:"version"`
	Account  string       `json:"account"`
	Region   string       `json:"region"`
	Seed     uint64       `json:"seed"`
	IDState  uint64       `json:"idState"`
	Now      time.Time    `json:"now"`
	ClockSeq uint64       `json:"clockSeq"`
	Identity api.Identity `json:"identity"`
	Store    []store.Pair `json:"store"`
}

// Snapshot returns the whole world (store, clock, id sequence, seed) as one
// versioned JSON document. The same world always gives the same bytes.
func (w *World) Snapshot() ([]byte, error) {
	pairs, err := w.store.Dump()
	if err != nil {
		return nil, err
	}
	if pairs == nil {
		pairs = []store.Pair{}
	}
	s := snapshot{
		Format: SnapshotFormat, Version: SnapshotVersion, Account: w.account, Region: w.region,
		Seed: w.ids.Seed(), IDState: w.ids.State(), Now: w.clock.Now(), ClockSeq: w.clock.Seq(),
		Identity: w.identity, Store: pairs,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Restore returns the world a snapshot holds. A document that is not a
// snapshot, is truncated or corrupt, or comes from a newer version is an error
// wrapping ErrSnapshot that says why.
func Restore(b []byte) (*World, error) {
	var s snapshot
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		var probe struct {
			Format  string `json:"format"`
			Version int    `json:"version"`
		}
		if json.Unmarshal(b, &probe) == nil && probe.Format == SnapshotFormat && probe.Version > SnapshotVersion {
			return nil, fmt.Errorf("%w: it was saved by a newer version of Telltale (format version %d; this one reads %d)", ErrSnapshot, probe.Version, SnapshotVersion)
		}
		return nil, fmt.Errorf("%w: %s", ErrSnapshot, describeJSONError(b, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: unexpected data after the document", ErrSnapshot)
	}
	switch {
	case s.Format != SnapshotFormat:
		return nil, fmt.Errorf("%w: its format is %q, not %q", ErrSnapshot, s.Format, SnapshotFormat)
	case s.Version > SnapshotVersion:
		return nil, fmt.Errorf("%w: it was saved by a newer version of Telltale (format version %d; this one reads %d)", ErrSnapshot, s.Version, SnapshotVersion)
	case s.Version < 1:
		return nil, fmt.Errorf("%w: unknown format version %d", ErrSnapshot, s.Version)
	case checkAccount(s.Account) != nil:
		return nil, fmt.Errorf("%w: bad account id %q", ErrSnapshot, s.Account)
	case s.Region == "":
		return nil, fmt.Errorf("%w: no region", ErrSnapshot)
	case s.Now.IsZero():
		return nil, fmt.Errorf("%w: no clock time", ErrSnapshot)
	}
	st, err := store.Open()
	if err != nil {
		return nil, err
	}
	if err := st.Load(s.Store); err != nil {
		st.Close()
		return nil, fmt.Errorf("%w: %v", ErrSnapshot, err)
	}
	c := clock.New(s.Now)
	c.SetSeq(s.ClockSeq)
	return build(s.Account, s.Region, s.Identity, c, st, ids.Restore(s.Seed, s.IDState))
}

func describeJSONError(b []byte, err error) string {
	var se *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		return "the file is empty"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || err.Error() == "unexpected EOF":
		return "the document is truncated"
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, err)
	}
	return err.Error()
}
