package alarms

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

// MetricAlarm is a metric alarm as DescribeAlarms returns it.
type MetricAlarm struct {
	AlarmName                          string
	AlarmArn                           string
	AlarmDescription                   *string `json:",omitempty"`
	AlarmConfigurationUpdatedTimestamp time.Time
	ActionsEnabled                     bool
	OKActions                          []string
	AlarmActions                       []string
	InsufficientDataActions            []string
	StateValue                         string
	StateReason                        string
	StateReasonData                    string `json:",omitempty"`
	StateUpdatedTimestamp              time.Time
	MetricName                         string                 `json:",omitempty"`
	Namespace                          string                 `json:",omitempty"`
	Statistic                          string                 `json:",omitempty"`
	ExtendedStatistic                  string                 `json:",omitempty"`
	Dimensions                         []metricdata.Dimension `json:",omitempty"`
	Period                             int64                  `json:",omitempty"`
	Unit                               string                 `json:",omitempty"`
	EvaluationPeriods                  int64
	DatapointsToAlarm                  *int64   `json:",omitempty"`
	Threshold                          *float64 `json:",omitempty"`
	ComparisonOperator                 string
	TreatMissingData                   string            `json:",omitempty"`
	EvaluateLowSampleCountPercentile   string            `json:",omitempty"`
	Metrics                            []MetricDataQuery `json:",omitempty"`
	ThresholdMetricId                  string            `json:",omitempty"`
	StateTransitionedTimestamp         time.Time
}

// MetricDataQuery is a query of a math alarm as DescribeAlarms returns it.
type MetricDataQuery struct {
	Id         string
	MetricStat *MetricStat `json:",omitempty"`
	Expression *string     `json:",omitempty"`
	Label      *string     `json:",omitempty"`
	ReturnData *bool       `json:",omitempty"`
	Period     *int64      `json:",omitempty"`
	AccountId  string      `json:",omitempty"`
}

// MetricStat is the metric, period and statistic of a MetricDataQuery.
type MetricStat struct {
	Metric *metricdata.Metric `json:",omitempty"`
	Period *int64             `json:",omitempty"`
	Stat   string
	Unit   string `json:",omitempty"`
}

func queriesOut(qs []metricdata.MetricDataQuery) []MetricDataQuery {
	var out []MetricDataQuery
	for _, q := range qs {
		o := MetricDataQuery{Id: q.Id, Expression: q.Expression, Label: q.Label, ReturnData: q.ReturnData,
			Period: q.Period, AccountId: q.AccountId}
		if q.MetricStat != nil {
			o.MetricStat = &MetricStat{Metric: q.MetricStat.Metric, Period: q.MetricStat.Period,
				Stat: q.MetricStat.Stat, Unit: q.MetricStat.Unit}
		}
		out = append(out, o)
	}
	return out
}

// CompositeAlarm is a composite alarm as DescribeAlarms returns it.
type CompositeAlarm struct {
	ActionsEnabled                     bool
	AlarmActions                       []string
	AlarmArn                           string
	AlarmConfigurationUpdatedTimestamp time.Time
	AlarmDescription                   *string `json:",omitempty"`
	AlarmName                          string
	AlarmRule                          string
	InsufficientDataActions            []string
	OKActions                          []string
	StateReason                        string
	StateReasonData                    string `json:",omitempty"`
	StateUpdatedTimestamp              time.Time
	StateValue                         string
	StateTransitionedTimestamp         time.Time
	ActionsSuppressedBy                string `json:",omitempty"`
	ActionsSuppressedReason            string `json:",omitempty"`
	ActionsSuppressor                  string `json:",omitempty"`
	ActionsSuppressorWaitPeriod        *int64 `json:",omitempty"`
	ActionsSuppressorExtensionPeriod   *int64 `json:",omitempty"`
}

