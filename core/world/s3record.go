package world

import (
	"github.com/telltale-dev/telltale/core/api"
)

// s3RequestParameters is what CloudTrail records as the requestParameters
// of an S3 call: the bucket, the host the request went to and the key, with
// the query parameters of a listing, never an object's body. (S3 records no
// responseElements here.)
func s3RequestParameters(c *api.Call, in map[string]any) api.Ordered {
	bucket, _ := in["Bucket"].(string)
	out := api.Ordered{{Key: "bucketName", Value: bucket}}
	host := "s3.amazonaws.com"
	if bucket != "" {
		host = bucket + ".s3.amazonaws.com"
	}
	if c.Region != "us-east-1" {
		host = bucket + ".s3." + c.Region + ".amazonaws.com"
	}
	out = append(out, api.KV{Key: "Host", Value: host})
	if k, ok := in["Key"].(string); ok {
		out = append(out, api.KV{Key: "key", Value: k})
	}
	if c.Operation == "ListObjectsV2" {
		out = append(out, api.KV{Key: "list-type", Value: "2"})
		for _, p := range []struct{ member, query string }{{"Prefix", "prefix"}, {"Delimiter", "delimiter"},
			{"MaxKeys", "max-keys"}, {"StartAfter", "start-after"}, {"ContinuationToken", "continuation-token"},
			{"EncodingType", "encoding-type"}} {
			if v, ok := in[p.member]; ok {
				out = append(out, api.KV{Key: p.query, Value: v})
			}
		}
	}
	if v, ok := in["CopySource"]; ok {
		out = append(out, api.KV{Key: "x-amz-copy-source", Value: v})
	}
	if v, ok := in["CreateBucketConfiguration"]; ok {
		out = append(out, api.KV{Key: "CreateBucketConfiguration", Value: v})
	}
	return out
}
