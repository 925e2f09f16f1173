package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"strings"
	"testing"
	"time"
)

// trailNames returns the names of the events CloudTrail recorded, oldest
// first.
func trailNames(t *testing.T, s *Session) []string {
	t.Helper()
	s.Trail = TrailView{}
	s.LookupEvents(false)
	var out []string
	for i := len(s.Trail.Events) - 1; i >= 0; i-- {
		out = append(out, s.Trail.Events[i].Name)
	}
	return out
}

func noError(t *testing.T, n Notice) {
	t.Helper()
	if n.Err {
		t.Fatalf("error: %s", n.Text)
	}
}

func TestRuleToQueue(t *testing.T) {
	s, _ := newTestSession(t, nil)
	q := &s.Queues
	q.NewQueue = "orders"
	s.CreateQueue()
	noError(t, q.Notice)

	v := &s.Events
	s.EventsTab(TabRules)
	noError(t, v.Notice)
	s.NewRule()
	v.Edit.Name = "to-orders"
	v.Edit.SetRulePattern(`{"source": ["com.example.orders"], "detail": {"status": ["PLACED"]}}`)
	if v.Edit.PatternErr != "" {
		t.Fatalf("valid pattern: %s", v.Edit.PatternErr)
	}
	s.SaveRule()
	noError(t, v.Notice)
	if v.Rule != "to-orders" || len(v.Rules) != 1 || v.Rules[0].State != "ENABLED" {
		t.Fatalf("rule not open: %q %+v", v.Rule, v.Rules)
	}
	if len(v.Queues) != 1 || v.Queues[0].Name != "orders" {
		t.Fatalf("queue choices: %+v", v.Queues)
	}
	v.Target = TargetForm{Kind: TargetSQS, Arn: v.Queues[0].Arn, Mode: InputTransformed}
	v.Target.PathsMap.set(`{"id": "$.detail.orderId"}`)
	v.Target.Template.set(`"order <id> placed"`)
	s.AddTarget()
	noError(t, v.Notice)
	if len(v.Targets) != 1 || v.Targets[0].Id != "orders" || v.Targets[0].InputTransformer == nil {
		t.Fatalf("targets: %+v", v.Targets)
	}

	s.EventsTab(TabSend)
	s.SendEvent()
	noError(t, v.Notice)
	if len(v.Send.Results) != 1 {
		t.Fatalf("results: %v", v.Send.Results)
	}
	s.QueuesLoad()
	if q.Queue != "orders" {
		t.Fatalf("the new queue is not open: %q", q.Queue)
	}
	s.OpenQueue("orders") // folds
	s.OpenQueue("orders")
	if len(q.Messages) != 1 || q.Messages[0].Body != `"order 1234 placed"` {
		t.Fatalf("messages: %+v", q.Messages)
	}
	if q.Queues[0].Visible != "1" {
		t.Errorf("visible count %q", q.Queues[0].Visible)
	}
	// Receiving changes visibility, as in AWS; deleting removes it.
	s.ReceiveMessages()
	if len(q.Received) != 1 || q.Messages[0].State != "in flight" {
		t.Fatalf("received %+v, messages %+v", q.Received, q.Messages)
	}
	s.DeleteReceived(q.Received[0].MessageId)
	noError(t, q.Notice)
	if len(q.Messages) != 0 {
		t.Errorf("message not deleted: %+v", q.Messages)
	}

	// Disable, refuse delete with targets, remove the target, delete.
	s.EventsTab(TabRules)
	s.SetRuleState("to-orders", false)
	if v.Rules[0].State != "DISABLED" {
		t.Errorf("state %s", v.Rules[0].State)
	}
	s.DeleteRule("to-orders")
	if !v.Notice.Err {
		t.Errorf("a rule with targets was deleted: %s", v.Notice.Text)
	}
	s.RemoveTarget("orders")
	noError(t, v.Notice)
	s.DeleteRule("to-orders")
	noError(t, v.Notice)
	if len(v.Rules) != 0 {
		t.Errorf("rules left: %+v", v.Rules)
	}
	names := strings.Join(trailNames(t, s), ",")
	// PutEvents is a data event: CloudTrail's event history leaves it out.
	for _, want := range []string{"CreateQueue", "PutRule", "PutTargets", "RemoveTargets", "DeleteRule"} {
		if !strings.Contains(names, want) {
			t.Errorf("CloudTrail has no %s: %s", want, names)
		}
	}
}

