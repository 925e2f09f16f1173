package metrics

import (
	"time"
)

// exprResult is the result of an Expression query.
type exprResult struct {
	Timestamps []time.Time
	Values     []float64
	Messages   []MessageData
	StatusCode string
}

// evalExpressions evaluates the Expression queries of a GetMetricData call
// over the MetricStat series.
func (s *Service) evalExpressions(qs []MetricDataQuery, series map[string]Series, start, end, now time.Time) (map[string]exprResult, error) {
	for i, q := range qs {
		if q.Expression != nil {
			return nil, errInvalid("The value %s for parameter %s is invalid.", *q.Expression, queryParam(i+1, "Expression"))
		}
	}
	return nil, nil
}
