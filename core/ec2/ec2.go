// Package ec2 simulates a minimal Amazon EC2: instances launched, described,
// stopped, started, rebooted and terminated, with basic or detailed
// monitoring, on the world's virtual clock. Running instances publish AWS/EC2
// metrics (and CWAgent memory when they have the CloudWatch agent) from a
// seeded load model; see load.go.
//
// State transitions (pending -> running, stopping -> stopped, shutting-down
// -> terminated) happen after short delays (PendingDelay, StoppingDelay,
// ShuttingDownDelay). Each state change puts an "EC2 Instance State-change
// Notification" event on the default bus through the Events dependency.
//
// Store layout (see core/store):
//
//	ec2/instance/<id>   an instance (JSON)
//	ec2/net             the default VPC, subnets and counters (JSON)
//
// Scheduled work (the next transition, the metrics tick) is derived from the
// stored instances, so New re-creates it for a restored world.
//
// A Service is not safe for concurrent use.
package ec2

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

// Delays of the state transitions.
const (
	PendingDelay      = 15 * time.Second
	StoppingDelay     = 30 * time.Second
	ShuttingDownDelay = 30 * time.Second
	// TerminatedVisible is how long a terminated instance stays in
	// DescribeInstances.
	TerminatedVisible = time.Hour
)

// Clock is the world's clock.
type Clock interface {
	Now() time.Time
	Schedule(at time.Time, name string, job clock.Job) clock.JobID
	Every(first time.Time, period time.Duration, name string, job clock.Job) clock.JobID
	Cancel(id clock.JobID)
}

// Publisher writes metric data to CloudWatch (core/metrics Publish).
type Publisher interface {
	Publish(namespace string, data []metricdata.MetricDatum) error
}

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	IDs     *ids.Generator
	Account string
	Region  string
	Metrics Publisher // nil: no metrics
	// Emit puts an event of the service on the default bus (nil: none).
	Emit   func(source, detailType string, detail []byte, resources []string)
	Notify func(at time.Time, format string, args ...any)
	// Logs receives what the CloudWatch agent of running instances ships
	// (nil: the agent ships no logs).
	Logs AgentLogs
}

// AgentInstance is what the CloudWatch agent knows of the instance it runs
// on.
type AgentInstance struct {
	ID, ImageID, InstanceType, PrivateIP string
	UserData                             string // as given to RunInstances
	Tags                                 map[string]string
}

// AgentLogs receives the minutes the CloudWatch agent of a running instance
// ships the log files of its configuration. world implements it by
// generating the files' lines into CloudWatch Logs.
type AgentLogs interface {
	ShipAgentLogs(in AgentInstance, from, to time.Time)
}

// agentUserData keeps the user data of an instance with the agent, where
// its configuration lives.
func agentUserData(agent bool, userData string) string {
	if !agent {
		return ""
	}
	return userData
}

// Service is the EC2 of a world.
type Service struct {
	d        Deps
	seed     uint64
	next     clock.JobID
	nextAt   time.Time
	tick     clock.JobID
	ticking  bool
	onChange []func(at time.Time, id, state string)
}

// New returns the service over the world's store and re-creates its
// scheduled work from the stored instances.
func New(d Deps) *Service {
	s := &Service{d: d, seed: d.IDs.Seed()}
	s.reschedule()
	return s
}

// OnStateChange registers a function called after an instance changes state
// (Auto Scaling watches its instances with it).
func (s *Service) OnStateChange(fn func(at time.Time, id, state string)) {
	s.onChange = append(s.onChange, fn)
}

const (
	instancePrefix = "ec2/instance/"
	netKey         = "ec2/net"
)

// State codes of EC2.
var stateCodes = map[string]int{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}

// Tag is a resource tag.
type Tag struct {
	Key   string
	Value string
}

// Spike is an injected load: CPU (and memory) held at a level for a while.
type Spike struct {
	From, Until time.Time
	CPU         *float64 `json:",omitempty"`
	Mem         *float64 `json:",omitempty"`
}

// instance is the stored form of an instance.
type instance struct {
	Seq           int64
	ID            string
	Reservation   string
	Requester     string `json:",omitempty"`
	ImageID       string
	InstanceType  string
	KeyName       string `json:",omitempty"`
	AZ            string
	Subnet, VPC   string
	SecurityGroup string
	PrivateIP     string
	PublicIP      string `json:",omitempty"`
	LaunchIndex   int
	ClientToken   string `json:",omitempty"`
	State         string
	Due           time.Time `json:",omitempty"` // next transition
	LaunchTime    time.Time
	RunningSince  time.Time `json:",omitempty"`
	TerminatedAt  time.Time `json:",omitempty"`
	Transition    string    `json:",omitempty"`
	ReasonCode    string    `json:",omitempty"`
	Detailed      bool
	Agent         bool
	UserData      string  `json:",omitempty"` // kept for the agent's configuration
	Group         string  `json:",omitempty"` // Auto Scaling group
	Tags          []Tag   `json:",omitempty"`
	Spikes        []Spike `json:",omitempty"`
	VolumeID      string
	ENI           string
	RebootedAt    time.Time `json:",omitempty"`
}

