// Package autoscaling simulates a minimal Amazon EC2 Auto Scaling: launch
// configurations, groups with minimum, maximum and desired capacity that
// launch and terminate EC2 instances (through the Fleet dependency) to match
// their desired capacity, simple and step scaling policies, and the scaling
// activities that record what happened.
//
// Capacity changes are carried out at once (the instances then go through
// EC2's pending state on the virtual clock); an activity is InProgress until
// its instance is running or terminated. Instances a group owns that stop or
// terminate outside the group are replaced. Nothing is scheduled, so a
// restored world needs no jobs.
//
// Store layout (see core/store):
//
//	autoscaling/lc/<name>                 a launch configuration
//	autoscaling/group/<name>              a group with its instances
//	autoscaling/policy/<group>/<name>     a scaling policy
//	autoscaling/activity/<group>/<seq>    a scaling activity (seq zero-padded)
//	autoscaling/seq                       the activity counter
//
// A Service is not safe for concurrent use.
package autoscaling

import (
	"fmt"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Launch is what one instance is launched with.
type Launch struct {
	Group        string
	ImageID      string
	InstanceType string
	KeyName      string
	UserData     string
	Detailed     bool
	AZ           string
	Tags         map[string]string
}

// Fleet launches and terminates the group's EC2 instances (world routes it to
// core/ec2).
type Fleet interface {
	// Launch starts an instance and returns its id.
	Launch(l Launch) string
	// Terminate terminates instances.
	Terminate(ids []string)
}

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	IDs     *ids.Generator
	Account string
	Region  string
	Fleet   Fleet
	// AlarmsFor returns the alarms whose actions name a policy ARN (nil:
	// none), for DescribePolicies and PutScalingPolicy.
	AlarmsFor func(policyARN string) []Alarm
	Notify    func(at time.Time, format string, args ...any)
}

// Service is the Auto Scaling of a world.
type Service struct{ d Deps }

// New returns the service over the world's store.
func New(d Deps) *Service { return &Service{d: d} }

// SetAlarmsFor sets the function that lists the alarms naming a policy.
func (s *Service) SetAlarmsFor(fn func(policyARN string) []Alarm) { s.d.AlarmsFor = fn }

const (
	lcPrefix       = "autoscaling/lc/"
	groupPrefix    = "autoscaling/group/"
	policyPrefix   = "autoscaling/policy/"
	activityPrefix = "autoscaling/activity/"
	seqKey         = "autoscaling/seq"
)

// Alarm is an alarm that names a policy.
type Alarm struct {
	AlarmName string
	AlarmARN  string
}

func errValidation(format string, args ...any) error {
	return awserr.BadRequest("ValidationError", fmt.Sprintf(format, args...))
}

func (s *Service) groupARN(g *group) string {
	return fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:%s:autoScalingGroupName/%s", s.d.Region, s.d.Account, g.UUID, g.Name)
}

func (s *Service) lcARN(lc *launchConfig) string {
	return fmt.Sprintf("arn:aws:autoscaling:%s:%s:launchConfiguration:%s:launchConfigurationName/%s", s.d.Region, s.d.Account, lc.UUID, lc.Name)
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("autoscaling")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:  "autoscaling",
		Model: m,
		Handlers: map[string]api.Handler{
			"CreateLaunchConfiguration":    api.Op(s.CreateLaunchConfiguration),
			"DescribeLaunchConfigurations": api.Op(s.DescribeLaunchConfigurations),
			"DeleteLaunchConfiguration":    api.Op(s.DeleteLaunchConfiguration),
			"CreateAutoScalingGroup":       api.Op(s.CreateAutoScalingGroup),
			"DescribeAutoScalingGroups":    api.Op(s.DescribeAutoScalingGroups),
			"UpdateAutoScalingGroup":       api.Op(s.UpdateAutoScalingGroup),
			"SetDesiredCapacity":           api.Op(s.SetDesiredCapacity),
			"DeleteAutoScalingGroup":       api.Op(s.DeleteAutoScalingGroup),
			"PutScalingPolicy":             api.Op(s.PutScalingPolicy),
			"DescribePolicies":             api.Op(s.DescribePolicies),
			"DeletePolicy":                 api.Op(s.DeletePolicy),
			"ExecutePolicy":                api.Op(s.ExecutePolicy),
			"DescribeScalingActivities":    api.Op(s.DescribeScalingActivities),
		},
	}, nil
}