func (a *alarm) metricOut() MetricAlarm {
	return MetricAlarm{AlarmName: a.AlarmName, AlarmArn: a.AlarmArn, AlarmDescription: a.AlarmDescription,
		AlarmConfigurationUpdatedTimestamp: a.AlarmConfigurationUpdatedTimestamp, ActionsEnabled: a.ActionsEnabled,
		OKActions: nonNil(a.OKActions), AlarmActions: nonNil(a.AlarmActions), InsufficientDataActions: nonNil(a.InsufficientDataActions),
		StateValue: a.StateValue, StateReason: a.StateReason, StateReasonData: a.StateReasonData,
		StateUpdatedTimestamp: a.StateUpdatedTimestamp, MetricName: a.MetricName, Namespace: a.Namespace,
		Statistic: a.Statistic, ExtendedStatistic: a.ExtendedStatistic, Dimensions: a.Dimensions, Period: a.Period,
		Unit: a.Unit, EvaluationPeriods: a.EvaluationPeriods, DatapointsToAlarm: a.DatapointsToAlarm,
		Threshold: a.Threshold, ComparisonOperator: a.ComparisonOperator, TreatMissingData: a.TreatMissingData,
		EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile, Metrics: queriesOut(a.Metrics),
		ThresholdMetricId: a.ThresholdMetricId, StateTransitionedTimestamp: a.StateTransitionedTimestamp}
}

func (a *alarm) compositeOut() CompositeAlarm {
	c := CompositeAlarm{ActionsEnabled: a.ActionsEnabled, AlarmActions: nonNil(a.AlarmActions), AlarmArn: a.AlarmArn,
		AlarmConfigurationUpdatedTimestamp: a.AlarmConfigurationUpdatedTimestamp, AlarmDescription: a.AlarmDescription,
		AlarmName: a.AlarmName, AlarmRule: a.AlarmRule, InsufficientDataActions: nonNil(a.InsufficientDataActions),
		OKActions: nonNil(a.OKActions), StateReason: a.StateReason, StateReasonData: a.StateReasonData,
		StateUpdatedTimestamp: a.StateUpdatedTimestamp, StateValue: a.StateValue,
		StateTransitionedTimestamp: a.StateTransitionedTimestamp, ActionsSuppressor: a.ActionsSuppressor,
		ActionsSuppressorWaitPeriod: a.ActionsSuppressorWaitPeriod, ActionsSuppressorExtensionPeriod: a.ActionsSuppressorExtensionPeriod}
	c.ActionsSuppressedBy, c.ActionsSuppressedReason = a.ActionsSuppressedBy, a.ActionsSuppressedReason
	return c
}

// DescribeAlarmsInput is the request of DescribeAlarms.
type DescribeAlarmsInput struct {
	AlarmNames          []string
	AlarmNamePrefix     string
	AlarmTypes          []string
	ChildrenOfAlarmName string
	ParentsOfAlarmName  string
	StateValue          string
	ActionPrefix        string
	MaxRecords          *int64
	NextToken           string
}

// DescribeAlarmsOutput is the response of DescribeAlarms.
type DescribeAlarmsOutput struct {
	CompositeAlarms []CompositeAlarm
	MetricAlarms    []MetricAlarm
	NextToken       string `json:",omitempty"`
}

func checkState(v string) error {
	switch v {
	case "", StateOK, StateAlarm, StateInsufficient:
		return nil
	}
	return errInvalid("The value %s for parameter StateValue is invalid.", v)
}

