package app

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/filterpattern"
	"github.com/telltale-dev/telltale/core/logs"
)

// Tabs of an open log group.
const (
	LogsTabStreams = "streams"
	LogsTabEvents  = "events"
	LogsTabMetrics = "metrics"
)

// LogsTabs are the tabs of an open log group, in order.
var LogsTabs = []Option{{LogsTabEvents, "Log events"}, {LogsTabStreams, "Log streams"}, {LogsTabMetrics, "Metric filters"},
	{LogsTabSubs, "Subscription filters"}, {LogsTabExports, "Export tasks"}}

// LogRanges are the time ranges of the events viewer.
var LogRanges = []struct {
	Key, Label string
	D          time.Duration
}{
	{"", "All events", 0},
	{"5m", "Last 5 minutes", 5 * time.Minute},
	{"1h", "Last hour", time.Hour},
	{"1d", "Last day", 24 * time.Hour},
	{"1w", "Last week", 7 * 24 * time.Hour},
}

// MaxLogRows is how many events the viewer keeps: the newest.
const MaxLogRows = 500

// maxLogPages bounds the FilterLogEvents pages one search reads.
const maxLogPages = 20

// LiveTailEvery is how much the virtual clock must move between two polls
// of the live tail (the page also polls after every action of the learner).
const LiveTailEvery = 5 * time.Second

// MetricUnits are the units the metric filter wizard offers ("" for none).
var MetricUnits = []string{"", "Count", "Seconds", "Milliseconds", "Microseconds", "Bytes", "Kilobytes", "Megabytes",
	"Bits", "Percent", "Count/Second", "Bytes/Second", "None"}

// LogsView is the state of the Log groups page.
type LogsView struct {
	Notice Notice
	Groups []LogGroupRow
	// Group is the open group, or "".
	Group        string
	Tab          string
	NewGroup     string
	NewRetention string // "" for never expire, or a number of days

	Streams   []LogStreamRow
	OrderBy   string // LogStreamName or LastEventTime
	NewStream string

	// The events viewer.
	Stream     string // "" for every stream of the group
	Range      string // a key of LogRanges
	Pattern    TextBox
	PatternErr string // AWS's error for the pattern as typed, with a caret
	Searched   bool
	Events     []LogEventRow
	Truncated  bool // older matching events were left out
	Live       bool
	tailFrom   int64           // the newest timestamp shown, for the live tail
	tailSeen   map[string]bool // event ids at tailFrom already shown
	lastPoll   time.Time
	// Put is the "put events" form.
	PutStream   string
	PutMessages TextBox

	Filters []logs.MetricFilterView
	MF      MetricFilterForm

	Subs    []logs.SubscriptionFilterView
	Sub     SubscriptionForm
	Exports []logs.ExportTask
	Export  ExportForm
}

// LogGroupRow is a log group as DescribeLogGroups shows it.
type LogGroupRow struct {
	LogGroupName      string `json:"logGroupName"`
	CreationTime      int64  `json:"creationTime"`
	RetentionInDays   int    `json:"retentionInDays"`
	MetricFilterCount int    `json:"metricFilterCount"`
	StoredBytes       int64  `json:"storedBytes"`
	Arn               string `json:"arn"`
}

// LogStreamRow is a log stream as DescribeLogStreams shows it.
type LogStreamRow struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp int64  `json:"firstEventTimestamp"`
	LastEventTimestamp  int64  `json:"lastEventTimestamp"`
	LastIngestionTime   int64  `json:"lastIngestionTime"`
}

// LogEventRow is one event of the viewer, cut into plain and highlighted
// parts, with the values the pattern extracted.
type LogEventRow struct {
	ID        string
	Stream    string
	Timestamp time.Time
	Message   string
	Parts     []TextPart
	Extracted []KeyValue
	New       bool // arrived through the live tail
}

// TextPart is a piece of a message; Mark is true for a part the pattern
// matched.
type TextPart struct {
	Text string
	Mark bool
}

// KeyValue is one extracted value.
type KeyValue struct{ Key, Value string }

// MetricFilterForm is the state of the metric filter wizard.
type MetricFilterForm struct {
	Open       bool
	Name       string
	Pattern    TextBox
	PatternErr string
	Samples    TextBox
	Tested     bool
	Matches    []MatchRow
	TestErr    string
	Namespace  string
	Metric     string
	Value      string
	Default    string
	Unit       string
	Dimensions TextBox // Name=value lines
}

// MatchRow is one match of TestMetricFilter.
type MatchRow struct {
	EventNumber int
	Message     string
	Parts       []TextPart
	Extracted   []KeyValue
}

// LogsLoad lists the groups (DescribeLogGroups) and, for the open group,
// its streams and metric filters.
func (s *Session) LogsLoad() {
	defer s.Save() // once, after the reads (see read)
	v := &s.Logs
	if v.Tab == "" {
		v.Tab = LogsTabEvents
	}
	if v.OrderBy == "" {
		v.OrderBy = "LogStreamName"
	}
	groups, err := s.logGroups()
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Groups = groups
	open := false
	for _, g := range groups {
		open = open || g.LogGroupName == v.Group
	}
	if !open {
		v.Group, v.Streams, v.Filters, v.Events, v.Searched, v.Live = "", nil, nil, nil, false, false
		return
	}
	s.logStreamsLoad()
	var mf struct {
		MetricFilters []logs.MetricFilterView `json:"metricFilters"`
	}
	if err := s.read("logs", "DescribeMetricFilters", map[string]any{"logGroupName": v.Group}, &mf); err != nil {
		v.Notice.set(err, "")
	}
	v.Filters = mf.MetricFilters
	switch v.Tab {
	case LogsTabSubs:
		s.logsSubsLoad()
	case LogsTabExports:
		s.logsExportsLoad()
	}
}

// logGroups lists the log groups (DescribeLogGroups, every page).
func (s *Session) logGroups() ([]LogGroupRow, error) {
	var groups []LogGroupRow
	req := map[string]any{}
	err := pages(req, "nextToken", maxLogPages, func() (string, error) {
		var out struct {
			LogGroups []LogGroupRow `json:"logGroups"`
			NextToken string        `json:"nextToken"`
		}
		if err := s.read("logs", "DescribeLogGroups", req, &out); err != nil {
			return "", err
		}
		groups = append(groups, out.LogGroups...)
		return out.NextToken, nil
	})
	return groups, err
}

func (s *Session) logStreamsLoad() {
	defer s.Save() // once, after the reads (see read)
	v := &s.Logs
	req := map[string]any{"logGroupName": v.Group, "orderBy": v.OrderBy, "descending": v.OrderBy == "LastEventTime"}
	var streams []LogStreamRow
	if err := pages(req, "nextToken", maxLogPages, func() (string, error) {
		var out struct {
			LogStreams []LogStreamRow `json:"logStreams"`
			NextToken  string         `json:"nextToken"`
		}
		if err := s.read("logs", "DescribeLogStreams", req, &out); err != nil {
			return "", err
		}
		streams = append(streams, out.LogStreams...)
		return out.NextToken, nil
	}); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Streams = streams
	if v.PutStream == "" && len(streams) > 0 {
		v.PutStream = streams[0].LogStreamName
	}
}

// CreateLogGroup creates the form's group (CreateLogGroup), with its
// retention (PutRetentionPolicy).
func (s *Session) CreateLogGroup() {
	v := &s.Logs
	name := strings.TrimSpace(v.NewGroup)
	if !v.Notice.set(s.call("logs", "CreateLogGroup", map[string]any{"logGroupName": name}, nil), "Created the log group "+name+".") {
		return
	}
	if v.NewRetention != "" {
		if !v.Notice.set(s.putRetention(name, v.NewRetention), "Created the log group "+name+", events kept "+v.NewRetention+" days.") {
			s.LogsLoad()
			return
		}
	}
	v.NewGroup = ""
	s.OpenLogGroup(name)
}

func (s *Session) putRetention(group, days string) error {
	n, err := strconv.Atoi(days)
	if err != nil {
		return errors.New("the retention is not a number of days")
	}
	return s.call("logs", "PutRetentionPolicy", map[string]any{"logGroupName": group, "retentionInDays": n}, nil)
}

