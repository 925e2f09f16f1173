package store

import (
	"encoding/json"
	"testing"
	"time"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPrefixOrder(t *testing.T) {
	s := open(t)
	err := s.Update(func(tx *Tx) error {
		for _, k := range []string{"a/x/2", "a/x/1", "a/y/1", "a/x/3", "b/x/1", "a/w"} {
			if _, _, err := tx.Set(k, k, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var asc, desc []string
	s.View(func(tx *Tx) error {
		Prefix(tx, "a/x/", func(k, _ string) bool { asc = append(asc, k); return true })
		PrefixDesc(tx, "a/x/", func(k, _ string) bool { desc = append(desc, k); return true })
		return nil
	})
	if got, want := join(asc), "a/x/1 a/x/2 a/x/3"; got != want {
		t.Errorf("asc = %s, want %s", got, want)
	}
	if got, want := join(desc), "a/x/3 a/x/2 a/x/1"; got != want {
		t.Errorf("desc = %s, want %s", got, want)
	}
}

func join(a []string) string {
	s := ""
	for i, x := range a {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s
}

func TestDumpLoadRoundTrip(t *testing.T) {
	s := open(t)
	s.Update(func(tx *Tx) error {
		SetJSON(tx, "svc/k/2", map[string]int{"n": 2})
		SetJSON(tx, "svc/k/1", map[string]int{"n": 1})
		return nil
	})
	pairs, err := s.Dump()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(pairs)
	if string(b) != `[["svc/k/1","{\"n\":1}"],["svc/k/2","{\"n\":2}"]]` {
		t.Fatalf("dump = %s", b)
	}
	var back []Pair
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	s2 := open(t)
	if err := s2.Load(back); err != nil {
		t.Fatal(err)
	}
	var v map[string]int
	s2.View(func(tx *Tx) error { return GetJSON(tx, "svc/k/2", &v) })
	if v["n"] != 2 {
		t.Fatalf("loaded %v", v)
	}
}

func TestTimeKeyOrders(t *testing.T) {
	a := TimeKey(time.Date(2026, 1, 1, 0, 0, 0, 5, time.UTC))
	b := TimeKey(time.Date(2026, 1, 1, 0, 0, 0, 50, time.UTC))
	if !(a < b) {
		t.Fatalf("%s !< %s", a, b)
	}
}
