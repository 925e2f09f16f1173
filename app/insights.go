package app

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/insights"
)

// InsightsView is the state of the Logs Insights page: the log groups
// picked, the time range, the query (checked as it is typed), the last
// results with a chart for stats by bin(), and the saved queries.
type InsightsView struct {
	Notice   Notice
	Groups   []string        // every log group
	Picked   map[string]bool // the groups the query reads
	Range    string          // a label of InsightsRanges
	Query    TextBox
	QueryErr string // MalformedQueryException as typed, with a caret
	// The last run.
	QueryID string
	Status  string
	Fields  []string
	Rows    [][]insights.ResultField
	Stats   InsightsStats
	Chart   *Chart
	// Saved queries.
	Saved    []SavedQuery
	SaveName string
	// DashName is the dashboard "Add to dashboard" puts the query on.
	DashName string
}

// InsightsStats are GetQueryResults' statistics.
type InsightsStats struct {
	RecordsMatched float64 `json:"recordsMatched"`
	RecordsScanned float64 `json:"recordsScanned"`
	BytesScanned   float64 `json:"bytesScanned"`
}

// SavedQuery is a query definition.
type SavedQuery struct {
	ID            string   `json:"queryDefinitionId"`
	Name          string   `json:"name"`
	QueryString   string   `json:"queryString"`
	LogGroupNames []string `json:"logGroupNames"`
}

// InsightsRanges are the time ranges the query runs over.
var InsightsRanges = append([]TimeRange{{"5m", 5 * time.Minute}, {"30m", 30 * time.Minute}}, TimeRanges...)

// SampleQueries are sample queries from the CloudWatch Logs documentation
// (spec cloudwatch-and-logs.md §5 and the conformance corpus).
var SampleQueries = []Option{
	{"fields @timestamp, @message | sort @timestamp desc | limit 25", "25 most recent events"},
	{"filter @message like /Exception/ | stats count(*) as exceptionCount by bin(1h) | sort exceptionCount desc", "Exceptions per hour"},
	{"fields @timestamp, @message | filter level = \"ERROR\" | stats count(*) as errors by bin(1m)", "JSON errors per minute"},
	{"parse @message \"[*] *\" as level, msg | filter level = \"ERROR\" | sort @timestamp desc | limit 5", "Parse [LEVEL] lines, newest errors"},
	{"stats count(*), avg(latency) by bin(5m), status", "Requests and latency by status"},
	{"filter @type = \"REPORT\" | stats avg(@duration), max(@duration), min(@duration) by bin(5m)", "Lambda latency report"},
	{"filter @type = \"REPORT\" | stats max(@memorySize / 1000 / 1000) as provisonedMemoryMB, max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMB, provisonedMemoryMB - maxMemoryUsedMB as overProvisionedMB", "Lambda overprovisioned memory"},
	{"stats count(*) by @logStream | limit 100", "Events per log stream"},
}

func (v *InsightsView) init() {
	if v.Picked == nil {
		v.Picked = map[string]bool{}
	}
	if v.Range == "" {
		v.Range = "1h"
	}
	if v.Query.Value == "" && v.QueryID == "" {
		v.Query.set(SampleQueries[0].Value)
	}
}

// InsightsLoad lists the log groups and the saved queries.
func (s *Session) InsightsLoad() {
	defer s.Save() // once, after the reads (see read)
	v := &s.Insights
	v.init()
	rows, err := s.logGroups()
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	var groups []string
	for _, g := range rows {
		groups = append(groups, g.LogGroupName)
	}
	v.Groups = groups
	for g := range v.Picked {
		found := false
		for _, x := range groups {
			found = found || x == g
		}
		if !found {
			delete(v.Picked, g)
		}
	}
	if len(v.Picked) == 0 && len(groups) == 1 {
		v.Picked[groups[0]] = true
	}
	s.insightsSaved()
}

func (s *Session) insightsSaved() {
	defer s.Save() // once, after the reads (see read)
	v := &s.Insights
	var out struct {
		QueryDefinitions []SavedQuery `json:"queryDefinitions"`
	}
	if err := s.read("logs", "DescribeQueryDefinitions", map[string]any{}, &out); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Saved = out.QueryDefinitions
}

// PickGroup adds a log group to the query or removes it.
func (s *Session) PickGroup(name string, on bool) {
	v := &s.Insights
	v.init()
	if on {
		v.Picked[name] = true
	} else {
		delete(v.Picked, name)
	}
}

// SetInsightsQuery takes the query as typed and checks it.
func (s *Session) SetInsightsQuery(text string) {
	v := &s.Insights
	v.Query.Value = text
	v.QueryErr = queryError(text)
}

