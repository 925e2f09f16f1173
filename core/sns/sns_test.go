package sns

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

type delivery struct{ kind, arn, body string }

type fakeEndpoints struct{ got []delivery }

func (e *fakeEndpoints) DeliverSQS(arn, body string) error {
	e.got = append(e.got, delivery{"sqs", arn, body})
	return nil
}

func (e *fakeEndpoints) DeliverLambda(arn string, payload []byte) error {
	e.got = append(e.got, delivery{"lambda", arn, string(payload)})
	return nil
}

func setup(t *testing.T) (*Service, *fakeEndpoints, *api.Call) {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	ep := &fakeEndpoints{}
	s := New(Deps{Store: st, Clock: clk, IDs: ids.New(1), Account: "123456789012", Region: "us-east-1", Endpoints: ep})
	c := &api.Call{Now: clk.Now(), Account: "123456789012", Region: "us-east-1", Identity: api.Identity{ARN: "arn:aws:iam::123456789012:user/learner"}}
	return s, ep, c
}

func str(s string) *string { return &s }

func TestFanOutAndInbox(t *testing.T) {
	s, ep, c := setup(t)
	topic, err := s.CreateTopic(c, &CreateTopicInput{Name: "alerts"})
	if err != nil {
		t.Fatal(err)
	}
	arn := topic.TopicArn
	subs := []SubscribeInput{
		{TopicArn: arn, Protocol: "sqs", Endpoint: str("arn:aws:sqs:us-east-1:123456789012:q")},
		{TopicArn: arn, Protocol: "sqs", Endpoint: str("arn:aws:sqs:us-east-1:123456789012:raw"), Attributes: map[string]string{"RawMessageDelivery": "true"}},
		{TopicArn: arn, Protocol: "lambda", Endpoint: str("arn:aws:lambda:us-east-1:123456789012:function:fn")},
		{TopicArn: arn, Protocol: "email", Endpoint: str("me@example.com")},
	}
	for _, in := range subs {
		out, err := s.Subscribe(c, &in)
		if err != nil {
			t.Fatal(err)
		}
		if in.Protocol == "email" && out.SubscriptionArn != "pending confirmation" {
			t.Fatalf("email subscription = %s", out.SubscriptionArn)
		}
	}
	inbox, _ := s.Inbox()
	if len(inbox) != 1 || inbox[0].Kind != "SubscriptionConfirmation" || inbox[0].Token == "" || !strings.Contains(inbox[0].Body, inbox[0].Token) {
		t.Fatalf("inbox after subscribe = %+v", inbox)
	}
	if _, err := s.ConfirmSubscription(c, &ConfirmSubscriptionInput{TopicArn: arn, Token: inbox[0].Token}); err != nil {
		t.Fatal(err)
	}
	pub, err := s.Publish(c, &PublishInput{TopicArn: &arn, Message: "hello", Subject: str("Hi")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ep.got) != 3 {
		t.Fatalf("deliveries = %+v", ep.got)
	}
	for _, d := range ep.got {
		switch {
		case strings.HasSuffix(d.arn, ":raw"):
			if d.body != "hello" {
				t.Errorf("raw delivery body = %q", d.body)
			}
		case d.kind == "sqs":
			var env map[string]string
			if err := json.Unmarshal([]byte(d.body), &env); err != nil {
				t.Fatal(err)
			}
			if env["Type"] != "Notification" || env["Message"] != "hello" || env["Subject"] != "Hi" || env["MessageId"] != pub.MessageId || env["Timestamp"] != "2026-01-02T03:04:05.000Z" {
				t.Errorf("envelope = %v", env)
			}
		case d.kind == "lambda":
			var ev struct {
				Records []struct {
					Sns struct{ Message, MessageId string }
				}
			}
			if err := json.Unmarshal([]byte(d.body), &ev); err != nil || ev.Records[0].Sns.Message != "hello" {
				t.Errorf("lambda event = %s (%v)", d.body, err)
			}
		}
	}
	inbox, _ = s.Inbox()
	if len(inbox) != 2 || inbox[1].Subject != "Hi" || !strings.HasPrefix(inbox[1].Body, "hello\n") {
		t.Fatalf("inbox after publish = %+v", inbox)
	}
}

func TestErrors(t *testing.T) {
	s, _, c := setup(t)
	s.CreateTopic(c, &CreateTopicInput{Name: "t"})
	arn := "arn:aws:sns:us-east-1:123456789012:t"
	missing := "arn:aws:sns:us-east-1:123456789012:missing"
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"bad name", second(s.CreateTopic(c, &CreateTopicInput{Name: "a b"})), "InvalidParameter: Invalid parameter: Topic Name"},
		{"missing topic", second(s.GetTopicAttributes(c, &TopicArnInput{TopicArn: missing})), "NotFound: Topic does not exist"},
		{"bad protocol", second(s.Subscribe(c, &SubscribeInput{TopicArn: arn, Protocol: "x"})), "InvalidParameter: Invalid parameter: Amazon SNS does not support this protocol string: x"},
		{"bad email", second(s.Subscribe(c, &SubscribeInput{TopicArn: arn, Protocol: "email", Endpoint: str("nope")})), "InvalidParameter: Invalid parameter: Email address"},
		{"empty message", second(s.Publish(c, &PublishInput{TopicArn: &arn})), "InvalidParameter: Invalid parameter: Empty message"},
		{"bad token", second(s.ConfirmSubscription(c, &ConfirmSubscriptionInput{TopicArn: arn, Token: "x"})), "InvalidParameter: Invalid parameter: Token"},
		{"no default", second(s.Publish(c, &PublishInput{TopicArn: &arn, Message: `{"sqs":"x"}`, MessageStructure: str("json")})), "InvalidParameter: Invalid parameter: Message Structure - No default entry in JSON message body"},
	}
	for _, tc := range cases {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.want)
		}
	}
	if err := s.Deliver(missing, "m", ""); err == nil {
		t.Error("Deliver to a missing topic succeeded")
	}
}

func second[T any](_ T, err error) error { return err }
