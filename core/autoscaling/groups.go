package autoscaling

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// DefaultImage and DefaultInstanceType launch the instances of a group
// created with a launch template: the simulation has no EC2 launch
// templates, so a template is taken by name and these stand for its
// contents.
const (
	DefaultImage        = "ami-0abcdef1234567890"
	DefaultInstanceType = "t3.micro"
)

type launchConfig struct {
	Name         string
	UUID         string
	ImageID      string
	InstanceType string
	KeyName      string `json:",omitempty"`
	UserData     string `json:",omitempty"`
	Detailed     bool
	Created      time.Time
}

// LaunchTemplateSpecification names a launch template.
type LaunchTemplateSpecification struct {
	LaunchTemplateId   string `json:",omitempty"`
	LaunchTemplateName string `json:",omitempty"`
	Version            string `json:",omitempty"`
}

type member struct {
	ID         string
	AZ         string
	Type       string
	State      string // Pending, InService, Terminating
	Health     string // Healthy, Unhealthy
	LC         string `json:",omitempty"`
	Activity   string `json:",omitempty"` // the activity that launched or terminates it
	LaunchedAt time.Time
}

// Tag is a tag of a group.
type Tag struct {
	ResourceId        string
	ResourceType      string
	Key               string
	Value             string
	PropagateAtLaunch *bool
}

type group struct {
	Name          string
	UUID          string
	LC            string                       `json:",omitempty"`
	Template      *LaunchTemplateSpecification `json:",omitempty"`
	Min, Max      int
	Desired       int
	Cooldown      int
	AZs           []string
	VPCZone       string `json:",omitempty"`
	HealthCheck   string
	Grace         int
	Created       time.Time
	Members       []member
	Tags          []Tag `json:",omitempty"`
	LastScale     time.Time
	TermPolicies  []string
	NewProtected  bool
	CapacityRebal bool
	DefaultWarmup *int `json:",omitempty"`
	MaxLifetime   *int `json:",omitempty"`
}

func (s *Service) getGroup(tx *store.Tx, name string) (*group, bool) {
	var g group
	if store.GetJSON(tx, groupPrefix+name, &g) != nil {
		return nil, false
	}
	return &g, true
}

func (s *Service) putGroup(tx *store.Tx, g *group) error {
	return store.SetJSON(tx, groupPrefix+g.Name, g)
}

func (s *Service) loadGroup(name string) (*group, bool) {
	var g *group
	var ok bool
	s.d.Store.View(func(tx *store.Tx) error { g, ok = s.getGroup(tx, name); return nil })
	return g, ok
}

func (s *Service) saveGroup(g *group) {
	s.d.Store.Update(func(tx *store.Tx) error { return s.putGroup(tx, g) })
}

func (s *Service) getLC(name string) (*launchConfig, bool) {
	var lc launchConfig
	ok := false
	s.d.Store.View(func(tx *store.Tx) error {
		ok = store.GetJSON(tx, lcPrefix+name, &lc) == nil
		return nil
	})
	return &lc, ok
}

// CreateLaunchConfigurationInput is the request of CreateLaunchConfiguration.
type CreateLaunchConfigurationInput struct {
	LaunchConfigurationName string
	ImageId                 string
	InstanceType            string
	KeyName                 string
	UserData                string
	InstanceId              string
	InstanceMonitoring      *struct{ Enabled *bool }
}

