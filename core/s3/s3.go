// Package s3 simulates a minimal Amazon S3 (the "s3api" service of the CLI):
// general purpose buckets (create with AWS's name and location rules, list,
// head, delete) and objects (put, get, head, copy, delete, ListObjectsV2 with
// prefixes, delimiters, pages and StartAfter), with S3's error codes and
// messages as the CLI prints them. Objects are kept whole in the store; there
// are no versions, ACLs, multipart uploads or storage classes beyond
// STANDARD.
//
// Store layout (see core/store). Bucket names never contain '/', so an
// object's key follows its bucket's name after one:
//
//	s3/bucket/<bucket>         a bucket (JSON)
//	s3/object/<bucket>/<key>   an object (JSON, body in base64)
//
// Keys are listed in the store's byte order, which is S3's UTF-8 binary
// order.
//
// A Service is not safe for concurrent use.
package s3

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"net"
	"regexp"
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

// Service is the S3 of a world.
type Service struct{ d Deps }

// New returns the service over the world's store; buckets and objects found
// there (a restored world) are kept.
func New(d Deps) *Service { return &Service{d: d} }

const (
	bucketPrefix = "s3/bucket/"
	objectPrefix = "s3/object/"
	// MaxKeyBytes is the longest object key S3 accepts.
	MaxKeyBytes = 1024
	// DefaultContentType is the type of an object put without one.
	DefaultContentType = "binary/octet-stream"
)

type bucket struct {
	Name    string
	Created time.Time
	Region  string
}

type object struct {
	Body         []byte
	ETag         string
	CRC32        string
	LastModified time.Time
	ContentType  string
	Metadata     map[string]string `json:",omitempty"`
}

// takenBuckets are names the simulation treats as owned by other accounts,
// so that learners meet BucketAlreadyExists: the bucket namespace is global.
var takenBuckets = map[string]bool{
	"test": true, "bucket": true, "my-bucket": true, "example": true, "logs": true,
	"data": true, "backup": true, "aws": true, "amazon": true, "s3": true,
}

func errNoSuchBucket() *awserr.Error {
	return awserr.New("NoSuchBucket", 404, "The specified bucket does not exist")
}

func errNoSuchKey() *awserr.Error {
	return awserr.New("NoSuchKey", 404, "The specified key does not exist.")
}

// errNotFound is what a HEAD request gets: no body, so the CLI shows the
// status code and reason.
func errNotFound() *awserr.Error { return awserr.New("404", 404, "Not Found") }

var bucketNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ValidBucketName reports whether name follows the naming rules of general
// purpose buckets: 3 to 63 lowercase letters, digits, dots and hyphens,
// starting and ending with a letter or digit, no two adjacent dots, not an
// IP address, none of the reserved prefixes and suffixes.
func ValidBucketName(name string) bool {
	if !bucketNameRE.MatchString(name) || strings.Contains(name, "..") || net.ParseIP(name) != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

func (s *Service) ownerID() string {
	h := sha256.Sum256([]byte("telltale canonical user " + s.d.Account))
	return hex.EncodeToString(h[:])
}

func loadBucket(tx *store.Tx, name string) (*bucket, error) {
	var b bucket
	if err := store.GetJSON(tx, bucketPrefix+name, &b); err != nil {
		if err == store.ErrNotFound {
			return nil, errNoSuchBucket()
		}
		return nil, err
	}
	return &b, nil
}

func objectKey(b, k string) string { return objectPrefix + b + "/" + k }

func loadObject(tx *store.Tx, b, k string) (*object, error) {
	var o object
	if err := store.GetJSON(tx, objectKey(b, k), &o); err != nil {
		if err == store.ErrNotFound {
			return nil, errNoSuchKey()
		}
		return nil, err
	}
	return &o, nil
}

func newObject(body []byte, contentType string, meta map[string]string, now time.Time) *object {
	sum := md5.Sum(body)
	var c [4]byte
	binary.BigEndian.PutUint32(c[:], crc32.ChecksumIEEE(body))
	if contentType == "" {
		contentType = DefaultContentType
	}
	// S3 keeps LastModified to the second.
	return &object{Body: body, ETag: `"` + hex.EncodeToString(sum[:]) + `"`,
		CRC32: base64.StdEncoding.EncodeToString(c[:]), LastModified: now.UTC().Truncate(time.Second),
		ContentType: contentType, Metadata: meta}
}

// CreateBucketConfiguration is the body of CreateBucket.
type CreateBucketConfiguration struct {
	LocationConstraint string
}

// CreateBucketInput is the request of CreateBucket.
type CreateBucketInput struct {
	Bucket                    string
	ACL                       string
	CreateBucketConfiguration *CreateBucketConfiguration
}

// CreateBucketOutput is the response of CreateBucket.
type CreateBucketOutput struct {
	Location string
}

// CreateBucket creates a bucket in the world's region. Outside us-east-1 the
// LocationConstraint must name the region; in us-east-1 it must be absent,
// and re-creating a bucket one owns succeeds there (legacy behaviour) while
// other regions answer BucketAlreadyOwnedByYou.
func (s *Service) CreateBucket(c *api.Call, in *CreateBucketInput) (*CreateBucketOutput, error) {
	if !ValidBucketName(in.Bucket) {
		return nil, awserr.BadRequest("InvalidBucketName", "The specified bucket is not valid.")
	}
	lc := ""
	if in.CreateBucketConfiguration != nil {
		lc = in.CreateBucketConfiguration.LocationConstraint
	}
	switch {
	case lc == "" && s.d.Region != "us-east-1":
		return nil, awserr.BadRequest("IllegalLocationConstraintException",
			"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	case lc != "" && !validRegion(lc) || lc == "us-east-1" && s.d.Region == "us-east-1":
		return nil, awserr.BadRequest("InvalidLocationConstraint", "The specified location-constraint is not valid")
	case lc != "" && lc != s.d.Region:
		return nil, awserr.BadRequest("IllegalLocationConstraintException",
			fmt.Sprintf("The %s location constraint is incompatible for the region specific endpoint this request was sent to.", lc))
	}
	out := &CreateBucketOutput{Location: "/" + in.Bucket}
	if s.d.Region != "us-east-1" {
		out.Location = fmt.Sprintf("http://%s.s3.amazonaws.com/", in.Bucket)
	}
	if takenBuckets[in.Bucket] {
		return nil, awserr.New("BucketAlreadyExists", 409,
			"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
	}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if store.Exists(tx, bucketPrefix+in.Bucket) {
			if s.d.Region == "us-east-1" {
				return nil
			}
			return awserr.New("BucketAlreadyOwnedByYou", 409,
				"Your previous request to create the named bucket succeeded and you already own it.")
		}
		c.AddResource("AWS::S3::Bucket", in.Bucket, "arn:aws:s3:::"+in.Bucket)
		return store.SetJSON(tx, bucketPrefix+in.Bucket, bucket{Name: in.Bucket, Created: c.Now.UTC().Truncate(time.Second), Region: s.d.Region})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)

func validRegion(r string) bool { return regionRE.MatchString(r) || r == "EU" }

// ListBucketsInput is the request of ListBuckets.
type ListBucketsInput struct {
	MaxBuckets        *int
	ContinuationToken *string
	Prefix            *string
	BucketRegion      *string
}

// BucketInfo is a bucket of ListBuckets.
type BucketInfo struct {
	Name         string
	CreationDate time.Time
	BucketRegion string `json:",omitempty"`
}

// Owner is the canonical user owning buckets and objects.
type Owner struct {
	ID string
}

// ListBucketsOutput is the response of ListBuckets.
type ListBucketsOutput struct {
	Buckets           []BucketInfo
	Owner             Owner
	ContinuationToken string  `json:",omitempty"`
	Prefix            *string `json:",omitempty"`
}

// ListBuckets lists the account's buckets by name. With any parameter the
// buckets carry their region, as AWS returns them then.
func (s *Service) ListBuckets(c *api.Call, in *ListBucketsInput) (*ListBucketsOutput, error) {
	after := ""
	if in.ContinuationToken != nil {
		t, err := base64.RawURLEncoding.DecodeString(*in.ContinuationToken)
		if err != nil || len(t) == 0 {
			// Unverified wording.
			return nil, awserr.BadRequest("InvalidArgument", "The continuation token provided is incorrect")
		}
		after = string(t)
	}
	limit := 10000
	if in.MaxBuckets != nil {
		if *in.MaxBuckets < 1 || *in.MaxBuckets > 10000 {
			// Unverified wording.
			return nil, awserr.BadRequest("InvalidArgument", "Argument max-buckets must be an integer between 1 and 10000")
		}
		limit = *in.MaxBuckets
	}
	withRegion := in.MaxBuckets != nil || in.ContinuationToken != nil || in.Prefix != nil || in.BucketRegion != nil
	out := &ListBucketsOutput{Buckets: []BucketInfo{}, Owner: Owner{ID: s.ownerID()}, Prefix: in.Prefix}
	err := s.d.Store.View(func(tx *store.Tx) error {
		var ferr error
		store.Prefix(tx, bucketPrefix, func(k, v string) bool {
			var b bucket
			if ferr = jsonUnmarshal(v, &b); ferr != nil {
				return false
			}
			if b.Name <= after || in.Prefix != nil && !strings.HasPrefix(b.Name, *in.Prefix) ||
				in.BucketRegion != nil && b.Region != *in.BucketRegion {
				return true
			}
			if len(out.Buckets) == limit {
				out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.Buckets[limit-1].Name))
				return false
			}
			bi := BucketInfo{Name: b.Name, CreationDate: b.Created}
			if withRegion {
				bi.BucketRegion = b.Region
			}
			out.Buckets = append(out.Buckets, bi)
			return true
		})
		return ferr
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// BucketInput is the request of DeleteBucket and HeadBucket.
type BucketInput struct {
	Bucket              string
	ExpectedBucketOwner string
}

// DeleteBucket deletes an empty bucket.
func (s *Service) DeleteBucket(c *api.Call, in *BucketInput) (*struct{}, error) {
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := loadBucket(tx, in.Bucket); err != nil {
			return err
		}
		empty := true
		store.Prefix(tx, objectPrefix+in.Bucket+"/", func(string, string) bool {
			empty = false
			return false
		})
		if !empty {
			return awserr.New("BucketNotEmpty", 409, "The bucket you tried to delete is not empty")
		}
		c.AddResource("AWS::S3::Bucket", in.Bucket, "arn:aws:s3:::"+in.Bucket)
		_, err := tx.Delete(bucketPrefix + in.Bucket)
		return err
	})
	return nil, err
}

// HeadBucketOutput is the response of HeadBucket.
type HeadBucketOutput struct {
	BucketRegion     string
	AccessPointAlias bool
}

// HeadBucket tells whether a bucket exists: a bare 404 when it does not.
func (s *Service) HeadBucket(c *api.Call, in *BucketInput) (*HeadBucketOutput, error) {
	var b *bucket
	err := s.d.Store.View(func(tx *store.Tx) error {
		var err error
		b, err = loadBucket(tx, in.Bucket)
		return err
	})
	if err != nil {
		if isCode(err, "NoSuchBucket") {
			return nil, errNotFound()
		}
		return nil, err
	}
	return &HeadBucketOutput{BucketRegion: b.Region}, nil
}

func isCode(err error, code string) bool {
	e, ok := err.(*awserr.Error)
	return ok && e.Code == code
}
