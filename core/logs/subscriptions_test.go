package logs

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/awserr"
)

// sink is a fake Destinations: the ARNs in exists exist; deliveries are
// recorded decoded.
type sink struct {
	exists map[string]bool
	got    []string // kind arn key: JSON
	fail   bool
	onLog  func()
}

func (k *sink) LogDestinationExists(kind, arn string) bool { return k.exists[arn] }

func (k *sink) DeliverLogs(kind, arn string, data []byte, key string) error {
	if k.fail {
		return errors.New("boom")
	}
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	k.got = append(k.got, kind+" "+arn+" "+string(b))
	if k.onLog != nil {
		k.onLog()
	}
	return nil
}

const (
	fnARN = "arn:aws:lambda:us-east-1:123456789012:function:fn"
	ksARN = "arn:aws:kinesis:us-east-1:123456789012:stream/ks"
	fhARN = "arn:aws:firehose:us-east-1:123456789012:deliverystream/fh"
	role  = "arn:aws:iam::123456789012:role/r"
)

func subHarness(t *testing.T) (*harness, *sink) {
	h := newHarness(t)
	k := &sink{exists: map[string]bool{fnARN: true, ksARN: true, fhARN: true}}
	h.s.d.Destinations = k
	var notes []string
	h.s.d.Notify = func(_ time.Time, f string, a ...any) { notes = append(notes, f) }
	h.group(t, "g")
	return h, k
}

func TestPutSubscriptionFilterValidation(t *testing.T) {
	tests := []struct {
		name    string
		in      PutSubscriptionFilterInput
		wantErr string
	}{
		{"lambda", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: fnARN}, ""},
		{"kinesis", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: ksARN, RoleArn: role, Distribution: "Random"}, ""},
		{"kinesis without role", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: ksARN},
			"InvalidParameterException: destinationArn for vendor kinesis cannot be used without roleArn"},
		{"firehose without role", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: fhARN},
			"InvalidParameterException: destinationArn for vendor firehose cannot be used without roleArn"},
		{"missing function", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: fnARN + "x"},
			"InvalidParameterException: Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function."},
		{"missing stream", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: ksARN + "x", RoleArn: role},
			"InvalidParameterException: Could not deliver test message to specified Kinesis stream. Check if the given kinesis stream is in ACTIVE state."},
		{"other account", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: "arn:aws:lambda:us-east-1:999999999999:function:fn"},
			"InvalidParameterException: Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function."},
		{"vendor", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: "arn:aws:sqs:us-east-1:123456789012:q", RoleArn: role},
			"InvalidParameterException: PutSubscriptionFilter operation cannot work with destinationArn for vendor sqs"},
		{"not an arn", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", DestinationArn: "fn"},
			"InvalidParameterException: Invalid destinationArn: fn"},
		{"bad pattern", PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f", FilterPattern: "{ $.a = ", DestinationArn: fnARN}, "InvalidParameterException"},
		{"no group", PutSubscriptionFilterInput{LogGroupName: "nope", FilterName: "f", DestinationArn: fnARN},
			"ResourceNotFoundException: The specified log group does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := subHarness(t)
			_, err := h.s.PutSubscriptionFilter(h.call(), &tt.in)
			if got := code(err); !strings.HasPrefix(got, tt.wantErr) || (tt.wantErr == "") != (got == "") {
				t.Fatalf("error %q, want %q", got, tt.wantErr)
			}
		})
	}
}

