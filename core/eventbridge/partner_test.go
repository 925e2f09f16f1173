package eventbridge

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
)

var partnerID = api.Identity{Type: "IAMUser", ARN: "arn:aws:iam::111122223333:user/partner", AccountID: "111122223333", UserName: "partner"}

func (f *fixture) partnerCall() *api.Call {
	c := f.call()
	c.Identity = partnerID
	return c
}

func (f *fixture) partners() {
	f.s.d.PartnerOf = func(acct string) string {
		switch acct {
		case "111122223333":
			return "example.com"
		case "123456789012":
			return "saas.telltale.dev"
		}
		return ""
	}
}

func (f *fixture) sourceState(name string) string {
	f.t.Helper()
	out, err := f.s.DescribeEventSource(f.call(), &EventSourceNameInput{Name: name})
	if err != nil {
		return awsCode(err)
	}
	return out.State
}

func TestPartnerSourceLifecycle(t *testing.T) {
	f := newFixture(t)
	f.partners()
	const src = "aws.partner/example.com/1/orders"
	pc := f.partnerCall()
	steps := []struct {
		name string
		do   func() error
		want string // the error (code: message), "" for none
		st   string // the customer's view of the source afterwards
	}{
		{"not the partner's name", func() error {
			_, err := f.s.CreatePartnerEventSource(pc, &CreatePartnerEventSourceInput{Name: "aws.partner/other.com/1/x", Account: "123456789012"})
			return err
		}, "AccessDeniedException", "ResourceNotFoundException: Event source " + src + " does not exist."},
		{"create", func() error {
			_, err := f.s.CreatePartnerEventSource(pc, &CreatePartnerEventSourceInput{Name: src, Account: "123456789012"})
			return err
		}, "", SourcePending},
		{"activate without a bus", func() error {
			_, err := f.s.ActivateEventSource(f.call(), &EventSourceNameInput{Name: src})
			return err
		}, "InvalidStateException", SourcePending},
		{"bus with another name", func() error {
			_, err := f.s.CreateEventBus(f.call(), &CreateEventBusInput{Name: "aws.partner/example.com/1/x", EventSourceName: ptr(src)})
			return err
		}, "ValidationException", SourcePending},
		{"slash in a custom bus", func() error {
			_, err := f.s.CreateEventBus(f.call(), &CreateEventBusInput{Name: "a/b"})
			return err
		}, "ValidationException", SourcePending},
		{"partner bus", func() error {
			_, err := f.s.CreateEventBus(f.call(), &CreateEventBusInput{Name: src, EventSourceName: ptr(src)})
			return err
		}, "", SourceActive},
		{"deactivate", func() error {
			_, err := f.s.DeactivateEventSource(f.call(), &EventSourceNameInput{Name: src})
			return err
		}, "", SourcePending},
		{"activate", func() error {
			_, err := f.s.ActivateEventSource(f.call(), &EventSourceNameInput{Name: src})
			return err
		}, "", SourceActive},
		{"partner deletes", func() error {
			_, err := f.s.DeletePartnerEventSource(pc, &DeletePartnerEventSourceInput{Name: src, Account: "123456789012"})
			return err
		}, "", SourceDeleted},
		{"activate deleted", func() error {
			_, err := f.s.ActivateEventSource(f.call(), &EventSourceNameInput{Name: src})
			return err
		}, "InvalidStateException", SourceDeleted},
		{"bus deleted", func() error {
			_, err := f.s.DeleteEventBus(f.call(), &DeleteEventBusInput{Name: src})
			return err
		}, "", "ResourceNotFoundException: Event source " + src + " does not exist."},
	}
	for _, s := range steps {
		err := s.do()
		if got := awsCode(err); s.want == "" && err != nil || s.want != "" && !strings.HasPrefix(got, s.want) {
			t.Fatalf("%s: err = %v, want %q", s.name, got, s.want)
		}
		if got := f.sourceState(src); got != s.st {
			t.Fatalf("%s: state = %s, want %s", s.name, got, s.st)
		}
	}
}

