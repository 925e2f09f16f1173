package world

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/metrics"
)

// alarmConformance is a copy of
// ../shared/conformance/cloudwatch_localstack_metrics_alarms.jsonl; its alarm
// cases run here, through the world (alarms, metrics, SNS and SQS together).
const alarmConformance = "../alarms/testdata/conformance/cloudwatch_localstack_metrics_alarms.jsonl"

// extraKeys are keys we send that older recordings lack: AWS added
// ActionExecutedAfterMuteWindow to notifications (recorded 2026-02-26).
var extraKeys = map[string]bool{"ActionExecutedAfterMuteWindow": true}

var placeholder = regexp.MustCompile(`<[^<>]*>`)

// loose compares a recorded value with ours: "date" and "timestamp" match any
// non-empty string, <placeholders> any text, (MM/DD/YY HH:MM:SS) a datapoint
// time; a recorded object matches a JSON string holding that object.
func loose(path string, want, got any) error {
	switch w := want.(type) {
	case map[string]any:
		if s, ok := got.(string); ok {
			var v any
			if json.Unmarshal([]byte(s), &v) == nil {
				got = v
			}
		}
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: got %v, want an object", path, got)
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return fmt.Errorf("%s.%s: missing (want %v)", path, k, wv)
			}
			if err := loose(path+"."+k, wv, gv); err != nil {
				return err
			}
		}
		for k := range g {
			if _, ok := w[k]; !ok && !extraKeys[k] {
				return fmt.Errorf("%s.%s: not in the recording (%v)", path, k, g[k])
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Errorf("%s: got %v, want %v", path, got, want)
		}
		for i := range w {
			if err := loose(fmt.Sprintf("%s[%d]", path, i), w[i], g[i]); err != nil {
				return err
			}
		}
	case string:
		g, ok := got.(string)
		if !ok {
			return fmt.Errorf("%s: got %v, want %q", path, got, w)
		}
		if w == "date" || w == "timestamp" {
			if g == "" {
				return fmt.Errorf("%s: empty", path)
			}
			return nil
		}
		parts := placeholder.Split(w, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
			parts[i] = strings.ReplaceAll(parts[i], `\(MM/DD/YY HH:MM:SS\)`, `\(\d\d/\d\d/\d\d \d\d:\d\d:\d\d\)`)
		}
		re := "^" + strings.Join(parts, ".+") + "$"
		if !regexp.MustCompile(re).MatchString(g) {
			return fmt.Errorf("%s: got %q, want %q", path, g, w)
		}
	case float64:
		if g, ok := got.(float64); !ok || g != w {
			return fmt.Errorf("%s: got %v, want %v", path, got, w)
		}
	case bool:
		if g, ok := got.(bool); !ok || g != w {
			return fmt.Errorf("%s: got %v, want %v", path, got, w)
		}
	case nil:
		if got != nil {
			return fmt.Errorf("%s: got %v, want null", path, got)
		}
	}
	return nil
}

type alarmHarness struct {
	t *testing.T
	w *World
}

func (h *alarmHarness) call(svc, op string, in any) any {
	h.t.Helper()
	b, _ := json.Marshal(in)
	out, err := h.w.Invoke(Request{Service: svc, Operation: op, Input: b})
	if err != nil {
		h.t.Fatalf("%s %s: %v", svc, op, err)
	}
	ob, _ := json.Marshal(out)
	var v any
	json.Unmarshal(ob, &v)
	return v
}

// topic creates an SNS topic with a raw SQS subscription and returns its ARN
// and a function receiving the alarm messages delivered so far.
func (h *alarmHarness) topic(name string) (string, func() []any) {
	arn := h.call("sns", "CreateTopic", map[string]any{"Name": name}).(map[string]any)["TopicArn"].(string)
	q := h.call("sqs", "CreateQueue", map[string]any{"QueueName": name + "-q"}).(map[string]any)["QueueUrl"].(string)
	h.call("sns", "Subscribe", map[string]any{"TopicArn": arn, "Protocol": "sqs",
		"Endpoint": "arn:aws:sqs:us-east-1:111111111111:" + name + "-q", "Attributes": map[string]string{"RawMessageDelivery": "true"}})
	return arn, func() []any {
		out := h.call("sqs", "ReceiveMessage", map[string]any{"QueueUrl": q, "MaxNumberOfMessages": 10}).(map[string]any)
		var msgs []any
		list, _ := out["Messages"].([]any)
		for _, m := range list {
			var v any
			json.Unmarshal([]byte(m.(map[string]any)["Body"].(string)), &v)
			msgs = append(msgs, v)
		}
		return msgs
	}
}

