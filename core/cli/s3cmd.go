package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/world"
)

// This file ports the AWS CLI's high-level S3 commands
// (awscli/customizations/s3/subcommands.py, results.py, utils.py): ls, cp,
// rm, mb and rb over the world's s3api. Transfers are whole objects; the
// progress lines the CLI draws on a terminal are not printed (as with
// --no-progress). Local files go through the session's FS, which has no
// directories: a local directory is named by ".", "./" or a trailing "/",
// and recursive uploads need a listing the FS cannot give.

// S3URL is an S3 URI of the high-level commands split as find_bucket_key
// does: s3://bucket/key. A path without the scheme is not an S3 URI.
type S3URL struct {
	Bucket, Key string
}

// ParseS3URL splits an S3 URI. ok is false for a path that does not start
// with s3:// (a local path, or - for a stream).
func ParseS3URL(p string) (u S3URL, ok bool) {
	if !strings.HasPrefix(p, "s3://") {
		return S3URL{}, false
	}
	b, k, _ := strings.Cut(p[len("s3://"):], "/")
	return S3URL{Bucket: b, Key: k}, true
}

// String writes the URI back.
func (u S3URL) String() string { return "s3://" + u.Bucket + "/" + u.Key }

// s3Usages are the commands' USAGE strings.
var s3Usages = map[string]string{
	"ls": "<S3Uri> or NONE",
	"cp": "<LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>",
	"rm": "<S3Uri>",
	"mb": "<S3Uri>",
	"rb": "<S3Uri>",
}

// s3Opts are the options each command takes here: true when it takes a
// value.
var s3Opts = map[string]map[string]bool{
	"ls": {"recursive": false, "human-readable": false, "summarize": false, "page-size": true},
	"cp": {"recursive": false, "quiet": false, "dryrun": false, "only-show-errors": false, "no-progress": false,
		"content-type": true},
	"rm": {"recursive": false, "quiet": false, "dryrun": false, "only-show-errors": false, "page-size": true},
	"mb": {},
	"rb": {"force": false},
}

type s3Args struct {
	paths []string
	flags map[string]bool
	vals  map[string]string
}

// s3Cmd runs `aws s3 ...`.
func (s *Session) s3Cmd(g awsGlobals, args []string) int {
	if len(args) == 0 {
		return s.awsUsageError("the following arguments are required: operation")
	}
	if args[0] == "help" {
		fmt.Fprintln(s.Env.Stdout, "aws s3 commands simulated by telltale: ls, cp, rm, mb, rb")
		return ExitOK
	}
	cmd := args[0]
	opts, ok := s3Opts[cmd]
	if !ok {
		return s.awsUsageError(fmt.Sprintf("argument operation: Found invalid choice '%s'", cmd))
	}
	if g.region != "" && g.region != s.World.Region() {
		fmt.Fprintf(s.Env.Stderr, "\ntelltale: this world simulates the region %s only; --region %s is not available (start a world in another region with telltale --region %s)\n", s.World.Region(), g.region, g.region)
		return ExitUsage
	}
	a := s3Args{flags: map[string]bool{}, vals: map[string]string{}}
	var unknown []string
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		x := rest[i]
		if !strings.HasPrefix(x, "--") || x == "-" {
			a.paths = append(a.paths, x)
			continue
		}
		name, val, has := strings.Cut(x[2:], "=")
		takes, known := opts[name]
		switch {
		case !known:
			unknown = append(unknown, x)
		case takes && has:
			a.vals[name] = val
		case takes:
			if i+1 >= len(rest) {
				return s.awsUsageError(fmt.Sprintf("argument --%s: expected one argument", name))
			}
			i++
			a.vals[name] = rest[i]
		case has:
			return s.awsUsageError(fmt.Sprintf("argument --%s: ignored explicit argument '%s'", name, val))
		default:
			a.flags[name] = true
		}
	}
	want := map[string][2]int{"ls": {0, 1}, "cp": {2, 2}, "rm": {1, 1}, "mb": {1, 1}, "rb": {1, 1}}[cmd]
	if len(a.paths) < want[0] {
		return s.awsUsageError("the following arguments are required: paths")
	}
	if len(a.paths) > want[1] {
		unknown = append(a.paths[want[1]:], unknown...)
	}
	if len(unknown) > 0 {
		return s.awsError(&unknownErr{msg: "Unknown options: " + strings.Join(unknown, ", ")})
	}
	if v, ok := a.vals["page-size"]; ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 {
			return s.awsUsageError(fmt.Sprintf("argument --page-size: invalid int value: '%s'", v))
		}
	}
	ua := world.UserAgent + " md/command#s3." + cmd
	c := &s3Client{s: s, profile: g.profile, ua: ua}
	switch cmd {
	case "ls":
		return s.s3Ls(c, a)
	case "cp":
		return s.s3Cp(c, a)
	case "rm":
		return s.s3Rm(c, a)
	case "mb":
		return s.s3Mb(c, a)
	default:
		return s.s3Rb(c, a)
	}
}

