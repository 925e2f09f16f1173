package alarms

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/store"
)

// fill sets every field v reaches to a non-zero value, allocating pointers
// and two-element slices.
func fill(v reflect.Value, seed *int) {
	*seed++
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			fill(v.Index(i), seed)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, seed)
		fill(e, seed)
		v.SetMapIndex(k, e)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(int64(*seed), 0).UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), seed)
		}
	case reflect.String:
		v.SetString("s" + string(rune('a'+*seed%26)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*seed))
	case reflect.Float64:
		v.SetFloat(float64(*seed) + 0.5)
	}
}

// mutate changes every leaf v reaches in place, through its pointers,
// slices and maps.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			mutate(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			mutate(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			mutate(e)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			mutate(v.Field(i))
		}
	case reflect.String:
		v.SetString(v.String() + "!")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(v.Int() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float() + 1)
	}
}

// TestAlarmCloneIsDeep: a clone equals its alarm and shares nothing with it,
// for every field the alarm has (a field added later that clone does not
// copy fails here).
func TestAlarmCloneIsDeep(t *testing.T) {
	var a alarm
	seed := 0
	fill(reflect.ValueOf(&a).Elem(), &seed)
	before, _ := json.Marshal(&a)
	c := a.clone()
	if !reflect.DeepEqual(&a, c) {
		t.Fatalf("clone differs:\n%+v\n%+v", a, *c)
	}
	mutate(reflect.ValueOf(c).Elem())
	if after, _ := json.Marshal(&a); string(after) != string(before) {
		t.Fatalf("changing the clone changed the alarm:\n%s\n%s", before, after)
	}
}

func newCacheService(t *testing.T) (*Service, *store.Store) {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := clock.New(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	return New(Deps{Store: st, Clock: c, Account: "123456789012", Region: "us-east-1"}), st
}

// TestAlarmCacheFollowsStore: what load and all return is always what the
// store holds, after a put, a change of the stored value behind the
// service's back (as a restore would), a failed transaction and a delete;
// and changing what load returned changes neither the store nor the next
// load.
func TestAlarmCacheFollowsStore(t *testing.T) {
	s, st := newCacheService(t)
	a := &alarm{Type: typeMetric, AlarmName: "a", StateValue: StateOK, OKActions: []string{"x"}}
	if err := s.save(a); err != nil {
		t.Fatal(err)
	}
	stateOf := func() string {
		t.Helper()
		got, ok := s.load("a")
		if !ok {
			return "(none)"
		}
		all := s.all()
		if len(all) != 1 || all[0].StateValue != got.StateValue {
			t.Fatalf("all disagrees with load: %+v", all)
		}
		return got.StateValue
	}
	if got := stateOf(); got != StateOK {
		t.Fatalf("after put: %s", got)
	}
	// A caller changing its copy.
	x, _ := s.load("a")
	x.StateValue = StateAlarm
	x.OKActions[0] = "changed"
	if y, _ := s.load("a"); y.StateValue != StateOK || y.OKActions[0] != "x" {
		t.Fatalf("a caller's change leaked into the cache: %+v", y)
	}
	// Put again.
	a.StateValue = StateInsufficient
	if err := s.save(a); err != nil {
		t.Fatal(err)
	}
	if got := stateOf(); got != StateInsufficient {
		t.Fatalf("after put again: %s", got)
	}
	// Another value stored directly (a restore loads the store this way).
	raw := `{"Type":"MetricAlarm","AlarmName":"a","StateValue":"ALARM"}`
	if err := st.Update(func(tx *store.Tx) error { _, _, err := tx.Set(alarmPrefix+"a", raw, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if got := stateOf(); got != StateAlarm {
		t.Fatalf("after a direct store write: %s", got)
	}
	// A put in a transaction that fails is rolled back.
	a.StateValue = StateOK
	err := st.Update(func(tx *store.Tx) error {
		if err := s.putAlarm(tx, a); err != nil {
			return err
		}
		return errors.New("fail")
	})
	if err == nil {
		t.Fatal("the transaction should fail")
	}
	if got := stateOf(); got != StateAlarm {
		t.Fatalf("after a rolled back put: %s", got)
	}
	// Delete.
	if err := st.Update(func(tx *store.Tx) error { _, err := tx.Delete(alarmPrefix + "a"); return err }); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.load("a"); ok || len(s.all()) != 0 {
		t.Fatal("a deleted alarm is still loaded")
	}
	// Put again after the delete.
	if err := s.save(a); err != nil {
		t.Fatal(err)
	}
	if got := stateOf(); got != StateOK {
		t.Fatalf("after put after delete: %s", got)
	}
}

// TestRuleCache: a composite's rule is parsed from its text, so a changed
// rule gives a new parse.
func TestRuleCache(t *testing.T) {
	s, _ := newCacheService(t)
	r1, err := s.rule("ALARM(a) OR ALARM(b)")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := s.rule("ALARM(c)")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r1.Children, []string{"a", "b"}) || !reflect.DeepEqual(r2.Children, []string{"c"}) {
		t.Fatalf("children %v %v", r1.Children, r2.Children)
	}
	if _, err := s.rule("ALARM("); err == nil {
		t.Fatal("a bad rule parses")
	}
}
