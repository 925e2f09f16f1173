package logs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/store"
)

// Export tasks (spec §6.5). A task is PENDING when created, RUNNING from
// ExportStartDelay on, and completes ExportDelay after its creation: then
// the events of the group's streams (those with the task's stream prefix)
// whose timestamps lie in [from, to] are written to the bucket, one object a
// stream, as AWS lays them out:
//
//	<destinationPrefix>/aws-logs-write-test                  (at creation)
//	<destinationPrefix>/<taskId>/<logStreamName>/000000.gz
//
// each .gz holding the gzip of the lines "<ISO 8601 timestamp> <message>".
// Tasks are kept under logs/export/<creation ms>*<taskId>; the completion
// of active tasks is re-scheduled from the store when the service is built.

// Buckets is the S3 the exports write into. world implements it with the
// world's S3.
type Buckets interface {
	BucketExists(name string) bool
	PutObjectInternal(bucket, key string, body []byte, contentType string) error
}

// Scheduler runs work on the virtual clock (the world's clock).
type Scheduler interface {
	Schedule(at time.Time, name string, job clock.Job) clock.JobID
}

// Export timing on the virtual clock.
const (
	ExportStartDelay = 5 * time.Second
	ExportDelay      = 2 * time.Minute
	// ExportObjectLines is the number of lines of one exported object; a
	// stream with more is split into 000000.gz, 000001.gz, ...
	ExportObjectLines = 100_000
	exportPrefix      = "logs/export/"
	defaultExportDest = "exportedlogs"
	// writeTestBody is what the permission check object holds.
	writeTestBody = "Permission Check Successful"
)

// Export status messages. Unverified wording.
const (
	msgPending   = "Pending"
	msgRunning   = "Started Successfully"
	msgCompleted = "Completed successfully"
	msgCancelled = "Cancelled by user"
)

type exportTask struct {
	TaskID       string
	TaskName     string `json:",omitempty"`
	Group        string
	StreamPrefix string `json:",omitempty"`
	From, To     int64
	Destination  string
	DestPrefix   string
	Code         string
	Message      string
	Created      int64
	Completed    int64 `json:",omitempty"`
}

func (t *exportTask) active() bool { return t.Code == "PENDING" || t.Code == "RUNNING" }

func exportKey(created int64, id string) string {
	return fmt.Sprintf("%s%016d%s%s", exportPrefix, created, sep, id)
}

// refresh moves a pending task to RUNNING once its start is due.
func (t *exportTask) refresh(now time.Time) {
	if t.Code == "PENDING" && !now.Before(time.UnixMilli(t.Created).Add(ExportStartDelay)) {
		t.Code, t.Message = "RUNNING", msgRunning
	}
}

func loadExports(tx *store.Tx) ([]*exportTask, []string, error) {
	var out []*exportTask
	var keys []string
	var ferr error
	store.Prefix(tx, exportPrefix, func(k, v string) bool {
		var t exportTask
		if ferr = jsonUnmarshal(v, &t); ferr != nil {
			return false
		}
		out = append(out, &t)
		keys = append(keys, k)
		return true
	})
	return out, keys, ferr
}

// scheduleExports schedules the completion of the active tasks found in
// the store, in key order (creation order), for a restored world.
func (s *Service) scheduleExports() {
	if s.d.Scheduler == nil {
		return
	}
	var tasks []*exportTask
	s.d.Store.View(func(tx *store.Tx) error {
		tasks, _, _ = loadExports(tx)
		return nil
	})
	for _, t := range tasks {
		if t.active() {
			s.scheduleExport(t)
		}
	}
}

func (s *Service) scheduleExport(t *exportTask) {
	key := exportKey(t.Created, t.TaskID)
	s.d.Scheduler.Schedule(time.UnixMilli(t.Created).Add(ExportDelay), "logs export "+t.TaskID, func(at time.Time) {
		s.runExport(key, at)
	})
}

// exportTaskID makes the UUID-shaped id of a task from what makes it
// unique in the world, so that the same calls give the same ids.
func (s *Service) exportTaskID(created int64, n int, group string) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/export/%d/%d/%s", s.d.Account, s.d.Region, created, n, group)))
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-a" + x[17:20] + "-" + x[20:32]
}

// CreateExportTaskInput is the request of CreateExportTask.
type CreateExportTaskInput struct {
	TaskName            string `json:"taskName"`
	LogGroupName        string `json:"logGroupName"`
	LogStreamNamePrefix string `json:"logStreamNamePrefix"`
	From                int64  `json:"from"`
	To                  int64  `json:"to"`
	Destination         string `json:"destination"`
	DestinationPrefix   string `json:"destinationPrefix"`
}

