package app

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"github.com/telltale-dev/telltale/core/logs"
)

// Tabs of an open log group: subscription filters and export tasks.
const (
	LogsTabSubs    = "subscriptions"
	LogsTabExports = "exports"
)

// Destination kinds of the subscription filter wizard.
const (
	DestLambda   = "lambda"
	DestKinesis  = "kinesis"
	DestFirehose = "firehose"
)

var destKinds = []Option{{DestLambda, "Lambda function"}, {DestKinesis, "Kinesis data stream"}, {DestFirehose, "Firehose stream"}}

// SubscriptionForm is the state of the subscription filter wizard.
type SubscriptionForm struct {
	Name         string
	Pattern      TextBox
	PatternErr   string
	Kind         string
	Arn          string
	Role         string
	Distribution string
	Choices      []Option // the destinations of Kind: ARN and name
}

// ExportForm is the state of the export task form.
type ExportForm struct {
	Name, Bucket, Prefix, From, To string
	Buckets                        []string
}

// logsSubsLoad lists the open group's subscription filters
// (DescribeSubscriptionFilters) and the destinations the wizard offers.
func (s *Session) logsSubsLoad() {
	defer s.Save() // once, after the reads (see read)
	v := &s.Logs
	f := &v.Sub
	if f.Kind == "" {
		f.Kind, f.Distribution = DestLambda, "ByLogStream"
	}
	var out struct {
		SubscriptionFilters []logs.SubscriptionFilterView `json:"subscriptionFilters"`
	}
	if err := s.read("logs", "DescribeSubscriptionFilters", map[string]any{"logGroupName": v.Group}, &out); err != nil {
		v.Notice.set(err, "")
	}
	v.Subs = out.SubscriptionFilters
	s.loadDestinations()
}

// loadDestinations lists the destinations of the chosen kind: Lambda
// functions (ListFunctions), Kinesis streams (ListStreams) or Firehose
// streams (ListDeliveryStreams).
func (s *Session) loadDestinations() {
	defer s.Save() // once, after the reads (see read)
	v := &s.Logs
	f := &v.Sub
	w := s.World()
	f.Choices = nil
	arnOf := func(service, res string) string {
		return "arn:aws:" + service + ":" + w.Region() + ":" + w.Account() + ":" + res
	}
	switch f.Kind {
	case DestLambda:
		var out struct {
			Functions []struct{ FunctionName, FunctionArn string }
		}
		if err := s.read("lambda", "ListFunctions", map[string]any{}, &out); err != nil {
			v.Notice.set(err, "")
		}
		for _, fn := range out.Functions {
			f.Choices = append(f.Choices, Option{fn.FunctionArn, fn.FunctionName})
		}
	case DestKinesis:
		var out struct{ StreamNames []string }
		if err := s.read("kinesis", "ListStreams", map[string]any{}, &out); err != nil {
			v.Notice.set(err, "")
		}
		for _, n := range out.StreamNames {
			f.Choices = append(f.Choices, Option{arnOf("kinesis", "stream/"+n), n})
		}
	case DestFirehose:
		var out struct{ DeliveryStreamNames []string }
		if err := s.read("firehose", "ListDeliveryStreams", map[string]any{}, &out); err != nil {
			v.Notice.set(err, "")
		}
		for _, n := range out.DeliveryStreamNames {
			f.Choices = append(f.Choices, Option{arnOf("firehose", "deliverystream/"+n), n})
		}
	}
	found := false
	for _, c := range f.Choices {
		found = found || c.Value == f.Arn
	}
	if !found {
		f.Arn = ""
		if len(f.Choices) > 0 {
			f.Arn = f.Choices[0].Value
		}
	}
	if f.Kind != DestLambda && f.Role == "" {
		f.Role = "arn:aws:iam::" + w.Account() + ":role/CWLtoSubscriptionRole"
	}
}

// SetDestinationKind chooses the kind of destination of the wizard.
func (s *Session) SetDestinationKind(k string) {
	s.Logs.Sub.Kind = k
	s.loadDestinations()
}

