package alarms

import (
	"time"

	"github.com/telltale-dev/telltale/core/store"
)

// Actions suppression of composite alarms (spec 4.6). While the suppressor
// alarm is in ALARM the composite's actions are suppressed ("Alarm"). When
// the composite changes state a WaitPeriod starts; if the suppressor reaches
// ALARM inside it, suppression by the alarm starts, otherwise the actions of
// the composite's current state run when it ends. When the suppressor leaves
// ALARM an ExtensionPeriod starts; the actions run when it ends. A state
// change during a period starts a new WaitPeriod. Periods are clock jobs,
// re-created from the store (SuppressedUntil) when the service is built.

const (
	byWait      = "WaitPeriod"
	byExtension = "ExtensionPeriod"
	byAlarm     = "Alarm"
)

func suppressedReason(by string) string {
	switch by {
	case byAlarm:
		return "Actions suppressed by the suppressor alarm"
	}
	return "Actions suppressed by " + by
}

// suppressorState is the state of a composite's suppressor alarm ("" if it
// does not exist).
func (s *Service) suppressorState(c *alarm) string {
	if x, ok := s.load(s.nameOf(c.ActionsSuppressor)); ok {
		return x.StateValue
	}
	return ""
}

// setSuppression records a composite's suppression and schedules the end of
// a wait or extension period.
func (s *Service) setSuppression(c *alarm, by string, until time.Time) {
	c.ActionsSuppressedBy = by
	c.ActionsSuppressedReason = ""
	if by != "" {
		c.ActionsSuppressedReason = suppressedReason(by)
	}
	c.SuppressedUntil = time.Time{}
	c.SuppressGen++
	if by == byWait || by == byExtension {
		c.SuppressedUntil = until
	}
	s.d.Store.Update(func(tx *store.Tx) error { return s.putAlarm(tx, c) })
	if !c.SuppressedUntil.IsZero() {
		s.schedulePeriodEnd(c.AlarmName, c.SuppressGen, c.SuppressedUntil)
	}
}

func (s *Service) schedulePeriodEnd(name string, gen int64, at time.Time) {
	s.d.Clock.Schedule(at, "cloudwatch alarm "+name+" actions period", func(t time.Time) {
		c, ok := s.load(name)
		if !ok || c.Type != typeComposite || c.SuppressGen != gen || c.SuppressedUntil.IsZero() {
			return
		}
		old := c.SuppressedOld
		s.setSuppression(c, "", time.Time{})
		if c.ActionsEnabled {
			s.runActions(c, old, t)
		}
	})
}

// compositeActions runs or suppresses the actions of a composite alarm that
// just changed state.
func (s *Service) compositeActions(c *alarm, oldState string, at time.Time) {
	if c.ActionsSuppressor == "" {
		s.runActions(c, oldState, at)
		return
	}
	c.SuppressedOld = oldState
	if s.suppressorState(c) == StateAlarm {
		s.setSuppression(c, byAlarm, time.Time{})
		return
	}
	var wait int64
	if c.ActionsSuppressorWaitPeriod != nil {
		wait = *c.ActionsSuppressorWaitPeriod
	}
	s.setSuppression(c, byWait, at.Add(time.Duration(wait)*time.Second))
}

// suppressorChanged updates the composites whose suppressor is a.
// all are the stored alarms, shared with the cache.
func (s *Service) suppressorChanged(all []*alarm, a *alarm, at time.Time) {
	for _, c := range all {
		if c.Type != typeComposite || c.ActionsSuppressor == "" || s.nameOf(c.ActionsSuppressor) != a.AlarmName {
			continue
		}
		c = c.clone()
		switch {
		case a.StateValue == StateAlarm && c.ActionsSuppressedBy != byAlarm:
			s.setSuppression(c, byAlarm, time.Time{})
		case a.StateValue != StateAlarm && c.ActionsSuppressedBy == byAlarm:
			var ext int64
			if c.ActionsSuppressorExtensionPeriod != nil {
				ext = *c.ActionsSuppressorExtensionPeriod
			}
			s.setSuppression(c, byExtension, at.Add(time.Duration(ext)*time.Second))
		}
	}
}

// rescheduleSuppression re-creates the period jobs of stored composites.
func (s *Service) rescheduleSuppression() {
	for _, c := range s.all() {
		if c.Type == typeComposite && !c.SuppressedUntil.IsZero() {
			s.schedulePeriodEnd(c.AlarmName, c.SuppressGen, c.SuppressedUntil)
		}
	}
}
