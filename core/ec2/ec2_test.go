package ec2

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
	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

var start = time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)

// recorder collects what the service publishes and emits.
type recorder struct {
	data   []string
	events []string
}

func (r *recorder) Publish(ns string, data []metricdata.MetricDatum) error {
	for _, d := range data {
		var v string
		switch {
		case d.Value != nil:
			v = fmt.Sprintf("%g", *d.Value)
		case d.StatisticValues != nil:
			v = fmt.Sprintf("n=%g sum=%g", *d.StatisticValues.SampleCount, *d.StatisticValues.Sum)
		}
		r.data = append(r.data, fmt.Sprintf("%s %s %s %s %s", d.Timestamp.Format("15:04"), ns, d.MetricName, d.Dimensions[0].Value, v))
	}
	return nil
}

type env struct {
	s   *Service
	c   *clock.Clock
	st  *store.Store
	rec *recorder
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{c: clock.New(start), st: st, rec: &recorder{}}
	e.s = e.build(ids.New(7))
	return e
}

func (e *env) build(g *ids.Generator) *Service {
	return New(Deps{Store: e.st, Clock: e.c, IDs: g, Account: "123456789012", Region: "us-east-1", Metrics: e.rec,
		Emit: func(source, dt string, detail []byte, res []string) {
			e.rec.events = append(e.rec.events, e.c.Now().Format("15:04:05")+" "+string(detail))
		}})
}

func (e *env) run(t *testing.T, in RunInstancesInput) []string {
	t.Helper()
	r, err := e.s.RunInstances(&api.Call{Now: e.c.Now()}, &in)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, i := range r.Instances {
		out = append(out, i["InstanceId"].(string))
	}
	return out
}

func code(err error) string {
	if e, ok := err.(*awserr.Error); ok {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestLifecycle(t *testing.T) {
	e := newEnv(t)
	id := e.run(t, RunInstancesInput{ImageId: "ami-0abcdef1234567890", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1})[0]
	steps := []struct {
		name  string
		do    func() error
		after time.Duration
		want  string
		code  string
	}{
		{"launched", nil, 0, "pending", ""},
		{"boots", nil, PendingDelay, "running", ""},
		{"start running is a no-op", func() error {
			_, err := e.s.StartInstances(&api.Call{}, &InstanceIDsInput{InstanceIds: []string{id}})
			return err
		}, 0, "running", ""},
		{"reboot", func() error { return e.s.AlarmAction(id, "reboot") }, 0, "running", ""},
		{"stop", func() error { return e.s.AlarmAction(id, "stop") }, 0, "stopping", ""},
		{"start while stopping", func() error {
			_, err := e.s.StartInstances(&api.Call{}, &InstanceIDsInput{InstanceIds: []string{id}})
			return err
		}, 0, "stopping", "IncorrectInstanceState"},
		{"stopped", nil, StoppingDelay, "stopped", ""},
		{"reboot stopped", func() error { return e.s.AlarmAction(id, "reboot") }, 0, "stopped", ""},
		{"start", func() error {
			_, err := e.s.StartInstances(&api.Call{}, &InstanceIDsInput{InstanceIds: []string{id}})
			return err
		}, 0, "pending", ""},
		{"terminate", func() error { return e.s.AlarmAction(id, "terminate") }, 0, "shutting-down", ""},
		{"terminated", nil, ShuttingDownDelay, "terminated", ""},
		{"reboot terminated", func() error { return e.s.AlarmAction(id, "reboot") }, 0, "terminated", "IncorrectInstanceState"},
		{"unknown action", func() error { return e.s.AlarmAction(id, "explode") }, 0, "terminated", `ec2: unknown alarm action "explode"`},
		{"gone after an hour", nil, TerminatedVisible, "terminated", ""},
	}
	for _, st := range steps {
		var err error
		if st.do != nil {
			err = st.do()
		}
		if code(err) != st.code {
			t.Fatalf("%s: error %v, want %q", st.name, err, st.code)
		}
		if st.after > 0 {
			if err := e.c.Advance(st.after); err != nil {
				t.Fatal(err)
			}
		}
		if got := e.s.State(id); got != st.want {
			t.Fatalf("%s: state %s, want %s", st.name, got, st.want)
		}
	}
	_, err := e.s.DescribeInstances(&api.Call{}, &DescribeInstancesInput{InstanceIds: []string{id}})
	if code(err) != "InvalidInstanceID.NotFound" {
		t.Errorf("describe a long-terminated instance: %v", err)
	}
	want := []string{"pending", "running", "stopping", "stopped", "pending", "shutting-down", "terminated"}
	if len(e.rec.events) != len(want) {
		t.Fatalf("events %v", e.rec.events)
	}
	for k, ev := range e.rec.events {
		if !strings.Contains(ev, `"state":"`+want[k]+`"`) || !strings.Contains(ev, `"instance-id":"`+id+`"`) {
			t.Errorf("event %d = %s, want state %s", k, ev, want[k])
		}
	}
}

func TestRunInstancesErrors(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		in   RunInstancesInput
		code string
	}{
		{RunInstancesInput{MinCount: 1, MaxCount: 1}, "MissingParameter"},
		{RunInstancesInput{ImageId: "ami-xyz", MinCount: 1, MaxCount: 1}, "InvalidAMIID.Malformed"},
		{RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 0, MaxCount: 1}, "InvalidParameterValue"},
		{RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 3, MaxCount: 2}, "InvalidParameterValue"},
		{RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1, InstanceType: "huge"}, "InvalidParameterValue"},
		{RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 101, MaxCount: 200}, "InstanceLimitExceeded"},
		{RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1, TagSpecifications: []TagSpecification{{ResourceType: "instance", Tags: []Tag{{Key: "aws:x", Value: "y"}}}}}, "InvalidParameterValue"},
	} {
		in := c.in
		if _, err := e.s.RunInstances(&api.Call{}, &in); code(err) != c.code {
			t.Errorf("%+v: %v, want %s", c.in, err, c.code)
		}
	}
	// MaxCount above the limit launches what fits.
	r, err := e.s.RunInstances(&api.Call{}, &RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 500})
	if err != nil || len(r.Instances) != MaxInstances {
		t.Fatalf("%v, %d instances", err, len(r.Instances))
	}
}

