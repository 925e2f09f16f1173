package alarms

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

// maxCompositeDepth bounds the cascade of composite evaluations (rules may
// form cycles).
const maxCompositeDepth = 10

// regionNames are the long names AWS puts in alarm notifications.
var regionNames = map[string]string{
	"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)", "us-west-1": "US West (N. California)",
	"us-west-2": "US West (Oregon)", "eu-west-1": "EU (Ireland)", "eu-west-2": "EU (London)", "eu-west-3": "EU (Paris)",
	"eu-central-1": "EU (Frankfurt)", "eu-north-1": "EU (Stockholm)", "ap-northeast-1": "Asia Pacific (Tokyo)",
	"ap-northeast-2": "Asia Pacific (Seoul)", "ap-southeast-1": "Asia Pacific (Singapore)",
	"ap-southeast-2": "Asia Pacific (Sydney)", "ap-south-1": "Asia Pacific (Mumbai)", "sa-east-1": "South America (Sao Paulo)",
	"ca-central-1": "Canada (Central)",
}

func (s *Service) regionName() string {
	if n, ok := regionNames[s.d.Region]; ok {
		return n
	}
	return s.d.Region
}

// seq returns the next history sequence number.
func nextSeq(tx *store.Tx) int64 {
	var n int64
	store.GetJSON(tx, seqKey, &n)
	n++
	store.SetJSON(tx, seqKey, n)
	return n
}

// historyItem is a stored history item.
type historyItem struct {
	AlarmName       string
	AlarmType       string
	Timestamp       time.Time
	HistoryItemType string
	HistorySummary  string
	HistoryData     string
}

func (s *Service) addHistory(tx *store.Tx, a *alarm, at time.Time, typ, summary, data string) error {
	key := fmt.Sprintf("%s%s/%012d", historyPrefix, store.TimeKey(at), nextSeq(tx))
	return store.SetJSON(tx, key, historyItem{AlarmName: a.AlarmName, AlarmType: a.Type, Timestamp: at,
		HistoryItemType: typ, HistorySummary: summary, HistoryData: data})
}

