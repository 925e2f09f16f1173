package alarms

import (
	"errors"
	"fmt"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/metricmath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

// PutMetricAlarmInput is the request of PutMetricAlarm.
type PutMetricAlarmInput struct {
	AlarmName                        string
	AlarmDescription                 *string
	ActionsEnabled                   *bool
	OKActions                        []string
	AlarmActions                     []string
	InsufficientDataActions          []string
	MetricName                       string
	Namespace                        string
	Statistic                        string
	ExtendedStatistic                string
	Dimensions                       []metricdata.Dimension
	Period                           *int64
	Unit                             string
	EvaluationPeriods                *int64
	DatapointsToAlarm                *int64
	Threshold                        *float64
	ComparisonOperator               string
	TreatMissingData                 string
	EvaluateLowSampleCountPercentile string
	Metrics                          []metricdata.MetricDataQuery
	Tags                             []Tag
	ThresholdMetricId                string
	EvaluationCriteria               any
	EvaluationInterval               *int64
}

var (
	staticOperators = map[string]bool{"GreaterThanOrEqualToThreshold": true, "GreaterThanThreshold": true,
		"LessThanThreshold": true, "LessThanOrEqualToThreshold": true}
	bandOperators = map[string]bool{"LessThanLowerOrGreaterThanUpperThreshold": true,
		"LessThanLowerThreshold": true, "GreaterThanUpperThreshold": true}
	treatments = map[string]bool{"missing": true, "notBreaching": true, "breaching": true, "ignore": true}
)

func checkName(name string) error {
	if name == "" {
		return errMissing("The parameter AlarmName is required.")
	}
	if utf8.RuneCountInString(name) > 255 || !utf8.ValidString(name) {
		return errInvalid("The parameter AlarmName must be between 1 and 255 characters long.")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return errInvalid("The parameter AlarmName must not contain ASCII control characters.")
		}
	}
	return nil
}

var (
	snsARN       = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`)
	lambdaARN    = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$`)
	ec2ARN       = regexp.MustCompile(`^arn:aws[a-z-]*:automate:[a-z0-9-]+:ec2:(stop|terminate|reboot|recover)$`)
	swfARN       = regexp.MustCompile(`^arn:aws[a-z-]*:swf:[a-z0-9-]+:\d{12}:action/actions/AWS_EC2\.InstanceId\.(Stop|Terminate|Reboot|Recover)/1\.0$`)
	scalingARN   = regexp.MustCompile(`^arn:aws[a-z-]*:autoscaling:[a-z0-9-]+:\d{12}:scalingPolicy:[^:]+:(autoScalingGroupName|resource)/.+:policyName/.+$`)
	opsItemARN   = regexp.MustCompile(`^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:opsitem:[1-4](#CATEGORY=\w+)?$`)
	incidentARN  = regexp.MustCompile(`^arn:aws[a-z-]*:ssm-incidents::\d{12}:response-plan/.+$`)
	aiopsARN     = regexp.MustCompile(`^arn:aws[a-z-]*:aiops:[a-z0-9-]+:\d{12}:investigation-group/.+$`)
	actionKindOf = []struct {
		re   *regexp.Regexp
		kind string
	}{{snsARN, "sns"}, {lambdaARN, "lambda"}, {ec2ARN, "ec2"}, {swfARN, "ec2"}, {scalingARN, "autoscaling"},
		{opsItemARN, "ssm"}, {incidentARN, "ssm"}, {aiopsARN, "aiops"}}
)

// actionKind classifies an action ARN: sns, lambda, ec2, autoscaling, ssm,
// aiops, or "" for an invalid one.
func actionKind(a string) string {
	for _, k := range actionKindOf {
		if k.re.MatchString(a) {
			return k.kind
		}
	}
	return ""
}

