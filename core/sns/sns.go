// Package sns simulates Amazon Simple Notification Service: topics,
// subscriptions (sqs, lambda, email, email-json; http, https and sms are
// accepted but receive nothing) and Publish, which fans a message out to the
// confirmed subscriptions at once.
//
// Email is simulated with an inbox: the learner's mailbox, where confirmation
// requests and notifications arrive (Inbox). An email subscription stays
// PendingConfirmation until ConfirmSubscription is called with the token of
// its confirmation message, as in AWS, where the recipient clicks a link.
//
// Store layout (see core/store):
//
//	sns/topic/<name>        a topic (JSON)
//	sns/sub/<topic>/<id>    a subscription of the topic
//	sns/inbox/<seq>         an email in the inbox, seq zero-padded
//	sns/inboxseq            the last inbox sequence number
//
// A Service is not safe for concurrent use.
package sns

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// Endpoints delivers SNS messages to the other services of the world: world
// implements it with sqs.Deliver and lambda.Deliver.
type Endpoints interface {
	DeliverSQS(queueARN, body string) error
	DeliverLambda(functionARN string, payload []byte) error
}

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Deps are what the service needs from its world.
type Deps struct {
	Store     *store.Store
	Clock     Clock
	IDs       *ids.Generator
	Account   string
	Region    string
	Endpoints Endpoints // nil: sqs and lambda subscriptions receive nothing
	// Notify reports a delivery that failed (optional).
	Notify func(at time.Time, format string, args ...any)
}

// Service is the SNS of a world.
type Service struct {
	d Deps
}

// New returns the service over the world's store. Topics, subscriptions and
// the inbox found in the store (a restored world) are kept.
func New(d Deps) *Service { return &Service{d: d} }

const (
	topicPrefix = "sns/topic/"
	subPrefix   = "sns/sub/"
	inboxPrefix = "sns/inbox/"
	inboxSeqKey = "sns/inboxseq"
)

func errNotFound(what string) error {
	return awserr.New("NotFound", 404, what+" does not exist")
}

func errInvalid(msg string) error {
	return awserr.BadRequest("InvalidParameter", "Invalid parameter: "+msg)
}

var (
	topicName     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	fifoTopicName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,251}\.fifo$`)
	emailAddress  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// topic is a stored topic.
type topic struct {
	Name       string            `json:"name"`
	Attributes map[string]string `json:"attrs,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
	Deleted    int               `json:"deleted,omitempty"` // SubscriptionsDeleted
	Seq        uint64            `json:"seq,omitempty"`
}

func (t *topic) fifo() bool { return t.Attributes["FifoTopic"] == "true" }

// subscription is a stored subscription.
type subscription struct {
	ID         string            `json:"id"`
	Topic      string            `json:"topic"`
	Protocol   string            `json:"protocol"`
	Endpoint   string            `json:"endpoint"`
	Confirmed  bool              `json:"confirmed"`
	Token      string            `json:"token,omitempty"`
	Attributes map[string]string `json:"attrs,omitempty"`
	Created    time.Time         `json:"created"`
}

func (s *Service) topicARN(name string) string {
	return fmt.Sprintf("arn:aws:sns:%s:%s:%s", s.d.Region, s.d.Account, name)
}

func (s *Service) subARN(sub *subscription) string { return s.topicARN(sub.Topic) + ":" + sub.ID }

// topicFromARN returns the name of a topic of this account and region.
func (s *Service) topicFromARN(arn string) (string, bool) {
	p := strings.Split(arn, ":")
	if len(p) != 6 || p[0] != "arn" || p[2] != "sns" || p[3] != s.d.Region || p[4] != s.d.Account || p[5] == "" || strings.ContainsAny(p[5], "/\xff") {
		return "", false
	}
	return p[5], true
}

