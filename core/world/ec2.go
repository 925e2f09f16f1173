package world

import (
	"github.com/telltale-dev/telltale/core/ec2"
)

// addEC2 builds the simulated EC2: its metrics go to CloudWatch, its state
// changes to the default bus.
func (w *World) addEC2() *ec2.Service {
	w.ec2 = ec2.New(ec2.Deps{Store: w.store, Clock: w.clock, IDs: w.ids, Account: w.account, Region: w.region,
		Metrics: w.metrics, Emit: w.emitServiceEvent, Notify: w.Notify})
	return w.ec2
}

// EC2 returns the world's EC2, for the console, `telltale ec2 load` and
// alarm actions.
func (w *World) EC2() *ec2.Service { return w.ec2 }