// CreateLaunchConfiguration creates a launch configuration.
func (s *Service) CreateLaunchConfiguration(c *api.Call, in *CreateLaunchConfigurationInput) (*struct{}, error) {
	if in.InstanceId != "" {
		return nil, errValidation("Creating a launch configuration from an instance is not supported by the simulation.")
	}
	if in.ImageId == "" {
		return nil, errValidation("Valid requests must contain either the ImageId or InstanceId parameter.")
	}
	if in.InstanceType == "" {
		return nil, errValidation("Valid requests must contain either the InstanceType or InstanceId parameter.")
	}
	if _, ok := s.getLC(in.LaunchConfigurationName); ok {
		return nil, awserr.BadRequest("AlreadyExists", fmt.Sprintf("Launch Configuration by this name already exists - A launch configuration already exists with the name %s", in.LaunchConfigurationName))
	}
	lc := &launchConfig{Name: in.LaunchConfigurationName, UUID: s.d.IDs.UUID(), ImageID: in.ImageId, InstanceType: in.InstanceType,
		KeyName: in.KeyName, UserData: in.UserData, Detailed: true, Created: c.Now}
	if in.InstanceMonitoring != nil && in.InstanceMonitoring.Enabled != nil {
		lc.Detailed = *in.InstanceMonitoring.Enabled
	}
	s.d.Store.Update(func(tx *store.Tx) error { return store.SetJSON(tx, lcPrefix+lc.Name, lc) })
	c.AddResource("AWS::AutoScaling::LaunchConfiguration", lc.Name, s.lcARN(lc))
	return nil, nil
}

// DescribeLaunchConfigurationsInput is the request of
// DescribeLaunchConfigurations.
type DescribeLaunchConfigurationsInput struct {
	LaunchConfigurationNames []string
	MaxRecords               *int
	NextToken                string
}

// DescribeLaunchConfigurations lists launch configurations.
func (s *Service) DescribeLaunchConfigurations(c *api.Call, in *DescribeLaunchConfigurationsInput) (*struct{ LaunchConfigurations []map[string]any }, error) {
	want := map[string]bool{}
	for _, n := range in.LaunchConfigurationNames {
		want[n] = true
	}
	out := &struct{ LaunchConfigurations []map[string]any }{LaunchConfigurations: []map[string]any{}}
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, lcPrefix, func(_, v string) bool {
			var lc launchConfig
			if json.Unmarshal([]byte(v), &lc) != nil || (len(want) > 0 && !want[lc.Name]) {
				return true
			}
			m := map[string]any{"LaunchConfigurationName": lc.Name, "LaunchConfigurationARN": s.lcARN(&lc), "ImageId": lc.ImageID,
				"KeyName": lc.KeyName, "SecurityGroups": []any{}, "ClassicLinkVPCSecurityGroups": []any{}, "UserData": lc.UserData,
				"InstanceType": lc.InstanceType, "KernelId": "", "RamdiskId": "", "BlockDeviceMappings": []any{},
				"InstanceMonitoring": map[string]any{"Enabled": lc.Detailed}, "CreatedTime": lc.Created.UTC().Format(time.RFC3339Nano),
				"EbsOptimized": false}
			out.LaunchConfigurations = append(out.LaunchConfigurations, m)
			return true
		})
	})
	return out, nil
}

// DeleteLaunchConfiguration deletes a launch configuration no group uses.
func (s *Service) DeleteLaunchConfiguration(c *api.Call, in *struct{ LaunchConfigurationName string }) (*struct{}, error) {
	if _, ok := s.getLC(in.LaunchConfigurationName); !ok {
		return nil, errValidation("Launch configuration name not found - Launch configuration %s not found", in.LaunchConfigurationName)
	}
	for _, g := range s.groups() {
		if g.LC == in.LaunchConfigurationName {
			return nil, awserr.BadRequest("ResourceInUse", fmt.Sprintf("Cannot delete launch configuration %s because it is attached to AutoScalingGroup %s", in.LaunchConfigurationName, g.Name))
		}
	}
	s.d.Store.Update(func(tx *store.Tx) error { _, err := tx.Delete(lcPrefix + in.LaunchConfigurationName); return err })
	return nil, nil
}

func (s *Service) groups() []*group {
	var out []*group
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, groupPrefix, func(_, v string) bool {
			var g group
			if json.Unmarshal([]byte(v), &g) == nil {
				out = append(out, &g)
			}
			return true
		})
	})
	return out
}