func TestPatternEditor(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{`{"source": ["aws.ec2"]}`, ""},
		{``, ""},
		{`{"source": "aws.ec2"}`, "InvalidEventPatternException: Event pattern is not valid. Reason: \"source\" must be an object or an array"},
		{`{"source": [`, "InvalidEventPatternException: Event pattern is not valid. Reason: "},
	}
	for _, tc := range tests {
		var f RuleForm
		f.SetRulePattern(tc.pattern)
		if tc.want == "" && f.PatternErr != "" || !strings.HasPrefix(f.PatternErr, tc.want) {
			t.Errorf("%s: %q, want %q", tc.pattern, f.PatternErr, tc.want)
		}
	}
}

func TestSandbox(t *testing.T) {
	s, _ := newTestSession(t, nil)
	s.EventsTab(TabSandbox)
	v := &s.Events
	for _, e := range SampleEvents {
		v.PickSample(e.Name, true)
		s.TestPattern()
		if sb := v.Sandbox; sb.Err != "" || !sb.Result || sb.Explanation != "The pattern matches the event." {
			t.Errorf("%s: %+v", e.Name, sb)
		}
	}
	v.PickSample(SampleEvents[0].Name, true)
	v.SetSandboxPattern(`{"source": ["aws.ec2"], "detail": {"state": ["running"]}}`)
	s.TestPattern()
	if sb := v.Sandbox; sb.Result || !strings.Contains(sb.Explanation, `detail.state: expected "running", but the event has "pending".`) {
		t.Errorf("non-match: %+v", sb)
	}
	v.Sandbox.Event.set(`{"source": "aws.ec2"}`)
	s.TestPattern()
	if got := v.Sandbox.Err; got != "ValidationException: Parameter Event is not valid." {
		t.Errorf("bad event: %q", got)
	}
	v.SetSandboxPattern(`{"source": "x"}`)
	s.TestPattern()
	if got := v.Sandbox.Err; !strings.HasPrefix(got, "InvalidEventPatternException: Event pattern is not valid.") {
		t.Errorf("bad pattern: %q", got)
	}
}

func TestBusesAndArchives(t *testing.T) {
	s, _ := newTestSession(t, nil)
	v := &s.Events
	s.EventsTab(TabBuses)
	s.CreateBus("orders-bus")
	noError(t, v.Notice)
	if len(v.Buses) != 2 {
		t.Fatalf("buses: %+v", v.Buses)
	}
	s.CreateBus("orders-bus")
	if !v.Notice.Err || !strings.HasPrefix(v.Notice.Text, "ResourceAlreadyExistsException") {
		t.Errorf("duplicate bus: %+v", v.Notice)
	}
	s.EventsTab(TabArchives)
	v.Archive.Name, v.Archive.Bus = "all", "arn:aws:events:us-east-1:123456789012:event-bus/orders-bus"
	s.CreateArchive()
	noError(t, v.Notice)
	if len(v.Archives) != 1 {
		t.Fatalf("archives: %+v", v.Archives)
	}
	s.Events.Send.Bus = "orders-bus"
	s.SendEvent()
	noError(t, v.Notice)
	s.World().Advance(10 * time.Minute)
	s.EventsTab(TabArchives)
	v.Replay.Name, v.Replay.Archive = "again", "all"
	v.Replay.From = s.World().Now().Add(-time.Hour).Format(customLayout)
	v.Replay.To = s.World().Now().Format(customLayout)
	s.StartReplay()
	noError(t, v.Notice)
	if len(v.Replays) != 1 || v.Replays[0].ReplayName != "again" {
		t.Fatalf("replays: %+v", v.Replays)
	}
	s.EventsTab(TabBuses)
	s.DeleteBus("orders-bus")
	noError(t, v.Notice)
	s.DeleteBus("default")
	if !v.Notice.Err {
		t.Errorf("the default bus was deleted")
	}
}