// CreateExportTaskOutput is the response of CreateExportTask.
type CreateExportTaskOutput struct {
	TaskID string `json:"taskId"`
}

// CreateExportTask starts exporting a group's events to an S3 bucket of the
// world. One task may be active (PENDING or RUNNING) at a time.
func (s *Service) CreateExportTask(c *api.Call, in *CreateExportTaskInput) (*CreateExportTaskOutput, error) {
	if in.From > in.To {
		// Unverified wording.
		return nil, errInvalid("The 'from' time must be earlier than or equal to the 'to' time.")
	}
	dest := in.DestinationPrefix
	if dest == "" {
		dest = defaultExportDest
	}
	// The bucket is looked up outside the transaction: S3 reads the same
	// store, and a transaction cannot nest.
	bucketOK := s.d.Buckets != nil && s.d.Buckets.BucketExists(in.Destination)
	var t *exportTask
	err := s.d.Store.Update(func(tx *store.Tx) error {
		g, err := s.loadGroup(tx, in.LogGroupName)
		if err != nil {
			return err
		}
		if in.To < g.Created {
			// Unverified wording.
			return errInvalid("The 'to' time must not be earlier than the creation time of the log group.")
		}
		if !bucketOK {
			// Unverified wording (as moto words it).
			return errInvalid("The given bucket does not exist. Please make sure the bucket is valid.")
		}
		tasks, _, err := loadExports(tx)
		if err != nil {
			return err
		}
		for _, x := range tasks {
			x.refresh(c.Now)
			if x.active() {
				return awserr.BadRequest("LimitExceededException", "Resource limit exceeded.")
			}
		}
		created := ms(c.Now)
		t = &exportTask{TaskID: s.exportTaskID(created, len(tasks), in.LogGroupName), TaskName: in.TaskName,
			Group: in.LogGroupName, StreamPrefix: in.LogStreamNamePrefix, From: in.From, To: in.To,
			Destination: in.Destination, DestPrefix: dest, Code: "PENDING", Message: msgPending, Created: created}
		return store.SetJSON(tx, exportKey(created, t.TaskID), t)
	})
	if err != nil {
		return nil, err
	}
	// The permission check object is written as the task is accepted.
	if err := s.d.Buckets.PutObjectInternal(in.Destination, dest+"/aws-logs-write-test", []byte(writeTestBody), "application/octet-stream"); err != nil {
		return nil, err
	}
	if s.d.Scheduler != nil {
		s.scheduleExport(t)
	}
	return &CreateExportTaskOutput{TaskID: t.TaskID}, nil
}

// runExport completes the task stored at key, if it is still active.
func (s *Service) runExport(key string, at time.Time) {
	var t exportTask
	type object struct {
		key  string
		body []byte
	}
	var objects []object
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if err := store.GetJSON(tx, key, &t); err != nil {
			return err
		}
		if !t.active() {
			return errSkip
		}
		g, err := s.loadGroup(tx, t.Group)
		if err != nil {
			return err
		}
		if err := s.expire(tx, g); err != nil {
			return err
		}
		for _, st := range streamNames(tx, t.Group) {
			if !strings.HasPrefix(st, t.StreamPrefix) {
				continue
			}
			evs, err := streamEvents(tx, t.Group, st)
			if err != nil {
				return err
			}
			var lines []string
			for _, e := range evs {
				if e.TS >= t.From && e.TS <= t.To {
					lines = append(lines, time.UnixMilli(e.TS).UTC().Format("2006-01-02T15:04:05.000Z")+" "+e.Message+"\n")
				}
			}
			for part := 0; part*ExportObjectLines < len(lines); part++ {
				end := min((part+1)*ExportObjectLines, len(lines))
				objects = append(objects, object{
					key:  fmt.Sprintf("%s/%s/%s/%06d.gz", t.DestPrefix, t.TaskID, st, part),
					body: gzipLines(lines[part*ExportObjectLines : end]),
				})
			}
		}
		return nil
	})
	if err == errSkip {
		return
	}
	code, msg := "COMPLETED", msgCompleted
	if err != nil {
		code, msg = "FAILED", err.Error()
	}
	for _, o := range objects {
		if code != "COMPLETED" {
			break
		}
		if err := s.d.Buckets.PutObjectInternal(t.Destination, o.key, o.body, "application/octet-stream"); err != nil {
			// Unverified wording.
			code, msg = "FAILED", "The export task failed to write to the destination bucket."
		}
	}
	t.Code, t.Message, t.Completed = code, msg, ms(at)
	s.d.Store.Update(func(tx *store.Tx) error { return store.SetJSON(tx, key, &t) })
	if s.d.Notify != nil {
		if code == "COMPLETED" {
			s.d.Notify(at, "logs: export task %s of %s completed: %d objects written to s3://%s/%s/%s/", t.TaskID, t.Group, len(objects), t.Destination, t.DestPrefix, t.TaskID)
		} else {
			s.d.Notify(at, "logs: export task %s of %s failed: %s", t.TaskID, t.Group, msg)
		}
	}
}