// SetRetention changes a group's retention: PutRetentionPolicy, or
// DeleteRetentionPolicy for "" (never expire).
func (s *Session) SetRetention(group, days string) {
	v := &s.Logs
	if days == "" {
		v.Notice.set(s.call("logs", "DeleteRetentionPolicy", map[string]any{"logGroupName": group}, nil),
			"Events of "+group+" never expire.")
	} else {
		v.Notice.set(s.putRetention(group, days), "Events of "+group+" are kept "+days+" days.")
	}
	s.LogsLoad()
}

// DeleteLogGroup deletes a group (DeleteLogGroup).
func (s *Session) DeleteLogGroup(name string) {
	s.Logs.Notice.set(s.call("logs", "DeleteLogGroup", map[string]any{"logGroupName": name}, nil), "Deleted the log group "+name+".")
	s.LogsLoad()
}

// OpenLogGroup opens a group (or closes the open one) and shows its events.
func (s *Session) OpenLogGroup(name string) {
	v := &s.Logs
	if v.Group == name {
		v.Group, v.Live = "", false
		return
	}
	v.Group, v.Stream, v.PutStream, v.Live = name, "", "", false
	v.Events, v.Searched, v.Filters, v.Streams = nil, false, nil, nil
	v.MF, v.Sub, v.Export, v.Subs, v.Exports = MetricFilterForm{}, SubscriptionForm{}, ExportForm{}, nil, nil
	s.LogsLoad()
	if v.Group == name {
		s.SearchLogs()
	}
}

// afterClock keeps the pages that follow the clock up to date: the live
// tail of the Log groups page.
func (s *Session) afterClock(force bool) {
	s.pollLogs(force)
	s.pollTail(force)
}

// NewMetricFilter opens the metric filter wizard, with the viewer's pattern.
func (s *Session) NewMetricFilter() {
	v := &s.Logs
	v.MF = MetricFilterForm{Open: true, Value: "1", Default: "0", Namespace: "LogMetrics"}
	v.MF.Pattern.set(v.Pattern.Value)
	v.MF.PatternErr = patternProblem(v.Pattern.Value)
	v.Tab = LogsTabMetrics
}

// SetPattern takes the wizard's pattern as typed and checks it.
func (f *MetricFilterForm) SetPattern(x string) {
	f.Pattern.Value = x
	f.PatternErr = patternProblem(x)
	f.Tested = false
}

// SampleLines fills the wizard's test lines with the newest events of the
// open group (GetLogEvents on its most recent stream), as the console's
// "test pattern" offers.
func (s *Session) SampleLines() {
	v := &s.Logs
	f := &v.MF
	var stream string
	var last int64 = -1
	for _, st := range v.Streams {
		if st.LastEventTimestamp > last {
			stream, last = st.LogStreamName, st.LastEventTimestamp
		}
	}
	if stream == "" {
		f.TestErr = "The log group has no log streams yet: paste lines instead."
		return
	}
	var out struct {
		Events []logs.OutputLogEvent `json:"events"`
	}
	if err := s.call("logs", "GetLogEvents", map[string]any{"logGroupName": v.Group, "logStreamName": stream, "limit": 50}, &out); err != nil {
		f.TestErr = err.Error()
		return
	}
	var lines []string
	for _, e := range out.Events {
		lines = append(lines, strings.ReplaceAll(e.Message, "\n", " "))
	}
	f.TestErr = ""
	f.Samples.set(strings.Join(lines, "\n"))
}

// TestMetricFilterForm tests the wizard's pattern on its lines (TestMetricFilter).
func (s *Session) TestMetricFilterForm() {
	f := &s.Logs.MF
	var msgs []string
	for _, l := range strings.Split(f.Samples.Value, "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			msgs = append(msgs, l)
		}
	}
	var out logs.TestMetricFilterOutput
	f.Tested, f.Matches, f.TestErr = true, nil, ""
	if err := s.call("logs", "TestMetricFilter", map[string]any{"filterPattern": f.Pattern.Value, "logEventMessages": msgs}, &out); err != nil {
		f.TestErr = err.Error()
		return
	}
	p, _ := filterpattern.Parse(f.Pattern.Value)
	for _, m := range out.Matches {
		row := MatchRow{EventNumber: m.EventNumber, Message: m.EventMessage}
		row.Parts, _ = highlight(p, m.EventMessage)
		keys := make([]string, 0, len(m.ExtractedValues))
		for k := range m.ExtractedValues {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return extractedLess(keys[i], keys[j]) })
		for _, k := range keys {
			row.Extracted = append(row.Extracted, KeyValue{k, m.ExtractedValues[k]})
		}
		f.Matches = append(f.Matches, row)
	}
}