type network struct {
	VPC     string
	Subnets map[string]string // AZ -> subnet id
	SG      string
	Seq     int64
	IPs     int64
}

func (s *Service) get(tx *store.Tx, id string) (*instance, bool) {
	var in instance
	if store.GetJSON(tx, instancePrefix+id, &in) != nil {
		return nil, false
	}
	return &in, true
}

func (s *Service) put(tx *store.Tx, in *instance) error {
	return store.SetJSON(tx, instancePrefix+in.ID, in)
}

// all returns the stored instances in launch order.
func (s *Service) all() []*instance {
	var out []*instance
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, instancePrefix, func(_, v string) bool {
			var in instance
			if json.Unmarshal([]byte(v), &in) == nil {
				out = append(out, &in)
			}
			return true
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

func (s *Service) arn(id string) string {
	return fmt.Sprintf("arn:aws:ec2:%s:%s:instance/%s", s.d.Region, s.d.Account, id)
}

// reschedule schedules the next transition and the metrics tick from the
// stored instances.
func (s *Service) reschedule() {
	var due time.Time
	alive := false
	for _, in := range s.all() {
		if !in.Due.IsZero() && (due.IsZero() || in.Due.Before(due)) {
			due = in.Due
		}
		if in.State != "terminated" {
			alive = true
		}
	}
	if !due.Equal(s.nextAt) || due.IsZero() {
		if s.next != 0 {
			s.d.Clock.Cancel(s.next)
			s.next = 0
		}
		s.nextAt = due
		if !due.IsZero() {
			s.next = s.d.Clock.Schedule(due, "ec2 transitions", s.transitions)
		}
	}
	if alive && !s.ticking {
		now := s.d.Clock.Now()
		first := now.Truncate(time.Minute).Add(time.Minute)
		s.tick = s.d.Clock.Every(first, time.Minute, "ec2 metrics", s.publish)
		s.ticking = true
	} else if !alive && s.ticking {
		s.d.Clock.Cancel(s.tick)
		s.ticking = false
	}
}

// transitions completes the transitions due at the current instant.
func (s *Service) transitions(at time.Time) {
	s.next, s.nextAt = 0, time.Time{}
	type change struct{ id, state string }
	var changes []change
	for _, in := range s.all() {
		if in.Due.IsZero() || in.Due.After(at) {
			continue
		}
		switch in.State {
		case "pending":
			in.State = "running"
			in.RunningSince = at
			if in.PublicIP == "" {
				in.PublicIP = s.publicIP(in)
			}
		case "stopping":
			in.State = "stopped"
			in.ReasonCode = "Client.UserInitiatedShutdown"
		case "shutting-down":
			in.State = "terminated"
			in.TerminatedAt = at
		}
		in.Due = time.Time{}
		s.d.Store.Update(func(tx *store.Tx) error { return s.put(tx, in) })
		changes = append(changes, change{in.ID, in.State})
	}
	for _, c := range changes {
		s.stateChanged(at, c.id, c.state)
	}
	s.reschedule()
}

func (s *Service) stateChanged(at time.Time, id, state string) {
	if s.d.Emit != nil {
		detail, _ := json.Marshal(struct {
			InstanceID string `json:"instance-id"`
			State      string `json:"state"`
		}{id, state})
		s.d.Emit("aws.ec2", "EC2 Instance State-change Notification", detail, []string{s.arn(id)})
	}
	if s.d.Notify != nil && (state == "running" || state == "stopped" || state == "terminated") {
		s.d.Notify(at, "EC2 instance %s is %s", id, state)
	}
	for _, fn := range s.onChange {
		fn(at, id, state)
	}
}

func (s *Service) publicIP(in *instance) string {
	h := mix(s.seed, hashString(in.ID))
	return fmt.Sprintf("54.%d.%d.%d", 160+h%64, (h>>8)%256, 1+(h>>16)%254)
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("ec2")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:                "ec2",
		Model:               m,
		ValidationCode:      "InvalidParameterValue",
		TranslateValidation: translateValidation,
		Handlers: map[string]api.Handler{
			"RunInstances":       api.Op(s.RunInstances),
			"DescribeInstances":  api.Op(s.DescribeInstances),
			"StopInstances":      api.Op(s.StopInstances),
			"StartInstances":     api.Op(s.StartInstances),
			"TerminateInstances": api.Op(s.TerminateInstances),
			"RebootInstances":    api.Op(s.RebootInstances),
			"MonitorInstances":   api.Op(s.MonitorInstances),
			"UnmonitorInstances": api.Op(s.UnmonitorInstances),
		},
	}, nil
}

// translateValidation answers an instance type outside the model's list as
// EC2 does (its own wording, not the "1 validation error detected" of
// JSON services).
func translateValidation(op string, vs []api.Violation) *awserr.Error {
	for _, v := range vs {
		if strings.EqualFold(v.Path, "instanceType") && strings.HasPrefix(v.Value, "'") {
			return awserr.BadRequest("InvalidParameterValue", "Invalid value "+v.Value+" for InstanceType.")
		}
	}
	return nil
}
