// Package firehose simulates Amazon Data Firehose (the "firehose" service
// of the CLI), minimally: Direct PUT streams to an Amazon S3 destination
// (S3DestinationConfiguration or ExtendedS3DestinationConfiguration),
// PutRecord and PutRecordBatch, and delivery of the buffered records to S3
// on the virtual clock when the buffer reaches SizeInMBs (default 5) or
// IntervalInSeconds (default 300) passes since its first record.
//
// Firehose has no API to read records back, so the simulation delivers
// them through an Objects interface that world routes to the S3 of the
// world. Every record also stays readable in this package (Records), with
// the key of the object it went into, for `telltale firehose records`.
//
// Objects are named as Firehose names them: the prefix, a UTC
// YYYY/MM/DD/HH/ prefix, then NAME-VERSION-YYYY-MM-DD-HH-MM-SS-UUID (".gz"
// with GZIP compression); the times are those of the buffer's first record.
// The records are concatenated without delimiters.
//
// Simplifications: a stream is ACTIVE as soon as it is created and gone as
// soon as it is deleted; Kinesis, MSK and database sources and destinations
// other than S3 are refused; data transformation, format conversion and
// dynamic partitioning are not simulated.
//
// Store layout (see core/store):
//
//	firehose/stream/<name>          a delivery stream (JSON)
//	firehose/record/<name>/<seq>    a record (JSON), <seq> zero-padded
//
// A Service is not safe for concurrent use.
package firehose

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// Clock is the world's clock.
type Clock interface {
	Now() time.Time
	Schedule(at time.Time, name string, job clock.Job) clock.JobID
	Cancel(id clock.JobID)
}

// Objects receives the objects Firehose writes to S3. world implements it
// with the world's S3.
type Objects interface {
	PutFirehoseObject(bucket, key string, body []byte) error
}

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	IDs     *ids.Generator
	Account string
	Region  string
	Objects Objects // optional: without it, objects are only recorded here
	// Notify reports deliveries and failed deliveries (optional).
	Notify func(at time.Time, format string, args ...any)
}

// Service is the Firehose of a world.
type Service struct {
	d      Deps
	job    clock.JobID
	jobAt  time.Time
	queued bool
}

const (
	streamPrefix = "firehose/stream/"
	recordPrefix = "firehose/record/"
)

// Defaults of an S3 destination's buffering hints.
const (
	DefaultSizeInMBs         = 5
	DefaultIntervalInSeconds = 300
)

// New returns the service over the world's store, scheduling the delivery
// of the records buffered in a restored world.
func New(d Deps) *Service {
	s := &Service{d: d}
	s.reschedule()
	return s
}

// BufferingHints say when a buffer is delivered.
type BufferingHints struct {
	SizeInMBs         *int `json:",omitempty"`
	IntervalInSeconds *int `json:",omitempty"`
}

// EncryptionConfiguration is the encryption of an S3 destination.
type EncryptionConfiguration struct {
	NoEncryptionConfig  string `json:",omitempty"`
	KMSEncryptionConfig *struct {
		AWSKMSKeyARN string
	} `json:",omitempty"`
}

// CloudWatchLoggingOptions are the error logging options of a destination.
type CloudWatchLoggingOptions struct {
	Enabled       bool
	LogGroupName  string `json:",omitempty"`
	LogStreamName string `json:",omitempty"`
}

// S3DestinationConfiguration is an S3 destination (both the plain and the
// extended configuration; the extended members the simulation does not
// use are accepted and ignored).
type S3DestinationConfiguration struct {
	RoleARN                  string
	BucketARN                string
	Prefix                   string
	ErrorOutputPrefix        string
	BufferingHints           *BufferingHints
	CompressionFormat        string
	EncryptionConfiguration  *EncryptionConfiguration
	CloudWatchLoggingOptions *CloudWatchLoggingOptions
	S3BackupMode             string
	FileExtension            string
	CustomTimeZone           string
}

