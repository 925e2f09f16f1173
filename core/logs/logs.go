// Package logs simulates Amazon CloudWatch Logs (the "logs" service of the
// CLI): log groups and streams, PutLogEvents with AWS's batch rules,
// GetLogEvents, FilterLogEvents with filter patterns (core/filterpattern),
// retention policies on the virtual clock, tags, and metric filters that
// publish into CloudWatch metrics at ingestion (spec cloudwatch-and-logs.md
// §1.7, §1.8 and §6).
//
// Store layout (see core/store). Group and stream names are joined with '*',
// a character neither may contain (stream names exclude it, group names are
// drawn from [.-_/#A-Za-z0-9]):
//
//	logs/group/<group>                        a log group (JSON)
//	logs/stream/<group>*<stream>              a log stream (JSON)
//	logs/event/<group>*<stream>*<ts>*<seq>    one event: <ts> the event's
//	                                          timestamp in ms, <seq> the
//	                                          stream's ingestion counter,
//	                                          both zero-padded
//	logs/mfilter/<group>*<filter>             a metric filter (JSON)
//	logs/sfilter/<group>*<filter>             a subscription filter (JSON)
//
// Retention is applied lazily on the virtual clock: every operation that
// reads or writes a group first deletes its events older than the group's
// retention, so nothing is scheduled and a restored world needs no jobs.
//
// A Service is not safe for concurrent use.
package logs

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// MetricDatum is one data point a metric filter produces.
type MetricDatum struct {
	Namespace  string
	MetricName string
	Dimensions map[string]string
	Timestamp  time.Time
	Value      float64
	Unit       string
}

// Metrics receives the data points of metric filters. world implements it
// by publishing into CloudWatch metrics.
type Metrics interface {
	PublishLogMetrics(data []MetricDatum) error
}

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	Account string
	Region  string
	Metrics Metrics // optional
	// Destinations receives the deliveries of subscription filters
	// (optional: without it no destination exists).
	Destinations Destinations
	// Notify reports a delivery that failed (optional).
	Notify func(at time.Time, format string, args ...any)
	// Buckets is the S3 of export tasks (optional: without it no bucket
	// exists).
	Buckets Buckets
	// Scheduler runs the export tasks on the virtual clock (optional:
	// without it tasks never complete).
	Scheduler Scheduler
}

// Service is the CloudWatch Logs of a world.
type Service struct {
	d       Deps
	pending []pendingWrite
	// gen is the delivery generation of the write being stored: 0 for an
	// API call, n+1 for lines written while a write of generation n was
	// being delivered (see MaxDeliveryChain).
	gen int
	// delivering is set while a subscription delivery runs.
	delivering bool
}

type pendingWrite struct {
	group, stream string
	at            time.Time
	lines         []string
	gen           int
}

// New returns the service over the world's store. Groups, streams and events
// found in the store (a restored world) are kept, and the export tasks still
// active are scheduled again.
func New(d Deps) *Service {
	s := &Service{d: d}
	s.scheduleExports()
	return s
}

// Limits of the service (spec §6).
const (
	MaxBatchBytes     = 1_048_576
	MaxEventBytes     = 1_048_576
	EventOverhead     = 26
	MaxBatchSpan      = 24 * time.Hour
	FutureWindow      = 2 * time.Hour
	PastWindow        = 14 * 24 * time.Hour
	MaxMetricFilters  = 100
	MaxRegexFilters   = 5
	MaxDimensions     = 3
	defaultGroupLimit = 50
	defaultEventLimit = 10_000
)

// RetentionDays are the values PutRetentionPolicy accepts.
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

const (
	groupPrefix   = "logs/group/"
	streamPrefix  = "logs/stream/"
	eventPrefix   = "logs/event/"
	mfilterPrefix = "logs/mfilter/"
	sep           = "*"
)

type group struct {
	Name      string
	Created   int64
	Retention int `json:",omitempty"`
	KmsKeyID  string
	Class     string
	Tags      map[string]string `json:",omitempty"`
}

type stream struct {
	Name          string
	Created       int64
	First, Last   int64
	LastIngestion int64
	Seq           int64
	HasEvents     bool
}

type event struct {
	TS        int64 `json:"t"`
	Message   string
	Ingestion int64 `json:"i"`
	Seq       int64 `json:"-"`
	Stream    string
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func errInvalid(format string, args ...any) *awserr.Error {
	return awserr.BadRequest("InvalidParameterException", fmt.Sprintf(format, args...))
}

func errGroupNotFound() *awserr.Error {
	return awserr.BadRequest("ResourceNotFoundException", "The specified log group does not exist.")
}

func errStreamNotFound() *awserr.Error {
	return awserr.BadRequest("ResourceNotFoundException", "The specified log stream does not exist.")
}

func (s *Service) groupARN(name string) string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", s.d.Region, s.d.Account, name)
}

func (s *Service) loadGroup(tx *store.Tx, name string) (*group, error) {
	var g group
	if err := store.GetJSON(tx, groupPrefix+name, &g); err != nil {
		if err == store.ErrNotFound {
			return nil, errGroupNotFound()
		}
		return nil, err
	}
	return &g, nil
}

func (s *Service) loadStream(tx *store.Tx, g, name string) (*stream, error) {
	var st stream
	if err := store.GetJSON(tx, streamPrefix+g+sep+name, &st); err != nil {
		if err == store.ErrNotFound {
			return nil, errStreamNotFound()
		}
		return nil, err
	}
	return &st, nil
}

func streamNames(tx *store.Tx, g string) []string {
	var out []string
	p := streamPrefix + g + sep
	store.Prefix(tx, p, func(k, _ string) bool {
		out = append(out, k[len(p):])
		return true
	})
	return out
}

