package sqs

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

var (
	queueName     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)
	fifoQueueName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,75}\.fifo$`)
)

// settable are the attributes CreateQueue and SetQueueAttributes accept.
var settable = map[string]bool{
	"DelaySeconds": true, "MaximumMessageSize": true, "MessageRetentionPeriod": true, "Policy": true,
	"ReceiveMessageWaitTimeSeconds": true, "VisibilityTimeout": true, "RedrivePolicy": true,
	"RedriveAllowPolicy": true, "KmsMasterKeyId": true, "KmsDataKeyReusePeriodSeconds": true,
	"SqsManagedSseEnabled": true, "FifoQueue": true, "ContentBasedDeduplication": true,
	"DeduplicationScope": true, "FifoThroughputLimit": true,
}

var fifoOnly = map[string]bool{"ContentBasedDeduplication": true, "DeduplicationScope": true, "FifoThroughputLimit": true}

// intRanges are the integer attributes and their bounds.
var intRanges = map[string][2]int{
	"DelaySeconds":                  {0, MaxDelaySeconds},
	"MaximumMessageSize":            {MinMaxMessageSize, MaxMaxMessageSize},
	"MessageRetentionPeriod":        {MinRetention, MaxRetention},
	"ReceiveMessageWaitTimeSeconds": {0, MaxWaitTimeSeconds},
	"VisibilityTimeout":             {0, MaxVisibilityTimeout},
	"KmsDataKeyReusePeriodSeconds":  {60, 86400},
}

func unknownAttr(name string) error {
	return awserr.BadRequest(codeInvalidAttributeName, fmt.Sprintf("Unknown Attribute %s.", name))
}

func badAttrValue(name string) error {
	return awserr.BadRequest(codeInvalidAttributeValue, fmt.Sprintf("Invalid value for the parameter %s.", name))
}

// checkAttributes validates the attributes of CreateQueue (q nil) or
// SetQueueAttributes and returns them normalised.
func (s *Service) checkAttributes(tx *store.Tx, name string, fifo bool, attrs map[string]string, creating bool) (map[string]string, error) {
	out := map[string]string{}
	for _, k := range sortedKeys(attrs) {
		v := attrs[k]
		if !settable[k] || (fifoOnly[k] && !fifo) {
			return nil, unknownAttr(k)
		}
		if r, ok := intRanges[k]; ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < r[0] || n > r[1] {
				return nil, badAttrValue(k)
			}
			v = strconv.Itoa(n)
		}
		switch k {
		case "FifoQueue":
			if !creating {
				return nil, badAttrValue(k)
			}
			if v != "true" && v != "false" {
				return nil, badAttrValue(k)
			}
			if v == "false" {
				if fifo {
					return nil, badAttrValue(k)
				}
				continue // a standard queue does not list FifoQueue
			}
		case "ContentBasedDeduplication", "SqsManagedSseEnabled":
			if v != "true" && v != "false" {
				return nil, badAttrValue(k)
			}
		case "DeduplicationScope":
			if v != "messageGroup" && v != "queue" {
				return nil, badAttrValue(k)
			}
		case "FifoThroughputLimit":
			if v != "perQueue" && v != "perMessageGroupId" {
				return nil, badAttrValue(k)
			}
		case "Policy", "RedriveAllowPolicy":
			if v != "" && !json.Valid([]byte(v)) {
				return nil, badAttrValue(k)
			}
		case "RedrivePolicy":
			if v != "" {
				norm, err := s.checkRedrive(tx, name, fifo, v)
				if err != nil {
					return nil, err
				}
				v = norm
			}
		}
		out[k] = v
	}
	return out, nil
}

// redrivePolicy is a queue's RedrivePolicy.
type redrivePolicy struct {
	DeadLetterTargetArn string `json:"deadLetterTargetArn"`
	MaxReceiveCount     int    `json:"maxReceiveCount"`
}

func (s *Service) checkRedrive(tx *store.Tx, name string, fifo bool, raw string) (string, error) {
	bad := func(reason string) error {
		return errParam("Value %s for parameter RedrivePolicy is invalid. Reason: %s", raw, reason)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return "", bad("Redrive policy is not a valid JSON map.")
	}
	arn, _ := m["deadLetterTargetArn"].(string)
	if _, ok := m["deadLetterTargetArn"]; !ok {
		return "", bad("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")
	}
	mrc, ok := m["maxReceiveCount"]
	if !ok {
		return "", bad("Redrive policy does not contain mandatory attribute: maxReceiveCount.")
	}
	var n int
	switch x := mrc.(type) {
	case float64:
		n = int(x)
		if float64(n) != x {
			n = 0
		}
	case string:
		n, _ = strconv.Atoi(x)
	}
	if n < 1 || n > 1000 {
		return "", bad(fmt.Sprintf("Invalid value for maxReceiveCount: %v, valid values are from 1 to 1000 both inclusive.", mrc))
	}
	dlqName := ""
	if p := strings.Split(arn, ":"); len(p) == 6 && p[0] == "arn" && p[2] == "sqs" && p[3] == s.region && p[4] == s.account {
		dlqName = p[5]
	}
	dlq, err := loadQueue(tx, dlqName)
	if err != nil || dlqName == name {
		return "", bad("Dead letter target does not exist.")
	}
	if dlq.fifo() != fifo {
		return "", bad("Dead-letter queue must be same type of queue as the source..")
	}
	b, _ := json.Marshal(redrivePolicy{arn, n})
	return string(b), nil
}

// CreateQueueInput is the request of CreateQueue.
type CreateQueueInput struct {
	QueueName  string
	Attributes map[string]string
	Tags       map[string]string `json:"tags"`
}

// CreateQueueOutput is the response of CreateQueue.
type CreateQueueOutput struct {
	QueueUrl string
}

// CreateQueue creates a queue, or returns the URL of an existing queue of the
// same name when the attributes asked for do not differ.
func (s *Service) CreateQueue(c *api.Call, in *CreateQueueInput) (*CreateQueueOutput, error) {
	fifo := in.Attributes["FifoQueue"] == "true"
	if fifo {
		if !fifoQueueName.MatchString(in.QueueName) {
			return nil, errParam("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
		}
	} else if !queueName.MatchString(in.QueueName) {
		return nil, errParam("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	}
	url := URL(c.Region, c.Account, in.QueueName)
	c.AddResource("AWS::SQS::Queue", in.QueueName, ARN(c.Region, c.Account, in.QueueName))
	err := s.store.Update(func(tx *store.Tx) error {
		attrs, err := s.checkAttributes(tx, in.QueueName, fifo, in.Attributes, true)
		if err != nil {
			return err
		}
		if old, err := loadQueue(tx, in.QueueName); err == nil {
			for _, k := range sortedKeys(attrs) {
				if cur, ok := old.currentAttr(k); !ok || cur != attrs[k] {
					return awserr.BadRequest(codeQueueAlreadyExists, "A queue already exists with the same name and a different value for attribute "+k)
				}
			}
			return nil
		}
		var deleted time.Time
		if store.GetJSON(tx, deletedPrefix+in.QueueName, &deleted) == nil && c.Now.Before(deleted.Add(60*time.Second)) {
			return awserr.BadRequest(codeQueueDeletedRecently, "You must wait 60 seconds after deleting a queue before you can create another with the same name.")
		}
		tx.Delete(deletedPrefix + in.QueueName)
		if _, ok := attrs["SqsManagedSseEnabled"]; !ok && attrs["KmsMasterKeyId"] == "" {
			attrs["SqsManagedSseEnabled"] = "true"
		}
		if fifo {
			if _, ok := attrs["ContentBasedDeduplication"]; !ok {
				attrs["ContentBasedDeduplication"] = "false"
			}
			if _, ok := attrs["DeduplicationScope"]; !ok {
				attrs["DeduplicationScope"] = "queue"
			}
			if _, ok := attrs["FifoThroughputLimit"]; !ok {
				attrs["FifoThroughputLimit"] = "perQueue"
			}
		}
		q := &queue{Name: in.QueueName, Created: c.Now, LastModified: c.Now, Attributes: attrs, Tags: in.Tags}
		return store.SetJSON(tx, queueKey(q.Name), q)
	})
	if err != nil {
		return nil, err
	}
	return &CreateQueueOutput{QueueUrl: url}, nil
}

// currentAttr returns the value of a settable attribute, with its default.
func (q *queue) currentAttr(k string) (string, bool) {
	if v, ok := q.Attributes[k]; ok {
		return v, true
	}
	switch k {
	case "DelaySeconds", "ReceiveMessageWaitTimeSeconds":
		return "0", true
	case "VisibilityTimeout":
		return strconv.Itoa(DefaultVisibilityTimeout), true
	case "MessageRetentionPeriod":
		return strconv.Itoa(DefaultRetention), true
	case "MaximumMessageSize":
		return strconv.Itoa(DefaultMaxMessageSize), true
	case "FifoQueue":
		return "false", !q.fifo()
	}
	return "", false
}

// GetQueueUrlInput is the request of GetQueueUrl.
type GetQueueUrlInput struct {
	QueueName              string
	QueueOwnerAWSAccountId *string
}

// GetQueueUrlOutput is the response of GetQueueUrl.
type GetQueueUrlOutput struct {
	QueueUrl string
}

// GetQueueUrl returns the URL of a queue by name.
func (s *Service) GetQueueUrl(c *api.Call, in *GetQueueUrlInput) (*GetQueueUrlOutput, error) {
	if in.QueueOwnerAWSAccountId != nil && *in.QueueOwnerAWSAccountId != c.Account {
		return nil, errNoQueue()
	}
	err := s.store.View(func(tx *store.Tx) error {
		_, err := loadQueue(tx, in.QueueName)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &GetQueueUrlOutput{QueueUrl: URL(c.Region, c.Account, in.QueueName)}, nil
}

// ListQueuesInput is the request of ListQueues.
type ListQueuesInput struct {
	QueueNamePrefix *string
	NextToken       *string
	MaxResults      *int
}

// ListQueuesOutput is the response of ListQueues.
type ListQueuesOutput struct {
	QueueUrls []string `json:",omitempty"`
	NextToken *string  `json:",omitempty"`
}

// ListQueues lists the queues, in name order, up to 1000 (or MaxResults per
// page with a NextToken).
func (s *Service) ListQueues(c *api.Call, in *ListQueuesInput) (*ListQueuesOutput, error) {
	max := 1000
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 1000 {
			return nil, errParam("Value %d for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.", *in.MaxResults)
		}
		max = *in.MaxResults
	} else if in.NextToken != nil {
		return nil, errParam("MaxResults is a mandatory parameter when you provide a value for NextToken.")
	}
	prefix := ""
	if in.QueueNamePrefix != nil {
		prefix = *in.QueueNamePrefix
	}
	after := ""
	if in.NextToken != nil {
		b, err := base64.StdEncoding.DecodeString(*in.NextToken)
		var tok struct{ P, A string }
		if err != nil || json.Unmarshal(b, &tok) != nil || tok.P != prefix || tok.A == "" {
			return nil, errParam("Invalid NextToken value.")
		}
		after = tok.A
	}
	out := &ListQueuesOutput{}
	var last string
	more := false
	err := s.store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, queuePrefix+prefix, func(k, _ string) bool {
			name := k[len(queuePrefix):]
			if after != "" && name <= after {
				return true
			}
			if len(out.QueueUrls) == max {
				more = true
				return false
			}
			out.QueueUrls = append(out.QueueUrls, URL(c.Region, c.Account, name))
			last = name
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	if more && in.MaxResults != nil {
		b, _ := json.Marshal(struct{ P, A string }{prefix, last})
		t := base64.StdEncoding.EncodeToString(b)
		out.NextToken = &t
	}
	return out, nil
}

// QueueInput is a request naming only a queue (DeleteQueue, PurgeQueue).
type QueueInput struct {
	QueueUrl string
}

// DeleteQueue deletes a queue and its messages.
func (s *Service) DeleteQueue(c *api.Call, in *QueueInput) (*struct{}, error) {
	return nil, s.store.Update(func(tx *store.Tx) error {
		q, err := queueFromURL(tx, c.Account, in.QueueUrl)
		if err != nil {
			return err
		}
		c.AddResource("AWS::SQS::Queue", q.Name, ARN(c.Region, c.Account, q.Name))
		if err := deleteMessages(tx, q.Name, nil); err != nil {
			return err
		}
		if _, err := tx.Delete(queueKey(q.Name)); err != nil {
			return err
		}
		return store.SetJSON(tx, deletedPrefix+q.Name, c.Now)
	})
}

// deleteMessages deletes the messages of a queue that keep says not to keep.
func deleteMessages(tx *store.Tx, name string, keep func(*message) bool) error {
	var del []string
	err := store.Prefix(tx, msgKeyPrefix(name), func(k, v string) bool {
		if keep != nil {
			var m message
			if json.Unmarshal([]byte(v), &m) == nil && keep(&m) {
				return true
			}
		}
		del = append(del, k)
		return true
	})
	if err != nil {
		return err
	}
	for _, k := range del {
		if _, err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// PurgeQueue deletes every message of a queue; once per 60 seconds.
func (s *Service) PurgeQueue(c *api.Call, in *QueueInput) (*struct{}, error) {
	return nil, s.store.Update(func(tx *store.Tx) error {
		q, err := queueFromURL(tx, c.Account, in.QueueUrl)
		if err != nil {
			return err
		}
		c.AddResource("AWS::SQS::Queue", q.Name, ARN(c.Region, c.Account, q.Name))
		if q.Purged != nil && c.Now.Before(q.Purged.Add(60*time.Second)) {
			return awserr.BadRequest(codePurgeQueueInProgress, fmt.Sprintf("Only one PurgeQueue operation on %s is allowed every 60 seconds.", q.Name))
		}
		if err := deleteMessages(tx, q.Name, nil); err != nil {
			return err
		}
		now := c.Now
		q.Purged = &now
		return store.SetJSON(tx, queueKey(q.Name), q)
	})
}

// GetQueueAttributesInput is the request of GetQueueAttributes.
type GetQueueAttributesInput struct {
	QueueUrl       string
	AttributeNames []string
}

// GetQueueAttributesOutput is the response of GetQueueAttributes.
type GetQueueAttributesOutput struct {
	Attributes map[string]string `json:",omitempty"`
}

// queueAttrNames are every attribute GetQueueAttributes knows, for All.
var queueAttrNames = []string{
	"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed", "ApproximateNumberOfMessagesNotVisible",
	"ContentBasedDeduplication", "CreatedTimestamp", "DeduplicationScope", "DelaySeconds", "FifoQueue",
	"FifoThroughputLimit", "KmsDataKeyReusePeriodSeconds", "KmsMasterKeyId", "LastModifiedTimestamp",
	"MaximumMessageSize", "MessageRetentionPeriod", "Policy", "QueueArn", "ReceiveMessageWaitTimeSeconds",
	"RedriveAllowPolicy", "RedrivePolicy", "SqsManagedSseEnabled", "VisibilityTimeout",
}

// GetQueueAttributes returns the attributes asked for (All for every one).
func (s *Service) GetQueueAttributes(c *api.Call, in *GetQueueAttributesInput) (*GetQueueAttributesOutput, error) {
	want := map[string]bool{}
	all := false
	for _, n := range in.AttributeNames {
		switch {
		case n == "All":
			all = true
		case contains(queueAttrNames, n):
			want[n] = true
		default:
			return nil, unknownAttr(n)
		}
	}
	out := &GetQueueAttributesOutput{}
	err := s.store.Update(func(tx *store.Tx) error {
		q, err := queueFromURL(tx, c.Account, in.QueueUrl)
		if err != nil {
			return err
		}
		if err := s.expire(tx, q, c.Now); err != nil {
			return err
		}
		visible, inflight, delayed, err := counts(tx, q.Name, c.Now)
		if err != nil {
			return err
		}
		vals := map[string]string{
			"ApproximateNumberOfMessages":           strconv.Itoa(visible),
			"ApproximateNumberOfMessagesNotVisible": strconv.Itoa(inflight),
			"ApproximateNumberOfMessagesDelayed":    strconv.Itoa(delayed),
			"CreatedTimestamp":                      epochSeconds(q.Created),
			"LastModifiedTimestamp":                 epochSeconds(q.LastModified),
			"QueueArn":                              ARN(c.Region, c.Account, q.Name),
		}
		for _, k := range queueAttrNames {
			if v, ok := q.currentAttr(k); ok && (k != "FifoQueue" || q.fifo()) {
				vals[k] = v
			}
		}
		for k, v := range vals {
			if all || want[k] {
				if out.Attributes == nil {
					out.Attributes = map[string]string{}
				}
				out.Attributes[k] = v
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetQueueAttributesInput is the request of SetQueueAttributes.
type SetQueueAttributesInput struct {
	QueueUrl   string
	Attributes map[string]string
}

// SetQueueAttributes changes settable attributes; an empty value removes
// RedrivePolicy, Policy and the like.
func (s *Service) SetQueueAttributes(c *api.Call, in *SetQueueAttributesInput) (*struct{}, error) {
	return nil, s.store.Update(func(tx *store.Tx) error {
		q, err := queueFromURL(tx, c.Account, in.QueueUrl)
		if err != nil {
			return err
		}
		c.AddResource("AWS::SQS::Queue", q.Name, ARN(c.Region, c.Account, q.Name))
		attrs, err := s.checkAttributes(tx, q.Name, q.fifo(), in.Attributes, false)
		if err != nil {
			return err
		}
		for k, v := range attrs {
			if v == "" && (k == "RedrivePolicy" || k == "Policy" || k == "RedriveAllowPolicy" || k == "KmsMasterKeyId") {
				delete(q.Attributes, k)
				continue
			}
			q.Attributes[k] = v
		}
		q.LastModified = c.Now
		return store.SetJSON(tx, queueKey(q.Name), q)
	})
}

// counts returns the numbers of visible, in-flight and delayed messages.
func counts(tx *store.Tx, name string, now time.Time) (visible, inflight, delayed int, err error) {
	err = store.Prefix(tx, msgKeyPrefix(name), func(_, v string) bool {
		var m message
		if json.Unmarshal([]byte(v), &m) != nil {
			return true
		}
		switch {
		case !now.Before(m.VisibleAt):
			visible++
		case m.Received > 0:
			inflight++
		default:
			delayed++
		}
		return true
	})
	return
}

// expire drops the messages older than the queue's retention period.
func (s *Service) expire(tx *store.Tx, q *queue, now time.Time) error {
	ret := time.Duration(q.intAttr("MessageRetentionPeriod", DefaultRetention)) * time.Second
	return deleteMessages(tx, q.Name, func(m *message) bool { return now.Before(m.Sent.Add(ret)) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