// CreateDeliveryStreamInput is the request of CreateDeliveryStream.
type CreateDeliveryStreamInput struct {
	DeliveryStreamName                                 string
	DeliveryStreamType                                 string
	S3DestinationConfiguration                         *S3DestinationConfiguration
	ExtendedS3DestinationConfiguration                 *S3DestinationConfiguration
	KinesisStreamSourceConfiguration                   json.RawMessage
	MSKSourceConfiguration                             json.RawMessage
	DatabaseSourceConfiguration                        json.RawMessage
	DirectPutSourceConfiguration                       json.RawMessage
	DeliveryStreamEncryptionConfigurationInput         json.RawMessage
	RedshiftDestinationConfiguration                   json.RawMessage
	ElasticsearchDestinationConfiguration              json.RawMessage
	AmazonopensearchserviceDestinationConfiguration    json.RawMessage
	SplunkDestinationConfiguration                     json.RawMessage
	HttpEndpointDestinationConfiguration               json.RawMessage
	AmazonOpenSearchServerlessDestinationConfiguration json.RawMessage
	SnowflakeDestinationConfiguration                  json.RawMessage
	IcebergDestinationConfiguration                    json.RawMessage
	Tags                                               []struct{ Key, Value string }
}

type deliveryStream struct {
	Name        string
	Created     int64
	Type        string
	Extended    bool
	Dest        S3DestinationConfiguration
	Seq         int64
	BufferStart int64 `json:",omitempty"` // ms of the first buffered record, 0 if none
	BufferBytes int   `json:",omitempty"`
}

// due is when the stream's buffer is delivered: its interval after its first
// record (BufferStart, not 0).
func (st *deliveryStream) due() time.Time {
	return time.UnixMilli(st.BufferStart).Add(time.Duration(*st.Dest.BufferingHints.IntervalInSeconds) * time.Second)
}

type record struct {
	ID     string
	At     int64
	Data   []byte
	Object string `json:",omitempty"` // s3://BUCKET/KEY once delivered
	Error  string `json:",omitempty"` // why the delivery failed
}

// CreateDeliveryStreamOutput is the response of CreateDeliveryStream.
type CreateDeliveryStreamOutput struct{ DeliveryStreamARN string }

// StreamARN returns the ARN of a delivery stream of the world.
func (s *Service) StreamARN(name string) string {
	return fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/%s", s.d.Region, s.d.Account, name)
}

func (s *Service) errNotFound(name string) error {
	// Unverified wording (AWS says "Firehose" since the 2024 renaming).
	return awserr.BadRequest("ResourceNotFoundException", fmt.Sprintf("Firehose %s under account %s not found.", name, s.d.Account))
}

func errArg(format string, args ...any) error {
	return awserr.BadRequest("InvalidArgumentException", fmt.Sprintf(format, args...))
}

func ms(t time.Time) int64 { return t.UnixMilli() }

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("firehose")
	if err != nil {
		return nil, err
	}
	return &api.Service{Name: "firehose", Model: m, ValidationCode: "ValidationException", Handlers: map[string]api.Handler{
		"CreateDeliveryStream":   api.Op(s.CreateDeliveryStream),
		"DescribeDeliveryStream": api.Op(s.DescribeDeliveryStream),
		"ListDeliveryStreams":    api.Op(s.ListDeliveryStreams),
		"DeleteDeliveryStream":   api.Op(s.DeleteDeliveryStream),
		"PutRecord":              api.Op(s.PutRecord),
		"PutRecordBatch":         api.Op(s.PutRecordBatch),
	}}, nil
}

