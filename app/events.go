package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/eventpattern"
	"github.com/telltale-dev/telltale/core/sqs"
)

// The tabs of the EventBridge page.
const (
	TabBuses    = "buses"
	TabRules    = "rules"
	TabSandbox  = "sandbox"
	TabSend     = "send"
	TabArchives = "archives"
)

// EventsTabs are the tabs of the EventBridge page with their labels.
var EventsTabs = []Option{
	{TabRules, "Rules"},
	{TabBuses, "Event buses"},
	{TabSandbox, "Sandbox"},
	{TabSend, "Send events"},
	{TabArchives, "Archives and replays"},
	{TabSchemas, "Schemas"},
}

// TextBox is the state of a textarea: Value is what it holds; shown is what
// the page last put in it, so that typing is never written back (go-app trims
// attribute values).
type TextBox struct {
	Value   string
	shown   string
	pending bool // the page changed the text: the next render puts it in the DOM
}

// set replaces the text (a change made by the page, not by typing).
func (b *TextBox) set(v string) { b.Value, b.shown, b.pending = v, v, true }

// EventsView is the state of the EventBridge page.
type EventsView struct {
	Tab    string
	Notice Notice

	Buses []BusRow
	// Bus is the bus whose rules are listed.
	Bus   string
	Rules []RuleRow
	// Rule is the rule whose details and targets are open.
	Rule    string
	Targets []TargetRow
	Edit    *RuleForm
	Target  TargetForm
	// Choices of targets, loaded with the rules tab.
	Queues, Topics, Functions []Choice

	NewBus string

	Sandbox Sandbox
	Send    SendForm

	Archives []ArchiveRow
	Replays  []ReplayRow
	Archive  ArchiveForm
	Replay   ReplayForm

	Schemas SchemasView
}

// Choice is a resource offered in a list: its name and ARN.
type Choice struct{ Name, Arn string }

// BusRow is an event bus as ListEventBuses returns it.
type BusRow struct{ Name, Arn, Description string }

// RuleRow is a rule as ListRules returns it.
type RuleRow struct {
	Name, Arn, EventPattern, ScheduleExpression, State, Description, EventBusName string
}

// InputTransformer is a target's input transformer.
type InputTransformer struct {
	InputPathsMap map[string]string `json:",omitempty"`
	InputTemplate string
}

// TargetRow is a target as ListTargetsByRule returns it.
type TargetRow struct {
	Id, Arn          string
	Input, InputPath string            `json:",omitempty"`
	InputTransformer *InputTransformer `json:",omitempty"`
}

// RuleForm is the rule being created or edited.
type RuleForm struct {
	New         bool
	Name        string
	Description string
	Schedule    bool // a schedule rather than a pattern
	Pattern     TextBox
	Expression  string // the schedule expression
	Enabled     bool
	// PatternErr is AWS's InvalidEventPatternException message for the
	// pattern as typed, or "".
	PatternErr string
}

// Target kinds of the add-target form.
const (
	TargetSQS    = "sqs"
	TargetSNS    = "sns"
	TargetLambda = "lambda"
	TargetBus    = "bus"
)

// Input modes of a target.
const (
	InputEvent       = "event"
	InputConstant    = "input"
	InputPathMode    = "path"
	InputTransformed = "transformer"
)

// TargetForm is the add-target form.
type TargetForm struct {
	Kind     string // TargetSQS, ...
	Arn      string
	Id       string
	Mode     string // InputEvent, ...
	Input    TextBox
	Path     string
	PathsMap TextBox
	Template TextBox
}

// Sandbox is the state of the pattern sandbox.
type Sandbox struct {
	Pattern    TextBox
	PatternErr string
	Sample     string // the name of the sample event, or "" for one's own
	Event      TextBox
	// Result is the outcome of the last test: TestEventPattern's answer and
	// the explanation, or the error.
	Tested      bool
	Result      bool
	Explanation string
	Err         string
}

// SendForm is the PutEvents form.
type SendForm struct {
	Source     string
	DetailType string
	Detail     TextBox
	Bus        string
	Resources  string // comma-separated ARNs
	// Results are the entries of the last PutEvents, one line each.
	Results []string
}

// ArchiveRow is an archive as ListArchives returns it.
type ArchiveRow struct {
	ArchiveName, EventSourceArn, State string
	RetentionDays                      int
	EventCount                         int64
	SizeBytes                          int64
	CreationTime                       time.Time
}

