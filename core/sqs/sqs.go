// Package sqs simulates Amazon Simple Queue Service: standard and (basic) FIFO
// queues, messages with delays, visibility timeouts, retention and redrive to
// a dead-letter queue, all on the world's virtual clock.
//
// Time-dependent state is evaluated lazily: a message is visible, in flight or
// delayed depending on how its stored instants compare with the clock's Now
// when a call reads it, and expired messages are dropped when a call touches
// their queue. Nothing is scheduled, so a restored world needs no jobs.
//
// Store layout (see core/store):
//
//	sqs/queue/<name>            a queue (JSON)
//	sqs/msg/<name>/<seq>        a message of the queue, seq zero-padded
//	sqs/deleted/<name>          when a queue was deleted (QueueDeletedRecently)
//
// A Service is not safe for concurrent use.
package sqs

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	IDs     *ids.Generator
	Account string
	Region  string
}

// Service is the SQS of a world.
type Service struct {
	store           *store.Store
	clock           Clock
	ids             *ids.Generator
	account, region string
}

// New returns the service over the world's store. Queues and messages found
// in the store (a restored world) are kept.
func New(d Deps) *Service {
	return &Service{store: d.Store, clock: d.Clock, ids: d.IDs, account: d.Account, region: d.Region}
}

const (
	queuePrefix   = "sqs/queue/"
	msgPrefix     = "sqs/msg/"
	deletedPrefix = "sqs/deleted/"
)

func queueKey(name string) string     { return queuePrefix + name }
func msgKeyPrefix(name string) string { return msgPrefix + name + "/" }
func msgKey(name string, seq uint64) string {
	return fmt.Sprintf("%s%s/%016d", msgPrefix, name, seq)
}

// Limits and defaults of SQS.
const (
	DefaultVisibilityTimeout = 30
	DefaultRetention         = 345600
	DefaultMaxMessageSize    = 262144
	MaxVisibilityTimeout     = 43200
	MaxDelaySeconds          = 900
	MaxWaitTimeSeconds       = 20
	MinRetention             = 60
	MaxRetention             = 1209600
	MinMaxMessageSize        = 1024
	MaxMaxMessageSize        = 1048576
	// SenderID is the SenderId of messages that another AWS service (SNS,
	// EventBridge) delivered through Deliver.
	SenderID = "AIDAIT2UOQQY3AUEKVGXU"
)

// Error codes: SQS answers in the JSON protocol but is query-compatible, so
// the AWS CLI shows the legacy query error codes.
const (
	codeNonExistentQueue      = "AWS.SimpleQueueService.NonExistentQueue"
	codeQueueAlreadyExists    = "QueueAlreadyExists"
	codeQueueDeletedRecently  = "AWS.SimpleQueueService.QueueDeletedRecently"
	codePurgeQueueInProgress  = "AWS.SimpleQueueService.PurgeQueueInProgress"
	codeMessageNotInflight    = "AWS.SimpleQueueService.MessageNotInflight"
	codeReceiptHandleInvalid  = "ReceiptHandleIsInvalid"
	codeInvalidParameterValue = "InvalidParameterValue"
	codeInvalidAttributeName  = "InvalidAttributeName"
	codeInvalidAttributeValue = "InvalidAttributeValue"
	codeInvalidMessage        = "InvalidMessageContents"
	codeMissingParameter      = "MissingParameter"
	codeInvalidAddress        = "InvalidAddress"
)

func errNoQueue() error {
	return awserr.BadRequest(codeNonExistentQueue, "The specified queue does not exist.")
}

func errParam(format string, args ...any) error {
	return awserr.BadRequest(codeInvalidParameterValue, fmt.Sprintf(format, args...))
}

// queue is a stored queue.
type queue struct {
	Name         string            `json:"name"`
	Created      time.Time         `json:"created"`
	LastModified time.Time         `json:"modified"`
	Attributes   map[string]string `json:"attrs"` // the settable attributes
	Tags         map[string]string `json:"tags,omitempty"`
	NextSeq      uint64            `json:"next"`
	Purged       *time.Time        `json:"purged,omitempty"`
	FifoSeq      uint64            `json:"fifoSeq,omitempty"`
}

func (q *queue) fifo() bool { return q.Attributes["FifoQueue"] == "true" }

func (q *queue) intAttr(name string, def int) int {
	if v, ok := q.Attributes[name]; ok {
		var n int
		if _, err := fmt.Sscan(v, &n); err == nil {
			return n
		}
	}
	return def
}

