package logs

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/filterpattern"
	"github.com/telltale-dev/telltale/core/store"
)

// Subscription filters (spec §6.4). Store layout:
//
//	logs/sfilter/<group>*<filter>    a subscription filter (JSON)
//
// Delivery is immediate: every PutLogEvents call (and every Append of a log
// source inside the world) sends, for each subscription filter of the group
// that matches at least one of the stored events, one DATA_MESSAGE holding
// the matching events of that call. AWS buffers for a few seconds and may
// merge or split batches; the simulation does not batch on the clock.

const sfilterPrefix = "logs/sfilter/"

// MaxSubscriptionFilters is the number of subscription filters a log group
// may have (a fixed quota).
const MaxSubscriptionFilters = 2

// MaxDeliveryChain bounds how many times log lines written because of a
// delivery (a Lambda function invoked by a subscription writes its own log
// lines) may themselves be delivered, so a function subscribed to its own
// log group cannot loop forever.
const MaxDeliveryChain = 3

// Destination kinds of subscription filters.
const (
	DestinationLambda   = "lambda"
	DestinationKinesis  = "kinesis"
	DestinationFirehose = "firehose"
)

// Destinations are the receivers of subscription filters. world implements
// it by routing to Lambda, Kinesis Data Streams and Firehose.
type Destinations interface {
	// LogDestinationExists reports whether the destination an ARN names
	// exists (kind is DestinationLambda, DestinationKinesis or
	// DestinationFirehose).
	LogDestinationExists(kind, arn string) bool
	// DeliverLogs sends one payload: data is the gzip-compressed JSON
	// document; a Lambda function receives it base64-encoded as
	// {"awslogs":{"data":"..."}}, a stream receives the bytes as a record
	// with the given partition key.
	DeliverLogs(kind, arn string, data []byte, partitionKey string) error
}

type subscriptionFilter struct {
	Name         string
	Pattern      string
	Destination  string
	Kind         string
	Role         string `json:",omitempty"`
	Distribution string
	Transformed  bool `json:",omitempty"`
	Created      int64
}

// PutSubscriptionFilterInput is the request of PutSubscriptionFilter.
type PutSubscriptionFilterInput struct {
	LogGroupName           string
	FilterName             string
	FilterPattern          string
	DestinationArn         string
	RoleArn                string
	Distribution           string
	ApplyOnTransformedLogs bool
	FieldSelectionCriteria string
	EmitSystemFields       []string
}

// destinationKind returns the kind of destination an ARN names, or an
// InvalidParameterException as AWS words it.
func (s *Service) destinationKind(arn, role string) (string, error) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) < 6 || p[0] != "arn" {
		// Unverified wording.
		return "", errInvalid("Invalid destinationArn: %s", arn)
	}
	vendor := p[2]
	var kind string
	switch {
	case vendor == "lambda" && strings.HasPrefix(p[5], "function:"):
		kind = DestinationLambda
	case vendor == "kinesis" && strings.HasPrefix(p[5], "stream/"):
		kind = DestinationKinesis
	case vendor == "firehose" && strings.HasPrefix(p[5], "deliverystream/"):
		kind = DestinationFirehose
	case vendor == "logs" && strings.HasPrefix(p[5], "destination:"):
		// Cross-account logical destinations (PutDestination) are not
		// simulated: there is no other account to own one.
		return "", awserr.BadRequest("ResourceNotFoundException", "The specified destination does not exist.")
	default:
		return "", errInvalid("PutSubscriptionFilter operation cannot work with destinationArn for vendor %s", vendor)
	}
	if kind != DestinationLambda && role == "" {
		return "", errInvalid("destinationArn for vendor %s cannot be used without roleArn", vendor)
	}
	if p[3] != s.d.Region || p[4] != s.d.Account || s.d.Destinations == nil || !s.d.Destinations.LogDestinationExists(kind, arn) {
		switch kind {
		case DestinationLambda:
			return "", errInvalid("Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.")
		case DestinationKinesis:
			// Unverified wording.
			return "", errInvalid("Could not deliver test message to specified Kinesis stream. Check if the given kinesis stream is in ACTIVE state.")
		default:
			// Unverified wording.
			return "", errInvalid("Could not deliver test message to specified Firehose stream. Check if the given Firehose stream is in ACTIVE state.")
		}
	}
	return kind, nil
}

