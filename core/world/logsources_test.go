package world_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/logsim"
	"github.com/telltale-dev/telltale/core/world"
)

// call invokes one operation with a request given as a Go value and returns
// the response as decoded JSON.
func call(t *testing.T, w *world.World, svc, op string, in any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(in)
	resp, err := w.Invoke(world.Request{Service: svc, Operation: op, Input: b})
	if err != nil {
		t.Fatalf("%s %s: %v", svc, op, err)
	}
	out := map[string]any{}
	if resp != nil {
		raw, _ := json.Marshal(resp)
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// object returns the body of an S3 object of the world.
func object(t *testing.T, w *world.World, bucket, key string) []byte {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"Bucket": bucket, "Key": key})
	resp, err := w.Invoke(world.Request{Service: "s3api", Operation: "GetObject", Input: b})
	if err != nil {
		t.Fatalf("GetObject %s/%s: %v", bucket, key, err)
	}
	raw, _ := json.Marshal(resp)
	var o struct{ Body []byte }
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	return o.Body
}

func keys(t *testing.T, w *world.World, bucket string) []string {
	t.Helper()
	out := call(t, w, "s3api", "ListObjectsV2", map[string]any{"Bucket": bucket})
	var ks []string
	cs, _ := out["Contents"].([]any)
	for _, c := range cs {
		ks = append(ks, c.(map[string]any)["Key"].(string))
	}
	return ks
}

func exportStatus(t *testing.T, w *world.World) string {
	t.Helper()
	out := call(t, w, "logs", "DescribeExportTasks", map[string]any{})
	tasks := out["exportTasks"].([]any)
	return tasks[0].(map[string]any)["status"].(map[string]any)["code"].(string)
}

// TestLogsExportToS3: an export task completes after its delay on the
// virtual clock and writes AWS's layout, whose objects decode to the
// exported lines; a world restored while the task runs completes it too.
func TestLogsExportToS3(t *testing.T) {
	w := newWorld(t)
	ms := start.UnixMilli()
	call(t, w, "logs", "CreateLogGroup", map[string]any{"logGroupName": "/app/web"})
	for _, s := range []string{"web-1", "web-2", "batch"} {
		call(t, w, "logs", "CreateLogStream", map[string]any{"logGroupName": "/app/web", "logStreamName": s})
	}
	put := func(stream string, ts int64, msg string) {
		call(t, w, "logs", "PutLogEvents", map[string]any{"logGroupName": "/app/web", "logStreamName": stream,
			"logEvents": []map[string]any{{"timestamp": ts, "message": msg}}})
	}
	put("web-1", ms-3_600_000, "too early")
	put("web-1", ms-60_000, "GET / 200")
	put("web-1", ms-30_000, `{"level":"ERROR"}`)
	put("web-2", ms-1_000, "GET /x 404")
	put("batch", ms-1_000, "not a web stream")
	call(t, w, "s3api", "CreateBucket", map[string]any{"Bucket": "exports-bucket"})
	task := call(t, w, "logs", "CreateExportTask", map[string]any{"logGroupName": "/app/web", "logStreamNamePrefix": "web",
		"from": ms - 120_000, "to": ms, "destination": "exports-bucket", "destinationPrefix": "x"})["taskId"].(string)
	if got := keys(t, w, "exports-bucket"); len(got) != 1 || got[0] != "x/aws-logs-write-test" {
		t.Fatalf("objects at creation = %q", got)
	}
	snap, err := w.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := exportStatus(t, w); got != "RUNNING" {
		t.Fatalf("status after 1m = %s", got)
	}
	check := func(w *world.World) {
		t.Helper()
		notices, err := w.Advance(2 * time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(notices) != 1 || !strings.Contains(notices[0].Text, "export task "+task) {
			t.Fatalf("notices = %+v", notices)
		}
		if got := exportStatus(t, w); got != "COMPLETED" {
			t.Fatalf("status = %s", got)
		}
		want := []string{"x/" + task + "/web-1/000000.gz", "x/" + task + "/web-2/000000.gz", "x/aws-logs-write-test"}
		if got := keys(t, w, "exports-bucket"); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("objects = %q, want %q", got, want)
		}
		iso := func(ts int64) string { return time.UnixMilli(ts).UTC().Format("2006-01-02T15:04:05.000Z") }
		if got, want := gunzip(t, object(t, w, "exports-bucket", want[0])), iso(ms-60_000)+" GET / 200\n"+iso(ms-30_000)+` {"level":"ERROR"}`+"\n"; got != want {
			t.Errorf("web-1 = %q, want %q", got, want)
		}
		if got, want := gunzip(t, object(t, w, "exports-bucket", want[1])), iso(ms-1_000)+" GET /x 404\n"; got != want {
			t.Errorf("web-2 = %q, want %q", got, want)
		}
		if got := string(object(t, w, "exports-bucket", "x/aws-logs-write-test")); got != "Permission Check Successful" {
			t.Errorf("write test = %q", got)
		}
	}
	check(w)
	r, err := world.Restore(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	check(r)
}

func messages(t *testing.T, w *world.World, group, pattern string) []string {
	t.Helper()
	var out []string
	req := map[string]any{"logGroupName": group, "filterPattern": pattern}
	for {
		resp := call(t, w, "logs", "FilterLogEvents", req)
		for _, e := range resp["events"].([]any) {
			out = append(out, e.(map[string]any)["message"].(string))
		}
		next, _ := resp["nextToken"].(string)
		if next == "" {
			return out
		}
		req["nextToken"] = next
	}
}

// TestSimWebServer: the web server's lines arrive as the clock moves, the
// same seed gives the same lines, and a restored world goes on with them.
func TestSimWebServer(t *testing.T) {
	run := func(restoreAt time.Duration) []string {
		w := newWorld(t)
		if _, err := w.Sim().StartWebServer(logsim.WebServer{Name: "web-1", AccessLogGroup: "/web/access",
			AppLogGroup: "/web/app", Rate: 40, ErrorRate: 0.1}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Advance(restoreAt); err != nil {
			t.Fatal(err)
		}
		if restoreAt > 0 {
			snap, err := w.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			r, err := world.Restore(snap)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			w = r
		}
		if _, err := w.Advance(10*time.Minute - restoreAt); err != nil {
			t.Fatal(err)
		}
		return append(messages(t, w, "/web/access", ""), messages(t, w, "/web/app", "")...)
	}
	a := run(0)
	if len(a) < 2*360 || len(a) > 2*440 {
		t.Fatalf("%d lines in 10 minutes at 40 requests a minute", len(a))
	}
	if b := run(0); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatal("the same seed gave different lines")
	}
	if b := run(3*time.Minute + 30*time.Second); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatal("a restored world wrote other lines")
	}
	w := newWorld(t)
	w.Sim().StartWebServer(logsim.WebServer{Name: "web-1", AccessLogGroup: "/web/access", AppLogGroup: "/web/app", Rate: 40, ErrorRate: 0.1})
	if got := call(t, w, "logs", "DescribeLogGroups", map[string]any{})["logGroups"].([]any); len(got) != 0 {
		t.Fatalf("log groups before the clock moved: %v", got)
	}
	w.Advance(5 * time.Minute)
	fives := messages(t, w, "/web/access", "[ip, id, user, timestamp, request, status_code=5*, size]")
	errs := messages(t, w, "/web/app", `{ $.level = "ERROR" }`)
	if len(fives) == 0 || len(fives) != len(errs) {
		t.Fatalf("%d 5xx access lines, %d ERROR application lines", len(fives), len(errs))
	}
}