// DescribeAlarms lists alarms by name, prefix, type, state, action prefix,
// or the children or parents of a composite alarm, in name order.
func (s *Service) DescribeAlarms(c *api.Call, in *DescribeAlarmsInput) (*DescribeAlarmsOutput, error) {
	if len(in.AlarmNames) > 100 {
		return nil, errInvalid("The collection AlarmNames must not have a size greater than 100.")
	}
	if len(in.AlarmNames) > 0 && in.AlarmNamePrefix != "" {
		return nil, errCombination("AlarmNames and AlarmNamePrefix cannot be specified together.")
	}
	if in.ChildrenOfAlarmName != "" && in.ParentsOfAlarmName != "" {
		return nil, errCombination("ChildrenOfAlarmName and ParentsOfAlarmName cannot be specified together.")
	}
	if (in.ChildrenOfAlarmName != "" || in.ParentsOfAlarmName != "") &&
		(len(in.AlarmNames) > 0 || in.AlarmNamePrefix != "" || in.StateValue != "" || in.ActionPrefix != "") {
		return nil, errCombination("ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with other filters except AlarmTypes.")
	}
	if err := checkState(in.StateValue); err != nil {
		return nil, err
	}
	max := int64(50)
	if in.MaxRecords != nil {
		if *in.MaxRecords < 1 || *in.MaxRecords > 100 {
			return nil, errInvalid("The parameter MaxRecords must be between 1 and 100.")
		}
		max = *in.MaxRecords
	}
	wantMetric, wantComposite := len(in.AlarmTypes) == 0, false
	if len(in.AlarmTypes) == 0 && (in.ChildrenOfAlarmName != "" || in.ParentsOfAlarmName != "") {
		// The children of a composite alarm are metric or composite alarms,
		// its parents composite alarms; AWS allows no AlarmTypes with these
		// filters, so they cannot default to metric alarms only.
		wantComposite = true
	}
	for _, t := range in.AlarmTypes {
		switch t {
		case typeMetric:
			wantMetric = true
		case typeComposite:
			wantComposite = true
		default:
			return nil, errInvalid("The value %s for parameter AlarmTypes is invalid.", t)
		}
	}
	names := map[string]bool{}
	for _, n := range in.AlarmNames {
		names[n] = true
	}
	all := s.all()
	byName := map[string]*alarm{}
	for _, a := range all {
		byName[a.AlarmName] = a
	}
	var children map[string]bool
	if in.ChildrenOfAlarmName != "" {
		children = map[string]bool{}
		if p, ok := byName[in.ChildrenOfAlarmName]; ok && p.Type == typeComposite {
			if r, err := ParseRule(p.AlarmRule); err == nil {
				for _, ch := range r.Children {
					// never the composite itself, even in a cycle
					if n := s.nameOf(ch); n != in.ChildrenOfAlarmName {
						children[n] = true
					}
				}
			}
		}
	}
	parents := map[string]bool{}
	if in.ParentsOfAlarmName != "" {
		for _, a := range all {
			if a.Type != typeComposite {
				continue
			}
			if r, err := ParseRule(a.AlarmRule); err == nil {
				for _, ch := range r.Children {
					if s.nameOf(ch) == in.ParentsOfAlarmName && a.AlarmName != in.ParentsOfAlarmName {
						parents[a.AlarmName] = true
					}
				}
			}
		}
	}
	out := &DescribeAlarmsOutput{CompositeAlarms: []CompositeAlarm{}, MetricAlarms: []MetricAlarm{}}
	var n int64
	for _, a := range all {
		if in.NextToken != "" && a.AlarmName <= in.NextToken {
			continue
		}
		if a.Type == typeMetric && !wantMetric || a.Type == typeComposite && !wantComposite {
			continue
		}
		if len(names) > 0 && !names[a.AlarmName] || !strings.HasPrefix(a.AlarmName, in.AlarmNamePrefix) {
			continue
		}
		if in.StateValue != "" && a.StateValue != in.StateValue {
			continue
		}
		if children != nil && !children[a.AlarmName] || in.ParentsOfAlarmName != "" && !parents[a.AlarmName] {
			continue
		}
		if in.ActionPrefix != "" && !hasActionPrefix(a, in.ActionPrefix) {
			continue
		}
		if n == max {
			out.NextToken = prevName(out)
			break
		}
		n++
		if a.Type == typeMetric {
			out.MetricAlarms = append(out.MetricAlarms, a.metricOut())
		} else {
			out.CompositeAlarms = append(out.CompositeAlarms, a.compositeOut())
		}
	}
	return out, nil
}

// prevName is the name of the last alarm of a page (names are unique across
// both types and listed in name order).
func prevName(o *DescribeAlarmsOutput) string {
	last := ""
	for _, a := range o.MetricAlarms {
		if a.AlarmName > last {
			last = a.AlarmName
		}
	}
	for _, a := range o.CompositeAlarms {
		if a.AlarmName > last {
			last = a.AlarmName
		}
	}
	return last
}

func hasActionPrefix(a *alarm, p string) bool {
	for _, l := range [][]string{a.OKActions, a.AlarmActions, a.InsufficientDataActions} {
		for _, x := range l {
			if strings.HasPrefix(x, p) {
				return true
			}
		}
	}
	return false
}

// DescribeAlarmsForMetricInput is the request of DescribeAlarmsForMetric.
type DescribeAlarmsForMetricInput struct {
	MetricName        string
	Namespace         string
	Statistic         string
	ExtendedStatistic string
	Dimensions        []metricdata.Dimension
	Period            *int64
	Unit              string
}