func TestTopicsInbox(t *testing.T) {
	s, _ := newTestSession(t, nil)
	v := &s.Topics
	s.TopicsLoad()
	v.NewTopic = "alerts"
	s.CreateTopic()
	noError(t, v.Notice)
	s.Subscribe()
	noError(t, v.Notice)
	if len(v.Inbox) != 1 || v.Inbox[0].Kind != "SubscriptionConfirmation" {
		t.Fatalf("inbox: %+v", v.Inbox)
	}
	s.ConfirmMail(v.Inbox[0])
	noError(t, v.Notice)
	v.Subject = "Hello"
	v.Message.set("the body")
	s.Publish()
	noError(t, v.Notice)
	if len(v.Inbox) != 2 || v.Inbox[0].Kind != "Notification" || !strings.Contains(v.Inbox[0].Body, "the body") {
		t.Fatalf("inbox: %+v", v.Inbox)
	}
	if len(v.Subs) != 1 || v.Subs[0].Protocol != "email" {
		t.Fatalf("subs: %+v", v.Subs)
	}
	s.Unsubscribe(v.Subs[0].SubscriptionArn)
	noError(t, v.Notice)
	s.DeleteTopic(v.Topic)
	noError(t, v.Notice)
	if len(v.Topics) != 0 {
		t.Errorf("topics: %v", v.Topics)
	}
}

func TestFunctions(t *testing.T) {
	s, _ := newTestSession(t, nil)
	v := &s.Functions
	s.FunctionsLoad()
	for _, rt := range LambdaRuntimes {
		v.NewName, v.Runtime = "fn-"+strings.Split(rt.Runtime, ".")[0], rt.Runtime
		s.CreateFunction()
		noError(t, v.Notice)
	}
	if len(v.Functions) != 2 {
		t.Fatalf("functions: %+v", v.Functions)
	}
	s.InvokeFunction()
	noError(t, v.Notice)
	if !strings.Contains(v.Response, `"statusCode": 200`) || len(v.Invocations) != 1 {
		t.Errorf("response %q, invocations %+v", v.Response, v.Invocations)
	}
	s.DeleteFunction(v.Function)
	noError(t, v.Notice)
	if len(v.Functions) != 1 || v.Function != "" {
		t.Errorf("after delete: %+v %q", v.Functions, v.Function)
	}
}

// render returns the HTML of a page of s.
func render(t *testing.T, s *Session, path string) string {
	t.Helper()
	for _, pg := range Pages {
		if pg.Path == path {
			p := newPage(s, pg)
			d := app.NewServerTester(p)
			defer d.Close()
			return app.HTMLString(p)
		}
	}
	t.Fatalf("no page %s", path)
	return ""
}

