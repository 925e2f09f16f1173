package eventbridge

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// fakeTargets records deliveries; fail decides the error of each.
type fakeTargets struct {
	got  []string // "arn payload"
	dlq  []string // "arn payload attrs"
	fail func(arn string) error
}

func (f *fakeTargets) Deliver(arn string, payload []byte) error {
	if f.fail != nil {
		if err := f.fail(arn); err != nil {
			return err
		}
	}
	f.got = append(f.got, arn+" "+string(payload))
	return nil
}

func (f *fakeTargets) DeadLetter(arn string, payload []byte, attrs map[string]string) error {
	a, _ := json.Marshal(attrs)
	f.dlq = append(f.dlq, arn+" "+string(payload)+" "+string(a))
	return nil
}

type fixture struct {
	t       *testing.T
	s       *Service
	st      *store.Store
	clk     *clock.Clock
	tg      *fakeTargets
	notices []string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, st: st, clk: clock.New(time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)), tg: &fakeTargets{}}
	f.build()
	return f
}

func (f *fixture) build() {
	s, err := New(Deps{Store: f.st, Clock: f.clk, IDs: ids.New(1), Account: "123456789012", Region: "us-east-1", Targets: f.tg,
		Notify: func(at time.Time, format string, args ...any) {
			f.notices = append(f.notices, at.Format(time.RFC3339)+" "+fmt.Sprintf(format, args...))
		}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.s = s
}

func (f *fixture) call() *api.Call {
	return &api.Call{Now: f.clk.Now(), Account: "123456789012", Region: "us-east-1"}
}

func (f *fixture) must(_ any, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func (f *fixture) putEvent(source, detailType, detail string) *PutEventsOutput {
	f.t.Helper()
	out, err := f.s.PutEvents(f.call(), &PutEventsInput{Entries: []PutEventsRequestEntry{{Source: &source, DetailType: &detailType, Detail: &detail}}})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func awsCode(err error) string {
	if e, ok := err.(*awserr.Error); ok {
		return e.Code + ": " + e.Message
	}
	return fmt.Sprint(err)
}

func TestPutEventsEntries(t *testing.T) {
	f := newFixture(t)
	in := &PutEventsInput{Entries: []PutEventsRequestEntry{
		{Source: ptr("s"), DetailType: ptr("d"), Detail: ptr(`{}`)},
		{DetailType: ptr("d"), Detail: ptr(`{}`)},
		{Source: ptr("s"), DetailType: ptr("d")},
		{Source: ptr("s"), DetailType: ptr(""), Detail: ptr(`{}`)},
		{Source: ptr("s"), DetailType: ptr("d"), Detail: ptr(`"NotJSON"`)},
		{Source: ptr("s"), DetailType: ptr("d"), Detail: ptr(`{{}`)},
		{Source: ptr("s"), DetailType: ptr("d"), Detail: ptr(`{"n": 9223372036854775808}`)},
		{Source: ptr("s"), DetailType: ptr("d"), Detail: ptr(`{}`), EventBusName: ptr("nope")},
	}}
	out, err := f.s.PutEvents(f.call(), in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range out.Entries {
		if e.EventId != "" {
			got = append(got, "ok")
		} else {
			got = append(got, e.ErrorCode+": "+e.ErrorMessage)
		}
	}
	want := []string{"ok",
		"InvalidArgument: Parameter Source is not valid. Reason: Source is a required argument.",
		"InvalidArgument: Parameter Detail is not valid. Reason: Detail is a required argument.",
		"InvalidArgument: Parameter DetailType is not valid. Reason: DetailType is a required argument.",
		"MalformedDetail: Detail is malformed.", "MalformedDetail: Detail is malformed.", "MalformedDetail: Detail is malformed.",
		"ok"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || out.FailedEntryCount != 6 {
		t.Errorf("entries:\n%s\nfailed %d", strings.Join(got, "\n"), out.FailedEntryCount)
	}
	big := strings.Repeat("x", MaxEntriesSize)
	_, err = f.s.PutEvents(f.call(), &PutEventsInput{Entries: []PutEventsRequestEntry{{Source: ptr("s"), DetailType: ptr("d"), Detail: ptr(`{"a":"` + big + `"}`)}}})
	if awsCode(err) != "ValidationException: Total size of the entries in the request is over the limit." {
		t.Errorf("size: %v", err)
	}
	if n := EntrySize(&PutEventsRequestEntry{Time: &time.Time{}, Source: ptr("ab"), DetailType: ptr("é"), Detail: ptr("{}"), Resources: []string{"r1", "r22"}}); n != 14+2+2+2+2+3 {
		t.Errorf("EntrySize = %d", n)
	}
}

func TestRuleTargetTransformer(t *testing.T) {
	f := newFixture(t)
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "r1", EventPattern: ptr(`{"source":["app"]}`)}))
	f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "r1", Targets: []json.RawMessage{
		json.RawMessage(`{"Id":"q","Arn":"arn:aws:sqs:us-east-1:123456789012:q","InputTransformer":{"InputPathsMap":{"state":"$.detail.state"},"InputTemplate":"\"The state is <state>\""}}`),
		json.RawMessage(`{"Id":"whole","Arn":"arn:aws:sqs:us-east-1:123456789012:w"}`),
	}}))
	f.putEvent("other", "d", `{"state":"no"}`)
	f.putEvent("app", "Thing", `{"state": "running"}`)
	want := []string{
		`arn:aws:sqs:us-east-1:123456789012:q "The state is running"`,
		`arn:aws:sqs:us-east-1:123456789012:w {"version":"0","id":"` + nthUUID(2) + `","detail-type":"Thing","source":"app","account":"123456789012","time":"2026-01-02T03:00:00Z","region":"us-east-1","resources":[],"detail":{"state":"running"}}`,
	}
	if strings.Join(f.tg.got, "\n") != strings.Join(want, "\n") {
		t.Errorf("deliveries:\n%s\nwant\n%s", strings.Join(f.tg.got, "\n"), strings.Join(want, "\n"))
	}
	_, err := f.s.DeleteRule(f.call(), &DeleteRuleInput{Name: "r1"})
	if awsCode(err) != "ValidationException: Rule can't be deleted since it has targets." {
		t.Errorf("delete with targets: %v", err)
	}
	_, err = f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "r1", Targets: []json.RawMessage{
		json.RawMessage(`{"Id":"a","Arn":"x"}`), json.RawMessage(`{"Id":"b","Arn":"x"}`), json.RawMessage(`{"Id":"c","Arn":"x"}`), json.RawMessage(`{"Id":"d","Arn":"x"}`)}})
	if awsCode(err) != "LimitExceededException: The requested resource exceeds the maximum number allowed." {
		t.Errorf("6 targets: %v", err)
	}
	_, err = f.s.DescribeRule(f.call(), &ruleRef{Name: "nope"})
	if awsCode(err) != "ResourceNotFoundException: Rule nope does not exist on EventBus default." {
		t.Errorf("describe: %v", err)
	}
	f.must(f.s.RemoveTargets(f.call(), &RemoveTargetsInput{Rule: "r1", Ids: []string{"q", "whole"}}))
	f.must(f.s.DeleteRule(f.call(), &DeleteRuleInput{Name: "r1"}))
}