// DescribeAlarmsForMetricOutput is the response of DescribeAlarmsForMetric.
type DescribeAlarmsForMetricOutput struct {
	MetricAlarms []MetricAlarm
}

func sameDims(a, b []metricdata.Dimension) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]string{}
	for _, d := range a {
		m[d.Name] = d.Value
	}
	for _, d := range b {
		if v, ok := m[d.Name]; !ok || v != d.Value {
			return false
		}
	}
	return true
}

// DescribeAlarmsForMetric lists the single-metric alarms on a metric.
func (s *Service) DescribeAlarmsForMetric(c *api.Call, in *DescribeAlarmsForMetricInput) (*DescribeAlarmsForMetricOutput, error) {
	if in.MetricName == "" {
		return nil, errMissing("The parameter MetricName is required.")
	}
	if in.Namespace == "" {
		return nil, errMissing("The parameter Namespace is required.")
	}
	out := &DescribeAlarmsForMetricOutput{MetricAlarms: []MetricAlarm{}}
	for _, a := range s.all() {
		if a.Type != typeMetric || len(a.Metrics) > 0 || a.MetricName != in.MetricName || a.Namespace != in.Namespace {
			continue
		}
		if in.Statistic != "" && a.Statistic != in.Statistic || in.ExtendedStatistic != "" && a.ExtendedStatistic != in.ExtendedStatistic {
			continue
		}
		if in.Period != nil && a.Period != *in.Period || in.Unit != "" && a.Unit != in.Unit {
			continue
		}
		if len(in.Dimensions) > 0 && !sameDims(a.Dimensions, in.Dimensions) {
			continue
		}
		out.MetricAlarms = append(out.MetricAlarms, a.metricOut())
	}
	return out, nil
}

// DescribeAlarmHistoryInput is the request of DescribeAlarmHistory.
type DescribeAlarmHistoryInput struct {
	AlarmName          string
	AlarmContributorId string
	AlarmTypes         []string
	HistoryItemType    string
	StartDate          *time.Time
	EndDate            *time.Time
	MaxRecords         *int64
	NextToken          string
	ScanBy             string
}

// AlarmHistoryItem is one item of an alarm's history.
type AlarmHistoryItem struct {
	AlarmName       string
	AlarmType       string
	Timestamp       time.Time
	HistoryItemType string
	HistorySummary  string
	HistoryData     string
}

// DescribeAlarmHistoryOutput is the response of DescribeAlarmHistory.
type DescribeAlarmHistoryOutput struct {
	AlarmHistoryItems []AlarmHistoryItem
	NextToken         string `json:",omitempty"`
}

// HistoryRetention is how long history items are kept.
const HistoryRetention = 14 * 24 * time.Hour

// DescribeAlarmHistory lists history items, newest first by default. With
// no AlarmTypes only metric alarms' items are listed.
func (s *Service) DescribeAlarmHistory(c *api.Call, in *DescribeAlarmHistoryInput) (*DescribeAlarmHistoryOutput, error) {
	switch in.HistoryItemType {
	case "", "ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate", "AlarmContributorAction":
	default:
		return nil, errInvalid("The value %s for parameter HistoryItemType is invalid.", in.HistoryItemType)
	}
	scan := in.ScanBy
	if scan == "" {
		scan = "TimestampDescending"
	}
	if scan != "TimestampDescending" && scan != "TimestampAscending" {
		return nil, errInvalid("The value %s for parameter ScanBy is invalid.", in.ScanBy)
	}
	max := int64(100)
	if in.MaxRecords != nil {
		if *in.MaxRecords < 1 || *in.MaxRecords > 100 {
			return nil, errInvalid("The parameter MaxRecords must be between 1 and 100.")
		}
		max = *in.MaxRecords
	}
	types := map[string]bool{}
	for _, t := range in.AlarmTypes {
		if t != typeMetric && t != typeComposite {
			return nil, errInvalid("The value %s for parameter AlarmTypes is invalid.", t)
		}
		types[t] = true
	}
	if len(types) == 0 {
		types[typeMetric] = true
	}
	skip := 0
	if in.NextToken != "" {
		n, err := strconv.Atoi(in.NextToken)
		if err != nil || n < 0 {
			return nil, awsInvalidToken()
		}
		skip = n
	}
	cutoff := c.Now.Add(-HistoryRetention)
	var items []AlarmHistoryItem
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, historyPrefix, func(_, v string) bool {
			var h historyItem
			if json.Unmarshal([]byte(v), &h) != nil {
				return true
			}
			if h.Timestamp.Before(cutoff) || !types[h.AlarmType] ||
				in.AlarmName != "" && h.AlarmName != in.AlarmName ||
				in.HistoryItemType != "" && h.HistoryItemType != in.HistoryItemType ||
				in.StartDate != nil && h.Timestamp.Before(*in.StartDate) ||
				in.EndDate != nil && h.Timestamp.After(*in.EndDate) {
				return true
			}
			items = append(items, AlarmHistoryItem(h))
			return true
		})
	})
	if scan == "TimestampDescending" {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
	}
	out := &DescribeAlarmHistoryOutput{AlarmHistoryItems: []AlarmHistoryItem{}}
	if skip > len(items) {
		skip = len(items)
	}
	items = items[skip:]
	if int64(len(items)) > max {
		items = items[:max]
		out.NextToken = strconv.Itoa(skip + int(max))
	}
	out.AlarmHistoryItems = append(out.AlarmHistoryItems, items...)
	return out, nil
}

