// Package cloudtrail simulates AWS CloudTrail: the record of every API call made
// in a world (the event history) and LookupEvents over it.
package cloudtrail

import (
	"encoding/json"
	"strings"
)

// UserIdentity is the userIdentity block of a record.
type UserIdentity struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId,omitempty"`
	ARN         string `json:"arn,omitempty"`
	AccountID   string `json:"accountId,omitempty"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
	UserName    string `json:"userName,omitempty"`
	InvokedBy   string `json:"invokedBy,omitempty"`
}

// TLSDetails is the tlsDetails block of a record.
type TLSDetails struct {
	TLSVersion               string `json:"tlsVersion"`
	CipherSuite              string `json:"cipherSuite"`
	ClientProvidedHostHeader string `json:"clientProvidedHostHeader"`
}

// Resource is one resource a record concerns.
type Resource struct {
	ARN       string `json:"ARN,omitempty"`
	AccountID string `json:"accountId,omitempty"`
	Type      string `json:"type"`
	Name      string `json:"-"`
}

// Record is a CloudTrail event record, with its members in the order CloudTrail
// writes them.
type Record struct {
	EventVersion       string          `json:"eventVersion"`
	UserIdentity       UserIdentity    `json:"userIdentity"`
	EventTime          string          `json:"eventTime"`
	EventSource        string          `json:"eventSource"`
	EventName          string          `json:"eventName"`
	AWSRegion          string          `json:"awsRegion"`
	SourceIPAddress    string          `json:"sourceIPAddress"`
	UserAgent          string          `json:"userAgent,omitempty"`
	ErrorCode          string          `json:"errorCode,omitempty"`
	ErrorMessage       string          `json:"errorMessage,omitempty"`
	RequestParameters  json.RawMessage `json:"requestParameters"`
	ResponseElements   json.RawMessage `json:"responseElements"`
	RequestID          string          `json:"requestID"`
	EventID            string          `json:"eventID"`
	ReadOnly           bool            `json:"readOnly"`
	Resources          []Resource      `json:"resources,omitempty"`
	EventType          string          `json:"eventType"`
	APIVersion         string          `json:"apiVersion,omitempty"`
	ManagementEvent    bool            `json:"managementEvent"`
	RecipientAccountID string          `json:"recipientAccountId"`
	EventCategory      string          `json:"eventCategory"`
	TLSDetails         *TLSDetails     `json:"tlsDetails,omitempty"`
}

// Category is how CloudTrail classifies an API call.
type Category int

// The categories of API calls.
const (
	Management Category = iota // logged in event history and by default in trails
	Data                       // logged only by trails that select data events
	NotLogged                  // never logged by CloudTrail
)

// Class is the classification of one API call.
type Class struct {
	Category Category
	ReadOnly bool
}

// classes overrides the default classification (management; read-only when the
// name starts with a read verb) for the calls AWS classifies otherwise. Keys are
// eventSource + " " + eventName (the recorded name: see EventName). Services add their rows as they are built.
var classes = map[string]Class{
	"sts.amazonaws.com GetFederationToken": {Management, false},
	"sts.amazonaws.com GetSessionToken":    {Management, false},
	// SQS message operations, SNS Publish and Lambda Invoke are data events.
	"sqs.amazonaws.com SendMessage":             {Data, false},
	"sqs.amazonaws.com ReceiveMessage":          {Data, true},
	"sqs.amazonaws.com DeleteMessage":           {Data, false},
	"sqs.amazonaws.com ChangeMessageVisibility": {Data, false},
	"sns.amazonaws.com Publish":                 {Data, false},
	"lambda.amazonaws.com Invoke":               {Data, false},
	// PutEvents is logged only as a data event (resource type AWS::Events::EventBus).
	"events.amazonaws.com PutEvents": {Data, false},
	// CloudWatch's metric data-plane calls are data events (resource type
	// AWS::CloudWatch::Metric), not management events.
	"monitoring.amazonaws.com GetMetricData":       {Data, true},
	"monitoring.amazonaws.com GetMetricStatistics": {Data, true},
	"monitoring.amazonaws.com ListMetrics":         {Data, true},
	"monitoring.amazonaws.com PutMetricData":       {Data, false},
	// S3 object-level calls are data events (resource type AWS::S3::Object);
	// ListObjectsV2 is recorded as ListObjects.
	"s3.amazonaws.com GetObject":    {Data, true},
	"s3.amazonaws.com HeadObject":   {Data, true},
	"s3.amazonaws.com PutObject":    {Data, false},
	"s3.amazonaws.com CopyObject":   {Data, false},
	"s3.amazonaws.com DeleteObject": {Data, false},
	"s3.amazonaws.com ListObjects":  {Data, true},
	"s3.amazonaws.com HeadBucket":   {Management, true},
	// Kinesis Data Streams' record calls are data events (resource type
	// AWS::Kinesis::Stream); Firehose's PutRecord and PutRecordBatch are not
	// logged (its CloudTrail page lists only the stream management calls).
	"kinesis.amazonaws.com PutRecord":        {Data, false},
	"kinesis.amazonaws.com PutRecords":       {Data, false},
	"kinesis.amazonaws.com GetRecords":       {Data, true},
	"kinesis.amazonaws.com GetShardIterator": {Data, true},
	"firehose.amazonaws.com PutRecord":       {NotLogged, false},
	"firehose.amazonaws.com PutRecordBatch":  {NotLogged, false},
}

// eventNames are the eventNames CloudTrail records for the API calls whose
// eventName is not the operation's name, by eventSource + " " + operation.
// Lambda records most of its 2015-03-31 operations under their versioned
// internal names (Invoke keeps its name).
var eventNames = map[string]string{
	"s3.amazonaws.com ListObjectsV2":                   "ListObjects",
	"lambda.amazonaws.com CreateFunction":              "CreateFunction20150331",
	"lambda.amazonaws.com DeleteFunction":              "DeleteFunction20150331",
	"lambda.amazonaws.com GetFunction":                 "GetFunction20150331v2",
	"lambda.amazonaws.com ListFunctions":               "ListFunctions20150331",
	"lambda.amazonaws.com GetFunctionConfiguration":    "GetFunctionConfiguration20150331v2",
	"lambda.amazonaws.com UpdateFunctionCode":          "UpdateFunctionCode20150331v2",
	"lambda.amazonaws.com UpdateFunctionConfiguration": "UpdateFunctionConfiguration20150331v2",
	"lambda.amazonaws.com AddPermission":               "AddPermission20150331v2",
	"lambda.amazonaws.com RemovePermission":            "RemovePermission20150331v2",
	"lambda.amazonaws.com GetPolicy":                   "GetPolicy20150331v2",
	"lambda.amazonaws.com ListVersionsByFunction":      "ListVersionsByFunction20150331",
	"lambda.amazonaws.com CreateEventSourceMapping":    "CreateEventSourceMapping20150331",
	"lambda.amazonaws.com PublishLayerVersion":         "PublishLayerVersion20181031",
}

// EventName returns the eventName CloudTrail records for a call of operation
// to eventSource: the operation's name, unless the service logs it under
// another name.
func EventName(eventSource, operation string) string {
	if n, ok := eventNames[eventSource+" "+operation]; ok {
		return n
	}
	return operation
}

var readVerbs = []string{"Get", "List", "Describe", "Lookup", "BatchGet", "Head", "Search", "Filter", "Test", "Select", "Scan", "Query"}

// Classify returns how CloudTrail classifies eventName of eventSource.
func Classify(eventSource, eventName string) Class {
	if c, ok := classes[eventSource+" "+eventName]; ok {
		return c
	}
	for _, v := range readVerbs {
		if strings.HasPrefix(eventName, v) && (len(eventName) == len(v) || isUpper(eventName[len(v)])) {
			return Class{Management, true}
		}
	}
	return Class{Management, false}
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }
