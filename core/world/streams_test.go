package world_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

func invokeAll(t *testing.T, w *world.World, calls []world.Request) {
	t.Helper()
	for _, c := range calls {
		if _, err := w.Invoke(c); err != nil {
			t.Fatalf("%s %s: %v", c.Service, c.Operation, err)
		}
	}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

var eventIDRE = regexp.MustCompile(`^[0-9]{56}$`)

// checkDataMessage checks a decoded DATA_MESSAGE: AWS's members in AWS's
// order, 56-digit event ids, the matching messages only.
func checkDataMessage(t *testing.T, doc, filter string, messages ...string) {
	t.Helper()
	if !strings.HasPrefix(doc, `{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"app","logStream":"s1","subscriptionFilters":["`+filter+`"],"logEvents":[`) {
		t.Fatalf("payload = %s", doc)
	}
	var m struct {
		LogEvents []struct {
			ID        string
			Timestamp int64
			Message   string
		}
	}
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.LogEvents) != len(messages) {
		t.Fatalf("events = %+v, want %q", m.LogEvents, messages)
	}
	for i, e := range m.LogEvents {
		if !eventIDRE.MatchString(e.ID) || e.Message != messages[i] {
			t.Errorf("event %d = %+v, want %q with a 56-digit id", i, e, messages[i])
		}
	}
}

func putEvents(ts int64, msgs ...string) world.Request {
	var evs []map[string]any
	for _, m := range msgs {
		evs = append(evs, map[string]any{"timestamp": ts, "message": m})
	}
	b, _ := json.Marshal(map[string]any{"logGroupName": "app", "logStreamName": "s1", "logEvents": evs})
	return world.Request{Service: "logs", Operation: "PutLogEvents", Input: b}
}

