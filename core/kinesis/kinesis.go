// Package kinesis simulates Amazon Kinesis Data Streams (the "kinesis"
// service of the CLI), minimally: streams with provisioned or on-demand
// shards, PutRecord and PutRecords (records go to the shard whose hash key
// range holds the MD5 of the partition key, or the explicit hash key),
// shard iterators and GetRecords, as CloudWatch Logs subscription filters
// need a stream to deliver to and a learner needs to read it back.
//
// Simplifications: a stream is ACTIVE as soon as it is created and gone as
// soon as it is deleted (AWS shows CREATING and DELETING for a few
// seconds); shards are never split or merged; there is no throughput
// limit, no enhanced fan-out consumer and no encryption. Records are kept
// for the retention period (24 hours) and expire on the virtual clock.
//
// Store layout (see core/store):
//
//	kinesis/stream/<name>                       a stream (JSON)
//	kinesis/record/<name>/<shard>/<seq>         a record (JSON); <shard> is
//	                                            the shard's 12-digit index,
//	                                            <seq> its sequence number
//
// A Service is not safe for concurrent use.
package kinesis

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	Account string
	Region  string
}

// Service is the Kinesis Data Streams of a world.
type Service struct{ d Deps }

// New returns the service over the world's store.
func New(d Deps) *Service { return &Service{d: d} }

// Limits of the simulation (AWS's defaults).
const (
	RetentionHours   = 24
	OnDemandShards   = 4
	IteratorLifetime = 5 * time.Minute
	MaxGetRecords    = 10000
	MaxPutRecords    = 500
	MaxShards        = 500
)

const (
	streamPrefix = "kinesis/stream/"
	recordPrefix = "kinesis/record/"
)

type stream struct {
	Name    string
	Created int64 // ms
	Mode    string
	Shards  int
	Seq     int64             // records put, the tail of every sequence number
	Tags    map[string]string `json:",omitempty"`
}

type record struct {
	Seq          string
	At           int64 // ms
	Data         []byte
	PartitionKey string
}

// shardPrefix is the key prefix of a shard's records, which follow it in
// sequence order.
func shardPrefix(stream string, shard int) string {
	return fmt.Sprintf("%s%s/%012d/", recordPrefix, stream, shard)
}

// newest returns the last record of a shard (its shardPrefix).
func newest(tx *store.Tx, prefix string) (r record, ok bool) {
	store.PrefixDesc(tx, prefix, func(_, v string) bool {
		ok = json.Unmarshal([]byte(v), &r) == nil
		return false
	})
	return r, ok
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("kinesis")
	if err != nil {
		return nil, err
	}
	return &api.Service{Name: "kinesis", Model: m, ValidationCode: "ValidationException", Handlers: map[string]api.Handler{
		"CreateStream":          api.Op(s.CreateStream),
		"DescribeStream":        api.Op(s.DescribeStream),
		"DescribeStreamSummary": api.Op(s.DescribeStreamSummary),
		"ListStreams":           api.Op(s.ListStreams),
		"DeleteStream":          api.Op(s.DeleteStream),
		"PutRecord":             api.Op(s.PutRecord),
		"PutRecords":            api.Op(s.PutRecords),
		"ListShards":            api.Op(s.ListShards),
		"GetShardIterator":      api.Op(s.GetShardIterator),
		"GetRecords":            api.Op(s.GetRecords),
	}}, nil
}

// StreamARN returns the ARN of a stream of the world.
func (s *Service) StreamARN(name string) string {
	return fmt.Sprintf("arn:aws:kinesis:%s:%s:stream/%s", s.d.Region, s.d.Account, name)
}

func (s *Service) errNotFound(name string) error {
	return awserr.BadRequest("ResourceNotFoundException", fmt.Sprintf("Stream %s under account %s not found.", name, s.d.Account))
}

func errArg(format string, args ...any) error {
	return awserr.BadRequest("InvalidArgumentException", fmt.Sprintf(format, args...))
}