// SetPattern takes the wizard's pattern as typed and checks it.
func (f *SubscriptionForm) SetPattern(x string) {
	f.Pattern.Value = x
	f.PatternErr = patternProblem(x)
}

// CreateSubscriptionFilter creates the wizard's subscription filter
// (PutSubscriptionFilter).
func (s *Session) CreateSubscriptionFilter() {
	v := &s.Logs
	f := &v.Sub
	name := strings.TrimSpace(f.Name)
	in := map[string]any{"logGroupName": v.Group, "filterName": name, "filterPattern": f.Pattern.Value, "destinationArn": f.Arn}
	if f.Kind != DestLambda {
		in["roleArn"] = strings.TrimSpace(f.Role)
	}
	if f.Kind == DestKinesis {
		in["distribution"] = f.Distribution
	}
	where := map[string]string{
		DestLambda:   "the function's invocations (Lambda page) show each decoded payload",
		DestKinesis:  "read the records with aws kinesis get-shard-iterator and get-records",
		DestFirehose: "see the records with telltale firehose records NAME --decode",
	}[f.Kind]
	if v.Notice.set(s.call("logs", "PutSubscriptionFilter", in, nil),
		"Created the subscription filter "+name+": matching events ingested from now on are delivered; "+where+".") {
		kind := f.Kind
		*f = SubscriptionForm{Kind: kind, Distribution: "ByLogStream"}
	}
	s.logsSubsLoad()
}

// DeleteSubscriptionFilter deletes a subscription filter of the open group
// (DeleteSubscriptionFilter).
func (s *Session) DeleteSubscriptionFilter(name string) {
	v := &s.Logs
	v.Notice.set(s.call("logs", "DeleteSubscriptionFilter", map[string]any{"logGroupName": v.Group, "filterName": name}, nil),
		"Deleted the subscription filter "+name+".")
	s.logsSubsLoad()
}

const exportLayout = "2006-01-02T15:04"

// logsExportsLoad lists the export tasks of the open group
// (DescribeExportTasks, every page) and the buckets (ListBuckets).
func (s *Session) logsExportsLoad() {
	defer s.Save() // once, after the reads (see read)
	v := &s.Logs
	f := &v.Export
	now := s.World().Now().UTC()
	if f.To == "" {
		f.From, f.To = now.Add(-24*time.Hour).Format(exportLayout), now.Add(time.Minute).Truncate(time.Minute).Format(exportLayout)
		f.Prefix = "exportedlogs"
	}
	var tasks []logs.ExportTask
	req := map[string]any{}
	if err := pages(req, "nextToken", maxLogPages, func() (string, error) {
		var out struct {
			ExportTasks []logs.ExportTask `json:"exportTasks"`
			NextToken   string            `json:"nextToken"`
		}
		if err := s.read("logs", "DescribeExportTasks", req, &out); err != nil {
			return "", err
		}
		for _, t := range out.ExportTasks {
			if t.LogGroupName == v.Group {
				tasks = append(tasks, t)
			}
		}
		return out.NextToken, nil
	}); err != nil {
		v.Notice.set(err, "")
	}
	v.Exports = tasks
	var b struct{ Buckets []struct{ Name string } }
	if err := s.read("s3api", "ListBuckets", map[string]any{}, &b); err != nil {
		v.Notice.set(err, "")
	}
	f.Buckets = nil
	for _, x := range b.Buckets {
		f.Buckets = append(f.Buckets, x.Name)
	}
	if f.Bucket == "" && len(f.Buckets) > 0 {
		f.Bucket = f.Buckets[0]
	}
}

