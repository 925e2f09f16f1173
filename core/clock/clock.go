// Package clock is the virtual clock of a world and its scheduler.
//
// Time in a world moves only when Advance, AdvanceTo or Set is called. Work that
// services schedule runs during those calls, in (time, sequence) order: a job due
// at the same instant as another runs after it when it was scheduled later. No
// goroutine, timer or wall-clock read is involved, so the same calls always give
// the same run order.
//
// A Clock is not safe for concurrent use.
package clock

import (
	"container/heap"
	"errors"
	"fmt"
	"time"
)

// ErrBackwards is returned when asked to move the clock to an earlier instant.
var ErrBackwards = errors.New("clock: the virtual clock cannot move backwards")

// Job is work scheduled on the clock. It runs with the clock set to its due
// instant, which it receives as at.
type Job func(at time.Time)

// JobID identifies a scheduled job, for Cancel.
type JobID uint64

// Clock is a virtual clock with a scheduler.
type Clock struct {
	now  time.Time
	seq  uint64
	jobs jobHeap
	live map[JobID]*entry
}

type entry struct {
	at     time.Time
	seq    uint64
	id     JobID
	every  time.Duration
	job    Job
	name   string
	index  int
	cancel bool
}

// New returns a clock that reads start (truncated to the millisecond, in UTC).
func New(start time.Time) *Clock {
	return &Clock{now: start.UTC().Truncate(time.Millisecond), live: map[JobID]*entry{}}
}

// Now returns the current virtual instant, in UTC.
func (c *Clock) Now() time.Time { return c.now }

// Seq returns the sequence counter of the scheduler, for snapshots.
func (c *Clock) Seq() uint64 { return c.seq }

// SetSeq restores the sequence counter, for snapshots.
func (c *Clock) SetSeq(s uint64) { c.seq = s }

// Schedule runs job once at the instant at (or at the next Advance if at is not
// after Now). name describes the job in Pending.
func (c *Clock) Schedule(at time.Time, name string, job Job) JobID {
	return c.add(at, 0, name, job)
}

// Every runs job at first and then every period after it, until cancelled.
// A period under one millisecond is raised to one millisecond.
func (c *Clock) Every(first time.Time, period time.Duration, name string, job Job) JobID {
	if period < time.Millisecond {
		period = time.Millisecond
	}
	return c.add(first, period, name, job)
}

func (c *Clock) add(at time.Time, every time.Duration, name string, job Job) JobID {
	c.seq++
	e := &entry{at: at.UTC(), seq: c.seq, id: JobID(c.seq), every: every, job: job, name: name}
	heap.Push(&c.jobs, e)
	c.live[e.id] = e
	return e.id
}

// Cancel removes a scheduled job. Cancelling a job that already ran (or an
// unknown id) does nothing.
func (c *Clock) Cancel(id JobID) {
	if e, ok := c.live[id]; ok {
		e.cancel = true
		delete(c.live, id)
	}
}

// NextDue returns the instant of the earliest pending job.
func (c *Clock) NextDue() (time.Time, bool) {
	for len(c.jobs) > 0 && c.jobs[0].cancel {
		heap.Pop(&c.jobs)
	}
	if len(c.jobs) == 0 {
		return time.Time{}, false
	}
	return c.jobs[0].at, true
}

// Pending returns the names and due instants of the pending jobs, in run order.
func (c *Clock) Pending() []Pending {
	var out []Pending
	cp := make(jobHeap, 0, len(c.jobs))
	for _, e := range c.jobs {
		if !e.cancel {
			cp = append(cp, &entry{at: e.at, seq: e.seq, name: e.name})
		}
	}
	heap.Init(&cp)
	for cp.Len() > 0 {
		e := heap.Pop(&cp).(*entry)
		out = append(out, Pending{At: e.at, Name: e.name})
	}
	return out
}

// Pending describes one scheduled job.
type Pending struct {
	At   time.Time
	Name string
}

// Advance moves the clock forward by d, running every job due up to and
// including the new instant. A negative d is ErrBackwards.
func (c *Clock) Advance(d time.Duration) error {
	if d < 0 {
		return ErrBackwards
	}
	return c.AdvanceTo(c.now.Add(d))
}

// AdvanceTo moves the clock forward to t, running every job due up to and
// including t in (time, sequence) order. Each job sees Now equal to its due
// instant. A t before Now is ErrBackwards and changes nothing.
func (c *Clock) AdvanceTo(t time.Time) error {
	t = t.UTC().Truncate(time.Millisecond)
	if t.Before(c.now) {
		return fmt.Errorf("%w (now %s, asked for %s)", ErrBackwards,
			c.now.Format(time.RFC3339), t.Format(time.RFC3339))
	}
	for {
		at, ok := c.NextDue()
		if !ok || at.After(t) {
			break
		}
		e := heap.Pop(&c.jobs).(*entry)
		if e.at.After(c.now) {
			c.now = e.at
		}
		if e.every > 0 {
			c.seq++
			next := &entry{at: e.at.Add(e.every), seq: c.seq, id: e.id, every: e.every, job: e.job, name: e.name}
			heap.Push(&c.jobs, next)
			c.live[e.id] = next
		} else {
			delete(c.live, e.id)
		}
		e.job(c.now)
	}
	c.now = t
	return nil
}

type jobHeap []*entry

func (h jobHeap) Len() int { return len(h) }
func (h jobHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h jobHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *jobHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *jobHeap) Pop() any {
	old := *h
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	return e
}