// streamName resolves a stream named by StreamName or StreamARN.
func (s *Service) streamName(name, arn string) (string, error) {
	switch {
	case name != "" && arn != "":
		n := arn[strings.LastIndex(arn, "/")+1:]
		if n != name || arn != s.StreamARN(n) {
			// Unverified wording.
			return "", errArg("StreamARN and StreamName do not match.")
		}
		return name, nil
	case name != "":
		return name, nil
	case arn != "":
		i := strings.LastIndex(arn, "/")
		if i < 0 || arn != s.StreamARN(arn[i+1:]) {
			return "", s.errNotFound(arn[i+1:])
		}
		return arn[i+1:], nil
	}
	// Unverified wording.
	return "", awserr.BadRequest("ValidationException", "Either StreamName or StreamARN should be provided.")
}

func (s *Service) load(tx *store.Tx, name string) (*stream, error) {
	var st stream
	if err := store.GetJSON(tx, streamPrefix+name, &st); err != nil {
		if err == store.ErrNotFound {
			return nil, s.errNotFound(name)
		}
		return nil, err
	}
	return &st, nil
}

// named reads the stream a request names (StreamName or StreamARN).
func (s *Service) named(in *StreamInput) (*stream, error) {
	name, err := s.streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	var st *stream
	err = s.d.Store.View(func(tx *store.Tx) (err error) { st, err = s.load(tx, name); return })
	return st, err
}

func ms(t time.Time) int64 { return t.UnixMilli() }

// maxHash is 2^128 - 1, the last hash key.
var maxHash = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))

// hashRange returns the hash key range of shard i of n: the 128-bit space
// split evenly, the last shard taking the remainder.
func hashRange(i, n int) (lo, hi *big.Int) {
	width := new(big.Int).Div(new(big.Int).Add(maxHash, big.NewInt(1)), big.NewInt(int64(n)))
	lo = new(big.Int).Mul(width, big.NewInt(int64(i)))
	if i == n-1 {
		return lo, new(big.Int).Set(maxHash)
	}
	hi = new(big.Int).Sub(new(big.Int).Add(lo, width), big.NewInt(1))
	return lo, hi
}

func shardOf(h *big.Int, n int) int {
	for i := 0; i < n; i++ {
		if _, hi := hashRange(i, n); h.Cmp(hi) <= 0 {
			return i
		}
	}
	return n - 1
}

func shardID(i int) string { return fmt.Sprintf("shardId-%012d", i) }

func parseShardID(id string) (int, bool) {
	if !strings.HasPrefix(id, "shardId-") || len(id) != len("shardId-")+12 {
		return 0, false
	}
	n, err := strconv.Atoi(id[len("shardId-"):])
	return n, err == nil
}

// seqNumber forms a 56-digit sequence number, increasing within a shard:
// "49", the stream's creation time, the shard index and the stream's
// record counter. AWS's numbers are 56 digits starting with 49 too; their
// inner layout is not documented.
func seqNumber(st *stream, shard int, n int64) string {
	return fmt.Sprintf("49%020d%04d%030d", st.Created, shard, n)
}

// Shard is a shard of DescribeStream and ListShards.
type Shard struct {
	ShardId             string
	HashKeyRange        HashKeyRange
	SequenceNumberRange SequenceNumberRange
}

// HashKeyRange is the range of hash keys a shard takes.
type HashKeyRange struct{ StartingHashKey, EndingHashKey string }

// SequenceNumberRange is the range of sequence numbers of a shard.
type SequenceNumberRange struct {
	StartingSequenceNumber string
	EndingSequenceNumber   string `json:",omitempty"`
}

func shards(st *stream) []Shard {
	out := make([]Shard, st.Shards)
	for i := range out {
		lo, hi := hashRange(i, st.Shards)
		out[i] = Shard{ShardId: shardID(i), HashKeyRange: HashKeyRange{lo.String(), hi.String()},
			SequenceNumberRange: SequenceNumberRange{StartingSequenceNumber: seqNumber(st, i, 0)}}
	}
	return out
}

