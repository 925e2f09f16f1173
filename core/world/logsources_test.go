package world_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

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
