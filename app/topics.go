package app

import (
	"sort"
	"strings"

	"github.com/telltale-dev/telltale/core/sns"
)

// TopicsView is the state of the SNS page.
type TopicsView struct {
	Notice Notice
	Topics []string // ARNs
	// Topic is the ARN of the topic whose subscriptions are open.
	Topic    string
	Subs     []SubRow
	NewTopic string
	Protocol string
	Endpoint string
	Subject  string
	Message  TextBox
	Inbox    []sns.InboxMessage // newest first
	// OpenMail is the Seq of the email shown in full, or 0.
	OpenMail uint64
}

// SubRow is a subscription as ListSubscriptionsByTopic returns it.
type SubRow struct{ SubscriptionArn, Protocol, Endpoint string }

// SNSProtocols are the protocols the subscribe form offers.
var SNSProtocols = []string{"email", "email-json", "sqs", "lambda"}

// TopicsLoad lists the topics (ListTopics), the subscriptions of the open
// topic (ListSubscriptionsByTopic) and the inbox.
func (s *Session) TopicsLoad() {
	v := &s.Topics
	if v.Protocol == "" {
		v.Protocol, v.Endpoint = "email", "learner@example.com"
	}
	var out struct{ Topics []struct{ TopicArn string } }
	if err := s.call("sns", "ListTopics", map[string]any{}, &out); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Topics = nil
	open := false
	for _, t := range out.Topics {
		v.Topics = append(v.Topics, t.TopicArn)
		open = open || t.TopicArn == v.Topic
	}
	sort.Strings(v.Topics)
	if !open {
		v.Topic, v.Subs = "", nil
	}
	if v.Topic != "" {
		var subs struct{ Subscriptions []SubRow }
		if err := s.call("sns", "ListSubscriptionsByTopic", map[string]any{"TopicArn": v.Topic}, &subs); err != nil {
			v.Notice.set(err, "")
		}
		v.Subs = subs.Subscriptions
	}
	mail, err := s.World().SNS().Inbox()
	if err != nil {
		v.Notice.set(err, "")
	}
	v.Inbox = nil
	for i := len(mail) - 1; i >= 0; i-- {
		v.Inbox = append(v.Inbox, mail[i])
	}
}

// topicName is the name of a topic ARN.
func topicName(arn string) string { return arn[strings.LastIndexByte(arn, ':')+1:] }

// OpenTopic shows the subscriptions of a topic (or hides them).
func (s *Session) OpenTopic(arn string) {
	v := &s.Topics
	if v.Topic == arn {
		v.Topic, v.Subs = "", nil
		return
	}
	v.Topic = arn
	s.TopicsLoad()
}

// CreateTopic creates a topic (CreateTopic).
func (s *Session) CreateTopic() {
	v := &s.Topics
	name := strings.TrimSpace(v.NewTopic)
	in := map[string]any{"Name": name}
	if strings.HasSuffix(name, ".fifo") {
		in["Attributes"] = map[string]string{"FifoTopic": "true"}
	}
	var out struct{ TopicArn string }
	if v.Notice.set(s.call("sns", "CreateTopic", in, &out), "Created the topic "+name+".") {
		v.NewTopic, v.Topic = "", out.TopicArn
	}
	s.TopicsLoad()
}

// DeleteTopic deletes a topic (DeleteTopic).
func (s *Session) DeleteTopic(arn string) {
	s.Topics.Notice.set(s.call("sns", "DeleteTopic", map[string]any{"TopicArn": arn}, nil), "Deleted the topic "+topicName(arn)+".")
	s.TopicsLoad()
}

// Subscribe subscribes the form's endpoint to the open topic (Subscribe).
func (s *Session) Subscribe() {
	v := &s.Topics
	in := map[string]any{"TopicArn": v.Topic, "Protocol": v.Protocol, "Endpoint": strings.TrimSpace(v.Endpoint), "ReturnSubscriptionArn": true}
	ok := "Subscribed " + strings.TrimSpace(v.Endpoint) + "."
	if strings.HasPrefix(v.Protocol, "email") {
		ok += " A confirmation email is in the inbox below."
	}
	v.Notice.set(s.call("sns", "Subscribe", in, nil), ok)
	s.TopicsLoad()
}

// Unsubscribe deletes a subscription (Unsubscribe).
func (s *Session) Unsubscribe(arn string) {
	s.Topics.Notice.set(s.call("sns", "Unsubscribe", map[string]any{"SubscriptionArn": arn}, nil), "Unsubscribed.")
	s.TopicsLoad()
}

// Publish publishes the form's message to the open topic (Publish).
func (s *Session) Publish() {
	v := &s.Topics
	in := map[string]any{"TopicArn": v.Topic, "Message": v.Message.Value}
	if subj := strings.TrimSpace(v.Subject); subj != "" {
		in["Subject"] = subj
	}
	var out struct{ MessageId string }
	if v.Notice.set(s.call("sns", "Publish", in, &out), "Published the message "+out.MessageId+".") {
		v.Message.set("")
	}
	s.TopicsLoad()
}

// ConfirmMail confirms the subscription of a confirmation email, as its
// link would (ConfirmSubscription).
func (s *Session) ConfirmMail(m sns.InboxMessage) {
	v := &s.Topics
	v.Notice.set(s.call("sns", "ConfirmSubscription", map[string]any{"TopicArn": m.TopicArn, "Token": m.Token}, nil),
		"Confirmed the subscription of "+m.To+" to "+topicName(m.TopicArn)+".")
	s.TopicsLoad()
}

// ToggleMail shows an email in full or folds it.
func (v *TopicsView) ToggleMail(seq uint64) {
	if v.OpenMail == seq {
		v.OpenMail = 0
		return
	}
	v.OpenMail = seq
}
