package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DashEntry is a dashboard as ListDashboards returns it.
type DashEntry struct {
	DashboardName, DashboardArn string
	LastModified                time.Time
	Size                        int64
}

// DashWidget is a widget of a dashboard body, ready to show.
type DashWidget struct {
	Type                string
	X, Y, Width, Height int
	Title               string
	// Text widgets: the markdown.
	Markdown string
	// Metric widgets.
	View    string // timeSeries, singleValue...
	Queries []MDQuery
	Chart   *Chart
	Results []MDResult
	// Alarm widgets: the alarm names; metric widgets: an alarm annotation.
	Alarms []string
	// Err is why the widget cannot be drawn (AWS's error, or the body's).
	Err string
}

// DashboardsView is the state of the Dashboards page.
type DashboardsView struct {
	Notice  Notice
	List    []DashEntry
	Open    string // the dashboard shown
	Body    TextBox
	Edit    bool // the body editor is showing
	NewName string
	Widgets []DashWidget
	// BodyErr is why the body cannot be rendered.
	BodyErr string
	// Warnings are PutDashboard's DashboardValidationMessages.
	Warnings []string
	Window   TimeWindow
	// States are the states of the alarms the widgets show.
	States   map[string]string
	loadedAt time.Time
	// lastRefresh is when the page last loaded again as the clock played.
	lastRefresh time.Time
}

// DashboardsLoad lists the dashboards (ListDashboards, every page) and
// renders the open one (GetDashboard).
func (s *Session) DashboardsLoad() {
	defer s.Save()
	v := &s.Dashboards
	if v.Window.Range == "" && v.Window.End.IsZero() {
		v.Window.set("3h", 3*time.Hour)
	}
	w := s.World()
	if w == nil {
		return
	}
	v.loadedAt = w.Now()
	var list []DashEntry
	in := map[string]any{}
	if err := pages(in, "NextToken", 100, func() (string, error) {
		var out struct {
			DashboardEntries []DashEntry
			NextToken        string
		}
		if err := s.read("cloudwatch", "ListDashboards", in, &out); err != nil {
			return "", err
		}
		list = append(list, out.DashboardEntries...)
		return out.NextToken, nil
	}); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.List = list
	found := false
	for _, d := range list {
		found = found || d.DashboardName == v.Open
	}
	if !found {
		v.Open, v.Widgets, v.Edit = "", nil, false
		return
	}
	var out struct{ DashboardBody string }
	if err := s.read("cloudwatch", "GetDashboard", map[string]any{"DashboardName": v.Open}, &out); err != nil {
		v.Notice.set(err, "")
		return
	}
	if !v.Edit {
		v.Body.set(indentJSON(out.DashboardBody))
	}
	s.renderDashboard(out.DashboardBody)
}

// stale reports whether the virtual clock moved on by a minute or more
// since the dashboard was drawn.
func (v *DashboardsView) stale(now time.Time) bool {
	return !v.loadedAt.IsZero() && now.Sub(v.loadedAt) >= time.Minute && v.Window.Range != ""
}

// OpenDashboard shows a dashboard.
func (s *Session) OpenDashboard(name string) {
	v := &s.Dashboards
	v.Open, v.Edit, v.Warnings = name, false, nil
	s.DashboardsLoad()
}

// SetDashboardWindow changes the time range of the dashboard's graphs.
func (s *Session) SetDashboardWindow(label string, d time.Duration) {
	s.Dashboards.Window.set(label, d)
	s.DashboardsLoad()
}