// queryError is the MalformedQueryException of a query with a caret under
// the fault, or "".
func queryError(text string) string {
	_, err := insights.Parse(text)
	if err == nil {
		return ""
	}
	var e *insights.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	lines := strings.Split(text, "\n")
	out := "MalformedQueryException: " + e.Error()
	if e.Line-1 < len(lines) {
		l := lines[e.Line-1]
		out += "\n" + l + "\n" + strings.Repeat(" ", max(0, e.Col)) + "^"
	}
	return out
}

// UseSample puts a sample query in the editor.
func (s *Session) UseSample(q string) {
	v := &s.Insights
	v.Query.set(q)
	v.QueryErr = queryError(q)
}

func (v *InsightsView) pickedGroups() []string {
	var out []string
	for g := range v.Picked {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

// RunQuery starts the query over the picked groups and the time range
// (StartQuery) and reads its results (GetQueryResults).
func (s *Session) RunQuery() {
	v := &s.Insights
	v.init()
	w := s.World()
	if w == nil {
		return
	}
	end := w.Now()
	d := time.Hour
	for _, r := range InsightsRanges {
		if r.Label == v.Range {
			d = r.D
		}
	}
	start := end.Add(-d)
	req := map[string]any{"startTime": start.Unix(), "endTime": end.Unix(), "queryString": v.Query.Value}
	q, perr := insights.Parse(v.Query.Value)
	if perr != nil || q.Source == nil {
		req["logGroupNames"] = v.pickedGroups()
	}
	v.QueryID, v.Status, v.Fields, v.Rows, v.Chart, v.Stats = "", "", nil, nil, nil, InsightsStats{}
	var started struct {
		QueryID string `json:"queryId"`
	}
	if err := s.call("logs", "StartQuery", req, &started); err != nil {
		v.Notice.set(err, "")
		return
	}
	var res struct {
		Results    [][]insights.ResultField `json:"results"`
		Statistics InsightsStats            `json:"statistics"`
		Status     string                   `json:"status"`
	}
	if err := s.call("logs", "GetQueryResults", map[string]any{"queryId": started.QueryID}, &res); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.QueryID, v.Status, v.Rows, v.Stats = started.QueryID, res.Status, res.Results, res.Statistics
	v.Fields = resultFields(res.Results)
	v.Chart = binChart(q, res.Results, start, end)
	v.Notice = Notice{Text: "Query " + res.Status + ": " + strconv.Itoa(len(res.Results)) + " rows, " +
		strconv.FormatFloat(res.Statistics.RecordsMatched, 'f', -1, 64) + " records matched, " +
		strconv.FormatFloat(res.Statistics.RecordsScanned, 'f', -1, 64) + " scanned."}
}

// resultFields are the columns of the rows, in the order they first
// appear, @ptr left out.
func resultFields(rows [][]insights.ResultField) []string {
	var out []string
	seen := map[string]bool{"@ptr": true}
	for _, r := range rows {
		for _, f := range r {
			if !seen[f.Field] {
				seen[f.Field] = true
				out = append(out, f.Field)
			}
		}
	}
	return out
}

// binChart draws the rows of a query whose last stats groups by bin(): a
// series for each numeric column and each combination of the other
// grouping fields. It returns nil for other queries.
func binChart(q *insights.Query, rows [][]insights.ResultField, start, end time.Time) *Chart {
	if q == nil || len(rows) == 0 {
		return nil
	}
	var st *insights.StatsCmd
	for _, c := range q.Commands {
		if s, ok := c.(*insights.StatsCmd); ok {
			st = s
		}
	}
	if st == nil {
		return nil
	}
	binCol := ""
	var keyCols []string
	for _, it := range st.By {
		if c, ok := it.X.(*insights.Call); ok && c.Name == "bin" && binCol == "" {
			binCol = it.Name
			continue
		}
		keyCols = append(keyCols, it.Name)
	}
	if binCol == "" {
		return nil
	}
	type point struct {
		t time.Time
		v float64
	}
	series := map[string][]point{}
	var labels []string
	for _, r := range rows {
		m := map[string]string{}
		for _, f := range r {
			m[f.Field] = f.Value
		}
		t, err := time.Parse(insights.TimeLayout, m[binCol])
		if err != nil {
			continue
		}
		var key []string
		for _, k := range keyCols {
			key = append(key, m[k])
		}
		for _, a := range st.Aggs {
			x, err := strconv.ParseFloat(m[a.Name], 64)
			if err != nil {
				continue
			}
			label := a.Name
			if len(key) > 0 {
				label += " · " + strings.Join(key, ", ")
			}
			if _, ok := series[label]; !ok {
				labels = append(labels, label)
			}
			series[label] = append(series[label], point{t, x})
		}
	}
	if len(labels) == 0 {
		return nil
	}
	sort.Strings(labels)
	c := &Chart{ID: "tt-insights-chart", Start: start, End: end}
	for _, l := range labels {
		ps := series[l]
		sort.Slice(ps, func(i, j int) bool { return ps[i].t.Before(ps[j].t) })
		s := Series{Label: l}
		for _, p := range ps {
			s.Times = append(s.Times, p.t)
			s.Values = append(s.Values, p.v)
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// SaveQuery saves the query under a name (PutQueryDefinition), replacing a
// saved query of that name.
func (s *Session) SaveQuery() {
	v := &s.Insights
	name := strings.TrimSpace(v.SaveName)
	if name == "" {
		v.Notice = Notice{Text: "Name the query to save it.", Err: true}
		return
	}
	req := map[string]any{"name": name, "queryString": v.Query.Value}
	if g := v.pickedGroups(); len(g) > 0 {
		req["logGroupNames"] = g
	}
	for _, q := range v.Saved {
		if q.Name == name {
			req["queryDefinitionId"] = q.ID
		}
	}
	if !v.Notice.set(s.call("logs", "PutQueryDefinition", req, nil), "Saved query "+name+".") {
		return
	}
	s.insightsSaved()
}

// OpenSaved puts a saved query and its groups in the editor.
func (s *Session) OpenSaved(id string) {
	v := &s.Insights
	v.init()
	for _, q := range v.Saved {
		if q.ID == id {
			v.Query.set(q.QueryString)
			v.QueryErr = queryError(q.QueryString)
			v.SaveName = q.Name
			if len(q.LogGroupNames) > 0 {
				v.Picked = map[string]bool{}
				for _, g := range q.LogGroupNames {
					v.Picked[g] = true
				}
			}
		}
	}
}

// DeleteSaved deletes a saved query (DeleteQueryDefinition).
func (s *Session) DeleteSaved(id string) {
	v := &s.Insights
	if v.Notice.set(s.call("logs", "DeleteQueryDefinition", map[string]any{"queryDefinitionId": id}, nil), "Deleted the saved query.") {
		s.insightsSaved()
	}
}

// AddToDashboard puts the query on a CloudWatch dashboard as a log widget
// (type log, view table, its query prefixed with SOURCE 'group' for each
// picked group, as the console writes it), below the dashboard's widgets;
// a dashboard that does not exist is created.
func (s *Session) AddToDashboard() {
	v := &s.Insights
	name := strings.TrimSpace(v.DashName)
	if name == "" {
		v.Notice = Notice{Text: "Name the dashboard to add the query to.", Err: true}
		return
	}
	q := strings.TrimSpace(v.Query.Value)
	if pq, err := insights.Parse(q); err == nil && pq.Source == nil {
		var src []string
		for _, g := range v.pickedGroups() {
			src = append(src, "SOURCE '"+g+"'")
		}
		q = strings.Join(append(src, q), " | ")
	}
	body := map[string]any{}
	var cur struct {
		DashboardBody string `json:"DashboardBody"`
	}
	if err := s.call("cloudwatch", "GetDashboard", map[string]any{"DashboardName": name}, &cur); err == nil {
		if err := json.Unmarshal([]byte(cur.DashboardBody), &body); err != nil {
			v.Notice = Notice{Text: "The dashboard's body could not be read: " + err.Error(), Err: true}
			return
		}
	} else if !strings.HasPrefix(err.Error(), "ResourceNotFound") {
		v.Notice.set(err, "")
		return
	}
	widgets, _ := body["widgets"].([]any)
	y := 0.0
	for _, w := range widgets {
		m, _ := w.(map[string]any)
		wy, _ := m["y"].(float64)
		h, _ := m["height"].(float64)
		y = max(y, wy+h)
	}
	region := "us-east-1"
	if w := s.World(); w != nil {
		region = w.Region()
	}
	title := strings.TrimSpace(v.SaveName)
	if title == "" {
		title = "Logs Insights"
	}
	widgets = append(widgets, map[string]any{"type": "log", "x": 0, "y": y, "width": 24, "height": 6,
		"properties": map[string]any{"query": q, "region": region, "title": title, "view": "table"}})
	body["widgets"] = widgets
	b, err := json.Marshal(body)
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Notice.set(s.call("cloudwatch", "PutDashboard", map[string]any{"DashboardName": name, "DashboardBody": string(b)}, nil),
		"Added the query to dashboard "+name+".")
}