// CreateDeliveryStream creates a Direct PUT stream to an S3 destination.
func (s *Service) CreateDeliveryStream(c *api.Call, in *CreateDeliveryStreamInput) (*CreateDeliveryStreamOutput, error) {
	typ := in.DeliveryStreamType
	if typ == "" {
		typ = "DirectPut"
	}
	if typ != "DirectPut" || in.KinesisStreamSourceConfiguration != nil || in.MSKSourceConfiguration != nil || in.DatabaseSourceConfiguration != nil {
		// Not AWS's wording: the simulation only has Direct PUT sources.
		return nil, errArg("Only DirectPut delivery streams are supported by the simulation.")
	}
	others := [][]byte{in.RedshiftDestinationConfiguration, in.ElasticsearchDestinationConfiguration,
		in.AmazonopensearchserviceDestinationConfiguration, in.SplunkDestinationConfiguration, in.HttpEndpointDestinationConfiguration,
		in.AmazonOpenSearchServerlessDestinationConfiguration, in.SnowflakeDestinationConfiguration, in.IcebergDestinationConfiguration}
	n := 0
	for _, o := range others {
		if o != nil {
			n++
		}
	}
	dest, ext := in.ExtendedS3DestinationConfiguration, true
	if dest == nil {
		dest, ext = in.S3DestinationConfiguration, false
	} else if in.S3DestinationConfiguration != nil {
		n++
	}
	if dest != nil {
		n++
	}
	switch {
	case n == 0:
		// Unverified wording.
		return nil, errArg("Exactly one destination configuration is required.")
	case n > 1:
		// Unverified wording.
		return nil, errArg("Only one destination configuration is allowed.")
	case dest == nil:
		// Not AWS's wording: the simulation only has S3 destinations.
		return nil, errArg("Only Amazon S3 destinations are supported by the simulation.")
	}
	if !strings.HasPrefix(dest.BucketARN, "arn:aws:s3:::") || len(dest.BucketARN) == len("arn:aws:s3:::") {
		// Unverified wording.
		return nil, errArg("BucketARN %s is not a valid Amazon S3 bucket ARN.", dest.BucketARN)
	}
	d := *dest
	if d.BufferingHints == nil {
		d.BufferingHints = &BufferingHints{}
	}
	if d.BufferingHints.SizeInMBs == nil {
		v := DefaultSizeInMBs
		d.BufferingHints.SizeInMBs = &v
	}
	if d.BufferingHints.IntervalInSeconds == nil {
		v := DefaultIntervalInSeconds
		d.BufferingHints.IntervalInSeconds = &v
	}
	if d.CompressionFormat == "" {
		d.CompressionFormat = "UNCOMPRESSED"
	}
	if d.CompressionFormat != "UNCOMPRESSED" && d.CompressionFormat != "GZIP" {
		// Not AWS's wording: other formats are not simulated.
		return nil, errArg("CompressionFormat %s is not supported by the simulation (UNCOMPRESSED or GZIP).", d.CompressionFormat)
	}
	if d.EncryptionConfiguration == nil {
		d.EncryptionConfiguration = &EncryptionConfiguration{NoEncryptionConfig: "NoEncryption"}
	}
	if d.CloudWatchLoggingOptions == nil {
		d.CloudWatchLoggingOptions = &CloudWatchLoggingOptions{}
	}
	if ext && d.S3BackupMode == "" {
		d.S3BackupMode = "Disabled"
	}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if store.Exists(tx, streamPrefix+in.DeliveryStreamName) {
			// Unverified wording.
			return awserr.BadRequest("ResourceInUseException", fmt.Sprintf("Firehose %s under accountId %s already exists", in.DeliveryStreamName, s.d.Account))
		}
		c.AddResource("AWS::KinesisFirehose::DeliveryStream", in.DeliveryStreamName, s.StreamARN(in.DeliveryStreamName))
		return store.SetJSON(tx, streamPrefix+in.DeliveryStreamName, deliveryStream{Name: in.DeliveryStreamName,
			Created: ms(c.Now), Type: typ, Extended: ext, Dest: d})
	})
	if err != nil {
		return nil, err
	}
	return &CreateDeliveryStreamOutput{s.StreamARN(in.DeliveryStreamName)}, nil
}

func (s *Service) load(tx *store.Tx, name string) (*deliveryStream, error) {
	var st deliveryStream
	if err := store.GetJSON(tx, streamPrefix+name, &st); err != nil {
		if err == store.ErrNotFound {
			return nil, s.errNotFound(name)
		}
		return nil, err
	}
	return &st, nil
}

