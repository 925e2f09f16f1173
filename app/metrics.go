package app

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/metricdata"
)

// Dim is a metric's dimension.
type Dim struct{ Name, Value string }

// MetricID names a metric: its namespace, name and dimensions.
type MetricID struct {
	Namespace  string
	MetricName string
	Dimensions []Dim `json:",omitempty"`
}

// Key is a string that identifies the metric.
func (m MetricID) Key() string {
	var b strings.Builder
	b.WriteString(m.Namespace + "|" + m.MetricName)
	for _, d := range m.Dimensions {
		b.WriteString("|" + d.Name + "=" + d.Value)
	}
	return b.String()
}

// DimsText is the dimensions as Name=Value pairs, comma separated.
func (m MetricID) DimsText() string {
	var parts []string
	for _, d := range m.Dimensions {
		parts = append(parts, d.Name+"="+d.Value)
	}
	return strings.Join(parts, ", ")
}

// ParseDims reads dimensions typed as Name=Value pairs separated by commas.
// The service checks them; a pair without "=" is an error here.
func ParseDims(s string) ([]Dim, error) {
	var out []Dim
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return nil, fmt.Errorf("the dimension %q is not Name=Value", p)
		}
		out = append(out, Dim{Name: strings.TrimSpace(k), Value: strings.TrimSpace(v)})
	}
	return out, nil
}

// MDStat is a MetricStat of a GetMetricData query.
type MDStat struct {
	Metric MetricID
	Period int
	Stat   string
	Unit   string `json:",omitempty"`
}

// MDQuery is one query of GetMetricData (and a member of an alarm's Metrics).
type MDQuery struct {
	Id         string
	MetricStat *MDStat `json:",omitempty"`
	Expression string  `json:",omitempty"`
	Label      string  `json:",omitempty"`
	ReturnData *bool   `json:",omitempty"`
	Period     int     `json:",omitempty"`
}

// returns reports whether the query's data is returned (the default).
func (q MDQuery) returns() bool { return q.ReturnData == nil || *q.ReturnData }

// MDMessage is a message of GetMetricData.
type MDMessage = metricdata.MessageData

// MDResult is one result of GetMetricData (put in time order by metricData).
type MDResult = metricdata.MetricDataResult

// read makes a read-only API call of the CloudWatch pages: as call, but
// without saving the world after it (it changed only by the CloudTrail
// record of the call). A page's load saves once when it is done, instead of
// once per call: a save writes the whole world.
func (s *Session) read(service, op string, in any, out any) error {
	return s.invoke(service, op, in, out, false)
}

// metricData runs GetMetricData over [start, end), oldest first, through
// every page of results.
func (s *Session) metricData(qs []MDQuery, start, end time.Time) ([]MDResult, []MDMessage, error) {
	var results []MDResult
	var msgs []MDMessage
	index := map[string]int{}
	in := map[string]any{"MetricDataQueries": qs, "StartTime": start.Unix(), "EndTime": end.Unix(), "ScanBy": "TimestampAscending"}
	if err := pages(in, "NextToken", 50, func() (string, error) {
		var out struct {
			MetricDataResults []MDResult
			Messages          []MDMessage
			NextToken         string
		}
		if err := s.read("cloudwatch", "GetMetricData", in, &out); err != nil {
			return "", err
		}
		for _, r := range out.MetricDataResults {
			// An anomaly band answers with two results of one id, Upper
			// and Lower: the label tells them apart.
			key := r.Id + "\x00" + r.Label
			if i, ok := index[key]; ok {
				results[i].Timestamps = append(results[i].Timestamps, r.Timestamps...)
				results[i].Values = append(results[i].Values, r.Values...)
				results[i].StatusCode = r.StatusCode
				results[i].Messages = append(results[i].Messages, r.Messages...)
				continue
			}
			index[key] = len(results)
			results = append(results, r)
		}
		msgs = append(msgs, out.Messages...)
		return out.NextToken, nil
	}); err != nil {
		return nil, nil, err
	}
	for i := range results {
		sortResult(&results[i])
	}
	return results, msgs, nil
}