// TestAgentShipsLogs: an instance whose user data configures the CloudWatch
// agent ships its files to the configured groups and streams once running.
func TestAgentShipsLogs(t *testing.T) {
	w := newWorld(t)
	script := `#!/bin/bash
yum install -y amazon-cloudwatch-agent
cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<'EOF'
{"logs": {"logs_collected": {"files": {"collect_list": [
 {"file_path": "/var/log/messages", "log_group_name": "/ec2/messages", "log_stream_name": "{instance_id}"},
 {"file_path": "/var/log/httpd/access_log", "log_group_name": "/ec2/access", "log_stream_name": "{local_hostname}"}]}}}}
EOF`
	out := call(t, w, "ec2", "RunInstances", map[string]any{"ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro",
		"MinCount": 1, "MaxCount": 1, "UserData": base64.StdEncoding.EncodeToString([]byte(script))})
	inst := out["Instances"].([]any)[0].(map[string]any)
	id, ip := inst["InstanceId"].(string), inst["PrivateIpAddress"].(string)
	w.Advance(10 * time.Minute)
	streams := call(t, w, "logs", "DescribeLogStreams", map[string]any{"logGroupName": "/ec2/messages"})["logStreams"].([]any)
	if len(streams) != 1 || streams[0].(map[string]any)["logStreamName"] != id {
		t.Fatalf("streams of /ec2/messages: %v", streams)
	}
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	msgs := messages(t, w, "/ec2/messages", `"`+host+`"`)
	if len(msgs) < 5 {
		t.Fatalf("%d syslog lines in about 9 running minutes", len(msgs))
	}
	access := call(t, w, "logs", "DescribeLogStreams", map[string]any{"logGroupName": "/ec2/access"})["logStreams"].([]any)
	if len(access) != 1 || access[0].(map[string]any)["logStreamName"] != host {
		t.Fatalf("streams of /ec2/access: %v", access)
	}
	if n := len(messages(t, w, "/ec2/access", "[ip, id, user, timestamp, request, status_code, size]")); n < 20 {
		t.Fatalf("%d access lines", n)
	}
	// A stopped instance ships nothing more.
	call(t, w, "ec2", "StopInstances", map[string]any{"InstanceIds": []string{id}})
	w.Advance(2 * time.Minute)
	before := len(messages(t, w, "/ec2/messages", ""))
	w.Advance(10 * time.Minute)
	if after := len(messages(t, w, "/ec2/messages", "")); after != before {
		t.Fatalf("a stopped instance shipped %d more lines", after-before)
	}
}
