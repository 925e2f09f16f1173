package s3

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func errKeyTooLong() *awserr.Error {
	return awserr.BadRequest("KeyTooLongError", "Your key is too long")
}

// PutObjectInput is the request of PutObject.
type PutObjectInput struct {
	Bucket      string
	Key         string
	Body        []byte
	ContentType string
	Metadata    map[string]string
}

// PutObjectOutput is the response of PutObject.
type PutObjectOutput struct {
	ETag                 string
	ChecksumCRC32        string
	ChecksumType         string
	ServerSideEncryption string
}

// PutObject stores an object, replacing any with the same key. The CRC32
// checksum is the one the AWS CLI v2 sends by default.
func (s *Service) PutObject(c *api.Call, in *PutObjectInput) (*PutObjectOutput, error) {
	o, err := s.put(c.Now, in.Bucket, in.Key, in.Body, in.ContentType, in.Metadata)
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::S3::Object", in.Key, "arn:aws:s3:::"+in.Bucket+"/"+in.Key)
	return &PutObjectOutput{ETag: o.ETag, ChecksumCRC32: o.CRC32, ChecksumType: "FULL_OBJECT", ServerSideEncryption: "AES256"}, nil
}

func (s *Service) put(now time.Time, b, k string, body []byte, ct string, meta map[string]string) (*object, error) {
	if len(k) > MaxKeyBytes {
		return nil, errKeyTooLong()
	}
	if k == "" {
		// Unverified wording (a PUT to the bucket itself).
		return nil, awserr.BadRequest("InvalidArgument", "Object key must not be empty")
	}
	o := newObject(body, ct, meta, now)
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := loadBucket(tx, b); err != nil {
			return err
		}
		return store.SetJSON(tx, objectKey(b, k), o)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// PutObjectInternal stores an object for a service of the world (CloudWatch
// Logs exports, Firehose deliveries) at the current virtual instant. It is
// not an API call, so CloudTrail does not record it.
func (s *Service) PutObjectInternal(bucketName, key string, body []byte, contentType string) error {
	_, err := s.put(s.d.Clock.Now(), bucketName, key, body, contentType, nil)
	return err
}

// BucketExists reports whether the account has the bucket, for services of
// the world that write into buckets.
func (s *Service) BucketExists(name string) bool {
	ok := false
	s.d.Store.View(func(tx *store.Tx) error {
		ok = store.Exists(tx, bucketPrefix+name)
		return nil
	})
	return ok
}

// GetObjectInternal returns an object's body, for tests and the console.
func (s *Service) GetObjectInternal(bucketName, key string) ([]byte, error) {
	var o *object
	err := s.d.Store.View(func(tx *store.Tx) error {
		if _, err := loadBucket(tx, bucketName); err != nil {
			return err
		}
		var err error
		o, err = loadObject(tx, bucketName, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	return o.Body, nil
}

// ObjectInput is the request of GetObject, HeadObject and DeleteObject.
type ObjectInput struct {
	Bucket       string
	Key          string
	ChecksumMode string
}

// GetObjectOutput is the response of GetObject and HeadObject.
type GetObjectOutput struct {
	Body                 []byte `json:",omitempty"`
	AcceptRanges         string
	LastModified         time.Time
	ContentLength        int
	ETag                 string
	ChecksumCRC32        string `json:",omitempty"`
	ChecksumType         string `json:",omitempty"`
	ContentType          string
	ServerSideEncryption string
	Metadata             map[string]string
}

func (s *Service) get(in *ObjectInput, head bool) (*GetObjectOutput, error) {
	if len(in.Key) > MaxKeyBytes {
		return nil, errKeyTooLong()
	}
	var o *object
	err := s.d.Store.View(func(tx *store.Tx) error {
		if _, err := loadBucket(tx, in.Bucket); err != nil {
			return err
		}
		var err error
		o, err = loadObject(tx, in.Bucket, in.Key)
		return err
	})
	if err != nil {
		if head && (isCode(err, "NoSuchBucket") || isCode(err, "NoSuchKey")) {
			return nil, errNotFound()
		}
		return nil, err
	}
	out := &GetObjectOutput{AcceptRanges: "bytes", LastModified: o.LastModified, ContentLength: len(o.Body),
		ETag: o.ETag, ContentType: o.ContentType, ServerSideEncryption: "AES256", Metadata: map[string]string{}}
	for k, v := range o.Metadata {
		out.Metadata[k] = v
	}
	if in.ChecksumMode == "ENABLED" && o.CRC32 != "" {
		out.ChecksumCRC32, out.ChecksumType = o.CRC32, "FULL_OBJECT"
	}
	if !head {
		out.Body = o.Body
		if out.Body == nil {
			out.Body = []byte{}
		}
	}
	return out, nil
}

// GetObject returns an object with its body.
func (s *Service) GetObject(c *api.Call, in *ObjectInput) (*GetObjectOutput, error) {
	return s.get(in, false)
}

// HeadObject returns an object's metadata: a bare 404 when the bucket or the
// key does not exist.
func (s *Service) HeadObject(c *api.Call, in *ObjectInput) (*GetObjectOutput, error) {
	return s.get(in, true)
}

// DeleteObject deletes an object; deleting a key that does not exist
// succeeds, as in AWS.
func (s *Service) DeleteObject(c *api.Call, in *ObjectInput) (*struct{}, error) {
	if len(in.Key) > MaxKeyBytes {
		return nil, errKeyTooLong()
	}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := loadBucket(tx, in.Bucket); err != nil {
			return err
		}
		_, err := tx.Delete(objectKey(in.Bucket, in.Key))
		if err == store.ErrNotFound {
			return nil
		}
		return err
	})
	return nil, err
}

// CopyObjectInput is the request of CopyObject.
type CopyObjectInput struct {
	Bucket            string
	Key               string
	CopySource        string
	ContentType       string
	Metadata          map[string]string
	MetadataDirective string
}

// CopyObjectResult is the result of CopyObject.
type CopyObjectResult struct {
	ETag          string
	LastModified  time.Time
	ChecksumType  string
	ChecksumCRC32 string
}

// CopyObjectOutput is the response of CopyObject.
type CopyObjectOutput struct {
	CopyObjectResult     CopyObjectResult
	ServerSideEncryption string
}

// CopyObject copies an object named by CopySource ("bucket/key", URL-encoded,
// with an optional leading slash).
func (s *Service) CopyObject(c *api.Call, in *CopyObjectInput) (*CopyObjectOutput, error) {
	src := strings.TrimPrefix(in.CopySource, "/")
	if i := strings.Index(src, "?versionId="); i >= 0 {
		src = src[:i]
	}
	if u, err := url.PathUnescape(src); err == nil {
		src = u
	}
	sb, sk, ok := strings.Cut(src, "/")
	if !ok || sb == "" || sk == "" {
		return nil, awserr.BadRequest("InvalidArgument", "Invalid copy source object key")
	}
	if len(in.Key) > MaxKeyBytes {
		return nil, errKeyTooLong()
	}
	replace := in.MetadataDirective == "REPLACE"
	if sb == in.Bucket && sk == in.Key && !replace {
		return nil, awserr.BadRequest("InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	var o *object
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := loadBucket(tx, sb); err != nil {
			return err
		}
		so, err := loadObject(tx, sb, sk)
		if err != nil {
			return err
		}
		if _, err := loadBucket(tx, in.Bucket); err != nil {
			return err
		}
		ct, meta := so.ContentType, so.Metadata
		if replace {
			ct, meta = in.ContentType, in.Metadata
		}
		o = newObject(so.Body, ct, meta, c.Now)
		return store.SetJSON(tx, objectKey(in.Bucket, in.Key), o)
	})
	if err != nil {
		return nil, err
	}
	return &CopyObjectOutput{CopyObjectResult: CopyObjectResult{ETag: o.ETag, LastModified: o.LastModified,
		ChecksumType: "FULL_OBJECT", ChecksumCRC32: o.CRC32}, ServerSideEncryption: "AES256"}, nil
}

// ListObjectsV2Input is the request of ListObjectsV2.
type ListObjectsV2Input struct {
	Bucket            string
	Prefix            string
	Delimiter         *string
	MaxKeys           *int
	ContinuationToken *string
	StartAfter        *string
	FetchOwner        bool
	EncodingType      string
}

// ObjectInfo is an object of ListObjectsV2.
type ObjectInfo struct {
	Key               string
	LastModified      time.Time
	ETag              string
	ChecksumAlgorithm []string `json:",omitempty"`
	ChecksumType      string   `json:",omitempty"`
	Size              int
	StorageClass      string
	Owner             *Owner `json:",omitempty"`
}

// CommonPrefix is a prefix rolled up by the delimiter.
type CommonPrefix struct{ Prefix string }

// ListObjectsV2Output is the response of ListObjectsV2.
type ListObjectsV2Output struct {
	IsTruncated           bool
	Contents              []ObjectInfo `json:",omitempty"`
	Name                  string
	Prefix                string
	Delimiter             *string `json:",omitempty"`
	MaxKeys               int
	CommonPrefixes        []CommonPrefix `json:",omitempty"`
	EncodingType          string         `json:",omitempty"`
	KeyCount              int
	ContinuationToken     *string `json:",omitempty"`
	NextContinuationToken string  `json:",omitempty"`
	StartAfter            *string `json:",omitempty"`
}

// ListObjectsV2 lists a bucket's keys in UTF-8 binary order after
// StartAfter or the continuation token, those under Prefix, rolling the keys
// that contain Delimiter after the prefix up into CommonPrefixes; keys and
// common prefixes together count towards MaxKeys (1,000 at most).
func (s *Service) ListObjectsV2(c *api.Call, in *ListObjectsV2Input) (*ListObjectsV2Output, error) {
	after := ""
	if in.StartAfter != nil {
		after = *in.StartAfter
	}
	if in.ContinuationToken != nil {
		t, err := base64.StdEncoding.DecodeString(*in.ContinuationToken)
		if err != nil || !strings.HasPrefix(string(t), "1\x00") {
			return nil, awserr.BadRequest("InvalidArgument", "The continuation token provided is incorrect")
		}
		after = string(t[2:])
	}
	max := 1000
	if in.MaxKeys != nil {
		if *in.MaxKeys < 0 {
			// Unverified wording.
			return nil, awserr.BadRequest("InvalidArgument", "Argument maxKeys must be an integer between 0 and 2147483647")
		}
		if *in.MaxKeys < max {
			max = *in.MaxKeys
		}
	}
	delim := ""
	if in.Delimiter != nil {
		delim = *in.Delimiter
	}
	out := &ListObjectsV2Output{Name: in.Bucket, Prefix: in.Prefix, Delimiter: in.Delimiter, MaxKeys: max,
		ContinuationToken: in.ContinuationToken, StartAfter: in.StartAfter}
	if in.EncodingType == "url" {
		out.EncodingType = "url"
	}
	enc := func(s string) string {
		if out.EncodingType == "url" {
			return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
		}
		return s
	}
	owner := s.ownerID()
	err := s.d.Store.View(func(tx *store.Tx) error {
		if _, err := loadBucket(tx, in.Bucket); err != nil {
			return err
		}
		base := objectPrefix + in.Bucket + "/"
		last := ""
		var ferr error
		store.Prefix(tx, base+in.Prefix, func(k, v string) bool {
			key := k[len(base):]
			if key <= after {
				return true
			}
			var cp string
			if delim != "" {
				if i := strings.Index(key[len(in.Prefix):], delim); i >= 0 {
					cp = key[:len(in.Prefix)+i+len(delim)]
					if cp == last || cp <= after {
						return true
					}
				}
			}
			if out.KeyCount == max {
				out.IsTruncated = true
				return false
			}
			out.KeyCount++
			if cp != "" {
				out.CommonPrefixes = append(out.CommonPrefixes, CommonPrefix{enc(cp)})
				last = cp
				return true
			}
			var o object
			if ferr = jsonUnmarshal(v, &o); ferr != nil {
				return false
			}
			oi := ObjectInfo{Key: enc(key), LastModified: o.LastModified, ETag: o.ETag, Size: len(o.Body), StorageClass: "STANDARD"}
			if o.CRC32 != "" {
				oi.ChecksumAlgorithm, oi.ChecksumType = []string{"CRC32"}, "FULL_OBJECT"
			}
			if in.FetchOwner {
				oi.Owner = &Owner{ID: owner}
			}
			out.Contents = append(out.Contents, oi)
			last = key
			return true
		})
		if ferr != nil {
			return ferr
		}
		if out.IsTruncated {
			out.NextContinuationToken = base64.StdEncoding.EncodeToString([]byte("1\x00" + last))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("s3api")
	if err != nil {
		return nil, err
	}
	h := map[string]api.Handler{
		"CreateBucket":  api.Op(s.CreateBucket),
		"ListBuckets":   api.Op(s.ListBuckets),
		"DeleteBucket":  api.Op(s.DeleteBucket),
		"HeadBucket":    api.Op(s.HeadBucket),
		"PutObject":     api.Op(s.PutObject),
		"GetObject":     api.Op(s.GetObject),
		"HeadObject":    api.Op(s.HeadObject),
		"DeleteObject":  api.Op(s.DeleteObject),
		"CopyObject":    api.Op(s.CopyObject),
		"ListObjectsV2": api.Op(s.ListObjectsV2),
	}
	return &api.Service{Name: "s3api", Model: m, Handlers: h, ValidationCode: "InvalidArgument",
		TranslateValidation: translateValidation}, nil
}

// translateValidation answers a LocationConstraint outside the model's enum
// (us-east-1 among them) as S3 does.
func translateValidation(op string, vs []api.Violation) *awserr.Error {
	for _, v := range vs {
		if op == "CreateBucket" && strings.HasSuffix(v.Path, "locationConstraint") {
			return awserr.BadRequest("InvalidLocationConstraint", "The specified location-constraint is not valid")
		}
	}
	return nil
}
