package app

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Alarm is a metric or composite alarm as DescribeAlarms returns it.
type Alarm struct {
	AlarmName, AlarmArn, AlarmDescription string
	StateValue, StateReason               string
	StateUpdatedTimestamp                 time.Time
	ActionsEnabled                        bool
	OKActions, AlarmActions               []string
	InsufficientDataActions               []string
	// Metric alarms.
	Namespace, MetricName, Statistic, ExtendedStatistic string
	Dimensions                                          []Dim
	Period, EvaluationPeriods, DatapointsToAlarm        int
	Threshold                                           *float64
	ThresholdMetricId                                   string
	ComparisonOperator, TreatMissingData                string
	Metrics                                             []MDQuery
	Unit, EvaluateLowSampleCountPercentile              string
	// Composite alarms.
	AlarmRule                        string
	ActionsSuppressor                string
	ActionsSuppressorWaitPeriod      int
	ActionsSuppressorExtensionPeriod int
	Composite                        bool `json:"-"`
}

// HistoryItem is an item of DescribeAlarmHistory.
type HistoryItem struct {
	AlarmName, AlarmType, HistoryItemType, HistorySummary, HistoryData string
	Timestamp                                                          time.Time
}

// Comparisons are the comparison operators of metric alarms, with how the
// console reads them.
var Comparisons = []Option{
	{"GreaterThanThreshold", "> threshold"},
	{"GreaterThanOrEqualToThreshold", ">= threshold"},
	{"LessThanThreshold", "< threshold"},
	{"LessThanOrEqualToThreshold", "<= threshold"},
}

// BandComparisons are the comparison operators of anomaly band alarms.
var BandComparisons = []Option{
	{"LessThanLowerOrGreaterThanUpperThreshold", "outside the band"},
	{"GreaterThanUpperThreshold", "above the band"},
	{"LessThanLowerThreshold", "below the band"},
}

func isBandOp(op string) bool {
	for _, c := range BandComparisons {
		if c.Value == op {
			return true
		}
	}
	return false
}

// MissingData are the TreatMissingData choices.
var MissingData = []Option{
	{"missing", "missing"}, {"notBreaching", "notBreaching (good)"}, {"breaching", "breaching (bad)"}, {"ignore", "ignore"},
}

// Alarm kinds of the form.
const (
	KindMetric    = "metric"
	KindMath      = "math"
	KindComposite = "composite"
	KindBand      = "band" // an anomaly detection band over m1
)

// AlarmForm is the create and edit form.
type AlarmForm struct {
	Open    bool
	Editing bool // the name is fixed: PutMetricAlarm updates the alarm
	Kind    string
	Name    string
	Desc    string
	// Metric (and the m1 of a math alarm).
	Namespace, MetricName, Dimensions, Statistic string
	Period                                       string
	Expression                                   string // math: over m1
	BandWidth                                    string // band: the number of standard deviations
	Threshold, Comparison                        string
	EvaluationPeriods, DatapointsToAlarm         string
	TreatMissingData                             string
	// Actions: an SNS topic ARN per state, or "".
	AlarmAction, OKAction, InsufficientAction string
	// Composite.
	Rule TextBox
	// kept are the settings of an edited alarm that the form does not show,
	// sent back as they were so that saving does not lose them: the other
	// actions of each state, ActionsEnabled, Unit, the actions suppressor...
	kept map[string]any
	// keptActions are the actions of each state (ALARM, OK,
	// INSUFFICIENT_DATA) besides the SNS topic the form shows.
	keptActions [3][]string
}

// KeptActions are the actions of an edited alarm that the form keeps
// besides its topics.
func (f *AlarmForm) KeptActions() []string {
	var out []string
	for _, l := range f.keptActions {
		out = append(out, l...)
	}
	return out
}

