// Package eventbridge simulates Amazon EventBridge: event buses and their
// resource policies, rules with event patterns (core/eventpattern) or
// schedules, targets with Input, InputPath and InputTransformer, PutEvents
// with AWS's validation and envelope, delivery on the virtual clock with
// retries and dead-letter queues, archives and replays, TestEventPattern, and
// the "AWS API Call via CloudTrail" events of the world's own API calls.
//
// All state lives in the world's store under events/; the service keeps only
// caches derived from it (compiled patterns) and the id of its one clock job.
// A Service is not safe for concurrent use.
package eventbridge

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/eventpattern"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// DefaultBus is the name of the event bus every account has.
const DefaultBus = "default"

// Limits of the service (spec 1.9, 1.11, 1.18).
const (
	MaxTargetsPerRule = 5
	MaxRulesPerBus    = 300
	MaxBuses          = 100
	MaxEntriesSize    = 256 * 1024
	MaxActiveReplays  = 10
)

// Targets delivers events to the targets of rules. world implements it by
// routing on the service of the target's ARN (sqs, sns, lambda, logs).
// Deliver returns a *DeliveryError to say how a failure is handled; any other
// error is retried.
type Targets interface {
	// Deliver sends a payload (the event, or its transformation) to a target.
	Deliver(targetARN string, payload []byte) error
	// DeadLetter sends an undeliverable event to a dead-letter SQS queue with
	// the message attributes EventBridge adds.
	DeadLetter(queueARN string, payload []byte, attrs map[string]string) error
}

// DeliveryError is a failed delivery, with the ERROR_CODE EventBridge reports
// in dead-letter messages (NO_RESOURCE, NO_PERMISSIONS, THROTTLING, ...).
// Errors that are not Retryable skip the retry policy and go straight to the
// dead-letter queue.
type DeliveryError struct {
	Code      string
	Message   string
	Retryable bool
}

func (e *DeliveryError) Error() string { return e.Code + ": " + e.Message }

// Deps are what a Service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   *clock.Clock
	IDs     *ids.Generator
	Account string
	Region  string
	// Targets delivers to other services; nil means every delivery fails
	// with NO_RESOURCE.
	Targets Targets
	// Notify reports notable things that happen on the clock.
	Notify func(at time.Time, format string, args ...any)
	// Observer, when set, sees every event that arrives on a bus (schema
	// discovery); nil means none.
	Observer Observer
	// PartnerOf returns the SaaS partner name an account acts as for partner
	// event sources (aws.partner/NAME/...), or "" for none; nil means no
	// caller is a partner.
	PartnerOf func(account string) string
}

// Observer watches the events that arrive on buses: the schema registry's
// discoverers.
type Observer interface {
	// Observes reports whether events arriving on the bus busARN are watched.
	Observes(busARN string) bool
	// Observe sees one event (its JSON envelope) that arrived on busARN.
	Observe(busARN string, event []byte)
}

// Service is the EventBridge of a world.
type Service struct {
	d        Deps
	programs map[string]*eventpattern.Program
	routing  map[string]*busRoutes // per bus, see routes
	job      clock.JobID
	jobAt    time.Time
	armed    bool
	// depth counts nested deliveries to other buses, to stop loops.
	depth int
}

// New returns the service over the world's store. Work found in the store (a
// restored world: schedules, retries, replays) is scheduled again on the
// clock.
func New(d Deps) (*Service, error) {
	if d.Notify == nil {
		d.Notify = func(time.Time, string, ...any) {}
	}
	s := &Service{d: d, programs: map[string]*eventpattern.Program{}}
	s.arm()
	return s, nil
}

// SetTargets sets the router of deliveries (world calls it once every
// service is built).
func (s *Service) SetTargets(t Targets) { s.d.Targets = t }

func (s *Service) now() time.Time { return s.d.Clock.Now() }

// Key layout.
const (
	busPrefix     = "events/bus/"
	rulePrefix    = "events/rule/"    // events/rule/<bus>/<rule>
	targetPrefix  = "events/target/"  // events/target/<bus>/<rule>/<id>
	archivePrefix = "events/archive/" // events/archive/<name>
	storedPrefix  = "events/archived/"
	replayPrefix  = "events/replay/"
	duePrefix     = "events/due/"   // events/due/<time>/<seq>
	schedPrefix   = "events/sched/" // events/sched/<bus>/<rule> -> due key
	seqKey        = "events/meta/seq"
)

