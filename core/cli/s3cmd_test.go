package cli

import (
	"strings"
	"testing"
)

func TestParseS3URL(t *testing.T) {
	for _, c := range []struct {
		in   string
		want S3URL
		ok   bool
	}{
		{"s3://b/k/x.txt", S3URL{"b", "k/x.txt"}, true},
		{"s3://b", S3URL{"b", ""}, true},
		{"s3://b/", S3URL{"b", ""}, true},
		{"s3://", S3URL{"", ""}, true},
		{"s3://b//k", S3URL{"b", "/k"}, true},
		{"b/k", S3URL{}, false},
		{"-", S3URL{}, false},
		{"S3://b/k", S3URL{}, false},
	} {
		got, ok := ParseS3URL(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseS3URL(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestRelativePath(t *testing.T) {
	for in, want := range map[string]string{"f.txt": "./f.txt", "./f.txt": "./f.txt", "d/f.txt": "d/f.txt",
		"d/../f.txt": "./f.txt", "../f.txt": "../f.txt", "/tmp/f.txt": "/tmp/f.txt", "local/a/b": "local/a/b"} {
		if got := relativePath(in); got != want {
			t.Errorf("relativePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHumanReadableSize(t *testing.T) {
	// awscli's doctests and a few more.
	for n, want := range map[int64]string{0: "0 Bytes", 1: "1 Byte", 10: "10 Bytes", 1023: "1023 Bytes", 1024: "1.0 KiB",
		1536: "1.5 KiB", 1024 * 1024: "1.0 MiB", 1048575: "1.0 MiB", 5 * 1024 * 1024 * 1024: "5.0 GiB"} {
		if got := humanReadableSize(n); got != want {
			t.Errorf("humanReadableSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzParseS3URL: any path splits into a bucket and a key that give the
// path back, never a panic.
func FuzzParseS3URL(f *testing.F) {
	for _, s := range []string{"s3://b/k", "s3://", "s3://b", "s3:///k", "local.txt", "-", "s3://b/a/b/c/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, ok := ParseS3URL(s)
		if ok != strings.HasPrefix(s, "s3://") {
			t.Fatalf("ParseS3URL(%q) ok = %v", s, ok)
		}
		if !ok {
			return
		}
		if strings.Contains(u.Bucket, "/") {
			t.Fatalf("bucket %q has a slash", u.Bucket)
		}
		back := "s3://" + u.Bucket
		if u.Key != "" || strings.Count(s, "/") > 2 {
			back += "/" + u.Key
		}
		if back != s {
			t.Fatalf("ParseS3URL(%q) = %+v, which writes back as %q", s, u, back)
		}
	})
}