// AlarmsView is the state of the Alarms page.
type AlarmsView struct {
	Notice      Notice
	StateFilter string // "", ALARM, OK, INSUFFICIENT_DATA
	Alarms      []Alarm
	Topics      []string // SNS topic ARNs, for the actions
	Form        AlarmForm
	// Open is the alarm whose page is shown.
	Open    string
	History []HistoryItem
	Chart   *Chart
	// Timeline is the open alarm's states over the graph's time range.
	Timeline []StateSpan
	Window   TimeWindow
	// DetailErr is why the graph could not be drawn.
	DetailErr string
	loadedAt  time.Time
	// lastRefresh is when the page last loaded again as the clock played.
	lastRefresh time.Time
}

// AlarmsLoad lists the alarms (DescribeAlarms, metric and composite, every
// page), the SNS topics for the actions, and the open alarm's page.
func (s *Session) AlarmsLoad() {
	defer s.Save()
	v := &s.Alarms
	if v.Window.Range == "" && v.Window.End.IsZero() {
		v.Window.set("1h", time.Hour)
	}
	w := s.World()
	if w == nil {
		return
	}
	v.loadedAt = w.Now()
	var all []Alarm
	in := map[string]any{"AlarmTypes": []string{"MetricAlarm", "CompositeAlarm"}}
	if v.StateFilter != "" {
		in["StateValue"] = v.StateFilter
	}
	if err := pages(in, "NextToken", 100, func() (string, error) {
		var out struct {
			MetricAlarms, CompositeAlarms []Alarm
			NextToken                     string
		}
		if err := s.read("cloudwatch", "DescribeAlarms", in, &out); err != nil {
			return "", err
		}
		all = append(all, out.MetricAlarms...)
		for _, a := range out.CompositeAlarms {
			a.Composite = true
			all = append(all, a)
		}
		return out.NextToken, nil
	}); err != nil {
		v.Notice.set(err, "")
		return
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].AlarmName < all[j].AlarmName })
	v.Alarms = all
	var topics struct{ Topics []struct{ TopicArn string } }
	if err := s.read("sns", "ListTopics", map[string]any{}, &topics); err == nil {
		v.Topics = nil
		for _, t := range topics.Topics {
			v.Topics = append(v.Topics, t.TopicArn)
		}
		sort.Strings(v.Topics)
	}
	if v.Open != "" {
		if _, ok := v.find(v.Open); !ok {
			v.Open = ""
		} else {
			s.alarmDetail()
		}
	}
}

// find returns the listed alarm of that name.
func (v *AlarmsView) find(name string) (Alarm, bool) {
	for _, a := range v.Alarms {
		if a.AlarmName == name {
			return a, true
		}
	}
	return Alarm{}, false
}

// stale reports whether the virtual clock moved on by a minute or more
// since the list was loaded.
func (v *AlarmsView) stale(now time.Time) bool {
	return !v.loadedAt.IsZero() && now.Sub(v.loadedAt) >= time.Minute
}

// OpenAlarm shows an alarm's page (or folds it).
func (s *Session) OpenAlarm(name string) {
	v := &s.Alarms
	if v.Open == name {
		v.Open, v.Chart, v.History, v.Timeline = "", nil, nil, nil
		return
	}
	v.Open = name
	s.AlarmsLoad()
}

// SetAlarmsWindow changes the time range of the alarm's graph.
func (s *Session) SetAlarmsWindow(label string, d time.Duration) {
	s.Alarms.Window.set(label, d)
	s.alarmDetail()
}

// alarmDetail loads the open alarm's history (DescribeAlarmHistory) and its
// graph (GetMetricData over the alarm's metric or metrics).
func (s *Session) alarmDetail() {
	defer s.Save()
	v := &s.Alarms
	a, ok := v.find(v.Open)
	w := s.World()
	if !ok || w == nil {
		return
	}
	v.History, v.DetailErr = nil, ""
	var hist struct{ AlarmHistoryItems []HistoryItem }
	if err := s.read("cloudwatch", "DescribeAlarmHistory", map[string]any{"AlarmName": a.AlarmName, "MaxRecords": 100}, &hist); err != nil {
		v.DetailErr = err.Error()
	}
	v.History = hist.AlarmHistoryItems
	start, end := v.Window.bounds(w.Now())
	v.Timeline = Timeline(v.History, a.StateValue, start, end)
	chart := &Chart{ID: "tt-alarm-chart", Start: start, End: end, OnZoom: func(a, b time.Time) {
		v.Window.zoom(a, b)
		s.alarmDetail()
	}}
	v.Chart = chart
	if a.Composite {
		return
	}
	qs := alarmQueries(a)
	if a.Threshold != nil {
		chart.Threshold = &Threshold{Value: *a.Threshold, Comparison: a.ComparisonOperator}
	}
	res, _, err := s.metricData(qs, start, end)
	if err != nil {
		v.DetailErr = err.Error()
		return
	}
	if a.ThresholdMetricId != "" {
		band := &Band{Comparison: a.ComparisonOperator}
		var lower, upper *MDResult
		for i := range res {
			if res[i].Id == a.ThresholdMetricId {
				if strings.HasSuffix(res[i].Label, "Lower") {
					lower = &res[i]
				} else {
					upper = &res[i]
				}
			}
		}
		if lower != nil && upper != nil {
			// The bounds, at the instants both have.
			at := map[int64]float64{}
			for i, t := range lower.Timestamps {
				at[t.UnixMilli()] = lower.Values[i]
			}
			for i, t := range upper.Timestamps {
				if lo, ok := at[t.UnixMilli()]; ok {
					band.Times = append(band.Times, t)
					band.Lower = append(band.Lower, lo)
					band.Upper = append(band.Upper, upper.Values[i])
				}
			}
		}
		chart.Band = band
	}
	for _, r := range res {
		if r.Id == a.ThresholdMetricId {
			continue
		}
		label := r.Label
		if label == "" {
			label = r.Id
		}
		chart.Series = append(chart.Series, Series{Label: label, Times: r.Timestamps, Values: r.Values})
	}
}

// alarmQueries are the GetMetricData queries of an alarm's graph: its
// Metrics, or its one metric.
func alarmQueries(a Alarm) []MDQuery {
	if len(a.Metrics) > 0 {
		return a.Metrics
	}
	stat := a.Statistic
	if stat == "" {
		stat = a.ExtendedStatistic
	}
	return []MDQuery{{Id: "m1", Label: a.MetricName, MetricStat: &MDStat{
		Metric: MetricID{Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions}, Period: a.Period, Stat: stat}}}
}

// NewAlarm opens an empty form of a kind.
func (s *Session) NewAlarm(kind string) {
	v := &s.Alarms
	f := AlarmForm{Open: true, Kind: kind, Statistic: "Average", Period: "60", Threshold: "80", Comparison: "GreaterThanThreshold",
		EvaluationPeriods: "3", DatapointsToAlarm: "3", TreatMissingData: "missing", Namespace: "App", MetricName: "Load"}
	f.SetKind(kind)
	if kind == KindComposite {
		f.Rule.set("")
		var names []string
		for _, a := range v.Alarms {
			if !a.Composite && len(names) < 2 {
				names = append(names, `ALARM("`+a.AlarmName+`")`)
			}
		}
		f.Rule.set(strings.Join(names, " OR "))
	}
	v.Form = f
}

// SetKind changes the kind of alarm of the form, with the defaults it needs.
func (f *AlarmForm) SetKind(kind string) {
	f.Kind = kind
	switch kind {
	case KindMath:
		if f.Expression == "" {
			f.Expression = "m1*100"
		}
	case KindBand:
		if f.BandWidth == "" {
			f.BandWidth = "2"
		}
		if !isBandOp(f.Comparison) {
			f.Comparison = BandComparisons[0].Value
		}
		return
	}
	if isBandOp(f.Comparison) {
		f.Comparison = "GreaterThanThreshold"
	}
}