// dashTemplate is the body of a new dashboard: a text widget, and a graph
// of the first metric of the account, if there is one.
func (s *Session) dashTemplate() string {
	defer s.Save()
	widgets := []any{map[string]any{"type": "text", "x": 0, "y": 0, "width": 24, "height": 2,
		"properties": map[string]any{"markdown": "# My dashboard\nEdit the body below: metric, text, alarm and single value widgets are drawn."}}}
	var out struct{ Metrics []MetricID }
	if s.read("cloudwatch", "ListMetrics", map[string]any{}, &out) == nil && len(out.Metrics) > 0 {
		m := out.Metrics[0]
		row := []any{m.Namespace, m.MetricName}
		for _, d := range m.Dimensions {
			row = append(row, d.Name, d.Value)
		}
		w := s.World()
		widgets = append(widgets,
			map[string]any{"type": "metric", "x": 0, "y": 2, "width": 16, "height": 6, "properties": map[string]any{
				"metrics": []any{row}, "period": 60, "stat": "Average", "region": w.Region(), "view": "timeSeries", "title": m.MetricName}},
			map[string]any{"type": "metric", "x": 16, "y": 2, "width": 8, "height": 6, "properties": map[string]any{
				"metrics": []any{row}, "period": 60, "stat": "Average", "region": w.Region(), "view": "singleValue", "title": m.MetricName + " now"}})
	}
	b, _ := json.MarshalIndent(map[string]any{"widgets": widgets}, "", "  ")
	return string(b)
}

// CreateDashboard creates a dashboard from the template (PutDashboard).
func (s *Session) CreateDashboard() {
	v := &s.Dashboards
	name := strings.TrimSpace(v.NewName)
	var out struct {
		DashboardValidationMessages []struct{ DataPath, Message string }
	}
	if v.Notice.set(s.call("cloudwatch", "PutDashboard", map[string]any{"DashboardName": name, "DashboardBody": s.dashTemplate()}, &out),
		"Created the dashboard "+name+".") {
		v.NewName, v.Open, v.Edit = "", name, false
		v.Warnings = validationLines(out.DashboardValidationMessages)
		s.DashboardsLoad()
		v.Edit = true // the body, in the editor
		return
	}
	s.DashboardsLoad()
}

func validationLines(ms []struct{ DataPath, Message string }) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.DataPath+": "+m.Message)
	}
	return out
}

// SaveDashboard saves the editor's body (PutDashboard); AWS's validation
// errors are shown and the body is kept as typed.
func (s *Session) SaveDashboard() {
	v := &s.Dashboards
	var out struct {
		DashboardValidationMessages []struct{ DataPath, Message string }
	}
	err := s.call("cloudwatch", "PutDashboard", map[string]any{"DashboardName": v.Open, "DashboardBody": v.Body.Value}, &out)
	if !v.Notice.set(err, "Saved the dashboard "+v.Open+".") {
		return
	}
	v.Warnings = validationLines(out.DashboardValidationMessages)
	v.Edit = false
	s.DashboardsLoad()
}

// DeleteDashboard deletes a dashboard (DeleteDashboards).
func (s *Session) DeleteDashboard(name string) {
	v := &s.Dashboards
	if v.Notice.set(s.call("cloudwatch", "DeleteDashboards", map[string]any{"DashboardNames": []string{name}}, nil), "Deleted the dashboard "+name+".") && v.Open == name {
		v.Open, v.Widgets, v.Edit = "", nil, false
	}
	s.DashboardsLoad()
}

