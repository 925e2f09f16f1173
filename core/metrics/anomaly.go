package metrics

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/metricmath"
	"github.com/telltale-dev/telltale/core/store"
)

// Anomaly detectors. A detector is stored under
//
//	cloudwatch/anomaly/<key>
//
// where <key> hashes its identity: the metric and statistic of a single
// metric detector, the queries of a metric math one. The model itself is
// not stored: it is a pure function of the metric's history, the
// detector's configuration and the virtual time (see anomaly_model.go), so
// a restored world answers with the same bands.
//
// Error messages of these operations are not documented by AWS; they follow
// the wording of CloudWatch's other query-API errors. Unverified wording.
const anomalyPrefix = "cloudwatch/anomaly/"

// Limits of anomaly detection.
const (
	// MaxAnomalyDetectors is the quota of models per account and Region.
	MaxAnomalyDetectors = 500
	// MaxExcludedTimeRanges is how many ranges a configuration may exclude.
	MaxExcludedTimeRanges = 10
	// MaxAnomalyDetectorResults is the largest MaxResults of
	// DescribeAnomalyDetectors, and its default page size.
	MaxAnomalyDetectorResults = 100
	// MaxMathDetectorMetrics is how many MetricStat queries a metric math
	// detector may use.
	MaxMathDetectorMetrics = 10
)

// Types of anomaly detectors.
const (
	DetectorSingleMetric = "SINGLE_METRIC"
	DetectorMetricMath   = "METRIC_MATH"
)

// States of an anomaly detector.
const (
	StatePendingTraining         = "PENDING_TRAINING"
	StateTrainedInsufficientData = "TRAINED_INSUFFICIENT_DATA"
	StateTrained                 = "TRAINED"
)

// Range is a time range excluded from training.
type Range struct {
	StartTime *time.Time
	EndTime   *time.Time
}

// AnomalyDetectorConfiguration sets the ranges excluded from training and
// the time zone of the metric's seasonality.
type AnomalyDetectorConfiguration struct {
	ExcludedTimeRanges []Range
	MetricTimezone     string `json:",omitempty"`
}

// MetricCharacteristics describes the metric to the model.
type MetricCharacteristics struct {
	PeriodicSpikes *bool `json:",omitempty"`
}

// SingleMetricAnomalyDetector names the metric and statistic of a single
// metric detector.
type SingleMetricAnomalyDetector struct {
	AccountId  string `json:",omitempty"`
	Namespace  string
	MetricName string
	Dimensions []Dimension
	Stat       string
}

// MetricMathAnomalyDetector holds the queries of a metric math detector.
type MetricMathAnomalyDetector struct {
	MetricDataQueries []MetricDataQuery
}

// PutAnomalyDetectorInput is the request of PutAnomalyDetector (and, without
// Configuration and MetricCharacteristics, of DeleteAnomalyDetector).
type PutAnomalyDetectorInput struct {
	Namespace                   string
	MetricName                  string
	Dimensions                  []Dimension
	Stat                        string
	Configuration               *AnomalyDetectorConfiguration
	MetricCharacteristics       *MetricCharacteristics
	SingleMetricAnomalyDetector *SingleMetricAnomalyDetector
	MetricMathAnomalyDetector   *MetricMathAnomalyDetector
}

// DeleteAnomalyDetectorInput is the request of DeleteAnomalyDetector.
type DeleteAnomalyDetectorInput struct {
	Namespace                   string
	MetricName                  string
	Dimensions                  []Dimension
	Stat                        string
	SingleMetricAnomalyDetector *SingleMetricAnomalyDetector
	MetricMathAnomalyDetector   *MetricMathAnomalyDetector
}

// DescribeAnomalyDetectorsInput is the request of DescribeAnomalyDetectors.
type DescribeAnomalyDetectorsInput struct {
	NextToken            *string
	MaxResults           *int64
	Namespace            string
	MetricName           string
	Dimensions           []Dimension
	AnomalyDetectorTypes []string
}

// DetectorQuery is a query of a metric math detector as
// DescribeAnomalyDetectors shows it (empty members left out).
type DetectorQuery struct {
	Id         string
	MetricStat *DetectorMetricStat `json:",omitempty"`
	Expression *string             `json:",omitempty"`
	Label      *string             `json:",omitempty"`
	ReturnData *bool               `json:",omitempty"`
	Period     *int64              `json:",omitempty"`
	AccountId  string              `json:",omitempty"`
}