func loadTopic(tx *store.Tx, name string) (*topic, error) {
	var t topic
	if err := store.GetJSON(tx, topicPrefix+name, &t); err != nil {
		if err == store.ErrNotFound {
			return nil, errNotFound("Topic")
		}
		return nil, err
	}
	return &t, nil
}

// topicByARN loads the topic an ARN names: InvalidParameter for a malformed
// ARN, NotFound for a topic that does not exist.
func (s *Service) topicByARN(tx *store.Tx, arn, param string) (*topic, error) {
	p := strings.Split(arn, ":")
	if len(p) != 6 || p[0] != "arn" || p[2] != "sns" {
		return nil, errInvalid(param)
	}
	name, ok := s.topicFromARN(arn)
	if !ok {
		return nil, errNotFound("Topic")
	}
	return loadTopic(tx, name)
}

func (s *Service) subByARN(tx *store.Tx, arn string) (*subscription, error) {
	i := strings.LastIndexByte(arn, ':')
	if i < 0 || !strings.HasPrefix(arn, "arn:") || strings.Count(arn, ":") != 6 {
		return nil, errInvalid("SubscriptionArn")
	}
	name, ok := s.topicFromARN(arn[:i])
	if !ok {
		return nil, errNotFound("Subscription")
	}
	var sub subscription
	if err := store.GetJSON(tx, subPrefix+name+"/"+arn[i+1:], &sub); err != nil {
		if err == store.ErrNotFound {
			return nil, errNotFound("Subscription")
		}
		return nil, err
	}
	return &sub, nil
}

func subs(tx *store.Tx, topicName string) ([]*subscription, error) {
	var out []*subscription
	prefix := subPrefix
	if topicName != "" {
		prefix += topicName + "/"
	}
	err := store.Prefix(tx, prefix, func(_, v string) bool {
		var sub subscription
		if json.Unmarshal([]byte(v), &sub) == nil {
			out = append(out, &sub)
		}
		return true
	})
	return out, err
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("sns")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:  "sns",
		Model: m,
		Handlers: map[string]api.Handler{
			"CreateTopic":               api.Op(s.CreateTopic),
			"ListTopics":                api.Op(s.ListTopics),
			"DeleteTopic":               api.Op(s.DeleteTopic),
			"GetTopicAttributes":        api.Op(s.GetTopicAttributes),
			"SetTopicAttributes":        api.Op(s.SetTopicAttributes),
			"Subscribe":                 api.Op(s.Subscribe),
			"ConfirmSubscription":       api.Op(s.ConfirmSubscription),
			"Unsubscribe":               api.Op(s.Unsubscribe),
			"ListSubscriptions":         api.Op(s.ListSubscriptions),
			"ListSubscriptionsByTopic":  api.Op(s.ListSubscriptionsByTopic),
			"GetSubscriptionAttributes": api.Op(s.GetSubscriptionAttributes),
			"SetSubscriptionAttributes": api.Op(s.SetSubscriptionAttributes),
			"Publish":                   api.Op(s.Publish),
		},
	}, nil
}

// Tag is a resource tag.
type Tag struct {
	Key   string
	Value string
}

// CreateTopicInput is the request of CreateTopic.
type CreateTopicInput struct {
	Name                 string
	Attributes           map[string]string
	Tags                 []Tag
	DataProtectionPolicy *string
}

// TopicArnOutput is a response holding a topic ARN.
type TopicArnOutput struct {
	TopicArn string
}

var topicSettable = map[string]bool{
	"DisplayName": true, "Policy": true, "DeliveryPolicy": true, "KmsMasterKeyId": true, "SignatureVersion": true,
	"TracingConfig": true, "ContentBasedDeduplication": true, "FifoTopic": true, "ArchivePolicy": true,
	"FifoThroughputScope": true,
}

