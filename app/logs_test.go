package app

import (
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/core/world"
)

// marked returns the highlighted parts of an event row.
func marked(parts []TextPart) []string {
	var out []string
	for _, p := range parts {
		if p.Mark {
			out = append(out, p.Text)
		}
	}
	return out
}

func TestLogGroupsPage(t *testing.T) {
	s, _ := newTestSession(t, nil)
	v := &s.Logs
	s.LogsLoad()
	noError(t, v.Notice)

	// A bad group name: AWS's error, not a blank page.
	v.NewGroup = "bad name!"
	s.CreateLogGroup()
	if !v.Notice.Err || !strings.HasPrefix(v.Notice.Text, "InvalidParameterException: ") {
		t.Fatalf("bad name: %+v", v.Notice)
	}
	v.NewGroup, v.NewRetention = "/app/web", "7"
	s.CreateLogGroup()
	noError(t, v.Notice)
	if v.Group != "/app/web" || len(v.Groups) != 1 || v.Groups[0].RetentionInDays != 7 {
		t.Fatalf("group: %q %+v", v.Group, v.Groups)
	}
	s.SetRetention("/app/web", "")
	noError(t, v.Notice)
	if v.Groups[0].RetentionInDays != 0 {
		t.Fatalf("retention not removed: %+v", v.Groups)
	}

	for _, name := range []string{"web-2", "web-1"} {
		v.NewStream = name
		s.CreateLogStream()
		noError(t, v.Notice)
	}
	if len(v.Streams) != 2 || v.Streams[0].LogStreamName != "web-1" {
		t.Fatalf("streams by name: %+v", v.Streams)
	}

	v.PutStream = "web-2"
	v.PutMessages.set(`{"level": "ERROR", "msg": "disk full"}` + "\n" + `{"level": "INFO", "msg": "ok"}` + "\n\nplain ERROR line")
	s.PutLogEvents()
	noError(t, v.Notice)
	if !strings.Contains(v.Notice.Text, "Put 3 events") {
		t.Errorf("notice: %q", v.Notice.Text)
	}
	s.SetStreamOrder("LastEventTime")
	if v.Streams[0].LogStreamName != "web-2" {
		t.Fatalf("streams by last event: %+v", v.Streams)
	}
	if len(v.Events) != 3 {
		t.Fatalf("events after put: %+v", v.Events)
	}

	// A JSON pattern: only the matching event, its value highlighted and extracted.
	v.SetLogPattern(`{ $.level = "ERROR" }`)
	if v.PatternErr != "" {
		t.Fatalf("valid pattern: %s", v.PatternErr)
	}
	s.SearchLogs()
	if len(v.Events) != 1 || !strings.Contains(v.Events[0].Message, "disk full") {
		t.Fatalf("JSON filter: %+v", v.Events)
	}
	if got := marked(v.Events[0].Parts); len(got) != 1 || got[0] != "ERROR" {
		t.Errorf("highlights: %q", got)
	}
	if e := v.Events[0].Extracted; len(e) != 1 || e[0] != (KeyValue{"$.level", "ERROR"}) {
		t.Errorf("extracted: %+v", e)
	}

	// Terms: every occurrence highlighted.
	v.SetLogPattern(`ERROR`)
	s.SearchLogs()
	if len(v.Events) != 2 || len(marked(v.Events[1].Parts)) != 1 {
		t.Fatalf("terms: %+v", v.Events)
	}

	// A bad pattern: AWS's error as typed, and from the search.
	v.SetLogPattern(`{ $.level = }`)
	if !strings.HasPrefix(v.PatternErr, "InvalidParameterException: ") || !strings.Contains(v.PatternErr, "^") {
		t.Fatalf("pattern error as typed: %q", v.PatternErr)
	}
	s.SearchLogs()
	if !strings.HasPrefix(v.PatternErr, "InvalidParameterException: ") || len(v.Events) != 0 {
		t.Fatalf("pattern error of the search: %q %+v", v.PatternErr, v.Events)
	}

	// Live tail: new events appear as the terminal puts them and the clock moves.
	v.SetLogPattern(`{ $.level = "ERROR" }`)
	s.SearchLogs()
	s.SetLive(true)
	before := len(trailNames(t, s))
	s.Exec(`clock advance 1m`)
	s.Exec(`aws logs put-log-events --log-group-name /app/web --log-stream-name web-1 --log-events '[{"timestamp": ` +
		itoa(int(s.World().Now().UnixMilli())) + `, "message": "{\"level\":\"ERROR\",\"msg\":\"later\"}"}]'`)
	if e := s.Term.Entries[len(s.Term.Entries)-1]; e.Code != 0 {
		t.Fatalf("put-log-events: %s", e.Stderr)
	}
	if len(v.Events) != 2 || !v.Events[1].New || v.Events[1].Stream != "web-1" {
		t.Fatalf("live tail: %+v", v.Events)
	}
	// The polls are not the learner's calls: CloudTrail has the two commands only.
	if names := trailNames(t, s); len(names) != before+2 {
		t.Errorf("CloudTrail after the live tail: %v", names[before:])
	}
	s.Clock.Playing = true
	if err := s.Tick(MaxTick, false); err != nil {
		t.Fatal(err)
	}
	if len(v.Events) != 2 || !v.Events[1].New {
		t.Fatalf("an event shown twice, or no longer marked new: %+v", v.Events)
	}

	// Stream view.
	s.ViewStream("web-1")
	if len(v.Events) != 1 || v.PutStream != "web-1" {
		t.Fatalf("stream view: %+v", v.Events)
	}

	if html := render(t, s, "/logs/groups"); !strings.Contains(html, `<mark class="tt-hl">ERROR</mark>`) {
		t.Errorf("the page has no highlight:\n%s", html)
	}

	s.DeleteLogStream("web-1")
	noError(t, v.Notice)
	s.DeleteLogGroup("/app/web")
	noError(t, v.Notice)
	if v.Group != "" || len(v.Groups) != 0 {
		t.Fatalf("after delete: %q %+v", v.Group, v.Groups)
	}
}

func TestMetricFilterWizard(t *testing.T) {
	s, _ := newTestSession(t, nil)
	v := &s.Logs
	s.Exec(`aws logs create-log-group --log-group-name access`)
	s.Exec(`aws logs create-log-stream --log-group-name access --log-stream-name s`)
	s.LogsLoad()
	s.OpenLogGroup("access")
	s.NewMetricFilter()
	f := &v.MF
	f.SetPattern(`[ip, id, user, timestamp, request, status_code=4*, size]`)
	if f.PatternErr != "" {
		t.Fatal(f.PatternErr)
	}
	f.Samples.set(`127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287` + "\n" +
		`127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 200 287`)
	s.TestMetricFilterForm()
	if f.TestErr != "" || len(f.Matches) != 1 || f.Matches[0].EventNumber != 1 {
		t.Fatalf("test: %q %+v", f.TestErr, f.Matches)
	}
	ex := f.Matches[0].Extracted
	if len(ex) != 7 || ex[0] != (KeyValue{"$id", "-"}) && ex[0].Key != "$id" {
		t.Errorf("extracted: %+v", ex)
	}
	found := false
	for _, kv := range ex {
		found = found || kv == KeyValue{"$status_code", "404"}
	}
	if !found {
		t.Errorf("no $status_code: %+v", ex)
	}

	// Bad input: AWS's errors.
	f.Name, f.Metric, f.Namespace = "4xx", "Client:Errors", "Web"
	s.CreateMetricFilter()
	if !v.Notice.Err || !strings.Contains(v.Notice.Text, "InvalidParameterException") {
		t.Fatalf("bad metric name: %+v", v.Notice)
	}
	f.Metric, f.Value = "ClientErrors", "1"
	f.Dimensions.set("Status=$status_code")
	f.Default = "0"
	s.CreateMetricFilter()
	if !v.Notice.Err {
		t.Errorf("a default value with dimensions was accepted")
	}
	f.Default = ""
	s.CreateMetricFilter()
	noError(t, v.Notice)
	if len(v.Filters) != 1 || v.Filters[0].FilterName != "4xx" || v.MF.Open {
		t.Fatalf("filters: %+v", v.Filters)
	}
	if !strings.Contains(render(t, s, "/logs/groups"), "ClientErrors") {
		t.Errorf("the page does not list the filter")
	}
	s.DeleteMetricFilter("4xx")
	noError(t, v.Notice)
	if len(v.Filters) != 0 {
		t.Fatalf("filters after delete: %+v", v.Filters)
	}

	// Sampled lines, then a bad pattern tested: AWS's error.
	s.Exec(`aws logs put-log-events --log-group-name access --log-stream-name s --log-events timestamp=` +
		itoa(int(s.World().Now().UnixMilli())) + `,message=hello`)
	s.LogsLoad()
	s.NewMetricFilter()
	s.SampleLines()
	if v.MF.Samples.Value != "hello" {
		t.Errorf("sampled: %q %q", v.MF.Samples.Value, v.MF.TestErr)
	}
	v.MF.SetPattern(`[a,`)
	s.TestMetricFilterForm()
	if !strings.HasPrefix(v.MF.TestErr, "InvalidParameterException: ") {
		t.Errorf("bad pattern test: %q", v.MF.TestErr)
	}
}