// GroupInput is the request of CreateAutoScalingGroup and
// UpdateAutoScalingGroup.
type GroupInput struct {
	AutoScalingGroupName             string
	LaunchConfigurationName          string
	LaunchTemplate                   *LaunchTemplateSpecification
	MixedInstancesPolicy             map[string]any
	InstanceId                       string
	MinSize                          *int
	MaxSize                          *int
	DesiredCapacity                  *int
	DefaultCooldown                  *int
	AvailabilityZones                []string
	VPCZoneIdentifier                *string
	HealthCheckType                  string
	HealthCheckGracePeriod           *int
	TerminationPolicies              []string
	NewInstancesProtectedFromScaleIn *bool
	CapacityRebalance                *bool
	DefaultInstanceWarmup            *int
	MaxInstanceLifetime              *int
	Tags                             []Tag
}

func (s *Service) checkAZs(azs []string) error {
	for _, az := range azs {
		if !strings.HasPrefix(az, s.d.Region) || len(az) != len(s.d.Region)+1 || az[len(az)-1] < 'a' || az[len(az)-1] > 'f' {
			return errValidation("The availability zone [%s] is not legal", az)
		}
	}
	return nil
}

// CreateAutoScalingGroup creates a group and launches its desired capacity.
func (s *Service) CreateAutoScalingGroup(c *api.Call, in *GroupInput) (*struct{}, error) {
	if in.MinSize == nil || in.MaxSize == nil {
		return nil, errValidation("MinSize and MaxSize are required")
	}
	n := 0
	for _, set := range []bool{in.LaunchConfigurationName != "", in.LaunchTemplate != nil, in.MixedInstancesPolicy != nil, in.InstanceId != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, errValidation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.")
	}
	if in.MixedInstancesPolicy != nil || in.InstanceId != "" {
		return nil, errValidation("The simulation supports groups with a LaunchConfigurationName or a LaunchTemplate only.")
	}
	if _, ok := s.loadGroup(in.AutoScalingGroupName); ok {
		return nil, awserr.BadRequest("AlreadyExists", fmt.Sprintf("AutoScalingGroup by this name already exists - A group with the name %s already exists", in.AutoScalingGroupName))
	}
	if in.LaunchConfigurationName != "" {
		if _, ok := s.getLC(in.LaunchConfigurationName); !ok {
			return nil, errValidation("Launch configuration name not found - Launch configuration %s not found", in.LaunchConfigurationName)
		}
	}
	if in.LaunchTemplate != nil && in.LaunchTemplate.LaunchTemplateId == "" && in.LaunchTemplate.LaunchTemplateName == "" {
		return nil, errValidation("You must specify either a launch template ID or a launch template name in the request.")
	}
	desired := *in.MinSize
	if in.DesiredCapacity != nil {
		desired = *in.DesiredCapacity
	}
	if err := checkBounds(*in.MinSize, *in.MaxSize, desired); err != nil {
		return nil, err
	}
	if err := s.checkAZs(in.AvailabilityZones); err != nil {
		return nil, err
	}
	azs := append([]string(nil), in.AvailabilityZones...)
	vpc := ""
	if in.VPCZoneIdentifier != nil {
		vpc = *in.VPCZoneIdentifier
	}
	if len(azs) == 0 && vpc == "" {
		return nil, errValidation("At least one Availability Zone or VPC Subnet is required.")
	}
	if len(azs) == 0 {
		for k := range strings.Split(vpc, ",") {
			azs = append(azs, s.d.Region+string(rune('a'+k%6)))
		}
	}
	sort.Strings(azs)
	g := &group{Name: in.AutoScalingGroupName, UUID: s.d.IDs.UUID(), LC: in.LaunchConfigurationName, Template: in.LaunchTemplate,
		Min: *in.MinSize, Max: *in.MaxSize, Desired: desired, Cooldown: 300, AZs: azs, VPCZone: vpc, HealthCheck: "EC2",
		Created: c.Now, TermPolicies: []string{"Default"}, MaxLifetime: in.MaxInstanceLifetime, DefaultWarmup: in.DefaultInstanceWarmup}
	if g.Template != nil && g.Template.Version == "" {
		g.Template.Version = "$Default"
	}
	if g.Template != nil && g.Template.LaunchTemplateId == "" {
		g.Template.LaunchTemplateId = "lt-" + s.d.IDs.Hex(17)
	}
	if g.Template != nil && g.Template.LaunchTemplateName == "" {
		g.Template.LaunchTemplateName = g.Template.LaunchTemplateId
	}
	applyOptions(g, in)
	for _, t := range in.Tags {
		t.ResourceId, t.ResourceType = g.Name, "auto-scaling-group"
		if t.PropagateAtLaunch == nil {
			f := false
			t.PropagateAtLaunch = &f
		}
		g.Tags = append(g.Tags, t)
	}
	s.saveGroup(g)
	c.AddResource("AWS::AutoScaling::AutoScalingGroup", g.Name, s.groupARN(g))
	s.reconcile(g, fmt.Sprintf("At %s a user request created an AutoScalingGroup changing the desired capacity from 0 to %d.", stamp(c.Now), desired))
	return nil, nil
}

