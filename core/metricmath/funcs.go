package metricmath

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// evalCtx is the state of one evaluation.
type evalCtx struct {
	p      *Program
	env    Env
	cfg    *config
	window Window
	work   int
	err    *Error
}

// rtFunc is the implementation of a function or operator; args are Value,
// float64 (number literals) or string (strings and keywords).
type rtFunc func(c *evalCtx, pos int, args []any) (any, error)

// runtimeFuncs are the only functions the expr programs can call.
var runtimeFuncs = map[string]rtFunc{
	"$ref":   fnRef,
	"$array": fnArray,
	"$neg":   fnNeg,
	"$op":    fnOp,

	"ABS":   perPoint(math.Abs),
	"CEIL":  perPoint(math.Ceil),
	"FLOOR": perPoint(math.Floor),
	"LOG":   perPoint(math.Log),
	"LOG10": perPoint(math.Log10),

	"DIFF":        sequential(func(t0, t1 int64, v0, v1 float64) float64 { return v1 - v0 }),
	"DIFF_TIME":   sequential(func(t0, t1 int64, v0, v1 float64) float64 { return float64(t1 - t0) }),
	"RATE":        sequential(func(t0, t1 int64, v0, v1 float64) float64 { return (v1 - v0) / float64(t1-t0) }),
	"RUNNING_SUM": fnRunningSum,

	"AVG":             aggregate(aggAvg),
	"MAX":             aggregate(aggMax),
	"MIN":             aggregate(aggMin),
	"SUM":             aggregate(aggSum),
	"STDDEV":          aggregate(aggStddev),
	"DATAPOINT_COUNT": aggregate(aggCount),

	"MINUTE": dateTime(func(t time.Time) float64 { return float64(t.Minute()) }),
	"HOUR":   dateTime(func(t time.Time) float64 { return float64(t.Hour()) }),
	"DAY": dateTime(func(t time.Time) float64 {
		if t.Weekday() == time.Sunday {
			return 7
		}
		return float64(t.Weekday())
	}),
	"DATE":  dateTime(func(t time.Time) float64 { return float64(t.Day()) }),
	"MONTH": dateTime(func(t time.Time) float64 { return float64(t.Month()) }),
	"YEAR":  dateTime(func(t time.Time) float64 { return float64(t.Year()) }),
	"EPOCH": dateTime(func(t time.Time) float64 { return float64(t.Unix()) }),

	"ANOMALY_DETECTION_BAND": fnBand,
	"FILL":                   fnFill,
	"FIRST":                  fnFirstLast(true),
	"LAST":                   fnFirstLast(false),
	"IF":                     fnIf,
	"INSIGHT_RULE_METRIC":    fnExternal,
	"DB_PERF_INSIGHTS":       fnExternal,
	"SERVICE_QUOTA":          fnExternal,
	"METRIC_COUNT":           fnMetricCount,
	"METRICS":                fnMetrics,
	"PERIOD":                 fnPeriod,
	"REMOVE_EMPTY":           fnRemoveEmpty,
	"SEARCH":                 fnSearch,
	"SLICE":                  fnSlice,
	"SORT":                   fnSort,
	"TIME_SERIES":            fnTimeSeries,
}

// val converts an argument to a Value.
func val(a any) Value {
	switch x := a.(type) {
	case Value:
		return x
	case float64:
		return Scalar(x)
	case int:
		return Scalar(float64(x))
	}
	panic(fmt.Sprintf("metricmath: unexpected argument %T", a))
}

func str(a any) string {
	s, _ := a.(string)
	return s
}

// input checks and normalizes a value supplied by the Env.
func (c *evalCtx) input(what string, v Value) (Value, error) {
	switch v.Kind {
	case KindScalar:
		return v, nil
	case KindSeries:
		if len(v.Series) != 1 {
			return Value{}, fmt.Errorf("The data of %s is not a single time series.", what)
		}
	case KindArray:
		if len(v.Series) > c.cfg.maxSeries {
			return Value{}, fmt.Errorf("%s has %d time series; at most %d are allowed.", what, len(v.Series), c.cfg.maxSeries)
		}
	default:
		return Value{}, fmt.Errorf("No data is available for %s.", what)
	}
	out := Value{Kind: v.Kind, Series: make([]Series, len(v.Series))}
	for i, s := range v.Series {
		if len(s.Timestamps) > c.cfg.maxPoints || len(s.Values) > c.cfg.maxPoints {
			return Value{}, fmt.Errorf("The time series of %s has more than %d datapoints.", what, c.cfg.maxPoints)
		}
		out.Series[i] = normalize(s)
	}
	return out, nil
}

