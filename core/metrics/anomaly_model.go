package metrics

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	// MetricTimezone names resolve from the embedded tz database, the same
	// natively and in WebAssembly.
	_ "time/tzdata"

	"github.com/telltale-dev/telltale/core/metricmath"
	"github.com/telltale-dev/telltale/core/store"
)

// The band model of anomaly detection (ANOMALY_DETECTION_BAND and
// DescribeAnomalyDetectors' StateValue). AWS does not publish its model; this
// one is simple, robust and deterministic:
//
//   - Training data: the statistic of the metric (or the values of the
//     expression) at the query's period over the two weeks before the
//     current hour boundary of the virtual clock (the model retrains every
//     hour), minus the detector's ExcludedTimeRanges (a period that overlaps
//     an excluded range is left out).
//   - Seasonality, in the detector's MetricTimezone (UTC by default): each
//     training point falls in an hour-of-day slot (24) and an hour-of-week
//     slot (168). The baseline of an hour-of-week slot is the median of its
//     points when they come from at least two different days (two weeks of
//     history: weekly seasonality), otherwise the median of its hour-of-day
//     slot (daily seasonality). Between slot centres the baseline is
//     interpolated linearly, so a smooth daily curve gives a smooth band.
//   - Spread: for each hour of the day, 1.4826 times the median absolute
//     residual (value minus baseline) of its points: a standard deviation
//     estimate that a few spikes do not inflate. Hours with fewer than 5
//     points use the spread of all points. The spread is at least 1% of the
//     median absolute value and 0.1% of the range of the training values.
//   - Band: baseline ± width × spread (width = the second argument of
//     ANOMALY_DETECTION_BAND, 2 by default), kept at or above 0 when every
//     training value is non-negative and at or below 100 for a Percent
//     metric.
//   - PeriodicSpikes (MetricCharacteristics): spikes that recur are
//     expected. The upper limit of an hour of the day is at least the
//     smallest of that hour's daily maxima over the days it has data (at
//     least two), and likewise for an hour of the week: a spike that comes
//     back every day (or every week) at that hour stays inside the band.
//   - Enough data: every hour of the day must have at least one training
//     point (a day of history). With less, the detector is
//     TRAINED_INSUFFICIENT_DATA and the band is empty. A detector is
//     PENDING_TRAINING (empty band) until the first hour boundary after it
//     was created or its configuration changed.
//
// A metric without a detector gets a band too, trained on demand with the
// default configuration (AWS creates a model for it; the simulator does not
// list one).
const (
	trainingWindow  = 14 * 24 * time.Hour
	retrainInterval = time.Hour
	minSlotPoints   = 5
	madToSigma      = 1.4826
	// statePeriod is the period at which DescribeAnomalyDetectors trains a
	// single metric model to tell TRAINED from TRAINED_INSUFFICIENT_DATA.
	statePeriod = 300
)

// bandModel is a trained model.
type bandModel struct {
	loc          *time.Location
	base         [168]float64
	sigma        [24]float64
	nonNegative  bool
	percent      bool
	trainedPoint int
	// expect is the recurring peak of each hour of the week (PeriodicSpikes)
	// and hasExpect tells which hours have one.
	expect    [168]float64
	hasExpect [168]bool
}

// trainOptions are what a detector sets for its model.
type trainOptions struct {
	cfg            *AnomalyDetectorConfiguration
	periodicSpikes bool
}

// key identifies the options in the model cache.
func (o trainOptions) key() string {
	return mustJSON(o.cfg) + strconv.FormatBool(o.periodicSpikes)
}

// optionsOf returns the training options of a detector.
func optionsOf(d *detector) trainOptions {
	o := trainOptions{cfg: d.Config}
	if c := d.Characteristics; c != nil && c.PeriodicSpikes != nil {
		o.periodicSpikes = *c.PeriodicSpikes
	}
	return o
}