func checkTopicAttr(k, v string, fifo, creating bool) error {
	if !topicSettable[k] || (k == "FifoTopic" && !creating) {
		return errInvalid("AttributeName")
	}
	switch k {
	case "FifoTopic", "ContentBasedDeduplication":
		if v != "true" && v != "false" {
			return errInvalid("Attributes Reason: " + k + " must be true or false")
		}
		if k == "ContentBasedDeduplication" && !fifo {
			return errInvalid("Attributes Reason: Content-based deduplication can only be set for FIFO topics")
		}
	case "SignatureVersion":
		if v != "1" && v != "2" {
			return errInvalid("Attributes Reason: SignatureVersion must be 1 or 2")
		}
	case "TracingConfig":
		if v != "PassThrough" && v != "Active" {
			return errInvalid("Attributes Reason: TracingConfig must be PassThrough or Active")
		}
	case "Policy", "DeliveryPolicy", "ArchivePolicy":
		if !json.Valid([]byte(v)) {
			return errInvalid("Attributes Reason: " + k + ": failed to parse JSON")
		}
	case "DisplayName":
		if len(v) > 100 {
			return errInvalid("DisplayName")
		}
	}
	return nil
}

// CreateTopic creates a topic, or returns the ARN of an existing topic of the
// same name.
func (s *Service) CreateTopic(c *api.Call, in *CreateTopicInput) (*TopicArnOutput, error) {
	fifo := in.Attributes["FifoTopic"] == "true"
	if fifo && !fifoTopicName.MatchString(in.Name) || !fifo && !topicName.MatchString(in.Name) {
		if !fifo && fifoTopicName.MatchString(in.Name) {
			return nil, errInvalid("Topic Name")
		}
		if fifo {
			return nil, errInvalid("Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.")
		}
		return nil, errInvalid("Topic Name")
	}
	attrs := map[string]string{}
	for _, k := range sortedKeys(in.Attributes) {
		if err := checkTopicAttr(k, in.Attributes[k], fifo, true); err != nil {
			return nil, err
		}
		if k == "FifoTopic" && !fifo {
			continue
		}
		attrs[k] = in.Attributes[k]
	}
	arn := s.topicARN(in.Name)
	c.AddResource("AWS::SNS::Topic", in.Name, arn)
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if old, err := loadTopic(tx, in.Name); err == nil {
			for k, v := range attrs {
				if old.Attributes[k] != v {
					return errInvalid("Attributes Reason: Topic already exists with different attributes")
				}
			}
			return nil
		}
		t := &topic{Name: in.Name, Attributes: attrs}
		if len(in.Tags) > 0 {
			t.Tags = map[string]string{}
			for _, tag := range in.Tags {
				t.Tags[tag.Key] = tag.Value
			}
		}
		return store.SetJSON(tx, topicPrefix+in.Name, t)
	})
	if err != nil {
		return nil, err
	}
	return &TopicArnOutput{TopicArn: arn}, nil
}

// TokenInput is a request with only a NextToken.
type TokenInput struct {
	NextToken *string
}

// TopicEntry is one topic of ListTopics.
type TopicEntry struct {
	TopicArn string
}

// ListTopicsOutput is the response of ListTopics.
type ListTopicsOutput struct {
	Topics    []TopicEntry
	NextToken *string `json:",omitempty"`
}

const pageSize = 100