func fnRef(c *evalCtx, pos int, args []any) (any, error) {
	id := str(args[0])
	v, err := c.env.Data(id)
	if err != nil {
		return nil, err
	}
	v, err = c.input(id, v)
	if err != nil {
		return nil, err
	}
	if want := c.p.identKind[pos]; want != v.Kind {
		return nil, fmt.Errorf("The id %s is %s, but the expression was compiled for %s.", id, article(v.Kind), article(want))
	}
	return v, nil
}

func fnArray(c *evalCtx, pos int, args []any) (any, error) {
	var out []Series
	for _, a := range args {
		out = append(out, val(a).Series...)
		if len(out) > c.cfg.maxSeries {
			return nil, fmt.Errorf("The array has more than %d time series.", c.cfg.maxSeries)
		}
	}
	return Array(out...), nil
}

func fnNeg(c *evalCtx, pos int, args []any) (any, error) {
	return mapValue(val(args[0]), func(v float64) float64 { return -v }), nil
}

// mapValue applies f to a scalar or to every point of every series.
func mapValue(v Value, f func(float64) float64) Value {
	if v.Kind == KindScalar {
		return Scalar(f(v.Scalar))
	}
	out := Value{Kind: v.Kind, Series: make([]Series, len(v.Series))}
	for i, s := range v.Series {
		out.Series[i] = mapSeries(s, f)
	}
	return out
}

// mapSeries applies f to every point, dropping non-finite results; it
// shares the timestamps when nothing is dropped.
func mapSeries(s Series, f func(float64) float64) Series {
	vals := make([]float64, len(s.Values))
	drop := false
	for i, v := range s.Values {
		vals[i] = f(v)
		if !finite(vals[i]) {
			drop = true
		}
	}
	if !drop {
		return Series{ID: s.ID, Label: s.Label, Timestamps: s.Timestamps, Values: vals}
	}
	out := Series{ID: s.ID, Label: s.Label}
	for i, v := range vals {
		if finite(v) {
			out.Timestamps = append(out.Timestamps, s.Timestamps[i])
			out.Values = append(out.Values, v)
		}
	}
	return out
}

// binaryFunc returns the arithmetic, comparison or logical function of op.
func binaryFunc(op string) func(x, y float64) float64 {
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	switch op {
	case "+":
		return func(x, y float64) float64 { return x + y }
	case "-":
		return func(x, y float64) float64 { return x - y }
	case "*":
		return func(x, y float64) float64 { return x * y }
	case "/":
		return func(x, y float64) float64 {
			if y == 0 {
				return math.NaN() // a point that divides by zero is dropped
			}
			return x / y
		}
	case "^":
		return math.Pow
	case "==":
		return func(x, y float64) float64 { return b(x == y) }
	case "!=":
		return func(x, y float64) float64 { return b(x != y) }
	case "<":
		return func(x, y float64) float64 { return b(x < y) }
	case "<=":
		return func(x, y float64) float64 { return b(x <= y) }
	case ">":
		return func(x, y float64) float64 { return b(x > y) }
	case ">=":
		return func(x, y float64) float64 { return b(x >= y) }
	case "&&":
		return func(x, y float64) float64 { return b(x != 0 && y != 0) }
	case "||":
		return func(x, y float64) float64 { return b(x != 0 || y != 0) }
	}
	panic("metricmath: unknown operator " + op)
}