func awsInvalidToken() error {
	return errInvalid("The value for parameter NextToken is invalid.")
}

// SetAlarmStateInput is the request of SetAlarmState.
type SetAlarmStateInput struct {
	AlarmName       string
	StateValue      string
	StateReason     string
	StateReasonData *string
}

// SetAlarmState sets an alarm's state; a metric alarm returns to its
// evaluated state at the next evaluation.
func (s *Service) SetAlarmState(c *api.Call, in *SetAlarmStateInput) (*struct{}, error) {
	if in.StateValue == "" {
		return nil, errMissing("The parameter StateValue is required.")
	}
	if err := checkState(in.StateValue); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(in.StateReason) > 1023 {
		return nil, errInvalid("The parameter StateReason must not be longer than 1023 characters.")
	}
	data := ""
	if in.StateReasonData != nil {
		data = *in.StateReasonData
		var v any
		if len(data) > 4000 {
			return nil, errInvalid("The parameter StateReasonData must not be longer than 4000 characters.")
		}
		if json.Unmarshal([]byte(data), &v) != nil {
			return nil, awsInvalidFormat()
		}
	}
	a, ok := s.load(in.AlarmName)
	if !ok {
		return nil, errNotFound("Alarm %s not found", in.AlarmName)
	}
	s.changeState(a, in.StateValue, in.StateReason, data, c.Now)
	return &struct{}{}, nil
}

func awsInvalidFormat() error {
	return awserr.BadRequest("InvalidFormat", "StateReasonData is not valid JSON.")
}

// AlarmNamesInput is the request of Enable/DisableAlarmActions and
// DeleteAlarms.
type AlarmNamesInput struct {
	AlarmNames []string
}

