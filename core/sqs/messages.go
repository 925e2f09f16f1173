package sqs

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// MessageAttributeValue is a message attribute of a request or a response.
type MessageAttributeValue struct {
	DataType         string
	StringValue      *string  `json:",omitempty"`
	BinaryValue      []byte   `json:",omitempty"`
	StringListValues []string `json:",omitempty"`
	BinaryListValues [][]byte `json:",omitempty"`
}

// SystemAttributeValue is a message system attribute of SendMessage.
type SystemAttributeValue struct {
	DataType    string
	StringValue *string
}

// SendMessageInput is the request of SendMessage.
type SendMessageInput struct {
	QueueUrl                string
	MessageBody             string
	DelaySeconds            *int
	MessageAttributes       map[string]MessageAttributeValue
	MessageSystemAttributes map[string]SystemAttributeValue
	MessageDeduplicationId  *string
	MessageGroupId          *string
}

// SendMessageOutput is the response of SendMessage.
type SendMessageOutput struct {
	MD5OfMessageBody             string
	MD5OfMessageAttributes       string `json:",omitempty"`
	MD5OfMessageSystemAttributes string `json:",omitempty"`
	MessageId                    string
	SequenceNumber               string `json:",omitempty"`
}

// SendMessage puts a message on a queue.
func (s *Service) SendMessage(c *api.Call, in *SendMessageInput) (*SendMessageOutput, error) {
	var out *SendMessageOutput
	err := s.store.Update(func(tx *store.Tx) error {
		q, err := queueFromURL(tx, c.Account, in.QueueUrl)
		if err != nil {
			return err
		}
		c.AddResource("AWS::SQS::Queue", q.Name, ARN(c.Region, c.Account, q.Name))
		out, err = s.send(tx, q, c.Now, c.Identity.PrincipalID, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validBody reports whether every character of s is one SQS accepts.
func validBody(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return false
		case r == 0x9 || r == 0xA || r == 0xD:
		case r >= 0x20 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		case r >= 0x10000 && r <= 0x10FFFF:
		default:
			return false
		}
	}
	return utf8.ValidString(s)
}

func (s *Service) send(tx *store.Tx, q *queue, now time.Time, sender string, in *SendMessageInput) (*SendMessageOutput, error) {
	if in.MessageBody == "" {
		return nil, awserr.BadRequest(codeMissingParameter, "The request must contain the parameter MessageBody.")
	}
	if !validBody(in.MessageBody) {
		return nil, awserr.BadRequest(codeInvalidMessage, "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
	}
	attrs, size, err := checkMessageAttributes(in.MessageAttributes)
	if err != nil {
		return nil, err
	}
	if max := q.intAttr("MaximumMessageSize", DefaultMaxMessageSize); len(in.MessageBody)+size > max {
		return nil, errParam("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", max)
	}
	delay := q.intAttr("DelaySeconds", 0)
	if in.DelaySeconds != nil {
		if q.fifo() && *in.DelaySeconds != 0 {
			return nil, errParam("Value %d for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.", *in.DelaySeconds)
		}
		if *in.DelaySeconds < 0 || *in.DelaySeconds > MaxDelaySeconds {
			return nil, errParam("Value %d for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.", *in.DelaySeconds)
		}
		delay = *in.DelaySeconds
	}
	sys := map[string]string{}
	for _, k := range sortedKeys(in.MessageSystemAttributes) {
		v := in.MessageSystemAttributes[k]
		if k != "AWSTraceHeader" {
			return nil, errParam("Message system attribute name '%s' is invalid.", k)
		}
		if v.DataType != "String" || v.StringValue == nil {
			return nil, errParam("Message system attribute '%s' must be of type String.", k)
		}
		sys[k] = *v.StringValue
	}
	m := &message{Body: in.MessageBody, MD5: md5Hex(in.MessageBody), Attributes: attrs, Sender: sender, Sent: now,
		VisibleAt: now.Add(time.Duration(delay) * time.Second)}
	if len(sys) > 0 {
		m.System = sys
	}
	if q.fifo() {
		if in.MessageGroupId == nil || *in.MessageGroupId == "" {
			return nil, awserr.BadRequest(codeMissingParameter, "The request must contain the parameter MessageGroupId.")
		}
		m.GroupID = *in.MessageGroupId
		switch {
		case in.MessageDeduplicationId != nil:
			m.DedupID = *in.MessageDeduplicationId
		case q.Attributes["ContentBasedDeduplication"] == "true":
			sum := sha256.Sum256([]byte(in.MessageBody))
			m.DedupID = hex.EncodeToString(sum[:])
		default:
			return nil, errParam("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
		}
		// A duplicate within five minutes is accepted and not enqueued.
		var dup *message
		store.Prefix(tx, msgKeyPrefix(q.Name), func(_, v string) bool {
			var o message
			if json.Unmarshal([]byte(v), &o) == nil && o.DedupID == m.DedupID &&
				(q.Attributes["DeduplicationScope"] != "messageGroup" || o.GroupID == m.GroupID) &&
				now.Before(o.Sent.Add(5*time.Minute)) {
				dup = &o
				return false
			}
			return true
		})
		if dup != nil {
			return &SendMessageOutput{MD5OfMessageBody: dup.MD5, MD5OfMessageAttributes: attributesMD5(dup.Attributes),
				MessageId: dup.ID, SequenceNumber: dup.SeqNumber}, nil
		}
	} else if in.MessageDeduplicationId != nil {
		return nil, errParam("The request include parameter that is not valid for this queue type")
	} else if in.MessageGroupId != nil {
		m.GroupID = *in.MessageGroupId
	}
	m.ID = s.ids.UUID()
	if q.fifo() {
		q.FifoSeq++
		m.SeqNumber = "188" + fmt.Sprintf("%017d", q.FifoSeq)
	}
	if err := s.put(tx, q, m); err != nil {
		return nil, err
	}
	out := &SendMessageOutput{MD5OfMessageBody: m.MD5, MD5OfMessageAttributes: attributesMD5(attrs), MessageId: m.ID, SequenceNumber: m.SeqNumber}
	if len(sys) > 0 {
		out.MD5OfMessageSystemAttributes = systemAttributesMD5(sys)
	}
	return out, nil
}

// put stores a new message at the end of a queue.
func (s *Service) put(tx *store.Tx, q *queue, m *message) error {
	q.NextSeq++
	m.Seq = q.NextSeq
	if err := store.SetJSON(tx, queueKey(q.Name), q); err != nil {
		return err
	}
	return store.SetJSON(tx, msgKey(q.Name, m.Seq), m)
}

var dataTypePrefixes = []string{"String", "Number", "Binary"}

func checkMessageAttributes(in map[string]MessageAttributeValue) (map[string]attrValue, int, error) {
	if len(in) == 0 {
		return nil, 0, nil
	}
	if len(in) > 10 {
		return nil, 0, errParam("Number of message attributes [%d] exceeds the allowed maximum [10].", len(in))
	}
	out := map[string]attrValue{}
	size := 0
	for _, name := range sortedKeys(in) {
		v := in[name]
		if name == "" || len(name) > 256 || strings.HasPrefix(strings.ToLower(name), "aws.") || strings.HasPrefix(strings.ToLower(name), "amazon.") ||
			strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != "" {
			return nil, 0, errParam("Message (user) attribute name '%s' is invalid.", name)
		}
		base := v.DataType
		if i := strings.IndexByte(base, '.'); i >= 0 {
			base = base[:i]
		}
		if !contains(dataTypePrefixes, base) {
			return nil, 0, errParam("The type of message (user) attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", name)
		}
		av := attrValue{DataType: v.DataType}
		switch base {
		case "String", "Number":
			if v.StringValue == nil || *v.StringValue == "" {
				return nil, 0, errParam("Message (user) attribute '%s' must contain a non-empty value of type '%s'.", name, base)
			}
			if base == "Number" {
				if _, err := strconv.ParseFloat(*v.StringValue, 64); err != nil {
					return nil, 0, errParam("Can't cast the value of message (user) attribute '%s' to a number.", name)
				}
			}
			sv := *v.StringValue
			av.StringValue = &sv
			size += len(sv)
		case "Binary":
			if len(v.BinaryValue) == 0 {
				return nil, 0, errParam("Message (user) attribute '%s' must contain a non-empty value of type 'Binary'.", name)
			}
			av.BinaryValue = v.BinaryValue
			size += len(v.BinaryValue)
		}
		size += len(name) + len(v.DataType)
		out[name] = av
	}
	return out, size, nil
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// attributesMD5 is the MD5 of message attributes as SQS computes it: for
// each attribute in name order, the length-prefixed name, data type, a
// transport byte (1 string, 2 binary) and the length-prefixed value.
func attributesMD5(attrs map[string]attrValue) string {
	if len(attrs) == 0 {
		return ""
	}
	h := md5.New()
	put := func(b []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	names := sortedKeys(attrs)
	sort.Strings(names)
	for _, name := range names {
		v := attrs[name]
		put([]byte(name))
		put([]byte(v.DataType))
		if v.StringValue != nil {
			h.Write([]byte{1})
			put([]byte(*v.StringValue))
		} else {
			h.Write([]byte{2})
			put(v.BinaryValue)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func systemAttributesMD5(sys map[string]string) string {
	attrs := map[string]attrValue{}
	for k, v := range sys {
		v := v
		attrs[k] = attrValue{DataType: "String", StringValue: &v}
	}
	return attributesMD5(attrs)
}

// ReceiveMessageInput is the request of ReceiveMessage.
type ReceiveMessageInput struct {
	QueueUrl                    string
	AttributeNames              []string
	MessageSystemAttributeNames []string
	MessageAttributeNames       []string
	MaxNumberOfMessages         *int
	VisibilityTimeout           *int
	WaitTimeSeconds             *int
	ReceiveRequestAttemptId     *string
}

// Message is a received message.
type Message struct {
	MessageId              string
	ReceiptHandle          string
	MD5OfBody              string
	Body                   string
	Attributes             map[string]string                `json:",omitempty"`
	MD5OfMessageAttributes string                           `json:",omitempty"`
	MessageAttributes      map[string]MessageAttributeValue `json:",omitempty"`
}

// ReceiveMessageOutput is the response of ReceiveMessage.
type ReceiveMessageOutput struct {
	Messages []Message `json:",omitempty"`
}

var systemAttrNames = []string{"SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp",
	"SequenceNumber", "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn"}

// ReceiveMessage returns up to MaxNumberOfMessages visible messages and hides
// them for the visibility timeout. WaitTimeSeconds never waits: on the virtual
// clock a long poll that finds nothing returns at once.
func (s *Service) ReceiveMessage(c *api.Call, in *ReceiveMessageInput) (*ReceiveMessageOutput, error) {
	max := 1
	if in.MaxNumberOfMessages != nil {
		max = *in.MaxNumberOfMessages
		if max < 1 || max > 10 {
			return nil, errParam("Value %d for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.", max)
		}
	}
	if in.WaitTimeSeconds != nil && (*in.WaitTimeSeconds < 0 || *in.WaitTimeSeconds > MaxWaitTimeSeconds) {
		return nil, errParam("Value %d for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.", *in.WaitTimeSeconds)
	}
	if in.VisibilityTimeout != nil && (*in.VisibilityTimeout < 0 || *in.VisibilityTimeout > MaxVisibilityTimeout) {
		return nil, errParam("Value %d for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.", *in.VisibilityTimeout)
	}
	wantSys := map[string]bool{}
	for _, n := range append(append([]string{}, in.AttributeNames...), in.MessageSystemAttributeNames...) {
		switch {
		case n == "All":
			for _, k := range systemAttrNames {
				wantSys[k] = true
			}
		case contains(systemAttrNames, n):
			wantSys[n] = true
		case contains(queueAttrNames, n):
			// Queue attribute names are accepted and ignored.
		default:
			return nil, unknownAttr(n)
		}
	}
	out := &ReceiveMessageOutput{}
	err := s.store.Update(func(tx *store.Tx) error {
		q, err := queueFromURL(tx, c.Account, in.QueueUrl)
		if err != nil {
			return err
		}
		c.AddResource("AWS::SQS::Queue", q.Name, ARN(c.Region, c.Account, q.Name))
		if err := s.expire(tx, q, c.Now); err != nil {
			return err
		}
		vt := q.intAttr("VisibilityTimeout", DefaultVisibilityTimeout)
		if in.VisibilityTimeout != nil {
			vt = *in.VisibilityTimeout
		}
		var redrive *redrivePolicy
		if p := q.Attributes["RedrivePolicy"]; p != "" {
			redrive = &redrivePolicy{}
			if json.Unmarshal([]byte(p), redrive) != nil {
				redrive = nil
			}
		}
		var picked []*message
		var moved []*message
		blocked := map[string]bool{} // FIFO groups with a message in flight
		store.Prefix(tx, msgKeyPrefix(q.Name), func(_, v string) bool {
			var m message
			if json.Unmarshal([]byte(v), &m) != nil {
				return true
			}
			if q.fifo() && blocked[m.GroupID] {
				return true
			}
			if c.Now.Before(m.VisibleAt) {
				if q.fifo() {
					blocked[m.GroupID] = true
				}
				return true
			}
			if redrive != nil && m.Received >= redrive.MaxReceiveCount {
				moved = append(moved, &m)
				return true
			}
			if len(picked) == max {
				return false
			}
			picked = append(picked, &m)
			return true
		})
		for _, m := range moved {
			if err := s.moveToDLQ(tx, q, m, redrive.DeadLetterTargetArn, c.Region, c.Account); err != nil {
				return err
			}
		}
		for _, m := range picked {
			m.Received++
			now := c.Now
			if m.FirstReceived == nil {
				m.FirstReceived = &now
			}
			m.LastReceived = &now
			m.VisibleAt = now.Add(time.Duration(vt) * time.Second)
			m.Receipt = encodeReceipt(q.Name, m.Seq, m.Received, s.ids.Hex(32))
			if err := store.SetJSON(tx, msgKey(q.Name, m.Seq), m); err != nil {
				return err
			}
			out.Messages = append(out.Messages, render(m, wantSys, in.MessageAttributeNames))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// moveToDLQ moves a message that was received too often to the queue's
// dead-letter queue, keeping its id, body and sent time.
func (s *Service) moveToDLQ(tx *store.Tx, q *queue, m *message, dlqARN, region, account string) error {
	if _, err := tx.Delete(msgKey(q.Name, m.Seq)); err != nil {
		return err
	}
	p := strings.Split(dlqARN, ":")
	dlq, err := loadQueue(tx, p[len(p)-1])
	if err != nil {
		return nil // the dead-letter queue is gone: the message is dropped
	}
	moved := &message{ID: m.ID, Body: m.Body, MD5: m.MD5, Attributes: m.Attributes, System: m.System, Sender: m.Sender,
		Sent: m.Sent, VisibleAt: m.Sent, GroupID: m.GroupID, DedupID: m.DedupID, SeqNumber: m.SeqNumber,
		DLQSource: ARN(region, account, q.Name)}
	return s.put(tx, dlq, moved)
}

func render(m *message, wantSys map[string]bool, attrNames []string) Message {
	r := Message{MessageId: m.ID, ReceiptHandle: m.Receipt, MD5OfBody: m.MD5, Body: m.Body}
	sys := map[string]string{
		"SenderId":                         m.Sender,
		"SentTimestamp":                    epochMillis(m.Sent),
		"ApproximateReceiveCount":          strconv.Itoa(m.Received),
		"ApproximateFirstReceiveTimestamp": epochMillis(*m.FirstReceived),
	}
	if m.SeqNumber != "" {
		sys["SequenceNumber"] = m.SeqNumber
		sys["MessageDeduplicationId"] = m.DedupID
	}
	if m.GroupID != "" {
		sys["MessageGroupId"] = m.GroupID
	}
	if v, ok := m.System["AWSTraceHeader"]; ok {
		sys["AWSTraceHeader"] = v
	}
	if m.DLQSource != "" {
		sys["DeadLetterQueueSourceArn"] = m.DLQSource
	}
	for k, v := range sys {
		if wantSys[k] {
			if r.Attributes == nil {
				r.Attributes = map[string]string{}
			}
			r.Attributes[k] = v
		}
	}
	picked := map[string]attrValue{}
	for name, v := range m.Attributes {
		for _, want := range attrNames {
			if want == "All" || want == ".*" || want == name ||
				(strings.HasSuffix(want, ".*") && strings.HasPrefix(name, want[:len(want)-1])) {
				picked[name] = v
				break
			}
		}
	}
	if len(picked) > 0 {
		r.MessageAttributes = map[string]MessageAttributeValue{}
		for name, v := range picked {
			r.MessageAttributes[name] = MessageAttributeValue{DataType: v.DataType, StringValue: v.StringValue, BinaryValue: v.BinaryValue}
		}
		r.MD5OfMessageAttributes = attributesMD5(picked)
	}
	return r
}

// ReceiptInput is a request naming a queue and a receipt handle.
type ReceiptInput struct {
	QueueUrl          string
	ReceiptHandle     string
	VisibilityTimeout *int
}

func errReceipt(h string) error {
	return awserr.New(codeReceiptHandleInvalid, 404, fmt.Sprintf("The input receipt handle \"%s\" is not a valid receipt handle.", h))
}

// DeleteMessage deletes the message a receipt handle names. Deleting a
// message that is already gone succeeds, as on a standard queue.
func (s *Service) DeleteMessage(c *api.Call, in *ReceiptInput) (*struct{}, error) {
	return nil, s.store.Update(func(tx *store.Tx) error {
		q, err := queueFromURL(tx, c.Account, in.QueueUrl)
		if err != nil {
			return err
		}
		c.AddResource("AWS::SQS::Queue", q.Name, ARN(c.Region, c.Account, q.Name))
		name, seq, _, ok := decodeReceipt(in.ReceiptHandle)
		if !ok || name != q.Name {
			return errReceipt(in.ReceiptHandle)
		}
		_, err = tx.Delete(msgKey(q.Name, seq))
		if err == store.ErrNotFound {
			return nil
		}
		return err
	})
}

// ChangeMessageVisibility changes how long a received message stays hidden,
// counted from now.
func (s *Service) ChangeMessageVisibility(c *api.Call, in *ReceiptInput) (*struct{}, error) {
	vt := 0
	if in.VisibilityTimeout != nil {
		vt = *in.VisibilityTimeout
	}
	return nil, s.store.Update(func(tx *store.Tx) error {
		q, err := queueFromURL(tx, c.Account, in.QueueUrl)
		if err != nil {
			return err
		}
		c.AddResource("AWS::SQS::Queue", q.Name, ARN(c.Region, c.Account, q.Name))
		name, seq, _, ok := decodeReceipt(in.ReceiptHandle)
		if !ok || name != q.Name {
			return errReceipt(in.ReceiptHandle)
		}
		var m message
		if err := store.GetJSON(tx, msgKey(q.Name, seq), &m); err != nil {
			if err == store.ErrNotFound {
				return errParam("Value %s for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.", in.ReceiptHandle)
			}
			return err
		}
		if m.Received == 0 || !c.Now.Before(m.VisibleAt) {
			return awserr.BadRequest(codeMessageNotInflight, "Message does not exist or is not available for visibility timeout change.")
		}
		if vt < 0 || c.Now.Sub(*m.LastReceived)+time.Duration(vt)*time.Second > MaxVisibilityTimeout*time.Second {
			return errParam("Value %d for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]", vt)
		}
		m.VisibleAt = c.Now.Add(time.Duration(vt) * time.Second)
		return store.SetJSON(tx, msgKey(q.Name, seq), &m)
	})
}

// Deliver puts a message on the queue queueARN on behalf of another AWS
// service (SNS, EventBridge): no API call is recorded. attrs become String
// message attributes. A FIFO queue gets the message group "default" and a
// content-based deduplication id. It is an error if the queue does not exist.
func (s *Service) Deliver(queueARN string, body string, attrs map[string]string) error {
	p := strings.Split(queueARN, ":")
	if len(p) != 6 || p[0] != "arn" || p[2] != "sqs" || p[3] != s.region || p[4] != s.account {
		return fmt.Errorf("sqs: %s: %w", queueARN, errNoQueue())
	}
	in := &SendMessageInput{MessageBody: body}
	for k, v := range attrs {
		v := v
		if in.MessageAttributes == nil {
			in.MessageAttributes = map[string]MessageAttributeValue{}
		}
		in.MessageAttributes[k] = MessageAttributeValue{DataType: "String", StringValue: &v}
	}
	return s.store.Update(func(tx *store.Tx) error {
		q, err := loadQueue(tx, p[5])
		if err != nil {
			return err
		}
		if q.fifo() {
			g := "default"
			in.MessageGroupId = &g
			sum := sha256.Sum256([]byte(body))
			d := hex.EncodeToString(sum[:])
			in.MessageDeduplicationId = &d
		}
		_, err = s.send(tx, q, s.clock.Now(), SenderID, in)
		return err
	})
}

// QueueMessage is a message as the console shows it.
type QueueMessage struct {
	MessageId     string
	Body          string
	Sent          time.Time
	ReceiveCount  int
	State         string // visible, in flight or delayed
	Attributes    map[string]string
	MessageGroup  string
	DeadLetterArn string
}

// Messages returns the messages of a queue by name without receiving them,
// for the console.
func (s *Service) Messages(name string) ([]QueueMessage, error) {
	var out []QueueMessage
	now := s.clock.Now()
	err := s.store.View(func(tx *store.Tx) error {
		q, err := loadQueue(tx, name)
		if err != nil {
			return err
		}
		ret := time.Duration(q.intAttr("MessageRetentionPeriod", DefaultRetention)) * time.Second
		return store.Prefix(tx, msgKeyPrefix(name), func(_, v string) bool {
			var m message
			if json.Unmarshal([]byte(v), &m) != nil || !now.Before(m.Sent.Add(ret)) {
				return true
			}
			qm := QueueMessage{MessageId: m.ID, Body: m.Body, Sent: m.Sent, ReceiveCount: m.Received, MessageGroup: m.GroupID, DeadLetterArn: m.DLQSource}
			switch {
			case !now.Before(m.VisibleAt):
				qm.State = "visible"
			case m.Received > 0:
				qm.State = "in flight"
			default:
				qm.State = "delayed"
			}
			for k, a := range m.Attributes {
				if a.StringValue != nil {
					if qm.Attributes == nil {
						qm.Attributes = map[string]string{}
					}
					qm.Attributes[k] = *a.StringValue
				}
			}
			out = append(out, qm)
			return true
		})
	})
	return out, err
}

// Queues returns the names of the queues, sorted.
func (s *Service) Queues() ([]string, error) {
	var out []string
	err := s.store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, queuePrefix, func(k, _ string) bool {
			out = append(out, k[len(queuePrefix):])
			return true
		})
	})
	return out, err
}