// CreateExportTask exports the open group's events between the form's
// times to its bucket (CreateExportTask).
func (s *Session) CreateExportTask() {
	v := &s.Logs
	f := &v.Export
	from, err1 := time.Parse(exportLayout, f.From)
	to, err2 := time.Parse(exportLayout, f.To)
	if err1 != nil || err2 != nil {
		v.Notice = Notice{Text: "the times are dates and times, 2026-01-02T15:04 (UTC)", Err: true}
		return
	}
	in := map[string]any{"logGroupName": v.Group, "from": from.UnixMilli(), "to": to.UnixMilli(), "destination": f.Bucket}
	if n := strings.TrimSpace(f.Name); n != "" {
		in["taskName"] = n
	}
	if p := strings.TrimSpace(f.Prefix); p != "" {
		in["destinationPrefix"] = p
	}
	var out struct {
		TaskID string `json:"taskId"`
	}
	v.Notice.set(s.call("logs", "CreateExportTask", in, &out),
		"Started the export task "+out.TaskID+": it completes as the clock moves; then aws s3 ls s3://"+f.Bucket+"/ --recursive lists its objects.")
	s.logsExportsLoad()
}

// CancelExportTask cancels an export task (CancelExportTask).
func (s *Session) CancelExportTask(id string) {
	v := &s.Logs
	v.Notice.set(s.call("logs", "CancelExportTask", map[string]any{"taskId": id}, nil), "Cancelled the export task "+id+".")
	s.logsExportsLoad()
}