// renderDashboard reads a body and queries what its widgets show.
func (s *Session) renderDashboard(body string) {
	v := &s.Dashboards
	v.BodyErr, v.Widgets = "", nil
	widgets, err := ParseDashboard(body)
	if err != nil {
		v.BodyErr = err.Error()
		return
	}
	w := s.World()
	start, end := v.Window.bounds(w.Now())
	var alarmNames []string
	for i := range widgets {
		wd := &widgets[i]
		alarmNames = append(alarmNames, wd.Alarms...)
		if wd.Type != "metric" || wd.Err != "" || len(wd.Queries) == 0 {
			continue
		}
		qs := wd.Queries
		for k := range qs {
			if qs[k].MetricStat != nil && qs[k].MetricStat.Period == 0 {
				qs[k].MetricStat.Period = AutoPeriod(end.Sub(start))
			}
		}
		res, _, err := s.metricData(qs, start, end)
		if err != nil {
			wd.Err = err.Error()
			continue
		}
		wd.Results = res
		c := &Chart{ID: fmt.Sprintf("tt-dash-chart-%d", i), Start: start, End: end, Height: 300, OnZoom: func(a, b time.Time) {
			v.Window.zoom(a, b)
			s.DashboardsLoad()
		}}
		for _, r := range res {
			c.Series = append(c.Series, Series{Label: r.Label, Times: r.Timestamps, Values: r.Values})
		}
		wd.Chart = c
	}
	v.Widgets = widgets
	v.States = map[string]string{}
	if len(alarmNames) > 0 {
		var out struct{ MetricAlarms, CompositeAlarms []Alarm }
		names := alarmNames
		if len(names) > 100 {
			names = names[:100]
		}
		in := map[string]any{"AlarmNames": names, "AlarmTypes": []string{"MetricAlarm", "CompositeAlarm"}}
		if err := s.read("cloudwatch", "DescribeAlarms", in, &out); err != nil {
			v.Notice.set(err, "")
		}
		for _, a := range append(out.MetricAlarms, out.CompositeAlarms...) {
			v.States[a.AlarmName] = a.StateValue
		}
	}
}

// ParseDashboard reads the widgets of a dashboard body: their place, and
// what text, metric, single value and alarm widgets show. A widget it cannot
// read carries its error; a body that is not a dashboard is an error.
func ParseDashboard(body string) ([]DashWidget, error) {
	var doc struct {
		Widgets []struct {
			Type                string
			X, Y, Width, Height *int
			Properties          json.RawMessage
		}
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("the dashboard body is not a JSON object with widgets: %v", err)
	}
	var out []DashWidget
	for i, raw := range doc.Widgets {
		wd := DashWidget{Type: raw.Type, Width: 6, Height: 6}
		if raw.X != nil {
			wd.X = *raw.X
		}
		if raw.Y != nil {
			wd.Y = *raw.Y
		} else {
			wd.Y = 1000 + i // no y: after the others, in order
		}
		if raw.Width != nil {
			wd.Width = *raw.Width
		}
		if raw.Height != nil {
			wd.Height = *raw.Height
		}
		wd.X, wd.Width = min(max(wd.X, 0), 23), min(max(wd.Width, 1), 24)
		if wd.X+wd.Width > 24 {
			wd.Width = 24 - wd.X
		}
		wd.Height = min(max(wd.Height, 1), 1000)
		var props map[string]json.RawMessage
		if len(raw.Properties) > 0 && json.Unmarshal(raw.Properties, &props) != nil {
			wd.Err = "properties is not an object"
		}
		str := func(k string) string {
			var x string
			json.Unmarshal(props[k], &x)
			return x
		}
		wd.Title = str("title")
		switch wd.Type {
		case "text":
			wd.Markdown = str("markdown")
		case "alarm":
			var arns []string
			json.Unmarshal(props["alarms"], &arns)
			for _, a := range arns {
				wd.Alarms = append(wd.Alarms, alarmName(a))
			}
		case "metric":
			wd.View = str("view")
			if wd.View == "" {
				wd.View = "timeSeries"
			}
			qs, err := metricRows(props)
			if err != nil {
				wd.Err = err.Error()
			}
			wd.Queries = qs
			var ann struct{ Alarms []string }
			if json.Unmarshal(props["annotations"], &ann) == nil {
				for _, a := range ann.Alarms {
					wd.Alarms = append(wd.Alarms, alarmName(a))
				}
			}
		}
		out = append(out, wd)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Y != out[j].Y {
			return out[i].Y < out[j].Y
		}
		return out[i].X < out[j].X
	})
	return out, nil
}

// alarmName is the name of an alarm ARN (or the name itself).
func alarmName(arn string) string {
	if i := strings.Index(arn, ":alarm:"); i >= 0 {
		return arn[i+len(":alarm:"):]
	}
	return arn
}

// metricRows reads the "metrics" of a metric widget: rows of
// [Namespace, MetricName, DimName, DimValue, ..., {options}] where "..."
// repeats the start of the row above and "." its item at that place, or
// [{expression, id, label}].
func metricRows(props map[string]json.RawMessage) ([]MDQuery, error) {
	var rows [][]any
	if len(props["metrics"]) > 0 {
		dec := json.NewDecoder(bytes.NewReader(props["metrics"]))
		dec.UseNumber()
		if err := dec.Decode(&rows); err != nil {
			return nil, fmt.Errorf("metrics is not a list of rows: %v", err)
		}
	}
	var widgetStat string
	json.Unmarshal(props["stat"], &widgetStat)
	if widgetStat == "" {
		widgetStat = "Average"
	}
	var widgetPeriod json.Number
	json.Unmarshal(props["period"], &widgetPeriod)
	wp, _ := strconv.Atoi(widgetPeriod.String())
	var out []MDQuery
	var prev []any
	for i, row := range rows {
		var opts map[string]any
		if n := len(row); n > 0 {
			if o, ok := row[n-1].(map[string]any); ok {
				opts, row = o, row[:n-1]
			}
		}
		optStr := func(k string) string {
			x, _ := opts[k].(string)
			return x
		}
		id := optStr("id")
		if id == "" {
			id = "m" + strconv.Itoa(i+1)
		}
		yes, no := true, false
		ret := &yes
		if v, ok := opts["visible"].(bool); ok && !v {
			ret = &no
		}
		if expr := optStr("expression"); expr != "" && len(row) == 0 {
			if optStr("id") == "" {
				id = "e" + strconv.Itoa(i+1)
			}
			out = append(out, MDQuery{Id: id, Expression: expr, Label: optStr("label"), ReturnData: ret, Period: wp})
			continue
		}
		// Expand "..." and ".".
		var items []string
		for k, it := range row {
			sv, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("metrics row %d: item %d is not a string", i, k)
			}
			if sv == "..." && k == 0 {
				rest := len(row) - 1
				for j := 0; j+rest < len(prev); j++ {
					items = append(items, fmt.Sprint(prev[j]))
				}
				continue
			}
			if sv == "." && k < len(prev) {
				sv = fmt.Sprint(prev[k])
			}
			items = append(items, sv)
		}
		prev = make([]any, len(items))
		for k := range items {
			prev[k] = items[k]
		}
		if len(items) < 2 || len(items)%2 != 0 {
			return nil, fmt.Errorf("metrics row %d: expected [Namespace, MetricName, DimensionName, DimensionValue...]", i)
		}
		m := MetricID{Namespace: items[0], MetricName: items[1]}
		for k := 2; k+1 < len(items); k += 2 {
			m.Dimensions = append(m.Dimensions, Dim{Name: items[k], Value: items[k+1]})
		}
		stat := optStr("stat")
		if stat == "" {
			stat = widgetStat
		}
		period := wp
		if p, ok := opts["period"].(json.Number); ok {
			n, _ := strconv.Atoi(p.String())
			period = n
		}
		label := optStr("label")
		if label == "" {
			label = m.MetricName
			if d := m.DimsText(); d != "" {
				label += " " + d
			}
		}
		out = append(out, MDQuery{Id: id, MetricStat: &MDStat{Metric: m, Period: period, Stat: stat}, Label: label, ReturnData: ret})
	}
	return out, nil
}

// lastValue is the newest value of a result, and whether there is one.
func lastValue(r MDResult) (float64, time.Time, bool) {
	if len(r.Values) == 0 || len(r.Timestamps) < len(r.Values) {
		return 0, time.Time{}, false
	}
	return r.Values[len(r.Values)-1], r.Timestamps[len(r.Values)-1], true
}
