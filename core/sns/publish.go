package sns

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/store"
)

// MaxMessageSize is the largest message Publish accepts, in bytes.
const MaxMessageSize = 262144

// MessageAttributeValue is a message attribute of Publish.
type MessageAttributeValue struct {
	DataType    string
	StringValue *string
	BinaryValue []byte
}

// PublishInput is the request of Publish.
type PublishInput struct {
	TopicArn               *string
	TargetArn              *string
	PhoneNumber            *string
	Message                string
	Subject                *string
	MessageStructure       *string
	MessageAttributes      map[string]MessageAttributeValue
	MessageDeduplicationId *string
	MessageGroupId         *string
}

// PublishOutput is the response of Publish.
type PublishOutput struct {
	MessageId      string
	SequenceNumber string `json:",omitempty"`
}

// notification is one message being fanned out.
type notification struct {
	id, topicARN, subject, message string
	perProtocol                    map[string]string
	attrs                          map[string]MessageAttributeValue
	at                             time.Time
}

func (n *notification) messageFor(protocol string) string {
	if m, ok := n.perProtocol[protocol]; ok {
		return m
	}
	return n.message
}

// Publish sends a message to every confirmed subscription of a topic.
func (s *Service) Publish(c *api.Call, in *PublishInput) (*PublishOutput, error) {
	arn := ""
	switch {
	case in.TopicArn != nil && in.TargetArn != nil:
		return nil, errInvalid("TopicArn or TargetArn Reason: Only one of TopicArn or TargetArn may be specified")
	case in.TopicArn != nil:
		arn = *in.TopicArn
	case in.TargetArn != nil:
		arn = *in.TargetArn
	case in.PhoneNumber != nil:
		return nil, errInvalid("PhoneNumber Reason: SMS is not simulated")
	default:
		return nil, errInvalid("TopicArn or TargetArn Reason: no value for required parameter")
	}
	if in.Message == "" {
		return nil, errInvalid("Empty message")
	}
	if len(in.Message) > MaxMessageSize {
		return nil, errInvalid("Message too long")
	}
	if in.Subject != nil {
		sub := *in.Subject
		if sub == "" || len(sub) >= 100 || strings.ContainsAny(sub, "\r\n") || !isASCII(sub) {
			return nil, errInvalid("Subject")
		}
	}
	n := &notification{message: in.Message, attrs: in.MessageAttributes, at: c.Now}
	if in.Subject != nil {
		n.subject = *in.Subject
	}
	if in.MessageStructure != nil {
		if *in.MessageStructure != "json" {
			return nil, errInvalid("MessageStructure")
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(in.Message), &m); err != nil {
			return nil, errInvalid("Message Structure - JSON message body failed to parse")
		}
		def, ok := m["default"].(string)
		if !ok {
			return nil, errInvalid("Message Structure - No default entry in JSON message body")
		}
		n.message = def
		n.perProtocol = map[string]string{}
		for k, v := range m {
			if str, ok := v.(string); ok && k != "default" {
				n.perProtocol[k] = str
			}
		}
	}
	for _, k := range sortedKeys(in.MessageAttributes) {
		v := in.MessageAttributes[k]
		base := v.DataType
		if i := strings.IndexByte(base, '.'); i >= 0 {
			base = base[:i]
		}
		switch base {
		case "String", "Number":
			if v.StringValue == nil {
				return nil, errInvalid(fmt.Sprintf("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", k, base))
			}
			if base == "Number" {
				if _, err := strconv.ParseFloat(*v.StringValue, 64); err != nil {
					return nil, errInvalid(fmt.Sprintf("Could not cast message attribute '%s' value to number.", k))
				}
			}
		case "Binary":
			if len(v.BinaryValue) == 0 {
				return nil, errInvalid(fmt.Sprintf("The message attribute '%s' must contain non-empty message attribute value for message attribute type 'Binary'.", k))
			}
		default:
			return nil, errInvalid(fmt.Sprintf("The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", k))
		}
	}
	out := &PublishOutput{}
	var later []func()
	err := s.d.Store.Update(func(tx *store.Tx) error {
		t, err := s.topicByARN(tx, arn, "TopicArn")
		if err != nil {
			return err
		}
		c.AddResource("AWS::SNS::Topic", t.Name, arn)
		if t.fifo() {
			if in.MessageGroupId == nil {
				return errInvalid("The MessageGroupId parameter is required for FIFO topics")
			}
			if in.MessageDeduplicationId == nil && t.Attributes["ContentBasedDeduplication"] != "true" {
				return errInvalid("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
			}
			t.Seq++
			out.SequenceNumber = "100" + fmt.Sprintf("%017d", t.Seq)
			if err := store.SetJSON(tx, topicPrefix+t.Name, t); err != nil {
				return err
			}
		} else if in.MessageGroupId != nil {
			return errInvalid("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type")
		}
		n.id = s.d.IDs.UUID()
		n.topicARN = s.topicARN(t.Name)
		out.MessageId = n.id
		later, err = s.fanOut(tx, t, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	run(later)
	return out, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Deliver publishes a message to the topic topicARN on behalf of another AWS
// service (EventBridge, CloudWatch alarms): no API call is recorded. It is an
// error if the topic does not exist.
func (s *Service) Deliver(topicARN, message, subject string) error {
	var later []func()
	err := s.d.Store.Update(func(tx *store.Tx) error {
		name, ok := s.topicFromARN(topicARN)
		if !ok {
			return fmt.Errorf("sns: %s: %w", topicARN, errNotFound("Topic"))
		}
		t, err := loadTopic(tx, name)
		if err != nil {
			return err
		}
		n := &notification{id: s.d.IDs.UUID(), topicARN: topicARN, subject: subject, message: message, at: s.d.Clock.Now()}
		later, err = s.fanOut(tx, t, n)
		return err
	})
	if err != nil {
		return err
	}
	run(later)
	return nil
}

// run performs the deliveries to other services, after the transaction
// that decided them: the store does not nest transactions.
func run(later []func()) {
	for _, f := range later {
		f()
	}
}

// fanOut delivers a notification to every confirmed subscription of t, in
// subscription order: emails at once, and deliveries to other services as the
// functions it returns, to run once tx is over. A failed delivery does not
// fail the publish; it is reported through Notify.
func (s *Service) fanOut(tx *store.Tx, t *topic, n *notification) ([]func(), error) {
	list, err := subs(tx, t.Name)
	if err != nil {
		return nil, err
	}
	var later []func()
	report := func(sub *subscription, err error) {
		if err != nil && s.d.Notify != nil {
			s.d.Notify(n.at, "sns: delivery of message %s from %s to %s %s failed: %v", n.id, n.topicARN, sub.Protocol, sub.Endpoint, err)
		}
	}
	for _, sub := range list {
		sub := sub
		if !sub.Confirmed {
			continue
		}
		raw := sub.Attributes["RawMessageDelivery"] == "true"
		var derr error
		switch sub.Protocol {
		case "sqs":
			if s.d.Endpoints == nil {
				continue
			}
			body := n.messageFor("sqs")
			if !raw {
				body = s.envelope(n, sub, "sqs")
			}
			later = append(later, func() { report(sub, s.d.Endpoints.DeliverSQS(sub.Endpoint, body)) })
		case "lambda":
			if s.d.Endpoints == nil {
				continue
			}
			ev := s.lambdaEvent(n, sub)
			later = append(later, func() { report(sub, s.d.Endpoints.DeliverLambda(sub.Endpoint, ev)) })
		case "email":
			subject := n.subject
			if subject == "" {
				subject = "AWS Notification Message"
			}
			body := n.messageFor("email") + "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n" +
				s.unsubscribeURL(sub) + "\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support\n"
			derr = s.mail(tx, InboxMessage{At: n.at, To: sub.Endpoint, From: s.sender(t), Subject: subject, Body: body,
				Kind: "Notification", TopicArn: n.topicARN, SubscriptionArn: s.subARN(sub), MessageId: n.id})
		case "email-json":
			subject := n.subject
			if subject == "" {
				subject = "AWS Notification Message"
			}
			derr = s.mail(tx, InboxMessage{At: n.at, To: sub.Endpoint, From: s.sender(t), Subject: subject,
				Body: s.envelope(n, sub, "email-json"), Kind: "Notification", TopicArn: n.topicARN,
				SubscriptionArn: s.subARN(sub), MessageId: n.id})
		}
		report(sub, derr)
	}
	return later, nil
}

func (s *Service) sender(t *topic) string {
	name := t.Attributes["DisplayName"]
	if name == "" {
		name = "AWS Notifications"
	}
	return name + " <no-reply@sns.amazonaws.com>"
}

func (s *Service) host() string { return "https://sns." + s.d.Region + ".amazonaws.com" }

func (s *Service) unsubscribeURL(sub *subscription) string {
	return s.host() + "/?Action=Unsubscribe&SubscriptionArn=" + s.subARN(sub)
}

func (s *Service) signingCertURL() string {
	return s.host() + "/SimpleNotificationService-6209c161c6221fdf56ec1eb5c821d112.pem"
}

// signature is a simulated SHA1withRSA signature: 256 bytes, base64.
func (s *Service) signature() string {
	b := make([]byte, 256)
	for i := 0; i < len(b); i += 8 {
		v := s.d.IDs.Uint64()
		for j := 0; j < 8 && i+j < len(b); j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return base64.StdEncoding.EncodeToString(b)
}

func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// jsonString encodes a string as SNS does (no HTML escaping).
func jsonString(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimRight(buf.String(), "\n")
}

// envelope is the JSON document SNS delivers to SQS queues and email-json
// addresses: its members in AWS's order, formatted as AWS formats it.
func (s *Service) envelope(n *notification, sub *subscription, protocol string) string {
	type kv struct{ k, v string }
	fields := []kv{{"Type", "Notification"}, {"MessageId", n.id}, {"TopicArn", n.topicARN}}
	if n.subject != "" {
		fields = append(fields, kv{"Subject", n.subject})
	}
	fields = append(fields, kv{"Message", n.messageFor(protocol)}, kv{"Timestamp", timestamp(n.at)},
		kv{"SignatureVersion", "1"}, kv{"Signature", s.signature()}, kv{"SigningCertURL", s.signingCertURL()},
		kv{"UnsubscribeURL", s.unsubscribeURL(sub)})
	var b strings.Builder
	b.WriteString("{\n")
	for i, f := range fields {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  %s : %s", jsonString(f.k), jsonString(f.v))
	}
	if len(n.attrs) > 0 {
		b.WriteString(",\n  \"MessageAttributes\" : {\n")
		for i, k := range sortedKeys(n.attrs) {
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, "    %s : %s", jsonString(k), attrJSON(n.attrs[k]))
		}
		b.WriteString("\n  }")
	}
	b.WriteString("\n}")
	return b.String()
}

func attrJSON(v MessageAttributeValue) string {
	val := ""
	if v.StringValue != nil {
		val = *v.StringValue
	} else {
		val = base64.StdEncoding.EncodeToString(v.BinaryValue)
	}
	return `{"Type":` + jsonString(v.DataType) + `,"Value":` + jsonString(val) + `}`
}

// lambdaEvent is the event SNS invokes a Lambda function with.
func (s *Service) lambdaEvent(n *notification, sub *subscription) []byte {
	attrs := api.Ordered{}
	for _, k := range sortedKeys(n.attrs) {
		v := n.attrs[k]
		val := ""
		if v.StringValue != nil {
			val = *v.StringValue
		} else {
			val = base64.StdEncoding.EncodeToString(v.BinaryValue)
		}
		attrs = append(attrs, api.KV{Key: k, Value: api.Ordered{{Key: "Type", Value: v.DataType}, {Key: "Value", Value: val}}})
	}
	var subject any
	if n.subject != "" {
		subject = n.subject
	}
	msg := api.Ordered{
		{Key: "Type", Value: "Notification"}, {Key: "MessageId", Value: n.id}, {Key: "TopicArn", Value: n.topicARN},
		{Key: "Subject", Value: subject}, {Key: "Message", Value: n.messageFor("lambda")},
		{Key: "Timestamp", Value: timestamp(n.at)}, {Key: "SignatureVersion", Value: "1"},
		{Key: "Signature", Value: s.signature()}, {Key: "SigningCertUrl", Value: s.signingCertURL()},
		{Key: "UnsubscribeUrl", Value: s.unsubscribeURL(sub)}, {Key: "MessageAttributes", Value: attrs},
	}
	ev := api.Ordered{{Key: "Records", Value: []any{api.Ordered{
		{Key: "EventSource", Value: "aws:sns"}, {Key: "EventVersion", Value: "1.0"},
		{Key: "EventSubscriptionArn", Value: s.subARN(sub)}, {Key: "Sns", Value: msg},
	}}}}
	return []byte(jsonString(ev))
}

// InboxMessage is an email in the simulated learner's inbox.
type InboxMessage struct {
	Seq             uint64    `json:"seq"`
	At              time.Time `json:"at"`
	To              string    `json:"to"`
	From            string    `json:"from"`
	Subject         string    `json:"subject"`
	Body            string    `json:"body"`
	Kind            string    `json:"kind"` // SubscriptionConfirmation or Notification
	TopicArn        string    `json:"topicArn"`
	SubscriptionArn string    `json:"subscriptionArn,omitempty"`
	MessageId       string    `json:"messageId,omitempty"`
	// Token is the token of a confirmation message, for ConfirmSubscription.
	Token string `json:"token,omitempty"`
	// ConfirmURL is the link of a confirmation message.
	ConfirmURL string `json:"confirmUrl,omitempty"`
}

func (s *Service) mail(tx *store.Tx, m InboxMessage) error {
	var seq uint64
	if v, err := tx.Get(inboxSeqKey); err == nil {
		seq, _ = strconv.ParseUint(v, 10, 64)
	}
	seq++
	m.Seq = seq
	if _, _, err := tx.Set(inboxSeqKey, strconv.FormatUint(seq, 10), nil); err != nil {
		return err
	}
	return store.SetJSON(tx, fmt.Sprintf("%s%012d", inboxPrefix, seq), m)
}

func (s *Service) confirmationMail(tx *store.Tx, sub *subscription, at time.Time) error {
	topicARN := s.topicARN(sub.Topic)
	link := s.host() + "/confirmation.html?TopicArn=" + topicARN + "&Token=" + sub.Token + "&Endpoint=" + sub.Endpoint
	m := InboxMessage{At: at, To: sub.Endpoint, From: "AWS Notifications <no-reply@sns.amazonaws.com>",
		Subject: "AWS Notification - Subscription Confirmation", Kind: "SubscriptionConfirmation",
		TopicArn: topicARN, Token: sub.Token, ConfirmURL: link}
	if sub.Protocol == "email-json" {
		type kv struct{ k, v string }
		fields := []kv{{"Type", "SubscriptionConfirmation"}, {"MessageId", s.d.IDs.UUID()}, {"Token", sub.Token},
			{"TopicArn", topicARN}, {"Message", "You have chosen to subscribe to the topic " + topicARN + ".\nTo confirm the subscription, visit the SubscribeURL included in this message."},
			{"SubscribeURL", s.host() + "/?Action=ConfirmSubscription&TopicArn=" + topicARN + "&Token=" + sub.Token},
			{"Timestamp", timestamp(at)}, {"SignatureVersion", "1"}, {"Signature", s.signature()}, {"SigningCertURL", s.signingCertURL()}}
		var b strings.Builder
		b.WriteString("{\n")
		for i, f := range fields {
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, "  %s : %s", jsonString(f.k), jsonString(f.v))
		}
		b.WriteString("\n}")
		m.Body = b.String()
	} else {
		m.Body = "You have chosen to subscribe to the topic: \n" + topicARN +
			"\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \nConfirm subscription\n" + link + "\n"
	}
	return s.mail(tx, m)
}

// Inbox returns the emails SNS sent to the learner, oldest first.
func (s *Service) Inbox() ([]InboxMessage, error) {
	var out []InboxMessage
	err := s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, inboxPrefix, func(_, v string) bool {
			var m InboxMessage
			if json.Unmarshal([]byte(v), &m) == nil {
				out = append(out, m)
			}
			return true
		})
	})
	return out, err
}