// message is a stored message.
type message struct {
	Seq           uint64               `json:"seq"`
	ID            string               `json:"id"`
	Body          string               `json:"body"`
	MD5           string               `json:"md5"`
	Attributes    map[string]attrValue `json:"attrs,omitempty"`
	System        map[string]string    `json:"sys,omitempty"` // AWSTraceHeader
	Sender        string               `json:"sender"`
	Sent          time.Time            `json:"sent"`
	VisibleAt     time.Time            `json:"visibleAt"`
	Received      int                  `json:"received"`
	FirstReceived *time.Time           `json:"firstReceived,omitempty"`
	LastReceived  *time.Time           `json:"lastReceived,omitempty"`
	Receipt       string               `json:"receipt,omitempty"`
	GroupID       string               `json:"group,omitempty"`
	DedupID       string               `json:"dedup,omitempty"`
	SeqNumber     string               `json:"seqNumber,omitempty"`
	DLQSource     string               `json:"dlqSource,omitempty"`
}

// attrValue is a message attribute.
type attrValue struct {
	DataType         string   `json:"DataType"`
	StringValue      *string  `json:"StringValue,omitempty"`
	BinaryValue      []byte   `json:"BinaryValue,omitempty"`
	StringListValues []string `json:"StringListValues,omitempty"`
	BinaryListValues [][]byte `json:"BinaryListValues,omitempty"`
}

// URL returns the URL of a queue of the account and region.
func URL(region, account, name string) string {
	return fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", region, account, name)
}

// ARN returns the ARN of a queue of the account and region.
func ARN(region, account, name string) string {
	return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, account, name)
}

// queueFromURL finds the queue a QueueUrl names.
func queueFromURL(tx *store.Tx, account, raw string) (*queue, error) {
	u := raw
	switch {
	case strings.HasPrefix(u, "https://"):
		u = u[len("https://"):]
	case strings.HasPrefix(u, "http://"):
		u = u[len("http://"):]
	default:
		return nil, awserr.BadRequest(codeInvalidAddress, fmt.Sprintf("The address %s is not valid for this endpoint.", raw))
	}
	parts := strings.Split(strings.TrimSuffix(u, "/"), "/")
	if len(parts) != 3 || parts[1] != account {
		return nil, errNoQueue()
	}
	return loadQueue(tx, parts[2])
}

func loadQueue(tx *store.Tx, name string) (*queue, error) {
	if name == "" || strings.ContainsAny(name, "/\xff") {
		return nil, errNoQueue()
	}
	var q queue
	if err := store.GetJSON(tx, queueKey(name), &q); err != nil {
		if err == store.ErrNotFound {
			return nil, errNoQueue()
		}
		return nil, err
	}
	return &q, nil
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("sqs")
	if err != nil {
		return nil, err
	}
	// SQS checks attribute names itself and answers InvalidAttributeName,
	// and ReceiveMessage's legacy AttributeNames takes message system
	// attribute names that are not in the queue attribute enum.
	for _, n := range []string{"QueueAttributeName", "MessageSystemAttributeName"} {
		if sh := m.Shapes[n]; sh != nil {
			sh.Enum = nil
		}
	}
	return &api.Service{
		Name:  "sqs",
		Model: m,
		Handlers: map[string]api.Handler{
			"CreateQueue":             api.Op(s.CreateQueue),
			"GetQueueUrl":             api.Op(s.GetQueueUrl),
			"ListQueues":              api.Op(s.ListQueues),
			"DeleteQueue":             api.Op(s.DeleteQueue),
			"SendMessage":             api.Op(s.SendMessage),
			"ReceiveMessage":          api.Op(s.ReceiveMessage),
			"DeleteMessage":           api.Op(s.DeleteMessage),
			"ChangeMessageVisibility": api.Op(s.ChangeMessageVisibility),
			"GetQueueAttributes":      api.Op(s.GetQueueAttributes),
			"SetQueueAttributes":      api.Op(s.SetQueueAttributes),
			"PurgeQueue":              api.Op(s.PurgeQueue),
		},
	}, nil
}

// receipt handles encode the queue, the message and the receive, so that a
// handle can be checked without a lookup table.
func encodeReceipt(name string, seq uint64, n int, nonce string) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%s %d %d %s", name, seq, n, nonce)))
}

func decodeReceipt(h string) (name string, seq uint64, n int, ok bool) {
	b, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return "", 0, 0, false
	}
	var nonce string
	if c, err := fmt.Sscanf(string(b), "%s %d %d %s", &name, &seq, &n, &nonce); err != nil || c != 4 {
		return "", 0, 0, false
	}
	return name, seq, n, true
}

func epochMillis(t time.Time) string  { return fmt.Sprintf("%d", t.UnixMilli()) }
func epochSeconds(t time.Time) string { return fmt.Sprintf("%d", t.Unix()) }