func TestFilters(t *testing.T) {
	e := newEnv(t)
	a := e.run(t, RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 2, MaxCount: 2,
		TagSpecifications: []TagSpecification{{ResourceType: "instance", Tags: []Tag{{Key: "Env", Value: "prod"}}}}})
	b := e.run(t, RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1, InstanceType: "m5.large"})
	e.c.Advance(time.Minute)
	e.s.AlarmAction(a[1], "stop")
	for _, c := range []struct {
		f    []Filter
		want []string
	}{
		{[]Filter{{"tag:Env", []string{"prod"}}}, a},
		{[]Filter{{"tag:Env", []string{"pr*"}}, {"instance-state-name", []string{"running"}}}, a[:1]},
		{[]Filter{{"instance-type", []string{"m5.large"}}}, b},
		{[]Filter{{"instance-id", []string{b[0], a[0]}}}, []string{a[0], b[0]}},
		{[]Filter{{"tag-key", []string{"Nope"}}}, nil},
	} {
		out, err := e.s.DescribeInstances(&api.Call{}, &DescribeInstancesInput{Filters: c.f})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				got = append(got, i["InstanceId"].(string))
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%v: %v, want %v", c.f, got, c.want)
		}
	}
}

func TestMetricsBasicDetailedAgent(t *testing.T) {
	e := newEnv(t)
	basic := e.run(t, RunInstancesInput{ImageId: "ami-0abcdef1234567890", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1})[0]
	detailed := e.run(t, RunInstancesInput{ImageId: "ami-0abcdef1234567890", InstanceType: "m5.large", MinCount: 1, MaxCount: 1,
		Monitoring: &struct{ Enabled *bool }{Enabled: ptr(true)}, UserData: "IyEvYmluL3NoCnl1bSBpbnN0YWxsIC15IGFtYXpvbi1jbG91ZHdhdGNoLWFnZW50Cg=="})[0]
	e.c.Advance(11 * time.Minute)
	count := func(substr string) int {
		n := 0
		for _, d := range e.rec.data {
			if strings.Contains(d, substr) {
				n++
			}
		}
		return n
	}
	// 03:04 launch, running 03:04:15: basic publishes at 03:05, 03:10 and
	// 03:15 (periods 03:00 with one minute, 03:05 and 03:10), detailed every
	// minute from 03:04.
	if n := count("AWS/EC2 CPUUtilization " + basic); n != 3 {
		t.Errorf("basic CPU datapoints %d, want 3: %v", n, e.rec.data)
	}
	if n := count("03:05 AWS/EC2 CPUUtilization " + basic + " n=5"); n != 1 {
		t.Errorf("basic datapoint of 03:05 is not a 5-sample set")
	}
	if n := count("AWS/EC2 CPUUtilization " + detailed); n != 11 {
		t.Errorf("detailed CPU datapoints %d, want 11", n)
	}
	if n := count("AWS/EC2 CPUCreditUsage " + basic); n != 3 {
		t.Errorf("credit usage datapoints %d, want 3", n)
	}
	if n := count("CPUCreditUsage " + detailed); n != 0 {
		t.Errorf("m5 publishes credits")
	}
	if n := count("CWAgent mem_used_percent " + detailed); n != 11 {
		t.Errorf("agent datapoints %d, want 11", n)
	}
	if n := count("CWAgent mem_used_percent " + basic); n != 0 {
		t.Errorf("an instance without the agent publishes memory")
	}
	// A spike holds CPU near its level.
	if _, err := e.s.InjectLoad(Load{InstanceIDs: []string{detailed}, CPU: ptr(97.0), For: 3 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	e.rec.data = nil
	e.c.Advance(2 * time.Minute)
	for _, d := range e.rec.data {
		if strings.Contains(d, "CPUUtilization "+detailed) {
			var v float64
			fmt.Sscanf(d[strings.LastIndex(d, " ")+1:], "%g", &v)
			if v < 96 || v > 98 {
				t.Errorf("spike datapoint %s", d)
			}
		}
	}
	// Stopped instances publish nothing.
	e.s.AlarmAction(detailed, "stop")
	e.s.AlarmAction(basic, "terminate")
	e.c.Advance(time.Minute)
	e.rec.data = nil
	e.c.Advance(10 * time.Minute)
	if len(e.rec.data) != 0 {
		t.Errorf("stopped/terminated instances publish: %v", e.rec.data)
	}
}

func ptr[T any](v T) *T { return &v }

// TestRestoreContinues checks that a service rebuilt from a copy of the store
// (a restored world) publishes exactly what the original does.
func TestRestoreContinues(t *testing.T) {
	a := newEnv(t)
	a.run(t, RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 2, MaxCount: 2})
	a.c.Advance(7 * time.Minute)
	id := a.run(t, RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1, Monitoring: &struct{ Enabled *bool }{ptr(true)}})[0]
	a.s.InjectLoad(Load{InstanceIDs: []string{id}, CPU: ptr(80.0), For: 10 * time.Minute})
	a.c.Advance(5 * time.Second)

	pairs, err := a.st.Dump()
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := store.Open()
	defer st2.Close()
	if err := st2.Load(pairs); err != nil {
		t.Fatal(err)
	}
	b := &env{c: clock.New(a.c.Now()), st: st2, rec: &recorder{}}
	b.s = b.build(ids.Restore(7, 0))
	a.rec.data, a.rec.events = nil, nil
	a.c.Advance(30 * time.Minute)
	b.c.Advance(30 * time.Minute)
	if strings.Join(a.rec.data, "\n") != strings.Join(b.rec.data, "\n") || len(a.rec.data) == 0 {
		t.Errorf("restored world publishes differently:\n%v\nvs\n%v", a.rec.data, b.rec.data)
	}
	if strings.Join(a.rec.events, "\n") != strings.Join(b.rec.events, "\n") {
		t.Errorf("restored world emits differently: %v vs %v", a.rec.events, b.rec.events)
	}
}

func TestVCPUs(t *testing.T) {
	for typ, want := range map[string]int{"t3.micro": 2, "m1.small": 1, "m5.large": 2, "c5.xlarge": 4, "c5.4xlarge": 16, "x.y": 0, "m5.0xlarge": 0, "": 0, "M5.large": 0} {
		if got, _ := vcpus(typ); got != want {
			t.Errorf("vcpus(%q) = %d, want %d", typ, got, want)
		}
	}
}

func TestRenderJSON(t *testing.T) {
	e := newEnv(t)
	id := e.run(t, RunInstancesInput{ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1})[0]
	e.c.Advance(time.Minute)
	out, _ := e.s.DescribeInstances(&api.Call{}, &DescribeInstancesInput{InstanceIds: []string{id}})
	b, _ := json.Marshal(out)
	for _, want := range []string{`"PublicIpAddress":"54.`, `"State":{"Code":16,"Name":"running"}`, `"PrivateDnsName":"ip-172-31-`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("missing %s in %s", want, b)
		}
	}
}