// bandWidth finds the width of ANOMALY_DETECTION_BAND(m1, 2).
var bandWidth = regexp.MustCompile(`^\s*ANOMALY_DETECTION_BAND\s*\(\s*[^,()]+?\s*(?:,\s*([^()]+?)\s*)?\)\s*$`)

// EditAlarm opens the form over an existing alarm.
func (s *Session) EditAlarm(name string) {
	v := &s.Alarms
	a, ok := v.find(name)
	if !ok {
		return
	}
	f := AlarmForm{Open: true, Editing: true, Name: a.AlarmName, Desc: a.AlarmDescription, TreatMissingData: a.TreatMissingData,
		Comparison: a.ComparisonOperator, EvaluationPeriods: itoa0(a.EvaluationPeriods), DatapointsToAlarm: itoa0(a.DatapointsToAlarm)}
	if f.TreatMissingData == "" {
		f.TreatMissingData = "missing"
	}
	if a.Threshold != nil {
		f.Threshold = strconv.FormatFloat(*a.Threshold, 'g', -1, 64)
	}
	f.AlarmAction, f.OKAction, f.InsufficientAction = firstTopic(a.AlarmActions), firstTopic(a.OKActions), firstTopic(a.InsufficientDataActions)
	for i, l := range [][]string{a.AlarmActions, a.OKActions, a.InsufficientDataActions} {
		shown := firstTopic(l)
		for _, arn := range l {
			if arn != shown {
				f.keptActions[i] = append(f.keptActions[i], arn)
			}
		}
	}
	f.kept = map[string]any{"ActionsEnabled": a.ActionsEnabled}
	if a.Composite {
		if a.ActionsSuppressor != "" {
			f.kept["ActionsSuppressor"] = a.ActionsSuppressor
			f.kept["ActionsSuppressorWaitPeriod"] = a.ActionsSuppressorWaitPeriod
			f.kept["ActionsSuppressorExtensionPeriod"] = a.ActionsSuppressorExtensionPeriod
		}
	} else {
		if a.Unit != "" {
			f.kept["Unit"] = a.Unit
		}
		if a.EvaluateLowSampleCountPercentile != "" {
			f.kept["EvaluateLowSampleCountPercentile"] = a.EvaluateLowSampleCountPercentile
		}
	}
	switch {
	case a.Composite:
		f.Kind = KindComposite
		f.Rule.set(a.AlarmRule)
	case len(a.Metrics) > 0:
		f.Kind = KindMath
		if a.ThresholdMetricId != "" {
			f.Kind = KindBand
		}
		for _, q := range a.Metrics {
			if q.MetricStat != nil && f.MetricName == "" {
				f.Namespace, f.MetricName = q.MetricStat.Metric.Namespace, q.MetricStat.Metric.MetricName
				f.Dimensions = q.MetricStat.Metric.DimsText()
				f.Statistic, f.Period = q.MetricStat.Stat, strconv.Itoa(q.MetricStat.Period)
			}
			if q.Expression != "" && q.Id == a.ThresholdMetricId {
				f.BandWidth = "2"
				if m := bandWidth.FindStringSubmatch(q.Expression); m != nil && m[1] != "" {
					f.BandWidth = m[1]
				}
			} else if q.Expression != "" && q.returns() {
				f.Expression = q.Expression
			}
		}
	default:
		f.Kind = KindMetric
		m := MetricID{Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions}
		f.Namespace, f.MetricName, f.Dimensions = a.Namespace, a.MetricName, m.DimsText()
		f.Statistic, f.Period = a.Statistic, strconv.Itoa(a.Period)
		if f.Statistic == "" {
			f.Statistic = a.ExtendedStatistic
		}
	}
	v.Form = f
}

func itoa0(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// firstTopic is the first SNS topic of a list of actions, or "".
func firstTopic(arns []string) string {
	for _, a := range arns {
		if strings.HasPrefix(a, "arn:aws:sns:") {
			return a
		}
	}
	return ""
}

// CancelAlarm closes the form.
func (s *Session) CancelAlarm() { s.Alarms.Form = AlarmForm{} }

// alarmInput builds the request of PutMetricAlarm or PutCompositeAlarm
// from the form. Numbers the learner left empty are left out, so that AWS
// says what is missing.
func (f *AlarmForm) alarmInput() (op string, in map[string]any, err error) {
	in = map[string]any{"AlarmName": strings.TrimSpace(f.Name)}
	if d := strings.TrimSpace(f.Desc); d != "" {
		in["AlarmDescription"] = d
	}
	for k, v := range f.kept {
		in[k] = v
	}
	for i, a := range []struct{ key, arn string }{{"AlarmActions", f.AlarmAction}, {"OKActions", f.OKAction}, {"InsufficientDataActions", f.InsufficientAction}} {
		var list []string
		if a.arn != "" {
			list = append(list, a.arn)
		}
		for _, k := range f.keptActions[i] {
			if k != a.arn {
				list = append(list, k)
			}
		}
		if len(list) > 0 {
			in[a.key] = list
		}
	}
	if f.Kind == KindComposite {
		in["AlarmRule"] = f.Rule.Value
		return "PutCompositeAlarm", in, nil
	}
	num := func(key, text string, integer bool) error {
		text = strings.TrimSpace(text)
		if text == "" {
			return nil
		}
		if integer {
			n, err := strconv.Atoi(text)
			if err != nil {
				return fmt.Errorf("%s: %q is not a whole number", key, text)
			}
			in[key] = n
			return nil
		}
		x, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return fmt.Errorf("%s: %q is not a number", key, text)
		}
		in[key] = x
		return nil
	}
	threshold := f.Threshold
	if f.Kind == KindBand {
		threshold = ""
	}
	for _, n := range []struct {
		key, text string
		integer   bool
	}{{"Threshold", threshold, false}, {"EvaluationPeriods", f.EvaluationPeriods, true}, {"DatapointsToAlarm", f.DatapointsToAlarm, true}} {
		if err := num(n.key, n.text, n.integer); err != nil {
			return "", nil, err
		}
	}
	in["ComparisonOperator"] = f.Comparison
	in["TreatMissingData"] = f.TreatMissingData
	dims, err := ParseDims(f.Dimensions)
	if err != nil {
		return "", nil, err
	}
	period, perr := strconv.Atoi(strings.TrimSpace(f.Period))
	if f.Kind == KindMath || f.Kind == KindBand {
		if perr != nil {
			return "", nil, fmt.Errorf("Period: %q is not a whole number", f.Period)
		}
		no, yes := false, true
		m1 := MDQuery{Id: "m1", MetricStat: &MDStat{Metric: MetricID{Namespace: strings.TrimSpace(f.Namespace), MetricName: strings.TrimSpace(f.MetricName), Dimensions: dims},
			Period: period, Stat: f.Statistic}, ReturnData: &no}
		if f.Kind == KindBand {
			if _, err := strconv.ParseFloat(strings.TrimSpace(f.BandWidth), 64); err != nil {
				return "", nil, fmt.Errorf("the band width %q is not a number", f.BandWidth)
			}
			m1.ReturnData = &yes
			in["Metrics"] = []MDQuery{m1, {Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, " + strings.TrimSpace(f.BandWidth) + ")", ReturnData: &yes}}
			in["ThresholdMetricId"] = "ad1"
			return "PutMetricAlarm", in, nil
		}
		in["Metrics"] = []MDQuery{m1, {Id: "e1", Expression: f.Expression, Label: "e1", ReturnData: &yes}}
		return "PutMetricAlarm", in, nil
	}
	in["Namespace"], in["MetricName"] = strings.TrimSpace(f.Namespace), strings.TrimSpace(f.MetricName)
	if len(dims) > 0 {
		in["Dimensions"] = dims
	}
	if isExtended(f.Statistic) {
		in["ExtendedStatistic"] = f.Statistic
	} else {
		in["Statistic"] = f.Statistic
	}
	if err := num("Period", f.Period, true); err != nil {
		return "", nil, err
	}
	return "PutMetricAlarm", in, nil
}

// isExtended reports whether a statistic is an extended one (p90, tm99...).
func isExtended(stat string) bool {
	switch stat {
	case "Average", "Sum", "Minimum", "Maximum", "SampleCount":
		return false
	}
	return true
}

// SaveAlarm creates or updates the form's alarm (PutMetricAlarm or
// PutCompositeAlarm) and opens its page.
func (s *Session) SaveAlarm() {
	v := &s.Alarms
	f := &v.Form
	op, in, err := f.alarmInput()
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	verb := "Created"
	if f.Editing {
		verb = "Updated"
	}
	name := strings.TrimSpace(f.Name)
	if v.Notice.set(s.call("cloudwatch", op, in, nil), verb+" the alarm "+name+".") {
		v.Form = AlarmForm{}
		v.Open = name
	}
	s.AlarmsLoad()
}

// DeleteAlarm deletes an alarm (DeleteAlarms).
func (s *Session) DeleteAlarm(name string) {
	v := &s.Alarms
	if v.Notice.set(s.call("cloudwatch", "DeleteAlarms", map[string]any{"AlarmNames": []string{name}}, nil), "Deleted the alarm "+name+".") && v.Open == name {
		v.Open = ""
	}
	s.AlarmsLoad()
}

// SetAlarmsFilter lists the alarms in one state, or all.
func (s *Session) SetAlarmsFilter(state string) {
	s.Alarms.StateFilter = state
	s.AlarmsLoad()
}

// ruleChild finds the alarms a composite rule names: ALARM(name),
// OK("name"), INSUFFICIENT_DATA(arn).
var ruleChild = regexp.MustCompile(`\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*("(?:[^"\\]|\\.)*"|[^()\s]+)\s*\)`)

// RuleChildren returns the names of the alarms a composite rule names, in
// order, once each (an ARN stands for its alarm's name).
func RuleChildren(rule string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range ruleChild.FindAllStringSubmatch(rule, -1) {
		name := m[1]
		if strings.HasPrefix(name, `"`) {
			var u string
			if json.Unmarshal([]byte(name), &u) == nil {
				name = u
			} else {
				name = strings.Trim(name, `"`)
			}
		}
		if i := strings.Index(name, ":alarm:"); strings.HasPrefix(name, "arn:") && i >= 0 {
			name = name[i+len(":alarm:"):]
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// StateSpan is a stretch of the state timeline.
type StateSpan struct {
	State      string
	Start, End time.Time
}

// Timeline returns the alarm's states over [start, end] from its history's
// state updates (newest first, as DescribeAlarmHistory gives them) and its
// current state.
func Timeline(items []HistoryItem, current string, start, end time.Time) []StateSpan {
	type change struct {
		at       time.Time
		from, to string
	}
	var changes []change
	for _, it := range items {
		if it.HistoryItemType != "StateUpdate" {
			continue
		}
		var d struct {
			OldState, NewState struct{ StateValue string }
		}
		if json.Unmarshal([]byte(it.HistoryData), &d) != nil || d.NewState.StateValue == "" {
			continue
		}
		changes = append(changes, change{it.Timestamp, d.OldState.StateValue, d.NewState.StateValue})
	}
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].at.Before(changes[j].at) })
	state := current
	if len(changes) > 0 {
		state = changes[0].from
		if state == "" {
			state = "INSUFFICIENT_DATA"
		}
	}
	var out []StateSpan
	at := start
	for _, c := range changes {
		if !c.at.After(start) {
			state = c.to
			continue
		}
		if c.at.After(end) {
			break
		}
		out = append(out, StateSpan{State: state, Start: at, End: c.at})
		state, at = c.to, c.at
	}
	if end.After(at) {
		out = append(out, StateSpan{State: state, Start: at, End: end})
	}
	// A state before the alarm existed is not shown as one.
	return out
}