func subscriptionsTab(s *Session, v *LogsView) app.UI {
	var rows []app.UI
	for _, f := range v.Subs {
		f := f
		dist := f.Distribution
		if !strings.Contains(f.DestinationArn, ":kinesis:") {
			dist = "-"
		}
		rows = append(rows, app.Tr().Class("tt-sub-row").DataSet("filter", f.FilterName).Body(
			app.Td().Text(f.FilterName),
			app.Td().Class("tt-mono tt-wrap").Text(orDash(f.FilterPattern)),
			app.Td().Text(arnKind(f.DestinationArn)),
			app.Td().Class("tt-mono tt-wrap").Text(f.DestinationArn),
			app.Td().Text(dist),
			app.Td().Body(small("Delete", "tt-sub-delete-"+f.FilterName, func(ctx app.Context, e app.Event) { s.DeleteSubscriptionFilter(f.FilterName) })),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(6, "No subscription filters."))
	}
	f := &v.Sub
	opts := []Option{{"", "Choose…"}}
	opts = append(opts, f.Choices...)
	page := map[string]string{DestLambda: "the Lambda page", DestKinesis: "the terminal: aws kinesis create-stream --stream-name NAME --shard-count 1",
		DestFirehose: "the terminal: aws firehose create-delivery-stream (to an S3 bucket)"}[f.Kind]
	return app.Div().Body(
		app.P().Class("tt-muted tt-hint").Text("A subscription filter delivers the matching events of the group, as they are ingested, to a Lambda function, "+
			"a Kinesis data stream or a Firehose stream: base64 of gzip of a JSON DATA_MESSAGE (a CONTROL_MESSAGE first, to check the destination). At most 2 a group."),
		table("tt-subs-filters", []string{"Name", "Pattern", "Destination", "ARN", "Distribution", ""}, rows),
		card("tt-sub-wizard", "Create a subscription filter on "+v.Group,
			app.Div().Class("tt-form-row").Body(
				selectField("Destination type", "tt-sub-kind", destKinds, f.Kind, func(k string) { s.SetDestinationKind(k) }),
				selectField("Destination", "tt-sub-dest", opts, f.Arn, func(a string) { f.Arn = a }),
				when(f.Kind != DestLambda, func() app.UI {
					return textField("Role ARN (CloudWatch Logs assumes it to write)", "tt-sub-role", f.Role, "", func(x string) { f.Role = x })
				}),
				when(f.Kind == DestKinesis, func() app.UI {
					return selectField("Distribution", "tt-sub-dist", []Option{{"ByLogStream", "By log stream"}, {"Random", "Random"}}, f.Distribution,
						func(x string) { f.Distribution = x })
				}),
			),
			when(len(f.Choices) == 0, func() app.UI {
				return app.P().Class("tt-muted tt-hint").Text("There is none yet: create one on " + page + ", then come back.")
			}),
			app.Div().Class("tt-form-row").Body(
				textField("Filter name", "tt-sub-name", f.Name, "to-processor", func(x string) { f.Name = x }),
			),
			app.Div().Class("tt-form-row tt-grow").Body(
				patternInput("Filter pattern (empty: every event)", "tt-sub-pattern", &f.Pattern, `{ $.level = "ERROR" }`, f.SetPattern, nil),
			),
			patternStatus("tt-sub-pattern-error", f.PatternErr),
			app.Div().Class("tt-row").Body(
				button("Create subscription filter", "tt-sub-create", func(ctx app.Context, e app.Event) { s.CreateSubscriptionFilter() }).
					Class("tt-btn tt-btn-primary"),
			),
		),
	)
}

func exportsTab(s *Session, v *LogsView) app.UI {
	var rows []app.UI
	for _, t := range v.Exports {
		t := t
		status := t.Status.Code
		if t.Status.Message != "" {
			status += " (" + t.Status.Message + ")"
		}
		rows = append(rows, app.Tr().Class("tt-export-row").DataSet("task", t.TaskID).Body(
			app.Td().Class("tt-mono").Text(t.TaskID),
			app.Td().Text(orDash(t.TaskName)),
			app.Td().Text(status),
			app.Td().Class("tt-nowrap").Text(msTime(t.From)+" – "+msTime(t.To)),
			app.Td().Class("tt-mono tt-wrap").Text("s3://"+t.Destination+"/"+t.DestinationPrefix),
			app.Td().Body(when(t.Status.Code == "PENDING" || t.Status.Code == "RUNNING", func() app.UI {
				return small("Cancel", "tt-export-cancel-"+t.TaskID, func(ctx app.Context, e app.Event) { s.CancelExportTask(t.TaskID) })
			})),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(6, "No export tasks for this group."))
	}
	f := &v.Export
	var buckets []Option
	for _, b := range f.Buckets {
		buckets = append(buckets, Option{b, b})
	}
	return app.Div().Body(
		app.P().Class("tt-muted tt-hint").Text("CreateExportTask copies the group's events between two times into an S3 bucket of the account, "+
			"as gzipped objects under PREFIX/TASK-ID/STREAM/. One task runs at a time; it completes as the virtual clock moves."),
		table("tt-exports-table", []string{"Task", "Name", "Status", "Events from", "Destination", ""}, rows),
		app.Div().Class("tt-subform").Body(
			app.H3().Text("Export to S3"),
			when(len(buckets) == 0, func() app.UI {
				return app.P().Class("tt-muted tt-hint").Text("There is no bucket yet: create one in the terminal (aws s3 mb s3://my-log-archive), then Refresh.")
			}),
			app.Div().Class("tt-form-row").Body(
				textField("Task name (optional)", "tt-export-name", f.Name, "", func(x string) { f.Name = x }),
				when(len(buckets) > 0, func() app.UI {
					return selectField("Bucket", "tt-export-bucket", buckets, f.Bucket, func(x string) { f.Bucket = x })
				}),
				when(len(buckets) == 0, func() app.UI {
					return textField("Bucket", "tt-export-bucket-name", f.Bucket, "my-log-archive", func(x string) { f.Bucket = x })
				}),
				textField("Prefix", "tt-export-prefix", f.Prefix, "exportedlogs", func(x string) { f.Prefix = x }),
			),
			app.Div().Class("tt-form-row").Body(
				field("From (UTC)", app.Input().Type("datetime-local").ID("tt-export-from").Value(f.From).
					OnChange(func(ctx app.Context, e app.Event) { f.From = ctx.JSSrc().Get("value").String() }, "tt-export-from")),
				field("To (UTC)", app.Input().Type("datetime-local").ID("tt-export-to").Value(f.To).
					OnChange(func(ctx app.Context, e app.Event) { f.To = ctx.JSSrc().Get("value").String() }, "tt-export-to")),
			),
			app.Div().Class("tt-row").Body(
				button("Export", "tt-export-create", func(ctx app.Context, e app.Event) { s.CreateExportTask() }).Class("tt-btn tt-btn-primary"),
				button("Refresh", "tt-export-refresh", func(ctx app.Context, e app.Event) { s.logsExportsLoad() }),
			),
		),
	)
}