// ListTopics lists the topics, 100 per page.
func (s *Service) ListTopics(c *api.Call, in *TokenInput) (*ListTopicsOutput, error) {
	after, err := parseToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListTopicsOutput{Topics: []TopicEntry{}}
	var last string
	err = s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, topicPrefix, func(k, _ string) bool {
			name := k[len(topicPrefix):]
			if after != "" && name <= after {
				return true
			}
			if len(out.Topics) == pageSize {
				out.NextToken = makeToken(last)
				return false
			}
			out.Topics = append(out.Topics, TopicEntry{TopicArn: s.topicARN(name)})
			last = name
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// tokens are the last key of the previous page, in a recognisable form.
func makeToken(last string) *string {
	t := "tt1:" + last
	return &t
}

func parseToken(t *string) (string, error) {
	if t == nil {
		return "", nil
	}
	if !strings.HasPrefix(*t, "tt1:") || len(*t) == 4 {
		return "", errInvalid("NextToken")
	}
	return (*t)[4:], nil
}

// TopicArnInput is a request holding a topic ARN.
type TopicArnInput struct {
	TopicArn  string
	NextToken *string
}

// DeleteTopic deletes a topic and its subscriptions. Deleting a topic that
// does not exist succeeds.
func (s *Service) DeleteTopic(c *api.Call, in *TopicArnInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		t, err := s.topicByARN(tx, in.TopicArn, "TopicArn")
		if err != nil {
			if e, ok := err.(*awserr.Error); ok && e.Code == "NotFound" {
				return nil
			}
			return err
		}
		c.AddResource("AWS::SNS::Topic", t.Name, in.TopicArn)
		list, err := subs(tx, t.Name)
		if err != nil {
			return err
		}
		for _, sub := range list {
			tx.Delete(subPrefix + t.Name + "/" + sub.ID)
		}
		_, err = tx.Delete(topicPrefix + t.Name)
		return err
	})
}

// AttributesOutput is a response holding attributes.
type AttributesOutput struct {
	Attributes map[string]string
}

const effectiveDeliveryPolicy = `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`

func (s *Service) defaultPolicy(arn string) string {
	return `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"` +
		arn + `","Condition":{"StringEquals":{"AWS:SourceOwner":"` + s.d.Account + `"}}}]}`
}

// GetTopicAttributes returns the attributes of a topic.
func (s *Service) GetTopicAttributes(c *api.Call, in *TopicArnInput) (*AttributesOutput, error) {
	out := &AttributesOutput{}
	err := s.d.Store.View(func(tx *store.Tx) error {
		t, err := s.topicByARN(tx, in.TopicArn, "TopicArn")
		if err != nil {
			return err
		}
		list, err := subs(tx, t.Name)
		if err != nil {
			return err
		}
		confirmed, pending := 0, 0
		for _, sub := range list {
			if sub.Confirmed {
				confirmed++
			} else {
				pending++
			}
		}
		arn := s.topicARN(t.Name)
		a := map[string]string{
			"TopicArn": arn, "Owner": s.d.Account, "Policy": s.defaultPolicy(arn),
			"DisplayName": "", "SubscriptionsConfirmed": strconv.Itoa(confirmed),
			"SubscriptionsPending": strconv.Itoa(pending), "SubscriptionsDeleted": strconv.Itoa(t.Deleted),
			"EffectiveDeliveryPolicy": effectiveDeliveryPolicy,
		}
		if t.fifo() {
			a["FifoTopic"] = "true"
			a["ContentBasedDeduplication"] = "false"
		}
		for k, v := range t.Attributes {
			a[k] = v
		}
		out.Attributes = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetAttributeInput is the request of SetTopicAttributes and
// SetSubscriptionAttributes.
type SetAttributeInput struct {
	TopicArn        string
	SubscriptionArn string
	AttributeName   string
	AttributeValue  *string
}

// SetTopicAttributes sets one attribute of a topic.
func (s *Service) SetTopicAttributes(c *api.Call, in *SetAttributeInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		t, err := s.topicByARN(tx, in.TopicArn, "TopicArn")
		if err != nil {
			return err
		}
		c.AddResource("AWS::SNS::Topic", t.Name, in.TopicArn)
		v := ""
		if in.AttributeValue != nil {
			v = *in.AttributeValue
		}
		if v == "" && topicSettable[in.AttributeName] && in.AttributeName != "FifoTopic" {
			delete(t.Attributes, in.AttributeName)
		} else {
			if err := checkTopicAttr(in.AttributeName, v, t.fifo(), false); err != nil {
				return err
			}
			if t.Attributes == nil {
				t.Attributes = map[string]string{}
			}
			t.Attributes[in.AttributeName] = v
		}
		return store.SetJSON(tx, topicPrefix+t.Name, t)
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
