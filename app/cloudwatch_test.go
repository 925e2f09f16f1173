package app

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// put publishes one datapoint through the Metrics page's form.
func put(t *testing.T, s *Session, name, dims, value string) {
	t.Helper()
	s.Metrics.init()
	s.Metrics.Put = PutForm{Namespace: "App", MetricName: name, Dimensions: dims, Value: value}
	s.PutData()
	noError(t, s.Metrics.Notice)
}

func advanceClock(t *testing.T, s *Session, d time.Duration) {
	t.Helper()
	if err := s.StartAdvance(d); err != nil {
		t.Fatal(err)
	}
	for {
		done, err := s.Step(func() bool { return false })
		if err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
	}
}

func TestMetricsPage(t *testing.T) {
	s, _ := newTestSession(t, nil)
	put(t, s, "Load", "Host=a", "10")
	put(t, s, "Load", "", "20")
	advanceClock(t, s, time.Minute)
	put(t, s, "Load", "Host=a", "30")
	put(t, s, "Errors", "", "2")
	v := &s.Metrics
	s.MetricsLoad()
	noError(t, v.Notice)
	if !reflect.DeepEqual(v.Namespaces, []string{"App"}) || v.Namespace != "App" || len(v.All) != 3 {
		t.Fatalf("namespaces %v, metrics %+v", v.Namespaces, v.All)
	}
	v.Search = "host"
	if b := v.Browsed(); len(b) != 1 || b[0].DimsText() != "Host=a" {
		t.Errorf("search: %+v", b)
	}
	v.Search = ""
	if got := v.DimSets(); !reflect.DeepEqual(got, []string{DimSetNone, "Host"}) {
		t.Errorf("dimension sets %v", got)
	}
	v.DimSet = "Host"
	if b := v.Browsed(); len(b) != 1 || b[0].DimsText() != "Host=a" {
		t.Errorf("dimension set filter: %+v", b)
	}
	v.DimSet = DimSetNone
	if b := v.Browsed(); len(b) != 2 {
		t.Errorf("no dimensions: %+v", b)
	}
	v.DimSet = ""
	var load, loadA MetricID
	for _, m := range v.All {
		switch m.Key() {
		case "App|Load":
			load = m
		case "App|Load|Host=a":
			loadA = m
		}
	}
	s.ToggleGraph(loadA)
	s.ToggleGraph(load)
	if len(v.Graphed) != 2 || v.Graphed[0].Id != "m1" || v.Graphed[1].Id != "m2" {
		t.Fatalf("graphed %+v", v.Graphed)
	}
	if len(v.Results) != 2 || !reflect.DeepEqual(v.Results[0].Values, []float64{10, 30}) || len(v.Chart.Series) != 2 {
		t.Fatalf("results %+v", v.Results)
	}
	if !v.Results[0].Timestamps[0].Before(v.Results[0].Timestamps[1]) {
		t.Errorf("not oldest first: %v", v.Results[0].Timestamps)
	}
	// The math editor previews as it is typed, with AWS's errors.
	s.SetExpr("m1*")
	if !strings.HasPrefix(v.ExprErr, "ValidationError: Error in expression e1") || len(v.Chart.Series) != 2 {
		t.Errorf("expression error %q, series %d", v.ExprErr, len(v.Chart.Series))
	}
	s.SetExpr("m1 + m2")
	if v.ExprErr != "" || len(v.Results) != 3 || v.Results[2].Id != "e1" {
		t.Fatalf("expression: %q %+v", v.ExprErr, v.Results)
	}
	if got := v.Results[2].Values; len(got) == 0 || got[0] != 30 {
		t.Errorf("m1 + m2 = %v", got)
	}
	s.SetExpr("NOPE(m1)")
	if !strings.Contains(v.ExprErr, "NOPE") {
		t.Errorf("unknown function: %q", v.ExprErr)
	}
	s.SetExpr("")
	// Removing frees the id; the next one takes it.
	s.ToggleGraph(loadA)
	if len(v.Graphed) != 1 || v.Graphed[0].Id != "m2" {
		t.Fatalf("after removal %+v", v.Graphed)
	}
	s.ToggleGraph(loadA)
	if v.Graphed[1].Id != "m1" {
		t.Errorf("reused id %+v", v.Graphed)
	}
	// Ranges and zoom.
	v.Window.set("1w", 7*24*time.Hour)
	s.MetricsGraph()
	if v.Chart.End.Sub(v.Chart.Start) != 7*24*time.Hour {
		t.Errorf("1w window %v %v", v.Chart.Start, v.Chart.End)
	}
	a, b := v.Chart.Start.Add(time.Hour), v.Chart.Start.Add(2*time.Hour)
	v.Chart.OnZoom(a, b)
	if v.Window.Range != "" || !v.Chart.Start.Equal(a) || !v.Chart.End.Equal(b) {
		t.Errorf("zoom: %+v", v.Window)
	}
	// Bad input gets AWS's error.
	v.Put = PutForm{Namespace: "AWS/Nope", MetricName: "X", Value: "1"}
	s.PutData()
	if !v.Notice.Err || !strings.Contains(v.Notice.Text, "InvalidParameterValue") {
		t.Errorf("reserved namespace: %+v", v.Notice)
	}
	v.Put = PutForm{Namespace: "App", MetricName: "X", Value: "abc"}
	s.PutData()
	if !v.Notice.Err {
		t.Errorf("a value that is not a number was accepted")
	}
	v.Put = PutForm{Namespace: "App", MetricName: "X", Value: "1", Dimensions: "nope"}
	s.PutData()
	if !v.Notice.Err {
		t.Errorf("a bad dimension was accepted")
	}
}