// recurring returns the smallest of the per-date maxima when there are at
// least two dates.
func recurring(maxima map[int]float64) (float64, bool) {
	if len(maxima) < 2 {
		return 0, false
	}
	r := math.Inf(1)
	for _, v := range maxima {
		r = math.Min(r, v)
	}
	return r, true
}

func addMax(m *map[int]float64, date int, v float64) {
	if *m == nil {
		*m = map[int]float64{}
	}
	if old, ok := (*m)[date]; !ok || v > old {
		(*m)[date] = v
	}
}

// tpoint is a training point.
type tpoint struct {
	t time.Time
	v float64
}

// weekPos returns the position of t in the week of loc, in hours since
// Monday 00:00, and the date key of t.
func weekPos(t time.Time, loc *time.Location) (float64, int) {
	lt := t.In(loc)
	wd := (int(lt.Weekday()) + 6) % 7
	pos := float64(wd*24+lt.Hour()) + float64(lt.Minute()*60+lt.Second())/3600
	return pos, lt.Year()*1000 + lt.YearDay()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// interp returns the value at pos (hours) of slot values placed at slot
// centres, wrapping around n slots.
func interp(vals []float64, pos float64) float64 {
	n := len(vals)
	p := pos - 0.5
	k0 := math.Floor(p)
	f := p - k0
	i0 := ((int(k0) % n) + n) % n
	i1 := (i0 + 1) % n
	return vals[i0]*(1-f) + vals[i1]*f
}

// train builds the model of the training points, or reports that they are
// not enough (an hour of the day without data).
func train(pts []tpoint, loc *time.Location, percent, spikes bool) (*bandModel, bool) {
	var hourVals [24][]float64
	var weekVals [168][]float64
	var weekDates [168]map[int]bool
	var hourMax [24]map[int]float64
	var weekMax [168]map[int]float64
	all := make([]float64, 0, len(pts))
	nonNeg := true
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		if math.IsNaN(p.v) || math.IsInf(p.v, 0) {
			continue
		}
		pos, date := weekPos(p.t, loc)
		k := int(pos)
		hourVals[k%24] = append(hourVals[k%24], p.v)
		weekVals[k] = append(weekVals[k], p.v)
		if weekDates[k] == nil {
			weekDates[k] = map[int]bool{}
		}
		weekDates[k][date] = true
		if spikes {
			addMax(&hourMax[k%24], date, p.v)
			addMax(&weekMax[k], date, p.v)
		}
		all = append(all, math.Abs(p.v))
		nonNeg = nonNeg && p.v >= 0
		lo, hi = math.Min(lo, p.v), math.Max(hi, p.v)
	}
	var daily [24]float64
	for h := range hourVals {
		if len(hourVals[h]) == 0 {
			return nil, false
		}
		daily[h] = median(hourVals[h])
	}
	m := &bandModel{loc: loc, nonNegative: nonNeg, percent: percent, trainedPoint: len(all)}
	for k := range weekVals {
		if len(weekDates[k]) >= 2 {
			m.base[k] = median(weekVals[k])
		} else {
			m.base[k] = daily[k%24]
		}
	}
	var resid [24][]float64
	allRes := make([]float64, 0, len(pts))
	for _, p := range pts {
		if math.IsNaN(p.v) || math.IsInf(p.v, 0) {
			continue
		}
		pos, _ := weekPos(p.t, loc)
		r := math.Abs(p.v - interp(m.base[:], pos))
		resid[int(pos)%24] = append(resid[int(pos)%24], r)
		allRes = append(allRes, r)
	}
	global := madToSigma * median(allRes)
	floor := math.Max(0.01*median(all), 0.001*(hi-lo))
	for h := range resid {
		sg := global
		if len(resid[h]) >= minSlotPoints {
			sg = madToSigma * median(resid[h])
		}
		m.sigma[h] = math.Max(sg, floor)
	}
	if spikes {
		for k := range m.expect {
			d, okD := recurring(hourMax[k%24])
			w, okW := recurring(weekMax[k])
			switch {
			case okD && okW:
				m.expect[k], m.hasExpect[k] = math.Max(d, w), true
			case okD:
				m.expect[k], m.hasExpect[k] = d, true
			case okW:
				m.expect[k], m.hasExpect[k] = w, true
			}
		}
	}
	return m, true
}

