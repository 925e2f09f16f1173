package eventbridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/store"
)

// eventTime formats an instant the way EventBridge writes event times.
func eventTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// envelope is what an event is made of before it is written.
type envelope struct {
	ID         string
	DetailType string
	Source     string
	Time       time.Time
	Resources  []string
	Detail     []byte // compact JSON object
	ReplayName string
	// Account is the account that sent the event ("" is the world's).
	Account string
}

// encode writes the event with its keys in EventBridge's order (spec 1.1).
func (s *Service) encode(e *envelope) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"0","id":`)
	b.Write(marshal(e.ID))
	b.WriteString(`,"detail-type":`)
	b.Write(marshal(e.DetailType))
	b.WriteString(`,"source":`)
	b.Write(marshal(e.Source))
	b.WriteString(`,"account":`)
	if e.Account != "" {
		b.Write(marshal(e.Account))
	} else {
		b.Write(marshal(s.d.Account))
	}
	b.WriteString(`,"time":`)
	b.Write(marshal(eventTime(e.Time)))
	b.WriteString(`,"region":`)
	b.Write(marshal(s.d.Region))
	if e.ReplayName != "" {
		b.WriteString(`,"replay-name":`)
		b.Write(marshal(e.ReplayName))
	}
	b.WriteString(`,"resources":`)
	if e.Resources == nil {
		b.WriteString("[]")
	} else {
		b.Write(marshal(e.Resources))
	}
	b.WriteString(`,"detail":`)
	b.Write(e.Detail)
	b.WriteByte('}')
	return b.Bytes()
}

// PutEventsRequestEntry is one entry of PutEvents.
type PutEventsRequestEntry struct {
	Time         *time.Time
	Source       *string
	Resources    []string
	DetailType   *string
	Detail       *string
	EventBusName *string
	TraceHeader  *string
}

// PutEventsInput is the request of PutEvents.
type PutEventsInput struct {
	Entries    []PutEventsRequestEntry
	EndpointId *string
}

// PutEventsResultEntry is one result of PutEvents.
type PutEventsResultEntry struct {
	EventId      string `json:",omitempty"`
	ErrorCode    string `json:",omitempty"`
	ErrorMessage string `json:",omitempty"`
}

// PutEventsOutput is the response of PutEvents.
type PutEventsOutput struct {
	FailedEntryCount int
	Entries          []PutEventsResultEntry
}

// EntrySize is the size AWS counts for an entry (eb-putevent-size): 14 bytes
// for a Time, and the UTF-8 bytes of Source, DetailType, Detail and each
// resource.
func EntrySize(e *PutEventsRequestEntry) int {
	n := 0
	if e.Time != nil {
		n += 14
	}
	for _, p := range []*string{e.Source, e.DetailType, e.Detail} {
		if p != nil {
			n += len(*p)
		}
	}
	for _, r := range e.Resources {
		n += len(r)
	}
	return n
}

// PutEvents puts events on buses. Each entry succeeds or fails on its own;
// an entry for a bus that does not exist is accepted and dropped, as AWS
// does. Matching rules deliver to their targets at once.
//
// A caller of another account reaches a bus of the world's account by its
// ARN, and only when the bus's policy allows it (AccessDeniedException for
// the entry otherwise); its events carry its own account. Entries it sends to
// its own account's buses are accepted and leave the simulation.
func (s *Service) PutEvents(c *api.Call, in *PutEventsInput) (*PutEventsOutput, error) {
	total := 0
	for i := range in.Entries {
		total += EntrySize(&in.Entries[i])
	}
	if total > MaxEntriesSize {
		return nil, invalid("Total size of the entries in the request is over the limit.")
	}
	out := &PutEventsOutput{Entries: make([]PutEventsResultEntry, len(in.Entries))}
	for i := range in.Entries {
		e := &in.Entries[i]
		code, msg := checkEntry(e)
		if code != "" {
			out.Entries[i] = PutEventsResultEntry{ErrorCode: code, ErrorMessage: msg}
			out.FailedEntryCount++
			continue
		}
		acct, name := s.busTarget(e.EventBusName, c.Identity.AccountID)
		caller := c.Identity.AccountID
		if caller == "" {
			caller = s.d.Account
		}
		if caller != s.d.Account && acct == s.d.Account {
			var policy string
			s.view(func(tx *store.Tx) error {
				if b, ok := getBus(tx, name); ok {
					policy = b.Policy
				}
				return nil
			})
			if !policyAllows(policy, c.Identity, "events:PutEvents", s.busARN(name)) {
				code, msg := accessDenied(c.Identity, s.busARN(name))
				out.Entries[i] = PutEventsResultEntry{ErrorCode: code, ErrorMessage: msg}
				out.FailedEntryCount++
				continue
			}
		}
		env := &envelope{ID: s.d.IDs.UUID(), DetailType: *e.DetailType, Source: *e.Source, Time: c.Now,
			Resources: e.Resources, Detail: compact([]byte(*e.Detail))}
		if caller != s.d.Account {
			env.Account = caller
		}
		if e.Time != nil {
			env.Time = *e.Time
		}
		out.Entries[i] = PutEventsResultEntry{EventId: env.ID}
		if acct == s.d.Account {
			s.dispatch(name, env, dispatchOpts{})
		}
	}
	return out, nil
}

// busTarget returns the account and the name of the bus an entry is for: a
// name (or nothing: default) is a bus of the caller's own account, an ARN
// names its account (and its region: a bus of another region gets an
// account that is not the world's).
func (s *Service) busTarget(nameOrARN *string, caller string) (account, name string) {
	account = caller
	if account == "" {
		account = s.d.Account
	}
	if nameOrARN != nil && strings.HasPrefix(*nameOrARN, "arn:") {
		if parts := strings.SplitN(*nameOrARN, ":", 6); len(parts) == 6 {
			account = parts[4]
			if parts[3] != s.d.Region {
				// A bus of another region: not part of the world.
				account = "region " + parts[3] + " " + account
			}
		}
	}
	return account, busName(nameOrARN)
}

// checkEntry returns the per-entry error of an invalid entry (spec 1.2).
func checkEntry(e *PutEventsRequestEntry) (code, msg string) {
	const arg = "InvalidArgument"
	switch {
	case e.Source == nil || *e.Source == "":
		return arg, "Parameter Source is not valid. Reason: Source is a required argument."
	case e.Detail == nil:
		return arg, "Parameter Detail is not valid. Reason: Detail is a required argument."
	case e.DetailType == nil || *e.DetailType == "":
		return arg, "Parameter DetailType is not valid. Reason: DetailType is a required argument."
	}
	var obj map[string]json.RawMessage
	if !utf8.ValidString(*e.Detail) || json.Unmarshal([]byte(*e.Detail), &obj) != nil || obj == nil || !int64Numbers([]byte(*e.Detail)) {
		return "MalformedDetail", "Detail is malformed."
	}
	return "", ""
}

// int64Numbers reports whether every integer in a JSON document fits a
// signed 64-bit long and the nesting stays within 1000 levels.
func int64Numbers(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err.Error() == "EOF"
		}
		switch x := tok.(type) {
		case json.Delim:
			if x == '{' || x == '[' {
				depth++
				if depth > 1000 {
					return false
				}
			} else {
				depth--
			}
		case json.Number:
			if !strings.ContainsAny(string(x), ".eE") {
				if _, err := strconv.ParseInt(string(x), 10, 64); err != nil {
					return false
				}
			}
		}
	}
}

// dispatchOpts say how an event reaches a bus.
type dispatchOpts struct {
	readOnlyAPI bool            // a read-only API call via CloudTrail
	replay      string          // the replay's name, for replayed events
	onlyRules   map[string]bool // rule ARNs a replay is limited to (nil: all)
	raw         []byte          // the event as written, for events from another bus
}

// dispatch matches an event against the enabled rules of a bus (through the
// bus's routing set, see routes), delivers it to their targets and archives
// it. It returns the number of rules matched.
func (s *Service) dispatch(busN string, env *envelope, o dispatchOpts) int {
	event := o.raw
	if event == nil {
		event = s.encode(env)
	}
	type match struct {
		r       rule
		targets []Target
		raw     []string
	}
	var matches []match
	var archives []archive
	found := true
	s.view(func(tx *store.Tx) error {
		if _, ok := getBus(tx, busN); !ok {
			found = false
			return nil
		}
		var rules []rule
		store.Prefix(tx, rulePrefix+busN+"/", func(_, v string) bool {
			var r rule
			if json.Unmarshal([]byte(v), &r) == nil && r.Bus == busN && r.enabled() && r.EventPattern != "" {
				rules = append(rules, r)
			}
			return true
		})
		// the bus's routing set decides which rules match (index, then jq)
		br := s.routes(busN, rules)
		ids, _ := br.set.Match(event, nil)
		for _, id := range ids {
			r := rules[br.rule[id]]
			if o.readOnlyAPI && r.State != EnabledAllMgmtEvent {
				continue
			}
			if o.onlyRules != nil && !o.onlyRules[s.ruleARN(busN, r.Name)] {
				continue
			}
			matches = append(matches, match{r: r})
		}
		for i := range matches {
			m := &matches[i]
			store.Prefix(tx, targetsPrefix(busN, m.r.Name), func(_, v string) bool {
				var t Target
				if json.Unmarshal([]byte(v), &t) == nil {
					m.targets = append(m.targets, t)
				}
				return true
			})
		}
		if o.replay == "" && !o.readOnlyAPI {
			store.Prefix(tx, archivePrefix, func(_, v string) bool {
				var a archive
				if json.Unmarshal([]byte(v), &a) == nil && a.Bus == busN && a.State == "ENABLED" {
					archives = append(archives, a)
				}
				return true
			})
		}
		return nil
	})
	if !found {
		return 0
	}
	if s.d.Observer != nil && o.replay == "" {
		s.d.Observer.Observe(s.busARN(busN), event)
	}
	n := 0
	at := s.now()
	for _, m := range matches {
		n++
		for _, t := range m.targets {
			s.deliver(at, busN, &m.r, t, event)
		}
	}
	for _, a := range archives {
		s.archiveEvent(&a, env, event)
	}
	return n
}

// deliver sends an event to one target of a rule, now; a failure is retried
// on the clock or sent to the dead-letter queue.
func (s *Service) deliver(at time.Time, busN string, r *rule, t Target, event []byte) {
	ruleARN := s.ruleARN(busN, r.Name)
	payload, ok := s.transform(t, event, ruleARN, r.Name, at)
	if !ok {
		s.d.Notify(at, "events: rule %s: the input transformer of target %s did not give valid JSON; the event was not delivered", r.Name, t.Id)
		return
	}
	item := &retryItem{RuleARN: ruleARN, RuleName: r.Name, TargetID: t.Id, TargetARN: t.Arn,
		Payload: string(payload), Event: string(event), Ingested: at,
		MaxAttempts: 185, MaxAge: 86400}
	if t.DeadLetterConfig != nil && t.DeadLetterConfig.Arn != nil {
		item.DLQ = *t.DeadLetterConfig.Arn
	}
	if p := t.RetryPolicy; p != nil {
		if p.MaximumRetryAttempts != nil {
			item.MaxAttempts = *p.MaximumRetryAttempts
		}
		if p.MaximumEventAgeInSeconds != nil {
			item.MaxAge = *p.MaximumEventAgeInSeconds
		}
	}
	s.attempt(at, item)
}

// retryItem is a delivery waiting for its next attempt.
type retryItem struct {
	RuleARN, RuleName, TargetID, TargetARN string
	Payload                                string
	Event                                  string
	DLQ                                    string `json:",omitempty"`
	Ingested                               time.Time
	Attempts                               int // retries made so far
	MaxAttempts                            int
	MaxAge                                 int
}

// backoff is the wait before retry n (1-based): 1, 2, 4, 8 minutes, then
// every 8 minutes, which spreads AWS's default 185 attempts over about 24
// hours. AWS adds jitter; the simulation stays deterministic.
func backoff(n int) time.Duration {
	if n > 4 {
		n = 4
	}
	return time.Duration(1<<(n-1)) * time.Minute
}

// attempt makes one delivery attempt of an item.
func (s *Service) attempt(at time.Time, it *retryItem) {
	err := s.send(it.TargetARN, []byte(it.Payload))
	if err == nil {
		if it.Attempts > 0 {
			s.d.Notify(at, "events: rule %s: delivered to %s on retry %d", it.RuleName, it.TargetARN, it.Attempts)
		}
		return
	}
	de := &DeliveryError{Code: "INTERNAL_ERROR", Message: err.Error(), Retryable: true}
	errors.As(err, &de)
	exhausted := ""
	if de.Retryable {
		next := at.Add(backoff(it.Attempts + 1))
		switch {
		case it.Attempts >= it.MaxAttempts:
			exhausted = "MaximumRetryAttempts"
		case next.Sub(it.Ingested) > time.Duration(it.MaxAge)*time.Second:
			exhausted = "MaximumEventAgeInSeconds"
		default:
			it.Attempts++
			s.update(func(tx *store.Tx) error {
				return s.addDue(tx, next, dueItem{Kind: "retry", Retry: it})
			})
			s.arm()
			s.d.Notify(at, "events: rule %s: delivery to %s failed (%s); retry %d at %s", it.RuleName, it.TargetARN, de.Code, it.Attempts, next.Format(time.RFC3339))
			return
		}
	}
	if it.DLQ == "" {
		s.d.Notify(at, "events: rule %s: delivery to %s failed (%s: %s); the event was dropped", it.RuleName, it.TargetARN, de.Code, de.Message)
		return
	}
	attrs := map[string]string{
		"RULE_ARN": it.RuleARN, "TARGET_ARN": it.TargetARN, "ERROR_CODE": de.Code,
		"ERROR_MESSAGE": de.Message, "RETRY_ATTEMPTS": strconv.Itoa(it.Attempts),
	}
	if exhausted != "" {
		attrs["EXHAUSTED_RETRY_CONDITION"] = exhausted
	}
	if s.d.Targets == nil || s.d.Targets.DeadLetter(it.DLQ, []byte(it.Event), attrs) != nil {
		s.d.Notify(at, "events: rule %s: delivery to %s failed (%s) and the dead-letter queue %s could not take the event", it.RuleName, it.TargetARN, de.Code, it.DLQ)
		return
	}
	s.d.Notify(at, "events: rule %s: delivery to %s failed (%s); the event went to the dead-letter queue %s", it.RuleName, it.TargetARN, de.Code, it.DLQ)
}

// maxBusHops bounds events forwarded from bus to bus.
const maxBusHops = 5

// send delivers a payload: to another bus of this account itself, to other
// services through Targets.
func (s *Service) send(arn string, payload []byte) error {
	if prefix := s.arn("event-bus/"); strings.HasPrefix(arn, prefix) {
		busN := arn[len(prefix):]
		exists := false
		s.view(func(tx *store.Tx) error { _, exists = getBus(tx, busN); return nil })
		if !exists {
			return &DeliveryError{Code: "NO_RESOURCE", Message: "Event bus " + busN + " does not exist."}
		}
		if s.depth >= maxBusHops {
			return &DeliveryError{Code: "NO_PERMISSIONS", Message: "The event went through too many event buses."}
		}
		var env struct {
			ID         string          `json:"id"`
			DetailType string          `json:"detail-type"`
			Source     string          `json:"source"`
			Time       string          `json:"time"`
			Resources  []string        `json:"resources"`
			Detail     json.RawMessage `json:"detail"`
		}
		if json.Unmarshal(payload, &env) != nil {
			return &DeliveryError{Code: "INVALID_PARAMETER", Message: "The event is not valid JSON."}
		}
		t, _ := time.Parse(time.RFC3339, env.Time)
		s.depth++
		defer func() { s.depth-- }()
		s.dispatch(busN, &envelope{ID: env.ID, DetailType: env.DetailType, Source: env.Source, Time: t,
			Resources: env.Resources, Detail: compact(env.Detail)}, dispatchOpts{raw: payload})
		return nil
	}
	if s.d.Targets == nil {
		return &DeliveryError{Code: "NO_RESOURCE", Message: "The target " + arn + " does not exist."}
	}
	return s.d.Targets.Deliver(arn, payload)
}

// transform applies a target's Input, InputPath or InputTransformer.
func (s *Service) transform(t Target, event []byte, ruleARN, ruleName string, at time.Time) ([]byte, bool) {
	switch {
	case t.Input != nil:
		return []byte(*t.Input), true
	case t.InputPath != nil && *t.InputPath != "":
		p, err := parsePath(*t.InputPath)
		if err != nil {
			return nil, false
		}
		v := p.eval(event)
		if v == nil {
			return nil, false
		}
		return v, true
	case t.InputTransformer != nil:
		keys := map[string]bool{}
		values := map[string][]byte{}
		for k, path := range t.InputTransformer.InputPathsMap {
			keys[k] = true
			if p, err := parsePath(path); err == nil {
				values[k] = p.eval(event)
			}
		}
		tpl, err := parseTemplate(t.InputTransformer.InputTemplate, keys)
		if err != nil {
			return nil, false
		}
		values[varRuleARN] = marshal(ruleARN)
		values[varRuleName] = marshal(ruleName)
		values[varIngestionTime] = marshal(eventTime(at))
		values[varEventJSON] = event
		values[varEvent] = eventWithoutDetail(event)
		out, ok := tpl.render(values)
		return []byte(out), ok
	}
	return event, true
}

// eventWithoutDetail is <aws.events.event>: the envelope without detail,
// detail-type written detailType, in the recorded order.
func eventWithoutDetail(event []byte) []byte {
	var obj map[string]json.RawMessage
	if json.Unmarshal(event, &obj) != nil {
		return []byte("{}")
	}
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, k := range []string{"id", "account", "detail-type", "time", "source", "region", "resources", "version"} {
		v, ok := obj[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		if k == "detail-type" {
			k = "detailType"
		}
		b.Write(marshal(k))
		b.WriteByte(':')
		b.Write(compact(v))
	}
	b.WriteByte('}')
	return b.Bytes()
}

// ServiceEvent is an event an AWS service puts on the default bus, such as
// "AWS API Call via CloudTrail".
type ServiceEvent struct {
	Source     string // aws.ec2
	DetailType string
	Detail     []byte // JSON object
	Time       time.Time
	Resources  []string
	// ReadOnlyAPI marks a read-only API call: only rules in state
	// ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS receive it.
	ReadOnlyAPI bool
}

// PutServiceEvent puts an event of an AWS service on the default bus. It is
// not an API call (nothing is recorded in CloudTrail). An event id is drawn
// only when a rule, an archive or a schema discoverer of the default bus may
// receive the event,
// so that worlds without EventBridge resources see no change.
func (s *Service) PutServiceEvent(e ServiceEvent) {
	interested := false
	s.view(func(tx *store.Tx) error {
		store.Prefix(tx, rulePrefix+DefaultBus+"/", func(_, v string) bool {
			var r rule
			if json.Unmarshal([]byte(v), &r) == nil && r.EventPattern != "" &&
				(r.State == EnabledAllMgmtEvent || r.State == Enabled && !e.ReadOnlyAPI) {
				interested = true
			}
			return !interested
		})
		if !interested && !e.ReadOnlyAPI {
			store.Prefix(tx, archivePrefix, func(_, v string) bool {
				var a archive
				if json.Unmarshal([]byte(v), &a) == nil && a.Bus == DefaultBus {
					interested = true
				}
				return !interested
			})
		}
		return nil
	})
	if !interested && s.d.Observer != nil {
		interested = s.d.Observer.Observes(s.busARN(DefaultBus))
	}
	if !interested {
		return
	}
	env := &envelope{ID: s.d.IDs.UUID(), DetailType: e.DetailType, Source: e.Source, Time: e.Time,
		Resources: e.Resources, Detail: compact(e.Detail)}
	s.dispatch(DefaultBus, env, dispatchOpts{readOnlyAPI: e.ReadOnlyAPI})
}

// ---- work on the clock ----

// dueItem is work stored under events/due/<time>/<seq>.
type dueItem struct {
	Kind   string     // schedule, retry, replay
	Bus    string     `json:",omitempty"`
	Rule   string     `json:",omitempty"`
	Retry  *retryItem `json:",omitempty"`
	Replay string     `json:",omitempty"`
}

func (s *Service) addDue(tx *store.Tx, at time.Time, it dueItem) error {
	key := fmt.Sprintf("%s%s/%012d", duePrefix, store.TimeKey(at), nextSeq(tx))
	if it.Kind == "schedule" {
		if _, _, err := tx.Set(schedPrefix+it.Bus+"/"+it.Rule, key, nil); err != nil {
			return err
		}
	}
	return store.SetJSON(tx, key, it)
}

// reschedule sets the next firing of a rule's schedule (none when the rule
// is disabled, deleted or has no schedule).
func (s *Service) reschedule(tx *store.Tx, r *rule) error {
	idx := schedPrefix + r.Bus + "/" + r.Name
	if due, err := tx.Get(idx); err == nil {
		tx.Delete(due)
		tx.Delete(idx)
	}
	if !r.enabled() || r.ScheduleExpression == "" {
		return nil
	}
	sch, err := ParseSchedule(r.ScheduleExpression)
	if err != nil {
		return nil
	}
	next, ok := sch.Next(r.Anchor, s.now())
	if !ok {
		return nil
	}
	return s.addDue(tx, next, dueItem{Kind: "schedule", Bus: r.Bus, Rule: r.Name})
}

// arm keeps one clock job at the instant of the earliest due work.
func (s *Service) arm() {
	var first string
	s.view(func(tx *store.Tx) error {
		store.Prefix(tx, duePrefix, func(k, _ string) bool { first = k; return false })
		return nil
	})
	if first == "" {
		if s.armed {
			s.d.Clock.Cancel(s.job)
			s.armed = false
		}
		return
	}
	at, err := time.Parse("2006-01-02T15:04:05.000000000Z", first[len(duePrefix):len(duePrefix)+len("2006-01-02T15:04:05.000000000Z")])
	if err != nil {
		return
	}
	if s.armed && s.jobAt.Equal(at) {
		return
	}
	if s.armed {
		s.d.Clock.Cancel(s.job)
	}
	s.jobAt, s.armed = at, true
	s.job = s.d.Clock.Schedule(at, "events: scheduled rules, retries and replays", s.runDue)
}

// runDue runs every piece of due work up to at, in key order.
func (s *Service) runDue(at time.Time) {
	s.armed = false
	cut := duePrefix + store.TimeKey(at) + "/\xff"
	for {
		var key, val string
		s.view(func(tx *store.Tx) error {
			store.Prefix(tx, duePrefix, func(k, v string) bool { key, val = k, v; return false })
			return nil
		})
		if key == "" || key > cut {
			break
		}
		var it dueItem
		bad := json.Unmarshal([]byte(val), &it) != nil
		s.update(func(tx *store.Tx) error {
			tx.Delete(key)
			if it.Kind == "schedule" {
				idx := schedPrefix + it.Bus + "/" + it.Rule
				if v, err := tx.Get(idx); err == nil && v == key {
					tx.Delete(idx)
				}
			}
			return nil
		})
		if bad {
			continue
		}
		switch it.Kind {
		case "schedule":
			s.fire(at, it.Bus, it.Rule)
		case "retry":
			if it.Retry != nil {
				s.attempt(at, it.Retry)
			}
		case "replay":
			s.runReplay(at, it.Replay)
		}
	}
	s.arm()
}

// fire runs a scheduled rule: a "Scheduled Event" to each of its targets,
// then the next firing.
func (s *Service) fire(at time.Time, busN, name string) {
	var r rule
	var targets []Target
	err := s.view(func(tx *store.Tx) error {
		if err := store.GetJSON(tx, ruleKey(busN, name), &r); err != nil {
			return err
		}
		store.Prefix(tx, targetsPrefix(busN, name), func(_, v string) bool {
			var t Target
			if json.Unmarshal([]byte(v), &t) == nil {
				targets = append(targets, t)
			}
			return true
		})
		return nil
	})
	if err != nil || !r.enabled() || r.ScheduleExpression == "" {
		return
	}
	env := &envelope{ID: s.d.IDs.UUID(), DetailType: "Scheduled Event", Source: "aws.events", Time: at,
		Resources: []string{s.ruleARN(busN, name)}, Detail: []byte("{}")}
	event := s.encode(env)
	noun := "targets"
	if len(targets) == 1 {
		noun = "target"
	}
	s.d.Notify(at, "events: rule %s fired (%s) for %d %s", name, r.ScheduleExpression, len(targets), noun)
	for _, t := range targets {
		s.deliver(at, busN, &r, t, event)
	}
	s.update(func(tx *store.Tx) error { return s.reschedule(tx, &r) })
}
