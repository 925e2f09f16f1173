package autoscaling

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

type activity struct {
	Seq         int64
	ID          string
	Group       string
	GroupARN    string
	Description string
	Cause       string
	Start       time.Time
	End         time.Time `json:",omitempty"`
	Status      string
	Progress    int
	Details     string
	Instance    string `json:",omitempty"`
}

func activityKey(group string, seq int64) string {
	return fmt.Sprintf("%s%s/%016d", activityPrefix, group, seq)
}

func (s *Service) addActivity(g *group, desc, cause, instance, az string) string {
	a := &activity{ID: s.d.IDs.UUID(), Group: g.Name, GroupARN: s.groupARN(g), Description: desc, Cause: cause,
		Start: s.d.Clock.Now(), Status: "InProgress", Progress: 30, Instance: instance,
		Details: fmt.Sprintf("{\"Subnet ID\":\"\",\"Availability Zone\":\"%s\"}", az)}
	if instance == "" {
		a.Status, a.Progress, a.End, a.Details = "Successful", 100, a.Start, "{}"
	}
	s.d.Store.Update(func(tx *store.Tx) error {
		var seq int64
		store.GetJSON(tx, seqKey, &seq)
		seq++
		a.Seq = seq
		store.SetJSON(tx, seqKey, seq)
		return store.SetJSON(tx, activityKey(g.Name, seq), a)
	})
	return a.ID
}

// finishActivity marks the activity of an instance successful.
func (s *Service) finishActivity(group, id string, at time.Time) {
	s.d.Store.Update(func(tx *store.Tx) error {
		var key string
		var a activity
		store.PrefixDesc(tx, activityPrefix+group+"/", func(k, v string) bool {
			var x activity
			if json.Unmarshal([]byte(v), &x) == nil && x.ID == id {
				key, a = k, x
				return false
			}
			return true
		})
		if key == "" {
			return nil
		}
		a.Status, a.Progress, a.End = "Successful", 100, at
		return store.SetJSON(tx, key, &a)
	})
}

func (g *group) active() int {
	n := 0
	for _, m := range g.Members {
		if m.State != "Terminating" {
			n++
		}
	}
	return n
}

func (g *group) perAZ() map[string]int {
	c := map[string]int{}
	for _, m := range g.Members {
		if m.State != "Terminating" {
			c[m.AZ]++
		}
	}
	return c
}

// reconcile launches or terminates instances until the group's active
// instances match its desired capacity; cause starts each activity's cause.
func (s *Service) reconcile(g *group, cause string) {
	now := s.d.Clock.Now()
	if s.d.Fleet == nil {
		return
	}
	for g.active() < g.Desired {
		c := g.perAZ()
		az := g.AZs[0]
		for _, z := range g.AZs {
			if c[z] < c[az] {
				az = z
			}
		}
		l := Launch{Group: g.Name, ImageID: DefaultImage, InstanceType: DefaultInstanceType, AZ: az, Tags: map[string]string{}}
		lcName := ""
		if g.LC != "" {
			if lc, ok := s.getLC(g.LC); ok {
				l.ImageID, l.InstanceType, l.KeyName, l.UserData, l.Detailed = lc.ImageID, lc.InstanceType, lc.KeyName, lc.UserData, lc.Detailed
				lcName = lc.Name
			}
		}
		for _, t := range g.Tags {
			if t.PropagateAtLaunch != nil && *t.PropagateAtLaunch {
				l.Tags[t.Key] = t.Value
			}
		}
		before := g.active()
		id := s.d.Fleet.Launch(l)
		full := fmt.Sprintf("%s  At %s an instance was started in response to a difference between desired and running capacity, increasing the capacity from %d to %d.", cause, stamp(now), before, g.Desired)
		act := s.addActivity(g, "Launching a new EC2 instance: "+id, strings.TrimSpace(full), id, az)
		g.Members = append(g.Members, member{ID: id, AZ: az, Type: l.InstanceType, State: "Pending", Health: "Healthy", LC: lcName, Activity: act, LaunchedAt: now})
	}
	var ids []string
	for g.active() > g.Desired {
		c := g.perAZ()
		az := ""
		for _, z := range g.AZs {
			if az == "" || c[z] > c[az] {
				az = z
			}
		}
		pick := -1
		for k, m := range g.Members {
			if m.State != "Terminating" && (m.AZ == az || c[az] == 0) {
				pick = k
				break
			}
		}
		if pick < 0 {
			break
		}
		before := g.active()
		m := &g.Members[pick]
		full := fmt.Sprintf("%s  At %s an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from %d to %d.  At %s instance %s was selected for termination.", cause, stamp(now), before, g.Desired, stamp(now), m.ID)
		m.State = "Terminating"
		m.Activity = s.addActivity(g, "Terminating EC2 instance: "+m.ID, strings.TrimSpace(full), m.ID, m.AZ)
		ids = append(ids, m.ID)
	}
	s.saveGroup(g)
	if len(ids) > 0 {
		s.d.Fleet.Terminate(ids)
	}
}