func TestAlarmsPage(t *testing.T) {
	s, _ := newTestSession(t, nil)
	s.Topics.NewTopic = "alerts"
	s.CreateTopic()
	noError(t, s.Topics.Notice)
	s.Topics.Protocol, s.Topics.Endpoint = "email", "me@example.com"
	s.Subscribe()
	noError(t, s.Topics.Notice)
	s.ConfirmMail(s.Topics.Inbox[0])
	noError(t, s.Topics.Notice)

	v := &s.Alarms
	s.AlarmsLoad()
	noError(t, v.Notice)
	if len(v.Topics) != 1 {
		t.Fatalf("topics %v", v.Topics)
	}
	s.NewAlarm(KindMetric)
	v.Form.Name = "high"
	v.Form.AlarmAction = v.Topics[0]
	s.SaveAlarm()
	noError(t, v.Notice)
	if len(v.Alarms) != 1 || v.Alarms[0].StateValue != "INSUFFICIENT_DATA" || v.Open != "high" {
		t.Fatalf("alarms %+v open %q", v.Alarms, v.Open)
	}
	if got := condition(v.Alarms[0]); got != "Load > 80 for 3 datapoints within 3" {
		t.Errorf("condition %q", got)
	}
	for i := 0; i < 3; i++ {
		put(t, s, "Load", "", "90")
		advanceClock(t, s, time.Minute)
	}
	s.AlarmsLoad()
	if s.Dirty() {
		t.Errorf("the world was not saved after the page loaded")
	}
	a := v.Alarms[0]
	if a.StateValue != "ALARM" || !strings.HasPrefix(a.StateReason, "Threshold Crossed: 3 datapoints") {
		t.Fatalf("state %s %q", a.StateValue, a.StateReason)
	}
	if v.Chart == nil || v.Chart.Threshold == nil || len(v.Chart.Series) != 1 || len(v.Chart.Series[0].Values) != 3 {
		t.Fatalf("chart %+v", v.Chart)
	}
	if svg := v.Chart.SVG(); !strings.Contains(svg, "tt-chart-breach") || !strings.Contains(svg, "tt-chart-threshold") {
		t.Errorf("the graph does not mark the breaching points")
	}
	var types []string
	for _, h := range v.History {
		types = append(types, h.HistoryItemType)
	}
	if strings.Join(types, ",") != "Action,StateUpdate,ConfigurationUpdate" {
		t.Errorf("history %v", types)
	}
	w := s.World()
	start, end := v.Window.bounds(w.Now())
	tl := Timeline(v.History, a.StateValue, start, end)
	if len(tl) != 2 || tl[0].State != "INSUFFICIENT_DATA" || tl[1].State != "ALARM" {
		t.Errorf("timeline %+v", tl)
	}
	if !reflect.DeepEqual(v.Timeline, tl) {
		t.Errorf("the page's timeline %+v, want %+v", v.Timeline, tl)
	}
	// The notification is in the inbox.
	s.TopicsLoad()
	if len(s.Topics.Inbox) < 2 || !strings.Contains(s.Topics.Inbox[0].Subject, `ALARM: "high"`) {
		t.Errorf("inbox %+v", s.Topics.Inbox)
	}

	// Edit: the form comes back with the alarm's values; a math alarm.
	s.EditAlarm("high")
	f := v.Form
	if !f.Editing || f.Threshold != "80" || f.EvaluationPeriods != "3" || f.AlarmAction == "" || f.Kind != KindMetric || f.Period != "60" {
		t.Errorf("edit form %+v", f)
	}
	s.CancelAlarm()
	// Editing keeps what the form does not show: other actions, disabled
	// actions, the unit.
	if e := s.Exec("aws sns create-topic --name second"); e.Code != 0 {
		t.Fatal(e.Stderr)
	}
	if e := s.Exec("aws cloudwatch put-metric-alarm --alarm-name kept --namespace App --metric-name Load --dimensions Name=InstanceId,Value=i-0123456789abcdef0 " +
		"--statistic Average --period 60 " +
		"--evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanThreshold --unit Percent --no-actions-enabled " +
		"--alarm-actions arn:aws:automate:us-east-1:ec2:stop arn:aws:sns:us-east-1:123456789012:second arn:aws:sns:us-east-1:123456789012:alerts"); e.Code != 0 {
		t.Fatal(e.Stderr)
	}
	s.AlarmsLoad()
	s.EditAlarm("kept")
	if v.Form.AlarmAction != "arn:aws:sns:us-east-1:123456789012:second" || len(v.Form.KeptActions()) != 2 {
		t.Fatalf("kept form %+v %v", v.Form, v.Form.KeptActions())
	}
	v.Form.AlarmAction, v.Form.Threshold = "", "2"
	s.SaveAlarm()
	noError(t, v.Notice)
	k, _ := v.find("kept")
	if k.ActionsEnabled || k.Unit != "Percent" || strings.Join(k.AlarmActions, " ") != "arn:aws:automate:us-east-1:ec2:stop arn:aws:sns:us-east-1:123456789012:alerts" || *k.Threshold != 2 {
		t.Errorf("after the edit: %+v", k)
	}
	s.DeleteAlarm("kept")
	s.NewAlarm(KindMath)
	v.Form.Name, v.Form.Threshold, v.Form.Expression = "mathy", "150", "m1*2"
	s.SaveAlarm()
	noError(t, v.Notice)
	s.EditAlarm("mathy")
	if v.Form.Kind != KindMath || v.Form.Expression != "m1*2" || v.Form.MetricName != "Load" {
		t.Errorf("math edit form %+v", v.Form)
	}
	v.Form.EvaluationPeriods = "0"
	s.SaveAlarm()
	if !v.Notice.Err || !v.Form.Open || !strings.Contains(v.Notice.Text, "evaluationPeriods") {
		t.Errorf("bad evaluation periods saved: %+v", v.Notice)
	}
	s.CancelAlarm()

	// Composite alarm: created from a rule, children shown.
	s.NewAlarm(KindComposite)
	if v.Form.Rule.Value != `ALARM("high") OR ALARM("mathy")` {
		t.Errorf("suggested rule %q", v.Form.Rule.Value)
	}
	v.Form.Name = "combo"
	s.SaveAlarm()
	noError(t, v.Notice)
	c, _ := v.find("combo")
	if !c.Composite || c.StateValue != "ALARM" {
		t.Errorf("composite %+v", c)
	}
	if got := condition(c); got != `ALARM("high") OR ALARM("mathy")` {
		t.Errorf("composite condition %q", got)
	}
	s.NewAlarm(KindComposite)
	v.Form.Name = "bad"
	v.Form.Rule.set(`ALARM("high") OR`)
	s.SaveAlarm()
	if !v.Notice.Err || !strings.Contains(v.Notice.Text, "alarm rule") {
		t.Errorf("bad rule: %+v", v.Notice)
	}
	s.CancelAlarm()
	// Bad inputs: AWS's errors, or the form's.
	s.NewAlarm(KindMetric)
	v.Form.Name, v.Form.Period = "p", "61"
	s.SaveAlarm()
	if !v.Notice.Err || !strings.Contains(v.Notice.Text, "Period") {
		t.Errorf("bad period: %+v", v.Notice)
	}
	v.Form.Period, v.Form.Threshold = "60", "high"
	s.SaveAlarm()
	if !v.Notice.Err {
		t.Errorf("a threshold that is not a number was accepted")
	}
	v.Form.Threshold, v.Form.Name = "1", ""
	s.SaveAlarm()
	if !v.Notice.Err {
		t.Errorf("an alarm without a name was accepted")
	}
	s.CancelAlarm()
	// Filter and delete.
	s.SetAlarmsFilter("INSUFFICIENT_DATA")
	if len(v.Alarms) != 1 || v.Alarms[0].AlarmName != "mathy" {
		t.Errorf("filter: %+v", v.Alarms)
	}
	s.SetAlarmsFilter("")
	s.DeleteAlarm("combo")
	noError(t, v.Notice)
	if _, ok := v.find("combo"); ok {
		t.Errorf("not deleted")
	}
	// The pages render with all this.
	for _, path := range []string{"/cloudwatch/alarms", "/cloudwatch/metrics"} {
		v.Open = "high"
		s.EditAlarm("high")
		p := newPage(s, Page{Path: path})
		d := app.NewServerTester(p)
		html := app.HTMLString(p)
		d.Close()
		for _, want := range map[string][]string{"/cloudwatch/alarms": {"tt-alarm-chart", "tt-alarm-timeline", `data-alarm="high"`, "tt-alarm-form"},
			"/cloudwatch/metrics": {"tt-mx-expr", "tt-put-send"}}[path] {
			if !strings.Contains(html, want) {
				t.Errorf("%s has no %s", path, want)
			}
		}
	}
}