// ReplayRow is a replay as ListReplays returns it.
type ReplayRow struct {
	ReplayName, EventSourceArn, State, StateReason string
	EventStartTime, EventEndTime                   time.Time
	ReplayStartTime, ReplayEndTime                 time.Time
}

// ArchiveForm is the create-archive form.
type ArchiveForm struct {
	Name, Bus, Retention string
	Pattern              TextBox
}

// ReplayForm is the start-replay form.
type ReplayForm struct {
	Name, Archive string
	From, To      string // "2006-01-02T15:04" in UTC
}

func (v *EventsView) init() {
	if v.Tab == "" {
		v.Tab = TabRules
	}
	if v.Bus == "" {
		v.Bus = "default"
	}
	if v.Send.Bus == "" {
		v.Send = SendForm{Source: "com.example.orders", DetailType: "Order Placed", Bus: "default"}
		v.Send.Detail.set("{\n  \"orderId\": \"1234\",\n  \"amount\": 42.5,\n  \"status\": \"PLACED\"\n}")
	}
	if v.Sandbox.Pattern.Value == "" && v.Sandbox.Event.Value == "" {
		v.PickSample(SampleEvents[0].Name, true)
	}
	if v.Target.Kind == "" {
		v.Target.Kind, v.Target.Mode = TargetSQS, InputEvent
	}
}

// EventsLoad loads what the open tab of the EventBridge page shows, through
// the API.
func (s *Session) EventsLoad() {
	v := &s.Events
	v.init()
	switch v.Tab {
	case TabBuses, TabSend:
		s.loadBuses()
	case TabRules:
		s.loadBuses()
		s.loadRules()
	case TabArchives:
		s.loadBuses()
		s.loadArchives()
	case TabSchemas:
		s.loadBuses()
		s.loadSchemas()
	}
}

// EventsTab opens a tab of the EventBridge page.
func (s *Session) EventsTab(tab string) {
	s.Events.Tab = tab
	s.Events.Notice = Notice{}
	s.EventsLoad()
}

func (s *Session) loadBuses() {
	v := &s.Events
	var out struct{ EventBuses []BusRow }
	if err := s.call("events", "ListEventBuses", map[string]any{}, &out); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Buses = out.EventBuses
	found := false
	for _, b := range v.Buses {
		found = found || b.Name == v.Bus
	}
	if !found {
		v.Bus = "default"
	}
}

func (s *Session) loadRules() {
	v := &s.Events
	var out struct{ Rules []RuleRow }
	if err := s.call("events", "ListRules", map[string]any{"EventBusName": v.Bus}, &out); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Rules = out.Rules
	open := false
	for _, r := range v.Rules {
		open = open || r.Name == v.Rule
	}
	if !open {
		v.Rule, v.Targets = "", nil
	}
	if v.Rule != "" {
		s.loadTargets()
	}
}

func (s *Session) loadTargets() {
	v := &s.Events
	var out struct{ Targets []TargetRow }
	if err := s.call("events", "ListTargetsByRule", map[string]any{"Rule": v.Rule, "EventBusName": v.Bus}, &out); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Targets = out.Targets
}

// loadChoices lists the queues, topics and functions a target can be.
func (s *Session) loadChoices() {
	v := &s.Events
	w := s.World()
	v.Queues, v.Topics, v.Functions = nil, nil, nil
	var qs struct{ QueueUrls []string }
	if err := s.call("sqs", "ListQueues", map[string]any{}, &qs); err == nil {
		for _, u := range qs.QueueUrls {
			name := u[strings.LastIndexByte(u, '/')+1:]
			v.Queues = append(v.Queues, Choice{name, sqs.ARN(w.Region(), w.Account(), name)})
		}
	}
	var ts struct{ Topics []struct{ TopicArn string } }
	if err := s.call("sns", "ListTopics", map[string]any{}, &ts); err == nil {
		for _, t := range ts.Topics {
			v.Topics = append(v.Topics, Choice{t.TopicArn[strings.LastIndexByte(t.TopicArn, ':')+1:], t.TopicArn})
		}
	}
	var fs struct {
		Functions []struct{ FunctionName, FunctionArn string }
	}
	if err := s.call("lambda", "ListFunctions", map[string]any{}, &fs); err == nil {
		for _, f := range fs.Functions {
			v.Functions = append(v.Functions, Choice{f.FunctionName, f.FunctionArn})
		}
	}
}