// sortResult puts a result's points in time order.
func sortResult(r *MDResult) {
	n := len(r.Timestamps)
	if len(r.Values) < n {
		n = len(r.Values)
	}
	r.Timestamps, r.Values = r.Timestamps[:n], r.Values[:n]
	if sort.SliceIsSorted(r.Timestamps, func(i, j int) bool { return r.Timestamps[i].Before(r.Timestamps[j]) }) {
		return
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return r.Timestamps[idx[a]].Before(r.Timestamps[idx[b]]) })
	ts, vs := make([]time.Time, n), make([]float64, n)
	for k, i := range idx {
		ts[k], vs[k] = r.Timestamps[i], r.Values[i]
	}
	r.Timestamps, r.Values = ts, vs
}

// Periods are the periods the pages offer, in seconds.
var Periods = []int{60, 300, 900, 3600, 21600, 86400}

// AutoPeriod is the shortest period of Periods that keeps a range within
// 1,440 datapoints (GetMetricStatistics' limit, and plenty for a chart).
func AutoPeriod(d time.Duration) int {
	for _, p := range Periods {
		if d/(time.Duration(p)*time.Second) <= 1440 {
			return p
		}
	}
	return Periods[len(Periods)-1]
}

// Stats are the statistics the pages offer.
var Stats = []string{"Average", "Sum", "Minimum", "Maximum", "SampleCount", "p50", "p90", "p99"}

// periodLabel is a period as the console shows it.
func periodLabel(p int) string {
	switch {
	case p%86400 == 0:
		return strconv.Itoa(p/86400) + " d"
	case p%3600 == 0:
		return strconv.Itoa(p/3600) + " h"
	case p%60 == 0:
		return strconv.Itoa(p/60) + " min"
	}
	return strconv.Itoa(p) + " s"
}

// TimeWindow is the time range of a chart: the last Range of the virtual
// clock, or a range chosen by dragging on the chart.
type TimeWindow struct {
	Range      string // a TimeRanges label, or "" when zoomed
	D          time.Duration
	Start, End time.Time // when zoomed
}

// bounds returns the window at now.
func (w *TimeWindow) bounds(now time.Time) (time.Time, time.Time) {
	if w.Range == "" && w.End.After(w.Start) {
		return w.Start, w.End
	}
	d := w.D
	if d <= 0 {
		d = time.Hour
	}
	end := now.Truncate(time.Minute).Add(time.Minute)
	return end.Add(-d), end
}

// set picks a range button.
func (w *TimeWindow) set(label string, d time.Duration) { *w = TimeWindow{Range: label, D: d} }

// zoom picks a range dragged on the chart.
func (w *TimeWindow) zoom(start, end time.Time) { *w = TimeWindow{Start: start, End: end} }

// MetricsView is the state of the Metrics page.
type MetricsView struct {
	Notice     Notice
	Namespaces []string
	Namespace  string     // the namespace browsed
	All        []MetricID // every metric of the account (ListMetrics)
	Search     string     // filters the metrics browsed by name or dimension
	// DimSet filters the metrics browsed by their dimension names, as the
	// console groups them: DimSetNone for none, "" for all.
	DimSet    string
	Graphed   []GraphedMetric
	Stat      string
	Period    int // 0: automatic
	Window    TimeWindow
	Expr      TextBox // a metric math expression over the graphed ids
	ExprLabel string
	ExprErr   string // AWS's error for the expression, or ""
	Results   []MDResult
	Messages  []MDMessage
	Chart     *Chart
	loadedAt  time.Time
	// lastRefresh is when the page last loaded again as the clock played.
	lastRefresh time.Time
	// Put is the form that publishes a datapoint (PutMetricData).
	Put PutForm
}

// GraphedMetric is a metric on the chart, with its query id.
type GraphedMetric struct {
	Id     string
	Metric MetricID
}