func TestTerminalTailFollow(t *testing.T) {
	s, _ := newTestSession(t, nil)
	put := func(msg string) {
		t.Helper()
		e := s.Exec(`aws logs put-log-events --log-group-name g --log-stream-name s --log-events '[{"timestamp": ` +
			itoa(int(s.World().Now().UnixMilli())) + `, "message": "` + msg + `"}]'`)
		if e.Code != 0 {
			t.Fatalf("put: %s", e.Stderr)
		}
	}
	s.ExecText("aws logs create-log-group --log-group-name g\naws logs create-log-stream --log-group-name g --log-stream-name s")
	put("before")
	e := s.Exec(`aws logs tail g --follow --format short`)
	if e.Code != 0 || !strings.HasSuffix(e.Stdout, " before\n") || e.Stderr != "" || s.Term.Following() != "g" {
		t.Fatalf("tail: %+v", e)
	}
	// Events put afterwards are printed after the command that put them,
	// under their own entry once another command came between.
	put("first")
	last := s.Term.Entries[len(s.Term.Entries)-1]
	if last.Follow != "g" || !strings.HasSuffix(last.Stdout, " first\n") {
		t.Fatalf("followed entry: %+v", last)
	}
	// As the clock plays: a line another service writes shows up (Lambda's
	// START/END/REPORT would too); at most one poll per 5 virtual seconds.
	if _, err := s.World().Invoke(world.Request{Service: "logs", Operation: "PutLogEvents", Input: []byte(`{"logGroupName": "g", "logStreamName": "s", "logEvents": [{"timestamp": ` +
		itoa(int(s.World().Now().UnixMilli())) + `, "message": "second"}]}`)}); err != nil {
		t.Fatal(err)
	}
	n := len(s.Term.Entries)
	s.Clock.Playing = true
	s.SetSpeed(10)
	for i := 0; i < 3; i++ {
		if err := s.Tick(MaxTick, false); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.Term.Entries) != n {
		t.Fatalf("a poll added an entry")
	}
	if got := s.Term.Entries[n-1].Stdout; strings.Count(got, " second\n") != 1 {
		t.Fatalf("second printed %q", got)
	}
	s.StopTail()
	if s.Term.Following() != "" || s.Term.Entries[len(s.Term.Entries)-1].Line != "^C" {
		t.Fatalf("stop: %+v", s.Term.Entries[len(s.Term.Entries)-1])
	}
	put("after the stop")
	if strings.Contains(s.Term.Transcript(), "after the stop\n2") {
		t.Fatalf("printed after the stop")
	}
	// The group goes: the tail ends with AWS's error.
	s.Exec(`aws logs tail g --follow`)
	s.Exec(`aws logs delete-log-group --log-group-name g`)
	last = s.Term.Entries[len(s.Term.Entries)-1]
	if s.Term.Following() != "" || !strings.Contains(last.Stderr, "ResourceNotFoundException") {
		t.Fatalf("after delete: %+v", last)
	}
}