// TargetChoices are the resources the add-target form offers for its kind.
func (v *EventsView) TargetChoices() []Choice {
	switch v.Target.Kind {
	case TargetSNS:
		return v.Topics
	case TargetLambda:
		return v.Functions
	case TargetBus:
		var out []Choice
		for _, b := range v.Buses {
			if b.Name != v.Bus {
				out = append(out, Choice{b.Name, b.Arn})
			}
		}
		return out
	}
	return v.Queues
}

// CreateBus creates an event bus (CreateEventBus).
func (s *Session) CreateBus(name string) {
	v := &s.Events
	name = strings.TrimSpace(name)
	if v.Notice.set(s.call("events", "CreateEventBus", map[string]any{"Name": name}, nil), "Created the event bus "+name+".") {
		v.NewBus = ""
	}
	s.loadBuses()
}

// DeleteBus deletes an event bus (DeleteEventBus).
func (s *Session) DeleteBus(name string) {
	s.Events.Notice.set(s.call("events", "DeleteEventBus", map[string]any{"Name": name}, nil), "Deleted the event bus "+name+".")
	s.loadBuses()
}

// SelectBus lists the rules of another bus.
func (s *Session) SelectBus(name string) {
	v := &s.Events
	v.Bus, v.Rule, v.Targets, v.Edit = name, "", nil, nil
	s.loadRules()
}

// OpenRule shows the details and targets of a rule (or hides them).
func (s *Session) OpenRule(name string) {
	v := &s.Events
	if v.Rule == name {
		v.Rule, v.Targets = "", nil
		return
	}
	v.Rule, v.Target.Id = name, ""
	s.loadTargets()
	s.loadChoices()
}

// patternError is the message the pattern editor shows for text: AWS's
// InvalidEventPatternException message, or "" for a valid pattern.
func patternError(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	_, err := eventpattern.Parse(text)
	if err == nil {
		return ""
	}
	var pe *eventpattern.Error
	if errors.As(err, &pe) {
		return eventpattern.ErrorCode + ": " + pe.Message()
	}
	return err.Error()
}

// NewRule opens the rule editor for a new rule.
func (s *Session) NewRule() {
	f := &RuleForm{New: true, Enabled: true}
	f.Pattern.set("{\n  \"source\": [\"com.example.orders\"]\n}")
	s.Events.Edit = f
}

// EditRule opens the rule editor on an existing rule.
func (s *Session) EditRule(name string) {
	v := &s.Events
	for _, r := range v.Rules {
		if r.Name != name {
			continue
		}
		f := &RuleForm{Name: r.Name, Description: r.Description, Expression: r.ScheduleExpression,
			Schedule: r.ScheduleExpression != "" && r.EventPattern == "", Enabled: r.State != "DISABLED"}
		f.Pattern.set(indentJSON(r.EventPattern))
		v.Edit = f
		return
	}
}

// SetRulePattern takes the pattern as typed and checks it.
func (f *RuleForm) SetRulePattern(text string) {
	f.Pattern.Value = text
	f.PatternErr = patternError(text)
}

// SaveRule creates or replaces the rule of the editor (PutRule).
func (s *Session) SaveRule() {
	v := &s.Events
	f := v.Edit
	if f == nil {
		return
	}
	in := map[string]any{"Name": strings.TrimSpace(f.Name), "EventBusName": v.Bus, "State": "ENABLED"}
	if !f.Enabled {
		in["State"] = "DISABLED"
	}
	if f.Description != "" {
		in["Description"] = f.Description
	}
	if f.Schedule {
		in["ScheduleExpression"] = strings.TrimSpace(f.Expression)
	} else {
		in["EventPattern"] = f.Pattern.Value
	}
	verb := "Updated"
	if f.New {
		verb = "Created"
	}
	name := in["Name"].(string)
	if v.Notice.set(s.call("events", "PutRule", in, nil), fmt.Sprintf("%s the rule %s on %s.", verb, name, v.Bus)) {
		v.Edit = nil
		if f.New {
			v.Rule = ""
			s.loadRules()
			s.OpenRule(name)
			return
		}
	}
	s.loadRules()
}

// SetRuleState enables or disables a rule (EnableRule, DisableRule).
func (s *Session) SetRuleState(name string, enable bool) {
	op, word := "DisableRule", "Disabled"
	if enable {
		op, word = "EnableRule", "Enabled"
	}
	s.Events.Notice.set(s.call("events", op, map[string]any{"Name": name, "EventBusName": s.Events.Bus}, nil), word+" the rule "+name+".")
	s.loadRules()
}