func (s *Service) setActions(names []string, on bool) error {
	if len(names) > 100 {
		return errInvalid("The collection AlarmNames must not have a size greater than 100.")
	}
	return s.d.Store.Update(func(tx *store.Tx) error {
		for _, n := range names {
			if a, ok := getAlarm(tx, n); ok && a.ActionsEnabled != on {
				a.ActionsEnabled = on
				if err := s.putAlarm(tx, a); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// EnableAlarmActions turns the actions of alarms on; unknown names are
// ignored.
func (s *Service) EnableAlarmActions(c *api.Call, in *AlarmNamesInput) (*struct{}, error) {
	if err := s.setActions(in.AlarmNames, true); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// DisableAlarmActions turns the actions of alarms off; unknown names are
// ignored.
func (s *Service) DisableAlarmActions(c *api.Call, in *AlarmNamesInput) (*struct{}, error) {
	if err := s.setActions(in.AlarmNames, false); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// DeleteAlarms deletes alarms; an unknown name fails the whole call with
// ResourceNotFound. History is kept.
func (s *Service) DeleteAlarms(c *api.Call, in *AlarmNamesInput) (*struct{}, error) {
	if len(in.AlarmNames) > 100 {
		return nil, errInvalid("The collection AlarmNames must not have a size greater than 100.")
	}
	held := s.heldByComposites(in.AlarmNames)
	err := s.d.Store.Update(func(tx *store.Tx) error {
		var found []*alarm
		for _, n := range in.AlarmNames {
			a, ok := getAlarm(tx, n)
			if !ok {
				return errNotFound("1 alarms not found: [%s]", n)
			}
			found = append(found, a)
		}
		if len(held) > 0 {
			// AWS's wording, as reported by its users; nothing is deleted.
			pronoun := "it"
			if len(held) > 1 {
				pronoun = "them"
			}
			return awserr.BadRequest("ValidationError", "Cannot delete "+strings.Join(held, ",")+
				" as there are composite alarm(s) depending on "+pronoun+".")
		}
		for _, a := range found {
			if _, err := tx.Delete(alarmPrefix + a.AlarmName); err != nil {
				return err
			}
			data := `{"version":"1.0","type":"Delete","deletedAlarm":` + configJSON(a) + `}`
			if err := s.addHistory(tx, a, c.Now, "ConfigurationUpdate", "Alarm \""+a.AlarmName+"\" deleted", data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, n := range in.AlarmNames {
		s.unschedule(n)
	}
	return &struct{}{}, nil
}

// heldByComposites returns, in request order, the names among names that
// the rule of a composite alarm not itself in names refers to: AWS refuses
// to delete them (which also keeps the alarms of a cycle).
func (s *Service) heldByComposites(names []string) []string {
	deleting := map[string]bool{}
	for _, n := range names {
		deleting[n] = true
	}
	referenced := map[string]bool{}
	for _, a := range s.all() {
		if a.Type != typeComposite || deleting[a.AlarmName] {
			continue
		}
		if r, err := ParseRule(a.AlarmRule); err == nil {
			for _, ch := range r.Children {
				referenced[s.nameOf(ch)] = true
			}
		}
	}
	var held []string
	for _, n := range names {
		if referenced[n] {
			held = append(held, n)
			referenced[n] = false
		}
	}
	return held
}

// TagResourceInput is the request of TagResource.
type TagResourceInput struct {
	ResourceARN string
	Tags        []Tag
}

// UntagResourceInput is the request of UntagResource.
type UntagResourceInput struct {
	ResourceARN string
	TagKeys     []string
}

// ListTagsForResourceInput is the request of ListTagsForResource.
type ListTagsForResourceInput struct {
	ResourceARN string
}

// ListTagsForResourceOutput is the response of ListTagsForResource.
type ListTagsForResourceOutput struct {
	Tags []Tag
}

func (s *Service) withAlarm(arn string, fn func(a *alarm) error) error {
	if !strings.HasPrefix(arn, s.arn("")) {
		return errNotFound("Unknown resource %s", arn)
	}
	return s.d.Store.Update(func(tx *store.Tx) error {
		a, ok := getAlarm(tx, s.nameOf(arn))
		if !ok {
			return errNotFound("Unknown resource %s", arn)
		}
		if err := fn(a); err != nil {
			return err
		}
		return s.putAlarm(tx, a)
	})
}

// TagResource adds or replaces tags of an alarm.
func (s *Service) TagResource(c *api.Call, in *TagResourceInput) (*struct{}, error) {
	err := s.withAlarm(in.ResourceARN, func(a *alarm) error {
		for _, t := range in.Tags {
			replaced := false
			for i := range a.Tags {
				if a.Tags[i].Key == t.Key {
					a.Tags[i].Value, replaced = t.Value, true
				}
			}
			if !replaced {
				a.Tags = append(a.Tags, t)
			}
		}
		if len(a.Tags) > 50 {
			return errInvalid("The collection Tags must not have a size greater than 50.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// UntagResource removes tags of an alarm.
func (s *Service) UntagResource(c *api.Call, in *UntagResourceInput) (*struct{}, error) {
	drop := map[string]bool{}
	for _, k := range in.TagKeys {
		drop[k] = true
	}
	err := s.withAlarm(in.ResourceARN, func(a *alarm) error {
		var kept []Tag
		for _, t := range a.Tags {
			if !drop[t.Key] {
				kept = append(kept, t)
			}
		}
		a.Tags = kept
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// ListTagsForResource lists an alarm's tags.
func (s *Service) ListTagsForResource(c *api.Call, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	out := &ListTagsForResourceOutput{Tags: []Tag{}}
	err := s.withAlarm(in.ResourceARN, func(a *alarm) error {
		out.Tags = append(out.Tags, a.Tags...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