func busKey(name string) string             { return busPrefix + name }
func ruleKey(bus, name string) string       { return rulePrefix + bus + "/" + name }
func targetsPrefix(bus, rule string) string { return targetPrefix + bus + "/" + rule + "/" }

// ARNs.
func (s *Service) arn(resource string) string {
	return fmt.Sprintf("arn:aws:events:%s:%s:%s", s.d.Region, s.d.Account, resource)
}

func (s *Service) busARN(bus string) string { return s.arn("event-bus/" + bus) }

func (s *Service) ruleARN(bus, rule string) string {
	if bus == DefaultBus {
		return s.arn("rule/" + rule)
	}
	return s.arn("rule/" + bus + "/" + rule)
}

// busName returns the name of a bus given by name or ARN ("" means default).
func busName(nameOrARN *string) string {
	if nameOrARN == nil || *nameOrARN == "" {
		return DefaultBus
	}
	n := *nameOrARN
	if strings.HasPrefix(n, "arn:") {
		if i := strings.Index(n, ":event-bus/"); i >= 0 {
			return n[i+len(":event-bus/"):]
		}
	}
	return n
}

// Errors.
func notFound(msg string) error { return awserr.BadRequest("ResourceNotFoundException", msg) }
func invalid(msg string) error  { return awserr.BadRequest("ValidationException", msg) }

func busNotFound(name string) error { return notFound("Event bus " + name + " does not exist.") }
func ruleNotFound(rule, bus string) error {
	return notFound("Rule " + rule + " does not exist on EventBus " + bus + ".")
}

var limitExceeded = awserr.BadRequest("LimitExceededException", "The requested resource exceeds the maximum number allowed.")

// Tag is a resource tag.
type Tag struct {
	Key   string
	Value string
}

// bus is a stored event bus.
type bus struct {
	Name        string
	Description string    `json:",omitempty"`
	Policy      string    `json:",omitempty"`
	Created     time.Time `json:",omitzero"`
	Modified    time.Time `json:",omitzero"`
	Tags        []Tag     `json:",omitempty"`
}

// getBus reads a bus; the default bus always exists.
func getBus(tx *store.Tx, name string) (*bus, bool) {
	var b bus
	if err := store.GetJSON(tx, busKey(name), &b); err == nil {
		return &b, true
	}
	if name == DefaultBus {
		return &bus{Name: DefaultBus}, true
	}
	return nil, false
}

func (s *Service) view(fn func(tx *store.Tx) error) error   { return s.d.Store.View(fn) }
func (s *Service) update(fn func(tx *store.Tx) error) error { return s.d.Store.Update(fn) }

// nextSeq returns the next number of the service's sequence (stored, so that
// restored worlds continue it).
func nextSeq(tx *store.Tx) uint64 {
	var n uint64
	_ = store.GetJSON(tx, seqKey, &n)
	n++
	_ = store.SetJSON(tx, seqKey, n)
	return n
}

// page tokens: opaque to clients, the last name returned.
func encodeToken(last string) *string {
	t := base64.RawURLEncoding.EncodeToString([]byte("v1/" + last))
	return &t
}

func decodeToken(t *string) (string, error) {
	if t == nil {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*t)
	if err != nil || !strings.HasPrefix(string(b), "v1/") {
		return "", invalid("The NextToken provided is invalid.")
	}
	return string(b[3:]), nil
}

func limitOf(l *int) int {
	if l == nil || *l <= 0 || *l > 100 {
		return 100
	}
	return *l
}

// program compiles a pattern once and caches it by its text.
func (s *Service) program(pattern string) (*eventpattern.Program, error) {
	if p, ok := s.programs[pattern]; ok {
		return p, nil
	}
	tree, err := eventpattern.Parse(pattern)
	if err != nil {
		return nil, err
	}
	prog, err := eventpattern.Compile(tree)
	if err != nil {
		return nil, err
	}
	if len(s.programs) > 4096 {
		s.programs = map[string]*eventpattern.Program{}
	}
	s.programs[pattern] = prog
	return prog, nil
}