// StreamModeDetails is a stream's capacity mode.
type StreamModeDetails struct{ StreamMode string }

// CreateStreamInput is the request of CreateStream.
type CreateStreamInput struct {
	StreamName          string
	ShardCount          *int
	StreamModeDetails   *StreamModeDetails
	Tags                map[string]string
	WarmThroughputMiBps *int
	MaxRecordSizeInKiB  *int
}

// CreateStream creates a stream: PROVISIONED with ShardCount shards, or
// ON_DEMAND with 4 (the initial on-demand capacity).
func (s *Service) CreateStream(c *api.Call, in *CreateStreamInput) (*struct{}, error) {
	mode := "PROVISIONED"
	if in.StreamModeDetails != nil {
		mode = in.StreamModeDetails.StreamMode
	}
	n := OnDemandShards
	switch {
	case mode == "ON_DEMAND" && in.ShardCount != nil:
		// Unverified wording.
		return nil, errArg("ShardCount is not supported for streams in ON_DEMAND mode.")
	case mode == "PROVISIONED" && in.ShardCount == nil && in.StreamModeDetails != nil:
		// Unverified wording.
		return nil, errArg("ShardCount is required for streams in PROVISIONED mode.")
	case mode == "PROVISIONED" && in.ShardCount == nil:
		// Without ShardCount nor a mode, Kinesis creates an on-demand stream.
		mode = "ON_DEMAND"
	case in.ShardCount != nil:
		n = *in.ShardCount
	}
	if n > MaxShards {
		return nil, awserr.BadRequest("LimitExceededException", fmt.Sprintf(
			"This request would exceed the shard limit for the account %s in %s. Current shard count for the account: 0. Limit: %d. Number of additional shards that would have resulted from this request: %d. Refer to the AWS Service Limits page (https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.",
			s.d.Account, s.d.Region, MaxShards, n))
	}
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if store.Exists(tx, streamPrefix+in.StreamName) {
			return awserr.BadRequest("ResourceInUseException", fmt.Sprintf("Stream %s under account %s already exists.", in.StreamName, s.d.Account))
		}
		c.AddResource("AWS::Kinesis::Stream", in.StreamName, s.StreamARN(in.StreamName))
		return store.SetJSON(tx, streamPrefix+in.StreamName, stream{Name: in.StreamName, Created: ms(c.Now), Mode: mode, Shards: n, Tags: in.Tags})
	})
}

// StreamInput names a stream.
type StreamInput struct {
	StreamName              string
	StreamARN               string
	StreamId                string
	Limit                   *int
	ExclusiveStartShardId   string
	EnforceConsumerDeletion bool
}

// EnhancedMetrics are a stream's shard-level metrics (none).
type EnhancedMetrics struct{ ShardLevelMetrics []string }

// StreamDescription describes a stream.
type StreamDescription struct {
	StreamName              string
	StreamARN               string
	StreamStatus            string
	StreamModeDetails       StreamModeDetails
	Shards                  []Shard
	HasMoreShards           bool
	RetentionPeriodHours    int
	StreamCreationTimestamp time.Time
	EnhancedMonitoring      []EnhancedMetrics
	EncryptionType          string
}

// DescribeStreamOutput is the response of DescribeStream.
type DescribeStreamOutput struct{ StreamDescription StreamDescription }