func jstr(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func jstrs(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// configJSON is an alarm's configuration as history and events show it.
func configJSON(a *alarm) string {
	var b strings.Builder
	b.WriteString(`{"alarmName":` + jstr(a.AlarmName) + `,"alarmArn":` + jstr(a.AlarmArn))
	if a.AlarmDescription != nil {
		b.WriteString(`,"description":` + jstr(*a.AlarmDescription))
	}
	b.WriteString(`,"actionsEnabled":` + strconv.FormatBool(a.ActionsEnabled))
	b.WriteString(`,"okactions":` + jstrs(a.OKActions) + `,"alarmActions":` + jstrs(a.AlarmActions) +
		`,"insufficientDataActions":` + jstrs(a.InsufficientDataActions))
	if a.Type == typeComposite {
		b.WriteString(`,"alarmRule":` + jstr(a.AlarmRule))
	} else {
		b.WriteString(`,"metrics":` + metricsJSON(a))
		b.WriteString(`,"evaluationPeriods":` + strconv.FormatInt(a.EvaluationPeriods, 10))
		if a.DatapointsToAlarm != nil {
			b.WriteString(`,"datapointsToAlarm":` + strconv.FormatInt(*a.DatapointsToAlarm, 10))
		}
		if a.Threshold != nil {
			b.WriteString(`,"threshold":` + javaDouble(*a.Threshold))
		}
		b.WriteString(`,"comparisonOperator":` + jstr(a.ComparisonOperator))
		b.WriteString(`,"treatMissingData":` + jstr(treat(a)))
	}
	b.WriteString("}")
	return b.String()
}

func treat(a *alarm) string {
	if a.TreatMissingData == "" {
		return "missing"
	}
	return a.TreatMissingData
}

// metricsJSON is the "metrics" list of an alarm state change event.
func metricsJSON(a *alarm) string {
	if len(a.Metrics) == 0 {
		dims := map[string]string{}
		for _, d := range a.Dimensions {
			dims[d.Name] = d.Value
		}
		db, _ := json.Marshal(dims)
		stat := a.Statistic
		if stat == "" {
			stat = a.ExtendedStatistic
		}
		return `[{"id":"m1","metricStat":{"metric":{"namespace":` + jstr(a.Namespace) + `,"name":` + jstr(a.MetricName) +
			`,"dimensions":` + string(db) + `},"period":` + strconv.FormatInt(a.Period, 10) + `,"stat":` + jstr(stat) +
			`},"returnData":true}]`
	}
	var parts []string
	for _, q := range a.Metrics {
		ret := q.ReturnData == nil || *q.ReturnData
		p := `{"id":` + jstr(q.Id)
		if q.Expression != nil {
			p += `,"expression":` + jstr(*q.Expression)
		}
		if q.Label != nil {
			p += `,"label":` + jstr(*q.Label)
		}
		if q.MetricStat != nil && q.MetricStat.Metric != nil {
			dims := map[string]string{}
			for _, d := range q.MetricStat.Metric.Dimensions {
				dims[d.Name] = d.Value
			}
			db, _ := json.Marshal(dims)
			var period int64
			if q.MetricStat.Period != nil {
				period = *q.MetricStat.Period
			}
			p += `,"metricStat":{"metric":{"namespace":` + jstr(q.MetricStat.Metric.Namespace) + `,"name":` +
				jstr(q.MetricStat.Metric.MetricName) + `,"dimensions":` + string(db) + `},"period":` +
				strconv.FormatInt(period, 10) + `,"stat":` + jstr(q.MetricStat.Stat) + `}`
		}
		p += `,"returnData":` + strconv.FormatBool(ret) + `}`
		parts = append(parts, p)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// objectOrNull returns a JSON text as is when it is an object, else null.
func objectOrNull(s string) string {
	var v map[string]any
	if s == "" || json.Unmarshal([]byte(s), &v) != nil {
		return ""
	}
	return s
}

// changeState moves an alarm to a new state at at: history, notice, event,
// actions, and the composites that watch it.
func (s *Service) changeState(a *alarm, state, reason, data string, at time.Time) {
	old := *a
	a.StateValue, a.StateReason, a.StateReasonData = state, reason, data
	a.StateUpdatedTimestamp = at
	changed := old.StateValue != state
	if changed {
		a.StateTransitionedTimestamp = at
	}
	oldState := `{"stateValue":` + jstr(old.StateValue) + `,"stateReason":` + jstr(old.StateReason)
	if o := s.objectOrNull(old.StateReasonData); o != "" {
		oldState += `,"stateReasonData":` + o
	}
	oldState += "}"
	newState := `{"stateValue":` + jstr(state) + `,"stateReason":` + jstr(reason)
	if o := s.objectOrNull(data); o != "" {
		newState += `,"stateReasonData":` + o
	}
	newState += "}"
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if err := s.putAlarm(tx, a); err != nil {
			return err
		}
		if !changed {
			return nil
		}
		return s.addHistory(tx, a, at, "StateUpdate", fmt.Sprintf("Alarm updated from %s to %s", old.StateValue, state),
			`{"version":"1.0","oldState":`+oldState+`,"newState":`+newState+`}`)
	})
	if err != nil || !changed {
		return
	}
	s.notify(at, "cloudwatch alarm %s: %s -> %s", a.AlarmName, old.StateValue, state)
	s.emitStateChange(a, &old, at)
	if a.ActionsEnabled && a.Type == typeComposite {
		s.compositeActions(a, old.StateValue, at)
	} else if a.ActionsEnabled {
		s.runActions(a, old.StateValue, at)
	}
	// One look at the alarms serves both: updating suppressions changes
	// nothing childChanged reads (types, names and rules).
	all := s.snapshot()
	s.suppressorChanged(all, a, at)
	s.childChanged(all, a, at)
}

func (s *Service) emitStateChange(a, old *alarm, at time.Time) {
	if s.d.Emit == nil {
		return
	}
	st := func(x *alarm, ts time.Time) string {
		out := `{"value":` + jstr(x.StateValue) + `,"reason":` + jstr(x.StateReason)
		if x.StateReasonData != "" {
			out += `,"reasonData":` + jstr(x.StateReasonData)
		}
		return out + `,"timestamp":"` + awsTime(ts) + `"}`
	}
	conf := `{`
	if a.AlarmDescription != nil {
		conf += `"description":` + jstr(*a.AlarmDescription) + `,`
	}
	if a.Type == typeComposite {
		conf += `"alarmRule":` + jstr(a.AlarmRule)
	} else {
		conf += `"metrics":` + metricsJSON(a)
	}
	conf += `}`
	detail := `{"alarmName":` + jstr(a.AlarmName) + `,"state":` + st(a, at) + `,"previousState":` +
		st(old, old.StateUpdatedTimestamp) + `,"configuration":` + conf + `}`
	s.d.Emit("aws.cloudwatch", "CloudWatch Alarm State Change", []byte(detail), []string{a.AlarmArn})
}

// statisticWord is the notation of Trigger.Statistic: SAMPLE_COUNT, AVERAGE.
func statisticWord(st string) string {
	switch st {
	case "SampleCount":
		return "SAMPLE_COUNT"
	}
	return strings.ToUpper(st)
}

// message is AWS's alarm notification JSON.
func (s *Service) message(a *alarm, oldState string, at time.Time) string {
	var b strings.Builder
	desc := "null"
	if a.AlarmDescription != nil {
		desc = jstr(*a.AlarmDescription)
	}
	b.WriteString(`{"AlarmName":` + jstr(a.AlarmName) + `,"AlarmDescription":` + desc +
		`,"AWSAccountId":` + jstr(s.d.Account) +
		`,"AlarmConfigurationUpdatedTimestamp":"` + awsTime(a.AlarmConfigurationUpdatedTimestamp) + `"` +
		`,"NewStateValue":` + jstr(a.StateValue) + `,"NewStateReason":` + jstr(a.StateReason) +
		`,"StateChangeTime":"` + awsTime(a.StateUpdatedTimestamp) + `","Region":` + jstr(s.regionName()) +
		`,"AlarmArn":` + jstr(a.AlarmArn) + `,"OldStateValue":` + jstr(oldState) +
		`,"OKActions":` + jstrs(a.OKActions) + `,"AlarmActions":` + jstrs(a.AlarmActions) +
		`,"InsufficientDataActions":` + jstrs(a.InsufficientDataActions))
	if a.Type == typeComposite {
		b.WriteString(`,"AlarmRule":` + jstr(a.AlarmRule))
		if d := objectOrNull(a.StateReasonData); d != "" {
			var v struct {
				TriggeringAlarms json.RawMessage `json:"triggeringAlarms"`
			}
			json.Unmarshal([]byte(d), &v)
			if v.TriggeringAlarms != nil {
				b.WriteString(`,"TriggeringChildren":` + string(v.TriggeringAlarms))
			}
		}
		b.WriteString("}")
		return b.String()
	}
	b.WriteString(`,"ActionExecutedAfterMuteWindow":false,"Trigger":{`)
	if len(a.Metrics) == 0 {
		b.WriteString(`"MetricName":` + jstr(a.MetricName) + `,"Namespace":` + jstr(a.Namespace))
		if a.Statistic != "" {
			b.WriteString(`,"StatisticType":"Statistic","Statistic":` + jstr(statisticWord(a.Statistic)))
		} else {
			b.WriteString(`,"StatisticType":"ExtendedStatistic","ExtendedStatistic":` + jstr(a.ExtendedStatistic))
		}
		unit := "null"
		if a.Unit != "" {
			unit = jstr(a.Unit)
		}
		b.WriteString(`,"Unit":` + unit + `,"Dimensions":[`)
		for i, d := range a.Dimensions {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"value":` + jstr(d.Value) + `,"name":` + jstr(d.Name) + `}`)
		}
		b.WriteString(`],"Period":` + strconv.FormatInt(a.Period, 10) + `,`)
	} else {
		b.WriteString(`"Period":` + strconv.FormatInt(s.periodOf(a), 10) + `,`)
	}
	b.WriteString(`"EvaluationPeriods":` + strconv.FormatInt(a.EvaluationPeriods, 10))
	if a.DatapointsToAlarm != nil {
		b.WriteString(`,"DatapointsToAlarm":` + strconv.FormatInt(*a.DatapointsToAlarm, 10))
	}
	b.WriteString(`,"ComparisonOperator":` + jstr(a.ComparisonOperator))
	if a.Threshold != nil {
		b.WriteString(`,"Threshold":` + javaDouble(*a.Threshold))
	}
	if a.ThresholdMetricId != "" {
		b.WriteString(`,"ThresholdMetricId":` + jstr(a.ThresholdMetricId))
	}
	b.WriteString(`,"TreatMissingData":` + jstr(treat(a)) + `,"EvaluateLowSampleCountPercentile":` +
		jstr(a.EvaluateLowSampleCountPercentile))
	if len(a.Metrics) > 0 {
		b.WriteString(`,"Metrics":` + triggerMetricsJSON(a.Metrics))
	}
	b.WriteString(`}}`)
	return b.String()
}

// triggerMetricsJSON is the Metrics of a math alarm's notification Trigger,
// as a notification captured from AWS shows it: the API's capitalised keys
// in alphabetical order, dimensions as [{"value","name"}], after the other
// Trigger fields (unlike the EventBridge event's configuration, which
// metricsJSON writes).
func triggerMetricsJSON(qs []metricdata.MetricDataQuery) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, q := range qs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		if q.Expression != nil {
			b.WriteString(`"Expression":` + jstr(*q.Expression) + `,`)
		}
		b.WriteString(`"Id":` + jstr(q.Id))
		if q.Label != nil {
			b.WriteString(`,"Label":` + jstr(*q.Label))
		}
		if ms := q.MetricStat; ms != nil && ms.Metric != nil {
			b.WriteString(`,"MetricStat":{"Metric":{"Dimensions":[`)
			for j, d := range ms.Metric.Dimensions {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"value":` + jstr(d.Value) + `,"name":` + jstr(d.Name) + `}`)
			}
			b.WriteString(`],"MetricName":` + jstr(ms.Metric.MetricName) + `,"Namespace":` + jstr(ms.Metric.Namespace) + `}`)
			if ms.Period != nil {
				b.WriteString(`,"Period":` + strconv.FormatInt(*ms.Period, 10))
			}
			b.WriteString(`,"Stat":` + jstr(ms.Stat))
			if ms.Unit != "" {
				b.WriteString(`,"Unit":` + jstr(ms.Unit))
			}
			b.WriteByte('}')
		}
		if q.Period != nil {
			b.WriteString(`,"Period":` + strconv.FormatInt(*q.Period, 10))
		}
		b.WriteString(`,"ReturnData":` + strconv.FormatBool(q.ReturnData == nil || *q.ReturnData) + `}`)
	}
	b.WriteByte(']')
	return b.String()
}