// s3Client makes the API calls of a high-level command.
type s3Client struct {
	s       *Session
	profile string
	ua      string
}

// call invokes an s3api operation with a request of API member names and
// decodes the response into out (nil to drop it).
func (c *s3Client) call(op string, req map[string]any, out any) error {
	if b, ok := req["Bucket"].(string); ok {
		if err := checkBucketName(b); err != nil {
			return err
		}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	resp, err := c.s.World.Invoke(world.Request{Service: "s3api", Operation: op, Input: body, UserAgent: c.ua, Profile: c.profile})
	if err != nil {
		return &s3OpErr{op: op, err: err}
	}
	if out == nil || resp == nil {
		return nil
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, out)
}

// s3OpErr is a failed call, printed as botocore's ClientError.
type s3OpErr struct {
	op  string
	err error
}

func (e *s3OpErr) Error() string {
	var ae *awserr.Error
	if errors.As(e.err, &ae) {
		return fmt.Sprintf("An error occurred (%s) when calling the %s operation: %s", ae.Code, e.op, ae.Message)
	}
	return e.err.Error()
}

func (e *s3OpErr) Unwrap() error { return e.err }

// fail prints an error that ends a command: a service error as the CLI v2
// prints a ClientError (exit 254), anything else as awsError does.
func (s *Session) s3Fail(err error) int {
	var oe *s3OpErr
	if errors.As(err, &oe) {
		var ae *awserr.Error
		if errors.As(oe.err, &ae) {
			fmt.Fprintf(s.Env.Stderr, "\n%s\n", oe.Error())
			return ExitService
		}
		return s.awsError(oe.err)
	}
	return s.awsError(err)
}

type s3Object struct {
	Key          string
	LastModified time.Time
	Size         int64
}

type s3ListPage struct {
	Contents              []s3Object
	CommonPrefixes        []struct{ Prefix string }
	NextContinuationToken string
	IsTruncated           bool
}

// list pages through ListObjectsV2, calling fn with each page.
func (c *s3Client) list(bucket, prefix, delim string, pageSize string, fn func(p *s3ListPage) error) error {
	req := map[string]any{"Bucket": bucket, "Prefix": prefix}
	if delim != "" {
		req["Delimiter"] = delim
	}
	if pageSize != "" {
		n, _ := strconv.Atoi(pageSize)
		req["MaxKeys"] = n
	}
	for {
		var p s3ListPage
		if err := c.call("ListObjectsV2", req, &p); err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
		if !p.IsTruncated || p.NextContinuationToken == "" {
			return nil
		}
		req["ContinuationToken"] = p.NextContinuationToken
	}
}

// s3Time is _make_last_mod_str, in the world's time zone (UTC).
func s3Time(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") }

// humanReadableSize is awscli's human_readable_size.
func humanReadableSize(n int64) string {
	const base = 1024.0
	f := float64(n)
	switch {
	case n == 1:
		return "1 Byte"
	case f < base:
		return fmt.Sprintf("%d Bytes", n)
	}
	for i, suffix := range []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"} {
		unit := math.Pow(base, float64(i+2))
		if math.RoundToEven(f/unit*base) < base {
			return fmt.Sprintf("%.1f %s", base*f/unit, suffix)
		}
	}
	return fmt.Sprintf("%.1f EiB", f/math.Pow(base, 6))
}

func (s *Session) s3Ls(c *s3Client, a s3Args) int {
	p := "s3://"
	if len(a.paths) > 0 {
		p = a.paths[0]
	}
	p = strings.TrimPrefix(p, "s3://")
	bucket, key, _ := strings.Cut(p, "/")
	human := a.flags["human-readable"]
	size := func(n int64) string {
		if human {
			return fmt.Sprintf("%10s", humanReadableSize(n))
		}
		return fmt.Sprintf("%10d", n)
	}
	var out strings.Builder
	defer func() { io.WriteString(s.Env.Stdout, out.String()) }()
	if bucket == "" {
		var resp struct {
			Buckets []struct {
				Name         string
				CreationDate time.Time
			}
		}
		if err := c.call("ListBuckets", map[string]any{}, &resp); err != nil {
			return s.s3Fail(err)
		}
		for _, b := range resp.Buckets {
			fmt.Fprintf(&out, "%s %s\n", s3Time(b.CreationDate), b.Name)
		}
		return ExitOK
	}
	recursive := a.flags["recursive"]
	delim := "/"
	if recursive {
		delim = ""
	}
	empty, first := false, true
	var total, count int64
	err := c.list(bucket, key, delim, a.vals["page-size"], func(pg *s3ListPage) error {
		if len(pg.Contents) == 0 && len(pg.CommonPrefixes) == 0 {
			empty = true
			return nil
		}
		for _, cp := range pg.CommonPrefixes {
			parts := strings.Split(cp.Prefix, "/")
			name := ""
			if len(parts) >= 2 {
				name = parts[len(parts)-2]
			}
			fmt.Fprintf(&out, "%30s %s/\n", "PRE", name)
		}
		for _, o := range pg.Contents {
			total += o.Size
			count++
			name := o.Key
			if !recursive {
				name = name[strings.LastIndex(name, "/")+1:]
			}
			fmt.Fprintf(&out, "%-19s %s %s\n", s3Time(o.LastModified), size(o.Size), name)
		}
		first = false
		return nil
	})
	if err != nil {
		io.WriteString(s.Env.Stdout, out.String())
		out.Reset()
		return s.s3Fail(err)
	}
	if a.flags["summarize"] {
		ts := strconv.FormatInt(total, 10)
		if human {
			ts = humanReadableSize(total)
		}
		fmt.Fprintf(&out, "\nTotal Objects: %d\n   Total Size: %s\n", count, ts)
	}
	if key != "" && empty && first {
		return 1
	}
	return ExitOK
}

// s3Printer prints the results of transfers as the CLI's result printer.
type s3Printer struct {
	s      *Session
	quiet  bool // --quiet: nothing
	errors bool // --only-show-errors or a stream: failures only
	dryrun bool
	failed bool
}

func (p *s3Printer) ok(kind, loc string) {
	if p.quiet || p.errors {
		return
	}
	if p.dryrun {
		fmt.Fprintf(p.s.Env.Stdout, "(dryrun) %s: %s\n", kind, loc)
		return
	}
	fmt.Fprintf(p.s.Env.Stdout, "%s: %s\n", kind, loc)
}

func (p *s3Printer) fail(kind, loc string, err error) {
	p.failed = true
	if p.quiet {
		return
	}
	fmt.Fprintf(p.s.Env.Stderr, "%s failed: %s %s\n", kind, loc, err)
}

// fatal prints a fatal error (exit 1).
func (p *s3Printer) fatal(err error) int {
	if !p.quiet {
		fmt.Fprintf(p.s.Env.Stderr, "fatal error: %s\n", err)
	}
	return 1
}

func (p *s3Printer) code() int {
	if p.failed {
		return 1
	}
	return ExitOK
}

// relativePath is awscli's relative_path for a path given relative to the
// current directory: "f.txt" shows as "./f.txt".
func relativePath(p string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	dir, base := path.Split(p)
	dir = path.Clean("./" + dir)
	if dir == "." {
		return "./" + base
	}
	return dir + "/" + base
}

// isLocalDir reports whether a local destination names a directory.
func isLocalDir(p string) bool {
	return p == "." || p == ".." || strings.HasSuffix(p, "/")
}

// dirKey is a key as a folder: with a trailing slash, unless it is empty.
func dirKey(key string) string {
	if key != "" && !strings.HasSuffix(key, "/") {
		return key + "/"
	}
	return key
}

// keys lists the keys under prefix, every page (of pageSize keys, when it
// is not "").
func (c *s3Client) keys(bucket, prefix, pageSize string) ([]string, error) {
	var keys []string
	err := c.list(bucket, prefix, "", pageSize, func(pg *s3ListPage) error {
		for _, o := range pg.Contents {
			keys = append(keys, o.Key)
		}
		return nil
	})
	return keys, err
}

func joinLocal(dir, name string) string {
	if strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}

// contentTypes are the types Python's mimetypes guesses for common
// extensions (guess_content_type); others are left to S3's default.
var contentTypes = map[string]string{
	".txt": "text/plain", ".html": "text/html", ".htm": "text/html", ".css": "text/css",
	".js": "text/javascript", ".json": "application/json", ".csv": "text/csv", ".xml": "text/xml",
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".svg": "image/svg+xml", ".pdf": "application/pdf", ".zip": "application/zip",
	".py": "text/x-python", ".sh": "application/x-sh", ".yaml": "application/yaml", ".md": "text/markdown",
}

func (s *Session) s3Cp(c *s3Client, a s3Args) int {
	src, dst := a.paths[0], a.paths[1]
	su, srcS3 := ParseS3URL(src)
	du, dstS3 := ParseS3URL(dst)
	if !srcS3 && !dstS3 {
		return s.awsError(&generalErr{fmt.Sprintf("usage: aws s3 cp %s\nError: Invalid argument type", s3Usages["cp"])})
	}
	recursive := a.flags["recursive"]
	stream := src == "-" || dst == "-"
	if stream && recursive {
		return s.awsError(&generalErr{"Streaming currently is only compatible with non-recursive cp commands"})
	}
	p := &s3Printer{s: s, quiet: a.flags["quiet"], errors: a.flags["only-show-errors"] || stream, dryrun: a.flags["dryrun"]}
	for _, u := range []struct {
		url S3URL
		ok  bool
	}{{su, srcS3}, {du, dstS3}} {
		if u.ok {
			if err := checkBucketName(u.url.Bucket); err != nil {
				return s.awsError(err)
			}
		}
	}
	fs := s.Env.fs()
	if !srcS3 && !stream {
		if ok, err := fs.Exists(src); err != nil || !ok {
			if isNoFS(fs) {
				return s.awsError(&generalErr{fmt.Sprintf("telltale: there are no local files here, so %s cannot be uploaded: use - to read standard input", pyStringRepr(src))})
			}
			return s.awsError(&generalErr{fmt.Sprintf("The user-provided path %s does not exist.", src)})
		}
		if recursive {
			return s.awsError(&generalErr{"telltale: aws s3 cp --recursive from local files is not simulated (the file system here cannot list directories); copy the files one by one"})
		}
	}
	contentType := a.vals["content-type"]
	switch {
	case !srcS3: // upload
		key := du.Key
		if src != "-" && (key == "" || strings.HasSuffix(key, "/")) {
			key += path.Base(src)
		}
		dest := S3URL{du.Bucket, key}
		loc := relativePath(src) + " to " + dest.String()
		if src == "-" {
			loc = "- to " + dest.String()
		}
		if p.dryrun {
			p.ok("upload", loc)
			return ExitOK
		}
		var body []byte
		var err error
		if src == "-" {
			body, err = io.ReadAll(s.Env.stdin())
		} else {
			body, err = fs.ReadFile(src)
		}
		if err != nil {
			p.fail("upload", loc, err)
			return p.code()
		}
		req := map[string]any{"Bucket": du.Bucket, "Key": key, "Body": body}
		ct := contentType
		if ct == "" && src != "-" {
			ct = contentTypes[strings.ToLower(path.Ext(src))]
		}
		if ct != "" {
			req["ContentType"] = ct
		}
		if err := c.call("PutObject", req, nil); err != nil {
			p.fail("upload", loc, err)
			return p.code()
		}
		p.ok("upload", loc)
		return p.code()
	case !recursive:
		if err := c.call("HeadObject", map[string]any{"Bucket": su.Bucket, "Key": su.Key}, nil); err != nil {
			var ae *awserr.Error
			if errors.As(err, &ae) && (ae.Code == "404" || ae.Code == "403") {
				if ae.Code == "404" {
					// filegenerator.py: a more specific message for a missing key.
					return p.fatal(fmt.Errorf("An error occurred (404) when calling the HeadObject operation: Key \"%s\" does not exist", su.Key))
				}
			}
			return p.fatal(err)
		}
		return s.s3Transfer(c, p, su, dst, du, dstS3, contentType, false)
	}
	// Recursive from S3: every key under the prefix, as a directory.
	prefix := dirKey(su.Key)
	keys, err := c.keys(su.Bucket, prefix, "")
	if err != nil {
		return p.fatal(err)
	}
	for _, k := range keys {
		rel := k[len(prefix):]
		if dstS3 {
			s.s3Transfer(c, p, S3URL{su.Bucket, k}, "", S3URL{du.Bucket, dirKey(du.Key) + rel}, true, contentType, true)
		} else {
			s.s3Transfer(c, p, S3URL{su.Bucket, k}, joinLocal(dst, rel), S3URL{}, false, contentType, true)
		}
	}
	return p.code()
}

// s3Transfer copies one object to a local file, a stream or another key.
// exact says the destination is already resolved (a recursive copy).
func (s *Session) s3Transfer(c *s3Client, p *s3Printer, src S3URL, dst string, du S3URL, dstS3 bool, contentType string, exact bool) int {
	base := path.Base("/" + src.Key)
	if dstS3 {
		key := du.Key
		if !exact && (key == "" || strings.HasSuffix(key, "/")) {
			key += base
		}
		dest := S3URL{du.Bucket, key}
		loc := src.String() + " to " + dest.String()
		if p.dryrun {
			p.ok("copy", loc)
			return p.code()
		}
		req := map[string]any{"Bucket": du.Bucket, "Key": key, "CopySource": src.Bucket + "/" + src.Key}
		if contentType != "" {
			req["ContentType"], req["MetadataDirective"] = contentType, "REPLACE"
		}
		if err := c.call("CopyObject", req, nil); err != nil {
			p.fail("copy", loc, err)
			return p.code()
		}
		p.ok("copy", loc)
		return p.code()
	}
	if dst != "-" && !exact && isLocalDir(dst) {
		dst = joinLocal(dst, base)
	}
	loc := src.String() + " to " + relativePath(dst)
	if dst == "-" {
		loc = src.String() + " to -"
	}
	if p.dryrun {
		p.ok("download", loc)
		return p.code()
	}
	var obj struct{ Body []byte }
	if err := c.call("GetObject", map[string]any{"Bucket": src.Bucket, "Key": src.Key}, &obj); err != nil {
		p.fail("download", loc, err)
		return p.code()
	}
	if dst == "-" {
		s.Env.Stdout.Write(obj.Body)
		return p.code()
	}
	fs := s.Env.fs()
	if isNoFS(fs) {
		p.fail("download", loc, errors.New("telltale: there are no local files here: use - to write the object to standard output"))
		return p.code()
	}
	if err := fs.WriteFileAtomic(path.Clean(dst), obj.Body); err != nil {
		p.fail("download", loc, err)
		return p.code()
	}
	p.ok("download", loc)
	return p.code()
}

func (s *Session) s3Rm(c *s3Client, a s3Args) int {
	u, ok := ParseS3URL(a.paths[0])
	if !ok {
		return s.awsError(&generalErr{fmt.Sprintf("usage: aws s3 rm %s\nError: Invalid argument type", s3Usages["rm"])})
	}
	if err := checkBucketName(u.Bucket); err != nil {
		return s.awsError(err)
	}
	p := &s3Printer{s: s, quiet: a.flags["quiet"], errors: a.flags["only-show-errors"], dryrun: a.flags["dryrun"]}
	keys := []string{u.Key}
	if a.flags["recursive"] {
		var err error
		if keys, err = c.keys(u.Bucket, dirKey(u.Key), a.vals["page-size"]); err != nil {
			return p.fatal(err)
		}
	}
	for _, k := range keys {
		loc := S3URL{u.Bucket, k}.String()
		if p.dryrun {
			p.ok("delete", loc)
			continue
		}
		if err := c.call("DeleteObject", map[string]any{"Bucket": u.Bucket, "Key": k}, nil); err != nil {
			p.fail("delete", loc, err)
			continue
		}
		p.ok("delete", loc)
	}
	return p.code()
}

func (s *Session) s3Mb(c *s3Client, a s3Args) int {
	u, ok := ParseS3URL(a.paths[0])
	if !ok {
		return s.awsError(&generalErr{fmt.Sprintf("%s\nError: Invalid argument type", s3Usages["mb"])})
	}
	req := map[string]any{"Bucket": u.Bucket}
	if r := s.World.Region(); r != "us-east-1" {
		req["CreateBucketConfiguration"] = map[string]any{"LocationConstraint": r}
	}
	return s.s3BucketDone("make_bucket", a.paths[0], u.Bucket, c.call("CreateBucket", req, nil))
}

// s3BucketDone reports mb's or rb's outcome as the CLI does: "verb: bucket",
// or "verb failed: path error" with exit code 1; a parameter error is
// reported as any command's.
func (s *Session) s3BucketDone(verb, path, bucket string, err error) int {
	if err != nil {
		var pe *paramErr
		if errors.As(err, &pe) {
			return s.awsError(err)
		}
		fmt.Fprintf(s.Env.Stderr, "%s failed: %s %s\n", verb, path, err)
		return 1
	}
	fmt.Fprintf(s.Env.Stdout, "%s: %s\n", verb, bucket)
	return ExitOK
}

func (s *Session) s3Rb(c *s3Client, a s3Args) int {
	u, ok := ParseS3URL(a.paths[0])
	if !ok {
		return s.awsError(&generalErr{fmt.Sprintf("%s\nError: Invalid argument type", s3Usages["rb"])})
	}
	if u.Key != "" {
		return s.awsError(&generalErr{fmt.Sprintf("Please specify a valid bucket name only. E.g. s3://%s", u.Bucket)})
	}
	if a.flags["force"] {
		if code := s.s3Rm(c, s3Args{paths: []string{a.paths[0]}, flags: map[string]bool{"recursive": true}}); code != ExitOK {
			return s.awsError(&generalErr{"remove_bucket failed: Unable to delete all objects in the bucket, bucket will not be deleted."})
		}
	}
	return s.s3BucketDone("remove_bucket", a.paths[0], u.Bucket, c.call("DeleteBucket", map[string]any{"Bucket": u.Bucket}, nil))
}