// nthUUID returns the n-th UUID (1-based) of the fixture's id stream.
func nthUUID(n int) string {
	g := ids.New(1)
	var id string
	for i := 0; i < n; i++ {
		id = g.UUID()
	}
	return id
}

func TestRateFiresOnTheClock(t *testing.T) {
	f := newFixture(t)
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "every5", ScheduleExpression: ptr("rate(5 minutes)")}))
	f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "every5", Targets: []json.RawMessage{json.RawMessage(`{"Id":"1","Arn":"arn:aws:sqs:us-east-1:123456789012:q"}`)}}))
	if err := f.clk.Advance(30 * time.Minute); err != nil {
		t.Fatal(err)
	}
	// A restored world: a new service over the same store re-arms the
	// schedule on a fresh clock.
	f.clk = clock.New(f.clk.Now())
	f.build()
	if err := f.clk.Advance(30 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if len(f.tg.got) != 12 {
		t.Fatalf("%d deliveries in an hour, want 12:\n%s", len(f.tg.got), strings.Join(f.notices, "\n"))
	}
	var ev map[string]any
	json.Unmarshal([]byte(strings.SplitN(f.tg.got[0], " ", 2)[1]), &ev)
	if ev["detail-type"] != "Scheduled Event" || ev["source"] != "aws.events" || ev["time"] != "2026-01-02T03:05:00Z" ||
		fmt.Sprint(ev["resources"]) != "[arn:aws:events:us-east-1:123456789012:rule/every5]" {
		t.Errorf("scheduled event: %v", ev)
	}
	f.must(f.s.DisableRule(f.call(), &ruleRef{Name: "every5"}))
	f.clk.Advance(time.Hour)
	if len(f.tg.got) != 12 {
		t.Errorf("a disabled rule fired")
	}
	_, err := f.s.PutRule(f.call(), &PutRuleInput{Name: "x", ScheduleExpression: ptr("rate(5 minute)")})
	if awsCode(err) != "ValidationException: Parameter ScheduleExpression is not valid." {
		t.Errorf("bad rate: %v", err)
	}
	f.must(f.s.CreateEventBus(f.call(), &CreateEventBusInput{Name: "b"}))
	_, err = f.s.PutRule(f.call(), &PutRuleInput{Name: "x", ScheduleExpression: ptr("rate(5 minutes)"), EventBusName: ptr("b")})
	if awsCode(err) != "ValidationException: ScheduleExpression is supported only on the default event bus." {
		t.Errorf("schedule on a custom bus: %v", err)
	}
}