// DetectorMetricStat is the MetricStat of a DetectorQuery.
type DetectorMetricStat struct {
	Metric *Metric
	Period *int64 `json:",omitempty"`
	Stat   string
	Unit   string `json:",omitempty"`
}

// DetectorQueries holds the queries of a metric math detector in
// DescribeAnomalyDetectors.
type DetectorQueries struct {
	MetricDataQueries []DetectorQuery
}

// AnomalyDetector is a detector as DescribeAnomalyDetectors shows it.
type AnomalyDetector struct {
	Namespace                   string `json:",omitempty"`
	MetricName                  string `json:",omitempty"`
	Dimensions                  []Dimension
	Stat                        string                        `json:",omitempty"`
	Configuration               *AnomalyDetectorConfiguration `json:",omitempty"`
	StateValue                  string
	MetricCharacteristics       *MetricCharacteristics       `json:",omitempty"`
	SingleMetricAnomalyDetector *SingleMetricAnomalyDetector `json:",omitempty"`
	MetricMathAnomalyDetector   *DetectorQueries             `json:",omitempty"`
}

// DescribeAnomalyDetectorsOutput is the response of DescribeAnomalyDetectors.
type DescribeAnomalyDetectorsOutput struct {
	AnomalyDetectors []AnomalyDetector
	NextToken        string `json:",omitempty"`
}

// detector is a stored anomaly detector.
type detector struct {
	Type       string            `json:"type"`
	Namespace  string            `json:"ns,omitempty"`
	MetricName string            `json:"name,omitempty"`
	Dimensions []Dimension       `json:"dims,omitempty"`
	Stat       string            `json:"stat,omitempty"`
	Queries    []MetricDataQuery `json:"queries,omitempty"`
	// Config is the configuration as given (nil when none was).
	Config          *AnomalyDetectorConfiguration `json:"config,omitempty"`
	Characteristics *MetricCharacteristics        `json:"chars,omitempty"`
	// Created is when the detector was created or its configuration last
	// changed: its model trains at the first hour boundary after it.
	Created time.Time `json:"created"`
}

// key is the store key of a detector's identity.
func (d *detector) key() string {
	h := sha256.New()
	if d.Type == DetectorMetricMath {
		b, _ := json.Marshal(d.Queries)
		fmt.Fprintf(h, "M:%s", b)
	} else {
		fmt.Fprintf(h, "S:%s:%d:%s", metricID(d.Namespace, d.MetricName, d.Dimensions), len(d.Stat), d.Stat)
	}
	return anomalyPrefix + hex.EncodeToString(h.Sum(nil)[:12])
}

// sortKey orders detectors in DescribeAnomalyDetectors: single metric ones
// by namespace, metric, dimensions and statistic, then metric math ones by
// their queries.
func (d *detector) sortKey() string {
	if d.Type == DetectorMetricMath {
		b, _ := json.Marshal(d.Queries)
		return "\x01" + string(b)
	}
	return "\x00" + sortKey(Metric{Namespace: d.Namespace, MetricName: d.MetricName, Dimensions: d.Dimensions}) + "\x00\x00" + d.Stat
}

// identify validates the identity part of a Put or Delete request and
// returns the detector it names (without configuration).
func (s *Service) identify(ns, name string, dims []Dimension, stat string,
	single *SingleMetricAnomalyDetector, math *MetricMathAnomalyDetector) (*detector, error) {
	legacy := ns != "" || name != "" || len(dims) > 0 || stat != ""
	switch {
	case single != nil && math != nil:
		return nil, errCombination("The parameters SingleMetricAnomalyDetector and MetricMathAnomalyDetector are mutually exclusive and you have specified both.")
	case legacy && single != nil:
		return nil, errCombination("The parameters Namespace, MetricName, Dimensions and Stat cannot be used together with SingleMetricAnomalyDetector.")
	case legacy && math != nil:
		return nil, errCombination("The parameters Namespace, MetricName, Dimensions and Stat cannot be used together with MetricMathAnomalyDetector.")
	case math != nil:
		if err := s.checkMathDetector(math.MetricDataQueries); err != nil {
			return nil, err
		}
		return &detector{Type: DetectorMetricMath, Queries: math.MetricDataQueries}, nil
	}
	prefix := ""
	if single != nil {
		if single.AccountId != "" && single.AccountId != s.account {
			return nil, errInvalid("The value %s for parameter SingleMetricAnomalyDetector.AccountId is invalid.", single.AccountId)
		}
		ns, name, dims, stat = single.Namespace, single.MetricName, single.Dimensions, single.Stat
		prefix = "SingleMetricAnomalyDetector."
	}
	switch {
	case ns == "":
		return nil, errMissing("The parameter %sNamespace is required.", prefix)
	case name == "":
		return nil, errMissing("The parameter %sMetricName is required.", prefix)
	case stat == "":
		return nil, errMissing("The parameter %sStat is required.", prefix)
	}
	if len(dims) > MaxDimensions {
		return nil, errInvalid("The collection %sDimensions must not have a size greater than %d.", prefix, MaxDimensions)
	}
	if _, ok := ParseStatistic(stat); !ok {
		return nil, errInvalid("The value %s for parameter %sStat is invalid.", stat, prefix)
	}
	if dims == nil {
		dims = []Dimension{}
	}
	return &detector{Type: DetectorSingleMetric, Namespace: ns, MetricName: name, Dimensions: canonical(dims), Stat: stat}, nil
}