// InstanceStateChanged tells the service that an EC2 instance changed state:
// its group's instance becomes InService, or is replaced when it was stopped
// or terminated outside the group.
func (s *Service) InstanceStateChanged(at time.Time, id, state string) {
	var g *group
	idx := -1
	for _, x := range s.groups() {
		for k, m := range x.Members {
			if m.ID == id {
				g, idx = x, k
			}
		}
	}
	if g == nil {
		return
	}
	m := &g.Members[idx]
	switch state {
	case "running":
		if m.State == "Pending" {
			m.State = "InService"
			s.saveGroup(g)
			s.finishActivity(g.Name, m.Activity, at)
		}
	case "stopping", "stopped", "shutting-down":
		if m.State == "Terminating" {
			return
		}
		m.State, m.Health = "Terminating", "Unhealthy"
		cause := fmt.Sprintf("At %s an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.", stamp(at))
		m.Activity = s.addActivity(g, "Terminating EC2 instance: "+m.ID, cause, m.ID, m.AZ)
		s.saveGroup(g)
		if state != "shutting-down" && s.d.Fleet != nil {
			s.d.Fleet.Terminate([]string{id})
		}
		if g, ok := s.loadGroup(g.Name); ok {
			s.reconcile(g, "")
		}
	case "terminated":
		act := m.Activity
		g.Members = append(g.Members[:idx], g.Members[idx+1:]...)
		s.saveGroup(g)
		s.finishActivity(g.Name, act, at)
	}
}

// StepAdjustment is one step of a step scaling policy.
type StepAdjustment struct {
	MetricIntervalLowerBound *float64 `json:",omitempty"`
	MetricIntervalUpperBound *float64 `json:",omitempty"`
	ScalingAdjustment        int
}

type policy struct {
	Group, Name, ARN        string
	Type                    string
	AdjustmentType          string
	ScalingAdjustment       *int             `json:",omitempty"`
	MinAdjustmentStep       *int             `json:",omitempty"`
	MinAdjustmentMagnitude  *int             `json:",omitempty"`
	Cooldown                *int             `json:",omitempty"`
	StepAdjustments         []StepAdjustment `json:",omitempty"`
	MetricAggregationType   string           `json:",omitempty"`
	EstimatedInstanceWarmup *int             `json:",omitempty"`
	Enabled                 bool
}

// PutScalingPolicyInput is the request of PutScalingPolicy.
type PutScalingPolicyInput struct {
	AutoScalingGroupName        string
	PolicyName                  string
	PolicyType                  string
	AdjustmentType              string
	MinAdjustmentStep           *int
	MinAdjustmentMagnitude      *int
	ScalingAdjustment           *int
	Cooldown                    *int
	MetricAggregationType       string
	StepAdjustments             []StepAdjustment
	EstimatedInstanceWarmup     *int
	TargetTrackingConfiguration map[string]any
	Enabled                     *bool
}

// PutScalingPolicyOutput is the response of PutScalingPolicy.
type PutScalingPolicyOutput struct {
	PolicyARN string
	Alarms    []Alarm
}

var adjustmentTypes = map[string]bool{"ChangeInCapacity": true, "ExactCapacity": true, "PercentChangeInCapacity": true}

