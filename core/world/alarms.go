package world

import (
	"fmt"

	"github.com/telltale-dev/telltale/core/alarms"
	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/autoscaling"
)

// addAlarms builds CloudWatch alarms and merges their handlers into the
// "cloudwatch" service that package metrics registered: both halves answer
// to one CLI service.
func (w *World) addAlarms() error {
	w.alarms = alarms.New(alarms.Deps{Store: w.store, Clock: w.clock, Account: w.account, Region: w.region,
		Metrics: w.metrics, Topics: w.sns, Actions: alarmActions{w}, Emit: w.emitServiceEvent, Notify: w.Notify})
	if w.autoscaling != nil {
		w.autoscaling.SetAlarmsFor(func(policyARN string) []autoscaling.Alarm {
			var out []autoscaling.Alarm
			for _, a := range w.alarms.AlarmsWithAction(policyARN) {
				out = append(out, autoscaling.Alarm{AlarmName: a.Name, AlarmARN: a.ARN})
			}
			return out
		})
	}
	a, err := w.alarms.API()
	if err != nil {
		return err
	}
	cw, ok := w.registry.Service("cloudwatch")
	if !ok {
		return fmt.Errorf("world: alarms need the cloudwatch service of package metrics")
	}
	return mergeHandlers(cw, a)
}

// mergeHandlers adds the handlers of b to a, which must share its name; an
// operation handled by both is an error.
func mergeHandlers(a, b *api.Service) error {
	if a.Name != b.Name {
		return fmt.Errorf("world: cannot merge %s into %s", b.Name, a.Name)
	}
	for op, h := range b.Handlers {
		if _, dup := a.Handlers[op]; dup {
			return fmt.Errorf("world: %s: %s is handled twice", a.Name, op)
		}
		if a.Model.Operations[op] == nil {
			return fmt.Errorf("world: %s: the model has no operation %s", a.Name, op)
		}
		a.Handlers[op] = h
	}
	return nil
}

// alarmActions routes the EC2 and Auto Scaling actions of alarms.
type alarmActions struct{ w *World }

// EC2Action stops, terminates, reboots or recovers an instance.
func (a alarmActions) EC2Action(instanceID, action string) error {
	if a.w.ec2 == nil {
		return fmt.Errorf("EC2 is not available")
	}
	return a.w.ec2.AlarmAction(instanceID, action)
}

// ScalingPolicy executes an Auto Scaling policy for an alarm.
func (a alarmActions) ScalingPolicy(alarmName, policyARN string, breachValue, threshold float64) error {
	if a.w.autoscaling == nil {
		return fmt.Errorf("Auto Scaling is not available")
	}
	return a.w.autoscaling.ExecutePolicyForAlarm(alarmName, policyARN, breachValue, threshold)
}

var _ alarms.Actions = alarmActions{}

// Alarms returns the world's CloudWatch alarms, for the console.
func (w *World) Alarms() *alarms.Service { return w.alarms }
