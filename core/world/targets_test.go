package world_test

import (
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/core/world"
)

// TestSNSFanOut publishes to a topic with an SQS and a Lambda subscription
// through world.Invoke and finds the message in the queue and the
// invocation recorded, in a restored world too.
func TestSNSFanOut(t *testing.T) {
	w := newWorld(t)
	calls := []world.Request{
		{Service: "sqs", Operation: "CreateQueue", Input: []byte(`{"QueueName":"q"}`)},
		{Service: "lambda", Operation: "CreateFunction", Input: []byte(`{"FunctionName":"fn","Runtime":"python3.12","Handler":"a.h","Role":"arn:aws:iam::123456789012:role/r","Code":{"S3Bucket":"code-bucket","S3Key":"fn.zip"}}`)},
		{Service: "sns", Operation: "CreateTopic", Input: []byte(`{"Name":"t"}`)},
		{Service: "sns", Operation: "Subscribe", Input: []byte(`{"TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Protocol":"sqs","Endpoint":"arn:aws:sqs:us-east-1:123456789012:q","Attributes":{"RawMessageDelivery":"true"}}`)},
		{Service: "sns", Operation: "Subscribe", Input: []byte(`{"TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Protocol":"lambda","Endpoint":"arn:aws:lambda:us-east-1:123456789012:function:fn"}`)},
		{Service: "sns", Operation: "Publish", Input: []byte(`{"TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Message":"hello"}`)},
	}
	for _, c := range calls {
		if _, err := w.Invoke(c); err != nil {
			t.Fatalf("%s: %v", c.Operation, err)
		}
	}
	snap, err := w.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	r, err := world.Restore(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, w := range []*world.World{w, r} {
		msgs, err := w.SQS().Messages("q")
		if err != nil || len(msgs) != 1 || msgs[0].Body != "hello" {
			t.Fatalf("queue = %+v, %v", msgs, err)
		}
		invs, err := w.Lambda().Invocations("fn")
		if err != nil || len(invs) != 1 || !strings.Contains(invs[0].Payload, `"Message":"hello"`) {
			t.Fatalf("invocations = %+v, %v", invs, err)
		}
	}
}