// PutScalingPolicy creates or replaces a simple or step scaling policy.
func (s *Service) PutScalingPolicy(c *api.Call, in *PutScalingPolicyInput) (*PutScalingPolicyOutput, error) {
	g, ok := s.loadGroup(in.AutoScalingGroupName)
	if !ok {
		return nil, notFound(in.AutoScalingGroupName)
	}
	typ := in.PolicyType
	if typ == "" {
		typ = "SimpleScaling"
	}
	switch typ {
	case "SimpleScaling", "StepScaling":
	case "TargetTrackingScaling", "PredictiveScaling":
		return nil, errValidation("The simulation supports SimpleScaling and StepScaling policies only, not %s.", typ)
	default:
		return nil, errValidation("Invalid policy type: %s", typ)
	}
	if in.AdjustmentType == "" {
		return nil, errValidation("AdjustmentType is required for %s policy type.", typ)
	}
	if !adjustmentTypes[in.AdjustmentType] {
		return nil, errValidation("Invalid adjustment type %s", in.AdjustmentType)
	}
	if in.MinAdjustmentMagnitude != nil && in.AdjustmentType != "PercentChangeInCapacity" {
		return nil, errValidation("MinAdjustmentMagnitude is only supported with PercentChangeInCapacity adjustment type.")
	}
	p := &policy{Group: g.Name, Name: in.PolicyName, Type: typ, AdjustmentType: in.AdjustmentType, MinAdjustmentStep: in.MinAdjustmentStep,
		MinAdjustmentMagnitude: in.MinAdjustmentMagnitude, Enabled: true}
	if in.Enabled != nil {
		p.Enabled = *in.Enabled
	}
	if typ == "SimpleScaling" {
		if in.ScalingAdjustment == nil {
			return nil, errValidation("ScalingAdjustment is required for SimpleScaling policy type.")
		}
		if len(in.StepAdjustments) > 0 || in.MetricAggregationType != "" || in.EstimatedInstanceWarmup != nil {
			return nil, errValidation("StepAdjustments, MetricAggregationType and EstimatedInstanceWarmup are not supported for SimpleScaling policy type.")
		}
		p.ScalingAdjustment, p.Cooldown = in.ScalingAdjustment, in.Cooldown
	} else {
		if len(in.StepAdjustments) == 0 {
			return nil, errValidation("StepAdjustments is required for StepScaling policy type.")
		}
		if in.ScalingAdjustment != nil || in.Cooldown != nil {
			return nil, errValidation("ScalingAdjustment and Cooldown are not supported for StepScaling policy type.")
		}
		if err := checkSteps(in.StepAdjustments); err != nil {
			return nil, err
		}
		p.StepAdjustments, p.EstimatedInstanceWarmup = in.StepAdjustments, in.EstimatedInstanceWarmup
		p.MetricAggregationType = in.MetricAggregationType
		if p.MetricAggregationType == "" {
			p.MetricAggregationType = "Average"
		}
	}
	key := policyPrefix + g.Name + "/" + in.PolicyName
	var old policy
	s.d.Store.View(func(tx *store.Tx) error {
		if store.GetJSON(tx, key, &old) == nil {
			p.ARN = old.ARN
		}
		return nil
	})
	if p.ARN == "" {
		p.ARN = fmt.Sprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:autoScalingGroupName/%s:policyName/%s", s.d.Region, s.d.Account, s.d.IDs.UUID(), g.Name, in.PolicyName)
	}
	s.d.Store.Update(func(tx *store.Tx) error { return store.SetJSON(tx, key, p) })
	c.AddResource("AWS::AutoScaling::ScalingPolicy", p.Name, p.ARN)
	return &PutScalingPolicyOutput{PolicyARN: p.ARN, Alarms: s.alarms(p.ARN)}, nil
}

