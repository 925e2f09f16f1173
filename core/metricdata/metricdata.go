// Package metricdata holds CloudWatch's metric shapes (dimensions, data,
// queries and their results) shared by the metrics service and the services
// that publish or read metrics through interfaces world wires (alarms, ec2,
// logs' metric filters, dashboards). It is data only: the store, statistics
// and math live in core/metrics, and no service imports another.
package metricdata

import "time"

// Dimension is a name/value pair of a metric.
type Dimension struct {
	Name  string
	Value string
}

// Metric is a metric's identity, as ListMetrics returns it.
type Metric struct {
	Namespace  string      `json:",omitempty"`
	MetricName string      `json:",omitempty"`
	Dimensions []Dimension `json:",omitempty"`
}

// StatisticSet is a pre-aggregated set of values.
type StatisticSet struct {
	SampleCount *float64
	Sum         *float64
	Minimum     *float64
	Maximum     *float64
}

// MetricDatum is one metric's data of a PutMetricData call.
type MetricDatum struct {
	MetricName        string
	Dimensions        []Dimension
	Timestamp         *time.Time
	Value             *float64
	StatisticValues   *StatisticSet
	Values            []float64
	Counts            []float64
	Unit              string
	StorageResolution *int
}

// MetricStat is a metric, a statistic, a period and an optional unit.
type MetricStat struct {
	Metric *Metric
	Period *int64
	Stat   string
	Unit   string
}

// MetricDataQuery is one query of GetMetricData.
type MetricDataQuery struct {
	Id         string
	MetricStat *MetricStat
	Expression *string
	Label      *string
	ReturnData *bool
	Period     *int64
	AccountId  string
}

// LabelOptions are the options of dynamic labels.
type LabelOptions struct {
	Timezone string
}

// GetMetricDataInput is the request of GetMetricData.
type GetMetricDataInput struct {
	MetricDataQueries []MetricDataQuery
	StartTime         *time.Time
	EndTime           *time.Time
	NextToken         *string
	ScanBy            string
	MaxDatapoints     *int64
	LabelOptions      *LabelOptions
}

// MessageData is a message of GetMetricData.
type MessageData struct {
	Code  string
	Value string
}

// MetricDataResult is the result of one query.
type MetricDataResult struct {
	Id         string
	Label      string
	Timestamps []time.Time
	Values     []float64
	StatusCode string
	Messages   []MessageData `json:",omitempty"`
}

// GetMetricDataOutput is the response of GetMetricData.
type GetMetricDataOutput struct {
	MetricDataResults []MetricDataResult
	NextToken         string `json:",omitempty"`
	Messages          []MessageData
}

// Query selects the values of one statistic of one metric over a time range:
// what an alarm, a graph or a MetricStat reads.
type Query struct {
	Namespace  string
	MetricName string
	// Dimensions must be the metric's exact set of dimensions.
	Dimensions []Dimension
	// Unit selects the data published with that unit; empty means any unit
	// (the first unit in alphabetical order when several were published in
	// the range, as GetMetricData does).
	Unit string
	// Start is inclusive, End exclusive.
	Start, End time.Time
	// Period is in seconds: 1, 5, 10, 20, 30 or a multiple of 60.
	Period int64
	// Stat is a statistic name (see ParseStatistic).
	Stat string
}

// Datapoint is the value of a statistic over one period.
type Datapoint struct {
	// Timestamp is the start of the period.
	Timestamp time.Time
	Value     float64
	// SampleCount is the number of data points in the period.
	SampleCount float64
	Unit        string
}

// StandardUnits are CloudWatch's units, in the model's order.
var StandardUnits = []string{"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
	"Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
	"Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
	"Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
	"Count/Second", "None"}