// DescribeStream describes a stream with its shards (100 to a page by
// default, after ExclusiveStartShardId).
func (s *Service) DescribeStream(c *api.Call, in *StreamInput) (*DescribeStreamOutput, error) {
	st, err := s.named(in)
	if err != nil {
		return nil, err
	}
	limit := 100
	if in.Limit != nil {
		limit = *in.Limit
	}
	all := shards(st)
	from := 0
	if in.ExclusiveStartShardId != "" {
		i, ok := parseShardID(in.ExclusiveStartShardId)
		if !ok {
			from = len(all)
		} else {
			from = min(i+1, len(all))
		}
	}
	page := all[from:min(from+limit, len(all))]
	return &DescribeStreamOutput{StreamDescription{
		StreamName: st.Name, StreamARN: s.StreamARN(st.Name), StreamStatus: "ACTIVE", StreamModeDetails: StreamModeDetails{st.Mode},
		Shards: page, HasMoreShards: from+len(page) < len(all), RetentionPeriodHours: RetentionHours,
		StreamCreationTimestamp: time.UnixMilli(st.Created).UTC(), EnhancedMonitoring: []EnhancedMetrics{{ShardLevelMetrics: []string{}}},
		EncryptionType: "NONE",
	}}, nil
}

// StreamDescriptionSummary summarises a stream.
type StreamDescriptionSummary struct {
	StreamName              string
	StreamARN               string
	StreamStatus            string
	StreamModeDetails       StreamModeDetails
	RetentionPeriodHours    int
	StreamCreationTimestamp time.Time
	EnhancedMonitoring      []EnhancedMetrics
	EncryptionType          string
	OpenShardCount          int
	ConsumerCount           int
}

// DescribeStreamSummaryOutput is the response of DescribeStreamSummary.
type DescribeStreamSummaryOutput struct{ StreamDescriptionSummary StreamDescriptionSummary }

// DescribeStreamSummary summarises a stream without its shards.
func (s *Service) DescribeStreamSummary(c *api.Call, in *StreamInput) (*DescribeStreamSummaryOutput, error) {
	st, err := s.named(in)
	if err != nil {
		return nil, err
	}
	return &DescribeStreamSummaryOutput{StreamDescriptionSummary{
		StreamName: st.Name, StreamARN: s.StreamARN(st.Name), StreamStatus: "ACTIVE", StreamModeDetails: StreamModeDetails{st.Mode},
		RetentionPeriodHours: RetentionHours, StreamCreationTimestamp: time.UnixMilli(st.Created).UTC(),
		EnhancedMonitoring: []EnhancedMetrics{{ShardLevelMetrics: []string{}}}, EncryptionType: "NONE",
		OpenShardCount: st.Shards,
	}}, nil
}

// ListStreamsInput is the request of ListStreams.
type ListStreamsInput struct {
	Limit                    *int
	ExclusiveStartStreamName string
	NextToken                string
}

// StreamSummary is a stream of ListStreams.
type StreamSummary struct {
	StreamName              string
	StreamARN               string
	StreamStatus            string
	StreamModeDetails       StreamModeDetails
	StreamCreationTimestamp time.Time
}

// ListStreamsOutput is the response of ListStreams.
type ListStreamsOutput struct {
	StreamNames     []string
	HasMoreStreams  bool
	NextToken       string `json:",omitempty"`
	StreamSummaries []StreamSummary
}