// DeleteRule deletes a rule (DeleteRule; AWS refuses while it has targets).
func (s *Session) DeleteRule(name string) {
	s.Events.Notice.set(s.call("events", "DeleteRule", map[string]any{"Name": name, "EventBusName": s.Events.Bus}, nil), "Deleted the rule "+name+".")
	s.loadRules()
}

// target builds the target of the add-target form.
func (f *TargetForm) target() (map[string]any, error) {
	if f.Arn == "" {
		return nil, errors.New("choose the target's resource")
	}
	id := strings.TrimSpace(f.Id)
	if id == "" {
		id = f.Arn[strings.LastIndexAny(f.Arn, ":/")+1:]
	}
	t := map[string]any{"Id": id, "Arn": f.Arn}
	switch f.Mode {
	case InputConstant:
		t["Input"] = f.Input.Value
	case InputPathMode:
		t["InputPath"] = strings.TrimSpace(f.Path)
	case InputTransformed:
		tr := map[string]any{"InputTemplate": f.Template.Value}
		if strings.TrimSpace(f.PathsMap.Value) != "" {
			var m map[string]string
			if err := json.Unmarshal([]byte(f.PathsMap.Value), &m); err != nil {
				return nil, errors.New(`the input paths map is not a JSON object of strings, as {"state": "$.detail.state"}`)
			}
			tr["InputPathsMap"] = m
		}
		t["InputTransformer"] = tr
	}
	return t, nil
}

// AddTarget adds the target of the form to the open rule (PutTargets).
func (s *Session) AddTarget() {
	v := &s.Events
	t, err := v.Target.target()
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	var out struct {
		FailedEntryCount int
		FailedEntries    []struct{ TargetId, ErrorCode, ErrorMessage string }
	}
	err = s.call("events", "PutTargets", map[string]any{"Rule": v.Rule, "EventBusName": v.Bus, "Targets": []any{t}}, &out)
	if err == nil && out.FailedEntryCount > 0 && len(out.FailedEntries) > 0 {
		fe := out.FailedEntries[0]
		err = errors.New(fe.ErrorCode + ": " + fe.ErrorMessage)
	}
	if v.Notice.set(err, fmt.Sprintf("Added the target %s to %s.", t["Id"], v.Rule)) {
		v.Target.Id = ""
	}
	s.loadTargets()
}

// RemoveTarget removes a target from the open rule (RemoveTargets).
func (s *Session) RemoveTarget(id string) {
	v := &s.Events
	v.Notice.set(s.call("events", "RemoveTargets", map[string]any{"Rule": v.Rule, "EventBusName": v.Bus, "Ids": []string{id}}, nil),
		"Removed the target "+id+" from "+v.Rule+".")
	s.loadTargets()
}

// PickSample puts a sample event in the sandbox ("" keeps the event for
// one's own); withPattern also puts its pattern.
func (v *EventsView) PickSample(name string, withPattern bool) {
	sb := &v.Sandbox
	sb.Sample, sb.Tested = name, false
	for _, e := range SampleEvents {
		if e.Name == name {
			sb.Event.set(e.Event)
			if withPattern {
				sb.Pattern.set(e.Pattern)
				sb.PatternErr = ""
			}
		}
	}
}

// SetSandboxPattern takes the sandbox's pattern as typed and checks it.
func (v *EventsView) SetSandboxPattern(text string) {
	v.Sandbox.Pattern.Value = text
	v.Sandbox.PatternErr = patternError(text)
	v.Sandbox.Tested = false
}

// TestPattern runs the sandbox through TestEventPattern, and explains the
// result with the pattern engine.
func (s *Session) TestPattern() {
	sb := &s.Events.Sandbox
	var out struct{ Result bool }
	err := s.call("events", "TestEventPattern", map[string]any{"EventPattern": sb.Pattern.Value, "Event": sb.Event.Value}, &out)
	sb.Tested, sb.Result, sb.Explanation, sb.Err = true, out.Result, "", errText(err)
	if err != nil {
		return
	}
	if p, perr := eventpattern.Parse(sb.Pattern.Value); perr == nil {
		if ex, xerr := eventpattern.Explain(p, []byte(sb.Event.Value)); xerr == nil {
			sb.Explanation = ex.String()
		}
	}
}