var errSkip = fmt.Errorf("logs: skip")

// gzipLines compresses lines (a deterministic gzip: no name, no time).
func gzipLines(lines []string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for _, l := range lines {
		zw.Write([]byte(l))
	}
	zw.Close()
	return b.Bytes()
}

// ExportTaskStatus is the status of a task.
type ExportTaskStatus struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ExportTaskExecutionInfo tells when a task was created and finished.
type ExportTaskExecutionInfo struct {
	CreationTime   int64  `json:"creationTime"`
	CompletionTime *int64 `json:"completionTime,omitempty"`
}

// ExportTask is a task of DescribeExportTasks.
type ExportTask struct {
	TaskID            string                  `json:"taskId"`
	TaskName          string                  `json:"taskName,omitempty"`
	LogGroupName      string                  `json:"logGroupName"`
	From              int64                   `json:"from"`
	To                int64                   `json:"to"`
	Destination       string                  `json:"destination"`
	DestinationPrefix string                  `json:"destinationPrefix"`
	Status            ExportTaskStatus        `json:"status"`
	ExecutionInfo     ExportTaskExecutionInfo `json:"executionInfo"`
}

// DescribeExportTasksInput is the request of DescribeExportTasks.
type DescribeExportTasksInput struct {
	TaskID     string  `json:"taskId"`
	StatusCode string  `json:"statusCode"`
	NextToken  *string `json:"nextToken"`
	Limit      *int    `json:"limit"`
}

// DescribeExportTasksOutput is the response of DescribeExportTasks.
type DescribeExportTasksOutput struct {
	ExportTasks []ExportTask `json:"exportTasks"`
	NextToken   string       `json:"nextToken,omitempty"`
}

// DescribeExportTasks lists the tasks, newest first, by id or status code,
// at most limit (50 by default) to a page.
func (s *Service) DescribeExportTasks(c *api.Call, in *DescribeExportTasksInput) (*DescribeExportTasksOutput, error) {
	off, err := parseOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := 50
	if in.Limit != nil {
		limit = *in.Limit
	}
	var tasks []*exportTask
	err = s.d.Store.View(func(tx *store.Tx) error {
		var err error
		tasks, _, err = loadExports(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &DescribeExportTasksOutput{ExportTasks: []ExportTask{}}
	var all []ExportTask
	for i := len(tasks) - 1; i >= 0; i-- {
		t := tasks[i]
		t.refresh(c.Now)
		if in.TaskID != "" && t.TaskID != in.TaskID || in.StatusCode != "" && t.Code != in.StatusCode {
			continue
		}
		e := ExportTask{TaskID: t.TaskID, TaskName: t.TaskName, LogGroupName: t.Group, From: t.From, To: t.To,
			Destination: t.Destination, DestinationPrefix: t.DestPrefix, Status: ExportTaskStatus{t.Code, t.Message},
			ExecutionInfo: ExportTaskExecutionInfo{CreationTime: t.Created}}
		if t.Completed != 0 {
			done := t.Completed
			e.ExecutionInfo.CompletionTime = &done
		}
		all = append(all, e)
	}
	items, next := page(all, off, limit)
	out.ExportTasks, out.NextToken = append(out.ExportTasks, items...), next
	return out, nil
}

// CancelExportTaskInput is the request of CancelExportTask.
type CancelExportTaskInput struct {
	TaskID string `json:"taskId"`
}

// CancelExportTask cancels a PENDING or RUNNING task.
func (s *Service) CancelExportTask(c *api.Call, in *CancelExportTaskInput) (*struct{}, error) {
	err := s.d.Store.Update(func(tx *store.Tx) error {
		tasks, keys, err := loadExports(tx)
		if err != nil {
			return err
		}
		for i, t := range tasks {
			if t.TaskID != in.TaskID {
				continue
			}
			t.refresh(c.Now)
			if !t.active() {
				// Unverified wording.
				return awserr.BadRequest("InvalidOperationException", "The specified export task has already finished.")
			}
			t.Code, t.Message, t.Completed = "CANCELLED", msgCancelled, ms(c.Now)
			return store.SetJSON(tx, keys[i], t)
		}
		// Unverified wording.
		return awserr.BadRequest("ResourceNotFoundException", "The specified export task does not exist.")
	})
	return nil, err
}
