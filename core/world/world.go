// Package world wires the services of one simulated AWS account and region:
// it owns the clock, the store and the id generator, dispatches API calls by
// (service, operation) after validating them against the service model,
// records every call in CloudTrail, and snapshots and restores the whole.
//
// A World is not safe for concurrent use: the core is single-threaded.
package world

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/alarms"
	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/autoscaling"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/cloudtrail"
	"github.com/telltale-dev/telltale/core/ec2"
	"github.com/telltale-dev/telltale/core/eventbridge"
	"github.com/telltale-dev/telltale/core/firehose"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/kinesis"
	"github.com/telltale-dev/telltale/core/lambda"
	"github.com/telltale-dev/telltale/core/logs"
	"github.com/telltale-dev/telltale/core/logsim"
	"github.com/telltale-dev/telltale/core/metrics"
	"github.com/telltale-dev/telltale/core/s3"
	"github.com/telltale-dev/telltale/core/schemas"
	"github.com/telltale-dev/telltale/core/sns"
	"github.com/telltale-dev/telltale/core/sqs"
	"github.com/telltale-dev/telltale/core/store"
	"github.com/telltale-dev/telltale/core/sts"
)

// Defaults of a fresh world.
const (
	DefaultAccount = "123456789012"
	DefaultRegion  = "us-east-1"
	DefaultUser    = "learner"
	// SourceIP is the caller's address in CloudTrail records (a documentation
	// address: no real host).
	SourceIP = "198.51.100.24"
	// UserAgent is the default user agent of calls, as the AWS CLI v2 sends it.
	UserAgent = "aws-cli/2.27.50 md/telltale ua/2.1 os/linux lang/go"
)

// Config describes a fresh world.
type Config struct {
	Seed    uint64
	Account string // default DefaultAccount
	Region  string // default DefaultRegion
	Start   time.Time
}

// Notice is a notable thing that happened while the clock moved: an alarm
// changed state, a rule fired, a file was delivered.
type Notice struct {
	At   time.Time
	Text string
}

// World is one simulated account and region.
type World struct {
	account, region string
	identity        api.Identity
	kinesis         *kinesis.Service
	firehose        *firehose.Service
	clock           *clock.Clock
	store           *store.Store
	ids             *ids.Generator
	registry        *api.Registry
	trail           *cloudtrail.Service
	events          *eventbridge.Service
	sqs             *sqs.Service
	sns             *sns.Service
	lambda          *lambda.Service
	schemas         *schemas.Service
	metrics         *metrics.Service
	logs            *logs.Service
	alarms          *alarms.Service
	ec2             *ec2.Service
	autoscaling     *autoscaling.Service
	s3              *s3.Service
	sim             *logsim.Service
	notices         []Notice
	onChange        func()
}