func TestRetryAndDeadLetter(t *testing.T) {
	f := newFixture(t)
	f.tg.fail = func(arn string) error {
		if strings.HasSuffix(arn, ":gone") {
			return &DeliveryError{Code: "NO_RESOURCE", Message: "gone"}
		}
		return &DeliveryError{Code: "THROTTLING", Message: "slow down", Retryable: true}
	}
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "r", EventPattern: ptr(`{"source":["app"]}`)}))
	f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "r", Targets: []json.RawMessage{
		json.RawMessage(`{"Id":"busy","Arn":"arn:aws:sqs:us-east-1:123456789012:busy","RetryPolicy":{"MaximumRetryAttempts":2},"DeadLetterConfig":{"Arn":"arn:aws:sqs:us-east-1:123456789012:dlq"}}`),
		json.RawMessage(`{"Id":"gone","Arn":"arn:aws:sqs:us-east-1:123456789012:gone","DeadLetterConfig":{"Arn":"arn:aws:sqs:us-east-1:123456789012:dlq"}}`),
	}}))
	f.putEvent("app", "d", `{}`)
	if len(f.tg.dlq) != 1 || !strings.Contains(f.tg.dlq[0], `"ERROR_CODE":"NO_RESOURCE"`) || !strings.Contains(f.tg.dlq[0], `"RETRY_ATTEMPTS":"0"`) {
		t.Fatalf("non-retryable: %v", f.tg.dlq)
	}
	f.clk.Advance(2 * time.Minute)
	if len(f.tg.dlq) != 1 {
		t.Fatalf("went to the DLQ too early: %v", f.tg.dlq)
	}
	f.clk.Advance(time.Hour)
	if len(f.tg.dlq) != 2 || !strings.Contains(f.tg.dlq[1], `"EXHAUSTED_RETRY_CONDITION":"MaximumRetryAttempts"`) || !strings.Contains(f.tg.dlq[1], `"RETRY_ATTEMPTS":"2"`) {
		t.Fatalf("after retries: %v\n%s", f.tg.dlq, strings.Join(f.notices, "\n"))
	}
	want := []string{
		"2026-01-02T03:00:00Z events: rule r: delivery to arn:aws:sqs:us-east-1:123456789012:busy failed (THROTTLING); retry 1 at 2026-01-02T03:01:00Z",
		"2026-01-02T03:00:00Z events: rule r: delivery to arn:aws:sqs:us-east-1:123456789012:gone failed (NO_RESOURCE); the event went to the dead-letter queue arn:aws:sqs:us-east-1:123456789012:dlq",
		"2026-01-02T03:01:00Z events: rule r: delivery to arn:aws:sqs:us-east-1:123456789012:busy failed (THROTTLING); retry 2 at 2026-01-02T03:03:00Z",
		"2026-01-02T03:03:00Z events: rule r: delivery to arn:aws:sqs:us-east-1:123456789012:busy failed (THROTTLING); the event went to the dead-letter queue arn:aws:sqs:us-east-1:123456789012:dlq",
	}
	if strings.Join(f.notices, "\n") != strings.Join(want, "\n") {
		t.Errorf("notices:\n%s", strings.Join(f.notices, "\n"))
	}
}