// LogsTab shows a tab of the open group.
func (s *Session) LogsTab(tab string) {
	s.Logs.Tab = tab
	s.LogsLoad()
}

// SetStreamOrder orders the streams by LogStreamName or LastEventTime.
func (s *Session) SetStreamOrder(by string) {
	s.Logs.OrderBy = by
	s.logStreamsLoad()
}

// CreateLogStream creates the form's stream in the open group (CreateLogStream).
func (s *Session) CreateLogStream() {
	v := &s.Logs
	name := strings.TrimSpace(v.NewStream)
	if v.Notice.set(s.call("logs", "CreateLogStream", map[string]any{"logGroupName": v.Group, "logStreamName": name}, nil),
		"Created the log stream "+name+".") {
		v.NewStream, v.PutStream = "", name
	}
	s.LogsLoad()
}

// DeleteLogStream deletes a stream of the open group (DeleteLogStream).
func (s *Session) DeleteLogStream(name string) {
	v := &s.Logs
	v.Notice.set(s.call("logs", "DeleteLogStream", map[string]any{"logGroupName": v.Group, "logStreamName": name}, nil),
		"Deleted the log stream "+name+".")
	if v.Stream == name {
		v.Stream = ""
	}
	if v.PutStream == name {
		v.PutStream = ""
	}
	s.LogsLoad()
}

// ViewStream shows the events of one stream of the open group ("" for all).
func (s *Session) ViewStream(name string) {
	v := &s.Logs
	v.Stream, v.Tab = name, LogsTabEvents
	if name != "" {
		v.PutStream = name
	}
	s.SearchLogs()
}

// patternProblem is AWS's error for a filter pattern, with a caret under
// the fault, or "" for a valid pattern.
func patternProblem(pattern string) string {
	_, err := filterpattern.Parse(pattern)
	if err == nil {
		return ""
	}
	var fe *filterpattern.Error
	if errors.As(err, &fe) {
		return fe.AWS().Code + ": " + fe.Message + "\n" + fe.Caret(pattern)
	}
	return err.Error()
}

// SetLogPattern takes the filter pattern as typed and checks it.
func (v *LogsView) SetLogPattern(x string) {
	v.Pattern.Value = x
	v.PatternErr = patternProblem(x)
}

// logFilterRequest is the FilterLogEvents request of the viewer's filter.
func (s *Session) logFilterRequest() map[string]any {
	v := &s.Logs
	req := map[string]any{"logGroupName": v.Group, "interleaved": true}
	if strings.TrimSpace(v.Pattern.Value) != "" {
		req["filterPattern"] = v.Pattern.Value
	}
	if v.Stream != "" {
		req["logStreamNames"] = []string{v.Stream}
	}
	for _, r := range LogRanges {
		if r.Key == v.Range && r.D > 0 {
			req["startTime"] = s.World().Now().Add(-r.D).UnixMilli()
		}
	}
	return req
}

// SearchLogs runs the viewer's filter over the open group (FilterLogEvents,
// every page) and keeps the newest MaxLogRows matches, highlighted.
func (s *Session) SearchLogs() {
	defer s.Save() // once, after the reads (see read)
	v := &s.Logs
	if v.Group == "" {
		return
	}
	v.PatternErr = patternProblem(v.Pattern.Value)
	req := s.logFilterRequest()
	var evs []logs.FilteredLogEvent
	v.Truncated = false
	for page := 0; ; page++ {
		if page == maxLogPages {
			v.Truncated = true
			break
		}
		var out struct {
			Events    []logs.FilteredLogEvent `json:"events"`
			NextToken string                  `json:"nextToken"`
		}
		if err := s.read("logs", "FilterLogEvents", req, &out); err != nil {
			// AWS's error, inline under the filter box.
			v.PatternErr = err.Error()
			if fe := patternProblem(v.Pattern.Value); fe != "" {
				v.PatternErr = fe
			}
			v.Events, v.Searched = nil, true
			return
		}
		evs = append(evs, out.Events...)
		if len(evs) > MaxLogRows {
			evs, v.Truncated = evs[len(evs)-MaxLogRows:], true
		}
		if out.NextToken == "" {
			break
		}
		req["nextToken"] = out.NextToken
	}
	v.Searched = true
	v.Events = nil
	v.tailFrom, v.tailSeen = s.World().Now().UnixMilli(), map[string]bool{}
	v.addEvents(evs, false)
	v.lastPoll = s.World().Now()
}

