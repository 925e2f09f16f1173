// Package metricmath compiles CloudWatch metric math expressions (the
// Expression of a MetricDataQuery or of an alarm's Metrics entry) and
// evaluates them over time series.
//
// The text is parsed and type-checked once by Compile into a syntax tree
// (scalar, time series or array of time series at every node); the checked
// tree is then turned, node by node, into an expr-lang/expr program whose
// only callable functions are this package's (expr's built-ins are off and
// no user text is ever spliced into expr source). A *Program is immutable and
// safe for concurrent use; Eval reads the series of the referenced ids
// through the caller's Env, so this package needs nothing from the metrics
// service.
//
// Time is in Unix seconds. Every evaluation is bounded: series length, array
// size, and the number of points computed in one evaluation.
package metricmath

import (
	"math"
	"sort"
)

// Kind is the type of a metric math value.
type Kind uint8

// The kinds of values. KindString only appears inside an expression, as a
// function argument (METRICS("errors"), SEARCH('...', 'Sum', 60)).
const (
	KindScalar Kind = iota + 1
	KindSeries
	KindArray
	KindString
	kindKeyword
)

// String returns the kind in the words of AWS's documentation.
func (k Kind) String() string {
	switch k {
	case KindScalar:
		return "scalar"
	case KindSeries:
		return "time series"
	case KindArray:
		return "array of time series"
	case KindString:
		return "string"
	case kindKeyword:
		return "keyword"
	}
	return "unknown"
}

// Series is one time series: Timestamps (Unix seconds, strictly ascending)
// and the Value at each. ID and Label name where it came from: the caller
// sets them on the series it supplies, and per-series operations (ABS,
// METRICS()*100, FILL, SORT, ...) keep them so the caller can label array
// results; a series combined from two inputs has neither.
type Series struct {
	ID         string
	Label      string
	Timestamps []int64
	Values     []float64
}

// Len returns the number of points.
func (s Series) Len() int { return len(s.Timestamps) }

// Value is the value of an expression or of a referenced id: a scalar, a
// time series (Series holds exactly one), or an array of time series.
// Values returned by Eval may share memory with the inputs; treat both as
// read-only.
type Value struct {
	Kind   Kind
	Scalar float64
	Series []Series
}

// Scalar returns a scalar value.
func Scalar(v float64) Value { return Value{Kind: KindScalar, Scalar: v} }

// TS returns a time-series value.
func TS(s Series) Value { return Value{Kind: KindSeries, Series: []Series{s}} }

// Array returns an array-of-time-series value.
func Array(s ...Series) Value { return Value{Kind: KindArray, Series: s} }

// Result is the value an evaluated expression returns.
type Result = Value

// Window is the time range and period of the request: the grid Start,
// Start+Period, ... below End (End exclusive) on which TIME_SERIES, the date
// functions and FILL produce points.
type Window struct {
	Start, End int64
	Period     int64
}

// grid returns the timestamps of the window, or an error if there would be
// more than max of them.
func (w Window) grid(max int) ([]int64, bool) {
	if w.Period <= 0 || w.End <= w.Start {
		return nil, true
	}
	n := (w.End - w.Start + w.Period - 1) / w.Period
	if n > int64(max) {
		return nil, false
	}
	out := make([]int64, n)
	for i := range out {
		out[i] = w.Start + int64(i)*w.Period
	}
	return out, true
}

// normalize returns s with its points in ascending timestamp order, one per
// timestamp (the last one wins), and non-finite values dropped. It copies
// only when s is not already in that shape.
func normalize(s Series) Series {
	n := len(s.Timestamps)
	if len(s.Values) < n {
		n = len(s.Values)
	}
	ok := len(s.Values) == len(s.Timestamps)
	for i := 0; ok && i < n; i++ {
		if (i > 0 && s.Timestamps[i] <= s.Timestamps[i-1]) || !finite(s.Values[i]) {
			ok = false
		}
	}
	if ok {
		return s
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.Timestamps[idx[a]] < s.Timestamps[idx[b]] })
	out := Series{ID: s.ID, Label: s.Label, Timestamps: make([]int64, 0, n), Values: make([]float64, 0, n)}
	for _, i := range idx {
		t, v := s.Timestamps[i], s.Values[i]
		if !finite(v) {
			continue
		}
		if k := len(out.Timestamps); k > 0 && out.Timestamps[k-1] == t {
			out.Values[k-1] = v
			continue
		}
		out.Timestamps = append(out.Timestamps, t)
		out.Values = append(out.Values, v)
	}
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