func TestPagesRenderWithData(t *testing.T) {
	s, _ := newTestSession(t, nil)
	s.Functions.NewName = "fn"
	s.CreateFunction()
	noError(t, s.Functions.Notice)
	s.ExecText(`aws sqs create-queue --queue-name orders
aws sns create-topic --name alerts
aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:alerts --protocol email --notification-endpoint learner@example.com
aws events put-rule --name r --event-pattern '{"source":["com.example.orders"]}'
aws events put-targets --rule r --targets Id=q,Arn=arn:aws:sqs:us-east-1:123456789012:orders Id=f,Arn=arn:aws:lambda:us-east-1:123456789012:function:fn,InputPath=$.detail
aws events create-archive --archive-name all --event-source-arn arn:aws:events:us-east-1:123456789012:event-bus/default
`)
	for _, e := range s.Term.Entries {
		if e.Code != 0 {
			t.Fatalf("%s: %s", e.Line, e.Stderr)
		}
	}
	s.EventsTab(TabSend)
	s.SendEvent()
	noError(t, s.Events.Notice)

	tests := []struct {
		path  string
		setup func()
		want  []string
	}{
		{"/eventbridge", func() { s.EventsTab(TabRules); s.OpenRule("r"); s.NewRule() },
			[]string{"tt-rules-table", "tt-rule-editor", "tt-targets-table", "InputPath", "Lambda function", "✓ The pattern is valid."}},
		{"/eventbridge", func() { s.Events.Edit.SetRulePattern(`{"a":1}`) }, []string{"InvalidEventPatternException"}},
		{"/eventbridge", func() { s.EventsTab(TabBuses) }, []string{"tt-buses-table", "event-bus/default"}},
		{"/eventbridge", func() { s.EventsTab(TabSandbox); s.TestPattern() }, []string{"tt-sb-result", "✓ Match"}},
		{"/eventbridge", func() { s.EventsTab(TabSend) }, []string{"tt-send-results"}},
		{"/eventbridge", func() { s.EventsTab(TabArchives) }, []string{"tt-archives-table", "tt-replay-start"}},
		{"/sqs", func() { s.QueuesLoad(); s.OpenQueue("orders") }, []string{"tt-messages-table", "com.example.orders", "without receiving"}},
		{"/sns", func() { s.TopicsLoad(); s.OpenTopic(s.Topics.Topics[0]); s.Topics.ToggleMail(s.Topics.Inbox[0].Seq) },
			[]string{"tt-subs-table", "Confirm subscription", "AWS Notification - Subscription Confirmation", "learner@example.com"}},
		{"/lambda", func() {
			s.FunctionsLoad()
			s.Functions.Function = ""
			s.OpenFunction("fn")
			s.Functions.OpenInv = s.Functions.Invocations[0].Seq
		},
			[]string{"tt-invocations-table", "another service", "orderId"}},
	}
	for _, tc := range tests {
		tc.setup()
		html := render(t, s, tc.path)
		for _, w := range tc.want {
			if !strings.Contains(html, w) {
				t.Errorf("%s does not show %q", tc.path, w)
			}
		}
	}
}

func TestSchemasTab(t *testing.T) {
	s, _ := newTestSession(t, nil)
	v := &s.Events
	s.EventsTab(TabSchemas)
	noError(t, v.Notice)
	s.CreateDiscoverer()
	noError(t, v.Notice)
	if len(v.Schemas.Discoverers) != 1 || v.Schemas.Discoverers[0].State != "STARTED" {
		t.Fatalf("discoverers: %+v", v.Schemas.Discoverers)
	}
	s.SendEvent()
	noError(t, v.Notice)
	s.EventsTab(TabSchemas)
	found := false
	for _, sc := range v.Schemas.Schemas {
		found = found || sc.SchemaName == "com.example.orders@OrderPlaced"
	}
	if !found {
		t.Fatalf("schemas: %+v", v.Schemas.Schemas)
	}
	s.OpenSchema("com.example.orders@OrderPlaced")
	noError(t, v.Notice)
	if !strings.Contains(v.Schemas.Content, "orderId") {
		t.Errorf("content: %s", v.Schemas.Content)
	}
	for _, lang := range []string{"go", "typescript"} {
		s.SchemaCode(lang)
		noError(t, v.Notice)
		if !strings.Contains(v.Schemas.Code, "orderId") {
			t.Errorf("%s: %s", lang, v.Schemas.Code)
		}
	}
	html := render(t, s, "/eventbridge")
	if !strings.Contains(html, "tt-schema-content") {
		t.Errorf("the schema is not shown")
	}
	s.SetDiscoverer(v.Schemas.Discoverers[0].DiscovererId, false)
	noError(t, v.Notice)
	if v.Schemas.Discoverers[0].State != "STOPPED" {
		t.Errorf("state %s", v.Schemas.Discoverers[0].State)
	}
}
