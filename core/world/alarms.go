package world

import (
	"fmt"

	"github.com/telltale-dev/telltale/core/alarms"
	"github.com/telltale-dev/telltale/core/api"
)

// addAlarms builds CloudWatch alarms and merges their handlers into the
// "cloudwatch" service that package metrics registered: both halves answer
// to one CLI service.
func (w *World) addAlarms() error {
	w.alarms = alarms.New(alarms.Deps{Store: w.store, Clock: w.clock, Account: w.account, Region: w.region,
		Metrics: w.metrics, Topics: w.sns, Emit: w.emitServiceEvent, Notify: w.Notify})
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

// Alarms returns the world's CloudWatch alarms, for the console.
func (w *World) Alarms() *alarms.Service { return w.alarms }