func fnOp(c *evalCtx, pos int, args []any) (any, error) {
	f := binaryFunc(str(args[0]))
	a, b := val(args[1]), val(args[2])
	switch {
	case a.Kind == KindScalar && b.Kind == KindScalar:
		return Scalar(f(a.Scalar, b.Scalar)), nil
	case a.Kind == KindScalar:
		return mapValue(b, func(v float64) float64 { return f(a.Scalar, v) }), nil
	case b.Kind == KindScalar:
		return mapValue(a, func(v float64) float64 { return f(v, b.Scalar) }), nil
	case a.Kind == KindSeries && b.Kind == KindSeries:
		return TS(combine(a.Series[0], b.Series[0], f)), nil
	case a.Kind == KindArray && b.Kind == KindSeries:
		out := make([]Series, len(a.Series))
		for i, s := range a.Series {
			out[i] = combine(s, b.Series[0], f)
			out[i].ID, out[i].Label = s.ID, s.Label
		}
		return Array(out...), nil
	case a.Kind == KindSeries && b.Kind == KindArray:
		out := make([]Series, len(b.Series))
		for i, s := range b.Series {
			out[i] = combine(a.Series[0], s, f)
			out[i].ID, out[i].Label = s.ID, s.Label
		}
		return Array(out...), nil
	}
	return nil, fmt.Errorf("The operator %s cannot be applied to two arrays of time series.", opName(str(args[0])))
}

