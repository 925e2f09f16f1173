package world

import (
	"fmt"

	"github.com/telltale-dev/telltale/core/dashboards"
)

// addDashboards builds CloudWatch dashboards and merges their handlers into
// the "cloudwatch" service that package metrics registered.
func (w *World) addDashboards() error {
	d, err := w.Dashboards().API()
	if err != nil {
		return err
	}
	cw, ok := w.registry.Service("cloudwatch")
	if !ok {
		return fmt.Errorf("world: dashboards need the cloudwatch service of package metrics")
	}
	return mergeHandlers(cw, d)
}

// Dashboards returns the world's CloudWatch dashboards, for the console. The
// service keeps all its state in the world's store, so every value returned
// sees the same dashboards.
func (w *World) Dashboards() *dashboards.Service {
	return dashboards.New(dashboards.Deps{Store: w.store, Clock: w.clock, Account: w.account})
}