// band returns the lower and upper limits at t.
func (m *bandModel) band(t time.Time, width float64) (lower, upper float64) {
	pos, _ := weekPos(t, m.loc)
	b := interp(m.base[:], pos)
	sg := interp(m.sigma[:], math.Mod(pos, 24))
	lower, upper = b-width*sg, b+width*sg
	if k := int(pos) % 168; m.hasExpect[k] && m.expect[k] > upper {
		upper = m.expect[k]
	}
	if m.nonNegative {
		lower, upper = math.Max(lower, 0), math.Max(upper, 0)
	}
	if m.percent {
		lower, upper = math.Min(lower, 100), math.Min(upper, 100)
	}
	return lower, upper
}

// timezone returns the location of a MetricTimezone ("" is UTC).
func timezone(name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if name == "Local" {
		// "Local" would be the host's zone: not a tz database name here.
		return nil, errors.New("unknown time zone Local")
	}
	return time.LoadLocation(name)
}

// trainingRange returns the training window of a model at now.
func trainingRange(now time.Time) (time.Time, time.Time) {
	end := now.Truncate(retrainInterval)
	return end.Add(-trainingWindow), end
}

// firstTraining is when a detector created at created is first trained.
func firstTraining(created time.Time) time.Time {
	return created.Truncate(retrainInterval).Add(retrainInterval)
}

// excluded reports whether the period starting at t overlaps an excluded
// range.
func excluded(cfg *AnomalyDetectorConfiguration, t time.Time, period int64) bool {
	if cfg == nil {
		return false
	}
	end := t.Add(time.Duration(period) * time.Second)
	for _, r := range cfg.ExcludedTimeRanges {
		if r.StartTime != nil && r.EndTime != nil && t.Before(*r.EndTime) && end.After(*r.StartTime) {
			return true
		}
	}
	return false
}