// sameTimes reports whether two series have the same timestamps.
func sameTimes(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// combine applies f to the points of a and b with equal timestamps; a
// point missing from one series counts as 0; non-finite results are dropped.
func combine(a, b Series, f func(x, y float64) float64) Series {
	if sameTimes(a.Timestamps, b.Timestamps) {
		vals := make([]float64, len(a.Values))
		drop := false
		for i := range vals {
			vals[i] = f(a.Values[i], b.Values[i])
			drop = drop || !finite(vals[i])
		}
		if !drop {
			return Series{Timestamps: a.Timestamps, Values: vals}
		}
		return mapSeries(Series{Timestamps: a.Timestamps, Values: vals}, func(v float64) float64 { return v })
	}
	n := len(a.Timestamps)
	if len(b.Timestamps) > n {
		n = len(b.Timestamps)
	}
	out := Series{Timestamps: make([]int64, 0, n), Values: make([]float64, 0, n)}
	i, j := 0, 0
	for i < len(a.Timestamps) || j < len(b.Timestamps) {
		var t int64
		var x, y float64
		switch {
		case j >= len(b.Timestamps) || i < len(a.Timestamps) && a.Timestamps[i] < b.Timestamps[j]:
			t, x = a.Timestamps[i], a.Values[i]
			i++
		case i >= len(a.Timestamps) || b.Timestamps[j] < a.Timestamps[i]:
			t, y = b.Timestamps[j], b.Values[j]
			j++
		default:
			t, x, y = a.Timestamps[i], a.Values[i], b.Values[j]
			i++
			j++
		}
		if v := f(x, y); finite(v) {
			out.Timestamps = append(out.Timestamps, t)
			out.Values = append(out.Values, v)
		}
	}
	return out
}

// perPoint is a function applied to each point of a TS or each series of
// a TS[].
func perPoint(f func(float64) float64) rtFunc {
	return func(c *evalCtx, pos int, args []any) (any, error) {
		return mapValue(val(args[0]), f), nil
	}
}

// eachSeries applies f to the series of a TS or TS[].
func eachSeries(v Value, f func(Series) Series) Value {
	out := Value{Kind: v.Kind, Series: make([]Series, len(v.Series))}
	for i, s := range v.Series {
		r := f(s)
		r.ID, r.Label = s.ID, s.Label
		out.Series[i] = r
	}
	return out
}

// sequential computes each point from it and the previous point; the first
// point has no result.
func sequential(f func(t0, t1 int64, v0, v1 float64) float64) rtFunc {
	return func(c *evalCtx, pos int, args []any) (any, error) {
		return eachSeries(val(args[0]), func(s Series) Series {
			var out Series
			for i := 1; i < len(s.Timestamps); i++ {
				if v := f(s.Timestamps[i-1], s.Timestamps[i], s.Values[i-1], s.Values[i]); finite(v) {
					out.Timestamps = append(out.Timestamps, s.Timestamps[i])
					out.Values = append(out.Values, v)
				}
			}
			return out
		}), nil
	}
}

func fnRunningSum(c *evalCtx, pos int, args []any) (any, error) {
	return eachSeries(val(args[0]), func(s Series) Series {
		out := Series{Timestamps: s.Timestamps, Values: make([]float64, len(s.Values))}
		sum := 0.0
		for i, v := range s.Values {
			sum += v
			out.Values[i] = sum
		}
		return mapSeries(out, func(v float64) float64 { return v })
	}), nil
}

// agg is an aggregate over values: sum, count, min, max and sum of squares
// are enough for every aggregate function.
type agg struct {
	sum, sumsq, min, max float64
	n                    int
}

func (a *agg) add(v float64) {
	if a.n == 0 || v < a.min {
		a.min = v
	}
	if a.n == 0 || v > a.max {
		a.max = v
	}
	a.sum += v
	a.sumsq += v * v
	a.n++
}

type aggKind uint8

const (
	aggAvg aggKind = iota
	aggMax
	aggMin
	aggSum
	aggStddev
	aggCount
)

// result returns the aggregate; members is the number of series for the
// per-timestamp AVG of an array (a missing value counts as 0), else 0.
func (a *agg) result(k aggKind, members int) float64 {
	switch k {
	case aggAvg:
		n := a.n
		if members > 0 {
			n = members
		}
		if n == 0 {
			return math.NaN()
		}
		return a.sum / float64(n)
	case aggMax:
		if a.n == 0 {
			return math.NaN()
		}
		return a.max
	case aggMin:
		if a.n == 0 {
			return math.NaN()
		}
		return a.min
	case aggSum:
		return a.sum
	case aggStddev:
		if a.n == 0 {
			return math.NaN()
		}
		mean := a.sum / float64(a.n)
		v := a.sumsq/float64(a.n) - mean*mean
		if v < 0 {
			v = 0
		}
		return math.Sqrt(v)
	}
	return float64(a.n)
}

// seriesAgg aggregates the values of one series.
func seriesAgg(s Series, k aggKind) float64 {
	var a agg
	if k == aggStddev {
		// two passes for accuracy
		mean := 0.0
		for _, v := range s.Values {
			mean += v
		}
		if len(s.Values) == 0 {
			return math.NaN()
		}
		mean /= float64(len(s.Values))
		ss := 0.0
		for _, v := range s.Values {
			ss += (v - mean) * (v - mean)
		}
		return math.Sqrt(ss / float64(len(s.Values)))
	}
	for _, v := range s.Values {
		a.add(v)
	}
	return a.result(k, 0)
}

// aggregate is a function that reduces a TS to a scalar and a TS[] to a TS
// (per timestamp, across the series).
func aggregate(k aggKind) rtFunc {
	return func(c *evalCtx, pos int, args []any) (any, error) {
		v := val(args[0])
		if v.Kind == KindSeries {
			return Scalar(seriesAgg(v.Series[0], k)), nil
		}
		members := 0
		if k == aggAvg {
			members = len(v.Series)
		}
		times, idx := union(v.Series)
		accs := make([]agg, len(times))
		for si, s := range v.Series {
			for j, x := range s.Values {
				accs[idx(si, j)].add(x)
			}
		}
		out := Series{Timestamps: make([]int64, 0, len(times)), Values: make([]float64, 0, len(times))}
		for i, t := range times {
			if r := accs[i].result(k, members); finite(r) {
				out.Timestamps = append(out.Timestamps, t)
				out.Values = append(out.Values, r)
			}
		}
		return TS(out), nil
	}
}

// union returns the sorted union of the timestamps of the series and a
// function from (series, point) to the index of its timestamp in it.
func union(ss []Series) ([]int64, func(si, j int) int) {
	if len(ss) == 0 {
		return nil, nil
	}
	same := true
	for _, s := range ss[1:] {
		if !sameTimes(ss[0].Timestamps, s.Timestamps) {
			same = false
			break
		}
	}
	if same {
		return ss[0].Timestamps, func(_, j int) int { return j }
	}
	// Merge the sorted timestamp lists one by one.
	times := append([]int64(nil), ss[0].Timestamps...)
	buf := make([]int64, 0, len(times))
	for _, s := range ss[1:] {
		if sameTimes(times, s.Timestamps) {
			continue
		}
		buf = mergeTimes(buf[:0], times, s.Timestamps)
		times, buf = buf, times
	}
	pos := make([][]int, len(ss))
	for si, s := range ss {
		pos[si] = make([]int, len(s.Timestamps))
		k := 0
		for j, t := range s.Timestamps {
			for times[k] < t {
				k++
			}
			pos[si][j] = k
		}
	}
	return times, func(si, j int) int { return pos[si][j] }
}

// mergeTimes appends to dst the sorted union of two sorted lists.
func mergeTimes(dst, a, b []int64) []int64 {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			dst = append(dst, a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			dst = append(dst, b[j])
			j++
		default:
			dst = append(dst, a[i])
			i++
			j++
		}
	}
	return dst
}

