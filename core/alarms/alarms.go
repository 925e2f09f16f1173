// Package alarms simulates Amazon CloudWatch alarms: metric alarms (on one
// metric or a metric math expression) and composite alarms, their evaluation
// on the virtual clock, their history and their actions.
//
// Alarms are the other half of the "cloudwatch" service: its handlers are
// merged by world with those of package metrics into one api.Service. Alarms
// read metrics through the Metrics interface.
//
// Storage: alarms/alarm/<name> holds an alarm (configuration and state),
// alarms/history/<time>/<seq> its history items (which survive the alarm),
// alarms/seq the history counter.
//
// Evaluation. Each metric alarm has one clock job, every minute (every 10
// seconds for periods under a minute), at boundaries of the Unix epoch. An
// evaluation at t looks at the evaluation range: N+2 periods ending at t
// (N = EvaluationPeriods; the documentation's example uses 5 slots for N = 3),
// and decides the state with the rules of the user guide's "How alarm state
// is evaluated when data is missing" (see decide). Jobs are re-created from
// the store in name order when the service is built.
//
// Actions: on every state change, SNS topics of the new state's action list
// get AWS's alarm message JSON; EC2 and Auto Scaling actions go through the
// Actions interface when one is wired. Each state change is also a
// "CloudWatch Alarm State Change" event and a notice.
//
// A Service is not safe for concurrent use.
package alarms

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

const (
	alarmPrefix   = "alarms/alarm/"
	historyPrefix = "alarms/history/"
	seqKey        = "alarms/seq"
)

// States of an alarm.
const (
	StateOK           = "OK"
	StateAlarm        = "ALARM"
	StateInsufficient = "INSUFFICIENT_DATA"
)

// Metrics is what alarms read: the statistic of one metric per period, and
// metric math.
type Metrics interface {
	Statistics(q metricdata.Query) ([]metricdata.Datapoint, error)
	GetMetricData(c *api.Call, in *metricdata.GetMetricDataInput) (*metricdata.GetMetricDataOutput, error)
	// ValidStatistic reports whether name is a statistic CloudWatch knows
	// (the basic five or an extended statistic).
	ValidStatistic(name string) bool
}

// Topics delivers alarm notifications to SNS topics.
type Topics interface {
	Deliver(topicARN, message, subject string) error
}

// Actions runs EC2 and Auto Scaling alarm actions.
type Actions interface {
	// EC2Action stops, terminates, reboots or recovers an instance.
	EC2Action(instanceID, action string) error
	// ScalingPolicy executes an Auto Scaling policy for an alarm in ALARM:
	// breachValue is the newest evaluated value, threshold the alarm's.
	ScalingPolicy(alarmName, policyARN string, breachValue, threshold float64) error
}

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   *clock.Clock
	Account string
	Region  string
	Metrics Metrics
	Topics  Topics  // may be nil
	Actions Actions // may be nil: EC2 and Auto Scaling actions are then only recorded
	// Emit puts a service event on the default event bus (may be nil).
	Emit func(source, detailType string, detail []byte, resources []string)
	// Notify reports a notable thing that happened (may be nil).
	Notify func(at time.Time, format string, args ...any)
}

// Service is the CloudWatch alarms of a world.
type Service struct {
	d    Deps
	jobs map[string]clock.JobID
	// cache holds decoded alarms by name with the stored value they were
	// decoded from, rules the parsed composite rules (see cache.go).
	cache map[string]cachedAlarm
	rules map[string]*Rule
	// arnPrefix is arn(""), once built.
	arnPrefix string
	// objects remembers objectOrNull.
	objects map[string]string
	// last is the last snapshot of the alarms (see snapshot), spare the
	// one before.
	last, spare []snapEntry
	// depth guards composite evaluation against cycles.
	depth int
}

// New returns the service over the world's store and re-schedules the
// evaluation of the stored metric alarms, in name order.
func New(d Deps) *Service {
	s := &Service{d: d, jobs: map[string]clock.JobID{}, cache: map[string]cachedAlarm{}, rules: map[string]*Rule{},
		objects: map[string]string{}}
	var names []string
	d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, alarmPrefix, func(k, v string) bool {
			var a alarm
			if json.Unmarshal([]byte(v), &a) == nil && a.Type == typeMetric {
				names = append(names, a.AlarmName)
			}
			return true
		})
	})
	for _, n := range names {
		s.schedule(n)
	}
	s.rescheduleSuppression()
	return s
}

// API describes the alarm operations of the cloudwatch service; world merges
// its handlers with those of package metrics.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("cloudwatch")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:           "cloudwatch",
		Model:          m,
		ValidationCode: "ValidationError",
		Handlers: map[string]api.Handler{
			"PutMetricAlarm":          api.Op(s.PutMetricAlarm),
			"PutCompositeAlarm":       api.Op(s.PutCompositeAlarm),
			"DescribeAlarms":          api.Op(s.DescribeAlarms),
			"DescribeAlarmsForMetric": api.Op(s.DescribeAlarmsForMetric),
			"DescribeAlarmHistory":    api.Op(s.DescribeAlarmHistory),
			"SetAlarmState":           api.Op(s.SetAlarmState),
			"EnableAlarmActions":      api.Op(s.EnableAlarmActions),
			"DisableAlarmActions":     api.Op(s.DisableAlarmActions),
			"DeleteAlarms":            api.Op(s.DeleteAlarms),
			"TagResource":             api.Op(s.TagResource),
			"UntagResource":           api.Op(s.UntagResource),
			"ListTagsForResource":     api.Op(s.ListTagsForResource),
		},
	}, nil
}

