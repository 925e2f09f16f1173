package metrics

import (
	"github.com/telltale-dev/telltale/core/metricdata"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// Limits of PutMetricData.
const (
	MaxMetricsPerPut = 1000
	MaxDimensions    = 30
	MaxValues        = 150
	// PastWindow and FutureWindow bound a datum's timestamp around now.
	PastWindow   = 14 * 24 * time.Hour
	FutureWindow = 2 * time.Hour
)

// maxMagnitude and minMagnitude bound the magnitude of a value: 2^360 and
// 2^-360 (zero is allowed).
var (
	maxMagnitude = math.Ldexp(1, 360)
	minMagnitude = math.Ldexp(1, -360)
)

// StatisticSet is metricdata.StatisticSet.
type StatisticSet = metricdata.StatisticSet

// MetricDatum is metricdata.MetricDatum.
type MetricDatum = metricdata.MetricDatum

// EntityMetricData is metric data attached to an entity.
type EntityMetricData struct {
	Entity     map[string]any `json:",omitempty"`
	MetricData []MetricDatum
}

// PutMetricDataInput is the request of PutMetricData.
type PutMetricDataInput struct {
	Namespace              string
	MetricData             []MetricDatum
	EntityMetricData       []EntityMetricData
	StrictEntityValidation *bool
}

// PutMetricData publishes data points, with CloudWatch's validation: custom
// namespaces only (not AWS/), at most 1,000 metrics, 30 dimensions, one value
// form per datum, 150 values, values within ±2^360, StorageResolution 1 or 60
// and timestamps from two weeks back to two hours ahead.
func (s *Service) PutMetricData(c *api.Call, in *PutMetricDataInput) (*struct{}, error) {
	if in.Namespace == "" {
		return nil, errMissing("The parameter Namespace is required.")
	}
	// A namespace needs a non-whitespace character (spec 2.1; unverified
	// wording, AWS's form for an invalid value).
	if strings.HasPrefix(in.Namespace, "AWS/") || strings.TrimSpace(in.Namespace) == "" {
		return nil, errInvalid("The value %s for parameter Namespace is invalid.", in.Namespace)
	}
	data := in.MetricData
	for _, e := range in.EntityMetricData {
		data = append(data, e.MetricData...)
	}
	if len(data) == 0 {
		return nil, errMissing("The parameter MetricData is required.")
	}
	if len(data) > MaxMetricsPerPut {
		return nil, errInvalid("The collection MetricData must not have a size greater than %d.", MaxMetricsPerPut)
	}
	return nil, s.put(in.Namespace, data, c.Now)
}

// Publish stores data points the way PutMetricData does, for the simulated
// AWS services (AWS/EC2, AWS/SQS...): the namespace may start with AWS/.
func (s *Service) Publish(namespace string, data []MetricDatum) error {
	return s.put(namespace, data, s.clock.Now())
}

type sample struct {
	unit     int
	interval int64
	at       time.Time
	cell     cell
}

func (s *Service) put(namespace string, data []MetricDatum, now time.Time) error {
	type pending struct {
		id string
		// m is the record of a new metric, then the record written.
		m       metric
		samples []sample
		one     [1]sample
	}
	// At most one pending per datum: pend never grows, and samples of a
	// metric with one datum are in its pending.
	pend := make([]pending, 0, len(data))
	byID := s.cache.pending
	clear(byID)
	var first *awserr.Error
	var msgs []string
	for i, d := range data {
		smp, err := checkDatum(i+1, d, now)
		if err != nil {
			// AWS reports every datum's error of the same kind, one per
			// line.
			e := err.(*awserr.Error)
			if first == nil {
				first = e
			}
			if e.Code == first.Code {
				msgs = append(msgs, e.Message)
			}
			continue
		}
		if first != nil {
			continue
		}
		dims := canonical(d.Dimensions)
		id := s.idOf(namespace, d.MetricName, dims)
		k, ok := byID[id]
		if !ok {
			k = len(pend)
			pend = append(pend, pending{id: id, m: metric{Namespace: namespace, MetricName: d.MetricName, Dimensions: dims}})
			byID[id] = k
		}
		p := &pend[k]
		if p.samples == nil {
			p.samples = p.one[:0]
		}
		p.samples = append(p.samples, smp)
	}
	if first != nil {
		return awserr.BadRequest(first.Code, strings.Join(msgs, "\n"))
	}
	return s.store.Update(func(tx *store.Tx) error {
		bw := newBlockWriter(tx, s.cache)
		for k := range pend {
			p := &pend[k]
			id := p.id
			st := s.cache.state(id)
			m, roll, err := s.updateMetric(tx, id, st, &p.m, p.samples, now)
			if err != nil {
				return err
			}
			for i := range p.samples {
				smp := &p.samples[i]
				bw.addTo(st, id, smp.unit, smp.interval, smp.at.Truncate(time.Duration(smp.interval)*time.Second), &smp.cell)
			}
			if err := bw.flush(); err != nil {
				return err
			}
			if roll {
				if err := rollUp(tx, s.cache, id, m.Units, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// updateMetric stores the record of metric id as samples arrive at now (slot
// holds the record of a new metric, and receives the record written, which
// the cache keeps): its units gain theirs, LastReceived is now,
// and so is RolledUp when the last roll-up is an hour old (roll then tells to
// roll up). Nothing else reads or writes the record in put's transaction, so
// it is written before the cells. The record it starts from is the cached
// one, checked against the value the Set replaces: when the store held
// another (or none), it starts again from that one. The common case then
// reads nothing. (The check relies on Set returning the value it replaces,
// which buntdb does in a transaction without DeleteAll, as put's.)
func (s *Service) updateMetric(tx *store.Tx, id string, st *seriesState, slot *metric, samples []sample, now time.Time) (*metric, bool, error) {
	fresh := *slot
	next := func(old *metric) (*metric, bool) {
		src := &fresh
		if old != nil {
			src = old
		}
		m := slot
		*m = *src
		// Shared but clipped: appending copies, and nothing changes them
		// in place.
		m.Dimensions, m.Units = slices.Clip(src.Dimensions), slices.Clip(src.Units)
		for i := range samples {
			if !containsInt(m.Units, samples[i].unit) {
				m.Units = append(m.Units, samples[i].unit)
			}
		}
		m.LastReceived = now
		roll := now.Sub(m.RolledUp) >= time.Hour
		if roll {
			m.RolledUp = now
		}
		return m, roll
	}
	key := st.recKey
	var old *metric
	var base cachedMetric
	var expect string
	var exists bool
	if st.hasRec {
		e := st.rec
		old, expect, exists, base = e.m, e.raw, true, e
	} else if v, err := tx.Get(key); err == nil {
		expect, exists = v, true
		old, _ = st.decodeMetric(v)
	}
	m, roll := next(old)
	raw, prefix, err := s.cache.recordJSON(key, m, base)
	if err != nil {
		return nil, false, err
	}
	prev, replaced, err := tx.Set(key, raw, nil)
	if err != nil {
		return nil, false, err
	}
	if replaced != exists || prev != expect {
		// The cache was behind the store: start from what it held.
		old = nil
		if replaced {
			old, _ = st.decodeMetric(prev)
		}
		m, roll = next(old)
		if raw, prefix, err = s.cache.recordJSON(key, m, cachedMetric{}); err != nil {
			return nil, false, err
		}
		if _, _, err := tx.Set(key, raw, nil); err != nil {
			return nil, false, err
		}
	}
	st.rec, st.hasRec = cachedMetric{raw: raw, m: m, prefix: prefix}, true
	return m, roll, nil
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func member(i int, field string) string {
	return "MetricData.member." + strconv.Itoa(i) + "." + field
}

// checkDatum validates datum i (from 1) and turns it into a sample.
func checkDatum(i int, d MetricDatum, now time.Time) (sample, error) {
	var smp sample
	if d.MetricName == "" {
		return smp, errMissing("The parameter %s is required.", member(i, "MetricName"))
	}
	if strings.TrimSpace(d.MetricName) == "" {
		// Unverified wording: the form AWS uses for an invalid value.
		return smp, errInvalid("The value %s for parameter %s is invalid.", d.MetricName, member(i, "MetricName"))
	}
	if len(d.Dimensions) > MaxDimensions {
		return smp, errInvalid("The collection %s must not have a size greater than %d.", member(i, "Dimensions"), MaxDimensions)
	}
	for j, dim := range d.Dimensions {
		if strings.TrimSpace(dim.Name) == "" {
			return smp, errInvalid("The value %s for parameter %s is invalid.", dim.Name, member(i, "Dimensions.member."+strconv.Itoa(j+1)+".Name"))
		}
		if strings.TrimSpace(dim.Value) == "" {
			return smp, errInvalid("The value %s for parameter %s is invalid.", dim.Value, member(i, "Dimensions.member."+strconv.Itoa(j+1)+".Value"))
		}
		for _, prev := range d.Dimensions[:j] {
			if prev.Name == dim.Name {
				// AWS's wording, as SDK users report it.
				return smp, errInvalid("No metric may specify the same dimension name twice.")
			}
		}
	}
	unit := "None"
	if d.Unit != "" {
		unit = d.Unit
	}
	smp.unit = unitIndex(unit)
	if smp.unit < 0 {
		return smp, errInvalid("The parameter %s must be a value in the set [%s].", member(i, "Unit"), strings.Join(StandardUnits, ", "))
	}
	smp.interval = 60
	if d.StorageResolution != nil {
		switch *d.StorageResolution {
		case 1:
			smp.interval = 1
		case 60:
		default:
			return smp, errInvalid("The value %d for parameter %s is invalid.", *d.StorageResolution, member(i, "StorageResolution"))
		}
	}
	smp.at = now
	if d.Timestamp != nil {
		smp.at = d.Timestamp.UTC()
		// AWS's message (seen in the wild) names the past only; the
		// simulator gives it for a time too far ahead as well.
		if smp.at.Before(now.Add(-PastWindow)) || smp.at.After(now.Add(FutureWindow)) {
			return smp, errInvalid("The parameter %s must specify a time within the past two weeks.", member(i, "Timestamp"))
		}
	}
	// Exactly one value form. AWS accepts Values together with
	// StatisticValues (recorded in the conformance corpus); the simulator then
	// keeps the Values.
	if d.Value != nil && len(d.Values) > 0 {
		return smp, errCombination("The parameters %s and %s are mutually exclusive and you have specified both.", member(i, "Value"), member(i, "Values"))
	}
	if d.Value != nil && d.StatisticValues != nil {
		return smp, errCombination("The parameters %s and %s are mutually exclusive and you have specified both.", member(i, "Value"), member(i, "StatisticValues"))
	}
	switch {
	case d.Value != nil:
		if err := checkValue(*d.Value, func() string { return member(i, "Value") }); err != nil {
			return smp, err
		}
		smp.cell.add(*d.Value, 1)
	case len(d.Values) > 0 || len(d.Counts) > 0:
		if len(d.Counts) > 0 && len(d.Counts) != len(d.Values) {
			return smp, errInvalid("The parameters %s and %s must be of the same size.", member(i, "Values"), member(i, "Counts"))
		}
		if len(d.Values) > MaxValues {
			return smp, errInvalid("The collection %s must not have a size greater than %d.", member(i, "Values"), MaxValues)
		}
		for j, v := range d.Values {
			if err := checkValue(v, func() string { return member(i, "Values.member."+strconv.Itoa(j+1)) }); err != nil {
				return smp, err
			}
			count := 1.0
			if len(d.Counts) > 0 {
				count = d.Counts[j]
				if count < 0 || math.IsNaN(count) || math.IsInf(count, 0) {
					return smp, errInvalid("The value %s for parameter %s is invalid.", javaDouble(count), member(i, "Counts.member."+strconv.Itoa(j+1)))
				}
			}
			smp.cell.add(v, count)
		}
	case d.StatisticValues != nil:
		sv := d.StatisticValues
		for _, f := range []struct {
			p    *float64
			name string
		}{{sv.SampleCount, "SampleCount"}, {sv.Sum, "Sum"}, {sv.Minimum, "Minimum"}, {sv.Maximum, "Maximum"}} {
			if f.p == nil {
				return smp, errMissing("The parameter %s is required.", member(i, "StatisticValues."+f.name))
			}
			if err := checkValue(*f.p, func() string { return member(i, "StatisticValues."+f.name) }); err != nil {
				return smp, err
			}
		}
		if *sv.Minimum > *sv.Maximum {
			return smp, errInvalid("The parameter %s must be greater than %s.", member(i, "StatisticValues.Maximum"), member(i, "StatisticValues.Minimum"))
		}
		if *sv.SampleCount < 0 {
			return smp, errInvalid("The parameter %s must be greater than 0.", member(i, "StatisticValues.SampleCount"))
		}
		if *sv.SampleCount == 0 {
			return smp, errInvalid("The parameter %s must not equal 0.", member(i, "StatisticValues.SampleCount"))
		}
		smp.cell.addSet(*sv.SampleCount, *sv.Sum, *sv.Minimum, *sv.Maximum)
	default:
		return smp, errMissing("At least one of the parameters %s or %s must be specified.", member(i, "Value"), member(i, "StatisticValues"))
	}
	return smp, nil
}

// checkValue checks a value; param names it in the error (a function: the
// name is only built for an error).
func checkValue(v float64, param func() string) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return errInvalid("The value %s for parameter %s is invalid.", javaDouble(v), param())
	}
	a := math.Abs(v)
	if a > maxMagnitude || (a != 0 && a < minMagnitude) {
		return errInvalid("The value %s for parameter %s is out of range.", javaDouble(v), param())
	}
	return nil
}

// javaDouble formats a float the way Java's Double.toString does, as AWS's
// messages show numbers: 1.0, 0.5, 1.0E200, NaN, Infinity.
func javaDouble(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	a := math.Abs(v)
	if v == 0 || (a >= 1e-3 && a < 1e7) {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(v, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	exp = strings.TrimPrefix(exp, "+")
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(strings.TrimPrefix(exp, "-"), "0")
	if neg {
		exp = "-" + exp
	}
	return mant + "E" + exp
}

// rollUp merges the blocks of a metric that are wholly past the retention
// of their interval into the next interval's blocks, and deletes hourly
// blocks past 455 days.
func rollUp(tx *store.Tx, c *caches, id string, units []int, now time.Time) error {
	limits := map[int64]time.Duration{1: HighResRetention, 60: MinuteRetention, 300: FiveMinRetention, 3600: HourRetention}
	next := map[int64]int64{1: 60, 60: 300, 300: 3600}
	for _, u := range units {
		for _, iv := range intervals {
			prefix := seriesPrefix(id, u, iv)
			// A block goes when its end is past the cutoff.
			last := now.Add(-limits[iv]).Add(-blockLen(iv))
			var keys, vals []string
			err := tx.AscendRange("", prefix, prefix+timeKey(last.Add(time.Nanosecond)), func(k, v string) bool {
				keys = append(keys, k)
				vals = append(vals, v)
				return true
			})
			if err != nil {
				return err
			}
			bw := newBlockWriter(tx, c)
			for i, k := range keys {
				if _, err := tx.Delete(k); err != nil {
					return err
				}
				to, ok := next[iv]
				if !ok {
					continue
				}
				start, ok := parseKeyTime(k, prefix)
				if !ok {
					continue
				}
				for _, ic := range decodeBlock(vals[i]) {
					t := start.Add(time.Duration(int64(ic.i)*iv) * time.Second)
					bw.add(id, u, to, t.Truncate(time.Duration(to)*time.Second), ic.c)
				}
			}
			if err := bw.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}