// ListStreams lists the streams in name order, 100 to a page by default.
func (s *Service) ListStreams(c *api.Call, in *ListStreamsInput) (*ListStreamsOutput, error) {
	limit := 100
	if in.Limit != nil {
		limit = *in.Limit
	}
	after := in.ExclusiveStartStreamName
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil || len(b) == 0 {
			return nil, awserr.BadRequest("InvalidArgumentException", "Invalid NextToken.")
		}
		after = string(b)
	}
	out := &ListStreamsOutput{StreamNames: []string{}, StreamSummaries: []StreamSummary{}}
	err := s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, streamPrefix, func(_, v string) bool {
			var st stream
			if json.Unmarshal([]byte(v), &st) != nil || st.Name <= after {
				return true
			}
			if len(out.StreamNames) == limit {
				out.HasMoreStreams = true
				out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(out.StreamNames[len(out.StreamNames)-1]))
				return false
			}
			out.StreamNames = append(out.StreamNames, st.Name)
			out.StreamSummaries = append(out.StreamSummaries, StreamSummary{st.Name, s.StreamARN(st.Name), "ACTIVE",
				StreamModeDetails{st.Mode}, time.UnixMilli(st.Created).UTC()})
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteStream deletes a stream and its records.
func (s *Service) DeleteStream(c *api.Call, in *StreamInput) (*struct{}, error) {
	name, err := s.streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.load(tx, name); err != nil {
			return err
		}
		c.AddResource("AWS::Kinesis::Stream", name, s.StreamARN(name))
		var keys []string
		store.Prefix(tx, recordPrefix+name+"/", func(k, _ string) bool {
			keys = append(keys, k)
			return true
		})
		keys = append(keys, streamPrefix+name)
		for _, k := range keys {
			if _, err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutRecordInput is the request of PutRecord.
type PutRecordInput struct {
	StreamName                string
	StreamARN                 string
	StreamId                  string
	Data                      []byte
	PartitionKey              string
	ExplicitHashKey           string
	SequenceNumberForOrdering string
}

// PutRecordOutput is the response of PutRecord.
type PutRecordOutput struct {
	ShardId        string
	SequenceNumber string
}

// hashKey is the hash key a record goes by: ExplicitHashKey, or the MD5 of
// the partition key as a 128-bit integer.
func hashKey(partitionKey, explicit string) (*big.Int, error) {
	if explicit != "" {
		h, ok := new(big.Int).SetString(explicit, 10)
		if !ok || h.Sign() < 0 || h.Cmp(maxHash) > 0 {
			return nil, errArg("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was %s", explicit)
		}
		return h, nil
	}
	sum := md5.Sum([]byte(partitionKey))
	return new(big.Int).SetBytes(sum[:]), nil
}

func (s *Service) put(tx *store.Tx, st *stream, now time.Time, data []byte, key, explicit string) (*PutRecordOutput, error) {
	h, err := hashKey(key, explicit)
	if err != nil {
		return nil, err
	}
	shard := shardOf(h, st.Shards)
	st.Seq++
	r := record{Seq: seqNumber(st, shard, st.Seq), At: ms(now), Data: data, PartitionKey: key}
	if err := store.SetJSON(tx, shardPrefix(st.Name, shard)+r.Seq, r); err != nil {
		return nil, err
	}
	return &PutRecordOutput{ShardId: shardID(shard), SequenceNumber: r.Seq}, nil
}

// PutRecord adds a record to the shard its partition key (or explicit hash
// key) maps to.
func (s *Service) PutRecord(c *api.Call, in *PutRecordInput) (*PutRecordOutput, error) {
	name, err := s.streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	var out *PutRecordOutput
	err = s.d.Store.Update(func(tx *store.Tx) error {
		st, err := s.load(tx, name)
		if err != nil {
			return err
		}
		if out, err = s.put(tx, st, c.Now, in.Data, in.PartitionKey, in.ExplicitHashKey); err != nil {
			return err
		}
		return store.SetJSON(tx, streamPrefix+name, st)
	})
	return out, err
}

// Deliver adds a record to the stream an ARN names, for other services of
// the world (CloudWatch Logs subscription filters); no API call is
// recorded. It is an error if the stream does not exist.
func (s *Service) Deliver(arn string, data []byte, partitionKey string) error {
	name := arn[strings.LastIndex(arn, "/")+1:]
	if arn != s.StreamARN(name) {
		return s.errNotFound(name)
	}
	return s.d.Store.Update(func(tx *store.Tx) error {
		st, err := s.load(tx, name)
		if err != nil {
			return err
		}
		if _, err := s.put(tx, st, s.d.Clock.Now(), data, partitionKey, ""); err != nil {
			return err
		}
		return store.SetJSON(tx, streamPrefix+name, st)
	})
}

// Exists reports whether the stream an ARN names exists.
func (s *Service) Exists(arn string) bool {
	name := arn[strings.LastIndex(arn, "/")+1:]
	if arn != s.StreamARN(name) {
		return false
	}
	return s.d.Store.View(func(tx *store.Tx) error { _, err := s.load(tx, name); return err }) == nil
}

// PutRecordsRequestEntry is a record of PutRecords.
type PutRecordsRequestEntry struct {
	Data            []byte
	ExplicitHashKey string
	PartitionKey    string
}

// PutRecordsInput is the request of PutRecords.
type PutRecordsInput struct {
	Records    []PutRecordsRequestEntry
	StreamName string
	StreamARN  string
	StreamId   string
}

// PutRecordsResultEntry is the result of one record of PutRecords.
type PutRecordsResultEntry struct {
	SequenceNumber string `json:",omitempty"`
	ShardId        string `json:",omitempty"`
	ErrorCode      string `json:",omitempty"`
	ErrorMessage   string `json:",omitempty"`
}

// PutRecordsOutput is the response of PutRecords.
type PutRecordsOutput struct {
	FailedRecordCount int
	Records           []PutRecordsResultEntry
}

// PutRecords adds up to 500 records, each to the shard of its key; a
// record with a bad ExplicitHashKey fails the whole call, as AWS validates
// them first.
func (s *Service) PutRecords(c *api.Call, in *PutRecordsInput) (*PutRecordsOutput, error) {
	name, err := s.streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	for _, r := range in.Records {
		if _, err := hashKey(r.PartitionKey, r.ExplicitHashKey); err != nil {
			return nil, err
		}
	}
	out := &PutRecordsOutput{Records: []PutRecordsResultEntry{}}
	err = s.d.Store.Update(func(tx *store.Tx) error {
		st, err := s.load(tx, name)
		if err != nil {
			return err
		}
		for _, r := range in.Records {
			res, err := s.put(tx, st, c.Now, r.Data, r.PartitionKey, r.ExplicitHashKey)
			if err != nil {
				return err
			}
			out.Records = append(out.Records, PutRecordsResultEntry{SequenceNumber: res.SequenceNumber, ShardId: res.ShardId})
		}
		return store.SetJSON(tx, streamPrefix+name, st)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ShardFilter selects shards of ListShards.
type ShardFilter struct {
	Type      string
	ShardId   string
	Timestamp *time.Time
}

// ListShardsInput is the request of ListShards.
type ListShardsInput struct {
	StreamName              string
	StreamARN               string
	StreamId                string
	NextToken               string
	ExclusiveStartShardId   string
	MaxResults              *int
	StreamCreationTimestamp *time.Time
	ShardFilter             *ShardFilter
}

// ListShardsOutput is the response of ListShards.
type ListShardsOutput struct {
	Shards    []Shard
	NextToken string `json:",omitempty"`
}

// ListShards lists a stream's shards, 1,000 to a page by default. The
// stream's shards are all open, so every ShardFilter lists them all
// (AT_LATEST, AT_TRIM_HORIZON, FROM_TRIM_HORIZON...) or those after
// ShardId (AFTER_SHARD_ID).
func (s *Service) ListShards(c *api.Call, in *ListShardsInput) (*ListShardsOutput, error) {
	name := in.StreamName
	after := in.ExclusiveStartShardId
	if in.NextToken != "" {
		if in.StreamName != "" || in.StreamARN != "" {
			return nil, errArg("NextToken and StreamName cannot be provided together.")
		}
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		p := strings.SplitN(string(b), "\x00", 2)
		if err != nil || len(p) != 2 {
			return nil, errArg("Invalid ShardId in NextToken: %s", in.NextToken)
		}
		name, after = p[0], p[1]
	} else {
		var err error
		if name, err = s.streamName(in.StreamName, in.StreamARN); err != nil {
			return nil, err
		}
	}
	if in.ShardFilter != nil && in.ShardFilter.Type == "AFTER_SHARD_ID" {
		if in.ShardFilter.ShardId == "" {
			// Unverified wording.
			return nil, errArg("Must specify ShardId for AFTER_SHARD_ID ShardFilterType.")
		}
		after = in.ShardFilter.ShardId
	}
	var st *stream
	if err := s.d.Store.View(func(tx *store.Tx) (err error) { st, err = s.load(tx, name); return }); err != nil {
		return nil, err
	}
	limit := 1000
	if in.MaxResults != nil {
		limit = *in.MaxResults
	}
	all := shards(st)
	from := 0
	if after != "" {
		if i, ok := parseShardID(after); ok {
			from = min(i+1, len(all))
		} else {
			from = len(all)
		}
	}
	out := &ListShardsOutput{Shards: all[from:min(from+limit, len(all))]}
	if from+len(out.Shards) < len(all) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(name + "\x00" + out.Shards[len(out.Shards)-1].ShardId))
	}
	return out, nil
}

// GetShardIteratorInput is the request of GetShardIterator.
type GetShardIteratorInput struct {
	StreamName             string
	StreamARN              string
	StreamId               string
	ShardId                string
	ShardIteratorType      string
	StartingSequenceNumber string
	Timestamp              *time.Time
}

// GetShardIteratorOutput is the response of GetShardIterator.
type GetShardIteratorOutput struct{ ShardIterator string }

// iterator is what a shard iterator encodes: the stream, the shard, the
// position (records with a sequence number above After are next) and when
// it was made (iterators expire after 5 minutes).
type iterator struct {
	Stream  string `json:"s"`
	Shard   int    `json:"h"`
	After   string `json:"a"`
	Created int64  `json:"t"`
}

func (it iterator) encode() string {
	b, _ := json.Marshal(it)
	return base64.StdEncoding.EncodeToString(b)
}

func decodeIterator(s string) (iterator, bool) {
	var it iterator
	b, err := base64.StdEncoding.DecodeString(s)
	return it, err == nil && json.Unmarshal(b, &it) == nil && it.Stream != ""
}

func (s *Service) errShard(shard, name string) error {
	return awserr.BadRequest("ResourceNotFoundException", fmt.Sprintf("Shard %s in stream %s under account %s does not exist", shard, name, s.d.Account))
}

// GetShardIterator returns an iterator at a position of a shard:
// TRIM_HORIZON (the oldest record kept), LATEST (after the newest),
// AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER or AT_TIMESTAMP.
func (s *Service) GetShardIterator(c *api.Call, in *GetShardIteratorInput) (*GetShardIteratorOutput, error) {
	name, err := s.streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	it := iterator{Stream: name, Created: ms(c.Now)}
	err = s.d.Store.View(func(tx *store.Tx) error {
		st, err := s.load(tx, name)
		if err != nil {
			return err
		}
		i, ok := parseShardID(in.ShardId)
		if !ok || i >= st.Shards {
			return s.errShard(in.ShardId, name)
		}
		it.Shard = i
		first := seqNumber(st, i, 0)
		switch in.ShardIteratorType {
		case "TRIM_HORIZON":
			it.After = first
		case "LATEST":
			it.After = first
			if r, ok := newest(tx, shardPrefix(name, i)); ok {
				it.After = r.Seq
			}
		case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
			sq := in.StartingSequenceNumber
			if sq == "" {
				// Unverified wording.
				return errArg("StartingSequenceNumber must be specified for ShardIteratorType %s.", in.ShardIteratorType)
			}
			if len(sq) != len(first) || strings.Trim(sq, "0123456789") != "" || sq[:26] != first[:26] {
				return errArg("Invalid StartingSequenceNumber. It encodes %s, while it was used in a call to a shard with %s", sq, in.ShardId)
			}
			if in.ShardIteratorType == "AT_SEQUENCE_NUMBER" {
				it.After = prevSeq(sq)
			} else {
				it.After = sq
			}
		case "AT_TIMESTAMP":
			if in.Timestamp == nil {
				// Unverified wording.
				return errArg("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.")
			}
			at := ms(*in.Timestamp)
			it.After = first
			store.Prefix(tx, shardPrefix(name, i), func(_, v string) bool {
				var r record
				if json.Unmarshal([]byte(v), &r) != nil || r.At >= at {
					return false
				}
				it.After = r.Seq
				return true
			})
		default:
			return errArg("Invalid ShardIteratorType: %s", in.ShardIteratorType)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &GetShardIteratorOutput{ShardIterator: it.encode()}, nil
}

// prevSeq returns the sequence number just before sq (same length).
func prevSeq(sq string) string {
	b := []byte(sq)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] > '0' {
			b[i]--
			return string(b)
		}
		b[i] = '9'
	}
	return sq
}

// GetRecordsInput is the request of GetRecords.
type GetRecordsInput struct {
	ShardIterator string
	Limit         *int
	StreamARN     string
	StreamId      string
}

// Record is a record of GetRecords.
type Record struct {
	SequenceNumber              string
	ApproximateArrivalTimestamp time.Time
	Data                        []byte
	PartitionKey                string
}

// GetRecordsOutput is the response of GetRecords.
type GetRecordsOutput struct {
	Records            []Record
	NextShardIterator  string
	MillisBehindLatest int64
}

// GetRecords reads up to Limit (10,000) records from an iterator's position
// and returns the iterator after them. Records older than the retention
// period are gone.
func (s *Service) GetRecords(c *api.Call, in *GetRecordsInput) (*GetRecordsOutput, error) {
	it, ok := decodeIterator(in.ShardIterator)
	if !ok {
		// Unverified wording.
		return nil, errArg("Invalid ShardIterator.")
	}
	now := ms(c.Now)
	if now-it.Created > IteratorLifetime.Milliseconds() {
		return nil, awserr.BadRequest("ExpiredIteratorException", fmt.Sprintf(
			"Iterator expired. The iterator was created at time %s while right now it is %s which is further in the future than the tolerated delay of %d milliseconds.",
			iterTime(it.Created), iterTime(now), IteratorLifetime.Milliseconds()))
	}
	limit := MaxGetRecords
	if in.Limit != nil {
		limit = *in.Limit
	}
	out := &GetRecordsOutput{Records: []Record{}}
	cutoff := now - RetentionHours*time.Hour.Milliseconds()
	err := s.d.Store.View(func(tx *store.Tx) error {
		if _, err := s.load(tx, it.Stream); err != nil {
			return err
		}
		prefix := shardPrefix(it.Stream, it.Shard)
		latest, _ := newest(tx, prefix)
		last := latest.At
		var lastRead int64 = -1
		store.Prefix(tx, prefix, func(k, v string) bool {
			if k[len(prefix):] <= it.After {
				return true
			}
			if len(out.Records) == limit {
				return false
			}
			var r record
			if json.Unmarshal([]byte(v), &r) != nil {
				return true
			}
			it.After = r.Seq
			if r.At < cutoff {
				return true
			}
			out.Records = append(out.Records, Record{r.Seq, time.UnixMilli(r.At).UTC(), r.Data, r.PartitionKey})
			lastRead = r.At
			return true
		})
		if lastRead >= 0 && len(out.Records) == limit {
			out.MillisBehindLatest = max(0, last-lastRead)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	it.Created = now
	out.NextShardIterator = it.encode()
	return out, nil
}

func iterTime(msec int64) string {
	return time.UnixMilli(msec).UTC().Format("Mon Jan 02 15:04:05 UTC 2006")
}

// Records returns the records of a stream kept now, all shards, in shard
// then sequence order, for the console and tests.
func (s *Service) Records(name string) ([]Record, error) {
	var out []Record
	cutoff := ms(s.d.Clock.Now()) - RetentionHours*time.Hour.Milliseconds()
	err := s.d.Store.View(func(tx *store.Tx) error {
		if _, err := s.load(tx, name); err != nil {
			return err
		}
		return store.Prefix(tx, recordPrefix+name+"/", func(_, v string) bool {
			var r record
			if json.Unmarshal([]byte(v), &r) == nil && r.At >= cutoff {
				out = append(out, Record{r.Seq, time.UnixMilli(r.At).UTC(), r.Data, r.PartitionKey})
			}
			return true
		})
	})
	return out, err
}