// checkMathDetector applies the rules of anomaly detection on metric math:
// exactly one query returns data and it is an expression, at most 10
// metrics, all with the same period of at least a minute, ids valid and
// unique, and no METRICS(), SEARCH or ANOMALY_DETECTION_BAND.
func (s *Service) checkMathDetector(qs []MetricDataQuery) error {
	if len(qs) == 0 {
		return errMissing("The parameter MetricMathAnomalyDetector.MetricDataQueries is required.")
	}
	param := func(i int, f string) string {
		return fmt.Sprintf("MetricMathAnomalyDetector.MetricDataQueries.member.%d.%s", i+1, f)
	}
	seen := map[string]bool{}
	kinds := map[string]metricmath.Kind{}
	returned, metrics := 0, 0
	var period int64
	for i, q := range qs {
		if !idPattern.MatchString(q.Id) {
			return errInvalid("The value %s for parameter %s is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores.", q.Id, param(i, "Id"))
		}
		if seen[q.Id] {
			return errInvalid("The value %s for parameter %s is not unique.", q.Id, param(i, "Id"))
		}
		seen[q.Id] = true
		if (q.MetricStat == nil) == (q.Expression == nil) {
			return errCombination("Exactly one of %s and %s must be specified.", param(i, "MetricStat"), param(i, "Expression"))
		}
		if q.ReturnData == nil || *q.ReturnData {
			returned++
			if q.MetricStat != nil {
				return errInvalid("The query that returns data (%s) must be an expression.", param(i, "Id"))
			}
		}
		if ms := q.MetricStat; ms != nil {
			metrics++
			kinds[q.Id] = metricmath.KindSeries
			if ms.Metric == nil || ms.Metric.MetricName == "" {
				return errMissing("The parameter %s is required.", param(i, "MetricStat.Metric.MetricName"))
			}
			if ms.Period == nil {
				return errMissing("The parameter %s is required.", param(i, "MetricStat.Period"))
			}
			if *ms.Period < 60 || !ValidPeriod(*ms.Period) {
				return errInvalid("Anomaly detection does not support high-resolution metrics: the parameter %s must be a multiple of 60.", param(i, "MetricStat.Period"))
			}
			if period != 0 && *ms.Period != period {
				return errInvalid("All metrics of an anomaly detection model must have the same period.")
			}
			period = *ms.Period
			if _, ok := ParseStatistic(ms.Stat); !ok {
				return errInvalid("The value %s for parameter %s is invalid.", ms.Stat, param(i, "MetricStat.Stat"))
			}
		}
	}
	if returned != 1 {
		return errInvalid("Exactly one element of the MetricDataQueries list must return data.")
	}
	if metrics > MaxMathDetectorMetrics {
		return errInvalid("An anomaly detection model on metric math can use at most %d metrics.", MaxMathDetectorMetrics)
	}
	for i, q := range qs {
		if q.Expression == nil {
			continue
		}
		for _, other := range qs {
			if other.Expression != nil && other.Id != q.Id {
				kinds[other.Id] = metricmath.KindSeries
			}
		}
		p, err := metricmath.Compile(*q.Expression, metricmath.IDs(kinds), metricmath.AllowScalar())
		if err != nil {
			return errExpression(q.Id, err)
		}
		r := p.Refs()
		if r.Metrics || len(r.Searches) > 0 || r.AnomalyBands > 0 {
			return errInvalid("The expression of %s cannot use METRICS(), SEARCH or ANOMALY_DETECTION_BAND in an anomaly detection model.", param(i, "Expression"))
		}
	}
	return nil
}

