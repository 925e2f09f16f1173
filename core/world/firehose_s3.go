package world

import "fmt"

// firehoseObjects writes the objects Firehose delivers into the world's S3.
type firehoseObjects struct{ w *World }

// PutFirehoseObject implements firehose.Objects.
func (o firehoseObjects) PutFirehoseObject(bucket, key string, body []byte) error {
	if o.w.s3 == nil {
		return fmt.Errorf("no S3 in the world")
	}
	if !o.w.s3.BucketExists(bucket) {
		// Firehose reports this in its error logs and retries; the
		// records stay readable with `telltale firehose records`.
		return fmt.Errorf("the bucket %s does not exist", bucket)
	}
	return o.w.s3.PutObjectInternal(bucket, key, body, "application/octet-stream")
}
