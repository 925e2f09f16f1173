package sns

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/store"
)

// protocols are the subscription protocols accepted; only sqs, lambda, email
// and email-json receive messages in the simulation.
var protocols = map[string]bool{"sqs": true, "lambda": true, "email": true, "email-json": true, "http": true, "https": true, "sms": true}

var subSettable = map[string]bool{
	"RawMessageDelivery": true, "FilterPolicy": true, "FilterPolicyScope": true, "RedrivePolicy": true,
	"DeliveryPolicy": true, "SubscriptionRoleArn": true,
}

func checkSubAttr(protocol, k, v string) error {
	if !subSettable[k] {
		return errInvalid("AttributeName")
	}
	switch k {
	case "RawMessageDelivery":
		if v != "true" && v != "false" {
			return errInvalid("Attributes Reason: RawMessageDelivery: Invalid value [" + v + "]. Must be true or false.")
		}
		if protocol == "email" || protocol == "sms" {
			return errInvalid("Attributes Reason: Delivery protocol [" + protocol + "] does not support raw message delivery.")
		}
	case "FilterPolicyScope":
		if v != "MessageAttributes" && v != "MessageBody" {
			return errInvalid("Attributes Reason: FilterPolicyScope: Invalid value [" + v + "]. Please use either MessageBody or MessageAttributes")
		}
	case "FilterPolicy", "RedrivePolicy", "DeliveryPolicy":
		if v != "" && !json.Valid([]byte(v)) {
			return errInvalid(k + ": failed to parse JSON.")
		}
	}
	return nil
}

// SubscribeInput is the request of Subscribe.
type SubscribeInput struct {
	TopicArn              string
	Protocol              string
	Endpoint              *string
	Attributes            map[string]string
	ReturnSubscriptionArn bool
}

// SubscriptionArnOutput is a response holding a subscription ARN.
type SubscriptionArnOutput struct {
	SubscriptionArn string
}

func (s *Service) checkEndpoint(protocol, ep string) error {
	switch protocol {
	case "sqs":
		p := strings.Split(ep, ":")
		if len(p) != 6 || p[0] != "arn" || p[2] != "sqs" || p[5] == "" {
			return errInvalid("SQS endpoint ARN")
		}
	case "lambda":
		p := strings.Split(ep, ":")
		if len(p) < 7 || p[0] != "arn" || p[2] != "lambda" || p[5] != "function" {
			return errInvalid("Lambda endpoint ARN")
		}
	case "email", "email-json":
		if !emailAddress.MatchString(ep) {
			return errInvalid("Email address")
		}
	case "http", "https":
		u, err := url.Parse(ep)
		if err != nil || u.Scheme != protocol || u.Host == "" {
			return errInvalid("Endpoint must match the specified protocol")
		}
	case "sms":
		if strings.Trim(ep, "+0123456789") != "" || len(ep) < 4 {
			return errInvalid("SMS endpoint")
		}
	}
	return nil
}