// checkSteps checks that step intervals do not overlap, leave no gap, and
// that at most one is open below and one above.
func checkSteps(steps []StepAdjustment) error {
	openLow, openHigh := 0, 0
	for _, st := range steps {
		if st.MetricIntervalLowerBound == nil {
			openLow++
		}
		if st.MetricIntervalUpperBound == nil {
			openHigh++
		}
		if st.MetricIntervalLowerBound != nil && st.MetricIntervalUpperBound != nil && *st.MetricIntervalLowerBound >= *st.MetricIntervalUpperBound {
			return errValidation("Step adjustment's lower bound must be less than its upper bound.")
		}
	}
	if openLow > 1 || openHigh > 1 {
		return errValidation("Step adjustments must not overlap.")
	}
	return nil
}

func (s *Service) alarms(arn string) []Alarm {
	if s.d.AlarmsFor == nil {
		return []Alarm{}
	}
	a := s.d.AlarmsFor(arn)
	if a == nil {
		a = []Alarm{}
	}
	return a
}

func (s *Service) policies(group string) []*policy {
	var out []*policy
	prefix := policyPrefix
	if group != "" {
		prefix += group + "/"
	}
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, prefix, func(_, v string) bool {
			var p policy
			if json.Unmarshal([]byte(v), &p) == nil {
				out = append(out, &p)
			}
			return true
		})
	})
	return out
}

// DescribePoliciesInput is the request of DescribePolicies.
type DescribePoliciesInput struct {
	AutoScalingGroupName string
	PolicyNames          []string
	PolicyTypes          []string
	MaxRecords           *int
	NextToken            string
}

// DescribePolicies lists scaling policies.
func (s *Service) DescribePolicies(c *api.Call, in *DescribePoliciesInput) (*struct{ ScalingPolicies []map[string]any }, error) {
	if in.AutoScalingGroupName != "" {
		if _, ok := s.loadGroup(in.AutoScalingGroupName); !ok {
			return nil, notFound(in.AutoScalingGroupName)
		}
	}
	out := &struct{ ScalingPolicies []map[string]any }{ScalingPolicies: []map[string]any{}}
	for _, p := range s.policies(in.AutoScalingGroupName) {
		if len(in.PolicyNames) > 0 && !contains(in.PolicyNames, p.Name) && !contains(in.PolicyNames, p.ARN) {
			continue
		}
		if len(in.PolicyTypes) > 0 && !contains(in.PolicyTypes, p.Type) {
			continue
		}
		v := map[string]any{"AutoScalingGroupName": p.Group, "PolicyName": p.Name, "PolicyARN": p.ARN, "PolicyType": p.Type,
			"AdjustmentType": p.AdjustmentType, "Alarms": s.alarms(p.ARN), "Enabled": p.Enabled}
		if p.ScalingAdjustment != nil {
			v["ScalingAdjustment"] = *p.ScalingAdjustment
		}
		if p.MinAdjustmentStep != nil {
			v["MinAdjustmentStep"] = *p.MinAdjustmentStep
		}
		if p.MinAdjustmentMagnitude != nil {
			v["MinAdjustmentMagnitude"] = *p.MinAdjustmentMagnitude
		}
		if p.Cooldown != nil {
			v["Cooldown"] = *p.Cooldown
		}
		if p.Type == "StepScaling" {
			v["StepAdjustments"] = p.StepAdjustments
			v["MetricAggregationType"] = p.MetricAggregationType
		}
		if p.EstimatedInstanceWarmup != nil {
			v["EstimatedInstanceWarmup"] = *p.EstimatedInstanceWarmup
		}
		out.ScalingPolicies = append(out.ScalingPolicies, v)
	}
	return out, nil
}