func TestRuleChildren(t *testing.T) {
	tests := []struct{ rule, want string }{
		{`ALARM("a") OR OK(b)`, "a,b"},
		{`(ALARM( "x y" ) AND NOT INSUFFICIENT_DATA(arn:aws:cloudwatch:us-east-1:123456789012:alarm:c)) OR ALARM(a) OR TRUE`, "x y,c,a"},
		{`ALARM("q\"uote")`, `q"uote`},
		{`TRUE`, ""}, {`ALARM(`, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(RuleChildren(tt.rule), ","); got != tt.want {
			t.Errorf("RuleChildren(%q) = %q, want %q", tt.rule, got, tt.want)
		}
	}
}

func TestParseDims(t *testing.T) {
	d, err := ParseDims(" Host = a , Az=b,, ")
	if err != nil || !reflect.DeepEqual(d, []Dim{{"Host", "a"}, {"Az", "b"}}) {
		t.Errorf("%+v %v", d, err)
	}
	if _, err := ParseDims("Host"); err == nil {
		t.Errorf("no error for a pair without =")
	}
}

func TestAutoPeriod(t *testing.T) {
	for d, want := range map[time.Duration]int{time.Hour: 60, 24 * time.Hour: 60, 3 * 24 * time.Hour: 300, 7 * 24 * time.Hour: 900, 400 * 24 * time.Hour: 86400} {
		if got := AutoPeriod(d); got != want {
			t.Errorf("AutoPeriod(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestBandAlarm(t *testing.T) {
	s, _ := newTestSession(t, nil)
	// A day of history: the band model needs every hour of the day.
	for i := 0; i < 52; i++ {
		put(t, s, "Load", "", strconv.Itoa(50+i%5))
		advanceClock(t, s, 30*time.Minute)
	}
	v := &s.Alarms
	s.AlarmsLoad()
	s.NewAlarm(KindBand)
	if v.Form.Comparison != "LessThanLowerOrGreaterThanUpperThreshold" || v.Form.BandWidth != "2" {
		t.Fatalf("band form %+v", v.Form)
	}
	v.Form.Name, v.Form.Period, v.Form.EvaluationPeriods, v.Form.DatapointsToAlarm = "band", "1800", "1", "1"
	s.SaveAlarm()
	noError(t, v.Notice)
	a, _ := v.find("band")
	if a.ThresholdMetricId != "ad1" || len(a.Metrics) != 2 || a.Metrics[1].Expression != "ANOMALY_DETECTION_BAND(m1, 2)" {
		t.Fatalf("band alarm %+v", a)
	}
	if got := condition(a); got != "m1 outside the band ANOMALY_DETECTION_BAND(m1, 2) for 1 datapoints within 1" {
		t.Errorf("condition %q", got)
	}
	s.EditAlarm("band")
	if v.Form.Kind != KindBand || v.Form.BandWidth != "2" || v.Form.Comparison != "LessThanLowerOrGreaterThanUpperThreshold" {
		t.Errorf("edit form %+v", v.Form)
	}
	v.Form.BandWidth = "3"
	s.SaveAlarm()
	noError(t, v.Notice)
	// A spike far outside the band.
	for i := 0; i < 3; i++ {
		put(t, s, "Load", "", "500")
		advanceClock(t, s, 30*time.Minute)
	}
	s.SetAlarmsWindow("12h", 12*time.Hour)
	if v.DetailErr != "" || v.Chart.Band == nil || len(v.Chart.Band.Times) == 0 || len(v.Chart.Series) != 1 {
		t.Fatalf("band chart: %q %+v", v.DetailErr, v.Chart.Band)
	}
	if svg := v.Chart.SVG(); !strings.Contains(svg, "tt-chart-band") || !strings.Contains(svg, "tt-chart-breach") {
		t.Errorf("the band or the points outside it are not drawn")
	}
	s.AlarmsLoad()
	a, _ = v.find("band")
	if a.StateValue != "ALARM" {
		t.Errorf("state %s: %s", a.StateValue, a.StateReason)
	}
	s.NewAlarm(KindBand)
	v.Form.Name, v.Form.BandWidth = "bad-band", "x"
	s.SaveAlarm()
	if !v.Notice.Err {
		t.Errorf("a bad band width was accepted")
	}
	v.Form.SetKind(KindMetric)
	if v.Form.Comparison != "GreaterThanThreshold" {
		t.Errorf("a band operator stayed on a metric alarm: %s", v.Form.Comparison)
	}
}