// grid returns the window's timestamps, or those of s when the window has
// no period.
func (c *evalCtx) grid(s *Series) ([]int64, error) {
	g, ok := c.window.grid(c.cfg.maxPoints)
	if !ok {
		return nil, fmt.Errorf("The time range holds more than %d datapoints at a period of %d seconds.", c.cfg.maxPoints, c.window.Period)
	}
	if g == nil && s != nil {
		return s.Timestamps, nil
	}
	return g, nil
}

// dateTime builds a non-sparse series over the request's time range whose
// values come from the timestamps (UTC); the step is the period of the
// metric argument, or the request's period.
func dateTime(f func(time.Time) float64) rtFunc {
	return func(c *evalCtx, pos int, args []any) (any, error) {
		id := str(args[0])
		s := val(args[1]).Series[0]
		gc := *c
		if c.isMetric(id) {
			if p := c.env.Period(id); p > 0 {
				gc.window.Period = p
			}
		}
		g, err := gc.grid(&s)
		if err != nil {
			return nil, err
		}
		out := Series{Timestamps: g, Values: make([]float64, len(g))}
		for i, t := range g {
			out.Values[i] = f(time.Unix(t, 0).UTC())
		}
		return TS(out), nil
	}
}

func fnTimeSeries(c *evalCtx, pos int, args []any) (any, error) {
	v := val(args[0]).Scalar
	g, err := c.grid(nil)
	if err != nil {
		return nil, err
	}
	if !finite(v) {
		return TS(Series{}), nil
	}
	out := Series{Timestamps: g, Values: make([]float64, len(g))}
	for i := range out.Values {
		out.Values[i] = v
	}
	return TS(out), nil
}

func fnFill(c *evalCtx, pos int, args []any) (any, error) {
	in := val(args[0])
	mode, _ := args[1].(string)
	var with Value
	if mode == "" {
		with = val(args[1])
	}
	g, err := c.grid(nil)
	if err != nil {
		return nil, err
	}
	return eachSeries(in, func(s Series) Series {
		times, idx := union([]Series{s, {Timestamps: g}})
		have := make([]bool, len(times))
		vals := make([]float64, len(times))
		for j, v := range s.Values {
			have[idx(0, j)] = true
			vals[idx(0, j)] = v
		}
		out := Series{Timestamps: make([]int64, 0, len(times)), Values: make([]float64, 0, len(times))}
		prev := -1 // index of the last real value
		next := 0  // index of the next real value at or after i
		var other Series
		oi := 0
		if with.Kind == KindSeries {
			other = with.Series[0]
		}
		for i, t := range times {
			v, ok := vals[i], have[i]
			if !ok {
				switch {
				case mode == "REPEAT":
					if prev >= 0 {
						v, ok = vals[prev], true
					}
				case mode == "LINEAR":
					if next < i {
						next = i
					}
					for next < len(times) && !have[next] {
						next++
					}
					if prev >= 0 && next < len(times) {
						t0, t1 := times[prev], times[next]
						v = vals[prev] + (vals[next]-vals[prev])*float64(t-t0)/float64(t1-t0)
						ok = true
					}
				case with.Kind == KindScalar:
					v, ok = with.Scalar, finite(with.Scalar)
				case with.Kind == KindSeries:
					for oi < len(other.Timestamps) && other.Timestamps[oi] < t {
						oi++
					}
					if oi < len(other.Timestamps) && other.Timestamps[oi] == t {
						v, ok = other.Values[oi], true
					}
				}
			} else {
				prev = i
			}
			if ok && finite(v) {
				out.Timestamps = append(out.Timestamps, t)
				out.Values = append(out.Values, v)
			}
		}
		return out
	}), nil
}