// checkConfiguration validates a configuration.
func checkConfiguration(c *AnomalyDetectorConfiguration) error {
	if c == nil {
		return nil
	}
	if len(c.ExcludedTimeRanges) > MaxExcludedTimeRanges {
		return errInvalid("The collection Configuration.ExcludedTimeRanges must not have a size greater than %d.", MaxExcludedTimeRanges)
	}
	for i, r := range c.ExcludedTimeRanges {
		p := fmt.Sprintf("Configuration.ExcludedTimeRanges.member.%d", i+1)
		if r.StartTime == nil {
			return errMissing("The parameter %s.StartTime is required.", p)
		}
		if r.EndTime == nil {
			return errMissing("The parameter %s.EndTime is required.", p)
		}
		if !r.StartTime.Before(*r.EndTime) {
			return errInvalid("The parameter %s.StartTime must be less than the parameter %s.EndTime.", p, p)
		}
	}
	if c.MetricTimezone != "" {
		if _, err := timezone(c.MetricTimezone); err != nil {
			return errInvalid("The value %s for parameter Configuration.MetricTimezone is invalid.", c.MetricTimezone)
		}
	}
	return nil
}

// PutAnomalyDetector creates or updates an anomaly detector. Updating the
// configuration or the metric characteristics of an existing detector
// retrains it (PENDING_TRAINING until the next hour boundary).
func (s *Service) PutAnomalyDetector(c *api.Call, in *PutAnomalyDetectorInput) (*struct{}, error) {
	d, err := s.identify(in.Namespace, in.MetricName, in.Dimensions, in.Stat, in.SingleMetricAnomalyDetector, in.MetricMathAnomalyDetector)
	if err != nil {
		return nil, err
	}
	if err := checkConfiguration(in.Configuration); err != nil {
		return nil, err
	}
	d.Config, d.Characteristics, d.Created = in.Configuration, in.MetricCharacteristics, c.Now
	key := d.key()
	err = s.store.Update(func(tx *store.Tx) error {
		var old detector
		if store.GetJSON(tx, key, &old) == nil {
			if mustJSON(old.Config) == mustJSON(d.Config) && mustJSON(old.Characteristics) == mustJSON(d.Characteristics) {
				d.Created = old.Created
			}
		} else {
			n := 0
			store.Prefix(tx, anomalyPrefix, func(_, _ string) bool { n++; return true })
			if n >= MaxAnomalyDetectors {
				return awserr.BadRequest("LimitExceededException", fmt.Sprintf("The maximum number of anomaly detection models (%d) has been reached.", MaxAnomalyDetectors))
			}
		}
		return store.SetJSON(tx, key, d)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// DeleteAnomalyDetector deletes an anomaly detector.
func (s *Service) DeleteAnomalyDetector(c *api.Call, in *DeleteAnomalyDetectorInput) (*struct{}, error) {
	d, err := s.identify(in.Namespace, in.MetricName, in.Dimensions, in.Stat, in.SingleMetricAnomalyDetector, in.MetricMathAnomalyDetector)
	if err != nil {
		return nil, err
	}
	key := d.key()
	err = s.store.Update(func(tx *store.Tx) error {
		if _, err := tx.Get(key); err != nil {
			return awserr.New("ResourceNotFoundException", 404, "This anomaly detection model does not exist.")
		}
		_, err := tx.Delete(key)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// detectors returns the stored detectors in DescribeAnomalyDetectors order.
func (s *Service) detectors() []*detector {
	var out []*detector
	s.store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, anomalyPrefix, func(_, v string) bool {
			var d detector
			if jsonUnmarshal(v, &d) == nil {
				out = append(out, &d)
			}
			return true
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].sortKey() < out[j].sortKey() })
	return out
}

// DescribeAnomalyDetectors lists the detectors: single metric ones (the
// default) filtered by namespace, metric name and dimensions (a detector
// matches when it has every given dimension), and with METRIC_MATH in
// AnomalyDetectorTypes every metric math one. Each shows the state of its
// model at the current virtual time.
func (s *Service) DescribeAnomalyDetectors(c *api.Call, in *DescribeAnomalyDetectorsInput) (*DescribeAnomalyDetectorsOutput, error) {
	limit := int64(MaxAnomalyDetectorResults)
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > MaxAnomalyDetectorResults {
			return nil, errInvalid("The value %d for parameter MaxResults is invalid. It must be between 1 and %d.", *in.MaxResults, MaxAnomalyDetectorResults)
		}
		limit = *in.MaxResults
	}
	types := map[string]bool{}
	for _, t := range in.AnomalyDetectorTypes {
		if t != DetectorSingleMetric && t != DetectorMetricMath {
			return nil, errInvalid("The value %s for parameter AnomalyDetectorTypes is invalid.", t)
		}
		types[t] = true
	}
	if len(types) == 0 {
		types[DetectorSingleMetric] = true
	}
	after := ""
	if in.NextToken != nil && *in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		if err != nil || len(b) == 0 {
			return nil, awserr.BadRequest("InvalidNextToken", "The service returned an invalid NextToken.")
		}
		after = string(b)
	}
	out := &DescribeAnomalyDetectorsOutput{AnomalyDetectors: []AnomalyDetector{}}
	for _, d := range s.detectors() {
		if !types[d.Type] || !d.matches(in) {
			continue
		}
		k := d.sortKey()
		if after != "" && k <= after {
			continue
		}
		if int64(len(out.AnomalyDetectors)) == limit {
			out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(after))
			break
		}
		out.AnomalyDetectors = append(out.AnomalyDetectors, s.describe(d, c.Now))
		after = k
	}
	return out, nil
}

func (d *detector) matches(in *DescribeAnomalyDetectorsInput) bool {
	if d.Type == DetectorMetricMath {
		return true
	}
	if in.Namespace != "" && d.Namespace != in.Namespace || in.MetricName != "" && d.MetricName != in.MetricName {
		return false
	}
	for _, f := range in.Dimensions {
		v := f.Value
		if !hasDimension(d.Dimensions, DimensionFilter{Name: f.Name, Value: &v}) {
			return false
		}
	}
	return true
}

// describe renders a detector with its state.
func (s *Service) describe(d *detector, now time.Time) AnomalyDetector {
	cfg := d.Config
	if cfg == nil {
		cfg = &AnomalyDetectorConfiguration{}
	}
	if cfg.ExcludedTimeRanges == nil {
		c := *cfg
		c.ExcludedTimeRanges = []Range{}
		cfg = &c
	}
	a := AnomalyDetector{Configuration: cfg, StateValue: s.detectorState(d, now), MetricCharacteristics: d.Characteristics}
	if d.Type == DetectorMetricMath {
		out := &DetectorQueries{MetricDataQueries: []DetectorQuery{}}
		for _, q := range d.Queries {
			o := DetectorQuery{Id: q.Id, Expression: q.Expression, Label: q.Label, ReturnData: q.ReturnData, Period: q.Period, AccountId: q.AccountId}
			if ms := q.MetricStat; ms != nil {
				o.MetricStat = &DetectorMetricStat{Metric: ms.Metric, Period: ms.Period, Stat: ms.Stat, Unit: ms.Unit}
			}
			out.MetricDataQueries = append(out.MetricDataQueries, o)
		}
		a.MetricMathAnomalyDetector = out
		return a
	}
	dims := d.Dimensions
	if dims == nil {
		dims = []Dimension{}
	}
	a.Namespace, a.MetricName, a.Dimensions, a.Stat = d.Namespace, d.MetricName, dims, d.Stat
	a.SingleMetricAnomalyDetector = &SingleMetricAnomalyDetector{AccountId: s.account, Namespace: d.Namespace,
		MetricName: d.MetricName, Dimensions: dims, Stat: d.Stat}
	return a
}

// findDetector returns the single metric detector of a metric and
// statistic, if there is one.
func (s *Service) findDetector(m Metric, stat string) (*detector, bool) {
	d := &detector{Type: DetectorSingleMetric, Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: canonical(m.Dimensions), Stat: stat}
	var found detector
	ok := false
	s.store.View(func(tx *store.Tx) error {
		ok = store.GetJSON(tx, d.key(), &found) == nil
		return nil
	})
	return &found, ok
}

// findMathDetector returns the metric math detector whose returned
// expression is expr, if there is one.
func (s *Service) findMathDetector(expr string) (*detector, bool) {
	for _, d := range s.detectors() {
		if d.Type != DetectorMetricMath {
			continue
		}
		for _, q := range d.Queries {
			if q.Expression != nil && (q.ReturnData == nil || *q.ReturnData) && strings.TrimSpace(*q.Expression) == strings.TrimSpace(expr) {
				return d, true
			}
		}
	}
	return nil, false
}
