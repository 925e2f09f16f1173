package world

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/cloudtrail"
	"github.com/telltale-dev/telltale/core/eventbridge"
)

// addEvents builds EventBridge, routes its deliveries through the world and
// registers it.
func (w *World) addEvents() error {
	ev, err := eventbridge.New(eventbridge.Deps{
		Store: w.store, Clock: w.clock, IDs: w.ids, Account: w.account, Region: w.region,
		Targets: targets{w}, Notify: w.Notify, Observer: w.schemas, PartnerOf: w.partnerOf,
	})
	if err != nil {
		return err
	}
	w.events = ev
	s, err := ev.API()
	if err != nil {
		return err
	}
	return w.registry.Register(s)
}

// targets routes EventBridge deliveries to the service a target's ARN names.
type targets struct{ w *World }

// arnService returns the service of an ARN (arn:aws:SERVICE:...).
func arnService(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[2]
}

func noResource(arn string) error {
	return &eventbridge.DeliveryError{Code: "NO_RESOURCE", Message: "The target " + arn + " does not exist or is not supported by the simulation."}
}

// Deliver sends a payload to an SQS queue, an SNS topic, a Lambda function
// or a CloudWatch Logs log group.
func (t targets) Deliver(arn string, payload []byte) error {
	return t.route(arn, payload, nil)
}

// DeadLetter sends an event to a dead-letter SQS queue.
func (t targets) DeadLetter(arn string, payload []byte, attrs map[string]string) error {
	if arnService(arn) != "sqs" {
		return noResource(arn)
	}
	return t.route(arn, payload, attrs)
}

func (t targets) route(arn string, payload []byte, attrs map[string]string) error {
	var err error
	switch arnService(arn) {
	case "sqs":
		err = t.w.sqs.Deliver(arn, string(payload), attrs)
	case "sns":
		err = t.w.sns.Deliver(arn, string(payload), "")
	case "lambda":
		err = t.w.lambda.Deliver(arn, payload)
	case "logs":
		err = t.w.deliverToLogGroup(arn, payload)
	default:
		return noResource(arn)
	}
	if err != nil {
		// The only failure of the simulated services is a missing resource,
		// which EventBridge does not retry.
		return &eventbridge.DeliveryError{Code: "NO_RESOURCE", Message: err.Error()}
	}
	return nil
}

// toEventBridge puts a CloudTrail management event on the default bus as an
// "AWS API Call via CloudTrail" event (spec 1.17). It is not an API call and
// is not itself recorded.
func (w *World) toEventBridge(r *cloudtrail.Record) {
	if w.events == nil || !r.ManagementEvent {
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(r) != nil {
		return
	}
	w.events.PutServiceEvent(eventbridge.ServiceEvent{
		Source:      "aws." + strings.TrimSuffix(r.EventSource, ".amazonaws.com"),
		DetailType:  "AWS API Call via CloudTrail",
		Detail:      bytes.TrimRight(buf.Bytes(), "\n"),
		Time:        w.clock.Now(),
		Resources:   []string{},
		ReadOnlyAPI: r.ReadOnly,
	})
}

// partnerOf returns the SaaS partner name of an account's profile.
func (w *World) partnerOf(account string) string {
	for _, p := range w.Profiles() {
		if p.Identity.AccountID == account {
			return p.Partner
		}
	}
	return ""
}

// deliverToLogGroup writes an event into the log group of a target ARN
// (arn:aws:logs:REGION:ACCOUNT:log-group:NAME) as one log event, at the
// event's time, in a stream named by the event's id. The stream naming is
// from observed AWS behaviour (EventBridge's log group targets write each
// event to a stream named after its id); it is not documented.
func (w *World) deliverToLogGroup(arn string, payload []byte) error {
	group, ok := w.logs.GroupOfARN(arn)
	if !ok {
		return fmt.Errorf("the target %s is not a log group of this account and region", arn)
	}
	var ev struct {
		ID   string `json:"id"`
		Time string `json:"time"`
	}
	if json.Unmarshal(payload, &ev) != nil || ev.ID == "" {
		// An input transformer or constant input replaced the event: the
		// stream is named by a fresh id.
		ev.ID = w.ids.UUID()
	}
	at := w.clock.Now()
	if t, err := time.Parse(time.RFC3339, ev.Time); err == nil {
		at = t
	}
	return w.logs.PutTargetEvent(group, ev.ID, at, string(payload))
}