// PutForm is the form of PutMetricData.
type PutForm struct {
	Namespace, MetricName, Dimensions, Value, Unit string
}

func (v *MetricsView) init() {
	if v.Stat == "" {
		v.Stat = "Average"
	}
	if v.Window.Range == "" && v.Window.End.IsZero() {
		v.Window.set("1h", time.Hour)
	}
	if v.Put.Namespace == "" && v.Put.MetricName == "" {
		v.Put = PutForm{Namespace: "App", MetricName: "Load", Value: "90"}
	}
}

// MetricsLoad lists the metrics (ListMetrics, every page) and graphs the
// chosen ones.
func (s *Session) MetricsLoad() {
	defer s.Save()
	v := &s.Metrics
	v.init()
	var all []MetricID
	in := map[string]any{}
	if err := pages(in, "NextToken", 100, func() (string, error) {
		var out struct {
			Metrics   []MetricID
			NextToken string
		}
		if err := s.read("cloudwatch", "ListMetrics", in, &out); err != nil {
			return "", err
		}
		all = append(all, out.Metrics...)
		return out.NextToken, nil
	}); err != nil {
		v.Notice.set(err, "")
		return
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Key() < all[j].Key() })
	v.All = all
	seen := map[string]bool{}
	v.Namespaces = nil
	for _, m := range all {
		if !seen[m.Namespace] {
			seen[m.Namespace] = true
			v.Namespaces = append(v.Namespaces, m.Namespace)
		}
	}
	if !seen[v.Namespace] {
		v.Namespace = ""
		if len(v.Namespaces) > 0 {
			v.Namespace = v.Namespaces[0]
		}
	}
	s.MetricsGraph()
}

// DimSetNone is the dimension set of metrics without dimensions.
const DimSetNone = "(no dimensions)"