// runActions runs the actions of the alarm's new state.
func (s *Service) runActions(a *alarm, oldState string, at time.Time) {
	var list []string
	switch a.StateValue {
	case StateAlarm:
		list = a.AlarmActions
	case StateOK:
		list = a.OKActions
	case StateInsufficient:
		list = a.InsufficientDataActions
	}
	for _, act := range list {
		var err error
		switch actionKind(act) {
		case "sns":
			if s.d.Topics == nil {
				err = fmt.Errorf("SNS is not available")
				break
			}
			subject := fmt.Sprintf("%s: %q in %s", a.StateValue, a.AlarmName, s.regionName())
			if len(subject) > 100 {
				subject = subject[:100]
			}
			err = s.d.Topics.Deliver(act, s.message(a, oldState, at), subject)
		case "ec2", "autoscaling":
			err = s.runMachineAction(a, act)
		default:
			err = fmt.Errorf("this kind of action is not simulated")
		}
		summary := "Successfully executed action " + act
		data := `{"actionState":"Succeeded","stateUpdateTimestamp":` + strconv.FormatInt(at.UnixMilli(), 10) +
			`,"notificationResource":` + jstr(act) + `}`
		if err != nil {
			summary = "Failed to execute action " + act + ". Received error: " + err.Error()
			data = `{"actionState":"Failed","stateUpdateTimestamp":` + strconv.FormatInt(at.UnixMilli(), 10) +
				`,"error":` + jstr(err.Error()) + `}`
			s.notify(at, "cloudwatch alarm %s: action %s failed: %v", a.AlarmName, act, err)
		}
		if len(summary) > 255 {
			summary = summary[:255]
		}
		s.d.Store.Update(func(tx *store.Tx) error { return s.addHistory(tx, a, at, "Action", summary, data) })
	}
}