func TestPartnerEventsReachTheBus(t *testing.T) {
	f := newFixture(t)
	f.partners()
	const src = "aws.partner/example.com/1/orders"
	f.must(f.s.CreatePartnerEventSource(f.partnerCall(), &CreatePartnerEventSourceInput{Name: src, Account: "123456789012"}))
	// A bus whose name continues the partner bus's must not share its rules.
	const nested = src + "/eu"
	f.must(f.s.CreatePartnerEventSource(f.partnerCall(), &CreatePartnerEventSourceInput{Name: nested, Account: "123456789012"}))
	for _, b := range []string{src, nested} {
		f.must(f.s.CreateEventBus(f.call(), &CreateEventBusInput{Name: b, EventSourceName: ptr(b)}))
		f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "all", EventBusName: ptr(b), EventPattern: ptr(`{"source":[{"prefix":"aws.partner/"}]}`)}))
		f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "all", EventBusName: ptr(b), Targets: []json.RawMessage{json.RawMessage(`{"Id":"t","Arn":"arn:aws:sqs:us-east-1:123456789012:` + strings.ReplaceAll(b, "/", "-") + `"}`)}}))
	}
	rules, err := f.s.ListRules(f.call(), &ListRulesInput{EventBusName: ptr(src)})
	if err != nil || len(rules.Rules) != 1 {
		t.Fatalf("rules of %s = %+v, %v", src, rules, err)
	}
	out, err := f.s.PutPartnerEvents(f.partnerCall(), &PutPartnerEventsInput{Entries: []PutPartnerEventsRequestEntry{
		{Source: ptr(src), DetailType: ptr("Order"), Detail: ptr(`{"id":1}`)},
		{Source: ptr("aws.partner/saas.telltale.dev/a/b"), DetailType: ptr("Order"), Detail: ptr(`{}`)},
	}})
	if err != nil || out.FailedEntryCount != 1 || out.Entries[1].ErrorCode != "NotAuthorizedForSourceException" {
		t.Fatalf("PutPartnerEvents = %+v, %v", out, err)
	}
	if len(f.tg.got) != 1 || !strings.HasPrefix(f.tg.got[0], "arn:aws:sqs:us-east-1:123456789012:aws.partner-example.com-1-orders ") ||
		!strings.Contains(f.tg.got[0], `"source":"aws.partner/example.com/1/orders","account":"123456789012"`) {
		t.Fatalf("deliveries = %q", f.tg.got)
	}
	// Deleting the outer bus leaves the nested bus's rules.
	f.must(f.s.RemoveTargets(f.call(), &RemoveTargetsInput{Rule: "all", EventBusName: ptr(src), Ids: []string{"t"}}))
	f.must(f.s.DeleteEventBus(f.call(), &DeleteEventBusInput{Name: src}))
	rules, err = f.s.ListRules(f.call(), &ListRulesInput{EventBusName: ptr(nested)})
	if err != nil || len(rules.Rules) != 1 {
		t.Fatalf("rules of %s after deleting %s = %+v, %v", nested, src, rules, err)
	}
}

func TestCrossAccountPutEvents(t *testing.T) {
	f := newFixture(t)
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "all", EventPattern: ptr(`{"source":["x"]}`)}))
	f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "all", Targets: []json.RawMessage{json.RawMessage(`{"Id":"t","Arn":"arn:aws:sqs:us-east-1:123456789012:q"}`)}}))
	bus := "arn:aws:events:us-east-1:123456789012:event-bus/default"
	put := func(busName *string) PutEventsResultEntry {
		out, err := f.s.PutEvents(f.partnerCall(), &PutEventsInput{Entries: []PutEventsRequestEntry{
			{Source: ptr("x"), DetailType: ptr("d"), Detail: ptr(`{}`), EventBusName: busName}}})
		if err != nil {
			t.Fatal(err)
		}
		return out.Entries[0]
	}
	if e := put(&bus); e.ErrorCode != "AccessDeniedException" || !strings.Contains(e.ErrorMessage, partnerID.ARN) {
		t.Fatalf("without a policy: %+v", e)
	}
	f.must(f.s.PutPermission(f.call(), &PutPermissionInput{Action: ptr("events:PutEvents"), Principal: ptr("111122223333"), StatementId: ptr("p")}))
	if e := put(&bus); e.EventId == "" {
		t.Fatalf("with a policy: %+v", e)
	}
	if e := put(nil); e.EventId == "" {
		t.Fatalf("to the partner's own bus: %+v", e)
	}
	if len(f.tg.got) != 1 || !strings.Contains(f.tg.got[0], `"account":"111122223333"`) {
		t.Fatalf("deliveries = %q", f.tg.got)
	}
}

