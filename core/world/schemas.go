package world

import "github.com/telltale-dev/telltale/core/eventbridge"

// emitServiceEvent puts an event of an AWS service (the Schema Registry's
// "Schema Created", for one) on the default bus. It is not an API call.
func (w *World) emitServiceEvent(source, detailType string, detail []byte, resources []string) {
	if w.events == nil {
		return
	}
	w.events.PutServiceEvent(eventbridge.ServiceEvent{Source: source, DetailType: detailType, Detail: detail,
		Time: w.clock.Now(), Resources: resources})
}
