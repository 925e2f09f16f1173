// Package metrics simulates the metric half of Amazon CloudWatch (the
// "cloudwatch" service of the CLI): PutMetricData, ListMetrics,
// GetMetricStatistics and GetMetricData, with AWS's validation, storage by
// resolution, retention and roll-up, and the statistics of spec section 2.
// Alarms live in another package and read metrics through Statistics and
// Series.
//
// Storage. A metric is identified by its namespace, name and exact set of
// dimensions (kept sorted by name). Its data is kept per unit and per storage
// interval in cells holding sample count, sum, minimum, maximum and the
// distribution of raw values (for the extended statistics), 60 cells to a
// stored block:
//
//	cloudwatch/metric/<id>                           the metric (JSON)
//	cloudwatch/data/<id>/<unit>/<interval>/<start>   one block of cells
//
// <id> is a hash of the identity, <unit> the index of the unit in
// StandardUnits, <interval> the cell length in seconds (0001, 0060, 0300,
// 3600) and <start> the store.TimeKey of the block's first cell.
//
// Retention and roll-up, on the virtual clock. What a query returns follows
// AWS's rules at the instant of the query: the period must suit the age of
// StartTime (any valid period under 3 hours, a multiple of 60 up to 15 days,
// of 300 up to 63 days, of 3600 beyond, otherwise no datapoints), and data
// older than 455 days is gone. Because merged cells give the same statistics
// as the cells they come from, the physical roll-up (1-second cells older than
// 3 hours into minutes, minutes older than 15 days into 5 minutes, those older
// than 63 days into hours, hours older than 455 days deleted, a whole block
// at a time) is done lazily: when a metric receives data and its last
// roll-up is more than an hour old.
// Nothing is scheduled on the clock, so a restored world needs no jobs.
//
// Data is readable as soon as it is put (AWS may take up to 2 minutes, or
// longer for old timestamps: the simulator does not delay it). ListMetrics
// shows a metric as soon as it receives data (AWS may take up to 15 minutes)
// and hides metrics that received no data for two weeks; with
// RecentlyActive=PT3H, those that received none in the last 3 hours.
//
// A Service is not safe for concurrent use.
package metrics

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/telltale-dev/telltale/core/metricdata"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/api/models"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	Account string
	Region  string
}

// Service is the CloudWatch metrics of a world.
type Service struct {
	store           *store.Store
	clock           Clock
	account, region string
	// cache holds decoded blocks and metrics (see cache.go).
	cache *caches
	// anomaly holds trained band models (see anomaly_cache.go).
	anomaly *modelCache
}

// New returns the service over the world's store. Metrics found in the store
// (a restored world) are kept.
func New(d Deps) *Service {
	return &Service{store: d.Store, clock: d.Clock, account: d.Account, region: d.Region, cache: newCaches()}
}

const (
	metricPrefix = "cloudwatch/metric/"
	dataPrefix   = "cloudwatch/data/"
)

// Retention of each storage interval, and the age thresholds of the period
// rules.
const (
	HighResRetention = 3 * time.Hour
	MinuteRetention  = 15 * 24 * time.Hour
	FiveMinRetention = 63 * 24 * time.Hour
	HourRetention    = 455 * 24 * time.Hour
	// ListWindow is how long a metric stays in ListMetrics without new data.
	ListWindow = 14 * 24 * time.Hour
	// RecentWindow is the window of RecentlyActive=PT3H.
	RecentWindow = 3 * time.Hour
)

// StandardUnits are metricdata.StandardUnits.
var StandardUnits = metricdata.StandardUnits

func unitIndex(u string) int {
	for i, x := range StandardUnits {
		if x == u {
			return i
		}
	}
	return -1
}

// Dimension is metricdata.Dimension.
type Dimension = metricdata.Dimension

// metric is a stored metric.
type metric struct {
	Namespace  string      `json:"ns"`
	MetricName string      `json:"name"`
	Dimensions []Dimension `json:"dims,omitempty"`
	// Units are the indexes of the units that received data.
	Units []int `json:"units"`
	// LastReceived is when data last arrived (ListMetrics).
	LastReceived time.Time `json:"last"`
	// RolledUp is when the metric's cells were last rolled up.
	RolledUp time.Time `json:"rolled"`
}

