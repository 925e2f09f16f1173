package world_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

// TestEC2Wiring launches an instance through world.Invoke: its state changes
// reach an SQS queue through a default-bus rule, its metrics reach
// CloudWatch, and an Auto Scaling group launches instances through EC2, in a
// restored world too.
func TestEC2Wiring(t *testing.T) {
	w := newWorld(t)
	calls := []world.Request{
		{Service: "sqs", Operation: "CreateQueue", Input: []byte(`{"QueueName":"q"}`)},
		{Service: "events", Operation: "PutRule", Input: []byte(`{"Name":"ec2","EventPattern":"{\"source\":[\"aws.ec2\"],\"detail-type\":[\"EC2 Instance State-change Notification\"]}"}`)},
		{Service: "events", Operation: "PutTargets", Input: []byte(`{"Rule":"ec2","Targets":[{"Id":"q","Arn":"arn:aws:sqs:us-east-1:123456789012:q"}]}`)},
		{Service: "ec2", Operation: "RunInstances", Input: []byte(`{"ImageId":"ami-0abcdef1234567890","MinCount":1,"MaxCount":1,"InstanceType":"t3.micro","Monitoring":{"Enabled":true}}`)},
		{Service: "autoscaling", Operation: "CreateLaunchConfiguration", Input: []byte(`{"LaunchConfigurationName":"lc","ImageId":"ami-0abcdef1234567890","InstanceType":"t3.micro"}`)},
		{Service: "autoscaling", Operation: "CreateAutoScalingGroup", Input: []byte(`{"AutoScalingGroupName":"g","LaunchConfigurationName":"lc","MinSize":1,"MaxSize":2,"AvailabilityZones":["us-east-1a"]}`)},
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
	var outs []string
	for _, w := range []*world.World{w, r} {
		if _, err := w.Advance(10 * time.Minute); err != nil {
			t.Fatal(err)
		}
		msgs, err := w.SQS().Messages("q")
		if err != nil {
			t.Fatal(err)
		}
		var states []string
		for _, m := range msgs {
			var ev struct {
				Detail struct{ State string } `json:"detail"`
			}
			json.Unmarshal([]byte(m.Body), &ev)
			states = append(states, ev.Detail.State)
		}
		// pending was delivered before the snapshot; the three instances'
		// running after it.
		if got := strings.Join(states, ","); got != "pending,pending,running,running" {
			t.Errorf("states %s", got)
		}
		out, err := w.Invoke(world.Request{Service: "cloudwatch", Operation: "ListMetrics", Input: []byte(`{"Namespace":"AWS/EC2","MetricName":"CPUUtilization"}`)})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(out)
		if strings.Count(string(b), `"InstanceId"`) != 2 || !strings.Contains(string(b), `"AutoScalingGroupName"`) {
			t.Errorf("metrics %s", b)
		}
		if w.EC2() == nil || w.AutoScaling() == nil {
			t.Fatal("no EC2 or Auto Scaling")
		}
		b, _ = json.Marshal(msgs)
		outs = append(outs, string(b))
	}
	if outs[0] != outs[1] {
		t.Errorf("restored world differs:\n%s\n%s", outs[0], outs[1])
	}
}
