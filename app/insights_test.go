package app

import (
	"fmt"
	"strings"
	"testing"
)

// TestInsightsPage runs the page's flow without a browser: the groups are
// listed, a malformed query is flagged with a caret as it is typed, a
// stats-by-bin query gives rows and a chart, and a query is saved, opened
// and deleted.
func TestInsightsPage(t *testing.T) {
	s, _ := newTestSession(t, nil)
	now := s.World().Now().UnixMilli()
	var evs []map[string]any
	for i := 5; i >= 0; i-- {
		lvl := "INFO"
		if i%2 == 1 {
			lvl = "ERROR"
		}
		evs = append(evs, map[string]any{"timestamp": now - int64(i)*60_000, "message": fmt.Sprintf(`{"level":"%s","latency":%d}`, lvl, 100*i)})
	}
	for _, l := range []string{
		"aws logs create-log-group --log-group-name /app/api",
		"aws logs create-log-stream --log-group-name /app/api --log-stream-name s1",
	} {
		if e := s.Exec(l); e.Code != 0 {
			t.Fatalf("%s: %+v", l, e)
		}
	}
	if err := s.call("logs", "PutLogEvents", map[string]any{"logGroupName": "/app/api", "logStreamName": "s1", "logEvents": evs}, nil); err != nil {
		t.Fatal(err)
	}
	v := &s.Insights
	s.InsightsLoad()
	noError(t, v.Notice)
	if len(v.Groups) != 1 || !v.Picked["/app/api"] {
		t.Fatalf("groups %v picked %v", v.Groups, v.Picked)
	}
	s.SetInsightsQuery("fields @timestamp | filter level = = 1")
	if !strings.HasPrefix(v.QueryErr, "MalformedQueryException: unexpected symbol found = at line 1 and position 35\n") || !strings.HasSuffix(v.QueryErr, "\n"+strings.Repeat(" ", 35)+"^") {
		t.Fatalf("query error: %q", v.QueryErr)
	}
	s.UseSample(`filter level = "ERROR" | stats count(*) as errors, avg(latency) as lat by bin(1m)`)
	if v.QueryErr != "" {
		t.Fatal(v.QueryErr)
	}
	s.RunQuery()
	noError(t, v.Notice)
	if v.Status != "Complete" || len(v.Rows) != 3 || strings.Join(v.Fields, ",") != "bin(1m),errors,lat" {
		t.Fatalf("status %q fields %v rows %v", v.Status, v.Fields, v.Rows)
	}
	if v.Chart == nil || len(v.Chart.Series) != 2 || len(v.Chart.Series[0].Values) != 3 {
		t.Fatalf("chart: %+v", v.Chart)
	}
	v.SaveName = "errors"
	s.SaveQuery()
	noError(t, v.Notice)
	if len(v.Saved) != 1 || v.Saved[0].Name != "errors" {
		t.Fatalf("saved: %+v", v.Saved)
	}
	s.UseSample(SampleQueries[0].Value)
	s.OpenSaved(v.Saved[0].ID)
	if !strings.HasPrefix(v.Query.Value, `filter level = "ERROR"`) {
		t.Fatalf("opened: %q", v.Query.Value)
	}
	s.RunQuery()
	if v.Chart == nil {
		t.Fatal("no chart for the saved stats query")
	}
	s.UseSample(SampleQueries[0].Value)
	s.RunQuery()
	if v.Chart != nil || len(v.Rows) != 6 || v.Fields[0] != "@timestamp" {
		t.Fatalf("fields query: chart %v fields %v rows %d", v.Chart, v.Fields, len(v.Rows))
	}
	// The query goes on a dashboard as a log widget, twice: the second
	// below the first.
	v.DashName = "ops"
	s.AddToDashboard()
	noError(t, v.Notice)
	s.AddToDashboard()
	noError(t, v.Notice)
	var d struct {
		DashboardBody string `json:"DashboardBody"`
	}
	if err := s.call("cloudwatch", "GetDashboard", map[string]any{"DashboardName": "ops"}, &d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.DashboardBody, `"query":"SOURCE '/app/api' | fields @timestamp, @message | sort @timestamp desc | limit 25"`) ||
		!strings.Contains(d.DashboardBody, `"type":"log"`) || !strings.Contains(d.DashboardBody, `"y":6`) {
		t.Errorf("dashboard body: %s", d.DashboardBody)
	}
	s.DeleteSaved(v.Saved[0].ID)
	noError(t, v.Notice)
	if len(v.Saved) != 0 {
		t.Fatalf("not deleted: %+v", v.Saved)
	}
}

// TestInsightsReset checks that a fresh world does not show the last
// world's query, results or saved queries.
func TestInsightsReset(t *testing.T) {
	s, _ := newTestSession(t, nil)
	s.Insights.QueryID = "q-old"
	s.Insights.Fields = []string{"@message"}
	s.Insights.Saved = []SavedQuery{{ID: "old", Name: "old"}}
	s.Reset()
	if v := s.Insights; v.QueryID != "" || v.Fields != nil || v.Saved != nil {
		t.Errorf("after reset: query %q, fields %v, saved %v", v.QueryID, v.Fields, v.Saved)
	}
}