// PutSubscriptionFilter creates or replaces a subscription filter of a
// group: at most 2 a group, to an existing Lambda function, Kinesis data
// stream or Firehose stream of the account (a role is required except for
// Lambda). A new filter, or one whose destination changes, first sends a
// CONTROL_MESSAGE to the destination, as AWS does to check it. It is not
// retroactive: only events ingested afterwards are delivered.
func (s *Service) PutSubscriptionFilter(c *api.Call, in *PutSubscriptionFilterInput) (*struct{}, error) {
	p, err := filterpattern.Parse(in.FilterPattern)
	if err != nil {
		return nil, patternError(err)
	}
	dist := in.Distribution
	if dist == "" {
		dist = "ByLogStream"
	}
	kind, err := s.destinationKind(in.DestinationArn, in.RoleArn)
	if err != nil {
		return nil, err
	}
	f := subscriptionFilter{Name: in.FilterName, Pattern: in.FilterPattern, Destination: in.DestinationArn, Kind: kind,
		Role: in.RoleArn, Distribution: dist, Transformed: in.ApplyOnTransformedLogs, Created: ms(c.Now)}
	control := true
	err = s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		existing, err := s.subscriptionFilters(tx, in.LogGroupName)
		if err != nil {
			return err
		}
		others, regex := 0, 0
		for _, e := range existing {
			if e.f.Name == in.FilterName {
				f.Created = e.f.Created
				control = e.f.Destination != f.Destination
				continue
			}
			others++
			if e.p.HasRegex() {
				regex++
			}
		}
		if others >= MaxSubscriptionFilters {
			return awserr.BadRequest("LimitExceededException", "Resource limit exceeded.")
		}
		if p.HasRegex() {
			mfs, err := s.metricFilters(tx, in.LogGroupName)
			if err != nil {
				return err
			}
			for _, m := range mfs {
				if m.p.HasRegex() {
					regex++
				}
			}
			if regex >= MaxRegexFilters {
				// Unverified wording (the quota: 5 filter patterns with
				// regular expressions a group, metric and subscription
				// filters together).
				return awserr.BadRequest("LimitExceededException", "A log group can have at most 5 filter patterns with regular expressions.")
			}
		}
		c.AddResource("AWS::Logs::SubscriptionFilter", in.FilterName, s.groupARN(in.LogGroupName))
		return store.SetJSON(tx, sfilterPrefix+in.LogGroupName+sep+in.FilterName, f)
	})
	if err != nil {
		return nil, err
	}
	if control {
		s.sendControl(f, c.Now)
	}
	return nil, nil
}

// controlMessages are the messages of the CONTROL_MESSAGE CloudWatch Logs
// sends to check a destination. Kinesis and Firehose are seen in payloads
// captured from AWS; Lambda's is unverified wording.
var controlMessages = map[string]string{
	DestinationKinesis:  "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.",
	DestinationFirehose: "CWL CONTROL MESSAGE: Checking health of destination Firehose.",
	DestinationLambda:   "CWL CONTROL MESSAGE: Checking health of destination Lambda.",
}

func (s *Service) sendControl(f subscriptionFilter, now time.Time) {
	m := Message{MessageType: "CONTROL_MESSAGE", Owner: "CloudwatchLogs", SubscriptionFilters: []string{},
		LogEvents: []MessageEvent{{ID: "", Timestamp: ms(now), Message: controlMessages[f.Kind]}}}
	s.send(f, m, "")
}

