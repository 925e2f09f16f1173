package app

import (
	"sort"
	"strconv"
	"strings"

	"github.com/telltale-dev/telltale/core/sqs"
)

// QueuesView is the state of the SQS page.
type QueuesView struct {
	Notice Notice
	Queues []QueueRow
	// Queue is the queue whose messages are open.
	Queue    string
	Messages []sqs.QueueMessage
	NewQueue string
	Fifo     bool
	Body     TextBox
	// Received are the messages of the last ReceiveMessage on the open queue.
	Received []ReceivedMessage
	// ConfirmPurge is the queue whose purge is being confirmed.
	ConfirmPurge string
}

// QueueRow is a queue with the counts GetQueueAttributes returns.
type QueueRow struct {
	Name, URL                    string
	Visible, InFlight, Delayed   string
	Fifo                         bool
	VisibilityTimeout, Retention string
	DeadLetter                   string
}

// ReceivedMessage is a message as ReceiveMessage returned it.
type ReceivedMessage struct {
	MessageId, ReceiptHandle, Body string
	Attributes                     map[string]string
}

// QueuesLoad lists the queues (ListQueues, GetQueueAttributes) and the
// messages of the open queue.
func (s *Session) QueuesLoad() {
	v := &s.Queues
	var out struct{ QueueUrls []string }
	if err := s.call("sqs", "ListQueues", map[string]any{}, &out); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Queues = nil
	open := false
	for _, u := range out.QueueUrls {
		row := QueueRow{URL: u, Name: u[strings.LastIndexByte(u, '/')+1:]}
		var attrs struct{ Attributes map[string]string }
		if err := s.call("sqs", "GetQueueAttributes", map[string]any{"QueueUrl": u, "AttributeNames": []string{"All"}}, &attrs); err == nil {
			a := attrs.Attributes
			row.Visible, row.InFlight, row.Delayed = a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"], a["ApproximateNumberOfMessagesDelayed"]
			row.Fifo, row.VisibilityTimeout, row.Retention = a["FifoQueue"] == "true", a["VisibilityTimeout"], a["MessageRetentionPeriod"]
			row.DeadLetter = a["RedrivePolicy"]
		}
		open = open || row.Name == v.Queue
		v.Queues = append(v.Queues, row)
	}
	sort.Slice(v.Queues, func(i, j int) bool { return v.Queues[i].Name < v.Queues[j].Name })
	if !open {
		v.Queue, v.Messages, v.Received = "", nil, nil
	}
	s.peek()
}

// peek reads the open queue's messages without receiving them: a view AWS
// has no API for (ReceiveMessage would hide them for the visibility timeout).
func (s *Session) peek() {
	v := &s.Queues
	v.Messages = nil
	if v.Queue == "" {
		return
	}
	msgs, err := s.World().SQS().Messages(v.Queue)
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Messages = msgs
}

func (v *QueuesView) url(name string) string {
	for _, q := range v.Queues {
		if q.Name == name {
			return q.URL
		}
	}
	return ""
}

// OpenQueue shows the messages of a queue (or hides them).
func (s *Session) OpenQueue(name string) {
	v := &s.Queues
	v.Received = nil
	if v.Queue == name {
		v.Queue, v.Messages = "", nil
		return
	}
	v.Queue = name
	s.peek()
}

// CreateQueue creates a queue (CreateQueue).
func (s *Session) CreateQueue() {
	v := &s.Queues
	name := strings.TrimSpace(v.NewQueue)
	in := map[string]any{"QueueName": name}
	if v.Fifo {
		in["Attributes"] = map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"}
	}
	if v.Notice.set(s.call("sqs", "CreateQueue", in, nil), "Created the queue "+name+".") {
		v.NewQueue, v.Fifo = "", false
		v.Queue = name
	}
	s.QueuesLoad()
}

// DeleteQueue deletes a queue (DeleteQueue).
func (s *Session) DeleteQueue(name string) {
	v := &s.Queues
	v.Notice.set(s.call("sqs", "DeleteQueue", map[string]any{"QueueUrl": v.url(name)}, nil), "Deleted the queue "+name+".")
	s.QueuesLoad()
}

// PurgeQueue deletes every message of a queue (PurgeQueue).
func (s *Session) PurgeQueue(name string) {
	v := &s.Queues
	v.ConfirmPurge = ""
	v.Notice.set(s.call("sqs", "PurgeQueue", map[string]any{"QueueUrl": v.url(name)}, nil), "Purged the queue "+name+".")
	s.QueuesLoad()
}

// SendMessage sends the form's body to the open queue (SendMessage).
func (s *Session) SendMessage() {
	v := &s.Queues
	in := map[string]any{"QueueUrl": v.url(v.Queue), "MessageBody": v.Body.Value}
	for _, q := range v.Queues {
		if q.Name == v.Queue && q.Fifo {
			in["MessageGroupId"] = "console"
		}
	}
	var out struct{ MessageId string }
	if v.Notice.set(s.call("sqs", "SendMessage", in, &out), "Sent the message "+out.MessageId+".") {
		v.Body.set("")
	}
	s.QueuesLoad()
}

// ReceiveMessages receives up to 10 messages of the open queue
// (ReceiveMessage), as a consumer would: they become invisible for the
// visibility timeout and their receive count grows.
func (s *Session) ReceiveMessages() {
	v := &s.Queues
	var out struct{ Messages []ReceivedMessage }
	err := s.call("sqs", "ReceiveMessage", map[string]any{"QueueUrl": v.url(v.Queue), "MaxNumberOfMessages": 10,
		"AttributeNames": []string{"All"}}, &out)
	if v.Notice.set(err, "") {
		v.Received = out.Messages
		if len(out.Messages) == 0 {
			v.Notice.Text = "ReceiveMessage returned no message."
		} else {
			v.Notice.Text = "Received " + plural(len(out.Messages), "message") + "; they are invisible until their visibility timeout ends."
		}
	}
	s.QueuesLoad()
}

// DeleteReceived deletes a received message by its receipt handle
// (DeleteMessage).
func (s *Session) DeleteReceived(id string) {
	v := &s.Queues
	for i, m := range v.Received {
		if m.MessageId != id {
			continue
		}
		if v.Notice.set(s.call("sqs", "DeleteMessage", map[string]any{"QueueUrl": v.url(v.Queue), "ReceiptHandle": m.ReceiptHandle}, nil), "Deleted the message "+id+".") {
			v.Received = append(v.Received[:i:i], v.Received[i+1:]...)
		}
		break
	}
	s.QueuesLoad()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return itoa(n) + " " + word + "s"
}

func itoa(n int) string { return strconv.Itoa(n) }
