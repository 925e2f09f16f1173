package autoscaling

import (
	"fmt"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// fakeFleet launches instances that are running at once.
type fakeFleet struct {
	s          *Service
	n          int
	terminated []string
}

func (f *fakeFleet) Launch(l Launch) string {
	f.n++
	return fmt.Sprintf("i-%017x", f.n)
}

func (f *fakeFleet) Terminate(ids []string) {
	f.terminated = append(f.terminated, ids...)
	for _, id := range ids {
		f.s.InstanceStateChanged(time.Time{}, id, "terminated")
	}
}

func newTest(t *testing.T) (*Service, *fakeFleet) {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fakeFleet{}
	c := clock.New(time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC))
	s := New(Deps{Store: st, Clock: c, IDs: ids.New(3), Account: "123456789012", Region: "us-east-1", Fleet: f})
	f.s = s
	call := &api.Call{Now: c.Now()}
	if _, err := s.CreateLaunchConfiguration(call, &CreateLaunchConfigurationInput{LaunchConfigurationName: "lc", ImageId: "ami-0abcdef1234567890", InstanceType: "t3.micro"}); err != nil {
		t.Fatal(err)
	}
	one, three := 1, 3
	if _, err := s.CreateAutoScalingGroup(call, &GroupInput{AutoScalingGroupName: "g", LaunchConfigurationName: "lc", MinSize: &one, MaxSize: &three, AvailabilityZones: []string{"us-east-1a", "us-east-1b"}}); err != nil {
		t.Fatal(err)
	}
	return s, f
}

func (s *Service) size(t *testing.T) (desired, active int) {
	g, ok := s.loadGroup("g")
	if !ok {
		t.Fatal("no group")
	}
	return g.Desired, g.active()
}

func putPolicy(t *testing.T, s *Service, in PutScalingPolicyInput) string {
	t.Helper()
	in.AutoScalingGroupName = "g"
	out, err := s.PutScalingPolicy(&api.Call{}, &in)
	if err != nil {
		t.Fatal(err)
	}
	return out.PolicyARN
}

func TestAlarmPolicyAtMinimumRemovesNothing(t *testing.T) {
	s, f := newTest(t)
	in := putPolicy(t, s, PutScalingPolicyInput{PolicyName: "in", AdjustmentType: "ChangeInCapacity", ScalingAdjustment: ptr(-1)})
	if err := s.ExecutePolicyFromAlarm(in, 5, 10); err != nil {
		t.Fatal(err)
	}
	if d, a := s.size(t); d != 1 || a != 1 || len(f.terminated) != 0 {
		t.Fatalf("desired %d active %d terminated %v", d, a, f.terminated)
	}
	out := putPolicy(t, s, PutScalingPolicyInput{PolicyName: "out", AdjustmentType: "ChangeInCapacity", ScalingAdjustment: ptr(5)})
	if err := s.ExecutePolicyFromAlarm(out, 95, 80); err != nil {
		t.Fatal(err)
	}
	if d, a := s.size(t); d != 3 || a != 3 {
		t.Fatalf("scale out to max: desired %d active %d", d, a)
	}
	// Within the default cooldown an alarm's simple policy does nothing.
	if err := s.ExecutePolicyFromAlarm(in, 5, 10); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.size(t); d != 3 {
		t.Fatalf("cooldown not honoured: desired %d", d)
	}
	if err := s.ExecutePolicyFromAlarm("arn:aws:autoscaling:nope", 1, 2); err == nil {
		t.Error("unknown policy ARN accepted")
	}
}

func TestStepScaling(t *testing.T) {
	s, _ := newTest(t)
	arn := putPolicy(t, s, PutScalingPolicyInput{PolicyName: "steps", PolicyType: "StepScaling", AdjustmentType: "ChangeInCapacity",
		StepAdjustments: []StepAdjustment{{MetricIntervalLowerBound: ptr(0.0), MetricIntervalUpperBound: ptr(10.0), ScalingAdjustment: 1},
			{MetricIntervalLowerBound: ptr(10.0), ScalingAdjustment: 2}}})
	for _, c := range []struct {
		value, threshold float64
		want             int
	}{
		{85, 80, 2},  // +1
		{95, 80, 3},  // +2, capped at max
		{120, 80, 3}, // at max
	} {
		if err := s.ExecutePolicyFromAlarm(arn, c.value, c.threshold); err != nil {
			t.Fatal(err)
		}
		if d, a := s.size(t); d != c.want || a != c.want {
			t.Fatalf("%v: desired %d active %d, want %d", c, d, a, c.want)
		}
	}
	// A breach no step covers.
	_, err := s.ExecutePolicy(&api.Call{}, &ExecutePolicyInput{AutoScalingGroupName: "g", PolicyName: "steps", MetricValue: ptr(70.0), BreachThreshold: ptr(80.0)})
	if e, ok := err.(*awserr.Error); !ok || e.Code != "ValidationError" {
		t.Fatalf("uncovered breach: %v", err)
	}
}