// dimSet is the names of a metric's dimensions, comma separated.
func dimSet(m MetricID) string {
	if len(m.Dimensions) == 0 {
		return DimSetNone
	}
	var names []string
	for _, d := range m.Dimensions {
		names = append(names, d.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// DimSets returns the dimension sets of the browsed namespace.
func (v *MetricsView) DimSets() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range v.All {
		if m.Namespace != v.Namespace {
			continue
		}
		if k := dimSet(m); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Browsed returns the metrics of the browsed namespace that match the search.
func (v *MetricsView) Browsed() []MetricID {
	var out []MetricID
	q := strings.ToLower(strings.TrimSpace(v.Search))
	for _, m := range v.All {
		if m.Namespace != v.Namespace || v.DimSet != "" && dimSet(m) != v.DimSet {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(m.MetricName+" "+m.DimsText()), q) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// IsGraphed reports whether a metric is on the chart.
func (v *MetricsView) IsGraphed(m MetricID) bool {
	for _, g := range v.Graphed {
		if g.Metric.Key() == m.Key() {
			return true
		}
	}
	return false
}

// ToggleGraph puts a metric on the chart, or takes it off.
func (s *Session) ToggleGraph(m MetricID) {
	v := &s.Metrics
	for i, g := range v.Graphed {
		if g.Metric.Key() == m.Key() {
			v.Graphed = append(v.Graphed[:i:i], v.Graphed[i+1:]...)
			s.MetricsGraph()
			return
		}
	}
	// The next free id, m1, m2...
	used := map[string]bool{}
	for _, g := range v.Graphed {
		used[g.Id] = true
	}
	id := ""
	for n := 1; ; n++ {
		id = "m" + strconv.Itoa(n)
		if !used[id] {
			break
		}
	}
	v.Graphed = append(v.Graphed, GraphedMetric{Id: id, Metric: m})
	s.MetricsGraph()
}

// period is the period of the chart's queries.
func (v *MetricsView) period(start, end time.Time) int {
	if v.Period > 0 {
		return v.Period
	}
	return AutoPeriod(end.Sub(start))
}

// MetricsGraph queries the graphed metrics and the expression
// (GetMetricData) and draws them.
func (s *Session) MetricsGraph() {
	defer s.Save()
	v := &s.Metrics
	v.init()
	w := s.World()
	if w == nil {
		return
	}
	v.loadedAt = w.Now()
	start, end := v.Window.bounds(w.Now())
	period := v.period(start, end)
	t := true
	var qs []MDQuery
	for _, g := range v.Graphed {
		qs = append(qs, MDQuery{Id: g.Id, MetricStat: &MDStat{Metric: g.Metric, Period: period, Stat: v.Stat}, ReturnData: &t})
	}
	expr := strings.TrimSpace(v.Expr.Value)
	if expr != "" {
		qs = append(qs, MDQuery{Id: "e1", Expression: expr, Label: strings.TrimSpace(v.ExprLabel), Period: period, ReturnData: &t})
	}
	v.ExprErr = ""
	chart := &Chart{ID: "tt-metrics-chart", Start: start, End: end, OnZoom: func(a, b time.Time) {
		v.Window.zoom(a, b)
		s.MetricsGraph()
	}}
	v.Chart, v.Results, v.Messages = chart, nil, nil
	if len(qs) == 0 {
		return
	}
	res, msgs, err := s.metricData(qs, start, end)
	if err != nil && expr != "" {
		// Say which part failed: the expression alone, or the metrics.
		v.ExprErr = err.Error()
		res, msgs, err = s.metricData(qs[:len(qs)-1], start, end)
		if len(qs) == 1 {
			res, msgs, err = nil, nil, nil
		}
	}
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Results, v.Messages = res, msgs
	for _, r := range res {
		label := r.Label
		if label == "" {
			label = r.Id
		}
		chart.Series = append(chart.Series, Series{Label: r.Id + " · " + label, Times: r.Timestamps, Values: r.Values})
	}
}

// SetExpr changes the expression as it is typed and previews it.
func (s *Session) SetExpr(x string) {
	s.Metrics.Expr.Value = x
	s.MetricsGraph()
}

// stale reports whether the virtual clock moved on by a minute or
// more since the chart was drawn.
func (v *MetricsView) stale(now time.Time) bool {
	return !v.loadedAt.IsZero() && now.Sub(v.loadedAt) >= time.Minute && v.Window.Range != ""
}

// mayRefresh reports whether a page may load its data again because the
// virtual clock moved on: not while the clock is moving in steps, and
// while it plays, at most every RefreshEvery of real time (every load is a
// few API calls, each saving the world).
func (s *Session) mayRefresh(last *time.Time) bool {
	if s.Advancing() {
		return false
	}
	if s.Clock.Playing {
		now := time.Now()
		if now.Sub(*last) < RefreshEvery {
			return false
		}
		*last = now
	}
	return true
}

// RefreshEvery is how often, in real time, the CloudWatch pages load their
// data again while the clock plays.
const RefreshEvery = 2 * time.Second

// PutData publishes the put form's datapoint (PutMetricData).
func (s *Session) PutData() {
	v := &s.Metrics
	f := v.Put
	dims, err := ParseDims(f.Dimensions)
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	val, err := strconv.ParseFloat(strings.TrimSpace(f.Value), 64)
	if err != nil {
		v.Notice.set(fmt.Errorf("the value %q is not a number", f.Value), "")
		return
	}
	datum := map[string]any{"MetricName": strings.TrimSpace(f.MetricName), "Value": val}
	if len(dims) > 0 {
		datum["Dimensions"] = dims
	}
	if u := strings.TrimSpace(f.Unit); u != "" {
		datum["Unit"] = u
	}
	in := map[string]any{"Namespace": strings.TrimSpace(f.Namespace), "MetricData": []any{datum}}
	w := s.World()
	ok := fmt.Sprintf("Published %s = %s at %s.", strings.TrimSpace(f.MetricName), FormatValue(val), FormatTime(w.Now()))
	if v.Notice.set(s.call("cloudwatch", "PutMetricData", in, nil), ok) {
		s.MetricsLoad()
	}
}
