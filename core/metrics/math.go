package metrics

import (
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/metricmath"
	"github.com/telltale-dev/telltale/core/store"
)

// exprSeries is one series of an Expression query's result (an expression
// returning an array of time series gives several results with its Id).
type exprSeries struct {
	Label      string
	Timestamps []time.Time
	Values     []float64
}

// errExpression is AWS's error for an expression that cannot be compiled or
// evaluated: "Error in expression e1: ...".
func errExpression(id string, err error) error {
	var me *metricmath.Error
	if errors.As(err, &me) {
		return awserr.BadRequest("ValidationError", me.For(id))
	}
	return awserr.BadRequest("ValidationError", "Error in expression "+id+": "+err.Error())
}

// evalExpressions compiles the Expression queries of a GetMetricData call
// once each (in dependency order, so an expression may use another one) and
// evaluates them over the MetricStat series.
func (s *Service) evalExpressions(qs []MetricDataQuery, series map[string]Series, start, end, now time.Time) (map[string][]exprSeries, error) {
	byID := map[string]MetricDataQuery{}
	var metricIDs, exprIDs []string
	periods := map[string]int64{}
	var firstPeriod int64
	for _, q := range qs {
		byID[q.Id] = q
		if q.MetricStat != nil {
			metricIDs = append(metricIDs, q.Id)
			periods[q.Id] = *q.MetricStat.Period
			if firstPeriod == 0 {
				firstPeriod = *q.MetricStat.Period
			}
		} else {
			exprIDs = append(exprIDs, q.Id)
		}
	}
	if len(exprIDs) == 0 {
		return nil, nil
	}
	// First pass: what each expression reads.
	deps := map[string][]string{}
	for _, id := range exprIDs {
		p, err := s.compile(*byID[id].Expression, nil, true)
		if err != nil {
			return nil, errExpression(id, err)
		}
		for _, r := range p.Refs().IDs {
			if q, ok := byID[r]; ok && q.Expression != nil {
				deps[id] = append(deps[id], r)
			}
		}
	}
	// Dependency order, with cycles rejected.
	var order []string
	state := map[string]int{}
	var visit func(id string) error
	visit = func(id string) error {
		switch state[id] {
		case 1:
			return awserr.BadRequest("ValidationError", "Error in expression "+id+": Circular dependency between expressions.")
		case 2:
			return nil
		}
		state[id] = 1
		for _, d := range deps[id] {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[id] = 2
		order = append(order, id)
		return nil
	}
	for _, id := range exprIDs {
		if err := visit(id); err != nil {
			return nil, err
		}
	}
	period := firstPeriod
	if period == 0 {
		period = 60
	}
	for _, id := range exprIDs {
		if p := byID[id].Period; p != nil && *p > 0 {
			period = *p
			break
		}
	}
	w := align(start, end, now, period)
	env := &metricmath.MapEnv{
		Values:  map[string]metricmath.Value{},
		Metrics: metricIDs,
		Periods: periods,
		Win:     metricmath.Window{Start: w.start.Unix(), End: w.end.Unix(), Period: period},
	}
	env.SearchFunc = func(sq *metricmath.SearchQuery) ([]metricmath.Series, error) {
		return s.search(sq, start, end, now, period)
	}
	env.BandFunc = s.bandFunc(qs, start, end, now, period)
	kinds := map[string]metricmath.Kind{}
	labels := defaultLabels(qs)
	for _, id := range metricIDs {
		kinds[id] = metricmath.KindSeries
		sr := series[id]
		ms := metricmath.Series{ID: id, Label: labels[id]}
		if l := byID[id].Label; l != nil && *l != "" {
			ms.Label = *l
		}
		ms.Timestamps = make([]int64, len(sr.Datapoints))
		ms.Values = make([]float64, len(sr.Datapoints))
		for i, d := range sr.Datapoints {
			ms.Timestamps[i] = d.Timestamp.Unix()
			ms.Values[i] = d.Value
		}
		env.Values[id] = metricmath.TS(ms)
	}
	out := map[string][]exprSeries{}
	for _, id := range order {
		q := byID[id]
		p, err := s.compile(*q.Expression, kinds, q.ReturnData != nil && !*q.ReturnData)
		if err != nil {
			return nil, errExpression(id, err)
		}
		v, err := p.Eval(env)
		if err != nil {
			return nil, errExpression(id, err)
		}
		kinds[id] = v.Kind
		env.Values[id] = v
		label := id
		custom := q.Label != nil && *q.Label != ""
		if custom {
			label = *q.Label
		}
		for _, sr := range v.Series {
			l := label
			if v.Kind == metricmath.KindArray && sr.Label != "" {
				if custom {
					l = label + " " + sr.Label
				} else {
					l = sr.Label
				}
			}
			es := exprSeries{Label: l, Timestamps: make([]time.Time, len(sr.Timestamps)), Values: append([]float64{}, sr.Values...)}
			for i, t := range sr.Timestamps {
				es.Timestamps[i] = time.Unix(t, 0).UTC()
			}
			out[id] = append(out[id], es)
		}
	}
	return out, nil
}

// search answers SEARCH over the metrics that received data in the last two
// weeks: each match is read with the query's statistic and period (the
// request's period when it names none), labelled with its metric name and
// dimension values.
func (s *Service) search(sq *metricmath.SearchQuery, start, end, now time.Time, period int64) ([]metricmath.Series, error) {
	if sq.Period > 0 {
		period = sq.Period
	}
	st, ok := ParseStatistic(sq.Stat)
	if !ok {
		return nil, errors.New("Invalid statistic in the search expression: " + sq.Stat + ".")
	}
	if !ValidPeriod(period) {
		return nil, errors.New("Invalid period in the search expression.")
	}
	var found []*metric
	var ids []string
	s.store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, metricPrefix, func(k, v string) bool {
			var m metric
			if jsonUnmarshal(v, &m) != nil || now.Sub(m.LastReceived) > ListWindow {
				return true
			}
			mm := metricmath.Metric{Namespace: m.Namespace, MetricName: m.MetricName}
			for _, d := range m.Dimensions {
				mm.Dimensions = append(mm.Dimensions, metricmath.Dimension{Name: d.Name, Value: d.Value})
			}
			if sq.Match(mm) {
				found = append(found, &m)
				ids = append(ids, strings.TrimPrefix(k, metricPrefix))
			}
			return true
		})
	})
	idx := make([]int, len(found))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return sortKey(found[idx[a]].identity()) < sortKey(found[idx[b]].identity()) })
	w := align(start, end, now, period)
	var out []metricmath.Series
	for _, i := range idx {
		m := found[i]
		var byUnit map[int][]bucket
		s.store.View(func(tx *store.Tx) error {
			byUnit = s.aggregate(tx, ids[i], -1, w, now)
			return nil
		})
		sr := seriesOf(st, byUnit)
		parts := []string{m.MetricName}
		for _, d := range m.Dimensions {
			parts = append(parts, d.Value)
		}
		ms := metricmath.Series{Label: strings.Join(parts, " ")}
		for _, d := range sr.Datapoints {
			ms.Timestamps = append(ms.Timestamps, d.Timestamp.Unix())
			ms.Values = append(ms.Values, d.Value)
		}
		out = append(out, ms)
	}
	return out, nil
}