// addEvents appends events to the viewer, highlighted by its pattern.
func (v *LogsView) addEvents(evs []logs.FilteredLogEvent, live bool) {
	p, _ := filterpattern.Parse(v.Pattern.Value)
	fresh := true
	for _, e := range evs {
		if v.tailSeen[e.EventID] {
			continue
		}
		if live && fresh { // the previous arrivals are no longer new
			for i := range v.Events {
				v.Events[i].New = false
			}
			fresh = false
		}
		row := LogEventRow{ID: e.EventID, Stream: e.LogStreamName, Timestamp: time.UnixMilli(e.Timestamp).UTC(), Message: e.Message, New: live}
		row.Parts, row.Extracted = highlight(p, e.Message)
		v.Events = append(v.Events, row)
		switch {
		case e.Timestamp > v.tailFrom:
			v.tailFrom, v.tailSeen = e.Timestamp, map[string]bool{e.EventID: true}
		case e.Timestamp == v.tailFrom:
			v.tailSeen[e.EventID] = true
		}
	}
	if k := len(v.Events) - MaxLogRows; k > 0 {
		v.Events = v.Events[k:]
	}
}

// highlight cuts a message into the parts the pattern matched and the rest,
// and lists what it extracted. A message it does not match is one plain part.
func highlight(p *filterpattern.Pattern, msg string) ([]TextPart, []KeyValue) {
	if p == nil {
		return []TextPart{{Text: msg}}, nil
	}
	m, ok := p.Match(msg)
	if !ok {
		return []TextPart{{Text: msg}}, nil
	}
	var parts []TextPart
	at := 0
	for _, r := range m.Spans() {
		if r.Start < at || r.End > len(msg) || r.Start >= r.End {
			continue
		}
		if r.Start > at {
			parts = append(parts, TextPart{Text: msg[at:r.Start]})
		}
		parts = append(parts, TextPart{Text: msg[r.Start:r.End], Mark: true})
		at = r.End
	}
	if at < len(msg) || len(parts) == 0 {
		parts = append(parts, TextPart{Text: msg[at:]})
	}
	ev := m.ExtractedValues()
	keys := make([]string, 0, len(ev))
	for k := range ev {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return extractedLess(keys[i], keys[j]) })
	var kv []KeyValue
	for _, k := range keys {
		kv = append(kv, KeyValue{k, ev[k]})
	}
	return parts, kv
}

// extractedLess orders $1, $2, ... $10 by number, then names.
func extractedLess(a, b string) bool {
	na, ea := strconv.Atoi(strings.TrimPrefix(a, "$"))
	nb, eb := strconv.Atoi(strings.TrimPrefix(b, "$"))
	switch {
	case ea == nil && eb == nil:
		return na < nb
	case ea == nil:
		return true
	case eb == nil:
		return false
	}
	return a < b
}

// SetLive turns the live tail of the open group on or off.
func (s *Session) SetLive(on bool) {
	v := &s.Logs
	v.Live = on && v.Group != ""
	if v.Live {
		s.pollLogs(true)
	}
}

