package app

import (
	"errors"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

// Speeds are the play speeds of the clock bar: virtual seconds per real second.
var Speeds = []int{1, 10, 60, 600}

// Steps are the "advance by" buttons of the clock bar.
var Steps = []struct {
	Label string
	D     time.Duration
}{{"1m", time.Minute}, {"5m", 5 * time.Minute}, {"1h", time.Hour}, {"1d", 24 * time.Hour}}

// MaxTick is the longest real interval one play tick accounts for: a tab the
// browser put to sleep does not come back to a huge jump of the clock.
const MaxTick = 2 * time.Second

// ClockState is the clock bar's state.
type ClockState struct {
	Playing bool
	Speed   int // one of Speeds
	// Notices are the notable things of the last clock move, newest last.
	Notices []world.Notice
	adv     *advance
	gen     int           // the play loop that may run; older loops stop
	carry   time.Duration // virtual time owed by play ticks shorter than a millisecond
}

// advance is a move of the clock in progress, made in steps.
type advance struct {
	from, to time.Time
	notices  []world.Notice
}

// ErrBusy is returned when the clock is already moving.
var ErrBusy = errors.New("the clock is already moving")

// SetSpeed sets the play speed; a speed not in Speeds is ignored.
func (s *Session) SetSpeed(n int) {
	for _, v := range Speeds {
		if v == n {
			s.Clock.Speed = n
		}
	}
}

// SetPlaying starts or stops the clock; stopping saves the world.
func (s *Session) SetPlaying(on bool) {
	s.Clock.Playing = on && s.world != nil
	s.Clock.carry = 0
	if !on {
		s.Save()
	}
}

// Tick moves a playing clock by real × speed. It saves at most every few
// seconds of play (saveNow), and always when play stops.
func (s *Session) Tick(real time.Duration, saveNow bool) error {
	if !s.Clock.Playing || s.world == nil || s.Clock.adv != nil {
		return nil
	}
	if real > MaxTick {
		real = MaxTick
	}
	if real < 0 {
		real = 0
	}
	d := real*time.Duration(s.Clock.Speed) + s.Clock.carry
	s.Clock.carry = d % time.Millisecond
	d -= s.Clock.carry
	if d == 0 {
		return nil
	}
	n, err := s.world.Advance(d)
	s.note(n)
	s.afterClock(false)
	if saveNow {
		s.Save()
	}
	return err
}

func (s *Session) note(n []world.Notice) {
	if len(n) == 0 {
		return
	}
	s.Clock.Notices = append(s.Clock.Notices, n...)
	if k := len(s.Clock.Notices) - 50; k > 0 {
		s.Clock.Notices = s.Clock.Notices[k:]
	}
}

// StartAdvance begins moving the clock forward by d. The move is made by
// Step, in as many calls as it needs, so that the page stays responsive.
func (s *Session) StartAdvance(d time.Duration) error {
	if s.world == nil {
		return s.Broken()
	}
	if s.Clock.adv != nil {
		return ErrBusy
	}
	if d <= 0 {
		return nil
	}
	now := s.world.Now()
	s.Clock.adv = &advance{from: now, to: now.Add(d)}
	return nil
}

// Advancing reports whether a move of the clock is in progress.
func (s *Session) Advancing() bool { return s.Clock.adv != nil }

// Progress returns how far the move in progress is, from 0 to 1.
func (s *Session) Progress() float64 {
	a := s.Clock.adv
	if a == nil || s.world == nil || !a.to.After(a.from) {
		return 1
	}
	return float64(s.world.Now().Sub(a.from)) / float64(a.to.Sub(a.from))
}

// Step runs the move in progress up to its end, one scheduled instant at a
// time, until enough reports true (checked after each instant). It returns
// true when the move is finished, and then saves the world.
func (s *Session) Step(enough func() bool) (done bool, err error) {
	a := s.Clock.adv
	if a == nil || s.world == nil {
		return true, nil
	}
	finish := func(err error) (bool, error) {
		s.Clock.adv = nil
		s.note(a.notices)
		s.afterClock(true)
		s.Save()
		return true, err
	}
	for {
		if s.world.Now().After(a.to) { // the terminal moved the clock past the end
			return finish(nil)
		}
		next, ok := s.world.NextDue()
		if !ok || next.After(a.to) {
			n, err := s.world.AdvanceTo(a.to)
			a.notices = append(a.notices, n...)
			return finish(err)
		}
		if now := s.world.Now(); next.Before(now) {
			next = now
		}
		n, err := s.world.AdvanceTo(next)
		a.notices = append(a.notices, n...)
		if err != nil {
			return finish(err)
		}
		s.afterClock(false)
		if enough() {
			return false, nil
		}
	}
}
