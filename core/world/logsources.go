package world

// logBuckets is the S3 of CloudWatch Logs export tasks: the world's S3.
type logBuckets struct{ w *World }

// BucketExists implements logs.Buckets.
func (b logBuckets) BucketExists(name string) bool {
	return b.w.s3 != nil && b.w.s3.BucketExists(name)
}

// PutObjectInternal implements logs.Buckets.
func (b logBuckets) PutObjectInternal(bucket, key string, body []byte, contentType string) error {
	return b.w.s3.PutObjectInternal(bucket, key, body, contentType)
}