// DeletePolicy deletes a scaling policy.
func (s *Service) DeletePolicy(c *api.Call, in *struct{ AutoScalingGroupName, PolicyName string }) (*struct{}, error) {
	p, err := s.findPolicy(in.AutoScalingGroupName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	s.d.Store.Update(func(tx *store.Tx) error { _, err := tx.Delete(policyPrefix + p.Group + "/" + p.Name); return err })
	return nil, nil
}

func (s *Service) findPolicy(group, name string) (*policy, error) {
	for _, p := range s.policies("") {
		if p.ARN == name || (p.Name == name && (group == "" || p.Group == group)) {
			return p, nil
		}
	}
	return nil, errValidation("No scaling policy found for service namespace: ec2, resource ID: autoScalingGroup/%s, scalable dimension: ec2:autoScalingGroup:DesiredCapacity, policy name: %s", group, name)
}

// ExecutePolicyInput is the request of ExecutePolicy.
type ExecutePolicyInput struct {
	AutoScalingGroupName string
	PolicyName           string
	HonorCooldown        *bool
	MetricValue          *float64
	BreachThreshold      *float64
}

// ExecutePolicy runs a policy now.
func (s *Service) ExecutePolicy(c *api.Call, in *ExecutePolicyInput) (*struct{}, error) {
	p, err := s.findPolicy(in.AutoScalingGroupName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	if p.Type == "StepScaling" && (in.MetricValue == nil || in.BreachThreshold == nil) {
		return nil, errValidation("Metric value and breach threshold are required for step scaling policies.")
	}
	if p.Type == "SimpleScaling" && (in.MetricValue != nil || in.BreachThreshold != nil) {
		return nil, errValidation("Metric value and breach threshold are only supported for step scaling policies.")
	}
	honor := in.HonorCooldown != nil && *in.HonorCooldown
	var mv, bt float64
	if in.MetricValue != nil {
		mv, bt = *in.MetricValue, *in.BreachThreshold
	}
	c.AddResource("AWS::AutoScaling::ScalingPolicy", p.Name, p.ARN)
	return nil, s.execute(p, mv, bt, honor, fmt.Sprintf("At %s a user request executed policy %s", stamp(c.Now), p.Name))
}

// ExecutePolicyFromAlarm runs the policy of an ARN for a CloudWatch alarm
// that breached: breachValue is the metric's value and threshold the alarm's
// threshold (step scaling picks its step by their difference). The group's
// size stays within its minimum and maximum: a policy at the bound changes
// nothing and is not an error.
func (s *Service) ExecutePolicyFromAlarm(policyARN string, breachValue float64, threshold float64) error {
	return s.ExecutePolicyForAlarm("", policyARN, breachValue, threshold)
}

// ExecutePolicyForAlarm is ExecutePolicyFromAlarm with the alarm's name for
// the activity's cause.
func (s *Service) ExecutePolicyForAlarm(alarmName, policyARN string, breachValue, threshold float64) error {
	p, err := s.findPolicy("", policyARN)
	if err != nil {
		return err
	}
	if !p.Enabled {
		return nil
	}
	cause := fmt.Sprintf("At %s a monitor alarm %s in state ALARM triggered policy %s", stamp(s.d.Clock.Now()), alarmName, p.Name)
	if alarmName == "" {
		cause = fmt.Sprintf("At %s a monitor alarm in state ALARM triggered policy %s", stamp(s.d.Clock.Now()), p.Name)
	}
	err = s.execute(p, breachValue, threshold, p.Type == "SimpleScaling", cause)
	if e, ok := err.(*awserr.Error); ok && e.Code == "ScalingActivityInProgress" {
		return nil
	}
	return err
}

// Adjust returns the new desired capacity for an adjustment, before the
// group's bounds: PercentChangeInCapacity rounds as AWS documents (between 0
// and 1 → 1, above 1 down; between -1 and 0 → -1, below -1 up) and applies
// MinAdjustmentMagnitude.
func Adjust(current int, adjustmentType string, adj int, minMagnitude *int) int {
	switch adjustmentType {
	case "ExactCapacity":
		return adj
	case "PercentChangeInCapacity":
		ch := float64(current) * float64(adj) / 100
		var n int
		switch {
		case ch > 0 && ch < 1:
			n = 1
		case ch < 0 && ch > -1:
			n = -1
		default:
			n = int(math.Trunc(ch))
		}
		if minMagnitude != nil && n != 0 && abs(n) < *minMagnitude {
			if n > 0 {
				n = *minMagnitude
			} else {
				n = -*minMagnitude
			}
		}
		return current + n
	}
	return current + adj
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func (s *Service) execute(p *policy, value, threshold float64, honor bool, cause string) error {
	g, ok := s.loadGroup(p.Group)
	if !ok {
		return notFound(p.Group)
	}
	adj := 0
	if p.Type == "StepScaling" {
		diff := value - threshold
		found := false
		for _, st := range p.StepAdjustments {
			lo, hi := math.Inf(-1), math.Inf(1)
			if st.MetricIntervalLowerBound != nil {
				lo = *st.MetricIntervalLowerBound
			}
			if st.MetricIntervalUpperBound != nil {
				hi = *st.MetricIntervalUpperBound
			}
			in := (diff >= lo && diff < hi)
			if diff < 0 {
				in = diff > lo && diff <= hi
			}
			if in {
				adj, found = st.ScalingAdjustment, true
				break
			}
		}
		if !found {
			return errValidation("No step adjustment found for metric value [%s] and breach threshold [%s]", fmtFloat(value), fmtFloat(threshold))
		}
	} else {
		adj = *p.ScalingAdjustment
		cooldown := g.Cooldown
		if p.Cooldown != nil {
			cooldown = *p.Cooldown
		}
		if honor && s.inCooldown(g, cooldown) {
			return awserr.BadRequest("ScalingActivityInProgress", "Scaling activity cannot be executed because the group is in cooldown.")
		}
	}
	want := Adjust(g.Desired, p.AdjustmentType, adj, p.MinAdjustmentMagnitude)
	if want < g.Min {
		want = g.Min
	}
	if want > g.Max {
		want = g.Max
	}
	if want == g.Desired {
		return nil
	}
	old := g.Desired
	g.Desired = want
	g.LastScale = s.d.Clock.Now()
	s.saveGroup(g)
	s.reconcile(g, fmt.Sprintf("%s changing the desired capacity from %d to %d.", cause, old, want))
	return nil
}

func fmtFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprint(f)
}

// DescribeScalingActivitiesInput is the request of DescribeScalingActivities.
type DescribeScalingActivitiesInput struct {
	ActivityIds          []string
	AutoScalingGroupName string
	IncludeDeletedGroups *bool
	MaxRecords           *int
	NextToken            string
}

// DescribeScalingActivities lists activities, newest first.
func (s *Service) DescribeScalingActivities(c *api.Call, in *DescribeScalingActivitiesInput) (*struct{ Activities []map[string]any }, error) {
	if in.AutoScalingGroupName != "" && (in.IncludeDeletedGroups == nil || !*in.IncludeDeletedGroups) {
		if _, ok := s.loadGroup(in.AutoScalingGroupName); !ok {
			return &struct{ Activities []map[string]any }{Activities: []map[string]any{}}, nil
		}
	}
	var acts []activity
	prefix := activityPrefix
	if in.AutoScalingGroupName != "" {
		prefix += in.AutoScalingGroupName + "/"
	}
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, prefix, func(_, v string) bool {
			var a activity
			if json.Unmarshal([]byte(v), &a) == nil {
				acts = append(acts, a)
			}
			return true
		})
	})
	// Newest first.
	for i, j := 0, len(acts)-1; i < j; i, j = i+1, j-1 {
		acts[i], acts[j] = acts[j], acts[i]
	}
	if in.AutoScalingGroupName == "" {
		sortBySeqDesc(acts)
	}
	out := &struct{ Activities []map[string]any }{Activities: []map[string]any{}}
	max := 100
	if in.MaxRecords != nil && *in.MaxRecords > 0 {
		max = *in.MaxRecords
	}
	for _, a := range acts {
		if len(in.ActivityIds) > 0 && !contains(in.ActivityIds, a.ID) {
			continue
		}
		if len(out.Activities) >= max {
			break
		}
		v := map[string]any{"ActivityId": a.ID, "AutoScalingGroupName": a.Group, "Description": a.Description, "Cause": a.Cause,
			"StartTime": a.Start.UTC().Format(time.RFC3339Nano), "StatusCode": a.Status, "Progress": a.Progress, "Details": a.Details,
			"AutoScalingGroupARN": a.GroupARN}
		if !a.End.IsZero() {
			v["EndTime"] = a.End.UTC().Format(time.RFC3339Nano)
		}
		out.Activities = append(out.Activities, v)
	}
	return out, nil
}

func sortBySeqDesc(a []activity) {
	sort.SliceStable(a, func(i, j int) bool { return a[i].Seq > a[j].Seq })
}