func TestAdjust(t *testing.T) {
	for _, c := range []struct {
		cur  int
		typ  string
		adj  int
		mag  *int
		want int
	}{
		{2, "ChangeInCapacity", 3, nil, 5},
		{2, "ExactCapacity", 7, nil, 7},
		{10, "PercentChangeInCapacity", 25, nil, 12}, // 2.5 -> 2
		{2, "PercentChangeInCapacity", 25, nil, 3},   // 0.5 -> 1
		{2, "PercentChangeInCapacity", -25, nil, 1},  // -0.5 -> -1
		{15, "PercentChangeInCapacity", -50, nil, 8}, // -7.5 -> -7
		{10, "PercentChangeInCapacity", 10, ptr(3), 13},
	} {
		if got := Adjust(c.cur, c.typ, c.adj, c.mag); got != c.want {
			t.Errorf("Adjust(%d, %s, %d) = %d, want %d", c.cur, c.typ, c.adj, got, c.want)
		}
	}
}

func TestReplacesStoppedInstance(t *testing.T) {
	s, f := newTest(t)
	g, _ := s.loadGroup("g")
	id := g.Members[0].ID
	s.InstanceStateChanged(time.Time{}, id, "running")
	s.InstanceStateChanged(time.Time{}, id, "stopped")
	g, _ = s.loadGroup("g")
	if len(g.Members) != 1 || g.Members[0].ID == id || len(f.terminated) != 1 {
		t.Fatalf("members %+v terminated %v", g.Members, f.terminated)
	}
}

func TestValidation(t *testing.T) {
	s, _ := newTest(t)
	one, two, five := 1, 2, 5
	for _, c := range []struct {
		name string
		err  error
	}{
		{"desired above max", func() error {
			_, err := s.CreateAutoScalingGroup(&api.Call{}, &GroupInput{AutoScalingGroupName: "x", LaunchConfigurationName: "lc", MinSize: &one, MaxSize: &two, DesiredCapacity: &five, AvailabilityZones: []string{"us-east-1a"}})
			return err
		}()},
		{"no zones", func() error {
			_, err := s.CreateAutoScalingGroup(&api.Call{}, &GroupInput{AutoScalingGroupName: "x", LaunchConfigurationName: "lc", MinSize: &one, MaxSize: &two})
			return err
		}()},
		{"bad zone", func() error {
			_, err := s.CreateAutoScalingGroup(&api.Call{}, &GroupInput{AutoScalingGroupName: "x", LaunchConfigurationName: "lc", MinSize: &one, MaxSize: &two, AvailabilityZones: []string{"eu-west-1a"}})
			return err
		}()},
		{"missing lc", func() error {
			_, err := s.CreateAutoScalingGroup(&api.Call{}, &GroupInput{AutoScalingGroupName: "x", LaunchConfigurationName: "nope", MinSize: &one, MaxSize: &two, AvailabilityZones: []string{"us-east-1a"}})
			return err
		}()},
		{"simple without adjustment", func() error {
			_, err := s.PutScalingPolicy(&api.Call{}, &PutScalingPolicyInput{AutoScalingGroupName: "g", PolicyName: "p", AdjustmentType: "ChangeInCapacity"})
			return err
		}()},
		{"target tracking", func() error {
			_, err := s.PutScalingPolicy(&api.Call{}, &PutScalingPolicyInput{AutoScalingGroupName: "g", PolicyName: "p", PolicyType: "TargetTrackingScaling"})
			return err
		}()},
		{"update unknown", func() error {
			_, err := s.UpdateAutoScalingGroup(&api.Call{}, &GroupInput{AutoScalingGroupName: "nope"})
			return err
		}()},
	} {
		if e, ok := c.err.(*awserr.Error); !ok || e.Code != "ValidationError" {
			t.Errorf("%s: %v", c.name, c.err)
		}
	}
}

func ptr[T any](v T) *T { return &v }