const (
	typeMetric    = "MetricAlarm"
	typeComposite = "CompositeAlarm"
)

// Tag is a key/value pair of an alarm.
type Tag struct {
	Key   string
	Value string
}

// alarm is a stored alarm, metric or composite.
type alarm struct {
	Type                               string
	AlarmName                          string
	AlarmArn                           string
	AlarmDescription                   *string `json:",omitempty"`
	AlarmConfigurationUpdatedTimestamp time.Time
	Created                            time.Time
	ActionsEnabled                     bool
	OKActions                          []string
	AlarmActions                       []string
	InsufficientDataActions            []string
	StateValue                         string
	StateReason                        string
	StateReasonData                    string `json:",omitempty"`
	StateUpdatedTimestamp              time.Time
	StateTransitionedTimestamp         time.Time

	MetricName                       string                       `json:",omitempty"`
	Namespace                        string                       `json:",omitempty"`
	Statistic                        string                       `json:",omitempty"`
	ExtendedStatistic                string                       `json:",omitempty"`
	Dimensions                       []metricdata.Dimension       `json:",omitempty"`
	Period                           int64                        `json:",omitempty"`
	Unit                             string                       `json:",omitempty"`
	EvaluationPeriods                int64                        `json:",omitempty"`
	DatapointsToAlarm                *int64                       `json:",omitempty"`
	Threshold                        *float64                     `json:",omitempty"`
	ComparisonOperator               string                       `json:",omitempty"`
	TreatMissingData                 string                       `json:",omitempty"`
	EvaluateLowSampleCountPercentile string                       `json:",omitempty"`
	Metrics                          []metricdata.MetricDataQuery `json:",omitempty"`
	ThresholdMetricId                string                       `json:",omitempty"`

	AlarmRule                        string    `json:",omitempty"`
	ActionsSuppressor                string    `json:",omitempty"`
	ActionsSuppressorWaitPeriod      *int64    `json:",omitempty"`
	ActionsSuppressorExtensionPeriod *int64    `json:",omitempty"`
	ActionsSuppressedBy              string    `json:",omitempty"`
	ActionsSuppressedReason          string    `json:",omitempty"`
	SuppressedUntil                  time.Time `json:",omitempty"`
	SuppressGen                      int64     `json:",omitempty"`
	// SuppressedOld is the state the composite left when its actions were
	// put off, for the notification's OldStateValue.
	SuppressedOld string `json:",omitempty"`

	Tags []Tag `json:",omitempty"`
}

func (s *Service) arn(name string) string {
	return fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.d.Region, s.d.Account, name)
}

// nameOf turns an alarm name or ARN of this account and region into a name.
func (s *Service) nameOf(ref string) string {
	if s.arnPrefix == "" {
		s.arnPrefix = s.arn("")
	}
	return strings.TrimPrefix(ref, s.arnPrefix)
}

func getAlarm(tx *store.Tx, name string) (*alarm, bool) {
	var a alarm
	if store.GetJSON(tx, alarmPrefix+name, &a) != nil {
		return nil, false
	}
	return &a, true
}

// load returns the stored alarm named name, a copy the caller may change.
func (s *Service) load(name string) (*alarm, bool) {
	var a *alarm
	var ok bool
	s.d.Store.View(func(tx *store.Tx) error {
		a, ok = s.shared(tx, name)
		return nil
	})
	if !ok {
		return nil, false
	}
	return a.clone(), true
}

// all returns the stored alarms in name order, copies the caller may change.
func (s *Service) all() []*alarm {
	var out []*alarm
	s.each(func(a *alarm) bool {
		out = append(out, a.clone())
		return true
	})
	return out
}

func (s *Service) save(a *alarm) error {
	return s.d.Store.Update(func(tx *store.Tx) error { return s.putAlarm(tx, a) })
}

func errInvalid(format string, args ...any) error {
	return awserr.BadRequest("InvalidParameterValue", fmt.Sprintf(format, args...))
}

func errCombination(format string, args ...any) error {
	return awserr.BadRequest("InvalidParameterCombination", fmt.Sprintf(format, args...))
}

func errMissing(format string, args ...any) error {
	return awserr.BadRequest("MissingParameter", fmt.Sprintf(format, args...))
}

func errNotFound(format string, args ...any) error {
	return awserr.New("ResourceNotFound", 404, fmt.Sprintf(format, args...))
}

func (s *Service) notify(at time.Time, format string, args ...any) {
	if s.d.Notify != nil {
		s.d.Notify(at, format, args...)
	}
}
