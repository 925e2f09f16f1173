package world

import (
	"sort"

	"github.com/telltale-dev/telltale/core/autoscaling"
	"github.com/telltale-dev/telltale/core/ec2"
)

// addEC2 builds the simulated EC2: its metrics go to CloudWatch, its state
// changes to the default bus.
func (w *World) addEC2() *ec2.Service {
	w.ec2 = ec2.New(ec2.Deps{Store: w.store, Clock: w.clock, IDs: w.ids, Account: w.account, Region: w.region,
		Metrics: w.metrics, Emit: w.emitServiceEvent, Notify: w.Notify, Logs: agentLogs{w}})
	return w.ec2
}

// addAutoScaling builds Auto Scaling over the world's EC2 (addEC2 first): its
// groups launch and terminate EC2 instances and watch their state.
func (w *World) addAutoScaling() *autoscaling.Service {
	w.autoscaling = autoscaling.New(autoscaling.Deps{Store: w.store, Clock: w.clock, IDs: w.ids, Account: w.account,
		Region: w.region, Fleet: fleet{w}, Notify: w.Notify})
	w.ec2.OnStateChange(w.autoscaling.InstanceStateChanged)
	return w.autoscaling
}

// fleet routes Auto Scaling's launches and terminations to EC2.
type fleet struct{ w *World }

// Launch starts one instance of a group.
func (f fleet) Launch(l autoscaling.Launch) string {
	keys := make([]string, 0, len(l.Tags))
	for k := range l.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var tags []ec2.Tag
	for _, k := range keys {
		tags = append(tags, ec2.Tag{Key: k, Value: l.Tags[k]})
	}
	ids := f.w.ec2.Launch(ec2.LaunchSpec{ImageID: l.ImageID, InstanceType: l.InstanceType, KeyName: l.KeyName,
		Detailed: l.Detailed, UserData: l.UserData, Tags: tags, AZ: l.AZ, Group: l.Group}, 1)
	return ids[0]
}

// Terminate terminates instances of a group.
func (f fleet) Terminate(ids []string) { f.w.ec2.Terminate(ids) }

// EC2 returns the world's EC2, for the console, `telltale ec2 load` and
// alarm actions.
func (w *World) EC2() *ec2.Service { return w.ec2 }

// AutoScaling returns the world's Auto Scaling, for the console and alarm
// actions.
func (w *World) AutoScaling() *autoscaling.Service { return w.autoscaling }
