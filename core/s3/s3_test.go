package s3

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var now = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

func newService(t *testing.T, region string) (*Service, *api.Call) {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(Deps{Store: st, Clock: fixedClock{now}, Account: "123456789012", Region: region}), &api.Call{Now: now}
}

func code(err error) string {
	if e, ok := err.(*awserr.Error); ok {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestBucketNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"abc": true, "my.bucket-1": true, "ab": false, strings.Repeat("a", 63): true, strings.Repeat("a", 64): false,
		"Abc": false, "a_b": false, "-ab": false, "ab-": false, "a..b": false, "192.168.1.1": false,
		"xn--abc": false, "sthree-x": false, "amzn-s3-demo-x": false, "x-s3alias": false, "x--ol-s3": false,
		"x.mrap": false, "x--x-s3": false, "x--table-s3": false, "1.2.3.4.5": true,
	} {
		if got := ValidBucketName(name); got != ok {
			t.Errorf("ValidBucketName(%q) = %v", name, got)
		}
	}
}

func TestCreateBucketRules(t *testing.T) {
	cfg := func(lc string) *CreateBucketConfiguration { return &CreateBucketConfiguration{LocationConstraint: lc} }
	for _, c := range []struct {
		region string
		in     CreateBucketInput
		twice  bool
		want   string
	}{
		{"us-east-1", CreateBucketInput{Bucket: "b-1"}, false, ""},
		{"us-east-1", CreateBucketInput{Bucket: "b-1"}, true, ""},
		{"eu-west-1", CreateBucketInput{Bucket: "b-1", CreateBucketConfiguration: cfg("eu-west-1")}, true, "BucketAlreadyOwnedByYou"},
		{"eu-west-1", CreateBucketInput{Bucket: "b-1"}, false, "IllegalLocationConstraintException"},
		{"eu-west-1", CreateBucketInput{Bucket: "b-1", CreateBucketConfiguration: cfg("us-west-2")}, false, "IllegalLocationConstraintException"},
		{"us-east-1", CreateBucketInput{Bucket: "b-1", CreateBucketConfiguration: cfg("us-east-1")}, false, "InvalidLocationConstraint"},
		{"us-east-1", CreateBucketInput{Bucket: "b-1", CreateBucketConfiguration: cfg("nowhere")}, false, "InvalidLocationConstraint"},
		{"us-east-1", CreateBucketInput{Bucket: "my-bucket"}, false, "BucketAlreadyExists"},
		{"us-east-1", CreateBucketInput{Bucket: "B"}, false, "InvalidBucketName"},
	} {
		s, call := newService(t, c.region)
		_, err := s.CreateBucket(call, &c.in)
		if c.twice && err == nil {
			_, err = s.CreateBucket(call, &c.in)
		}
		if code(err) != c.want {
			t.Errorf("%s %+v (twice %v): %v, want %s", c.region, c.in, c.twice, err, c.want)
		}
	}
}