// DescribeDeliveryStreamInput is the request of DescribeDeliveryStream.
type DescribeDeliveryStreamInput struct {
	DeliveryStreamName          string
	Limit                       *int
	ExclusiveStartDestinationId string
}

// EncryptionStatus is a stream's server-side encryption.
type EncryptionStatus struct{ Status string }

// S3DestinationDescription describes an S3 destination.
type S3DestinationDescription struct {
	RoleARN                  string
	BucketARN                string
	Prefix                   string `json:",omitempty"`
	ErrorOutputPrefix        string `json:",omitempty"`
	BufferingHints           *BufferingHints
	CompressionFormat        string
	EncryptionConfiguration  *EncryptionConfiguration
	CloudWatchLoggingOptions *CloudWatchLoggingOptions
}

// ExtendedS3DestinationDescription describes an extended S3 destination.
type ExtendedS3DestinationDescription struct {
	S3DestinationDescription
	S3BackupMode  string `json:",omitempty"`
	FileExtension string `json:",omitempty"`
}

// DestinationDescription describes a destination of a stream.
type DestinationDescription struct {
	DestinationId                    string
	S3DestinationDescription         *S3DestinationDescription
	ExtendedS3DestinationDescription *ExtendedS3DestinationDescription `json:",omitempty"`
}

// DeliveryStreamDescription describes a stream.
type DeliveryStreamDescription struct {
	DeliveryStreamName                    string
	DeliveryStreamARN                     string
	DeliveryStreamStatus                  string
	DeliveryStreamEncryptionConfiguration EncryptionStatus
	DeliveryStreamType                    string
	VersionId                             string
	CreateTimestamp                       time.Time
	Destinations                          []DestinationDescription
	HasMoreDestinations                   bool
}

// DescribeDeliveryStreamOutput is the response of DescribeDeliveryStream.
type DescribeDeliveryStreamOutput struct{ DeliveryStreamDescription DeliveryStreamDescription }

// DescribeDeliveryStream describes a stream and its destination.
func (s *Service) DescribeDeliveryStream(c *api.Call, in *DescribeDeliveryStreamInput) (*DescribeDeliveryStreamOutput, error) {
	var st *deliveryStream
	if err := s.d.Store.View(func(tx *store.Tx) (err error) { st, err = s.load(tx, in.DeliveryStreamName); return }); err != nil {
		return nil, err
	}
	d := st.Dest
	s3 := &S3DestinationDescription{RoleARN: d.RoleARN, BucketARN: d.BucketARN, Prefix: d.Prefix, ErrorOutputPrefix: d.ErrorOutputPrefix,
		BufferingHints: d.BufferingHints, CompressionFormat: d.CompressionFormat, EncryptionConfiguration: d.EncryptionConfiguration,
		CloudWatchLoggingOptions: d.CloudWatchLoggingOptions}
	dd := DestinationDescription{DestinationId: "destinationId-000000000001", S3DestinationDescription: s3}
	if st.Extended {
		dd.ExtendedS3DestinationDescription = &ExtendedS3DestinationDescription{*s3, d.S3BackupMode, d.FileExtension}
	}
	return &DescribeDeliveryStreamOutput{DeliveryStreamDescription{
		DeliveryStreamName: st.Name, DeliveryStreamARN: s.StreamARN(st.Name), DeliveryStreamStatus: "ACTIVE",
		DeliveryStreamEncryptionConfiguration: EncryptionStatus{"DISABLED"}, DeliveryStreamType: st.Type, VersionId: "1",
		CreateTimestamp: time.UnixMilli(st.Created).UTC(), Destinations: []DestinationDescription{dd},
	}}, nil
}

// ListDeliveryStreamsInput is the request of ListDeliveryStreams.
type ListDeliveryStreamsInput struct {
	Limit                            *int
	DeliveryStreamType               string
	ExclusiveStartDeliveryStreamName string
}