// SendEvent puts the event of the form on its bus (PutEvents).
func (s *Session) SendEvent() {
	v := &s.Events
	f := &v.Send
	entry := map[string]any{"Source": f.Source, "DetailType": f.DetailType, "Detail": f.Detail.Value, "EventBusName": f.Bus}
	var res []string
	for _, r := range strings.Split(f.Resources, ",") {
		if r = strings.TrimSpace(r); r != "" {
			res = append(res, r)
		}
	}
	if len(res) > 0 {
		entry["Resources"] = res
	}
	var out struct {
		FailedEntryCount int
		Entries          []struct{ EventId, ErrorCode, ErrorMessage string }
	}
	err := s.call("events", "PutEvents", map[string]any{"Entries": []any{entry}}, &out)
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	for _, e := range out.Entries {
		if e.ErrorCode != "" {
			v.Notice.set(errors.New(e.ErrorCode+": "+e.ErrorMessage), "")
			f.Results = append([]string{FormatTime(s.World().Now()) + "  failed: " + e.ErrorCode + ": " + e.ErrorMessage}, f.Results...)
		} else {
			v.Notice.set(nil, "Sent the event "+e.EventId+" to "+f.Bus+".")
			f.Results = append([]string{FormatTime(s.World().Now()) + "  " + e.EventId + "  " + f.Bus}, f.Results...)
		}
	}
	if len(f.Results) > 20 {
		f.Results = f.Results[:20]
	}
}

func (s *Session) loadArchives() {
	v := &s.Events
	var a struct{ Archives []ArchiveRow }
	if err := s.call("events", "ListArchives", map[string]any{}, &a); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Archives = a.Archives
	var r struct{ Replays []ReplayRow }
	if err := s.call("events", "ListReplays", map[string]any{}, &r); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Replays = r.Replays
	sort.SliceStable(v.Replays, func(i, j int) bool { return v.Replays[i].ReplayStartTime.After(v.Replays[j].ReplayStartTime) })
	if v.Archive.Bus == "" && len(v.Buses) > 0 {
		v.Archive.Bus = v.Buses[0].Arn
	}
	if v.Replay.Archive == "" && len(v.Archives) > 0 {
		v.Replay.Archive = v.Archives[0].ArchiveName
	}
	if v.Replay.From == "" {
		now := s.World().Now().UTC()
		v.Replay.From = now.Add(-time.Hour).Format(customLayout)
		v.Replay.To = now.Format(customLayout)
	}
}

// CreateArchive creates the archive of the form (CreateArchive).
func (s *Session) CreateArchive() {
	v := &s.Events
	f := &v.Archive
	in := map[string]any{"ArchiveName": strings.TrimSpace(f.Name), "EventSourceArn": f.Bus}
	if strings.TrimSpace(f.Pattern.Value) != "" {
		in["EventPattern"] = f.Pattern.Value
	}
	if r := strings.TrimSpace(f.Retention); r != "" {
		var n int
		if _, err := fmt.Sscan(r, &n); err != nil {
			v.Notice.set(errors.New("the retention is a number of days (0 keeps events forever)"), "")
			return
		}
		in["RetentionDays"] = n
	}
	if v.Notice.set(s.call("events", "CreateArchive", in, nil), "Created the archive "+f.Name+".") {
		f.Name = ""
		f.Pattern.set("")
	}
	s.loadArchives()
}

// StartReplay replays the events of an archive in the form's window to the
// archive's bus (StartReplay).
func (s *Session) StartReplay() {
	v := &s.Events
	f := &v.Replay
	var src string
	for _, a := range v.Archives {
		if a.ArchiveName == f.Archive {
			src = a.EventSourceArn
		}
	}
	if src == "" {
		v.Notice.set(errors.New("choose an archive"), "")
		return
	}
	from, err1 := time.Parse(customLayout, f.From)
	to, err2 := time.Parse(customLayout, f.To)
	if err1 != nil || err2 != nil {
		v.Notice.set(errors.New("the replay window needs a start and an end (UTC)"), "")
		return
	}
	arn := "arn:aws:events:" + s.World().Region() + ":" + s.World().Account() + ":archive/" + f.Archive
	in := map[string]any{"ReplayName": strings.TrimSpace(f.Name), "EventSourceArn": arn,
		"EventStartTime": from.Unix(), "EventEndTime": to.Unix(), "Destination": map[string]any{"Arn": src}}
	if v.Notice.set(s.call("events", "StartReplay", in, nil), "Started the replay "+f.Name+".") {
		f.Name = ""
	}
	s.loadArchives()
}

// CancelReplay cancels a replay (CancelReplay).
func (s *Session) CancelReplay(name string) {
	s.Events.Notice.set(s.call("events", "CancelReplay", map[string]any{"ReplayName": name}, nil), "Cancelling the replay "+name+".")
	s.loadArchives()
}