func locationOf(cfg *AnomalyDetectorConfiguration) *time.Location {
	if cfg == nil {
		return time.UTC
	}
	loc, err := timezone(cfg.MetricTimezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// trainMetric trains the model of a metric's statistic at a period.
func (s *Service) trainMetric(m Metric, st Statistic, unit string, period int64, opts trainOptions, now time.Time) (*bandModel, bool) {
	cfg := opts.cfg
	from, to := trainingRange(now)
	w := align(from, to, now, period)
	u := -1
	if unit != "" {
		if u = unitIndex(unit); u < 0 {
			return nil, false
		}
	}
	id := metricID(m.Namespace, m.MetricName, m.Dimensions)
	key := strings.Join([]string{"M", id, unit, st.Name, strconv.FormatInt(period, 10), strconv.FormatInt(to.Unix(), 10), opts.key()}, "\x00")
	dg := s.trainingBlocks([]string{id}, from, to)
	if e, ok := s.trained(key, dg); ok {
		return e.model, e.ok
	}
	var byUnit map[int][]bucket
	s.store.View(func(tx *store.Tx) error {
		byUnit = s.aggregate(tx, id, u, w, now)
		return nil
	})
	sr := seriesOf(st, byUnit)
	pts := make([]tpoint, 0, len(sr.Datapoints))
	for _, d := range sr.Datapoints {
		if !excluded(cfg, d.Timestamp, period) {
			pts = append(pts, tpoint{d.Timestamp, d.Value})
		}
	}
	percent := len(sr.Datapoints) > 0 && sr.Datapoints[0].Unit == "Percent"
	model, ok := train(pts, locationOf(cfg), percent, opts.periodicSpikes)
	s.keep(key, dg, model, ok)
	return model, ok
}

// dependencies returns the queries id needs (itself, the expressions and
// metrics it reads, transitively), in request order.
func dependencies(qs []MetricDataQuery, id string) ([]MetricDataQuery, error) {
	byID := map[string]MetricDataQuery{}
	for _, q := range qs {
		byID[q.Id] = q
	}
	need := map[string]bool{}
	var visit func(id string) error
	visit = func(id string) error {
		if need[id] {
			return nil
		}
		q, ok := byID[id]
		if !ok {
			return nil
		}
		need[id] = true
		if q.Expression == nil {
			return nil
		}
		p, err := metricmath.Compile(*q.Expression, metricmath.AllowScalar())
		if err != nil {
			return errExpression(id, err)
		}
		r := p.Refs()
		if r.AnomalyBands > 0 || r.Metrics || len(r.Searches) > 0 {
			return fmt.Errorf("ANOMALY_DETECTION_BAND cannot be applied to an expression that uses ANOMALY_DETECTION_BAND, METRICS() or SEARCH.")
		}
		for _, d := range r.IDs {
			if err := visit(d); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(id); err != nil {
		return nil, err
	}
	var out []MetricDataQuery
	for _, q := range qs {
		if need[q.Id] {
			out = append(out, q)
		}
	}
	return out, nil
}

// trainExpression trains the model of an expression's values at a period.
func (s *Service) trainExpression(qs []MetricDataQuery, id string, period int64, opts trainOptions, now time.Time) (*bandModel, bool, error) {
	cfg := opts.cfg
	sub, err := dependencies(qs, id)
	if err != nil {
		return nil, false, err
	}
	from, to := trainingRange(now)
	var ids []string
	for _, q := range sub {
		if ms := q.MetricStat; ms != nil && ms.Metric != nil {
			ids = append(ids, metricID(ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions))
		}
	}
	key := strings.Join([]string{"E", id, mustJSON(sub), strconv.FormatInt(period, 10), strconv.FormatInt(to.Unix(), 10), opts.key()}, "\x00")
	dg := s.trainingBlocks(ids, from, to)
	if e, ok := s.trained(key, dg); ok {
		return e.model, e.ok, nil
	}
	series := map[string]Series{}
	for _, q := range sub {
		ms := q.MetricStat
		if ms == nil || ms.Metric == nil || ms.Period == nil {
			continue
		}
		st, ok := ParseStatistic(ms.Stat)
		if !ok {
			return nil, false, fmt.Errorf("The value %s for parameter MetricStat.Stat is invalid.", ms.Stat)
		}
		u := -1
		if ms.Unit != "" {
			u = unitIndex(ms.Unit)
		}
		w := align(from, to, now, *ms.Period)
		mid := metricID(ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions)
		var byUnit map[int][]bucket
		s.store.View(func(tx *store.Tx) error {
			byUnit = s.aggregate(tx, mid, u, w, now)
			return nil
		})
		series[q.Id] = seriesOf(st, byUnit)
	}
	exprs, err := s.evalExpressions(sub, series, from, to, now)
	if err != nil {
		return nil, false, err
	}
	var pts []tpoint
	if rs := exprs[id]; len(rs) > 0 {
		for i, t := range rs[0].Timestamps {
			if !excluded(cfg, t, period) {
				pts = append(pts, tpoint{t, rs[0].Values[i]})
			}
		}
	}
	m, ok := train(pts, locationOf(cfg), false, opts.periodicSpikes)
	s.keep(key, dg, m, ok)
	return m, ok, nil
}

// detectorState is the StateValue of a detector at now.
func (s *Service) detectorState(d *detector, now time.Time) string {
	if now.Before(firstTraining(d.Created)) {
		return StatePendingTraining
	}
	ok := false
	if d.Type == DetectorMetricMath {
		var id string
		var period int64 = 60
		for _, q := range d.Queries {
			if q.Expression != nil && (q.ReturnData == nil || *q.ReturnData) {
				id = q.Id
			}
			if q.MetricStat != nil && q.MetricStat.Period != nil {
				period = *q.MetricStat.Period
			}
		}
		_, ok, _ = s.trainExpression(d.Queries, id, period, optionsOf(d), now)
	} else if st, valid := ParseStatistic(d.Stat); valid {
		_, ok = s.trainMetric(Metric{Namespace: d.Namespace, MetricName: d.MetricName, Dimensions: d.Dimensions}, st, "", statePeriod, optionsOf(d), now)
	}
	if ok {
		return StateTrained
	}
	return StateTrainedInsufficientData
}

// Labels of the two series of ANOMALY_DETECTION_BAND (a custom Label of the
// expression is put before them). Unverified wording: AWS does not
// document the labels of the band's series.
const (
	upperBandLabel = "Upper"
	lowerBandLabel = "Lower"
)

// bandFunc answers ANOMALY_DETECTION_BAND for a GetMetricData call: the
// upper and lower series (in that order: LAST of the band is the lower
// bound), one point per period of the request's range, from the model of
// the metric or expression that id names (see the model above). The band is
// empty while the model is pending or has too little data.
func (s *Service) bandFunc(qs []MetricDataQuery, start, end, now time.Time, period int64) func(id string, in metricmath.Series, width float64) (metricmath.Series, metricmath.Series, error) {
	return func(id string, in metricmath.Series, width float64) (metricmath.Series, metricmath.Series, error) {
		upper := metricmath.Series{Label: upperBandLabel, Timestamps: []int64{}, Values: []float64{}}
		lower := metricmath.Series{Label: lowerBandLabel, Timestamps: []int64{}, Values: []float64{}}
		var q *MetricDataQuery
		for i := range qs {
			if qs[i].Id == id {
				q = &qs[i]
				break
			}
		}
		if q == nil {
			return upper, lower, errors.New("The first argument of ANOMALY_DETECTION_BAND must be the id of a metric or of an expression.")
		}
		var model *bandModel
		ok := false
		p := period
		if ms := q.MetricStat; ms != nil {
			p = *ms.Period
			if p < 60 {
				return upper, lower, errors.New("Anomaly detection does not support high-resolution metrics: the period must be a multiple of 60.")
			}
			st, _ := ParseStatistic(ms.Stat)
			var opts trainOptions
			pending := false
			if d, found := s.findDetector(*ms.Metric, ms.Stat); found {
				opts, pending = optionsOf(d), now.Before(firstTraining(d.Created))
			}
			if !pending {
				model, ok = s.trainMetric(*ms.Metric, st, ms.Unit, p, opts, now)
			}
		} else {
			if p < 60 {
				return upper, lower, errors.New("Anomaly detection does not support high-resolution metrics: the period must be a multiple of 60.")
			}
			var opts trainOptions
			pending := false
			if d, found := s.findMathDetector(*q.Expression); found {
				opts, pending = optionsOf(d), now.Before(firstTraining(d.Created))
			}
			if !pending {
				var err error
				model, ok, err = s.trainExpression(qs, id, p, opts, now)
				if err != nil {
					return upper, lower, err
				}
			}
		}
		if !ok {
			return upper, lower, nil
		}
		w := align(start, end, now, p)
		step := time.Duration(p) * time.Second
		for t := w.start; t.Before(end); t = t.Add(step) {
			lo, hi := model.band(t, width)
			upper.Timestamps = append(upper.Timestamps, t.Unix())
			upper.Values = append(upper.Values, hi)
			lower.Timestamps = append(lower.Timestamps, t.Unix())
			lower.Values = append(lower.Values, lo)
		}
		return upper, lower, nil
	}
}