// Subscribe subscribes an endpoint to a topic. Email subscriptions wait for
// confirmation: a confirmation message arrives in the inbox.
func (s *Service) Subscribe(c *api.Call, in *SubscribeInput) (*SubscriptionArnOutput, error) {
	var out *SubscriptionArnOutput
	err := s.d.Store.Update(func(tx *store.Tx) error {
		t, err := s.topicByARN(tx, in.TopicArn, "TopicArn")
		if err != nil {
			return err
		}
		c.AddResource("AWS::SNS::Topic", t.Name, in.TopicArn)
		if !protocols[in.Protocol] {
			return errInvalid("Amazon SNS does not support this protocol string: " + in.Protocol)
		}
		ep := ""
		if in.Endpoint != nil {
			ep = *in.Endpoint
		}
		if err := s.checkEndpoint(in.Protocol, ep); err != nil {
			return err
		}
		for _, k := range sortedKeys(in.Attributes) {
			if err := checkSubAttr(in.Protocol, k, in.Attributes[k]); err != nil {
				return err
			}
		}
		list, err := subs(tx, t.Name)
		if err != nil {
			return err
		}
		for _, sub := range list {
			if sub.Protocol == in.Protocol && sub.Endpoint == ep {
				out = s.subscribeResult(sub, in.ReturnSubscriptionArn)
				return nil
			}
		}
		sub := &subscription{ID: s.d.IDs.UUID(), Topic: t.Name, Protocol: in.Protocol, Endpoint: ep, Created: c.Now}
		if len(in.Attributes) > 0 {
			sub.Attributes = in.Attributes
		}
		switch in.Protocol {
		case "email", "email-json", "http", "https":
			sub.Token = s.d.IDs.Hex(256)
			if in.Protocol == "email" || in.Protocol == "email-json" {
				if err := s.confirmationMail(tx, sub, c.Now); err != nil {
					return err
				}
			}
		default:
			sub.Confirmed = true
		}
		if err := store.SetJSON(tx, subPrefix+t.Name+"/"+sub.ID, sub); err != nil {
			return err
		}
		out = s.subscribeResult(sub, in.ReturnSubscriptionArn)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) subscribeResult(sub *subscription, returnARN bool) *SubscriptionArnOutput {
	if !sub.Confirmed && !returnARN {
		return &SubscriptionArnOutput{SubscriptionArn: "pending confirmation"}
	}
	return &SubscriptionArnOutput{SubscriptionArn: s.subARN(sub)}
}

// ConfirmSubscriptionInput is the request of ConfirmSubscription.
type ConfirmSubscriptionInput struct {
	TopicArn                  string
	Token                     string
	AuthenticateOnUnsubscribe *string
}

// ConfirmSubscription confirms a pending subscription with the token its
// confirmation message carried.
func (s *Service) ConfirmSubscription(c *api.Call, in *ConfirmSubscriptionInput) (*SubscriptionArnOutput, error) {
	var out *SubscriptionArnOutput
	err := s.d.Store.Update(func(tx *store.Tx) error {
		t, err := s.topicByARN(tx, in.TopicArn, "TopicArn")
		if err != nil {
			return err
		}
		c.AddResource("AWS::SNS::Topic", t.Name, in.TopicArn)
		list, err := subs(tx, t.Name)
		if err != nil {
			return err
		}
		for _, sub := range list {
			if sub.Token != "" && sub.Token == in.Token {
				sub.Confirmed = true
				out = &SubscriptionArnOutput{SubscriptionArn: s.subARN(sub)}
				return store.SetJSON(tx, subPrefix+t.Name+"/"+sub.ID, sub)
			}
		}
		return errInvalid("Token")
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SubscriptionArnInput is a request holding a subscription ARN.
type SubscriptionArnInput struct {
	SubscriptionArn string
}

// Unsubscribe deletes a subscription.
func (s *Service) Unsubscribe(c *api.Call, in *SubscriptionArnInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		sub, err := s.subByARN(tx, in.SubscriptionArn)
		if err != nil {
			return err
		}
		t, err := loadTopic(tx, sub.Topic)
		if err == nil {
			t.Deleted++
			if err := store.SetJSON(tx, topicPrefix+t.Name, t); err != nil {
				return err
			}
		}
		_, err = tx.Delete(subPrefix + sub.Topic + "/" + sub.ID)
		return err
	})
}

// SubscriptionEntry is one subscription of a list.
type SubscriptionEntry struct {
	SubscriptionArn string
	Owner           string
	Protocol        string
	Endpoint        string
	TopicArn        string
}

// ListSubscriptionsOutput is the response of ListSubscriptions and
// ListSubscriptionsByTopic.
type ListSubscriptionsOutput struct {
	Subscriptions []SubscriptionEntry
	NextToken     *string `json:",omitempty"`
}

func (s *Service) list(tx *store.Tx, topicName string, token *string) (*ListSubscriptionsOutput, error) {
	after, err := parseToken(token)
	if err != nil {
		return nil, err
	}
	list, err := subs(tx, topicName)
	if err != nil {
		return nil, err
	}
	out := &ListSubscriptionsOutput{Subscriptions: []SubscriptionEntry{}}
	last := ""
	for _, sub := range list {
		key := sub.Topic + "/" + sub.ID
		if after != "" && key <= after {
			continue
		}
		if len(out.Subscriptions) == pageSize {
			out.NextToken = makeToken(last)
			break
		}
		arn := s.subARN(sub)
		if !sub.Confirmed {
			arn = "PendingConfirmation"
		}
		out.Subscriptions = append(out.Subscriptions, SubscriptionEntry{SubscriptionArn: arn, Owner: s.d.Account,
			Protocol: sub.Protocol, Endpoint: sub.Endpoint, TopicArn: s.topicARN(sub.Topic)})
		last = key
	}
	return out, nil
}

// ListSubscriptions lists every subscription, 100 per page.
func (s *Service) ListSubscriptions(c *api.Call, in *TokenInput) (*ListSubscriptionsOutput, error) {
	var out *ListSubscriptionsOutput
	err := s.d.Store.View(func(tx *store.Tx) (err error) {
		out, err = s.list(tx, "", in.NextToken)
		return err
	})
	return out, err
}

// ListSubscriptionsByTopic lists the subscriptions of a topic.
func (s *Service) ListSubscriptionsByTopic(c *api.Call, in *TopicArnInput) (*ListSubscriptionsOutput, error) {
	var out *ListSubscriptionsOutput
	err := s.d.Store.View(func(tx *store.Tx) error {
		t, err := s.topicByARN(tx, in.TopicArn, "TopicArn")
		if err != nil {
			return err
		}
		out, err = s.list(tx, t.Name, in.NextToken)
		return err
	})
	return out, err
}

// GetSubscriptionAttributes returns the attributes of a subscription.
func (s *Service) GetSubscriptionAttributes(c *api.Call, in *SubscriptionArnInput) (*AttributesOutput, error) {
	out := &AttributesOutput{}
	err := s.d.Store.View(func(tx *store.Tx) error {
		sub, err := s.subByARN(tx, in.SubscriptionArn)
		if err != nil {
			return err
		}
		a := map[string]string{
			"Owner": s.d.Account, "TopicArn": s.topicARN(sub.Topic), "Endpoint": sub.Endpoint, "Protocol": sub.Protocol,
			"SubscriptionArn": s.subARN(sub), "PendingConfirmation": fmt.Sprint(!sub.Confirmed),
			"ConfirmationWasAuthenticated": fmt.Sprint(sub.Confirmed), "RawMessageDelivery": "false",
			"SubscriptionPrincipal": c.Identity.ARN,
		}
		for k, v := range sub.Attributes {
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

// SetSubscriptionAttributes sets one attribute of a subscription.
func (s *Service) SetSubscriptionAttributes(c *api.Call, in *SetAttributeInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		sub, err := s.subByARN(tx, in.SubscriptionArn)
		if err != nil {
			return err
		}
		v := ""
		if in.AttributeValue != nil {
			v = *in.AttributeValue
		}
		if err := checkSubAttr(sub.Protocol, in.AttributeName, v); err != nil {
			return err
		}
		if sub.Attributes == nil {
			sub.Attributes = map[string]string{}
		}
		sub.Attributes[in.AttributeName] = v
		return store.SetJSON(tx, subPrefix+sub.Topic+"/"+sub.ID, sub)
	})
}