func eventKey(g, st string, ts, seq int64) string {
	return fmt.Sprintf("%s%s%s%s%s%016d%s%012d", eventPrefix, g, sep, st, sep, ts, sep, seq)
}

func parseEventKey(k string) (ts, seq int64, ok bool) {
	i := strings.LastIndex(k, sep)
	if i < 17 {
		return 0, 0, false
	}
	seq, err1 := strconv.ParseInt(k[i+1:], 10, 64)
	ts, err2 := strconv.ParseInt(k[i-16:i], 10, 64)
	return ts, seq, err1 == nil && err2 == nil
}

// streamEvents returns the events of one stream in key order (timestamp,
// then ingestion order).
func streamEvents(tx *store.Tx, g, st string) ([]event, error) {
	var out []event
	var ferr error
	store.Prefix(tx, eventPrefix+g+sep+st+sep, func(k, v string) bool {
		var e event
		if err := jsonUnmarshal(v, &e); err != nil {
			ferr = err
			return false
		}
		ts, seq, ok := parseEventKey(k)
		if !ok {
			ferr = fmt.Errorf("logs: bad event key %q", k)
			return false
		}
		e.TS, e.Seq, e.Stream = ts, seq, st
		out = append(out, e)
		return true
	})
	return out, ferr
}

// expire deletes the events of group g older than its retention.
func (s *Service) expire(tx *store.Tx, g *group) error {
	if g.Retention == 0 {
		return nil
	}
	cutoff := ms(s.d.Clock.Now().Add(-time.Duration(g.Retention) * 24 * time.Hour))
	for _, st := range streamNames(tx, g.Name) {
		var dead []string
		store.Prefix(tx, eventPrefix+g.Name+sep+st+sep, func(k, _ string) bool {
			ts, _, ok := parseEventKey(k)
			if !ok || ts >= cutoff {
				return false
			}
			dead = append(dead, k)
			return true
		})
		for _, k := range dead {
			if _, err := tx.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

func encodeToken(s string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeToken(t string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	return string(b), err == nil
}

func offsetToken(n int) string { return encodeToken("o" + strconv.Itoa(n)) }

// page returns the items of all from offset off, at most limit of them, and
// the token of the next page ("" on the last page).
func page[T any](all []T, off, limit int) ([]T, string) {
	off = min(off, len(all))
	end := min(off+limit, len(all))
	if end < len(all) {
		return all[off:end], offsetToken(end)
	}
	return all[off:end], ""
}

func parseOffset(t *string) (int, error) {
	if t == nil {
		return 0, nil
	}
	s, ok := decodeToken(*t)
	if ok && strings.HasPrefix(s, "o") {
		if n, err := strconv.Atoi(s[1:]); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, errInvalid("The specified nextToken is invalid.")
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("logs")
	if err != nil {
		return nil, err
	}
	h := map[string]api.Handler{
		"CreateLogGroup":        api.Op(s.CreateLogGroup),
		"DeleteLogGroup":        api.Op(s.DeleteLogGroup),
		"DescribeLogGroups":     api.Op(s.DescribeLogGroups),
		"PutRetentionPolicy":    api.Op(s.PutRetentionPolicy),
		"DeleteRetentionPolicy": api.Op(s.DeleteRetentionPolicy),
		"TagLogGroup":           api.Op(s.TagLogGroup),
		"UntagLogGroup":         api.Op(s.UntagLogGroup),
		"ListTagsLogGroup":      api.Op(s.ListTagsLogGroup),
		"TagResource":           api.Op(s.TagResource),
		"UntagResource":         api.Op(s.UntagResource),
		"ListTagsForResource":   api.Op(s.ListTagsForResource),
		"CreateLogStream":       api.Op(s.CreateLogStream),
		"DeleteLogStream":       api.Op(s.DeleteLogStream),
		"DescribeLogStreams":    api.Op(s.DescribeLogStreams),
		"PutLogEvents":          api.Op(s.PutLogEvents),
		"GetLogEvents":          api.Op(s.GetLogEvents),
		"FilterLogEvents":       api.Op(s.FilterLogEvents),
		"PutMetricFilter":       api.Op(s.PutMetricFilter),
		"DescribeMetricFilters": api.Op(s.DescribeMetricFilters),
		"DeleteMetricFilter":    api.Op(s.DeleteMetricFilter),
		"TestMetricFilter":      api.Op(s.TestMetricFilter),
		"AssociateKmsKey":       api.Op(s.AssociateKmsKey),
		"DisassociateKmsKey":    api.Op(s.DisassociateKmsKey),

		"PutSubscriptionFilter":       api.Op(s.PutSubscriptionFilter),
		"DescribeSubscriptionFilters": api.Op(s.DescribeSubscriptionFilters),
		"DeleteSubscriptionFilter":    api.Op(s.DeleteSubscriptionFilter),

		"CreateExportTask":    api.Op(s.CreateExportTask),
		"DescribeExportTasks": api.Op(s.DescribeExportTasks),
		"CancelExportTask":    api.Op(s.CancelExportTask),
	}
	for name, fn := range s.insightsHandlers() {
		h[name] = fn
	}
	// Pending writes of other services (Lambda's log lines) are stored
	// before any operation looks at the store.
	for name, fn := range h {
		fn := fn
		h[name] = func(c *api.Call, in []byte) (any, error) {
			if err := s.Flush(); err != nil {
				return nil, err
			}
			return fn(c, in)
		}
	}
	return &api.Service{Name: "logs", Model: m, Handlers: h, ValidationCode: "InvalidParameterException"}, nil
}