func applyOptions(g *group, in *GroupInput) {
	if in.DefaultCooldown != nil {
		g.Cooldown = *in.DefaultCooldown
	}
	if in.HealthCheckType != "" {
		g.HealthCheck = in.HealthCheckType
	}
	if in.HealthCheckGracePeriod != nil {
		g.Grace = *in.HealthCheckGracePeriod
	}
	if len(in.TerminationPolicies) > 0 {
		g.TermPolicies = in.TerminationPolicies
	}
	if in.NewInstancesProtectedFromScaleIn != nil {
		g.NewProtected = *in.NewInstancesProtectedFromScaleIn
	}
	if in.CapacityRebalance != nil {
		g.CapacityRebal = *in.CapacityRebalance
	}
}

func checkBounds(min, max, desired int) error {
	if min > max {
		return errValidation("Max bound, %d, must be greater than or equal to min bound, %d", max, min)
	}
	if desired < min || desired > max {
		return errValidation("Desired capacity:%d must be between the specified min size:%d and max size:%d", desired, min, max)
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func notFound(name string) error {
	return errValidation("AutoScalingGroup name not found - AutoScalingGroup %s not found", name)
}

// UpdateAutoScalingGroup changes a group's sizes and options.
func (s *Service) UpdateAutoScalingGroup(c *api.Call, in *GroupInput) (*struct{}, error) {
	g, ok := s.loadGroup(in.AutoScalingGroupName)
	if !ok {
		return nil, errValidation("AutoScalingGroup name not found - null")
	}
	if in.LaunchConfigurationName != "" {
		if _, ok := s.getLC(in.LaunchConfigurationName); !ok {
			return nil, errValidation("Launch configuration name not found - Launch configuration %s not found", in.LaunchConfigurationName)
		}
	}
	min, max, desired := g.Min, g.Max, g.Desired
	if in.MinSize != nil {
		min = *in.MinSize
	}
	if in.MaxSize != nil {
		max = *in.MaxSize
	}
	if in.DesiredCapacity != nil {
		desired = *in.DesiredCapacity
	} else {
		// AWS moves the desired capacity into the new bounds.
		if desired < min {
			desired = min
		}
		if desired > max {
			desired = max
		}
	}
	if err := checkBounds(min, max, desired); err != nil {
		return nil, err
	}
	if err := s.checkAZs(in.AvailabilityZones); err != nil {
		return nil, err
	}
	if len(in.AvailabilityZones) > 0 {
		g.AZs = append([]string(nil), in.AvailabilityZones...)
		sort.Strings(g.AZs)
	}
	if in.LaunchConfigurationName != "" {
		g.LC, g.Template = in.LaunchConfigurationName, nil
	}
	if in.LaunchTemplate != nil {
		g.LC, g.Template = "", in.LaunchTemplate
	}
	applyOptions(g, in)
	old := g.Desired
	g.Min, g.Max, g.Desired = min, max, desired
	s.saveGroup(g)
	c.AddResource("AWS::AutoScaling::AutoScalingGroup", g.Name, s.groupARN(g))
	s.reconcile(g, fmt.Sprintf("At %s a user request update of AutoScalingGroup constraints to min: %d, max: %d, desired: %d changing the desired capacity from %d to %d.", stamp(c.Now), min, max, desired, old, desired))
	return nil, nil
}

// SetDesiredCapacityInput is the request of SetDesiredCapacity.
type SetDesiredCapacityInput struct {
	AutoScalingGroupName string
	DesiredCapacity      int
	HonorCooldown        *bool
}

// SetDesiredCapacity sets a group's desired capacity.
func (s *Service) SetDesiredCapacity(c *api.Call, in *SetDesiredCapacityInput) (*struct{}, error) {
	g, ok := s.loadGroup(in.AutoScalingGroupName)
	if !ok {
		return nil, notFound(in.AutoScalingGroupName)
	}
	if in.DesiredCapacity > g.Max {
		return nil, errValidation("New SetDesiredCapacity value %d is above max value %d for the AutoScalingGroup.", in.DesiredCapacity, g.Max)
	}
	if in.DesiredCapacity < g.Min {
		return nil, errValidation("New SetDesiredCapacity value %d is below min value %d for the AutoScalingGroup.", in.DesiredCapacity, g.Min)
	}
	if in.HonorCooldown != nil && *in.HonorCooldown && s.inCooldown(g, g.Cooldown) {
		return nil, awserr.BadRequest("ScalingActivityInProgress", "Scaling activity cannot be executed because the group is in cooldown.")
	}
	old := g.Desired
	g.Desired = in.DesiredCapacity
	g.LastScale = c.Now
	s.saveGroup(g)
	c.AddResource("AWS::AutoScaling::AutoScalingGroup", g.Name, s.groupARN(g))
	s.reconcile(g, fmt.Sprintf("At %s a user request explicitly set group desired capacity changing the desired capacity from %d to %d.", stamp(c.Now), old, g.Desired))
	return nil, nil
}

func (s *Service) inCooldown(g *group, cooldown int) bool {
	return !g.LastScale.IsZero() && s.d.Clock.Now().Before(g.LastScale.Add(time.Duration(cooldown)*time.Second))
}

// DeleteAutoScalingGroupInput is the request of DeleteAutoScalingGroup.
type DeleteAutoScalingGroupInput struct {
	AutoScalingGroupName string
	ForceDelete          *bool
}

// DeleteAutoScalingGroup deletes a group (with ForceDelete, terminating its
// instances).
func (s *Service) DeleteAutoScalingGroup(c *api.Call, in *DeleteAutoScalingGroupInput) (*struct{}, error) {
	g, ok := s.loadGroup(in.AutoScalingGroupName)
	if !ok {
		return nil, notFound(in.AutoScalingGroupName)
	}
	force := in.ForceDelete != nil && *in.ForceDelete
	if len(g.Members) > 0 && !force {
		return nil, awserr.BadRequest("ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.")
	}
	var ids []string
	for _, m := range g.Members {
		ids = append(ids, m.ID)
	}
	s.d.Store.Update(func(tx *store.Tx) error {
		tx.Delete(groupPrefix + g.Name)
		var keys []string
		store.Prefix(tx, policyPrefix+g.Name+"/", func(k, _ string) bool { keys = append(keys, k); return true })
		for _, k := range keys {
			tx.Delete(k)
		}
		return nil
	})
	if len(ids) > 0 && s.d.Fleet != nil {
		s.d.Fleet.Terminate(ids)
	}
	c.AddResource("AWS::AutoScaling::AutoScalingGroup", g.Name, s.groupARN(g))
	return nil, nil
}

// DescribeAutoScalingGroupsInput is the request of DescribeAutoScalingGroups.
type DescribeAutoScalingGroupsInput struct {
	AutoScalingGroupNames []string
	MaxRecords            *int
	NextToken             string
	Filters               []struct {
		Name   string
		Values []string
	}
}

// DescribeAutoScalingGroups lists groups.
func (s *Service) DescribeAutoScalingGroups(c *api.Call, in *DescribeAutoScalingGroupsInput) (*struct{ AutoScalingGroups []map[string]any }, error) {
	want := map[string]bool{}
	for _, n := range in.AutoScalingGroupNames {
		want[n] = true
	}
	out := &struct{ AutoScalingGroups []map[string]any }{AutoScalingGroups: []map[string]any{}}
	now := s.d.Clock.Now()
outer:
	for _, g := range s.groups() {
		if len(want) > 0 && !want[g.Name] {
			continue
		}
		for _, f := range in.Filters {
			ok := false
			for _, t := range g.Tags {
				switch {
				case f.Name == "tag-key" && contains(f.Values, t.Key),
					f.Name == "tag-value" && contains(f.Values, t.Value),
					strings.HasPrefix(f.Name, "tag:") && t.Key == f.Name[4:] && contains(f.Values, t.Value):
					ok = true
				}
			}
			if !ok {
				continue outer
			}
		}
		out.AutoScalingGroups = append(out.AutoScalingGroups, s.renderGroup(g, now))
	}
	return out, nil
}

func contains(l []string, v string) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Service) renderGroup(g *group, now time.Time) map[string]any {
	insts := []map[string]any{}
	for _, m := range g.Members {
		im := map[string]any{"InstanceId": m.ID, "InstanceType": m.Type, "AvailabilityZone": m.AZ, "LifecycleState": m.State,
			"HealthStatus": m.Health, "ProtectedFromScaleIn": false}
		if m.LC != "" {
			im["LaunchConfigurationName"] = m.LC
		} else if g.Template != nil {
			im["LaunchTemplate"] = g.Template
		}
		insts = append(insts, im)
	}
	tags := []Tag{}
	tags = append(tags, g.Tags...)
	v := map[string]any{
		"AutoScalingGroupName": g.Name, "AutoScalingGroupARN": s.groupARN(g), "MinSize": g.Min, "MaxSize": g.Max,
		"DesiredCapacity": g.Desired, "DefaultCooldown": g.Cooldown, "AvailabilityZones": g.AZs, "LoadBalancerNames": []any{},
		"TargetGroupARNs": []any{}, "HealthCheckType": g.HealthCheck, "HealthCheckGracePeriod": g.Grace, "Instances": insts,
		"CreatedTime": g.Created.UTC().Format(time.RFC3339Nano), "SuspendedProcesses": []any{}, "VPCZoneIdentifier": g.VPCZone,
		"EnabledMetrics": []any{}, "Tags": tags, "TerminationPolicies": g.TermPolicies,
		"NewInstancesProtectedFromScaleIn": g.NewProtected,
		"ServiceLinkedRoleARN":             fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", s.d.Account),
		"CapacityRebalance":                g.CapacityRebal, "TrafficSources": []any{},
		"AvailabilityZoneDistribution": map[string]any{"CapacityDistributionStrategy": "balanced-best-effort"},
	}
	if g.LC != "" {
		v["LaunchConfigurationName"] = g.LC
	}
	if g.Template != nil {
		v["LaunchTemplate"] = g.Template
	}
	if g.DefaultWarmup != nil {
		v["DefaultInstanceWarmup"] = *g.DefaultWarmup
	}
	if g.MaxLifetime != nil {
		v["MaxInstanceLifetime"] = *g.MaxLifetime
	}
	return v
}