// TestSubscriptionToLambda is the acceptance path: a subscription filter to
// a Lambda function; the function's invocation shows the decoded payload,
// in its record and in its log lines.
func TestSubscriptionToLambda(t *testing.T) {
	w := newWorld(t)
	ts := w.Now().UnixMilli()
	invokeAll(t, w, []world.Request{
		{Service: "lambda", Operation: "CreateFunction", Input: []byte(`{"FunctionName":"shipper","Runtime":"nodejs20.x","Handler":"index.handler","Role":"arn:aws:iam::123456789012:role/r","Code":{"S3Bucket":"code-bucket","S3Key":"k.zip"}}`)},
		{Service: "logs", Operation: "CreateLogGroup", Input: []byte(`{"logGroupName":"app"}`)},
		{Service: "logs", Operation: "CreateLogStream", Input: []byte(`{"logGroupName":"app","logStreamName":"s1"}`)},
		putEvents(ts, "ERROR before the filter"),
		{Service: "logs", Operation: "PutSubscriptionFilter", Input: []byte(`{"logGroupName":"app","filterName":"errors","filterPattern":"ERROR","destinationArn":"arn:aws:lambda:us-east-1:123456789012:function:shipper"}`)},
		putEvents(ts, "ERROR one", "INFO fine", "ERROR two"),
		putEvents(ts, "INFO nothing to ship"),
	})
	invs, err := w.Lambda().Invocations("shipper")
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != 2 {
		t.Fatalf("invocations = %d, want the control message and one data message", len(invs))
	}
	if !strings.Contains(invs[0].Decoded, `"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[]`) {
		t.Errorf("control = %s", invs[0].Decoded)
	}
	inv := invs[1]
	var ev struct{ AWSLogs struct{ Data string } }
	if err := json.Unmarshal([]byte(inv.Payload), &ev); err != nil || !strings.HasPrefix(inv.Payload, `{"awslogs":{"data":"`) {
		t.Fatalf("payload = %s (%v)", inv.Payload, err)
	}
	z, err := base64.StdEncoding.DecodeString(ev.AWSLogs.Data)
	if err != nil {
		t.Fatal(err)
	}
	if got := gunzip(t, z); got != inv.Decoded {
		t.Fatalf("Decoded = %s, payload decodes to %s", inv.Decoded, got)
	}
	checkDataMessage(t, inv.Decoded, "errors", "ERROR one", "ERROR two")
	// The function's log lines show the decoded payload.
	out, err := w.Invoke(world.Request{Service: "logs", Operation: "FilterLogEvents", Input: []byte(`{"logGroupName":"/aws/lambda/shipper","filterPattern":"DATA_MESSAGE"}`)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	if !strings.Contains(string(b), `ERROR two`) || !strings.Contains(string(b), `\tINFO\t{\"messageType\":\"DATA_MESSAGE\"`) {
		t.Fatalf("function logs = %s", b)
	}
}

// TestSubscriptionToKinesis: get-records returns the base64 gzip payload
// that decodes to AWS's JSON, after the CONTROL_MESSAGE.
func TestSubscriptionToKinesis(t *testing.T) {
	w := newWorld(t)
	ts := w.Now().UnixMilli()
	invokeAll(t, w, []world.Request{
		{Service: "kinesis", Operation: "CreateStream", Input: []byte(`{"StreamName":"logs","ShardCount":1}`)},
		{Service: "logs", Operation: "CreateLogGroup", Input: []byte(`{"logGroupName":"app"}`)},
		{Service: "logs", Operation: "CreateLogStream", Input: []byte(`{"logGroupName":"app","logStreamName":"s1"}`)},
		{Service: "logs", Operation: "PutSubscriptionFilter", Input: []byte(`{"logGroupName":"app","filterName":"all","filterPattern":"","destinationArn":"arn:aws:kinesis:us-east-1:123456789012:stream/logs","roleArn":"arn:aws:iam::123456789012:role/CWLtoKinesis"}`)},
		putEvents(ts, "hello", "world"),
	})
	it, err := w.Invoke(world.Request{Service: "kinesis", Operation: "GetShardIterator", Input: []byte(`{"StreamName":"logs","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON"}`)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(it)
	var iter struct{ ShardIterator string }
	json.Unmarshal(b, &iter)
	out, err := w.Invoke(world.Request{Service: "kinesis", Operation: "GetRecords", Input: []byte(`{"ShardIterator":"` + iter.ShardIterator + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(out)
	var recs struct{ Records []struct{ Data string } }
	if err := json.Unmarshal(b, &recs); err != nil || len(recs.Records) != 2 {
		t.Fatalf("records = %s (%v)", b, err)
	}
	data := func(i int) string {
		z, err := base64.StdEncoding.DecodeString(recs.Records[i].Data)
		if err != nil {
			t.Fatal(err)
		}
		return gunzip(t, z)
	}
	if got := data(0); !regexp.MustCompile(`^\{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":\[\],"logEvents":\[\{"id":"","timestamp":\d+,"message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."\}\]\}$`).MatchString(got) {
		t.Errorf("control message = %s", got)
	}
	checkDataMessage(t, data(1), "all", "hello", "world")
}

// TestSubscriptionToFirehose: records reach the S3 bucket when the buffer
// interval passes; they are readable from Firehose too.
func TestSubscriptionToFirehose(t *testing.T) {
	w := newWorld(t)
	ts := w.Now().UnixMilli()
	invokeAll(t, w, []world.Request{
		{Service: "s3api", Operation: "CreateBucket", Input: []byte(`{"Bucket":"archive"}`)},
		{Service: "firehose", Operation: "CreateDeliveryStream", Input: []byte(`{"DeliveryStreamName":"fh","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/fh","BucketARN":"arn:aws:s3:::archive","BufferingHints":{"IntervalInSeconds":60}}}`)},
		{Service: "logs", Operation: "CreateLogGroup", Input: []byte(`{"logGroupName":"app"}`)},
		{Service: "logs", Operation: "CreateLogStream", Input: []byte(`{"logGroupName":"app","logStreamName":"s1"}`)},
		{Service: "logs", Operation: "PutSubscriptionFilter", Input: []byte(`{"logGroupName":"app","filterName":"all","filterPattern":"","destinationArn":"arn:aws:firehose:us-east-1:123456789012:deliverystream/fh","roleArn":"arn:aws:iam::123456789012:role/CWLtoFirehose"}`)},
		putEvents(ts, "hello"),
	})
	recs, err := w.Firehose().Records("fh")
	if err != nil || len(recs) != 2 || recs[0].Object != "" {
		t.Fatalf("records = %+v, %v", recs, err)
	}
	if got := gunzip(t, recs[0].Data); !strings.Contains(got, "Checking health of destination Firehose.") {
		t.Errorf("control = %s", got)
	}
	checkDataMessage(t, gunzip(t, recs[1].Data), "all", "hello")
	if _, err := w.Advance(2 * time.Minute); err != nil {
		t.Fatal(err)
	}
	recs, _ = w.Firehose().Records("fh")
	if recs[0].Object == "" || recs[1].Object != recs[0].Object || !strings.HasPrefix(recs[0].Object, "s3://archive/"+w.Now().Format("2006/01/02/")) {
		t.Fatalf("records after the interval = %+v", recs)
	}
}

// TestEventBridgeToLogGroup: a rule's log group target writes the event as
// one log event in a stream named by the event's id; a missing group is
// NO_RESOURCE.
func TestEventBridgeToLogGroup(t *testing.T) {
	w := newWorld(t)
	invokeAll(t, w, []world.Request{
		{Service: "logs", Operation: "CreateLogGroup", Input: []byte(`{"logGroupName":"/aws/events/orders"}`)},
		{Service: "events", Operation: "PutRule", Input: []byte(`{"Name":"r","EventPattern":"{\"source\":[\"shop\"]}"}`)},
		{Service: "sqs", Operation: "CreateQueue", Input: []byte(`{"QueueName":"dlq"}`)},
		{Service: "events", Operation: "PutTargets", Input: []byte(`{"Rule":"r","Targets":[{"Id":"1","Arn":"arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/orders"},` +
			`{"Id":"2","Arn":"arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/missing","DeadLetterConfig":{"Arn":"arn:aws:sqs:us-east-1:123456789012:dlq"}}]}`)},
	})
	out, err := w.Invoke(world.Request{Service: "events", Operation: "PutEvents", Input: []byte(`{"Entries":[{"Source":"shop","DetailType":"order","Detail":"{\"n\":1}"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	var pe struct{ Entries []struct{ EventId string } }
	json.Unmarshal(b, &pe)
	if len(pe.Entries) != 1 || pe.Entries[0].EventId == "" {
		t.Fatalf("put-events = %s", b)
	}
	w.Advance(time.Second)
	got, err := w.Invoke(world.Request{Service: "logs", Operation: "FilterLogEvents", Input: []byte(`{"logGroupName":"/aws/events/orders"}`)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(got)
	var fe struct {
		Events []struct{ LogStreamName, Message string }
	}
	json.Unmarshal(b, &fe)
	if len(fe.Events) != 1 || fe.Events[0].LogStreamName != pe.Entries[0].EventId || !strings.Contains(fe.Events[0].Message, `"detail":{"n":1}`) {
		t.Fatalf("events = %s", b)
	}
	// The target whose group does not exist fails with NO_RESOURCE: the
	// event goes to its dead-letter queue.
	msgs, err := w.SQS().Messages("dlq")
	if err != nil || len(msgs) != 1 || msgs[0].Attributes["ERROR_CODE"] != "NO_RESOURCE" {
		t.Fatalf("dead letters = %+v, %v", msgs, err)
	}
}