// pollLogs adds the events that arrived since the last poll to a live
// viewer. It reads the service directly, as one live tail session: the polls
// are not calls of the learner and are not recorded in CloudTrail. Unless
// force is set, it waits for the clock to move LiveTailEvery.
func (s *Session) pollLogs(force bool) {
	v := &s.Logs
	w := s.World()
	if !v.Live || v.Group == "" || w == nil || w.Logs() == nil || v.PatternErr != "" {
		return
	}
	if !force && w.Now().Sub(v.lastPoll) < LiveTailEvery {
		return
	}
	v.lastPoll = w.Now()
	if v.tailSeen == nil {
		v.tailFrom, v.tailSeen = w.Now().UnixMilli(), map[string]bool{}
	}
	if err := w.Logs().Flush(); err != nil {
		return
	}
	from := v.tailFrom
	in := &logs.FilterLogEventsInput{LogGroupName: v.Group, FilterPattern: v.Pattern.Value, StartTime: &from, Interleaved: true}
	if v.Stream != "" {
		in.LogStreamNames = []string{v.Stream}
	}
	c := &api.Call{Service: "logs", Operation: "FilterLogEvents", Now: w.Now(), Account: w.Account(), Region: w.Region()}
	for page := 0; page < maxLogPages; page++ {
		out, err := w.Logs().FilterLogEvents(c, in)
		if err != nil {
			v.Live = false
			v.Notice.set(consoleError(err), "")
			return
		}
		v.addEvents(out.Events, true)
		if out.NextToken == "" {
			return
		}
		tok := out.NextToken
		in.NextToken = &tok
	}
}

// PutLogEvents puts the form's lines, one event each, at the virtual now,
// into the chosen stream (PutLogEvents).
func (s *Session) PutLogEvents() {
	v := &s.Logs
	now := s.World().Now().UnixMilli()
	evs := []map[string]any{}
	for _, line := range strings.Split(v.PutMessages.Value, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		evs = append(evs, map[string]any{"timestamp": now, "message": strings.TrimRight(line, "\r")})
	}
	var out logs.PutLogEventsOutput
	err := s.call("logs", "PutLogEvents", map[string]any{"logGroupName": v.Group, "logStreamName": v.PutStream, "logEvents": evs}, &out)
	ok := "Put " + plural(len(evs), "event") + " into " + v.PutStream + "."
	if err == nil && out.RejectedLogEventsInfo != nil {
		ok += " Some were rejected: see rejectedLogEventsInfo in the terminal's put-log-events."
	}
	if v.Notice.set(err, ok) {
		v.PutMessages.set("")
	}
	s.LogsLoad()
	if v.Live {
		s.pollLogs(true)
	} else if v.Group != "" {
		s.SearchLogs()
	}
	s.pollTail(true) // a tail --follow in the terminal sees them too
}

// CreateMetricFilter creates the wizard's metric filter (PutMetricFilter).
func (s *Session) CreateMetricFilter() {
	v := &s.Logs
	f := &v.MF
	t := map[string]any{"metricName": strings.TrimSpace(f.Metric), "metricNamespace": strings.TrimSpace(f.Namespace),
		"metricValue": strings.TrimSpace(f.Value)}
	if d := strings.TrimSpace(f.Default); d != "" {
		n, err := strconv.ParseFloat(d, 64)
		if err != nil {
			v.Notice.set(errors.New("The default value must be a number."), "")
			return
		}
		t["defaultValue"] = n
	}
	if f.Unit != "" {
		t["unit"] = f.Unit
	}
	dims := map[string]string{}
	for _, l := range strings.Split(f.Dimensions.Value, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		k, val, ok := strings.Cut(l, "=")
		if !ok {
			v.Notice.set(errors.New("A dimension is Name=$field (or Name=$.field) on its own line, not "+strconv.Quote(strings.TrimSpace(l))+"."), "")
			return
		}
		dims[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	if len(dims) > 0 {
		t["dimensions"] = dims
	}
	name := strings.TrimSpace(f.Name)
	in := map[string]any{"logGroupName": v.Group, "filterName": name, "filterPattern": f.Pattern.Value,
		"metricTransformations": []any{t}}
	if v.Notice.set(s.call("logs", "PutMetricFilter", in, nil),
		"Created the metric filter "+name+": matching events ingested from now on publish "+
			strings.TrimSpace(f.Namespace)+"/"+strings.TrimSpace(f.Metric)+".") {
		v.MF = MetricFilterForm{}
	}
	s.LogsLoad()
}

// DeleteMetricFilter deletes a metric filter of the open group (DeleteMetricFilter).
func (s *Session) DeleteMetricFilter(name string) {
	v := &s.Logs
	v.Notice.set(s.call("logs", "DeleteMetricFilter", map[string]any{"logGroupName": v.Group, "filterName": name}, nil),
		"Deleted the metric filter "+name+".")
	s.LogsLoad()
}
