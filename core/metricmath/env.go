package metricmath

import (
	"fmt"
	"strings"
)

// MapEnv is an Env over values held in memory: tests, previews and callers
// that fetch every referenced series before evaluating. Its hooks may be
// nil: SEARCH then finds nothing, and ANOMALY_DETECTION_BAND and the
// sources of other services answer with UnavailableSource.
type MapEnv struct {
	// Values are the values of the ids: metrics and evaluated expressions.
	Values map[string]Value
	// Metrics are the ids of the metric queries, in request order.
	Metrics []string
	// Periods are the periods of metric queries that differ from
	// Win.Period.
	Periods map[string]int64
	// Win is the request's time range and period.
	Win Window
	// SearchFunc answers SEARCH.
	SearchFunc func(q *SearchQuery) ([]Series, error)
	// BandFunc answers ANOMALY_DETECTION_BAND.
	BandFunc func(id string, s Series, width float64) (upper, lower Series, err error)
	// ExternalFunc answers INSIGHT_RULE_METRIC, SERVICE_QUOTA and
	// DB_PERF_INSIGHTS.
	ExternalFunc func(fn string, args []string, in *Series) (Series, error)
}

// Data returns the value of id.
func (e *MapEnv) Data(id string) (Value, error) {
	v, ok := e.Values[id]
	if !ok {
		return Value{}, fmt.Errorf("Unknown metric or expression id %q.", id)
	}
	return v, nil
}

// MetricIDs returns e.Metrics.
func (e *MapEnv) MetricIDs() []string { return e.Metrics }

// Period returns the period of a metric query.
func (e *MapEnv) Period(id string) int64 {
	if p, ok := e.Periods[id]; ok {
		return p
	}
	return e.Win.Period
}

// Window returns e.Win.
func (e *MapEnv) Window() Window { return e.Win }

// Search calls SearchFunc, or finds nothing.
func (e *MapEnv) Search(q *SearchQuery) ([]Series, error) {
	if e.SearchFunc == nil {
		return nil, nil
	}
	return e.SearchFunc(q)
}

// AnomalyBand calls BandFunc, or answers UnavailableSource.
func (e *MapEnv) AnomalyBand(id string, s Series, width float64) (Series, Series, error) {
	if e.BandFunc == nil {
		return Series{}, Series{}, UnavailableSource("ANOMALY_DETECTION_BAND", nil)
	}
	return e.BandFunc(id, s, width)
}

// External calls ExternalFunc, or answers UnavailableSource.
func (e *MapEnv) External(fn string, args []string, in *Series) (Series, error) {
	if e.ExternalFunc == nil {
		return Series{}, UnavailableSource(fn, args)
	}
	return e.ExternalFunc(fn, args, in)
}

// UnavailableSource returns the error of a source this simulator does not
// have (it wraps ErrUnavailable). AWS does not document these messages; the
// wording follows its style.
func UnavailableSource(fn string, args []string) error {
	switch fn {
	case "INSIGHT_RULE_METRIC":
		rule := ""
		if len(args) > 0 {
			rule = args[0]
		}
		return Unavailable("The Contributor Insights rule %q does not exist or is not available in this account.", rule)
	case "SERVICE_QUOTA":
		return Unavailable("SERVICE_QUOTA is not available: no service quota is associated with this usage metric.")
	case "DB_PERF_INSIGHTS":
		return Unavailable("DB_PERF_INSIGHTS is not available: Performance Insights data for %s is not accessible.", strings.Join(args, "/"))
	case "ANOMALY_DETECTION_BAND":
		return Unavailable("ANOMALY_DETECTION_BAND is not available: no anomaly detection model can be trained for this metric.")
	}
	return Unavailable("%s is not available.", fn)
}