func TestArchiveAndReplay(t *testing.T) {
	f := newFixture(t)
	busARN := f.s.busARN("default")
	f.must(f.s.CreateArchive(f.call(), &CreateArchiveInput{ArchiveName: "all", EventSourceArn: busARN}))
	f.must(f.s.CreateArchive(f.call(), &CreateArchiveInput{ArchiveName: "app", EventSourceArn: busARN, EventPattern: ptr(`{"source":["app"]}`)}))
	_, err := f.s.CreateArchive(f.call(), &CreateArchiveInput{ArchiveName: "all", EventSourceArn: busARN})
	if awsCode(err) != "ResourceAlreadyExistsException: Archive all already exists." {
		t.Errorf("duplicate: %v", err)
	}
	f.putEvent("app", "d", `{"n":1}`)
	f.clk.Advance(time.Minute)
	f.putEvent("other", "d", `{"n":2}`)
	a, _ := f.s.DescribeArchive(f.call(), &archiveName{"all"})
	b, _ := f.s.DescribeArchive(f.call(), &archiveName{"app"})
	if a.EventCount != 2 || b.EventCount != 1 {
		t.Fatalf("archived %d and %d", a.EventCount, b.EventCount)
	}
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "r", EventPattern: ptr(`{"detail":{"n":[{"numeric":[">",0]}]}}`)}))
	f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "r", Targets: []json.RawMessage{json.RawMessage(`{"Id":"1","Arn":"arn:aws:sqs:us-east-1:123456789012:q"}`)}}))
	start := time.Date(2026, 1, 2, 2, 0, 0, 0, time.UTC)
	_, err = f.s.StartReplay(f.call(), &StartReplayInput{ReplayName: "rp", EventSourceArn: f.s.archiveARN("all"), EventStartTime: start, EventEndTime: start, Destination: ReplayDestination{Arn: busARN}})
	if awsCode(err) != "ValidationException: Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime." {
		t.Errorf("empty window: %v", err)
	}
	out, err := f.s.StartReplay(f.call(), &StartReplayInput{ReplayName: "rp", EventSourceArn: f.s.archiveARN("all"), EventStartTime: start, EventEndTime: start.Add(3 * time.Hour), Destination: ReplayDestination{Arn: busARN}})
	if err != nil || out.State != "STARTING" {
		t.Fatalf("start: %v %v", out, err)
	}
	f.clk.Advance(2 * time.Minute)
	d, _ := f.s.DescribeReplay(f.call(), &replayName{"rp"})
	if d.State != "COMPLETED" || len(f.tg.got) != 2 || !strings.Contains(f.tg.got[0], `"region":"us-east-1","replay-name":"rp","resources"`) {
		t.Fatalf("replay: %s %v", d.State, f.tg.got)
	}
	a, _ = f.s.DescribeArchive(f.call(), &archiveName{"all"})
	if a.EventCount != 2 {
		t.Errorf("replayed events were archived: %d", a.EventCount)
	}
	_, err = f.s.CancelReplay(f.call(), &replayName{"rp"})
	if err == nil {
		t.Error("cancelled a completed replay")
	}
}

func TestServiceEventsReadOnly(t *testing.T) {
	f := newFixture(t)
	// No rules: no id is drawn.
	f.s.PutServiceEvent(ServiceEvent{Source: "aws.sts", DetailType: "AWS API Call via CloudTrail", Detail: []byte(`{}`), Time: f.clk.Now()})
	if f.s.d.IDs.State() != ids.New(1).State() {
		t.Error("an id was drawn with no rule")
	}
	pattern := `{"detail-type":["AWS API Call via CloudTrail"]}`
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "writes", EventPattern: &pattern}))
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "all", EventPattern: &pattern, State: ptr(EnabledAllMgmtEvent)}))
	for _, r := range []string{"writes", "all"} {
		f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: r, Targets: []json.RawMessage{json.RawMessage(`{"Id":"1","Arn":"arn:aws:sqs:us-east-1:123456789012:` + r + `"}`)}}))
	}
	f.s.PutServiceEvent(ServiceEvent{Source: "aws.sts", DetailType: "AWS API Call via CloudTrail", Detail: []byte(`{"eventName":"GetCallerIdentity"}`), Time: f.clk.Now(), ReadOnlyAPI: true})
	f.s.PutServiceEvent(ServiceEvent{Source: "aws.events", DetailType: "AWS API Call via CloudTrail", Detail: []byte(`{"eventName":"PutRule"}`), Time: f.clk.Now()})
	var got []string
	for _, g := range f.tg.got {
		got = append(got, strings.SplitN(g, " ", 2)[0][len("arn:aws:sqs:us-east-1:123456789012:"):]+" "+map[bool]string{true: "read", false: "write"}[strings.Contains(g, "GetCallerIdentity")])
	}
	if strings.Join(got, ",") != "all read,all write,writes write" {
		t.Errorf("deliveries: %v", got)
	}
}

