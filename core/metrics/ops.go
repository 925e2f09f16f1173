package metrics

import (
	"encoding/base64"
	"fmt"
	"github.com/telltale-dev/telltale/core/metricdata"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// Limits of the read operations.
const (
	MaxStatisticsDatapoints = 1440
	MaxQueries              = 500
	DefaultMaxDatapoints    = 100800
	ListMetricsPageSize     = 500
)

// GetMetricStatisticsInput is the request of GetMetricStatistics.
type GetMetricStatisticsInput struct {
	Namespace          string
	MetricName         string
	Dimensions         []Dimension
	StartTime          *time.Time
	EndTime            *time.Time
	Period             *int64
	Statistics         []string
	ExtendedStatistics []string
	Unit               string
}

// StatisticsDatapoint is a datapoint of GetMetricStatistics: only the
// requested statistics are set.
type StatisticsDatapoint struct {
	Timestamp          time.Time
	SampleCount        *float64           `json:",omitempty"`
	Average            *float64           `json:",omitempty"`
	Sum                *float64           `json:",omitempty"`
	Minimum            *float64           `json:",omitempty"`
	Maximum            *float64           `json:",omitempty"`
	Unit               string             `json:",omitempty"`
	ExtendedStatistics map[string]float64 `json:",omitempty"`
}

// GetMetricStatisticsOutput is the response of GetMetricStatistics.
type GetMetricStatisticsOutput struct {
	Label      string
	Datapoints []StatisticsDatapoint
}

// GetMetricStatistics returns the statistics of one metric per period. AWS
// returns the datapoints in no particular order; the simulator sorts them by
// time, then by unit.
func (s *Service) GetMetricStatistics(c *api.Call, in *GetMetricStatisticsInput) (*GetMetricStatisticsOutput, error) {
	switch {
	case in.Namespace == "":
		return nil, errMissing("The parameter Namespace is required.")
	case in.MetricName == "":
		return nil, errMissing("The parameter MetricName is required.")
	case in.StartTime == nil:
		return nil, errMissing("The parameter StartTime is required.")
	case in.EndTime == nil:
		return nil, errMissing("The parameter EndTime is required.")
	case in.Period == nil:
		return nil, errMissing("The parameter Period is required.")
	}
	if !in.StartTime.Before(*in.EndTime) {
		return nil, errInvalid("The parameter StartTime must be less than the parameter EndTime.")
	}
	period := *in.Period
	if !ValidPeriod(period) {
		return nil, errInvalid("The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.")
	}
	if n := datapointCount(*in.StartTime, *in.EndTime, period); n > MaxStatisticsDatapoints {
		return nil, errCombination("You have requested up to %d datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", n, MaxStatisticsDatapoints)
	}
	if len(in.Statistics) > 0 && len(in.ExtendedStatistics) > 0 {
		return nil, errCombination("The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.")
	}
	if len(in.Statistics) == 0 && len(in.ExtendedStatistics) == 0 {
		return nil, errMissing("The parameter Statistics or ExtendedStatistics is required.")
	}
	var stats []Statistic
	for i, name := range in.Statistics {
		st, ok := ParseStatistic(name)
		if !ok || st.Extended() {
			return nil, errInvalid("The parameter Statistics.member.%d must be a value in the set [Average, Sum, SampleCount, Maximum, Minimum].", i+1)
		}
		stats = append(stats, st)
	}
	for i, name := range in.ExtendedStatistics {
		st, ok := ParseStatistic(name)
		if !ok || !st.Extended() {
			return nil, errInvalid("The value %s for parameter ExtendedStatistics.member.%d is invalid.", name, i+1)
		}
		stats = append(stats, st)
	}
	unit := -1
	if in.Unit != "" {
		if unit = unitIndex(in.Unit); unit < 0 {
			return nil, errInvalid("The value %s for parameter Unit is invalid.", in.Unit)
		}
	}
	w := align(*in.StartTime, *in.EndTime, c.Now, period)
	var byUnit map[int][]bucket
	id := s.idOf(in.Namespace, in.MetricName, in.Dimensions)
	s.store.View(func(tx *store.Tx) error {
		byUnit = s.aggregate(tx, id, unit, w, c.Now)
		return nil
	})
	out := &GetMetricStatisticsOutput{Label: in.MetricName, Datapoints: []StatisticsDatapoint{}}
	_, units := unitNames(byUnit)
	for _, u := range units {
		for _, b := range byUnit[u] {
			dp := StatisticsDatapoint{Timestamp: b.start, Unit: StandardUnits[u]}
			has := false
			for _, st := range stats {
				v, ok := st.value(&b.c)
				if !ok {
					continue
				}
				has = true
				switch st.kind {
				case "SampleCount":
					dp.SampleCount = &v
				case "Average":
					dp.Average = &v
				case "Sum":
					dp.Sum = &v
				case "Minimum":
					dp.Minimum = &v
				case "Maximum":
					dp.Maximum = &v
				default:
					if dp.ExtendedStatistics == nil {
						dp.ExtendedStatistics = map[string]float64{}
					}
					dp.ExtendedStatistics[st.Name] = v
				}
			}
			if has {
				out.Datapoints = append(out.Datapoints, dp)
			}
		}
	}
	sort.SliceStable(out.Datapoints, func(i, j int) bool {
		return out.Datapoints[i].Timestamp.Before(out.Datapoints[j].Timestamp)
	})
	return out, nil
}

// MetricStat is metricdata.MetricStat.
type MetricStat = metricdata.MetricStat

// MetricDataQuery is metricdata.MetricDataQuery.
type MetricDataQuery = metricdata.MetricDataQuery

// LabelOptions is metricdata.LabelOptions.
type LabelOptions = metricdata.LabelOptions

// GetMetricDataInput is metricdata.GetMetricDataInput.
type GetMetricDataInput = metricdata.GetMetricDataInput

// MessageData is metricdata.MessageData.
type MessageData = metricdata.MessageData

// MetricDataResult is metricdata.MetricDataResult.
type MetricDataResult = metricdata.MetricDataResult

// GetMetricDataOutput is metricdata.GetMetricDataOutput.
type GetMetricDataOutput = metricdata.GetMetricDataOutput

var idPattern = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

func queryParam(i int, field string) string {
	return "MetricDataQueries.member." + strconv.Itoa(i) + "." + field
}

// GetMetricData runs MetricStat and Expression queries. Results come in the
// order of the queries that return data, values in ScanBy order (newest first
// by default). When the datapoints exceed MaxDatapoints, the results are cut
// and NextToken continues them.
func (s *Service) GetMetricData(c *api.Call, in *GetMetricDataInput) (*GetMetricDataOutput, error) {
	qs := in.MetricDataQueries
	switch {
	case len(qs) == 0:
		return nil, errMissing("The parameter MetricDataQueries is required.")
	case in.StartTime == nil:
		return nil, errMissing("The parameter StartTime is required.")
	case in.EndTime == nil:
		return nil, errMissing("The parameter EndTime is required.")
	}
	if len(qs) > MaxQueries {
		return nil, errInvalid("The collection MetricDataQueries must not have a size greater than %d.", MaxQueries)
	}
	if !in.StartTime.Before(*in.EndTime) {
		return nil, errInvalid("The parameter StartTime must be less than the parameter EndTime.")
	}
	scan := in.ScanBy
	if scan == "" {
		scan = "TimestampDescending"
	}
	if scan != "TimestampDescending" && scan != "TimestampAscending" {
		return nil, errInvalid("The value %s for parameter ScanBy is invalid.", in.ScanBy)
	}
	maxPoints := int64(DefaultMaxDatapoints)
	if in.MaxDatapoints != nil {
		if *in.MaxDatapoints < 1 {
			return nil, errInvalid("The value %d for parameter MaxDatapoints is invalid.", *in.MaxDatapoints)
		}
		maxPoints = *in.MaxDatapoints
	}
	zone, err := labelZone(in.LabelOptions)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	stats := make([]Statistic, len(qs))
	for i, q := range qs {
		n := i + 1
		if !idPattern.MatchString(q.Id) {
			return nil, errInvalid("The value %s for parameter %s is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores.", q.Id, queryParam(n, "Id"))
		}
		if seen[q.Id] {
			return nil, errInvalid("The value %s for parameter %s is not unique.", q.Id, queryParam(n, "Id"))
		}
		seen[q.Id] = true
		switch {
		case q.MetricStat != nil && q.Expression != nil:
			return nil, errCombination("The parameters %s and %s are mutually exclusive and you have specified both.", queryParam(n, "MetricStat"), queryParam(n, "Expression"))
		case q.MetricStat == nil && q.Expression == nil:
			return nil, errMissing("The parameter %s or %s is required.", queryParam(n, "MetricStat"), queryParam(n, "Expression"))
		case q.MetricStat != nil:
			ms := q.MetricStat
			if ms.Metric == nil {
				return nil, errMissing("The parameter %s is required.", queryParam(n, "MetricStat.Metric"))
			}
			if ms.Metric.MetricName == "" {
				return nil, errMissing("The parameter %s is required.", queryParam(n, "MetricStat.Metric.MetricName"))
			}
			if ms.Period == nil {
				return nil, errMissing("The parameter %s is required.", queryParam(n, "MetricStat.Period"))
			}
			if !ValidPeriod(*ms.Period) {
				return nil, errInvalid("The parameter %s must be 1, 5, 10, 20, 30, or a multiple of 60.", queryParam(n, "MetricStat.Period"))
			}
			st, ok := ParseStatistic(ms.Stat)
			if !ok {
				return nil, errInvalid("The value %s for parameter %s is invalid.", ms.Stat, queryParam(n, "MetricStat.Stat"))
			}
			stats[i] = st
			if ms.Unit != "" && unitIndex(ms.Unit) < 0 {
				return nil, errInvalid("The value %s for parameter %s is invalid.", ms.Unit, queryParam(n, "MetricStat.Unit"))
			}
		}
	}
	start, end := *in.StartTime, *in.EndTime
	series := make(map[string]Series, len(qs))
	for i, q := range qs {
		if q.MetricStat == nil {
			continue
		}
		ms := q.MetricStat
		unit := -1
		if ms.Unit != "" {
			unit = unitIndex(ms.Unit)
		}
		w := align(start, end, c.Now, *ms.Period)
		id := s.idOf(ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions)
		var byUnit map[int][]bucket
		s.store.View(func(tx *store.Tx) error {
			byUnit = s.aggregate(tx, id, unit, w, c.Now)
			return nil
		})
		series[q.Id] = seriesOf(stats[i], byUnit)
	}
	exprs, err := s.evalExpressions(qs, series, start, end, c.Now)
	if err != nil {
		return nil, err
	}
	labels := defaultLabels(qs)
	var results []MetricDataResult
	for _, q := range qs {
		if q.ReturnData != nil && !*q.ReturnData {
			continue
		}
		r := MetricDataResult{Id: q.Id, Label: labels[q.Id], Timestamps: []time.Time{}, Values: []float64{}, StatusCode: "Complete"}
		if q.Label != nil && *q.Label != "" {
			r.Label = *q.Label
		}
		if q.MetricStat != nil {
			sr := series[q.Id]
			for _, d := range sr.Datapoints {
				r.Timestamps = append(r.Timestamps, d.Timestamp)
				r.Values = append(r.Values, d.Value)
			}
			if q.MetricStat.Unit == "" && len(sr.Units) > 1 {
				r.Messages = append(r.Messages, MessageData{Code: "MultipleUnits", Value: "Multiple units returned: '[" + strings.Join(sr.Units, ", ") + "]'"})
			}
			if scan == "TimestampDescending" {
				reverse(r.Timestamps, r.Values)
			}
			r.Label = s.resultLabel(c, q, &r, labels[q.Id], zone)
			results = append(results, r)
			continue
		}
		// An expression gives one result per series it returns.
		for _, e := range exprs[q.Id] {
			er := r
			er.Label = e.Label
			er.Timestamps = append([]time.Time{}, e.Timestamps...)
			er.Values = append([]float64{}, e.Values...)
			if scan == "TimestampDescending" {
				reverse(er.Timestamps, er.Values)
			}
			er.Label = s.exprResultLabel(c, qs, q, &er, labels, zone)
			results = append(results, er)
		}
	}
	hasExpr := false
	for _, q := range qs {
		hasExpr = hasExpr || q.Expression != nil
	}
	if hasExpr && (in.NextToken == nil || *in.NextToken == "") {
		// "NextToken is not returned if you are performing a math
		// expression": a call with expressions returns everything.
		maxPoints = math.MaxInt64
	}
	return paginate(results, in.NextToken, maxPoints)
}

func reverse(ts []time.Time, vs []float64) {
	for i, j := 0, len(ts)-1; i < j; i, j = i+1, j-1 {
		ts[i], ts[j] = ts[j], ts[i]
		vs[i], vs[j] = vs[j], vs[i]
	}
}

// defaultLabels gives each query the label AWS gives it without a Label: the
// metric name, followed by the statistic when the MetricStat queries of the
// call use several statistics, and by the period when they use several
// periods (never the unit). An expression's default label is its Id.
func defaultLabels(qs []MetricDataQuery) map[string]string {
	statsSet, periods := map[string]bool{}, map[int64]bool{}
	for _, q := range qs {
		if q.MetricStat != nil {
			statsSet[q.MetricStat.Stat] = true
			periods[*q.MetricStat.Period] = true
		}
	}
	out := make(map[string]string, len(qs))
	for _, q := range qs {
		if q.MetricStat == nil {
			out[q.Id] = q.Id
			continue
		}
		l := q.MetricStat.Metric.MetricName
		if len(statsSet) > 1 {
			l += " " + q.MetricStat.Stat
		}
		if len(periods) > 1 {
			l += " " + strconv.FormatInt(*q.MetricStat.Period, 10)
		}
		out[q.Id] = l
	}
	return out
}

// paginate cuts the results after maxPoints datapoints. The token is
// "<result index>:<value offset>" in base64.
func paginate(all []MetricDataResult, token *string, maxPoints int64) (*GetMetricDataOutput, error) {
	ri, off := 0, 0
	if token != nil && *token != "" {
		b, err := base64.RawURLEncoding.DecodeString(*token)
		var a, o int
		if err == nil {
			_, err = fmt.Sscanf(string(b), "%d:%d", &a, &o)
		}
		if err != nil || a < 0 || a >= len(all) || o < 0 || o > len(all[a].Values) || fmt.Sprintf("%d:%d", a, o) != string(b) {
			return nil, awserr.BadRequest("InvalidNextToken", "The service returned an invalid NextToken.")
		}
		ri, off = a, o
	}
	out := &GetMetricDataOutput{MetricDataResults: []MetricDataResult{}, Messages: []MessageData{}}
	budget := maxPoints
	for i := ri; i < len(all); i++ {
		r := all[i]
		if i == ri && off > 0 {
			r.Timestamps, r.Values = r.Timestamps[off:], r.Values[off:]
		}
		if int64(len(r.Values)) > budget {
			cut := int(budget)
			next := cut
			if i == ri {
				next += off
			}
			r.Timestamps, r.Values = r.Timestamps[:cut], r.Values[:cut]
			r.StatusCode = "PartialData"
			out.MetricDataResults = append(out.MetricDataResults, r)
			out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d:%d", i, next)))
			return out, nil
		}
		budget -= int64(len(r.Values))
		out.MetricDataResults = append(out.MetricDataResults, r)
	}
	return out, nil
}

// ListMetricsInput is the request of ListMetrics.
type ListMetricsInput struct {
	Namespace             string
	MetricName            string
	Dimensions            []DimensionFilter
	NextToken             *string
	RecentlyActive        string
	IncludeLinkedAccounts *bool
	OwningAccount         string
}

// DimensionFilter matches a dimension by name and, when given, value.
type DimensionFilter struct {
	Name  string
	Value *string
}

// ListMetricsOutput is the response of ListMetrics.
type ListMetricsOutput struct {
	Metrics        []Metric
	NextToken      string   `json:",omitempty"`
	OwningAccounts []string `json:",omitempty"`
}

// ListMetrics lists the metrics that received data in the last two weeks
// (the last three hours with RecentlyActive=PT3H), filtered by namespace,
// name and dimensions, 500 per page, sorted by namespace, name and
// dimensions.
func (s *Service) ListMetrics(c *api.Call, in *ListMetricsInput) (*ListMetricsOutput, error) {
	window := ListWindow
	switch in.RecentlyActive {
	case "":
	case "PT3H":
		window = RecentWindow
	default:
		return nil, errInvalid("The value %s for parameter RecentlyActive is invalid.", in.RecentlyActive)
	}
	after := ""
	if in.NextToken != nil && *in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		if err != nil || len(b) == 0 {
			return nil, errInvalid("The value %s for parameter NextToken is invalid.", *in.NextToken)
		}
		after = string(b)
	}
	out := &ListMetricsOutput{Metrics: []Metric{}}
	if in.OwningAccount != "" && in.OwningAccount != s.account {
		// A world is one account: no metric belongs to another.
		return out, nil
	}
	var found []Metric
	s.store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, metricPrefix, func(_, v string) bool {
			var m metric
			if err := jsonUnmarshal(v, &m); err != nil {
				return true
			}
			if c.Now.Sub(m.LastReceived) > window {
				return true
			}
			if in.Namespace != "" && m.Namespace != in.Namespace || in.MetricName != "" && m.MetricName != in.MetricName {
				return true
			}
			for _, f := range in.Dimensions {
				if !hasDimension(m.Dimensions, f) {
					return true
				}
			}
			found = append(found, m.identity())
			return true
		})
	})
	sort.Slice(found, func(i, j int) bool { return sortKey(found[i]) < sortKey(found[j]) })
	for _, m := range found {
		k := sortKey(m)
		if after != "" && k <= after {
			continue
		}
		if len(out.Metrics) == ListMetricsPageSize {
			out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(sortKey(out.Metrics[len(out.Metrics)-1])))
			break
		}
		out.Metrics = append(out.Metrics, m)
	}
	if in.IncludeLinkedAccounts != nil && *in.IncludeLinkedAccounts {
		// Every metric is the world's own: OwningAccounts pairs each with it.
		out.OwningAccounts = make([]string, len(out.Metrics))
		for i := range out.OwningAccounts {
			out.OwningAccounts[i] = s.account
		}
	}
	return out, nil
}

func hasDimension(ds []Dimension, f DimensionFilter) bool {
	for _, d := range ds {
		if d.Name == f.Name && (f.Value == nil || *f.Value == d.Value) {
			return true
		}
	}
	return false
}