func (h *alarmHarness) describe(names ...string) map[string]any {
	return h.call("cloudwatch", "DescribeAlarms", map[string]any{"AlarmNames": names,
		"AlarmTypes": []string{"MetricAlarm", "CompositeAlarm"}}).(map[string]any)
}

func (h *alarmHarness) advance(d time.Duration) {
	if _, err := h.w.Advance(d); err != nil {
		h.t.Fatal(err)
	}
}

func (h *alarmHarness) check(id, what string, want, got any) {
	h.t.Helper()
	if err := loose(what, want, got); err != nil {
		h.t.Errorf("%s: %v", id, err)
	}
}

// TestAlarmConformance runs the alarm cases of the LocalStack corpus
// (recorded against AWS) through the world.
func TestAlarmConformance(t *testing.T) {
	f, err := os.Open(alarmConformance)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	ran := 0
	for sc.Scan() {
		var c struct {
			ID       string                     `json:"id"`
			Kind     string                     `json:"kind"`
			Inputs   map[string]json.RawMessage `json:"inputs"`
			Recorded map[string]any             `json:"aws_recorded"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c.Kind, "Alarm") {
			continue
		}
		ran++
		w, err := New(Config{Seed: 1, Account: "111111111111", Start: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		h := &alarmHarness{t: t, w: w}
		alarmTopic, received := h.topic("alarm")
		okTopic, _ := h.topic("ok")
		var put map[string]any
		if raw, ok := c.Inputs["put_metric_alarm"]; ok {
			json.Unmarshal(raw, &put)
			put["AlarmName"] = "alarm-1"
			if put["Namespace"] == nil {
				put["Namespace"] = "conformance"
			}
			put["AlarmDescription"] = map[string]string{
				"localstack-cw-set_alarm":                         "Test Alarm when CPU exceeds 50 percent",
				"localstack-cw-sqs_alarm_number_of_messages_sent": "test messages sent",
			}[c.ID]
			if put["AlarmDescription"] == "" {
				put["AlarmDescription"] = "testing cloudwatch alarms"
			}
			put["AlarmActions"] = []string{alarmTopic}
			if c.ID != "localstack-cw-sqs_alarm_number_of_messages_sent" {
				put["OKActions"] = []string{alarmTopic}
			}
			if c.ID == "localstack-cw-set_alarm" {
				put["OKActions"] = []string{okTopic}
			}
		}
		switch c.ID {
		case "localstack-cw-put_metric_alarm":
			h.call("cloudwatch", "PutMetricAlarm", put)
			h.check(c.ID, "describe-alarm", c.Recorded["describe-alarm"], h.describe("alarm-1"))
			var data []map[string]any
			json.Unmarshal(c.Inputs["then_put_metric_data"], &data)
			for _, d := range data {
				delete(d, "Timestamp")
			}
			h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": put["Namespace"], "MetricData": data})
			h.advance(10 * time.Second)
			msgs := received()
			if len(msgs) != 1 {
				t.Fatalf("%s: %d notifications", c.ID, len(msgs))
			}
			h.check(c.ID, "alarm-triggered-sqs-msg", c.Recorded["alarm-triggered-sqs-msg"], msgs[0])
			hist := h.call("cloudwatch", "DescribeAlarmHistory", map[string]any{"AlarmName": "alarm-1", "HistoryItemType": "StateUpdate"})
			h.check(c.ID, "describe-alarm-history", c.Recorded["describe-alarm-history"], hist)
			forMetric := h.call("cloudwatch", "DescribeAlarmsForMetric", map[string]any{"MetricName": put["MetricName"],
				"Namespace": put["Namespace"], "Dimensions": put["Dimensions"]})
			h.check(c.ID, "describe-alarms-for-metric", c.Recorded["describe-alarms-for-metric"], forMetric)
		case "localstack-cw-breaching_alarm_actions":
			h.call("cloudwatch", "PutMetricAlarm", put)
			h.advance(30 * time.Second)
			msgs := received()
			if len(msgs) != 1 {
				t.Fatalf("%s: %d notifications", c.ID, len(msgs))
			}
			h.check(c.ID, "alarm-1-sqs-msg", c.Recorded["alarm-1-sqs-msg"], msgs[0])
			h.check(c.ID, "alarm-1-describe", c.Recorded["alarm-1-describe"], h.describe("alarm-1"))
		case "localstack-cw-set_alarm":
			h.call("cloudwatch", "PutMetricAlarm", put)
			h.call("cloudwatch", "SetAlarmState", map[string]any{"AlarmName": "alarm-1", "StateValue": "ALARM", "StateReason": "testing alarm"})
			h.check(c.ID, "triggered-alarm", c.Recorded["triggered-alarm"], h.describe("alarm-1"))
			h.call("cloudwatch", "SetAlarmState", map[string]any{"AlarmName": "alarm-1", "StateValue": "OK", "StateReason": "resetting alarm"})
			h.check(c.ID, "reset-alarm", c.Recorded["reset-alarm"], h.describe("alarm-1"))
		case "localstack-cw-sqs_alarm_number_of_messages_sent":
			// The simulated SQS publishes no AWS/SQS metrics yet: the datum
			// it would publish for one message sent is put directly.
			dims := []metrics.Dimension{{Name: "QueueName", Value: "q"}}
			put["Dimensions"] = dims
			h.call("cloudwatch", "PutMetricAlarm", put)
			one := 1.0
			if err := w.metrics.Publish("AWS/SQS", []metrics.MetricDatum{{MetricName: "NumberOfMessagesSent",
				Dimensions: dims, Value: &one, Unit: "Count"}}); err != nil {
				t.Fatal(err)
			}
			h.advance(time.Minute)
			msgs := received()
			if len(msgs) != 1 {
				t.Fatalf("%s: %d notifications", c.ID, len(msgs))
			}
			h.check(c.ID, "NumberOfMessagesSent-sqs-msg", c.Recorded["NumberOfMessagesSent-sqs-msg"], msgs[0])
			h.check(c.ID, "NumberOfMessagesSent-describe", c.Recorded["NumberOfMessagesSent-describe"], h.describe("alarm-1"))
		case "localstack-cw-trigger_composite_alarm":
			var in struct {
				Children []map[string]any `json:"children"`
				Steps    []struct {
					Set      json.RawMessage `json:"set_alarm_state"`
					Snapshot string          `json:"snapshot"`
				} `json:"steps"`
			}
			raw, _ := json.Marshal(c.Inputs)
			json.Unmarshal(raw, &in)
			for _, ch := range in.Children {
				ch["AlarmName"] = ch["name"]
				delete(ch, "name")
				h.call("cloudwatch", "PutMetricAlarm", ch)
			}
			arn := "arn:aws:cloudwatch:us-east-1:111111111111:alarm:"
			h.call("cloudwatch", "PutCompositeAlarm", map[string]any{"AlarmName": "composite",
				"AlarmRule":        fmt.Sprintf("ALARM(%q) OR ALARM(%q)", arn+"simple-alarm-1", arn+"simple-alarm-2"),
				"AlarmDescription": "composite alarm description", "AlarmActions": []string{alarmTopic}, "OKActions": []string{okTopic}})
			for _, st := range in.Steps {
				var sets [][]string
				var one []string
				if json.Unmarshal(st.Set, &one) == nil {
					sets = [][]string{one}
				} else {
					json.Unmarshal(st.Set, &sets)
				}
				for _, s := range sets {
					h.call("cloudwatch", "SetAlarmState", map[string]any{"AlarmName": s[0], "StateValue": s[1], "StateReason": "test"})
				}
				got := h.describe("composite")["CompositeAlarms"].([]any)
				if len(got) != 1 {
					t.Fatalf("%s: %d composite alarms", c.ID, len(got))
				}
				h.check(c.ID, st.Snapshot, c.Recorded[st.Snapshot], got[0])
			}
		default:
			t.Errorf("%s: alarm case not run", c.ID)
		}
		w.Close()
	}
	t.Logf("conformance: %d alarm cases run", ran)
}

// TestAlarmEmailInbox is the acceptance script: Average > 80 over 60 s, 3 of
// 3; 90 at three consecutive minutes; the alarm goes to ALARM with AWS's
// reason, and the SNS action lands AWS's notification JSON in the inbox of
// an email subscription, with a state change event on the default bus.
func TestAlarmEmailInbox(t *testing.T) {
	w, err := New(Config{Seed: 7, Start: time.Date(2026, 3, 1, 10, 0, 30, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	h := &alarmHarness{t: t, w: w}
	arn := h.call("sns", "CreateTopic", map[string]any{"Name": "ops"}).(map[string]any)["TopicArn"].(string)
	h.call("sns", "Subscribe", map[string]any{"TopicArn": arn, "Protocol": "email", "Endpoint": "me@example.com"})
	inbox, err := w.SNS().Inbox()
	if err != nil || len(inbox) != 1 {
		t.Fatalf("inbox %v %v", inbox, err)
	}
	h.call("sns", "ConfirmSubscription", map[string]any{"TopicArn": arn, "Token": inbox[0].Token})
	h.call("events", "PutRule", map[string]any{"Name": "alarms", "EventPattern": `{"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm State Change"]}`})
	h.call("sqs", "CreateQueue", map[string]any{"QueueName": "events"})
	h.call("events", "PutTargets", map[string]any{"Rule": "alarms", "Targets": []map[string]string{{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:events"}}})
	h.call("cloudwatch", "PutMetricAlarm", map[string]any{"AlarmName": "cpu-high", "Namespace": "Shop", "MetricName": "CPU",
		"Statistic": "Average", "Period": 60, "EvaluationPeriods": 3, "Threshold": 80,
		"ComparisonOperator": "GreaterThanThreshold", "AlarmActions": []string{arn}})
	for i := 0; i < 3; i++ {
		h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": []map[string]any{{"MetricName": "CPU", "Value": 90}}})
		notices, err := w.Advance(time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 && (len(notices) == 0 || !strings.Contains(notices[0].Text, "INSUFFICIENT_DATA -> ALARM")) {
			t.Fatalf("notices %v", notices)
		}
	}
	reason := "Threshold Crossed: 3 datapoints [90.0 (01/03/26 10:02:00), 90.0 (01/03/26 10:01:00), 90.0 (01/03/26 10:00:00)] were greater than the threshold (80.0)."
	d := h.describe("cpu-high")["MetricAlarms"].([]any)[0].(map[string]any)
	if d["StateValue"] != "ALARM" || d["StateReason"] != reason {
		t.Fatalf("describe: %v %v", d["StateValue"], d["StateReason"])
	}
	inbox, _ = w.SNS().Inbox()
	last := inbox[len(inbox)-1]
	if last.Kind != "Notification" || last.Subject != `ALARM: "cpu-high" in US East (N. Virginia)` {
		t.Fatalf("mail %+v", last)
	}
	// the email is the message, then SNS's unsubscribe footer
	body, _, _ := strings.Cut(last.Body, "\n\n--\n")
	var msg map[string]any
	if err := json.Unmarshal([]byte(body), &msg); err != nil {
		t.Fatalf("body is not the alarm JSON: %v\n%s", err, last.Body)
	}
	if msg["NewStateValue"] != "ALARM" || msg["OldStateValue"] != "INSUFFICIENT_DATA" || msg["NewStateReason"] != reason ||
		msg["StateChangeTime"] != "2026-03-01T10:03:00.000+0000" {
		t.Fatalf("message %v", msg)
	}
	out := h.call("sqs", "ReceiveMessage", map[string]any{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/events"}).(map[string]any)
	msgs, _ := out["Messages"].([]any)
	if len(msgs) != 1 {
		t.Fatalf("events %v", out)
	}
	var ev map[string]any
	json.Unmarshal([]byte(msgs[0].(map[string]any)["Body"].(string)), &ev)
	detail := ev["detail"].(map[string]any)
	if ev["detail-type"] != "CloudWatch Alarm State Change" || detail["state"].(map[string]any)["value"] != "ALARM" ||
		detail["previousState"].(map[string]any)["value"] != "INSUFFICIENT_DATA" {
		t.Fatalf("event %v", ev)
	}
}

// TestAlarmsRestored checks that a restored world re-creates the evaluation
// jobs: the alarm still turns ALARM after the snapshot.
func TestAlarmsRestored(t *testing.T) {
	w, err := New(Config{Seed: 3, Start: time.Date(2026, 3, 1, 10, 0, 30, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	h := &alarmHarness{t: t, w: w}
	h.call("cloudwatch", "PutMetricAlarm", map[string]any{"AlarmName": "silent", "Namespace": "Shop", "MetricName": "Beat",
		"Statistic": "Sum", "Period": 60, "EvaluationPeriods": 2, "Threshold": 1,
		"ComparisonOperator": "LessThanThreshold", "TreatMissingData": "breaching"})
	snap, err := w.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	r, err := Restore(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h = &alarmHarness{t: t, w: r}
	h.advance(3 * time.Minute)
	d := h.describe("silent")["MetricAlarms"].([]any)[0].(map[string]any)
	if d["StateValue"] != "ALARM" {
		t.Fatalf("restored alarm: %v", d["StateValue"])
	}
}
