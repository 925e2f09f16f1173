package alarms

import (
	"encoding/json"
	"slices"

	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

// The decoded-alarm cache. Every evaluation loads its alarm, and every state
// change looks through all alarms for the composites that watch it: decoding
// the stored JSON each time was most of the cost of a simulated day. The
// cache maps a stored value to its decoding, so it can never disagree with
// the store: a value is used only when it is byte for byte the one stored
// now (after a put, a delete, a failed transaction or a restore, a different
// or missing value simply misses). Callers of load and all get deep copies
// they may change; each only lends the cached alarms, read-only.

type cachedAlarm struct {
	key string // alarmPrefix + the name
	raw string
	a   *alarm
}

// maxCachedAlarms bounds the cache; it is emptied when it grows past this
// (alarms that no longer exist leave entries behind).
const maxCachedAlarms = 1 << 14

// decoded returns the decoding of raw, the stored value of the alarm named
// name, from the cache when it holds that very value. The result is shared:
// it must not be changed.
func (s *Service) decoded(name, raw string) (*alarm, bool) {
	if e, ok := s.cache[name]; ok && e.raw == raw {
		return e.a, true
	}
	var a alarm
	if json.Unmarshal([]byte(raw), &a) != nil {
		delete(s.cache, name)
		return nil, false
	}
	s.remember(name, raw, &a)
	return &a, true
}

// remember caches a, the decoding of raw (a must not be changed afterwards).
func (s *Service) remember(name, raw string, a *alarm) {
	if len(s.cache) >= maxCachedAlarms {
		clear(s.cache)
	}
	key := s.cache[name].key
	if key == "" {
		key = alarmPrefix + name
	}
	s.cache[name] = cachedAlarm{key: key, raw: raw, a: a}
}

// shared returns the stored alarm named name, shared with the cache: it must
// not be changed.
func (s *Service) shared(tx *store.Tx, name string) (*alarm, bool) {
	key := s.cache[name].key
	if key == "" {
		key = alarmPrefix + name
	}
	v, err := tx.Get(key)
	if err != nil {
		return nil, false
	}
	return s.decoded(name, v)
}

// each calls fn with every stored alarm in name order until it returns
// false. The alarms are shared with the cache: fn must not change them nor
// keep them.
func (s *Service) each(fn func(a *alarm) bool) {
	for _, a := range s.snapshot() {
		if !fn(a) {
			return
		}
	}
}

// snapshot returns the stored alarms in name order, shared with the cache:
// they must not be changed.
func (s *Service) snapshot() []*alarm {
	// The last snapshot's entries, in key order, are tried first: an alarm
	// whose key and value are the ones there needs no look-up.
	prev := s.last
	// The entries before last are reused (nothing else holds them; a
	// snapshot taken during another's scan comes after it).
	next := s.spare[:0]
	list := make([]*alarm, 0, len(prev))
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, alarmPrefix, func(k, v string) bool {
			i := len(next)
			if i < len(prev) && prev[i].key == k && prev[i].raw == v {
				next = append(next, prev[i])
				list = append(list, prev[i].a)
				return true
			}
			if a, ok := s.decoded(k[len(alarmPrefix):], v); ok {
				next = append(next, snapEntry{key: k, raw: v, a: a})
				list = append(list, a)
			}
			return true
		})
	})
	clear(prev)
	s.last, s.spare = next, prev
	return list
}

// snapEntry is an alarm of the last snapshot: its key, stored value and
// decoding (shared, read-only).
type snapEntry struct {
	key, raw string
	a        *alarm
}

// objectOrNull is objectOrNull, remembered (a state change checks the
// reason data of both states).
func (s *Service) objectOrNull(text string) string {
	if v, ok := s.objects[text]; ok {
		return v
	}
	v := objectOrNull(text)
	if len(s.objects) >= 1024 {
		clear(s.objects)
	}
	s.objects[text] = v
	return v
}

// putAlarm stores a and caches it.
func (s *Service) putAlarm(tx *store.Tx, a *alarm) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	raw := string(b)
	if _, _, err := tx.Set(alarmPrefix+a.AlarmName, raw, nil); err != nil {
		return err
	}
	s.remember(a.AlarmName, raw, a.clone())
	return nil
}

// rule returns the parsed rule of a composite, parsed once per rule text.
func (s *Service) rule(text string) (*Rule, error) {
	if r, ok := s.rules[text]; ok {
		return r, nil
	}
	r, err := ParseRule(text)
	if err != nil {
		return nil, err
	}
	if len(s.rules) >= maxCachedAlarms {
		clear(s.rules)
	}
	s.rules[text] = r
	return r, nil
}

// clone returns a deep copy of a: nothing the copy reaches is shared with a
// (times excepted, which are values).
func (a *alarm) clone() *alarm {
	c := *a
	c.AlarmDescription = clonePtr(a.AlarmDescription)
	c.OKActions = slices.Clone(a.OKActions)
	c.AlarmActions = slices.Clone(a.AlarmActions)
	c.InsufficientDataActions = slices.Clone(a.InsufficientDataActions)
	c.Dimensions = slices.Clone(a.Dimensions)
	c.DatapointsToAlarm = clonePtr(a.DatapointsToAlarm)
	c.Threshold = clonePtr(a.Threshold)
	c.Metrics = cloneQueries(a.Metrics)
	c.ActionsSuppressorWaitPeriod = clonePtr(a.ActionsSuppressorWaitPeriod)
	c.ActionsSuppressorExtensionPeriod = clonePtr(a.ActionsSuppressorExtensionPeriod)
	c.Tags = slices.Clone(a.Tags)
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneQueries(qs []metricdata.MetricDataQuery) []metricdata.MetricDataQuery {
	if qs == nil {
		return nil
	}
	out := make([]metricdata.MetricDataQuery, len(qs))
	for i, q := range qs {
		out[i] = q
		out[i].Expression = clonePtr(q.Expression)
		out[i].Label = clonePtr(q.Label)
		out[i].ReturnData = clonePtr(q.ReturnData)
		out[i].Period = clonePtr(q.Period)
		if ms := q.MetricStat; ms != nil {
			m := *ms
			m.Period = clonePtr(ms.Period)
			if ms.Metric != nil {
				mt := *ms.Metric
				mt.Dimensions = slices.Clone(ms.Metric.Dimensions)
				m.Metric = &mt
			}
			out[i].MetricStat = &m
		}
	}
	return out
}
