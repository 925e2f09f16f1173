package firehose

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

type bucket struct {
	objects map[string][]byte
	fail    bool
}

func (b *bucket) PutFirehoseObject(bk, key string, body []byte) error {
	if b.fail {
		return errors.New("no bucket")
	}
	b.objects[bk+"/"+key] = append([]byte(nil), body...)
	return nil
}

type harness struct {
	s     *Service
	c     *clock.Clock
	b     *bucket
	st    *store.Store
	notes []string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &harness{c: clock.New(start), b: &bucket{objects: map[string][]byte{}}, st: st}
	h.s = New(h.deps())
	return h
}

func (h *harness) deps() Deps {
	return Deps{Store: h.st, Clock: h.c, IDs: ids.New(1), Account: "123456789012", Region: "us-east-1", Objects: h.b,
		Notify: func(_ time.Time, f string, a ...any) { h.notes = append(h.notes, fmt.Sprintf(f, a...)) }}
}

func (h *harness) call() *api.Call { return &api.Call{Now: h.c.Now()} }

func code(err error) string {
	if e := awserr.As(err); err != nil && e != nil {
		return e.Code + ": " + e.Message
	}
	return ""
}

func ptr[T any](v T) *T { return &v }

func (h *harness) create(t *testing.T, name string, d *S3DestinationConfiguration) {
	t.Helper()
	if _, err := h.s.CreateDeliveryStream(h.call(), &CreateDeliveryStreamInput{DeliveryStreamName: name, ExtendedS3DestinationConfiguration: d}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateDescribeListDelete(t *testing.T) {
	h := newHarness(t)
	h.create(t, "b", &S3DestinationConfiguration{RoleARN: "arn:aws:iam::123456789012:role/r", BucketARN: "arn:aws:s3:::bk", Prefix: "logs/"})
	h.create(t, "a", &S3DestinationConfiguration{RoleARN: "arn:aws:iam::123456789012:role/r", BucketARN: "arn:aws:s3:::bk"})
	_, err := h.s.CreateDeliveryStream(h.call(), &CreateDeliveryStreamInput{DeliveryStreamName: "a", ExtendedS3DestinationConfiguration: &S3DestinationConfiguration{RoleARN: "r", BucketARN: "arn:aws:s3:::bk"}})
	if !strings.HasPrefix(code(err), "ResourceInUseException") {
		t.Fatalf("duplicate: %v", err)
	}
	for _, in := range []CreateDeliveryStreamInput{
		{DeliveryStreamName: "c"},
		{DeliveryStreamName: "c", ExtendedS3DestinationConfiguration: &S3DestinationConfiguration{RoleARN: "r", BucketARN: "bk"}},
		{DeliveryStreamName: "c", DeliveryStreamType: "KinesisStreamAsSource", ExtendedS3DestinationConfiguration: &S3DestinationConfiguration{RoleARN: "r", BucketARN: "arn:aws:s3:::bk"}},
		{DeliveryStreamName: "c", SplunkDestinationConfiguration: []byte(`{}`)},
	} {
		if _, err := h.s.CreateDeliveryStream(h.call(), &in); !strings.HasPrefix(code(err), "InvalidArgumentException") {
			t.Errorf("%+v: %v", in, err)
		}
	}
	d, err := h.s.DescribeDeliveryStream(h.call(), &DescribeDeliveryStreamInput{DeliveryStreamName: "b"})
	if err != nil {
		t.Fatal(err)
	}
	dd := d.DeliveryStreamDescription
	if dd.DeliveryStreamARN != "arn:aws:firehose:us-east-1:123456789012:deliverystream/b" || dd.DeliveryStreamStatus != "ACTIVE" ||
		dd.DeliveryStreamType != "DirectPut" || len(dd.Destinations) != 1 || dd.Destinations[0].ExtendedS3DestinationDescription == nil ||
		*dd.Destinations[0].S3DestinationDescription.BufferingHints.IntervalInSeconds != 300 ||
		*dd.Destinations[0].S3DestinationDescription.BufferingHints.SizeInMBs != 5 ||
		dd.Destinations[0].S3DestinationDescription.CompressionFormat != "UNCOMPRESSED" {
		t.Fatalf("describe = %+v", dd)
	}
	l, err := h.s.ListDeliveryStreams(h.call(), &ListDeliveryStreamsInput{Limit: ptr(1)})
	if err != nil || len(l.DeliveryStreamNames) != 1 || l.DeliveryStreamNames[0] != "a" || !l.HasMoreDeliveryStreams {
		t.Fatalf("list = %+v, %v", l, err)
	}
	l, _ = h.s.ListDeliveryStreams(h.call(), &ListDeliveryStreamsInput{ExclusiveStartDeliveryStreamName: "a"})
	if len(l.DeliveryStreamNames) != 1 || l.DeliveryStreamNames[0] != "b" || l.HasMoreDeliveryStreams {
		t.Fatalf("second page = %+v", l)
	}
	if _, err := h.s.DeleteDeliveryStream(h.call(), &DeleteDeliveryStreamInput{DeliveryStreamName: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.DescribeDeliveryStream(h.call(), &DescribeDeliveryStreamInput{DeliveryStreamName: "a"}); code(err) != "ResourceNotFoundException: Firehose a under account 123456789012 not found." {
		t.Fatalf("deleted: %v", err)
	}
}

func TestBufferingAndDelivery(t *testing.T) {
	h := newHarness(t)
	h.create(t, "fh", &S3DestinationConfiguration{RoleARN: "r", BucketARN: "arn:aws:s3:::bk", Prefix: "p/",
		BufferingHints: &BufferingHints{IntervalInSeconds: ptr(60), SizeInMBs: ptr(1)}})
	out, err := h.s.PutRecord(h.call(), &PutRecordInput{DeliveryStreamName: "fh", Record: Record{[]byte("one\n")}})
	if err != nil || len(out.RecordId) != 224 {
		t.Fatalf("put = %+v, %v", out, err)
	}
	h.c.Advance(30 * time.Second)
	b, err := h.s.PutRecordBatch(h.call(), &PutRecordBatchInput{DeliveryStreamName: "fh", Records: []Record{{[]byte("two\n")}, {[]byte("three\n")}}})
	if err != nil || b.FailedPutCount != 0 || len(b.RequestResponses) != 2 {
		t.Fatalf("batch = %+v, %v", b, err)
	}
	if len(h.b.objects) != 0 {
		t.Fatal("delivered before the interval")
	}
	// A restored world (a new Service over the same store) keeps the
	// buffer's deadline.
	h.s = New(h.deps())
	h.c.Advance(30 * time.Second)
	if len(h.b.objects) != 1 {
		t.Fatalf("objects after the interval = %d (%q)", len(h.b.objects), h.notes)
	}
	for k, v := range h.b.objects {
		if !strings.HasPrefix(k, "bk/p/2026/01/02/03/fh-1-2026-01-02-03-04-05-") || string(v) != "one\ntwo\nthree\n" {
			t.Fatalf("object %s = %q", k, v)
		}
	}
	recs, err := h.s.Records("fh")
	if err != nil || len(recs) != 3 || recs[2].Object == "" {
		t.Fatalf("records = %+v, %v", recs, err)
	}
	// A full buffer (SizeInMBs) is delivered at once, gzip-compressed if asked.
	h.create(t, "gz", &S3DestinationConfiguration{RoleARN: "r", BucketARN: "arn:aws:s3:::bk", CompressionFormat: "GZIP",
		BufferingHints: &BufferingHints{SizeInMBs: ptr(1)}})
	big := bytes.Repeat([]byte("x"), 1024*1024)
	if _, err := h.s.PutRecord(h.call(), &PutRecordInput{DeliveryStreamName: "gz", Record: Record{big}}); err != nil {
		t.Fatal(err)
	}
	found := false
	for k, v := range h.b.objects {
		if strings.HasPrefix(k, "bk/2026/01/02/03/gz-1-") && strings.HasSuffix(k, ".gz") {
			r, err := gzip.NewReader(bytes.NewReader(v))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(r)
			found = bytes.Equal(got, big)
		}
	}
	if !found {
		t.Fatalf("no gzip object: %d objects", len(h.b.objects))
	}
	// A failed delivery is reported.
	h.b.fail = true
	if err := h.s.Deliver(h.s.StreamARN("fh"), []byte("lost?")); err != nil {
		t.Fatal(err)
	}
	h.c.Advance(time.Minute)
	if n := h.notes[len(h.notes)-1]; !strings.Contains(n, "could not deliver") {
		t.Fatalf("notes = %q", h.notes)
	}
	if err := h.s.Deliver(h.s.StreamARN("nope"), []byte("x")); err == nil || h.s.Exists(h.s.StreamARN("nope")) || !h.s.Exists(h.s.StreamARN("fh")) {
		t.Fatal("delivered to a missing stream")
	}
}