// Message is the JSON document CloudWatch Logs delivers to subscription
// destinations (gzip-compressed; base64-encoded for Lambda), with AWS's
// member order.
type Message struct {
	MessageType         string         `json:"messageType"`
	Owner               string         `json:"owner"`
	LogGroup            string         `json:"logGroup"`
	LogStream           string         `json:"logStream"`
	SubscriptionFilters []string       `json:"subscriptionFilters"`
	LogEvents           []MessageEvent `json:"logEvents"`
}

// MessageEvent is a log event of a Message: id is the event's 56-digit id
// (the eventId of FilterLogEvents).
type MessageEvent struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

// EncodeMessage returns the gzip-compressed JSON of a message, as
// destinations receive it. The gzip header carries no time, so the bytes
// depend only on the message.
func EncodeMessage(m Message) ([]byte, error) {
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	if _, err := w.Write(bytes.TrimRight(js.Bytes(), "\n")); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return z.Bytes(), nil
}

// partitionKey is the Kinesis partition key of a delivery: a digest of the
// group and stream for ByLogStream, of the events too for Random.
// Unverified: AWS's keys are opaque hex strings.
func partitionKey(f subscriptionFilter, m Message) string {
	h := fnv.New128a()
	fmt.Fprintf(h, "%s\x00%s", m.LogGroup, m.LogStream)
	if f.Distribution == "Random" && len(m.LogEvents) > 0 {
		fmt.Fprintf(h, "\x00%s", m.LogEvents[0].ID)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// send delivers a message to a filter's destination. A failed delivery is
// reported through Notify and dropped (AWS retries retryable errors for up
// to 24 hours; a missing destination is not retryable).
func (s *Service) send(f subscriptionFilter, m Message, group string) {
	if s.d.Destinations == nil {
		return
	}
	data, err := EncodeMessage(m)
	if err == nil {
		prev := s.delivering
		s.delivering = true
		err = s.d.Destinations.DeliverLogs(f.Kind, f.Destination, data, partitionKey(f, m))
		s.delivering = prev
	}
	if err != nil && s.d.Notify != nil {
		s.d.Notify(s.d.Clock.Now(), "CloudWatch Logs: subscription filter %s of %s could not deliver to %s: %v", f.Name, group, f.Destination, err)
	}
}

// compiledSub is a subscription filter ready to run over events.
type compiledSub struct {
	f subscriptionFilter
	p *filterpattern.Pattern
}

func (s *Service) subscriptionFilters(tx *store.Tx, g string) ([]compiledSub, error) {
	var out []compiledSub
	var ferr error
	store.Prefix(tx, sfilterPrefix+g+sep, func(_, v string) bool {
		var f subscriptionFilter
		if ferr = jsonUnmarshal(v, &f); ferr != nil {
			return false
		}
		p, err := filterpattern.Parse(f.Pattern)
		if err != nil {
			return true // stored filters were valid when put
		}
		out = append(out, compiledSub{f, p})
		return true
	})
	return out, ferr
}

// delivery is a DATA_MESSAGE to send once the events are stored.
type delivery struct {
	f subscriptionFilter
	m Message
}

// matchSubscriptions builds the DATA_MESSAGEs of the events of one put.
func (s *Service) matchSubscriptions(subs []compiledSub, gname, sname string, evs []MessageEvent) []delivery {
	var out []delivery
	for _, sub := range subs {
		m := Message{MessageType: "DATA_MESSAGE", Owner: s.d.Account, LogGroup: gname, LogStream: sname,
			SubscriptionFilters: []string{sub.f.Name}}
		for _, e := range evs {
			if sub.p.Matches(e.Message) {
				m.LogEvents = append(m.LogEvents, e)
			}
		}
		if len(m.LogEvents) > 0 {
			out = append(out, delivery{sub.f, m})
		}
	}
	return out
}

// deliverAll sends the messages of a put, unless the events were written
// because of too long a chain of deliveries.
func (s *Service) deliverAll(ds []delivery) {
	for _, d := range ds {
		if s.gen > MaxDeliveryChain {
			if s.d.Notify != nil {
				s.d.Notify(s.d.Clock.Now(), "CloudWatch Logs: subscription filter %s of %s not delivered: the events were written by a chain of %d deliveries (a recursive loop)", d.f.Name, d.m.LogGroup, s.gen)
			}
			continue
		}
		s.send(d.f, d.m, d.m.LogGroup)
	}
}

// DescribeSubscriptionFiltersInput is the request of DescribeSubscriptionFilters.
type DescribeSubscriptionFiltersInput struct {
	LogGroupName     string
	FilterNamePrefix string
	NextToken        *string
	Limit            *int
}

// SubscriptionFilterView is a subscription filter as DescribeSubscriptionFilters shows it.
type SubscriptionFilterView struct {
	FilterName             string `json:"filterName"`
	LogGroupName           string `json:"logGroupName"`
	FilterPattern          string `json:"filterPattern"`
	DestinationArn         string `json:"destinationArn"`
	RoleArn                string `json:"roleArn,omitempty"`
	Distribution           string `json:"distribution"`
	ApplyOnTransformedLogs bool   `json:"applyOnTransformedLogs"`
	CreationTime           int64  `json:"creationTime"`
}

// DescribeSubscriptionFiltersOutput is the response of DescribeSubscriptionFilters.
type DescribeSubscriptionFiltersOutput struct {
	SubscriptionFilters []SubscriptionFilterView `json:"subscriptionFilters"`
	NextToken           string                   `json:"nextToken,omitempty"`
}

// DescribeSubscriptionFilters lists the subscription filters of a group in
// name order, optionally by name prefix, 50 to a page by default.
func (s *Service) DescribeSubscriptionFilters(c *api.Call, in *DescribeSubscriptionFiltersInput) (*DescribeSubscriptionFiltersOutput, error) {
	off, err := parseOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := defaultGroupLimit
	if in.Limit != nil {
		limit = *in.Limit
	}
	var all []SubscriptionFilterView
	err = s.d.Store.View(func(tx *store.Tx) error {
		if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		var ferr error
		store.Prefix(tx, sfilterPrefix+in.LogGroupName+sep+in.FilterNamePrefix, func(_, v string) bool {
			var f subscriptionFilter
			if ferr = jsonUnmarshal(v, &f); ferr != nil {
				return false
			}
			all = append(all, SubscriptionFilterView{FilterName: f.Name, LogGroupName: in.LogGroupName, FilterPattern: f.Pattern,
				DestinationArn: f.Destination, RoleArn: f.Role, Distribution: f.Distribution,
				ApplyOnTransformedLogs: f.Transformed, CreationTime: f.Created})
			return true
		})
		return ferr
	})
	if err != nil {
		return nil, err
	}
	out := &DescribeSubscriptionFiltersOutput{SubscriptionFilters: []SubscriptionFilterView{}}
	items, next := page(all, off, limit)
	out.SubscriptionFilters, out.NextToken = append(out.SubscriptionFilters, items...), next
	return out, nil
}

// DeleteSubscriptionFilterInput is the request of DeleteSubscriptionFilter.
type DeleteSubscriptionFilterInput struct {
	LogGroupName string
	FilterName   string
}

// DeleteSubscriptionFilter deletes a subscription filter.
func (s *Service) DeleteSubscriptionFilter(c *api.Call, in *DeleteSubscriptionFilterInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		k := sfilterPrefix + in.LogGroupName + sep + in.FilterName
		if !store.Exists(tx, k) {
			// Unverified wording.
			return awserr.BadRequest("ResourceNotFoundException", "The specified subscription filter does not exist.")
		}
		c.AddResource("AWS::Logs::SubscriptionFilter", in.FilterName, s.groupARN(in.LogGroupName))
		_, err := tx.Delete(k)
		return err
	})
}