// checkActions validates the three action lists; composite alarms take no
// EC2 or Auto Scaling actions.
func checkActions(composite, math, band bool, hasInstance bool, lists map[string][]string) error {
	for _, field := range []string{"OKActions", "AlarmActions", "InsufficientDataActions"} {
		l := lists[field]
		if len(l) > 5 {
			return errInvalid("The collection %s must not have a size greater than 5.", field)
		}
		for _, a := range l {
			if len(a) < 1 || len(a) > 1024 {
				return errInvalid("The parameter %s must be between 1 and 1024 characters long.", field)
			}
			k := actionKind(a)
			switch {
			case k == "":
				return errInvalid("Invalid arn syntax: %s", a)
			case k == "aiops" && field != "AlarmActions":
				return errInvalid("Investigation group actions are only supported in AlarmActions: %s", a)
			case composite && (k == "ec2" || k == "autoscaling"):
				return errInvalid("Composite alarms do not support EC2 or Auto Scaling actions: %s", a)
			case k == "ec2" && math:
				return errInvalid("EC2 actions are not supported for alarms on metric math expressions: %s", a)
			case k == "ec2" && !hasInstance:
				// AWS's wording (CloudFormation reports of the error).
				return awserr.BadRequest("ValidationError", "Invalid use of EC2 action. An EC2 action can only be used if the alarm is monitoring an EC2 instance.")
			case k == "autoscaling" && band:
				return errInvalid("Auto Scaling actions are not supported for anomaly detection alarms: %s", a)
			}
		}
	}
	return nil
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// PutMetricAlarm creates or replaces a metric alarm. A new alarm starts in
// INSUFFICIENT_DATA; an update keeps the state.
func (s *Service) PutMetricAlarm(c *api.Call, in *PutMetricAlarmInput) (*struct{}, error) {
	if err := checkName(in.AlarmName); err != nil {
		return nil, err
	}
	if in.AlarmDescription != nil && utf8.RuneCountInString(*in.AlarmDescription) > 1024 {
		return nil, errInvalid("The parameter AlarmDescription must not be longer than 1024 characters.")
	}
	if in.EvaluationCriteria != nil || in.EvaluationInterval != nil {
		return nil, errInvalid("PromQL alarms (EvaluationCriteria) are not supported in this simulator.")
	}
	if in.EvaluationPeriods == nil {
		return nil, errMissing("The parameter EvaluationPeriods is required.")
	}
	if *in.EvaluationPeriods < 1 {
		return nil, errInvalid("The parameter EvaluationPeriods must be greater than or equal to 1.")
	}
	if in.DatapointsToAlarm != nil {
		if *in.DatapointsToAlarm < 1 {
			return nil, errInvalid("The parameter DatapointsToAlarm must be greater than or equal to 1.")
		}
		if *in.DatapointsToAlarm > *in.EvaluationPeriods {
			return nil, errInvalid("DatapointsToAlarm must be less than or equal to EvaluationPeriods.")
		}
	}
	if in.ComparisonOperator == "" {
		return nil, errMissing("The parameter ComparisonOperator is required.")
	}
	band := bandOperators[in.ComparisonOperator]
	if !band && !staticOperators[in.ComparisonOperator] {
		return nil, errInvalid("The value %s for parameter ComparisonOperator is invalid.", in.ComparisonOperator)
	}
	if in.TreatMissingData != "" && !treatments[in.TreatMissingData] {
		return nil, errInvalid("The value %s for parameter TreatMissingData is invalid. Valid values are: missing, notBreaching, breaching, ignore.", in.TreatMissingData)
	}
	if e := in.EvaluateLowSampleCountPercentile; e != "" && e != "evaluate" && e != "ignore" {
		return nil, errInvalid("The value %s for parameter EvaluateLowSampleCountPercentile is invalid. Valid values are: evaluate, ignore.", e)
	}
	if len(in.Tags) > 50 {
		return nil, errInvalid("The collection Tags must not have a size greater than 50.")
	}
	math := len(in.Metrics) > 0
	var period int64
	if math {
		if in.MetricName != "" || in.Namespace != "" || in.Statistic != "" || in.ExtendedStatistic != "" ||
			len(in.Dimensions) > 0 || in.Period != nil || in.Unit != "" {
			return nil, errCombination("Metrics list cannot be combined with MetricName, Namespace, Dimensions, Period, Unit, Statistic or ExtendedStatistic.")
		}
		p, err := checkMathQueries(in.Metrics, in.ThresholdMetricId, band)
		if err != nil {
			return nil, err
		}
		period = p
	} else {
		if in.MetricName == "" {
			return nil, errMissing("The parameter MetricName is required.")
		}
		if in.Namespace == "" {
			return nil, errMissing("The parameter Namespace is required.")
		}
		if in.Period == nil {
			return nil, errMissing("The parameter Period is required.")
		}
		if in.Statistic != "" && in.ExtendedStatistic != "" {
			return nil, errCombination("Statistic and ExtendedStatistic cannot both be specified.")
		}
		if in.Statistic == "" && in.ExtendedStatistic == "" {
			return nil, errMissing("Either Statistic or ExtendedStatistic must be specified.")
		}
		if in.Statistic != "" {
			switch in.Statistic {
			case "SampleCount", "Average", "Sum", "Minimum", "Maximum":
			default:
				return nil, errInvalid("The value %s for parameter Statistic is invalid.", in.Statistic)
			}
		} else if !s.d.Metrics.ValidStatistic(in.ExtendedStatistic) {
			return nil, errInvalid("The value %s for parameter ExtendedStatistic is invalid.", in.ExtendedStatistic)
		}
		if len(in.Dimensions) > 30 {
			return nil, errInvalid("The collection Dimensions must not have a size greater than 30.")
		}
		if in.Unit != "" && !validUnit(in.Unit) {
			return nil, errInvalid("The value %s for parameter Unit is invalid.", in.Unit)
		}
		if band {
			return nil, errInvalid("Comparison operators for anomaly detection bands require a Metrics list with an ANOMALY_DETECTION_BAND expression and ThresholdMetricId.")
		}
		if in.ThresholdMetricId != "" {
			return nil, errCombination("ThresholdMetricId requires a Metrics list.")
		}
		period = *in.Period
	}
	if !(period == 10 || period == 20 || period == 30 || period > 0 && period%60 == 0) {
		return nil, errInvalid("The parameter Period must be 10, 20, 30 or a multiple of 60.")
	}
	limit := int64(604800)
	if period < 3600 {
		limit = 86400
	}
	if period**in.EvaluationPeriods > limit {
		return nil, errInvalid("The evaluation period (Period * EvaluationPeriods) must not exceed %d seconds.", limit)
	}
	if !band && in.Threshold == nil {
		return nil, errMissing("The parameter Threshold is required.")
	}
	if band && in.Threshold != nil {
		return nil, errCombination("Threshold cannot be combined with an anomaly detection band comparison operator; use ThresholdMetricId.")
	}
	hasInstance := false
	for _, d := range in.Dimensions {
		if d.Name == "InstanceId" {
			hasInstance = true
		}
	}
	if err := checkActions(false, math, band, hasInstance, map[string][]string{"OKActions": in.OKActions,
		"AlarmActions": in.AlarmActions, "InsufficientDataActions": in.InsufficientDataActions}); err != nil {
		return nil, err
	}
	now := c.Now
	enabled := in.ActionsEnabled == nil || *in.ActionsEnabled
	a := &alarm{
		Type: typeMetric, AlarmName: in.AlarmName, AlarmArn: s.arn(in.AlarmName), AlarmDescription: in.AlarmDescription,
		AlarmConfigurationUpdatedTimestamp: now, ActionsEnabled: enabled,
		OKActions: nonNil(in.OKActions), AlarmActions: nonNil(in.AlarmActions), InsufficientDataActions: nonNil(in.InsufficientDataActions),
		MetricName: in.MetricName, Namespace: in.Namespace, Statistic: in.Statistic, ExtendedStatistic: in.ExtendedStatistic,
		Dimensions: in.Dimensions, Unit: in.Unit, EvaluationPeriods: *in.EvaluationPeriods,
		DatapointsToAlarm: in.DatapointsToAlarm, Threshold: in.Threshold, ComparisonOperator: in.ComparisonOperator,
		TreatMissingData: in.TreatMissingData, EvaluateLowSampleCountPercentile: in.EvaluateLowSampleCountPercentile,
		Metrics: in.Metrics, ThresholdMetricId: in.ThresholdMetricId,
	}
	if !math {
		a.Period = period
	}
	created := false
	err := s.d.Store.Update(func(tx *store.Tx) error {
		old, ok := getAlarm(tx, in.AlarmName)
		if ok && old.Type != typeMetric {
			return errInvalid("An alarm named %s already exists as a composite alarm.", in.AlarmName)
		}
		if ok {
			a.Created, a.Tags = old.Created, old.Tags
			a.StateValue, a.StateReason, a.StateReasonData = old.StateValue, old.StateReason, old.StateReasonData
			a.StateUpdatedTimestamp, a.StateTransitionedTimestamp = old.StateUpdatedTimestamp, old.StateTransitionedTimestamp
		} else {
			created = true
			a.Created, a.Tags = now, in.Tags
			a.StateValue, a.StateReason = StateInsufficient, "Unchecked: Initial alarm creation"
			a.StateUpdatedTimestamp, a.StateTransitionedTimestamp = now, now
		}
		if err := s.putAlarm(tx, a); err != nil {
			return err
		}
		return s.configHistory(tx, a, created, now)
	})
	if err != nil {
		return nil, err
	}
	if _, ok := s.jobs[a.AlarmName]; !ok {
		s.schedule(a.AlarmName)
	}
	return &struct{}{}, nil
}

func validUnit(u string) bool {
	for _, x := range metricdata.StandardUnits {
		if x == u {
			return true
		}
	}
	return false
}

// checkMathQueries validates the Metrics of a math alarm and returns its
// period (that of the returned query, or of its first metric).
func checkMathQueries(qs []metricdata.MetricDataQuery, thresholdID string, band bool) (int64, error) {
	if len(qs) > 10+1+10 {
		return 0, errInvalid("The collection Metrics must not have a size greater than 20.")
	}
	returned := 0
	var period int64
	ids := map[string]bool{}
	metricsCount := 0
	var bandExpr bool
	for i, q := range qs {
		if q.Id == "" {
			return 0, errMissing("The parameter Metrics.member.%d.Id is required.", i+1)
		}
		if ids[q.Id] {
			return 0, errInvalid("The value %s for parameter Metrics.member.%d.Id is not unique.", q.Id, i+1)
		}
		ids[q.Id] = true
		if (q.MetricStat == nil) == (q.Expression == nil) {
			return 0, errCombination("Exactly one of MetricStat and Expression must be specified for Metrics.member.%d.", i+1)
		}
		if q.ReturnData == nil || *q.ReturnData {
			returned++
		}
		if q.MetricStat != nil {
			metricsCount++
			if q.MetricStat.Period == nil {
				return 0, errMissing("The parameter Metrics.member.%d.MetricStat.Period is required.", i+1)
			}
			if period == 0 {
				period = *q.MetricStat.Period
			}
		} else {
			if q.Id == thresholdID && strings.HasPrefix(strings.TrimSpace(*q.Expression), "ANOMALY_DETECTION_BAND") {
				bandExpr = true
			}
			if q.Period != nil && period == 0 {
				period = *q.Period
			}
		}
	}
	if metricsCount > 10 {
		return 0, errInvalid("Alarms on metric math expressions can use at most 10 metrics.")
	}
	if returned != 1 && !(band && returned == 2) {
		return 0, errInvalid("Exactly one element of the metrics list should return data.")
	}
	if band {
		if thresholdID == "" || !bandExpr {
			return 0, errInvalid("ThresholdMetricId must be the Id of an ANOMALY_DETECTION_BAND expression in Metrics.")
		}
	} else if thresholdID != "" {
		return 0, errCombination("ThresholdMetricId requires an anomaly detection band comparison operator.")
	}
	if err := compileMathQueries(qs, thresholdID); err != nil {
		return 0, err
	}
	if period == 0 {
		period = 60
	}
	return period, nil
}

// compileMathQueries compiles every expression of an alarm's metrics, as
// CloudWatch does when the alarm is put: references to ids of the list only,
// the returned expression (or the band) checked as an alarm's, AWS's
// "Error in expression ID: ..." for the first one that fails.
func compileMathQueries(qs []metricdata.MetricDataQuery, thresholdID string) error {
	kinds := map[string]metricmath.Kind{}
	for _, q := range qs {
		kinds[q.Id] = metricmath.KindSeries
	}
	for _, q := range qs {
		if q.Expression == nil {
			continue
		}
		opts := []metricmath.Option{metricmath.IDs(kinds)}
		if q.Id == thresholdID || q.ReturnData == nil || *q.ReturnData {
			opts = append(opts, metricmath.ForAlarm())
		} else {
			opts = append(opts, metricmath.AllowScalar())
		}
		if _, err := metricmath.Compile(*q.Expression, opts...); err != nil {
			var me *metricmath.Error
			if errors.As(err, &me) {
				return awserr.BadRequest("ValidationError", me.For(q.Id))
			}
			return awserr.BadRequest("ValidationError", "Error in expression "+q.Id+": "+err.Error())
		}
	}
	return nil
}

// PutCompositeAlarmInput is the request of PutCompositeAlarm.
type PutCompositeAlarmInput struct {
	ActionsEnabled                   *bool
	AlarmActions                     []string
	AlarmDescription                 *string
	AlarmName                        string
	AlarmRule                        string
	InsufficientDataActions          []string
	OKActions                        []string
	Tags                             []Tag
	ActionsSuppressor                string
	ActionsSuppressorWaitPeriod      *int64
	ActionsSuppressorExtensionPeriod *int64
}

// PutCompositeAlarm creates or replaces a composite alarm and evaluates its
// rule at once.
func (s *Service) PutCompositeAlarm(c *api.Call, in *PutCompositeAlarmInput) (*struct{}, error) {
	if err := checkName(in.AlarmName); err != nil {
		return nil, err
	}
	if in.AlarmRule == "" {
		return nil, errMissing("The parameter AlarmRule is required.")
	}
	if in.AlarmDescription != nil && utf8.RuneCountInString(*in.AlarmDescription) > 1024 {
		return nil, errInvalid("The parameter AlarmDescription must not be longer than 1024 characters.")
	}
	rule, err := ParseRule(in.AlarmRule)
	if err != nil {
		return nil, errInvalid("Error in alarm rule: %v", err)
	}
	if in.ActionsSuppressor != "" && (in.ActionsSuppressorWaitPeriod == nil || in.ActionsSuppressorExtensionPeriod == nil) {
		return nil, errMissing("ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are required when ActionsSuppressor is specified.")
	}
	if in.ActionsSuppressor == "" && (in.ActionsSuppressorWaitPeriod != nil || in.ActionsSuppressorExtensionPeriod != nil) {
		return nil, errCombination("ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod require ActionsSuppressor.")
	}
	if len(in.Tags) > 50 {
		return nil, errInvalid("The collection Tags must not have a size greater than 50.")
	}
	if err := checkActions(true, false, false, false, map[string][]string{"OKActions": in.OKActions,
		"AlarmActions": in.AlarmActions, "InsufficientDataActions": in.InsufficientDataActions}); err != nil {
		return nil, err
	}
	now := c.Now
	a := &alarm{
		Type: typeComposite, AlarmName: in.AlarmName, AlarmArn: s.arn(in.AlarmName), AlarmDescription: in.AlarmDescription,
		AlarmConfigurationUpdatedTimestamp: now, ActionsEnabled: in.ActionsEnabled == nil || *in.ActionsEnabled,
		OKActions: nonNil(in.OKActions), AlarmActions: nonNil(in.AlarmActions), InsufficientDataActions: nonNil(in.InsufficientDataActions),
		AlarmRule: in.AlarmRule, ActionsSuppressor: in.ActionsSuppressor,
		ActionsSuppressorWaitPeriod: in.ActionsSuppressorWaitPeriod, ActionsSuppressorExtensionPeriod: in.ActionsSuppressorExtensionPeriod,
	}
	created := false
	err = s.d.Store.Update(func(tx *store.Tx) error {
		old, ok := getAlarm(tx, in.AlarmName)
		if ok && old.Type != typeComposite {
			return errInvalid("An alarm named %s already exists as a metric alarm.", in.AlarmName)
		}
		if err := s.checkChildren(tx, in.AlarmName, rule); err != nil {
			return err
		}
		if ok {
			// an update discards active suppression periods; the generation
			// keeps their jobs from firing.
			a.SuppressGen = old.SuppressGen + 1
			a.Created, a.Tags = old.Created, old.Tags
			a.StateValue, a.StateReason, a.StateReasonData = old.StateValue, old.StateReason, old.StateReasonData
			a.StateUpdatedTimestamp, a.StateTransitionedTimestamp = old.StateUpdatedTimestamp, old.StateTransitionedTimestamp
		} else {
			created = true
			a.Created, a.Tags = now, in.Tags
			a.StateValue, a.StateReason = StateInsufficient, "Unchecked: Initial alarm creation"
			a.StateUpdatedTimestamp, a.StateTransitionedTimestamp = now, now
		}
		if err := s.putAlarm(tx, a); err != nil {
			return err
		}
		return s.configHistory(tx, a, created, now)
	})
	if err != nil {
		return nil, err
	}
	s.evalComposite(a.AlarmName, now, nil)
	return &struct{}{}, nil
}

// configHistory records a ConfigurationUpdate history item.
func (s *Service) configHistory(tx *store.Tx, a *alarm, created bool, now time.Time) error {
	verb, typ := "updated", "Update"
	if created {
		verb, typ = "created", "Create"
	}
	data := fmt.Sprintf(`{"version":"1.0","type":%q,"%sAlarm":%s}`, typ, verb, configJSON(a))
	return s.addHistory(tx, a, now, "ConfigurationUpdate", fmt.Sprintf("Alarm %q %s", a.AlarmName, verb), data)
}

// checkChildren refuses a rule naming alarms that do not exist (the
// composite itself excepted: an update may make a cycle), as AWS does.
func (s *Service) checkChildren(tx *store.Tx, self string, rule *Rule) error {
	var missing []string
	seen := map[string]bool{}
	for _, ch := range rule.Children {
		name := s.nameOf(ch)
		if name == self || seen[name] {
			continue
		}
		seen[name] = true
		if _, ok := getAlarm(tx, name); !ok {
			missing = append(missing, ch)
		}
	}
	if len(missing) > 0 {
		// AWS's wording, as SDK and CloudFormation users report it.
		return awserr.BadRequest("ValidationError", "Could not save the composite alarm as alarms ["+
			strings.Join(missing, ", ")+"] in the alarm rule do not exist")
	}
	return nil
}
