// Package store holds all the state of one world in one in-memory buntdb
// database.
//
// Key layout. Every key starts with the service that owns it, then the kind of
// record, then the record's identity, separated by slashes:
//
//	<service>/<kind>/<id...>
//
// for example cloudtrail/event/<eventTime>/<seq>. Values are JSON documents.
// Keys are ordered byte-wise, so a record kind that is read in time order puts a
// fixed-width timestamp (see TimeKey) first in its id. Services own their
// prefixes and never read another service's keys; world wires services through
// interfaces instead.
//
// A Store is safe for concurrent use as buntdb is, but the core calls it from one
// goroutine only.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
)

// ErrNotFound is returned by Get for a key that is not stored.
var ErrNotFound = buntdb.ErrNotFound

// Store is the database of a world.
type Store struct {
	db *buntdb.DB
}

// Tx is a transaction on the store.
type Tx = buntdb.Tx

// Open returns an empty in-memory store. Close it when the world is dropped:
// buntdb keeps a background ticker per database.
func Open() (*Store, error) {
	db, err := buntdb.Open(":memory:")
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// Never let buntdb decide when to shrink or sync: a memory database has
	// nothing to sync, and no wall-clock driven behaviour belongs in a world.
	if err := db.SetConfig(buntdb.Config{SyncPolicy: buntdb.Never, AutoShrinkDisabled: true}); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &Store{db: db}, nil
}

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(tx *Tx) error) error { return s.db.View(fn) }

// Update runs fn in a read-write transaction; an error from fn rolls it back.
func (s *Store) Update(fn func(tx *Tx) error) error { return s.db.Update(fn) }

// CreateIndex adds an index over the keys matching pattern (buntdb's glob), with
// values ordered by less (buntdb.IndexString and friends). Indexes are not part
// of a snapshot: services create them when they are built.
func (s *Store) CreateIndex(name, pattern string, less ...func(a, b string) bool) error {
	return s.db.CreateIndex(name, pattern, less...)
}

// GetJSON decodes the value stored at key into v. It returns ErrNotFound for a
// missing key.
func GetJSON(tx *Tx, key string, v any) error {
	s, err := tx.Get(key)
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(s), v)
}

// SetJSON stores v, encoded as JSON, at key.
func SetJSON(tx *Tx, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s: %w", key, err)
	}
	_, _, err = tx.Set(key, string(b), nil)
	return err
}

// Exists reports whether key is stored.
func Exists(tx *Tx, key string) bool {
	_, err := tx.Get(key)
	return err == nil
}

// Prefix iterates over the keys that start with prefix, in key order, until fn
// returns false.
func Prefix(tx *Tx, prefix string, fn func(key, value string) bool) error {
	return tx.AscendGreaterOrEqual("", prefix, func(k, v string) bool {
		if !strings.HasPrefix(k, prefix) {
			return false
		}
		return fn(k, v)
	})
}

// PrefixDesc iterates over the keys that start with prefix, in reverse key
// order, until fn returns false.
func PrefixDesc(tx *Tx, prefix string, fn func(key, value string) bool) error {
	return tx.DescendLessOrEqual("", prefix+"\xff", func(k, v string) bool {
		if !strings.HasPrefix(k, prefix) {
			return k > prefix
		}
		return fn(k, v)
	})
}

// TimeKey formats t for use in a key: fixed width, so that byte order is time
// order (years 0000 to 9999).
func TimeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// Pair is one stored key and its value.
type Pair struct {
	Key   string
	Value string
}

// MarshalJSON writes the pair as a two-element array.
func (p Pair) MarshalJSON() ([]byte, error) { return json.Marshal([2]string{p.Key, p.Value}) }

// UnmarshalJSON reads a two-element array.
func (p *Pair) UnmarshalJSON(b []byte) error {
	var a []string
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	if len(a) != 2 {
		return errors.New("store: a stored pair must be [key, value]")
	}
	p.Key, p.Value = a[0], a[1]
	return nil
}

// Dump returns every stored pair in key order.
func (s *Store) Dump() ([]Pair, error) {
	var out []Pair
	err := s.db.View(func(tx *Tx) error {
		return tx.Ascend("", func(k, v string) bool {
			out = append(out, Pair{k, v})
			return true
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, err
}

// Load stores pairs in one transaction. It is meant for an empty store, when a
// world is restored.
func (s *Store) Load(pairs []Pair) error {
	return s.db.Update(func(tx *Tx) error {
		for _, p := range pairs {
			if p.Key == "" {
				return errors.New("store: empty key")
			}
			if _, _, err := tx.Set(p.Key, p.Value, nil); err != nil {
				return err
			}
		}
		return nil
	})
}