// ec2Verb is the action of an EC2 action ARN: stop, terminate, reboot or
// recover.
func ec2Verb(arn string) string {
	if m := swfARN.FindStringSubmatch(arn); m != nil {
		return strings.ToLower(m[1])
	}
	return arn[strings.LastIndexByte(arn, ':')+1:]
}

// runMachineAction runs an EC2 or Auto Scaling action through Actions.
func (s *Service) runMachineAction(a *alarm, act string) error {
	if s.d.Actions == nil {
		return fmt.Errorf("EC2 and Auto Scaling are not available")
	}
	if actionKind(act) == "ec2" {
		for _, d := range a.Dimensions {
			if d.Name == "InstanceId" {
				return s.d.Actions.EC2Action(d.Value, ec2Verb(act))
			}
		}
		return fmt.Errorf("the alarm's metric has no InstanceId dimension")
	}
	thr := 0.0
	if a.Threshold != nil {
		thr = *a.Threshold
	}
	return s.d.Actions.ScalingPolicy(a.AlarmName, act, breachValue(a, thr), thr)
}

// breachValue is the newest evaluated datapoint of the alarm's state reason
// data (the threshold when there is none, as with missing data).
func breachValue(a *alarm, thr float64) float64 {
	var d struct {
		Recent []float64 `json:"recentDatapoints"`
	}
	if json.Unmarshal([]byte(a.StateReasonData), &d) == nil && len(d.Recent) > 0 {
		return d.Recent[len(d.Recent)-1]
	}
	return thr
}