func TestPartnerSourceExpiry(t *testing.T) {
	f := newFixture(t)
	f.partners()
	const lone, bused = "aws.partner/example.com/1/lone", "aws.partner/example.com/1/bused"
	for _, n := range []string{lone, bused} {
		f.must(f.s.CreatePartnerEventSource(f.partnerCall(), &CreatePartnerEventSourceInput{Name: n, Account: "123456789012"}))
	}
	f.must(f.s.CreateEventBus(f.call(), &CreateEventBusInput{Name: bused, EventSourceName: ptr(bused)}))
	if _, err := f.s.CreatePartnerEventSource(f.partnerCall(), &CreatePartnerEventSourceInput{Name: lone, Account: "999999999999"}); !strings.HasPrefix(awsCode(err), "ResourceAlreadyExistsException") {
		t.Fatalf("a name offered twice: %v", err)
	}
	f.must(f.s.DeactivateEventSource(f.call(), &EventSourceNameInput{Name: bused}))
	if err := f.clk.AdvanceTo(f.clk.Now().Add(PendingSourceLifetime - time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := f.sourceState(lone) + " " + f.sourceState(bused); got != "PENDING PENDING" {
		t.Fatalf("just before expiry: %s", got)
	}
	if err := f.clk.AdvanceTo(f.clk.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := f.sourceState(lone); !strings.HasPrefix(got, "ResourceNotFoundException") {
		t.Errorf("expired source without a bus: %s", got)
	}
	if got := f.sourceState(bused); got != SourceDeleted {
		t.Errorf("expired source with a bus: %s", got)
	}
	// The expired name can be offered again.
	f.must(f.s.CreatePartnerEventSource(f.partnerCall(), &CreatePartnerEventSourceInput{Name: lone, Account: "123456789012"}))
	if got := f.sourceState(lone); got != SourcePending {
		t.Errorf("offered again: %s", got)
	}
}

func TestPutEventsOtherRegionBus(t *testing.T) {
	f := newFixture(t)
	f.must(f.s.PutRule(f.call(), &PutRuleInput{Name: "all", EventPattern: ptr(`{"source":["x"]}`)}))
	f.must(f.s.PutTargets(f.call(), &PutTargetsInput{Rule: "all", Targets: []json.RawMessage{json.RawMessage(`{"Id":"t","Arn":"arn:aws:sqs:us-east-1:123456789012:q"}`)}}))
	for _, bus := range []string{"arn:aws:events:eu-west-1:123456789012:event-bus/default", "arn:aws:events:us-east-1:111122223333:event-bus/default"} {
		out, err := f.s.PutEvents(f.call(), &PutEventsInput{Entries: []PutEventsRequestEntry{{Source: ptr("x"), DetailType: ptr("d"), Detail: ptr(`{}`), EventBusName: ptr(bus)}}})
		if err != nil || out.FailedEntryCount != 0 {
			t.Fatalf("%s: %+v, %v", bus, out, err)
		}
	}
	if len(f.tg.got) != 0 {
		t.Fatalf("events for buses outside the world were delivered: %q", f.tg.got)
	}
	f.putEvent("x", "d", `{}`)
	if len(f.tg.got) != 1 {
		t.Fatalf("deliveries = %q", f.tg.got)
	}
}
