package kinesis

import (
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/store"
)

var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

type harness struct {
	s *Service
	c *clock.Clock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := clock.New(start)
	return &harness{New(Deps{Store: st, Clock: c, Account: "123456789012", Region: "us-east-1"}), c}
}

func (h *harness) call() *api.Call { return &api.Call{Now: h.c.Now()} }

func code(err error) string {
	if e := awserr.As(err); err != nil && e != nil {
		return e.Code + ": " + e.Message
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func ptr[T any](v T) *T { return &v }

func (h *harness) create(t *testing.T, name string, shards int) {
	t.Helper()
	if _, err := h.s.CreateStream(h.call(), &CreateStreamInput{StreamName: name, ShardCount: ptr(shards)}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateAndDescribe(t *testing.T) {
	h := newHarness(t)
	h.create(t, "two", 2)
	if _, err := h.s.CreateStream(h.call(), &CreateStreamInput{StreamName: "two", ShardCount: ptr(1)}); code(err) != "ResourceInUseException: Stream two under account 123456789012 already exists." {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := h.s.CreateStream(h.call(), &CreateStreamInput{StreamName: "od"}); err != nil {
		t.Fatal(err)
	}
	d, err := h.s.DescribeStream(h.call(), &StreamInput{StreamName: "two"})
	if err != nil {
		t.Fatal(err)
	}
	sd := d.StreamDescription
	if sd.StreamARN != "arn:aws:kinesis:us-east-1:123456789012:stream/two" || sd.StreamStatus != "ACTIVE" || len(sd.Shards) != 2 || sd.HasMoreShards {
		t.Fatalf("describe = %+v", sd)
	}
	// The hash key space split in two, as AWS splits it.
	if r := sd.Shards[0].HashKeyRange; r.StartingHashKey != "0" || r.EndingHashKey != "170141183460469231731687303715884105727" {
		t.Errorf("shard 0 = %+v", r)
	}
	if r := sd.Shards[1].HashKeyRange; r.StartingHashKey != "170141183460469231731687303715884105728" || r.EndingHashKey != "340282366920938463463374607431768211455" {
		t.Errorf("shard 1 = %+v", r)
	}
	if sq := sd.Shards[0].SequenceNumberRange.StartingSequenceNumber; len(sq) != 56 || !strings.HasPrefix(sq, "49") {
		t.Errorf("starting sequence number %q", sq)
	}
	sum, err := h.s.DescribeStreamSummary(h.call(), &StreamInput{StreamARN: "arn:aws:kinesis:us-east-1:123456789012:stream/od"})
	if err != nil || sum.StreamDescriptionSummary.OpenShardCount != OnDemandShards || sum.StreamDescriptionSummary.StreamModeDetails.StreamMode != "ON_DEMAND" {
		t.Fatalf("summary = %+v, %v", sum, err)
	}
	if _, err := h.s.DescribeStream(h.call(), &StreamInput{StreamName: "nope"}); code(err) != "ResourceNotFoundException: Stream nope under account 123456789012 not found." {
		t.Fatalf("missing: %v", err)
	}
	page, err := h.s.DescribeStream(h.call(), &StreamInput{StreamName: "two", Limit: ptr(1)})
	if err != nil || len(page.StreamDescription.Shards) != 1 || !page.StreamDescription.HasMoreShards {
		t.Fatalf("page = %+v, %v", page, err)
	}
	l, err := h.s.ListStreams(h.call(), &ListStreamsInput{Limit: ptr(1)})
	if err != nil || len(l.StreamNames) != 1 || l.StreamNames[0] != "od" || !l.HasMoreStreams || l.NextToken == "" {
		t.Fatalf("list = %+v, %v", l, err)
	}
	l, err = h.s.ListStreams(h.call(), &ListStreamsInput{NextToken: l.NextToken})
	if err != nil || len(l.StreamNames) != 1 || l.StreamNames[0] != "two" || l.HasMoreStreams {
		t.Fatalf("second page = %+v, %v", l, err)
	}
	if _, err := h.s.DeleteStream(h.call(), &StreamInput{StreamName: "two"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.DeleteStream(h.call(), &StreamInput{StreamName: "two"}); !strings.HasPrefix(code(err), "ResourceNotFoundException") {
		t.Fatalf("second delete: %v", err)
	}
}

func TestCreateStreamErrors(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name string
		in   CreateStreamInput
		want string
	}{
		{"on-demand with shards", CreateStreamInput{StreamName: "a", ShardCount: ptr(2), StreamModeDetails: &StreamModeDetails{"ON_DEMAND"}}, "InvalidArgumentException"},
		{"provisioned without shards", CreateStreamInput{StreamName: "a", StreamModeDetails: &StreamModeDetails{"PROVISIONED"}}, "InvalidArgumentException"},
		{"too many shards", CreateStreamInput{StreamName: "a", ShardCount: ptr(501)}, "LimitExceededException"},
	}
	for _, tt := range tests {
		if _, err := h.s.CreateStream(h.call(), &tt.in); !strings.HasPrefix(code(err), tt.want) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func (h *harness) iterator(t *testing.T, in GetShardIteratorInput) string {
	t.Helper()
	in.StreamName = "s"
	out, err := h.s.GetShardIterator(h.call(), &in)
	if err != nil {
		t.Fatal(err)
	}
	return out.ShardIterator
}

func (h *harness) read(t *testing.T, it string, limit *int) ([]string, string) {
	t.Helper()
	out, err := h.s.GetRecords(h.call(), &GetRecordsInput{ShardIterator: it, Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range out.Records {
		got = append(got, string(r.Data))
	}
	return got, out.NextShardIterator
}

func TestPutAndRead(t *testing.T) {
	h := newHarness(t)
	h.create(t, "s", 1)
	first := h.iterator(t, GetShardIteratorInput{ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON"})
	latest := h.iterator(t, GetShardIteratorInput{ShardId: "shardId-000000000000", ShardIteratorType: "LATEST"})
	var seqs []string
	for _, d := range []string{"a", "b"} {
		out, err := h.s.PutRecord(h.call(), &PutRecordInput{StreamName: "s", Data: []byte(d), PartitionKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		if out.ShardId != "shardId-000000000000" || len(out.SequenceNumber) != 56 {
			t.Fatalf("put = %+v", out)
		}
		seqs = append(seqs, out.SequenceNumber)
	}
	if seqs[0] >= seqs[1] {
		t.Fatalf("sequence numbers not increasing: %q", seqs)
	}
	h.c.Advance(time.Second)
	pr, err := h.s.PutRecords(h.call(), &PutRecordsInput{StreamName: "s", Records: []PutRecordsRequestEntry{{Data: []byte("c"), PartitionKey: "x"}}})
	if err != nil || pr.FailedRecordCount != 0 || len(pr.Records) != 1 {
		t.Fatalf("put-records = %+v, %v", pr, err)
	}
	got, next := h.read(t, first, ptr(2))
	if strings.Join(got, "") != "ab" {
		t.Fatalf("first page %q", got)
	}
	got, next = h.read(t, next, nil)
	if strings.Join(got, "") != "c" {
		t.Fatalf("second page %q", got)
	}
	if got, _ = h.read(t, next, nil); len(got) != 0 {
		t.Fatalf("after the end %q", got)
	}
	if got, _ = h.read(t, latest, nil); strings.Join(got, "") != "abc" {
		t.Fatalf("from the LATEST taken before the puts: %q", got)
	}
	at := h.iterator(t, GetShardIteratorInput{ShardId: "shardId-000000000000", ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: seqs[1]})
	if got, _ = h.read(t, at, nil); strings.Join(got, "") != "bc" {
		t.Fatalf("AT_SEQUENCE_NUMBER %q", got)
	}
	after := h.iterator(t, GetShardIteratorInput{ShardId: "shardId-000000000000", ShardIteratorType: "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber: seqs[1]})
	if got, _ = h.read(t, after, nil); strings.Join(got, "") != "c" {
		t.Fatalf("AFTER_SEQUENCE_NUMBER %q", got)
	}
	ts := start.Add(time.Second)
	byTime := h.iterator(t, GetShardIteratorInput{ShardId: "shardId-000000000000", ShardIteratorType: "AT_TIMESTAMP", Timestamp: &ts})
	if got, _ = h.read(t, byTime, nil); strings.Join(got, "") != "c" {
		t.Fatalf("AT_TIMESTAMP %q", got)
	}
	// Iterators expire after 5 minutes; records after 24 hours.
	h.c.Advance(6 * time.Minute)
	if _, err := h.s.GetRecords(h.call(), &GetRecordsInput{ShardIterator: first}); !strings.HasPrefix(code(err), "ExpiredIteratorException: Iterator expired.") {
		t.Fatalf("expired: %v", err)
	}
	h.c.Advance(24 * time.Hour)
	fresh := h.iterator(t, GetShardIteratorInput{ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON"})
	if got, _ = h.read(t, fresh, nil); len(got) != 0 {
		t.Fatalf("after the retention period %q", got)
	}
}

func TestShardRouting(t *testing.T) {
	h := newHarness(t)
	h.create(t, "s", 4)
	// The MD5 of "a" is 0cc175b9...: the first quarter.
	out, err := h.s.PutRecord(h.call(), &PutRecordInput{StreamName: "s", Data: []byte("x"), PartitionKey: "a"})
	if err != nil || out.ShardId != "shardId-000000000000" {
		t.Fatalf("put a = %+v, %v", out, err)
	}
	out, err = h.s.PutRecord(h.call(), &PutRecordInput{StreamName: "s", Data: []byte("x"), PartitionKey: "a", ExplicitHashKey: "340282366920938463463374607431768211455"})
	if err != nil || out.ShardId != "shardId-000000000003" {
		t.Fatalf("explicit = %+v, %v", out, err)
	}
	if _, err := h.s.PutRecord(h.call(), &PutRecordInput{StreamName: "s", Data: []byte("x"), PartitionKey: "a", ExplicitHashKey: "-1"}); !strings.HasPrefix(code(err), "InvalidArgumentException") {
		t.Fatalf("bad explicit: %v", err)
	}
	ls, err := h.s.ListShards(h.call(), &ListShardsInput{StreamName: "s", MaxResults: ptr(3)})
	if err != nil || len(ls.Shards) != 3 || ls.NextToken == "" {
		t.Fatalf("list-shards = %+v, %v", ls, err)
	}
	if _, err := h.s.ListShards(h.call(), &ListShardsInput{StreamName: "s", NextToken: ls.NextToken}); !strings.HasPrefix(code(err), "InvalidArgumentException") {
		t.Fatalf("token with name: %v", err)
	}
	ls, err = h.s.ListShards(h.call(), &ListShardsInput{NextToken: ls.NextToken})
	if err != nil || len(ls.Shards) != 1 || ls.Shards[0].ShardId != "shardId-000000000003" || ls.NextToken != "" {
		t.Fatalf("second page = %+v, %v", ls, err)
	}
	if _, err := h.s.GetShardIterator(h.call(), &GetShardIteratorInput{StreamName: "s", ShardId: "shardId-000000000009", ShardIteratorType: "LATEST"}); code(err) != "ResourceNotFoundException: Shard shardId-000000000009 in stream s under account 123456789012 does not exist" {
		t.Fatalf("missing shard: %v", err)
	}
	if _, err := h.s.GetRecords(h.call(), &GetRecordsInput{ShardIterator: "garbage"}); !strings.HasPrefix(code(err), "InvalidArgumentException") {
		t.Fatalf("bad iterator: %v", err)
	}
}

func TestDeliver(t *testing.T) {
	h := newHarness(t)
	h.create(t, "s", 1)
	arn := h.s.StreamARN("s")
	if !h.s.Exists(arn) || h.s.Exists(arn+"x") || h.s.Exists("arn:aws:kinesis:eu-west-1:123456789012:stream/s") {
		t.Fatal("Exists")
	}
	if err := h.s.Deliver(arn, []byte("payload"), "pk"); err != nil {
		t.Fatal(err)
	}
	if err := h.s.Deliver(arn+"x", []byte("payload"), "pk"); err == nil {
		t.Fatal("delivered to a missing stream")
	}
	recs, err := h.s.Records("s")
	if err != nil || len(recs) != 1 || string(recs[0].Data) != "payload" || recs[0].PartitionKey != "pk" {
		t.Fatalf("records = %+v, %v", recs, err)
	}
}

// FuzzGetRecordsIterator: any shard iterator is read or refused with an
// AWS error, never a panic.
func FuzzGetRecordsIterator(f *testing.F) {
	f.Add("eyJzIjoicyIsImgiOjAsImEiOiIiLCJ0IjoxNzY3MzIzMDQ1MDAwfQ==")
	f.Add("")
	f.Add("e30=")
	f.Fuzz(func(t *testing.T, it string) {
		h := newHarness(t)
		h.create(t, "s", 2)
		h.s.PutRecord(h.call(), &PutRecordInput{StreamName: "s", Data: []byte("x"), PartitionKey: "k"})
		if _, err := h.s.GetRecords(h.call(), &GetRecordsInput{ShardIterator: it}); err != nil && awserr.As(err) == nil {
			t.Fatalf("not an AWS error: %v", err)
		}
	})
}