func fnFirstLast(first bool) rtFunc {
	return func(c *evalCtx, pos int, args []any) (any, error) {
		ss := val(args[0]).Series
		if len(ss) == 0 {
			return TS(Series{}), nil
		}
		if first {
			return TS(ss[0]), nil
		}
		return TS(ss[len(ss)-1]), nil
	}
}

// lookup walks a sorted series: at returns the value at t, if any, for
// non-decreasing t.
type lookup struct {
	s Series
	i int
}

func (l *lookup) at(t int64) (float64, bool) {
	for l.i < len(l.s.Timestamps) && l.s.Timestamps[l.i] < t {
		l.i++
	}
	if l.i < len(l.s.Timestamps) && l.s.Timestamps[l.i] == t {
		return l.s.Values[l.i], true
	}
	return 0, false
}

func fnIf(c *evalCtx, pos int, args []any) (any, error) {
	cond := val(args[0])
	a := val(args[1])
	var b Value
	if len(args) == 3 {
		b = val(args[2])
	}
	if cond.Kind == KindScalar {
		switch {
		case cond.Scalar != 0 && finite(cond.Scalar):
			return TS(a.Series[0]), nil
		case b.Kind == KindSeries:
			return TS(b.Series[0]), nil
		}
		return TS(Series{}), nil
	}
	cs := cond.Series[0]
	var la, lb lookup
	if a.Kind == KindSeries {
		la.s = a.Series[0]
	}
	if b.Kind == KindSeries {
		lb.s = b.Series[0]
	}
	out := Series{Timestamps: make([]int64, 0, len(cs.Timestamps)), Values: make([]float64, 0, len(cs.Timestamps))}
	for i, t := range cs.Timestamps {
		var v float64
		ok := false
		if cs.Values[i] != 0 {
			// true: the value, or 0 where the series has no point
			switch a.Kind {
			case KindScalar:
				v, ok = a.Scalar, true
			case KindSeries:
				v, _ = la.at(t)
				ok = true
			}
		} else {
			// false: the value; dropped where there is none
			switch b.Kind {
			case KindScalar:
				v, ok = b.Scalar, true
			case KindSeries:
				v, ok = lb.at(t)
			}
		}
		if ok && finite(v) {
			out.Timestamps = append(out.Timestamps, t)
			out.Values = append(out.Values, v)
		}
	}
	return TS(out), nil
}

func fnExternal(c *evalCtx, pos int, args []any) (any, error) {
	fn := str(args[0])
	var strs []string
	var in *Series
	for _, a := range args[1:] {
		switch x := a.(type) {
		case string:
			strs = append(strs, x)
		case Value:
			s := x.Series[0]
			in = &s
		}
	}
	s, err := c.env.External(fn, strs, in)
	if err != nil {
		return nil, err
	}
	v, err := c.input(fn, TS(s))
	if err != nil {
		return nil, err
	}
	return v, nil
}

func fnMetricCount(c *evalCtx, pos int, args []any) (any, error) {
	return Scalar(float64(len(val(args[0]).Series))), nil
}

func fnMetrics(c *evalCtx, pos int, args []any) (any, error) {
	filter := ""
	if len(args) == 1 {
		filter = str(args[0])
	}
	var out []Series
	for _, id := range c.env.MetricIDs() {
		if !strings.Contains(id, filter) {
			continue
		}
		v, err := c.env.Data(id)
		if err != nil {
			return nil, err
		}
		if v, err = c.input(id, v); err != nil {
			return nil, err
		}
		if v.Kind != KindSeries {
			continue
		}
		out = append(out, v.Series[0])
		if len(out) > c.cfg.maxSeries {
			return nil, fmt.Errorf("METRICS() returns more than %d time series.", c.cfg.maxSeries)
		}
	}
	return Array(out...), nil
}