func TestSubscriptionsAndExports(t *testing.T) {
	s, _ := newTestSession(t, nil)
	v := &s.Logs
	s.ExecText(`aws logs create-log-group --log-group-name g
aws logs create-log-stream --log-group-name g --log-stream-name s
aws lambda create-function --function-name shipper --runtime nodejs20.x --handler index.handler --role arn:aws:iam::123456789012:role/lambda --code S3Bucket=code-bucket,S3Key=k.zip
aws kinesis create-stream --stream-name central --shard-count 1
aws s3 mb s3://archive`)
	for _, e := range s.Term.Entries {
		if e.Code != 0 {
			t.Fatalf("%s: %s", e.Line, e.Stderr)
		}
	}
	s.LogsLoad()
	s.OpenLogGroup("g")
	s.LogsTab(LogsTabSubs)
	noError(t, v.Notice)
	f := &v.Sub
	if f.Kind != DestLambda || len(f.Choices) != 1 || f.Arn != "arn:aws:lambda:us-east-1:123456789012:function:shipper" {
		t.Fatalf("lambda choices: %+v", f)
	}
	f.SetPattern(`{ $.level = `)
	if !strings.HasPrefix(f.PatternErr, "InvalidParameterException: ") {
		t.Fatalf("pattern as typed: %q", f.PatternErr)
	}
	f.Name = "errors"
	s.CreateSubscriptionFilter()
	if !v.Notice.Err || !strings.HasPrefix(v.Notice.Text, "InvalidParameterException: ") {
		t.Fatalf("bad pattern: %+v", v.Notice)
	}
	f.SetPattern(`{ $.level = "ERROR" }`)
	s.CreateSubscriptionFilter()
	noError(t, v.Notice)
	s.SetDestinationKind(DestKinesis)
	if len(f.Choices) != 1 || !strings.HasSuffix(f.Arn, ":stream/central") || f.Role == "" {
		t.Fatalf("kinesis choices: %+v", f)
	}
	f.Name, f.Role = "all", ""
	s.CreateSubscriptionFilter()
	if !v.Notice.Err || !strings.Contains(v.Notice.Text, "roleArn") {
		t.Fatalf("no role: %+v", v.Notice)
	}
	f.Role = "arn:aws:iam::123456789012:role/r"
	s.CreateSubscriptionFilter()
	noError(t, v.Notice)
	if len(v.Subs) != 2 {
		t.Fatalf("subscription filters: %+v", v.Subs)
	}
	if html := render(t, s, "/logs/groups"); !strings.Contains(html, "stream/central") {
		t.Errorf("the page does not list the filters")
	}
	s.DeleteSubscriptionFilter("all")
	noError(t, v.Notice)
	if len(v.Subs) != 1 {
		t.Fatalf("after delete: %+v", v.Subs)
	}

	s.LogsTab(LogsTabExports)
	noError(t, v.Notice)
	x := &v.Export
	if x.Bucket != "archive" || x.From == "" || x.To == "" {
		t.Fatalf("export form: %+v", x)
	}
	x.From = "not a time"
	s.CreateExportTask()
	if !v.Notice.Err {
		t.Fatalf("a bad time was accepted")
	}
	x.From, x.Bucket = x.To, "nope"
	s.CreateExportTask()
	if !v.Notice.Err || !strings.Contains(v.Notice.Text, "Exception") {
		t.Fatalf("missing bucket: %+v", v.Notice)
	}
	x.Bucket, x.From = "archive", "2000-01-01T00:00"
	s.CreateExportTask()
	noError(t, v.Notice)
	if len(v.Exports) != 1 {
		t.Fatalf("exports: %+v", v.Exports)
	}
	if html := render(t, s, "/logs/groups"); !strings.Contains(html, v.Exports[0].TaskID) {
		t.Errorf("the page does not list the task")
	}
}

// TestLogsReadsSaved checks that the Logs pages' reads, made without a save
// each, still leave the world saved (their CloudTrail records included).
func TestLogsReadsSaved(t *testing.T) {
	s, _ := newTestSession(t, nil)
	for _, l := range []string{
		"aws logs create-log-group --log-group-name /app/a",
		"aws logs create-log-stream --log-group-name /app/a --log-stream-name s1",
	} {
		if e := s.Exec(l); e.Code != 0 {
			t.Fatalf("%s: %+v", l, e)
		}
	}
	s.OpenLogGroup("/app/a")
	for _, step := range []struct {
		name string
		run  func()
	}{
		{"LogsLoad", s.LogsLoad},
		{"SearchLogs", s.SearchLogs},
		{"subscriptions", func() { s.LogsTab(LogsTabSubs) }},
		{"exports", func() { s.LogsTab(LogsTabExports) }},
		{"InsightsLoad", s.InsightsLoad},
	} {
		step.run()
		if s.Dirty() {
			t.Errorf("%s left the world unsaved", step.name)
		}
	}
}