// New returns a fresh world.
func New(cfg Config) (*World, error) {
	if cfg.Account == "" {
		cfg.Account = DefaultAccount
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if err := checkAccount(cfg.Account); err != nil {
		return nil, err
	}
	g := ids.New(cfg.Seed)
	id := api.Identity{
		Type:        "IAMUser",
		PrincipalID: "AIDA" + g.Upper(17),
		ARN:         fmt.Sprintf("arn:aws:iam::%s:user/%s", cfg.Account, DefaultUser),
		AccountID:   cfg.Account,
		AccessKeyID: "AKIA" + g.Upper(16),
		UserName:    DefaultUser,
	}
	st, err := store.Open()
	if err != nil {
		return nil, err
	}
	return build(cfg.Account, cfg.Region, id, clock.New(cfg.Start), st, g)
}

func checkAccount(a string) error {
	if len(a) != 12 || strings.Trim(a, "0123456789") != "" {
		return fmt.Errorf("world: an account id is 12 digits, not %q", a)
	}
	return nil
}

func build(account, region string, id api.Identity, c *clock.Clock, st *store.Store, g *ids.Generator) (*World, error) {
	w := &World{account: account, region: region, identity: id, clock: c, store: st, ids: g, registry: api.NewRegistry()}
	trail, err := cloudtrail.New(st, c)
	if err != nil {
		st.Close()
		return nil, err
	}
	w.trail = trail
	w.sqs = sqs.New(sqs.Deps{Store: st, Clock: c, IDs: g, Account: account, Region: region})
	w.logs = logs.New(logs.Deps{Store: st, Clock: c, Account: account, Region: region, Metrics: logMetrics{w},
		Destinations: logDestinations{w}, Notify: w.Notify, Buckets: logBuckets{w}, Scheduler: c})
	w.lambda = lambda.New(lambda.Deps{Store: st, Clock: c, IDs: g, Account: account, Region: region, Logs: lambdaLogs{w}})
	w.sns = sns.New(sns.Deps{Store: st, Clock: c, IDs: g, Account: account, Region: region,
		Endpoints: endpoints{w}, Notify: w.Notify})
	w.schemas = schemas.New(schemas.Deps{Store: st, Clock: c, Account: account, Region: region, Emit: w.emitServiceEvent})
	w.s3 = s3.New(s3.Deps{Store: st, Clock: c, Account: account, Region: region})
	w.metrics = metrics.New(metrics.Deps{Store: st, Clock: c, Account: account, Region: region})
	for _, svc := range []interface{ API() (*api.Service, error) }{sts.New(), trail, w.sqs, w.sns, w.lambda, w.schemas, w.metrics, w.addEC2(), w.addAutoScaling(), w.logs, w.s3} {
		s, err := svc.API()
		if err == nil {
			err = w.registry.Register(s)
		}
		if err != nil {
			st.Close()
			return nil, err
		}
	}
	if err := w.addEvents(); err != nil {
		st.Close()
		return nil, err
	}
	if err := w.addAlarms(); err != nil {
		st.Close()
		return nil, err
	}
	if err := w.addDashboards(); err != nil {
		st.Close()
		return nil, err
	}
	if err := w.addStreams(); err != nil {
		st.Close()
		return nil, err
	}
	w.addSim() // logsources.go
	return w, nil
}

// Close releases the world's store.
func (w *World) Close() error { return w.store.Close() }

// Account returns the world's account id.
func (w *World) Account() string { return w.account }

// Region returns the world's region.
func (w *World) Region() string { return w.region }

// Identity returns the caller identity of API calls made with the default
// profile.
func (w *World) Identity() api.Identity { return w.identity }

// Registry returns the services of the world.
func (w *World) Registry() *api.Registry { return w.registry }

// Now returns the virtual time.
func (w *World) Now() time.Time { return w.clock.Now() }

// Seed returns the world's seed.
func (w *World) Seed() uint64 { return w.ids.Seed() }

// OnChange sets a function called after every change to the world (an API
// call, a clock move), for the browser to save it.
func (w *World) OnChange(fn func()) { w.onChange = fn }

func (w *World) changed() {
	if w.onChange != nil {
		w.onChange()
	}
}

// Notify records a notable thing that happened at.
func (w *World) Notify(at time.Time, format string, args ...any) {
	w.notices = append(w.notices, Notice{At: at, Text: fmt.Sprintf(format, args...)})
}

// AdvanceTo moves the clock to t, running everything due on the way, and
// returns the notices of what happened. Moving backwards is an error.
func (w *World) AdvanceTo(t time.Time) ([]Notice, error) {
	w.notices = nil
	if err := w.clock.AdvanceTo(t); err != nil {
		return nil, err
	}
	w.flushLogs()
	n := w.notices
	w.notices = nil
	w.changed()
	return n, nil
}

// Advance moves the clock forward by d; see AdvanceTo.
func (w *World) Advance(d time.Duration) ([]Notice, error) {
	if d < 0 {
		return nil, clock.ErrBackwards
	}
	return w.AdvanceTo(w.clock.Now().Add(d))
}

// NextDue returns the instant of the next scheduled work, for callers that
// advance in steps (the browser, to keep the page responsive).
func (w *World) NextDue() (time.Time, bool) { return w.clock.NextDue() }

// Request is one API call.
type Request struct {
	Service   string // CLI name: sts, cloudtrail
	Operation string // API name: GetCallerIdentity
	Input     []byte // JSON object with the API's member names; empty for none
	UserAgent string // default UserAgent
	// Profile names the principal making the call (see Profiles); "" is the
	// default profile. An unknown name is a *ProfileNotFoundError.
	Profile string
}

// ErrUnknownService and ErrUnknownOperation are returned by Invoke for a call
// the world does not implement. They are not AWS errors: the CLI reports them
// as usage errors.
var (
	ErrUnknownService   = errors.New("world: unknown service")
	ErrUnknownOperation = errors.New("world: unknown operation")
)

// Invoke runs one API call at the current virtual instant and records it in
// CloudTrail. The response is shaped by the operation's output shape
// (api.Ordered objects, time.Time timestamps) and is nil for an empty
// response. A failure is an *awserr.Error (or ErrUnknownService /
// ErrUnknownOperation); it never panics on bad input.
func (w *World) Invoke(req Request) (resp any, err error) {
	svc, ok := w.registry.Service(req.Service)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownService, req.Service)
	}
	h, ok := svc.Handlers[req.Operation]
	if !ok {
		return nil, fmt.Errorf("%w %q of %s", ErrUnknownOperation, req.Operation, req.Service)
	}
	prof, err := w.Profile(req.Profile)
	if err != nil {
		return nil, err
	}
	if err := w.checkCrossAccount(prof, req.Service, req.Operation); err != nil {
		return nil, err
	}
	op := svc.Model.Operations[req.Operation]
	call := &api.Call{
		Service: req.Service, Operation: req.Operation, Now: w.clock.Now(),
		Account: w.account, Region: w.region, RequestID: w.ids.UUID(), Identity: prof.Identity,
		UserAgent: req.UserAgent, SourceIP: SourceIP,
	}
	if call.UserAgent == "" {
		call.UserAgent = UserAgent
	}
	var input, output any
	defer func() {
		if r := recover(); r != nil {
			// A panic in a handler is a bug, never the caller's fault: it
			// becomes InternalFailure, is recorded, and the world goes on.
			resp, output, err = nil, nil, awserr.As(fmt.Errorf("panic: %v", r))
		}
		if err != nil {
			output = nil
		}
		w.record(svc, op, call, input, output, err)
		w.flushLogs()
		w.changed()
	}()
	input, err = decodeInput(req.Input)
	if err != nil {
		return nil, err
	}
	normal, vs, terr := svc.Validator().Check(op, input)
	if terr != nil {
		return nil, awserr.BadRequest("SerializationException", terr.Error())
	}
	if len(vs) > 0 {
		if svc.TranslateValidation != nil {
			if e := svc.TranslateValidation(req.Operation, vs); e != nil {
				return nil, e
			}
		}
		return nil, api.ValidationError(svc.ValidationCode, vs)
	}
	b, _ := json.Marshal(normal)
	out, err := h(call, b)
	if err != nil {
		return nil, awserr.As(err)
	}
	if out == nil || op.Output == nil {
		return nil, nil
	}
	ob, err := json.Marshal(out)
	if err != nil {
		return nil, awserr.As(err)
	}
	dv, err := api.DecodeJSON(ob)
	if err != nil {
		return nil, awserr.As(err)
	}
	output = dv
	shaped := svc.Model.Render(op.Output, dv, func(t time.Time) any { return t })
	if o, ok := shaped.(api.Ordered); ok && len(o) == 0 {
		return nil, nil
	}
	return shaped, nil
}

func decodeInput(b []byte) (any, error) {
	if len(strings.TrimSpace(string(b))) == 0 {
		return map[string]any{}, nil
	}
	v, err := api.DecodeJSON(b)
	if err != nil {
		return nil, awserr.BadRequest("SerializationException", "Unable to parse the request body as JSON: "+err.Error())
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, awserr.BadRequest("SerializationException", "The request body must be a JSON object.")
	}
	return v, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