// isMetric reports whether id names a metric query.
func (c *evalCtx) isMetric(id string) bool {
	if id == "" {
		return false
	}
	for _, m := range c.env.MetricIDs() {
		if m == id {
			return true
		}
	}
	return false
}

func fnPeriod(c *evalCtx, pos int, args []any) (any, error) {
	id := str(args[0])
	if c.isMetric(id) {
		return Scalar(float64(c.env.Period(id))), nil
	}
	return nil, fmt.Errorf("PERIOD can be applied only to a metric, and %s is not a metric.", id)
}

func fnRemoveEmpty(c *evalCtx, pos int, args []any) (any, error) {
	var out []Series
	for _, s := range val(args[0]).Series {
		if len(s.Timestamps) > 0 {
			out = append(out, s)
		}
	}
	return Array(out...), nil
}

func fnSearch(c *evalCtx, pos int, args []any) (any, error) {
	q := c.p.searchAt[pos]
	if q == nil {
		return nil, fmt.Errorf("The SEARCH expression could not be found.")
	}
	ss, err := c.env.Search(q)
	if err != nil {
		return nil, err
	}
	v, err := c.input("SEARCH", Array(ss...))
	if err != nil {
		return nil, err
	}
	return v, nil
}

// index converts a scalar argument to a whole number.
func index(fn string, v float64) (int, error) {
	if !finite(v) {
		return 0, fmt.Errorf("The arguments of %s must be finite numbers.", fn)
	}
	if v > math.MaxInt32 {
		return math.MaxInt32, nil
	}
	if v < math.MinInt32 {
		return math.MinInt32, nil
	}
	return int(v), nil
}

func fnSlice(c *evalCtx, pos int, args []any) (any, error) {
	ss := val(args[0]).Series
	start, err := index("SLICE", val(args[1]).Scalar)
	if err != nil {
		return nil, err
	}
	end := len(ss)
	if len(args) == 3 {
		if end, err = index("SLICE", val(args[2]).Scalar); err != nil {
			return nil, err
		}
	}
	start = max(0, min(start, len(ss)))
	end = max(0, min(end, len(ss)))
	if end <= start {
		return Array(), nil
	}
	return Array(ss[start:end]...), nil
}

func fnSort(c *evalCtx, pos int, args []any) (any, error) {
	ss := val(args[0]).Series
	k := map[string]aggKind{"AVG": aggAvg, "MIN": aggMin, "MAX": aggMax, "SUM": aggSum}[str(args[1])]
	desc := str(args[2]) == "DESC"
	keys := make([]float64, len(ss))
	for i, s := range ss {
		keys[i] = seriesAgg(s, k)
	}
	idx := make([]int, len(ss))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := keys[idx[a]], keys[idx[b]]
		switch {
		case math.IsNaN(x) || math.IsNaN(y): // series without points go last
			return !math.IsNaN(x) && math.IsNaN(y)
		case desc:
			return x > y
		}
		return x < y
	})
	n := len(ss)
	if len(args) == 4 {
		limit, err := index("SORT", val(args[3]).Scalar)
		if err != nil {
			return nil, err
		}
		if limit < 0 {
			return nil, fmt.Errorf("The limit of SORT must not be negative.")
		}
		n = min(n, limit)
	}
	out := make([]Series, n)
	for i := range out {
		out[i] = ss[idx[i]]
	}
	return Array(out...), nil
}

func fnBand(c *evalCtx, pos int, args []any) (any, error) {
	id := str(args[0])
	s := val(args[1]).Series[0]
	width := 2.0
	if len(args) == 3 {
		width = val(args[2]).Scalar
	}
	if !finite(width) || width <= 0 {
		return nil, fmt.Errorf("The band width of ANOMALY_DETECTION_BAND must be a positive number of standard deviations.")
	}
	upper, lower, err := c.env.AnomalyBand(id, s, width)
	if err != nil {
		return nil, err
	}
	v, err := c.input("ANOMALY_DETECTION_BAND", Array(upper, lower))
	if err != nil {
		return nil, err
	}
	return v, nil
}