func TestObjects(t *testing.T) {
	s, call := newService(t, "us-east-1")
	if _, err := s.PutObject(call, &PutObjectInput{Bucket: "nob", Key: "k"}); code(err) != "NoSuchBucket" {
		t.Fatalf("put to no bucket: %v", err)
	}
	s.CreateBucket(call, &CreateBucketInput{Bucket: "b-1"})
	out, err := s.PutObject(call, &PutObjectInput{Bucket: "b-1", Key: "k", Body: []byte("hello")})
	if err != nil || out.ETag != `"5d41402abc4b2a76b9719d911017c592"` {
		t.Fatalf("put: %+v %v", out, err)
	}
	if _, err := s.PutObject(call, &PutObjectInput{Bucket: "b-1", Key: strings.Repeat("k", 1025)}); code(err) != "KeyTooLongError" {
		t.Fatalf("long key: %v", err)
	}
	g, err := s.GetObject(call, &ObjectInput{Bucket: "b-1", Key: "k", ChecksumMode: "ENABLED"})
	if err != nil || string(g.Body) != "hello" || g.ContentType != DefaultContentType || g.ContentLength != 5 || g.ChecksumCRC32 != "NhCmhg==" {
		t.Fatalf("get: %+v %v", g, err)
	}
	if _, err := s.HeadObject(call, &ObjectInput{Bucket: "b-1", Key: "none"}); code(err) != "404" {
		t.Fatalf("head: %v", err)
	}
	if _, err := s.GetObject(call, &ObjectInput{Bucket: "b-1", Key: "none"}); code(err) != "NoSuchKey" {
		t.Fatalf("get missing: %v", err)
	}
	if _, err := s.CopyObject(call, &CopyObjectInput{Bucket: "b-1", Key: "k2", CopySource: "/b-1/k"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CopyObject(call, &CopyObjectInput{Bucket: "b-1", Key: "k", CopySource: "b-1/k"}); code(err) != "InvalidRequest" {
		t.Fatalf("copy onto itself: %v", err)
	}
	if _, err := s.DeleteBucket(call, &BucketInput{Bucket: "b-1"}); code(err) != "BucketNotEmpty" {
		t.Fatalf("delete full bucket: %v", err)
	}
	for _, k := range []string{"k", "k2", "k"} {
		if _, err := s.DeleteObject(call, &ObjectInput{Bucket: "b-1", Key: k}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DeleteBucket(call, &BucketInput{Bucket: "b-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.HeadBucket(call, &BucketInput{Bucket: "b-1"}); code(err) != "404" {
		t.Fatalf("head deleted bucket: %v", err)
	}
}

// naiveList is ListObjectsV2 written the obvious way, to check the pages.
func naiveList(keys []string, prefix, delim string) (contents, prefixes []string) {
	seen := map[string]bool{}
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				cp := k[:len(prefix)+i+len(delim)]
				if !seen[cp] {
					seen[cp] = true
					prefixes = append(prefixes, cp)
				}
				continue
			}
		}
		contents = append(contents, k)
	}
	return contents, prefixes
}

func TestListObjectsV2Pages(t *testing.T) {
	s, call := newService(t, "us-east-1")
	s.CreateBucket(call, &CreateBucketInput{Bucket: "b-1"})
	keys := []string{"a", "a/1", "a/2", "a/b/1", "a/b/2", "a/c/1", "ab", "b/1", "b/2/3", "c", "é", "z/z"}
	for _, k := range keys {
		if err := s.PutObjectInternal("b-1", k, []byte(k), ""); err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(keys)
	for _, prefix := range []string{"", "a", "a/", "b/", "zz"} {
		for _, delim := range []string{"", "/", "b"} {
			wantC, wantP := naiveList(keys, prefix, delim)
			for max := 1; max <= 13; max++ {
				var gotC, gotP []string
				var token *string
				for page := 0; ; page++ {
					in := &ListObjectsV2Input{Bucket: "b-1", Prefix: prefix, MaxKeys: &max, ContinuationToken: token}
					if delim != "" {
						d := delim
						in.Delimiter = &d
					}
					out, err := s.ListObjectsV2(call, in)
					if err != nil {
						t.Fatal(err)
					}
					if out.KeyCount > max || out.KeyCount != len(out.Contents)+len(out.CommonPrefixes) {
						t.Fatalf("KeyCount %d with %d contents and %d prefixes, max %d", out.KeyCount, len(out.Contents), len(out.CommonPrefixes), max)
					}
					for _, c := range out.Contents {
						gotC = append(gotC, c.Key)
					}
					for _, p := range out.CommonPrefixes {
						gotP = append(gotP, p.Prefix)
					}
					if !out.IsTruncated {
						break
					}
					if page > 20 {
						t.Fatal("too many pages")
					}
					tok := out.NextContinuationToken
					token = &tok
				}
				if fmt.Sprint(gotC) != fmt.Sprint(wantC) || fmt.Sprint(gotP) != fmt.Sprint(wantP) {
					t.Fatalf("prefix %q delimiter %q max %d: %q %q, want %q %q", prefix, delim, max, gotC, gotP, wantC, wantP)
				}
			}
		}
	}
	after := "a/b/2"
	out, _ := s.ListObjectsV2(call, &ListObjectsV2Input{Bucket: "b-1", StartAfter: &after})
	var got []string
	for _, c := range out.Contents {
		got = append(got, c.Key)
	}
	if want := keys[5:]; !reflect.DeepEqual(got, want) {
		t.Fatalf("StartAfter: %q, want %q", got, want)
	}
	bad := "bogus"
	if _, err := s.ListObjectsV2(call, &ListObjectsV2Input{Bucket: "b-1", ContinuationToken: &bad}); code(err) != "InvalidArgument" {
		t.Fatalf("bad token: %v", err)
	}
}
