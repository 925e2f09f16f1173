package clock

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)

func TestRunOrder(t *testing.T) {
	c := New(t0)
	var got []string
	log := func(s string) Job {
		return func(at time.Time) { got = append(got, s+"@"+at.Sub(t0).String()) }
	}
	c.Schedule(t0.Add(2*time.Minute), "b", log("b"))
	c.Schedule(t0.Add(time.Minute), "a", log("a"))
	c.Schedule(t0.Add(2*time.Minute), "c", log("c")) // same instant as b, scheduled later
	id := c.Schedule(t0.Add(3*time.Minute), "x", log("x"))
	c.Cancel(id)
	c.Every(t0.Add(30*time.Second), time.Minute, "tick", log("tick"))
	if err := c.Advance(150 * time.Second); err != nil {
		t.Fatal(err)
	}
	want := "tick@30s a@1m0s tick@1m30s b@2m0s c@2m0s tick@2m30s" // due at the new instant: runs
	if s := strings.Join(got, " "); s != want {
		t.Fatalf("run order\n got %s\nwant %s", s, want)
	}
	if !c.Now().Equal(t0.Add(150 * time.Second)) {
		t.Fatalf("now = %s", c.Now())
	}
}

func TestJobSchedulesJob(t *testing.T) {
	c := New(t0)
	var got []time.Duration
	c.Schedule(t0.Add(time.Second), "first", func(at time.Time) {
		got = append(got, at.Sub(t0))
		c.Schedule(at.Add(time.Second), "second", func(at time.Time) { got = append(got, at.Sub(t0)) })
	})
	if err := c.Advance(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1] != 2*time.Second {
		t.Fatalf("got %v", got)
	}
}

func TestBackwards(t *testing.T) {
	c := New(t0)
	if err := c.AdvanceTo(t0.Add(-time.Second)); !errors.Is(err, ErrBackwards) {
		t.Fatalf("err = %v", err)
	}
	if err := c.Advance(-time.Second); !errors.Is(err, ErrBackwards) {
		t.Fatalf("err = %v", err)
	}
	if !c.Now().Equal(t0) {
		t.Fatal("clock moved")
	}
	if err := c.AdvanceTo(t0); err != nil {
		t.Fatalf("advance to now: %v", err)
	}
}

func TestPendingAndNextDue(t *testing.T) {
	c := New(t0)
	if _, ok := c.NextDue(); ok {
		t.Fatal("empty clock has a due job")
	}
	c.Schedule(t0.Add(time.Hour), "late", func(time.Time) {})
	c.Schedule(t0.Add(time.Minute), "soon", func(time.Time) {})
	p := c.Pending()
	if len(p) != 2 || p[0].Name != "soon" || p[1].Name != "late" {
		t.Fatalf("pending = %+v", p)
	}
	if at, _ := c.NextDue(); !at.Equal(t0.Add(time.Minute)) {
		t.Fatalf("next due = %s", at)
	}
}
