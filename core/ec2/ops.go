package ec2

import (
	"encoding/base64"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// Limits of the simulation.
const (
	// MaxInstances is how many instances a world may have that are not
	// terminated (AWS's On-Demand vCPU limits, simplified).
	MaxInstances = 100
)

// AgentTag is the tag that says an instance runs the CloudWatch agent (value
// "true"); user data mentioning amazon-cloudwatch-agent says so too.
const AgentTag = "telltale:cloudwatch-agent"

// TagSpecification is tags to apply to created resources.
type TagSpecification struct {
	ResourceType string
	Tags         []Tag
}

// RunInstancesInput is the request of RunInstances.
type RunInstancesInput struct {
	ImageId           string
	InstanceType      string
	KeyName           string
	MinCount          int
	MaxCount          int
	Monitoring        *struct{ Enabled *bool }
	Placement         *struct{ AvailabilityZone string }
	SubnetId          string
	UserData          string
	TagSpecifications []TagSpecification
	ClientToken       string
	DryRun            *bool
}

// LaunchSpec is what an instance is launched with (RunInstances, Auto
// Scaling).
type LaunchSpec struct {
	ImageID      string
	InstanceType string
	KeyName      string
	Detailed     bool
	UserData     string
	Tags         []Tag
	AZ           string
	Group        string // Auto Scaling group name
}

func errf(code, format string, args ...any) error {
	return awserr.BadRequest(code, fmt.Sprintf(format, args...))
}

func dryRun(b *bool) error {
	if b != nil && *b {
		return errf("DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
	}
	return nil
}

// RunInstances launches instances.
func (s *Service) RunInstances(c *api.Call, in *RunInstancesInput) (*Reservation, error) {
	if in.ImageId == "" {
		return nil, errf("MissingParameter", "The request must contain the parameter ImageId")
	}
	if !strings.HasPrefix(in.ImageId, "ami-") || len(in.ImageId) < 12 || strings.Trim(in.ImageId[4:], "0123456789abcdef") != "" {
		return nil, errf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", in.ImageId)
	}
	if in.MinCount < 1 {
		return nil, errf("InvalidParameterValue", "Value (%d) for parameter minCount is invalid. Expected a positive integer.", in.MinCount)
	}
	if in.MaxCount < 1 {
		return nil, errf("InvalidParameterValue", "Value (%d) for parameter maxCount is invalid. Expected a positive integer.", in.MaxCount)
	}
	if in.MinCount > in.MaxCount {
		return nil, errf("InvalidParameterValue", "Value (%d) for parameter minCount is invalid. Expected a value less than or equal to maxCount (%d).", in.MinCount, in.MaxCount)
	}
	typ := in.InstanceType
	if typ == "" {
		typ = "m1.small"
	}
	if _, ok := vcpus(typ); !ok {
		return nil, errf("InvalidParameterValue", "Invalid value '%s' for InstanceType.", typ)
	}
	var tags []Tag
	for _, ts := range in.TagSpecifications {
		if ts.ResourceType != "" && ts.ResourceType != "instance" && ts.ResourceType != "volume" && ts.ResourceType != "network-interface" {
			return nil, errf("InvalidParameterValue", "'%s' is not a valid taggable resource type for this operation.", ts.ResourceType)
		}
		if ts.ResourceType == "instance" || ts.ResourceType == "" {
			for _, t := range ts.Tags {
				if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
					return nil, errf("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use")
				}
			}
			tags = append(tags, ts.Tags...)
		}
	}
	az := ""
	if in.Placement != nil {
		az = in.Placement.AvailabilityZone
		if az != "" && !s.validAZ(az) {
			return nil, errf("InvalidParameterValue", "Invalid availability zone: [%s]", az)
		}
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	alive := 0
	for _, i := range s.all() {
		if i.State != "terminated" {
			alive++
		}
	}
	n := in.MaxCount
	if alive+n > MaxInstances {
		n = MaxInstances - alive
	}
	if n < in.MinCount {
		return nil, errf("InstanceLimitExceeded", "You have requested more instances (%d) than your current instance limit of %d allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.", alive+in.MinCount, MaxInstances)
	}
	spec := LaunchSpec{ImageID: in.ImageId, InstanceType: typ, KeyName: in.KeyName, UserData: in.UserData, Tags: tags, AZ: az}
	if in.Monitoring != nil && in.Monitoring.Enabled != nil {
		spec.Detailed = *in.Monitoring.Enabled
	}
	res := s.launch(spec, n, in.ClientToken, "")
	for _, i := range res.Instances {
		id := i["InstanceId"].(string)
		c.AddResource("AWS::EC2::Instance", id, s.arn(id))
	}
	return res, nil
}

// Launch starts n instances for Auto Scaling and returns their ids.
func (s *Service) Launch(spec LaunchSpec, n int) []string {
	res := s.launch(spec, n, "", "940372691376")
	out := make([]string, len(res.Instances))
	for i, x := range res.Instances {
		out[i] = x["InstanceId"].(string)
	}
	return out
}

func (s *Service) validAZ(az string) bool {
	return strings.HasPrefix(az, s.d.Region) && len(az) == len(s.d.Region)+1 && az[len(az)-1] >= 'a' && az[len(az)-1] <= 'f'
}

func (s *Service) launch(spec LaunchSpec, n int, token, requester string) *Reservation {
	now := s.d.Clock.Now()
	var net network
	res := &Reservation{ReservationId: "r-" + s.d.IDs.Hex(17), OwnerId: s.d.Account, Groups: []any{}}
	if requester != "" {
		res.RequesterId = requester
	}
	agent := false
	if ud, err := base64.StdEncoding.DecodeString(spec.UserData); err == nil {
		agent = strings.Contains(string(ud), "amazon-cloudwatch-agent")
	}
	agent = agent || strings.Contains(spec.UserData, "amazon-cloudwatch-agent")
	for _, t := range spec.Tags {
		if t.Key == AgentTag && strings.EqualFold(t.Value, "true") {
			agent = true
		}
	}
	var launched []*instance
	s.d.Store.Update(func(tx *store.Tx) error {
		if store.GetJSON(tx, netKey, &net) != nil || net.VPC == "" {
			net = network{VPC: "vpc-" + s.d.IDs.Hex(17), SG: "sg-" + s.d.IDs.Hex(17), Subnets: map[string]string{}}
		}
		for k := 0; k < n; k++ {
			az := spec.AZ
			if az == "" {
				az = s.d.Region + string(rune('a'+net.Seq%3))
			}
			if net.Subnets[az] == "" {
				net.Subnets[az] = "subnet-" + s.d.IDs.Hex(17)
			}
			net.Seq++
			net.IPs++
			ip := fmt.Sprintf("172.31.%d.%d", 16+(net.IPs/250)%200, 4+net.IPs%250)
			in := &instance{
				Seq: net.Seq, ID: "i-" + s.d.IDs.Hex(17), Reservation: res.ReservationId, Requester: requester,
				ImageID: spec.ImageID, InstanceType: spec.InstanceType, KeyName: spec.KeyName, AZ: az,
				Subnet: net.Subnets[az], VPC: net.VPC, SecurityGroup: net.SG, PrivateIP: ip, LaunchIndex: k,
				ClientToken: token, State: "pending", Due: now.Add(PendingDelay), LaunchTime: now,
				ReasonCode: "pending", Detailed: spec.Detailed, Agent: agent, Group: spec.Group, UserData: agentUserData(agent, spec.UserData),
				Tags: append([]Tag(nil), spec.Tags...), VolumeID: "vol-" + s.d.IDs.Hex(17), ENI: "eni-" + s.d.IDs.Hex(17),
			}
			if spec.Group != "" {
				in.Tags = append(in.Tags, Tag{Key: "aws:autoscaling:groupName", Value: spec.Group})
			}
			s.put(tx, in)
			launched = append(launched, in)
		}
		return store.SetJSON(tx, netKey, &net)
	})
	for _, in := range launched {
		res.Instances = append(res.Instances, s.render(in, now))
	}
	for _, in := range launched {
		s.stateChanged(now, in.ID, "pending")
	}
	s.reschedule()
	return res
}

// Filter is a DescribeInstances filter.
type Filter struct {
	Name   string
	Values []string
}

// DescribeInstancesInput is the request of DescribeInstances.
type DescribeInstancesInput struct {
	InstanceIds []string
	Filters     []Filter
	MaxResults  *int
	NextToken   string
	DryRun      *bool
}

// DescribeInstancesOutput is the response of DescribeInstances.
type DescribeInstancesOutput struct {
	Reservations []*Reservation
	NextToken    string `json:",omitempty"`
}

var filterNames = map[string]bool{"instance-id": true, "instance-state-name": true, "instance-state-code": true,
	"instance-type": true, "image-id": true, "tag-key": true, "availability-zone": true, "monitoring-state": true,
	"reservation-id": true, "vpc-id": true, "subnet-id": true, "private-ip-address": true}

func checkID(id string) error {
	if !strings.HasPrefix(id, "i-") || (len(id) != 10 && len(id) != 19) || strings.Trim(id[2:], "0123456789abcdef") != "" {
		return errf("InvalidInstanceID.Malformed", "Invalid id: \"%s\"", id)
	}
	return nil
}

// visible reports whether DescribeInstances still lists an instance.
func visible(in *instance, now time.Time) bool {
	return in.State != "terminated" || now.Sub(in.TerminatedAt) < TerminatedVisible
}

// find returns the instances of ids (in the order given) or AWS's error.
func (s *Service) find(ids []string) ([]*instance, error) {
	now := s.d.Clock.Now()
	var out []*instance
	var missing []string
	for _, id := range ids {
		if err := checkID(id); err != nil {
			return nil, err
		}
	}
	s.d.Store.View(func(tx *store.Tx) error {
		for _, id := range ids {
			in, ok := s.get(tx, id)
			if !ok || !visible(in, now) {
				missing = append(missing, id)
				continue
			}
			out = append(out, in)
		}
		return nil
	})
	if len(missing) == 1 {
		return nil, errf("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", missing[0])
	}
	if len(missing) > 1 {
		return nil, errf("InvalidInstanceID.NotFound", "The instance IDs '%s' do not exist", strings.Join(missing, ", "))
	}
	return out, nil
}

func match(values []string, v string) bool {
	for _, p := range values {
		if ok, _ := path.Match(p, v); ok || p == v {
			return true
		}
	}
	return false
}

func (in *instance) matches(f Filter) bool {
	switch {
	case f.Name == "instance-id":
		return match(f.Values, in.ID)
	case f.Name == "instance-state-name":
		return match(f.Values, in.State)
	case f.Name == "instance-state-code":
		return match(f.Values, fmt.Sprint(stateCodes[in.State]))
	case f.Name == "instance-type":
		return match(f.Values, in.InstanceType)
	case f.Name == "image-id":
		return match(f.Values, in.ImageID)
	case f.Name == "availability-zone":
		return match(f.Values, in.AZ)
	case f.Name == "reservation-id":
		return match(f.Values, in.Reservation)
	case f.Name == "vpc-id":
		return in.State != "terminated" && match(f.Values, in.VPC)
	case f.Name == "subnet-id":
		return in.State != "terminated" && match(f.Values, in.Subnet)
	case f.Name == "private-ip-address":
		return in.State != "terminated" && match(f.Values, in.PrivateIP)
	case f.Name == "monitoring-state":
		st := "disabled"
		if in.Detailed {
			st = "enabled"
		}
		return match(f.Values, st)
	case f.Name == "tag-key":
		for _, t := range in.Tags {
			if match(f.Values, t.Key) {
				return true
			}
		}
		return false
	case strings.HasPrefix(f.Name, "tag:"):
		for _, t := range in.Tags {
			if t.Key == f.Name[4:] && match(f.Values, t.Value) {
				return true
			}
		}
		return false
	}
	return false
}

// DescribeInstances lists instances by reservation.
func (s *Service) DescribeInstances(c *api.Call, in *DescribeInstancesInput) (*DescribeInstancesOutput, error) {
	for _, f := range in.Filters {
		if !filterNames[f.Name] && !(strings.HasPrefix(f.Name, "tag:") && len(f.Name) > 4) {
			return nil, errf("InvalidParameterValue", "The filter '%s' is invalid", f.Name)
		}
	}
	if in.MaxResults != nil && len(in.InstanceIds) > 0 {
		return nil, errf("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	if in.MaxResults != nil && (*in.MaxResults < 5 || *in.MaxResults > 1000) {
		return nil, errf("InvalidParameterValue", "Value ( %d ) for parameter maxResults is invalid. Expecting a value greater than 5.", *in.MaxResults)
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	now := s.d.Clock.Now()
	var list []*instance
	if len(in.InstanceIds) > 0 {
		found, err := s.find(in.InstanceIds)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, i := range s.all() {
			for _, f := range found {
				if f.ID == i.ID && !seen[i.ID] {
					seen[i.ID] = true
					list = append(list, i)
				}
			}
		}
	} else {
		for _, i := range s.all() {
			if visible(i, now) {
				list = append(list, i)
			}
		}
	}
	var matched []*instance
outer:
	for _, i := range list {
		for _, f := range in.Filters {
			if !i.matches(f) {
				continue outer
			}
		}
		matched = append(matched, i)
	}
	// Pages hold MaxResults instances; the token is the id of the first
	// instance of the next page.
	if in.NextToken != "" {
		k := -1
		for j, i := range matched {
			if tokenOf(i.ID) == in.NextToken {
				k = j
			}
		}
		if k < 0 {
			return nil, errf("InvalidParameterValue", "Invalid value '%s' for nextToken.", in.NextToken)
		}
		matched = matched[k:]
	}
	out := &DescribeInstancesOutput{Reservations: []*Reservation{}}
	if in.MaxResults != nil && len(matched) > *in.MaxResults {
		out.NextToken = tokenOf(matched[*in.MaxResults].ID)
		matched = matched[:*in.MaxResults]
	}
	byRes := map[string]*Reservation{}
	for _, i := range matched {
		r := byRes[i.Reservation]
		if r == nil {
			r = &Reservation{ReservationId: i.Reservation, OwnerId: s.d.Account, RequesterId: i.Requester, Groups: []any{}}
			byRes[i.Reservation] = r
			out.Reservations = append(out.Reservations, r)
		}
		r.Instances = append(r.Instances, s.render(i, now))
	}
	return out, nil
}

func tokenOf(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("telltale:" + id))
}

// InstanceIDsInput is the request of the state operations.
type InstanceIDsInput struct {
	InstanceIds []string
	DryRun      *bool
	Force       *bool
	Hibernate   *bool
}

// InstanceState is an instance's state.
type InstanceState struct {
	Code int
	Name string
}

// InstanceStateChange is one instance's change of state.
type InstanceStateChange struct {
	InstanceId    string
	CurrentState  InstanceState
	PreviousState InstanceState
}

func state(name string) InstanceState { return InstanceState{Code: stateCodes[name], Name: name} }

// change applies op to the instances of ids: to returns the new state (or
// an error) given the current one.
func (s *Service) change(ids []string, dry *bool, to func(in *instance) (string, error)) ([]InstanceStateChange, error) {
	if len(ids) == 0 {
		return nil, errf("MissingParameter", "The request must contain the parameter InstanceId")
	}
	list, err := s.find(ids)
	if err != nil {
		return nil, err
	}
	next := make([]string, len(list))
	for k, in := range list {
		st, err := to(in)
		if err != nil {
			return nil, err
		}
		next[k] = st
	}
	if err := dryRun(dry); err != nil {
		return nil, err
	}
	now := s.d.Clock.Now()
	var out []InstanceStateChange
	var changed []*instance
	for k, in := range list {
		prev := in.State
		ch := InstanceStateChange{InstanceId: in.ID, PreviousState: state(prev), CurrentState: state(next[k])}
		out = append(out, ch)
		if next[k] == prev {
			continue
		}
		in.State = next[k]
		stamp := now.UTC().Format("2006-01-02 15:04:05 MST")
		stamp = strings.Replace(stamp, "UTC", "GMT", 1)
		switch next[k] {
		case "stopping":
			in.Due = now.Add(StoppingDelay)
			in.Transition = "User initiated (" + stamp + ")"
			in.ReasonCode = "Client.UserInitiatedShutdown"
			in.RunningSince = time.Time{}
		case "shutting-down":
			in.Due = now.Add(ShuttingDownDelay)
			in.Transition = "User initiated (" + stamp + ")"
			in.ReasonCode = "Client.UserInitiatedShutdown"
			in.RunningSince = time.Time{}
		case "pending":
			in.Due = now.Add(PendingDelay)
			in.Transition = ""
			in.ReasonCode = "pending"
			in.LaunchTime = now
			in.PublicIP = ""
		}
		s.d.Store.Update(func(tx *store.Tx) error { return s.put(tx, in) })
		changed = append(changed, in)
	}
	for _, in := range changed {
		s.stateChanged(now, in.ID, in.State)
	}
	s.reschedule()
	return out, nil
}

// StopInstancesOutput is the response of StopInstances.
type StopInstancesOutput struct{ StoppingInstances []InstanceStateChange }

// StartInstancesOutput is the response of StartInstances.
type StartInstancesOutput struct{ StartingInstances []InstanceStateChange }

// TerminateInstancesOutput is the response of TerminateInstances.
type TerminateInstancesOutput struct{ TerminatingInstances []InstanceStateChange }

// incorrect is IncorrectInstanceState. AWS words it "The instance ..." for
// start-instances and "This instance ..." for stop-instances.
func incorrect(in *instance, verb string) error {
	subject := "The"
	if verb == "stopped" {
		subject = "This"
	}
	return errf("IncorrectInstanceState", "%s instance '%s' is not in a state from which it can be %s.", subject, in.ID, verb)
}

func toStop(in *instance) (string, error) {
	switch in.State {
	case "running":
		return "stopping", nil
	case "stopping", "stopped":
		return in.State, nil
	}
	return "", incorrect(in, "stopped")
}

func toStart(in *instance) (string, error) {
	switch in.State {
	case "stopped":
		return "pending", nil
	case "pending", "running":
		return in.State, nil
	}
	return "", incorrect(in, "started")
}

func toTerminate(in *instance) (string, error) {
	switch in.State {
	case "shutting-down", "terminated":
		return in.State, nil
	}
	return "shutting-down", nil
}

// StopInstances stops running instances.
func (s *Service) StopInstances(c *api.Call, in *InstanceIDsInput) (*StopInstancesOutput, error) {
	ch, err := s.change(in.InstanceIds, in.DryRun, toStop)
	if err != nil {
		return nil, err
	}
	s.resources(c, in.InstanceIds)
	return &StopInstancesOutput{ch}, nil
}

// StartInstances starts stopped instances.
func (s *Service) StartInstances(c *api.Call, in *InstanceIDsInput) (*StartInstancesOutput, error) {
	ch, err := s.change(in.InstanceIds, in.DryRun, toStart)
	if err != nil {
		return nil, err
	}
	s.resources(c, in.InstanceIds)
	return &StartInstancesOutput{ch}, nil
}

// TerminateInstances terminates instances.
func (s *Service) TerminateInstances(c *api.Call, in *InstanceIDsInput) (*TerminateInstancesOutput, error) {
	ch, err := s.change(in.InstanceIds, in.DryRun, toTerminate)
	if err != nil {
		return nil, err
	}
	s.resources(c, in.InstanceIds)
	return &TerminateInstancesOutput{ch}, nil
}

// RebootInstances reboots running instances: they stay running (no state
// change, no event), and their metrics have a gap of a minute.
func (s *Service) RebootInstances(c *api.Call, in *InstanceIDsInput) (*struct{}, error) {
	if err := s.reboot(in.InstanceIds, in.DryRun); err != nil {
		return nil, err
	}
	s.resources(c, in.InstanceIds)
	return nil, nil
}

func (s *Service) reboot(ids []string, dry *bool) error {
	if len(ids) == 0 {
		return errf("MissingParameter", "The request must contain the parameter InstanceId")
	}
	list, err := s.find(ids)
	if err != nil {
		return err
	}
	for _, in := range list {
		if in.State == "terminated" || in.State == "shutting-down" {
			return incorrect(in, "rebooted")
		}
	}
	if err := dryRun(dry); err != nil {
		return err
	}
	now := s.d.Clock.Now()
	for _, in := range list {
		if in.State == "running" {
			in.RebootedAt = now
			s.d.Store.Update(func(tx *store.Tx) error { return s.put(tx, in) })
		}
	}
	return nil
}

func (s *Service) resources(c *api.Call, ids []string) {
	for _, id := range ids {
		c.AddResource("AWS::EC2::Instance", id, s.arn(id))
	}
}

// InstanceMonitoring is an instance's monitoring state.
type InstanceMonitoring struct {
	InstanceId string
	Monitoring struct{ State string }
}

// MonitorInstancesOutput is the response of MonitorInstances and
// UnmonitorInstances.
type MonitorInstancesOutput struct{ InstanceMonitorings []InstanceMonitoring }

// MonitorInstances enables detailed monitoring (one-minute metrics).
func (s *Service) MonitorInstances(c *api.Call, in *InstanceIDsInput) (*MonitorInstancesOutput, error) {
	return s.monitor(c, in, true)
}

// UnmonitorInstances disables detailed monitoring.
func (s *Service) UnmonitorInstances(c *api.Call, in *InstanceIDsInput) (*MonitorInstancesOutput, error) {
	return s.monitor(c, in, false)
}

func (s *Service) monitor(c *api.Call, in *InstanceIDsInput, on bool) (*MonitorInstancesOutput, error) {
	if len(in.InstanceIds) == 0 {
		return nil, errf("MissingParameter", "The request must contain the parameter InstanceId")
	}
	list, err := s.find(in.InstanceIds)
	if err != nil {
		return nil, err
	}
	for _, i := range list {
		if i.State == "terminated" || i.State == "shutting-down" {
			return nil, errf("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be monitored.", i.ID)
		}
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	out := &MonitorInstancesOutput{}
	for _, i := range list {
		i.Detailed = on
		s.d.Store.Update(func(tx *store.Tx) error { return s.put(tx, i) })
		m := InstanceMonitoring{InstanceId: i.ID}
		m.Monitoring.State = "pending"
		if !on {
			m.Monitoring.State = "disabling"
		}
		out.InstanceMonitorings = append(out.InstanceMonitorings, m)
	}
	s.resources(c, in.InstanceIds)
	return out, nil
}

// AlarmAction runs a CloudWatch alarm's EC2 action on an instance: stop,
// terminate, reboot or recover (recover is a reboot in the simulation).
func (s *Service) AlarmAction(instanceID, action string) error {
	var err error
	switch action {
	case "stop":
		_, err = s.change([]string{instanceID}, nil, toStop)
	case "terminate":
		_, err = s.change([]string{instanceID}, nil, toTerminate)
	case "reboot", "recover":
		err = s.reboot([]string{instanceID}, nil)
	default:
		return fmt.Errorf("ec2: unknown alarm action %q", action)
	}
	return err
}

// Terminate terminates instances for Auto Scaling; unknown or already
// terminated instances are skipped.
func (s *Service) Terminate(ids []string) {
	var keep []string
	now := s.d.Clock.Now()
	s.d.Store.View(func(tx *store.Tx) error {
		for _, id := range ids {
			if in, ok := s.get(tx, id); ok && visible(in, now) {
				keep = append(keep, id)
			}
		}
		return nil
	})
	if len(keep) > 0 {
		s.change(keep, nil, toTerminate)
	}
}

// State returns an instance's state name, "" if it is unknown.
func (s *Service) State(id string) string {
	var st string
	s.d.Store.View(func(tx *store.Tx) error {
		if in, ok := s.get(tx, id); ok {
			st = in.State
		}
		return nil
	})
	return st
}