// repeatScaling runs the Auto Scaling actions of an alarm that stays in
// ALARM: they repeat at every evaluation, unlike other actions.
func (s *Service) repeatScaling(a *alarm, at time.Time) {
	if !a.ActionsEnabled || a.StateValue != StateAlarm {
		return
	}
	for _, act := range a.AlarmActions {
		if actionKind(act) != "autoscaling" {
			continue
		}
		if err := s.runMachineAction(a, act); err != nil {
			s.notify(at, "cloudwatch alarm %s: action %s failed: %v", a.AlarmName, act, err)
		}
	}
}

// AlarmRef names an alarm.
type AlarmRef struct{ Name, ARN string }

// AlarmsWithAction lists the alarms, in name order, that name an action ARN
// in any of their action lists.
func (s *Service) AlarmsWithAction(arn string) []AlarmRef {
	var out []AlarmRef
	s.each(func(a *alarm) bool {
		for _, l := range [][]string{a.OKActions, a.AlarmActions, a.InsufficientDataActions} {
			found := false
			for _, x := range l {
				if x == arn {
					found = true
				}
			}
			if found {
				out = append(out, AlarmRef{a.AlarmName, a.AlarmArn})
				break
			}
		}
		return true
	})
	return out
}

// childChanged re-evaluates the composite alarms whose rule names a.
// all are the stored alarms, shared with the cache.
func (s *Service) childChanged(all []*alarm, a *alarm, at time.Time) {
	for _, c := range all {
		if c.Type != typeComposite {
			continue
		}
		r, err := s.rule(c.AlarmRule)
		if err != nil {
			continue
		}
		for _, ch := range r.Children {
			if s.nameOf(ch) == a.AlarmName {
				s.evalComposite(c.AlarmName, at, a)
				break
			}
		}
	}
}

// evalComposite evaluates a composite alarm's rule; trigger is the child
// whose change caused it (nil on creation or update).
func (s *Service) evalComposite(name string, at time.Time, trigger *alarm) {
	if s.depth >= maxCompositeDepth {
		return
	}
	s.depth++
	defer func() { s.depth-- }()
	c, ok := s.load(name)
	if !ok || c.Type != typeComposite {
		return
	}
	r, err := s.rule(c.AlarmRule)
	if err != nil {
		return
	}
	// The children are read only.
	states := map[string]*alarm{}
	s.d.Store.View(func(tx *store.Tx) error {
		for _, ch := range r.Children {
			if x, ok := s.shared(tx, s.nameOf(ch)); ok {
				states[ch] = x
			}
		}
		return nil
	})
	state := StateOK
	if r.Eval(func(ch string) string {
		if x, ok := states[ch]; ok {
			return x.StateValue
		}
		return ""
	}) {
		state = StateAlarm
	}
	if state == c.StateValue {
		return
	}
	var reason, data string
	if trigger == nil {
		reason = fmt.Sprintf("%s was created and its alarm rule evaluates to %s", c.AlarmArn, state)
		var parts []string
		for _, ch := range r.Children {
			if x, ok := states[ch]; ok && (x.StateValue == StateAlarm) == (state == StateAlarm) {
				parts = append(parts, `{"arn":`+jstr(x.AlarmArn)+`,"state":{"value":`+jstr(x.StateValue)+
					`,"timestamp":"`+awsTime(x.StateTransitionedTimestamp)+`"}}`)
			}
		}
		data = `{"triggeringAlarms":[` + strings.Join(parts, ",") + `]}`
	} else {
		reason = fmt.Sprintf("%s transitioned to %s at %s", trigger.AlarmArn, trigger.StateValue,
			at.UTC().Format("Monday 2 January, 2006 15:04:05 UTC"))
		data = `{"triggeringAlarms":[{"arn":` + jstr(trigger.AlarmArn) + `,"state":{"value":` + jstr(trigger.StateValue) +
			`,"timestamp":"` + awsTime(at) + `"}}]}`
	}
	s.changeState(c, state, reason, data, at)
}
