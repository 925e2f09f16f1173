package sqs

import (
	"errors"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

type fixture struct {
	t   *testing.T
	s   *Service
	clk *clock.Clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	s := New(Deps{Store: st, Clock: clk, IDs: ids.New(1), Account: "123456789012", Region: "us-east-1"})
	return &fixture{t: t, s: s, clk: clk}
}

func (f *fixture) call() *api.Call {
	return &api.Call{Now: f.clk.Now(), Account: "123456789012", Region: "us-east-1", Identity: api.Identity{PrincipalID: "AIDATEST"}}
}

func (f *fixture) create(name string, attrs map[string]string) string {
	f.t.Helper()
	out, err := f.s.CreateQueue(f.call(), &CreateQueueInput{QueueName: name, Attributes: attrs})
	if err != nil {
		f.t.Fatal(err)
	}
	return out.QueueUrl
}

func (f *fixture) send(url, body string) {
	f.t.Helper()
	if _, err := f.s.SendMessage(f.call(), &SendMessageInput{QueueUrl: url, MessageBody: body}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) receive(url string, max int) []Message {
	f.t.Helper()
	out, err := f.s.ReceiveMessage(f.call(), &ReceiveMessageInput{QueueUrl: url, MaxNumberOfMessages: &max,
		AttributeNames: []string{"All"}})
	if err != nil {
		f.t.Fatal(err)
	}
	return out.Messages
}

func (f *fixture) counts(url string) [3]string {
	f.t.Helper()
	out, err := f.s.GetQueueAttributes(f.call(), &GetQueueAttributesInput{QueueUrl: url, AttributeNames: []string{"All"}})
	if err != nil {
		f.t.Fatal(err)
	}
	a := out.Attributes
	return [3]string{a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"], a["ApproximateNumberOfMessagesDelayed"]}
}

func code(err error) string {
	var e *awserr.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestVisibilityDelayRetention(t *testing.T) {
	f := newFixture(t)
	url := f.create("q", map[string]string{"VisibilityTimeout": "30", "MessageRetentionPeriod": "300"})
	f.send(url, "a")
	d := 60
	if _, err := f.s.SendMessage(f.call(), &SendMessageInput{QueueUrl: url, MessageBody: "b", DelaySeconds: &d}); err != nil {
		t.Fatal(err)
	}
	if got := f.counts(url); got != [3]string{"1", "0", "1"} {
		t.Fatalf("counts after send = %v", got)
	}
	m := f.receive(url, 10)
	if len(m) != 1 || m[0].Body != "a" || m[0].Attributes["ApproximateReceiveCount"] != "1" {
		t.Fatalf("first receive = %+v", m)
	}
	if got := f.counts(url); got != [3]string{"0", "1", "1"} {
		t.Fatalf("counts in flight = %v", got)
	}
	f.clk.Advance(29 * time.Second)
	if m := f.receive(url, 10); len(m) != 0 {
		t.Fatalf("receive before timeout = %+v", m)
	}
	f.clk.Advance(31 * time.Second)
	m = f.receive(url, 10)
	if len(m) != 2 || m[0].Attributes["ApproximateReceiveCount"] != "2" || m[1].Body != "b" {
		t.Fatalf("receive after timeout = %+v", m)
	}
	// Delete with the latest handle; the other message expires with retention.
	if _, err := f.s.DeleteMessage(f.call(), &ReceiptInput{QueueUrl: url, ReceiptHandle: m[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(5 * time.Minute)
	if got := f.counts(url); got != [3]string{"0", "0", "0"} {
		t.Fatalf("counts after retention = %v", got)
	}
}

func TestErrors(t *testing.T) {
	f := newFixture(t)
	url := f.create("q", nil)
	eleven, neg := 11, -1
	cases := []struct {
		name string
		err  error
		code string
	}{
		{"no queue", func() error {
			_, err := f.s.GetQueueUrl(f.call(), &GetQueueUrlInput{QueueName: "nope"})
			return err
		}(), codeNonExistentQueue},
		{"bad handle", func() error {
			_, err := f.s.DeleteMessage(f.call(), &ReceiptInput{QueueUrl: url, ReceiptHandle: "x"})
			return err
		}(), codeReceiptHandleInvalid},
		{"max messages", func() error {
			_, err := f.s.ReceiveMessage(f.call(), &ReceiveMessageInput{QueueUrl: url, MaxNumberOfMessages: &eleven})
			return err
		}(), codeInvalidParameterValue},
		{"delay", func() error {
			_, err := f.s.SendMessage(f.call(), &SendMessageInput{QueueUrl: url, MessageBody: "x", DelaySeconds: &neg})
			return err
		}(), codeInvalidParameterValue},
		{"bad chars", func() error {
			_, err := f.s.SendMessage(f.call(), &SendMessageInput{QueueUrl: url, MessageBody: "a\x00b"})
			return err
		}(), codeInvalidMessage},
		{"unknown attribute", func() error {
			_, err := f.s.GetQueueAttributes(f.call(), &GetQueueAttributesInput{QueueUrl: url, AttributeNames: []string{"Nope"}})
			return err
		}(), codeInvalidAttributeName},
		{"redrive to nowhere", func() error {
			_, err := f.s.SetQueueAttributes(f.call(), &SetQueueAttributesInput{QueueUrl: url, Attributes: map[string]string{
				"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:gone","maxReceiveCount":3}`}})
			return err
		}(), codeInvalidParameterValue},
		{"not inflight", func() error {
			f.send(url, "m")
			m := f.receive(url, 1)
			zero := 0
			f.s.ChangeMessageVisibility(f.call(), &ReceiptInput{QueueUrl: url, ReceiptHandle: m[0].ReceiptHandle, VisibilityTimeout: &zero})
			_, err := f.s.ChangeMessageVisibility(f.call(), &ReceiptInput{QueueUrl: url, ReceiptHandle: m[0].ReceiptHandle, VisibilityTimeout: &zero})
			return err
		}(), codeMessageNotInflight},
	}
	for _, c := range cases {
		if got := code(c.err); got != c.code {
			t.Errorf("%s: code %q (%v), want %q", c.name, got, c.err, c.code)
		}
	}
}

func TestDeliver(t *testing.T) {
	f := newFixture(t)
	url := f.create("q", nil)
	if err := f.s.Deliver("arn:aws:sqs:us-east-1:123456789012:q", "hi", map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Deliver("arn:aws:sqs:us-east-1:123456789012:gone", "hi", nil); code(err) != codeNonExistentQueue {
		t.Fatalf("deliver to a missing queue: %v", err)
	}
	out, err := f.s.ReceiveMessage(f.call(), &ReceiveMessageInput{QueueUrl: url, AttributeNames: []string{"SenderId"}, MessageAttributeNames: []string{"All"}})
	if err != nil || len(out.Messages) != 1 {
		t.Fatal(out, err)
	}
	m := out.Messages[0]
	if m.Body != "hi" || m.Attributes["SenderId"] != SenderID || *m.MessageAttributes["k"].StringValue != "v" {
		t.Fatalf("delivered message = %+v", m)
	}
	msgs, _ := f.s.Messages("q")
	if len(msgs) != 1 || msgs[0].State != "in flight" {
		t.Fatalf("Messages = %+v", msgs)
	}
}

// TestAttributesMD5 checks the attribute digest against the value AWS
// documents for one String attribute and against an independent encoding.
func TestAttributesMD5(t *testing.T) {
	v := "v"
	got := attributesMD5(map[string]attrValue{"k": {DataType: "String", StringValue: &v}})
	// MD5 of 00000001 'k' 00000006 'String' 01 00000001 'v'.
	want := md5Hex("\x00\x00\x00\x01k\x00\x00\x00\x06String\x01\x00\x00\x00\x01v")
	if got != want {
		t.Fatalf("attributesMD5 = %s, want %s", got, want)
	}
}

func TestReceiptRoundTrip(t *testing.T) {
	h := encodeReceipt("q", 7, 2, "abc")
	name, seq, n, ok := decodeReceipt(h)
	if !ok || name != "q" || seq != 7 || n != 2 {
		t.Fatalf("decodeReceipt = %q %d %d %v", name, seq, n, ok)
	}
}

func FuzzDecodeReceipt(f *testing.F) {
	f.Add(encodeReceipt("q", 1, 1, "ff"))
	f.Add("bogus")
	f.Add("")
	f.Fuzz(func(t *testing.T, h string) {
		decodeReceipt(h)
	})
}