// canonical returns the dimensions sorted by name, then value.
func canonical(ds []Dimension) []Dimension {
	out := append([]Dimension(nil), ds...)
	slices.SortFunc(out, compareDims)
	return out
}

// metricID is the store id of a metric: a hash of its identity.
func metricID(namespace, name string, dims []Dimension) string {
	h := sha256.Sum256([]byte(metricKey(namespace, name, dims)))
	return hex.EncodeToString(h[:12])
}

// idOf is metricID, remembered.
func (s *Service) idOf(namespace, name string, dims []Dimension) string {
	k := appendMetricKey(s.cache.scratch[:0], namespace, name, dims)
	s.cache.scratch = k
	if id, ok := s.cache.ids[string(k)]; ok {
		return id
	}
	h := sha256.Sum256(k)
	id := hex.EncodeToString(h[:12])
	put(s.cache.ids, string(k), id)
	return id
}

func intervalKey(sec int64) string {
	if k, ok := intervalKeys[sec]; ok {
		return k
	}
	return fmt.Sprintf("%04d", sec)
}

func seriesPrefix(id string, unit int, interval int64) string {
	return string(appendSeriesPrefix(nil, id, unit, interval))
}

func appendSeriesPrefix(b []byte, id string, unit int, interval int64) []byte {
	b = append(b, dataPrefix...)
	b = append(b, id...)
	b = append(b, '/')
	if unit >= 0 && unit <= 99 {
		b = append(b, byte('0'+unit/10), byte('0'+unit%10))
	} else {
		b = strconv.AppendInt(b, int64(unit), 10)
	}
	b = append(b, '/')
	b = append(b, intervalKey(interval)...)
	return append(b, '/')
}

var intervals = []int64{1, 60, 300, 3600}

// Error helpers, with the codes of CloudWatch's query-compatible errors.
func errInvalid(format string, args ...any) error {
	return awserr.BadRequest("InvalidParameterValue", fmt.Sprintf(format, args...))
}

func errCombination(format string, args ...any) error {
	return awserr.BadRequest("InvalidParameterCombination", fmt.Sprintf(format, args...))
}

func errMissing(format string, args ...any) error {
	return awserr.BadRequest("MissingParameter", fmt.Sprintf(format, args...))
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	b, err := models.Load("cloudwatch")
	if err != nil {
		return nil, err
	}
	m, err := api.ParseModel(b)
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:  "cloudwatch",
		Model: m,
		// CloudWatch is query-compatible: model violations answer with the
		// query protocol's code.
		ValidationCode: "ValidationError",
		Handlers: map[string]api.Handler{
			"PutMetricData":       api.Op(s.PutMetricData),
			"ListMetrics":         api.Op(s.ListMetrics),
			"GetMetricStatistics": api.Op(s.GetMetricStatistics),
			"GetMetricData":       api.Op(s.GetMetricData),
			// anomaly.go
			"PutAnomalyDetector":       api.Op(s.PutAnomalyDetector),
			"DescribeAnomalyDetectors": api.Op(s.DescribeAnomalyDetectors),
			"DeleteAnomalyDetector":    api.Op(s.DeleteAnomalyDetector),
		},
	}, nil
}

func getMetric(tx *store.Tx, id string) (*metric, bool) {
	var m metric
	if err := store.GetJSON(tx, metricPrefix+id, &m); err != nil {
		return nil, false
	}
	return &m, true
}

// Metric is metricdata.Metric.
type Metric = metricdata.Metric

func (m *metric) identity() Metric {
	return Metric{Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions}
}

func sortKey(m Metric) string {
	var b strings.Builder
	b.WriteString(m.Namespace)
	b.WriteByte(0)
	b.WriteString(m.MetricName)
	for _, d := range m.Dimensions {
		b.WriteByte(0)
		b.WriteString(d.Name)
		b.WriteByte(1)
		b.WriteString(d.Value)
	}
	return b.String()
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