func TestBusesAndPermissions(t *testing.T) {
	f := newFixture(t)
	f.must(f.s.CreateEventBus(f.call(), &CreateEventBusInput{Name: "orders"}))
	_, err := f.s.CreateEventBus(f.call(), &CreateEventBusInput{Name: "orders"})
	if awsCode(err) != "ResourceAlreadyExistsException: Event bus orders already exists." {
		t.Errorf("duplicate: %v", err)
	}
	_, err = f.s.DeleteEventBus(f.call(), &DeleteEventBusInput{Name: "default"})
	if awsCode(err) != "ValidationException: Cannot delete event bus default." {
		t.Errorf("delete default: %v", err)
	}
	f.must(f.s.PutPermission(f.call(), &PutPermissionInput{Action: ptr("events:PutEvents"), Principal: ptr("111122223333"), StatementId: ptr("one")}))
	f.must(f.s.PutPermission(f.call(), &PutPermissionInput{Action: ptr("events:PutEvents"), Principal: ptr("*"), StatementId: ptr("all")}))
	d, _ := f.s.DescribeEventBus(f.call(), &DescribeEventBusInput{})
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"one","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:123456789012:event-bus/default"},{"Sid":"all","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:123456789012:event-bus/default"}]}`
	if d.Policy != want {
		t.Errorf("policy:\n%s", d.Policy)
	}
	_, err = f.s.RemovePermission(f.call(), &RemovePermissionInput{StatementId: ptr("nope")})
	if awsCode(err) != "ResourceNotFoundException: Statement with the provided id does not exist." {
		t.Errorf("remove unknown: %v", err)
	}
	_, err = f.s.RemovePermission(f.call(), &RemovePermissionInput{StatementId: ptr("x"), EventBusName: ptr("nope")})
	if awsCode(err) != "ResourceNotFoundException: Event bus nope does not exist." {
		t.Errorf("remove on unknown bus: %v", err)
	}
	// A rule on a custom bus, and an event forwarded there from the default bus.
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "fwd", EventPattern: ptr(`{"source":["shop"]}`)}))
	f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "fwd", Targets: []json.RawMessage{json.RawMessage(`{"Id":"1","Arn":"` + f.s.busARN("orders") + `"}`)}}))
	out, err := f.s.PutRule(f.call(), &PutRuleInput{Name: "o", EventBusName: ptr("orders"), EventPattern: ptr(`{"source":["shop"]}`)})
	if err != nil || out.RuleArn != "arn:aws:events:us-east-1:123456789012:rule/orders/o" {
		t.Fatalf("%v %v", out, err)
	}
	f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "o", EventBusName: ptr("orders"), Targets: []json.RawMessage{json.RawMessage(`{"Id":"1","Arn":"arn:aws:sqs:us-east-1:123456789012:q"}`)}}))
	f.putEvent("shop", "Order", `{}`)
	if len(f.tg.got) != 1 {
		t.Errorf("forwarded: %v", f.tg.got)
	}
	f.must(f.s.TagResource(f.call(), &TagResourceInput{ResourceARN: out.RuleArn, Tags: []Tag{{"k", "v"}}}))
	tags, _ := f.s.ListTagsForResource(f.call(), &ListTagsForResourceInput{ResourceARN: out.RuleArn})
	if len(tags.Tags) != 1 {
		t.Errorf("tags: %v", tags)
	}
	names, _ := f.s.ListRuleNamesByTarget(f.call(), &ListRuleNamesByTargetInput{TargetArn: f.s.busARN("orders")})
	if fmt.Sprint(names.RuleNames) != "[fwd]" {
		t.Errorf("by target: %v", names.RuleNames)
	}
}