// ListDeliveryStreamsOutput is the response of ListDeliveryStreams.
type ListDeliveryStreamsOutput struct {
	DeliveryStreamNames    []string
	HasMoreDeliveryStreams bool
}

// ListDeliveryStreams lists the streams in name order, 10 by default.
func (s *Service) ListDeliveryStreams(c *api.Call, in *ListDeliveryStreamsInput) (*ListDeliveryStreamsOutput, error) {
	limit := 10
	if in.Limit != nil {
		limit = *in.Limit
	}
	out := &ListDeliveryStreamsOutput{DeliveryStreamNames: []string{}}
	err := s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, streamPrefix, func(_, v string) bool {
			var st deliveryStream
			if json.Unmarshal([]byte(v), &st) != nil || st.Name <= in.ExclusiveStartDeliveryStreamName {
				return true
			}
			if in.DeliveryStreamType != "" && st.Type != in.DeliveryStreamType {
				return true
			}
			if len(out.DeliveryStreamNames) == limit {
				out.HasMoreDeliveryStreams = true
				return false
			}
			out.DeliveryStreamNames = append(out.DeliveryStreamNames, st.Name)
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteDeliveryStreamInput is the request of DeleteDeliveryStream.
type DeleteDeliveryStreamInput struct {
	DeliveryStreamName string
	AllowForceDelete   bool
}

// DeleteDeliveryStream deletes a stream; records still buffered are lost.
func (s *Service) DeleteDeliveryStream(c *api.Call, in *DeleteDeliveryStreamInput) (*struct{}, error) {
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.load(tx, in.DeliveryStreamName); err != nil {
			return err
		}
		c.AddResource("AWS::KinesisFirehose::DeliveryStream", in.DeliveryStreamName, s.StreamARN(in.DeliveryStreamName))
		var keys []string
		store.Prefix(tx, recordPrefix+in.DeliveryStreamName+"/", func(k, _ string) bool {
			keys = append(keys, k)
			return true
		})
		keys = append(keys, streamPrefix+in.DeliveryStreamName)
		for _, k := range keys {
			if _, err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reschedule()
	return nil, nil
}

// Record is a record of PutRecord and PutRecordBatch.
type Record struct{ Data []byte }

// PutRecordInput is the request of PutRecord.
type PutRecordInput struct {
	DeliveryStreamName string
	Record             Record
}

// PutRecordOutput is the response of PutRecord.
type PutRecordOutput struct {
	RecordId  string
	Encrypted bool
}

func (s *Service) add(tx *store.Tx, st *deliveryStream, now time.Time, data []byte) (string, error) {
	st.Seq++
	r := record{ID: s.d.IDs.Alnum(224), At: ms(now), Data: data}
	if st.BufferStart == 0 {
		st.BufferStart = r.At
	}
	st.BufferBytes += len(data)
	if err := store.SetJSON(tx, fmt.Sprintf("%s%s/%012d", recordPrefix, st.Name, st.Seq), r); err != nil {
		return "", err
	}
	return r.ID, nil
}

// PutRecord adds a record to a stream's buffer.
func (s *Service) PutRecord(c *api.Call, in *PutRecordInput) (*PutRecordOutput, error) {
	id, err := s.putRecords(in.DeliveryStreamName, c.Now, [][]byte{in.Record.Data})
	if err != nil {
		return nil, err
	}
	return &PutRecordOutput{RecordId: id[0], Encrypted: false}, nil
}

// PutRecordBatchInput is the request of PutRecordBatch.
type PutRecordBatchInput struct {
	DeliveryStreamName string
	Records            []Record
}

// PutRecordBatchResponseEntry is the result of one record of PutRecordBatch.
type PutRecordBatchResponseEntry struct {
	RecordId     string `json:",omitempty"`
	ErrorCode    string `json:",omitempty"`
	ErrorMessage string `json:",omitempty"`
}

// PutRecordBatchOutput is the response of PutRecordBatch.
type PutRecordBatchOutput struct {
	FailedPutCount   int
	Encrypted        bool
	RequestResponses []PutRecordBatchResponseEntry
}

// MaxBatchBytes is the most PutRecordBatch takes in one call.
const MaxBatchBytes = 4 * 1024 * 1024

// PutRecordBatch adds up to 500 records (4 MiB) to a stream's buffer.
func (s *Service) PutRecordBatch(c *api.Call, in *PutRecordBatchInput) (*PutRecordBatchOutput, error) {
	data := make([][]byte, len(in.Records))
	total := 0
	for i, r := range in.Records {
		data[i] = r.Data
		total += len(r.Data)
	}
	if total > MaxBatchBytes {
		// Unverified wording.
		return nil, errArg("Records size exceeds 4 MB limit")
	}
	ids, err := s.putRecords(in.DeliveryStreamName, c.Now, data)
	if err != nil {
		return nil, err
	}
	out := &PutRecordBatchOutput{RequestResponses: make([]PutRecordBatchResponseEntry, len(ids))}
	for i, id := range ids {
		out.RequestResponses[i].RecordId = id
	}
	return out, nil
}

func (s *Service) putRecords(name string, now time.Time, data [][]byte) ([]string, error) {
	var ids []string
	var started, full bool
	err := s.d.Store.Update(func(tx *store.Tx) error {
		st, err := s.load(tx, name)
		if err != nil {
			return err
		}
		started = st.BufferStart == 0 && len(data) > 0
		for _, d := range data {
			id, err := s.add(tx, st, now, d)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		full = st.BufferBytes >= *st.Dest.BufferingHints.SizeInMBs*1024*1024
		return store.SetJSON(tx, streamPrefix+name, st)
	})
	if err != nil {
		return nil, err
	}
	if full {
		s.flush(name, now)
	}
	// The buffer deadlines change only when this buffer starts or is
	// flushed: a record added to a buffer already waiting leaves the
	// clock job as it is.
	if started || full {
		s.reschedule()
	}
	return ids, nil
}

// Deliver adds a record to the stream an ARN names, for other services of
// the world (CloudWatch Logs subscription filters); no API call is
// recorded. It is an error if the stream does not exist.
func (s *Service) Deliver(arn string, data []byte) error {
	name := arn[strings.LastIndex(arn, "/")+1:]
	if arn != s.StreamARN(name) {
		return s.errNotFound(name)
	}
	_, err := s.putRecords(name, s.d.Clock.Now(), [][]byte{data})
	return err
}

// Exists reports whether the stream an ARN names exists.
func (s *Service) Exists(arn string) bool {
	name := arn[strings.LastIndex(arn, "/")+1:]
	if arn != s.StreamARN(name) {
		return false
	}
	return s.d.Store.View(func(tx *store.Tx) error { _, err := s.load(tx, name); return err }) == nil
}

// objectKey names an object as Firehose does.
func (s *Service) objectKey(st *deliveryStream, first time.Time) string {
	t := first.UTC()
	k := st.Dest.Prefix + t.Format("2006/01/02/15/") + st.Name + "-1-" + t.Format("2006-01-02-15-04-05") + "-" + s.d.IDs.UUID()
	switch {
	case st.Dest.FileExtension != "":
		k += st.Dest.FileExtension
	case st.Dest.CompressionFormat == "GZIP":
		k += ".gz"
	}
	return k
}

// flush delivers a stream's buffer to its S3 destination. A failed
// delivery (no S3 in the world, or no such bucket) is reported through
// Notify and recorded on the records; AWS retries S3 deliveries for up to
// 24 hours, the simulation does not retry.
func (s *Service) flush(name string, now time.Time) {
	var bucket, key string
	var body bytes.Buffer
	var keys []string
	err := s.d.Store.Update(func(tx *store.Tx) error {
		st, err := s.load(tx, name)
		if err != nil || st.BufferStart == 0 {
			return err
		}
		key = s.objectKey(st, time.UnixMilli(st.BufferStart))
		bucket = strings.TrimPrefix(st.Dest.BucketARN, "arn:aws:s3:::")
		var w io.Writer = &body
		var z *gzip.Writer
		if st.Dest.CompressionFormat == "GZIP" {
			z = gzip.NewWriter(&body)
			w = z
		}
		store.Prefix(tx, recordPrefix+name+"/", func(k, v string) bool {
			var r record
			if json.Unmarshal([]byte(v), &r) == nil && r.Object == "" && r.Error == "" {
				keys = append(keys, k)
				w.Write(r.Data)
			}
			return true
		})
		if z != nil {
			z.Close()
		}
		st.BufferStart, st.BufferBytes = 0, 0
		return store.SetJSON(tx, streamPrefix+name, st)
	})
	if err != nil || key == "" {
		return
	}
	if s.d.Objects == nil {
		err = errors.New("there is no S3 in the world")
	} else {
		err = s.d.Objects.PutFirehoseObject(bucket, key, body.Bytes())
	}
	s.d.Store.Update(func(tx *store.Tx) error {
		for _, k := range keys {
			var r record
			if store.GetJSON(tx, k, &r) != nil {
				continue
			}
			if err != nil {
				r.Error = err.Error()
			} else {
				r.Object = "s3://" + bucket + "/" + key
			}
			store.SetJSON(tx, k, r)
		}
		return nil
	})
	if s.d.Notify == nil {
		return
	}
	if err != nil {
		s.d.Notify(now, "Firehose %s could not deliver %d records to s3://%s: %v", name, len(keys), bucket, err)
		return
	}
	s.d.Notify(now, "Firehose %s delivered s3://%s/%s (%d bytes)", name, bucket, key, body.Len())
}

// reschedule sets the clock job to the earliest buffer deadline.
func (s *Service) reschedule() {
	var due time.Time
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, streamPrefix, func(_, v string) bool {
			var st deliveryStream
			if json.Unmarshal([]byte(v), &st) != nil || st.BufferStart == 0 {
				return true
			}
			at := st.due()
			if due.IsZero() || at.Before(due) {
				due = at
			}
			return true
		})
	})
	if s.queued && due.Equal(s.jobAt) {
		return
	}
	if s.queued {
		s.d.Clock.Cancel(s.job)
		s.queued = false
	}
	if !due.IsZero() {
		s.job, s.jobAt, s.queued = s.d.Clock.Schedule(due, "firehose buffers", s.deliverDue), due, true
	}
}

// deliverDue delivers the buffers whose interval has passed.
func (s *Service) deliverDue(at time.Time) {
	s.queued = false
	var due []string
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, streamPrefix, func(_, v string) bool {
			var st deliveryStream
			if json.Unmarshal([]byte(v), &st) == nil && st.BufferStart != 0 && !st.due().After(at) {
				due = append(due, st.Name)
			}
			return true
		})
	})
	for _, name := range due {
		s.flush(name, at)
	}
	s.reschedule()
}

// StoredRecord is a record as Records shows it: its id, arrival, data and
// the S3 object it was delivered in (s3://BUCKET/KEY, "" while buffered),
// or why its delivery failed.
type StoredRecord struct {
	RecordId    string
	ArrivalTime time.Time
	Data        []byte
	Object      string
	Error       string
}

// Records returns the records of a stream, oldest first.
func (s *Service) Records(name string) ([]StoredRecord, error) {
	var out []StoredRecord
	err := s.d.Store.View(func(tx *store.Tx) error {
		if _, err := s.load(tx, name); err != nil {
			return err
		}
		return store.Prefix(tx, recordPrefix+name+"/", func(_, v string) bool {
			var r record
			if json.Unmarshal([]byte(v), &r) == nil {
				out = append(out, StoredRecord{r.ID, time.UnixMilli(r.At).UTC(), r.Data, r.Object, r.Error})
			}
			return true
		})
	})
	return out, err
}
