package app

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func TestParseDashboard(t *testing.T) {
	body := `{"widgets": [
	  {"type": "metric", "x": 12, "y": 0, "width": 12, "height": 6, "properties": {"title": "CPU", "stat": "Maximum", "period": 300,
	    "metrics": [["AWS/EC2", "CPUUtilization", "InstanceId", "i-1"], ["...", "i-2", {"stat": "Minimum", "id": "b"}],
	                [".", "NetworkIn", ".", "i-3", {"visible": false, "period": 60}], [{"expression": "b*2", "label": "twice"}]],
	    "annotations": {"alarms": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:high"]}}},
	  {"type": "text", "x": 0, "y": 0, "width": 12, "height": 2, "properties": {"markdown": "# Notes"}},
	  {"type": "alarm", "y": 6, "properties": {"alarms": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:a", "b"]}},
	  {"type": "log", "properties": {"query": "x"}},
	  {"type": "metric", "x": 30, "width": 40, "properties": {"metrics": [["App"]]}}
	]}`
	ws, err := ParseDashboard(body)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, w := range ws {
		types = append(types, w.Type)
	}
	if strings.Join(types, ",") != "text,metric,alarm,log,metric" {
		t.Fatalf("order by y then x: %v", types)
	}
	m := ws[1]
	if m.Title != "CPU" || m.View != "timeSeries" || len(m.Queries) != 4 || !reflect.DeepEqual(m.Alarms, []string{"high"}) {
		t.Fatalf("metric widget %+v", m)
	}
	q := m.Queries
	if q[0].Id != "m1" || q[0].MetricStat.Stat != "Maximum" || q[0].MetricStat.Period != 300 || q[0].Label != "CPUUtilization InstanceId=i-1" {
		t.Errorf("row 0 %+v %+v", q[0], q[0].MetricStat)
	}
	if q[1].Id != "b" || q[1].MetricStat.Stat != "Minimum" || q[1].MetricStat.Metric.DimsText() != "InstanceId=i-2" || q[1].MetricStat.Metric.MetricName != "CPUUtilization" {
		t.Errorf("row 1 (...) %+v %+v", q[1], q[1].MetricStat)
	}
	if q[2].MetricStat.Metric.Namespace != "AWS/EC2" || q[2].MetricStat.Metric.MetricName != "NetworkIn" || q[2].MetricStat.Metric.DimsText() != "InstanceId=i-3" ||
		q[2].returns() || q[2].MetricStat.Period != 60 {
		t.Errorf("row 2 (.) %+v %+v", q[2], q[2].MetricStat)
	}
	if q[3].Expression != "b*2" || q[3].Label != "twice" || q[3].Id != "e4" {
		t.Errorf("row 3 %+v", q[3])
	}
	if !reflect.DeepEqual(ws[2].Alarms, []string{"a", "b"}) || ws[2].Width != 6 {
		t.Errorf("alarm widget %+v", ws[2])
	}
	if last := ws[4]; last.Err == "" || last.X != 23 || last.Width != 1 {
		t.Errorf("bad row and place %+v", last)
	}
	for _, bad := range []string{``, `[]`, `{"widgets": 3}`, `nope`} {
		if _, err := ParseDashboard(bad); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
	if ws, err := ParseDashboard(`{"widgets": [{"type": "metric", "properties": "x"}, {"type": "metric", "properties": {"metrics": [[1, 2]]}}]}`); err != nil ||
		ws[0].Err == "" || ws[1].Err == "" {
		t.Errorf("bad widgets: %+v %v", ws, err)
	}
}

func FuzzParseDashboard(f *testing.F) {
	f.Add(`{"widgets":[{"type":"metric","properties":{"metrics":[["A","B"],["...","x"],[".","C"]]}}]}`)
	f.Add(`{"widgets":[{"type":"text","properties":{"markdown":"# x"}}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		ws, err := ParseDashboard(body)
		if err != nil {
			return
		}
		for _, w := range ws {
			if w.X < 0 || w.Width < 1 || w.X+w.Width > 24 || w.Height < 1 {
				t.Fatalf("widget out of the grid: %+v", w)
			}
		}
	})
}

func TestMarkdownLinks(t *testing.T) {
	for in, want := range map[string]string{"see [the docs](https://x) now": "see the docs now", "[a](b)[c](d)": "ac", "no ] links (here": "no ] links (here", "[x](y": "[x](y"} {
		if got := stripLinks(in); got != want {
			t.Errorf("stripLinks(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDashboardsPage(t *testing.T) {
	s, _ := newTestSession(t, nil)
	put(t, s, "Load", "", "40")
	advanceClock(t, s, time.Minute)
	put(t, s, "Load", "", "60")
	v := &s.Dashboards
	s.DashboardsLoad()
	noError(t, v.Notice)
	v.NewName = "ops"
	s.CreateDashboard()
	noError(t, v.Notice)
	if v.Open != "ops" || !v.Edit || len(v.List) != 1 || len(v.Widgets) != 3 {
		t.Fatalf("created: open %q edit %v list %+v widgets %+v", v.Open, v.Edit, v.List, v.Widgets)
	}
	if !strings.Contains(v.Body.Value, `"markdown"`) {
		t.Errorf("the editor does not hold the body: %q", v.Body.Value)
	}
	graph, single := v.Widgets[1], v.Widgets[2]
	if graph.Chart == nil || len(graph.Chart.Series) != 1 || len(graph.Chart.Series[0].Values) != 2 {
		t.Fatalf("graph widget %+v", graph)
	}
	if val, _, ok := lastValue(single.Results[0]); !ok || val != 60 || single.View != "singleValue" {
		t.Errorf("single value %v %v", val, ok)
	}
	// An edited body with an alarm widget.
	s.Alarms.Form = AlarmForm{}
	s.NewAlarm(KindMetric)
	s.Alarms.Form.Name, s.Alarms.Form.Threshold = "high", "50"
	s.SaveAlarm()
	noError(t, s.Alarms.Notice)
	body := map[string]any{"widgets": []any{
		map[string]any{"type": "alarm", "x": 0, "y": 0, "width": 8, "height": 3, "properties": map[string]any{"title": "Alarms",
			"alarms": []string{"arn:aws:cloudwatch:us-east-1:123456789012:alarm:high", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:gone"}}},
		map[string]any{"type": "metric", "x": 8, "y": 0, "width": 16, "height": 6, "properties": map[string]any{"region": "us-east-1",
			"metrics": []any{[]any{"App", "Load", map[string]any{"id": "m1"}}, []any{map[string]any{"expression": "m1*2", "label": "double"}}}}},
	}}
	b, _ := json.Marshal(body)
	v.Body.Value = string(b)
	s.SaveDashboard()
	noError(t, v.Notice)
	if v.Edit || len(v.Widgets) != 2 || v.States["high"] != "INSUFFICIENT_DATA" {
		t.Fatalf("saved: edit %v widgets %+v states %v", v.Edit, v.Widgets, v.States)
	}
	if c := v.Widgets[1].Chart; c == nil || len(c.Series) != 2 || c.Series[1].Label != "double" || c.Series[1].Values[1] != 120 {
		t.Errorf("math widget %+v", v.Widgets[1])
	}
	// AWS's validation error, the body kept as typed.
	v.Edit = true
	v.Body.Value = `{"widgets":[{"type":"metric"}]}`
	s.SaveDashboard()
	if !v.Notice.Err || !strings.HasPrefix(v.Notice.Text, "InvalidParameterInput: The dashboard body is invalid") || v.Body.Value != `{"widgets":[{"type":"metric"}]}` {
		t.Errorf("invalid body: %+v %q", v.Notice, v.Body.Value)
	}
	// An expression error shows in its widget.
	v.Body.Value = `{"widgets":[{"type":"metric","properties":{"region":"us-east-1","metrics":[[{"expression":"NOPE(1)"}]]}}]}`
	s.SaveDashboard()
	noError(t, v.Notice)
	if len(v.Widgets) != 1 || !strings.Contains(v.Widgets[0].Err, "NOPE") {
		t.Errorf("expression error: %+v", v.Widgets)
	}
	// The page renders.
	p := newPage(s, Page{Path: "/cloudwatch/dashboards"})
	d := app.NewServerTester(p)
	html := app.HTMLString(p)
	d.Close()
	for _, want := range []string{"tt-dash-grid", `data-dashboard="ops"`, "NOPE"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page has no %s", want)
		}
	}
	s.DeleteDashboard("ops")
	noError(t, v.Notice)
	if len(v.List) != 0 || v.Open != "" {
		t.Errorf("not deleted: %+v", v.List)
	}
	v.NewName = ""
	s.CreateDashboard()
	if !v.Notice.Err {
		t.Errorf("a dashboard without a name was created")
	}
}