func TestSubscriptionFilterLimitAndUpdate(t *testing.T) {
	h, k := subHarness(t)
	put := func(name, dest string) error {
		_, err := h.s.PutSubscriptionFilter(h.call(), &PutSubscriptionFilterInput{LogGroupName: "g", FilterName: name, DestinationArn: dest, RoleArn: role})
		return err
	}
	if err := put("a", fnARN); err != nil {
		t.Fatal(err)
	}
	if err := put("b", ksARN); err != nil {
		t.Fatal(err)
	}
	if got := code(put("c", fhARN)); got != "LimitExceededException: Resource limit exceeded." {
		t.Fatalf("third filter: %q", got)
	}
	// Updating an existing filter at the limit works; the same destination
	// sends no new control message, a new one does.
	n := len(k.got)
	if err := put("a", fnARN); err != nil || len(k.got) != n {
		t.Fatalf("update: %v, deliveries %d -> %d", err, n, len(k.got))
	}
	if err := put("a", fhARN); err != nil || len(k.got) != n+1 || !strings.Contains(k.got[n], "Checking health of destination Firehose.") {
		t.Fatalf("new destination: %v, %q", err, k.got[n:])
	}
	out, err := h.s.DescribeSubscriptionFilters(h.call(), &DescribeSubscriptionFiltersInput{LogGroupName: "g"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	want := `{"subscriptionFilters":[` +
		`{"filterName":"a","logGroupName":"g","filterPattern":"","destinationArn":"` + fhARN + `","roleArn":"` + role + `","distribution":"ByLogStream","applyOnTransformedLogs":false,"creationTime":1767323045000},` +
		`{"filterName":"b","logGroupName":"g","filterPattern":"","destinationArn":"` + ksARN + `","roleArn":"` + role + `","distribution":"ByLogStream","applyOnTransformedLogs":false,"creationTime":1767323045000}]}`
	if string(b) != want {
		t.Errorf("describe = %s\nwant       %s", b, want)
	}
	if _, err := h.s.DeleteSubscriptionFilter(h.call(), &DeleteSubscriptionFilterInput{"g", "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.DeleteSubscriptionFilter(h.call(), &DeleteSubscriptionFilterInput{"g", "a"}); code(err) != "ResourceNotFoundException: The specified subscription filter does not exist." {
		t.Fatalf("second delete: %v", err)
	}
	if err := put("c", fhARN); err != nil {
		t.Fatalf("after a delete: %v", err)
	}
	// Deleting the group deletes its filters.
	if _, err := h.s.DeleteLogGroup(h.call(), &LogGroupNameInput{"g"}); err != nil {
		t.Fatal(err)
	}
	h.group(t, "g")
	out, _ = h.s.DescribeSubscriptionFilters(h.call(), &DescribeSubscriptionFiltersInput{LogGroupName: "g"})
	if len(out.SubscriptionFilters) != 0 {
		t.Fatalf("filters of a recreated group: %+v", out)
	}
}

func TestSubscriptionDelivery(t *testing.T) {
	h, k := subHarness(t)
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: []InputLogEvent{{at(0), "ERROR before"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.PutSubscriptionFilter(h.call(), &PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "errs", FilterPattern: "ERROR", DestinationArn: ksARN, RoleArn: role}); err != nil {
		t.Fatal(err)
	}
	want := `kinesis ` + ksARN + ` {"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1767323045000,"message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}`
	if len(k.got) != 1 || k.got[0] != want {
		t.Fatalf("control = %q", k.got)
	}
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: []InputLogEvent{{at(0), "ERROR <a&b>"}, {at(0), "INFO"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: []InputLogEvent{{at(0), "INFO only"}}}); err != nil {
		t.Fatal(err)
	}
	// The event id is the one FilterLogEvents gives the event.
	f, err := h.s.FilterLogEvents(h.call(), &FilterLogEventsInput{LogGroupName: "g", FilterPattern: `"<a&b>"`})
	if err != nil || len(f.Events) != 1 {
		t.Fatalf("filter: %+v %v", f, err)
	}
	want = `kinesis ` + ksARN + ` {"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"g","logStream":"s","subscriptionFilters":["errs"],"logEvents":[{"id":"` + f.Events[0].EventID + `","timestamp":1767323045000,"message":"ERROR <a&b>"}]}`
	if len(k.got) != 2 || k.got[1] != want {
		t.Fatalf("deliveries = %q\nwant %q", k.got, want)
	}
	if len(f.Events[0].EventID) != 56 {
		t.Errorf("event id %q is not 56 digits", f.Events[0].EventID)
	}
	// Append (log sources inside the world) delivers too.
	if err := h.s.Append("g", "lambda", start, []string{"ERROR from a source"}); err != nil || len(k.got) != 3 || !strings.Contains(k.got[2], `"logStream":"lambda"`) {
		t.Fatalf("append: %v %q", err, k.got)
	}
	// A failed delivery does not fail the put.
	k.fail = true
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: []InputLogEvent{{at(0), "ERROR lost"}}}); err != nil {
		t.Fatal(err)
	}
}

// TestSubscriptionLoopBounded: a destination that writes back into the
// subscribed group (a function subscribed to its own log group) stops after
// MaxDeliveryChain generations.
func TestSubscriptionLoopBounded(t *testing.T) {
	h, k := subHarness(t)
	k.onLog = func() { h.s.Enqueue("g", "fn", start, []string{"a log line of the function"}) }
	if _, err := h.s.PutSubscriptionFilter(h.call(), &PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "all", DestinationArn: fnARN}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: []InputLogEvent{{at(0), "x"}}}); err != nil {
		t.Fatal(err)
	}
	if err := h.s.Flush(); err != nil {
		t.Fatal(err)
	}
	// The control message and the put, then MaxDeliveryChain generations
	// of the function's lines for each of them.
	if want := 2 + 2*MaxDeliveryChain; len(k.got) != want {
		t.Fatalf("deliveries = %d, want %d", len(k.got), want)
	}
}

func TestEncodeMessageDeterministic(t *testing.T) {
	m := Message{MessageType: "DATA_MESSAGE", Owner: "1", LogGroup: "g", LogStream: "s", SubscriptionFilters: []string{"f"},
		LogEvents: []MessageEvent{{ID: "1", Timestamp: 2, Message: "m"}}}
	a, err := EncodeMessage(m)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := EncodeMessage(m)
	if !bytes.Equal(a, b) {
		t.Fatal("two encodings differ")
	}
}

// FuzzSubscriptionDestination: any destination ARN, role and pattern is
// accepted or refused with an AWS error, never a panic.
func FuzzSubscriptionDestination(f *testing.F) {
	f.Add(fnARN, "", "ERROR")
	f.Add(ksARN, role, "")
	f.Add("arn:aws:logs:us-east-1:123456789012:destination:d", "", "")
	f.Add("arn:::::", "r", "{ $.a = 1 }")
	f.Fuzz(func(t *testing.T, arn, roleArn, pattern string) {
		h, _ := subHarness(t)
		_, err := h.s.PutSubscriptionFilter(h.call(), &PutSubscriptionFilterInput{LogGroupName: "g", FilterName: "f",
			FilterPattern: pattern, DestinationArn: arn, RoleArn: roleArn})
		if err != nil && awserr.As(err) == nil {
			t.Fatalf("not an AWS error: %v", err)
		}
	})
}