// patternError turns a parse failure into AWS's error.
func patternError(err error) error {
	var pe *eventpattern.Error
	if errors.As(err, &pe) {
		return pe.AWS()
	}
	return err
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("events")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:  "events",
		Model: m,
		Handlers: map[string]api.Handler{
			"TestEventPattern":      api.Op(s.TestEventPattern),
			"CreateEventBus":        api.Op(s.CreateEventBus),
			"DescribeEventBus":      api.Op(s.DescribeEventBus),
			"ListEventBuses":        api.Op(s.ListEventBuses),
			"DeleteEventBus":        api.Op(s.DeleteEventBus),
			"PutPermission":         api.Op(s.PutPermission),
			"RemovePermission":      api.Op(s.RemovePermission),
			"PutRule":               api.Op(s.PutRule),
			"DescribeRule":          api.Op(s.DescribeRule),
			"ListRules":             api.Op(s.ListRules),
			"EnableRule":            api.Op(s.EnableRule),
			"DisableRule":           api.Op(s.DisableRule),
			"DeleteRule":            api.Op(s.DeleteRule),
			"ListRuleNamesByTarget": api.Op(s.ListRuleNamesByTarget),
			"TagResource":           api.Op(s.TagResource),
			"UntagResource":         api.Op(s.UntagResource),
			"ListTagsForResource":   api.Op(s.ListTagsForResource),
			"PutEvents":             api.Op(s.PutEvents),
			"PutTargets":            api.Op(s.PutTargets),
			"RemoveTargets":         api.Op(s.RemoveTargets),
			"ListTargetsByRule":     api.Op(s.ListTargetsByRule),
			"CreateArchive":         api.Op(s.CreateArchive),
			"DescribeArchive":       api.Op(s.DescribeArchive),
			"ListArchives":          api.Op(s.ListArchives),
			"UpdateArchive":         api.Op(s.UpdateArchive),
			"DeleteArchive":         api.Op(s.DeleteArchive),
			"StartReplay":           api.Op(s.StartReplay),
			"DescribeReplay":        api.Op(s.DescribeReplay),
			"ListReplays":           api.Op(s.ListReplays),
			"CancelReplay":          api.Op(s.CancelReplay),

			"CreatePartnerEventSource":       api.Op(s.CreatePartnerEventSource),
			"DeletePartnerEventSource":       api.Op(s.DeletePartnerEventSource),
			"DescribePartnerEventSource":     api.Op(s.DescribePartnerEventSource),
			"ListPartnerEventSources":        api.Op(s.ListPartnerEventSources),
			"ListPartnerEventSourceAccounts": api.Op(s.ListPartnerEventSourceAccounts),
			"PutPartnerEvents":               api.Op(s.PutPartnerEvents),
			"ListEventSources":               api.Op(s.ListEventSources),
			"DescribeEventSource":            api.Op(s.DescribeEventSource),
			"ActivateEventSource":            api.Op(s.ActivateEventSource),
			"DeactivateEventSource":          api.Op(s.DeactivateEventSource),
		},
	}, nil
}

// TestEventPatternInput is the request of TestEventPattern.
type TestEventPatternInput struct {
	EventPattern string
	Event        string
}

// TestEventPatternOutput is the response of TestEventPattern.
type TestEventPatternOutput struct {
	Result bool
}

// TestEventPattern tells whether a pattern matches an event.
func (s *Service) TestEventPattern(_ *api.Call, in *TestEventPatternInput) (*TestEventPatternOutput, error) {
	tree, err := eventpattern.Parse(in.EventPattern)
	if err != nil {
		return nil, patternError(err)
	}
	if err := eventpattern.ValidateEvent(in.Event); err != nil {
		return nil, err
	}
	prog, err := eventpattern.Compile(tree)
	if err != nil {
		return nil, patternError(err)
	}
	ok, err := prog.Match([]byte(in.Event))
	if err != nil {
		return nil, invalid("Parameter Event is not valid.")
	}
	return &TestEventPatternOutput{Result: ok}, nil
}

// marshal encodes v without HTML escaping, as AWS writes JSON.
func marshal(v any) []byte {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}
