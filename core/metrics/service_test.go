package metrics

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

func f(x float64) *float64 { return &x }
func i64(x int64) *int64   { return &x }
func str(s string) *string { return &s }
func tm(t time.Time) *time.Time {
	return &t
}

var t0 = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)

func (h *harness) c() *api.Call {
	return &api.Call{Service: "cloudwatch", Now: h.clock.Now()}
}

func (h *harness) put(ns string, data ...MetricDatum) {
	h.t.Helper()
	if _, err := h.svc.PutMetricData(h.c(), &PutMetricDataInput{Namespace: ns, MetricData: data}); err != nil {
		h.t.Fatalf("PutMetricData: %v", err)
	}
}

func at(name string, t time.Time, v float64) MetricDatum {
	return MetricDatum{MetricName: name, Timestamp: tm(t), Value: f(v)}
}

func awsErr(t *testing.T, err error) *awserr.Error {
	t.Helper()
	e, ok := err.(*awserr.Error)
	if !ok {
		t.Fatalf("got %v, want an AWS error", err)
	}
	return e
}

func TestPutMetricDataErrors(t *testing.T) {
	dims := make([]Dimension, 31)
	for i := range dims {
		dims[i] = Dimension{Name: fmt.Sprintf("d%d", i), Value: "v"}
	}
	many := make([]float64, 151)
	tests := []struct {
		name      string
		ns        string
		d         MetricDatum
		code, msg string
	}{
		{"AWS namespace", "AWS/EC2", at("m", t0, 1), "InvalidParameterValue", "The value AWS/EC2 for parameter Namespace is invalid."},
		{"31 dimensions", "ns", MetricDatum{MetricName: "m", Value: f(1), Dimensions: dims}, "InvalidParameterValue", "The collection MetricData.member.1.Dimensions must not have a size greater than 30."},
		{"too old", "ns", at("m", t0.Add(-15*24*time.Hour), 1), "InvalidParameterValue", "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks."},
		{"too new", "ns", at("m", t0.Add(3*time.Hour), 1), "InvalidParameterValue", "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks."},
		{"resolution", "ns", MetricDatum{MetricName: "m", Value: f(1), StorageResolution: func() *int { x := 5; return &x }()}, "InvalidParameterValue", "The value 5 for parameter MetricData.member.1.StorageResolution is invalid."},
		{"151 values", "ns", MetricDatum{MetricName: "m", Values: many}, "InvalidParameterValue", "The collection MetricData.member.1.Values must not have a size greater than 150."},
		{"out of range", "ns", MetricDatum{MetricName: "m", Value: f(math.Ldexp(1, 361))}, "InvalidParameterValue", "The value 4.6970851655476665E108 for parameter MetricData.member.1.Value is out of range."},
		{"NaN", "ns", MetricDatum{MetricName: "m", Value: f(math.NaN())}, "InvalidParameterValue", "The value NaN for parameter MetricData.member.1.Value is invalid."},
		{"no value", "ns", MetricDatum{MetricName: "m"}, "MissingParameter", "At least one of the parameters MetricData.member.1.Value or MetricData.member.1.StatisticValues must be specified."},
		{"no name", "ns", MetricDatum{Value: f(1)}, "MissingParameter", "The parameter MetricData.member.1.MetricName is required."},
		{"bad unit", "ns", MetricDatum{MetricName: "m", Value: f(1), Unit: "Furlongs"}, "InvalidParameterValue", "The parameter MetricData.member.1.Unit must be a value in the set [Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, Bits, Kilobits, Megabits, Gigabits, Terabits, Percent, Count, Bytes/Second, Kilobytes/Second, Megabytes/Second, Gigabytes/Second, Terabytes/Second, Bits/Second, Kilobits/Second, Megabits/Second, Gigabits/Second, Terabits/Second, Count/Second, None]."},
		{"value and values", "ns", MetricDatum{MetricName: "m", Value: f(1), Values: []float64{1}}, "InvalidParameterCombination", "The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both."},
		{"counts size", "ns", MetricDatum{MetricName: "m", Values: []float64{1}, Counts: []float64{1, 2}}, "InvalidParameterValue", "The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size."},
		{"min above max", "ns", MetricDatum{MetricName: "m", StatisticValues: &StatisticSet{SampleCount: f(2), Sum: f(3), Minimum: f(2), Maximum: f(1)}}, "InvalidParameterValue", "The parameter MetricData.member.1.StatisticValues.Maximum must be greater than MetricData.member.1.StatisticValues.Minimum."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, t0)
			_, err := h.svc.PutMetricData(h.c(), &PutMetricDataInput{Namespace: tt.ns, MetricData: []MetricDatum{tt.d}})
			e := awsErr(t, err)
			if e.Code != tt.code || e.Message != tt.msg {
				t.Errorf("got %s: %s\nwant %s: %s", e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
	// Every datum's error of the same kind, one per line.
	h := newHarness(t, t0)
	_, err := h.svc.PutMetricData(h.c(), &PutMetricDataInput{Namespace: "ns", MetricData: []MetricDatum{
		at("m", t0.Add(-15*24*time.Hour), 1), at("m", t0, 1), at("m", t0.Add(3*time.Hour), 1), {MetricName: "m"}}})
	if e := awsErr(t, err); e.Code != "InvalidParameterValue" || e.Message != "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.\nThe parameter MetricData.member.3.Timestamp must specify a time within the past two weeks." {
		t.Errorf("got %s: %q", e.Code, e.Message)
	}
	if _, err := h.svc.PutMetricData(h.c(), &PutMetricDataInput{Namespace: "ns"}); awsErr(t, err).Message != "The parameter MetricData is required." {
		t.Errorf("no data: %v", err)
	}
	// The limits themselves are accepted, and Publish allows AWS/.
	h = newHarness(t, t0)
	h.put("ns", MetricDatum{MetricName: "m", Value: f(1), Dimensions: dims[:30]},
		at("m", t0.Add(-14*24*time.Hour), 1), at("m", t0.Add(2*time.Hour), 1),
		MetricDatum{MetricName: "m", Values: many[:150]},
		MetricDatum{MetricName: "m", Value: f(math.Ldexp(1, 360))})
	if err := h.svc.Publish("AWS/EC2", []MetricDatum{at("CPUUtilization", t0, 3)}); err != nil {
		t.Fatal(err)
	}
}

func TestExtendedStatistics(t *testing.T) {
	h := newHarness(t, t0)
	vals := make([]float64, 100)
	for i := range vals {
		vals[i] = float64(i + 1)
	}
	h.put("ns", MetricDatum{MetricName: "lat", Timestamp: tm(t0.Add(-time.Minute)), Values: vals})
	tests := map[string]float64{
		"p90": 90, "p50": 50, "p100": 100, "p0": 1, "p99.5": 100, "p0.0": 1,
		"tm90": 45.5, "IQM": 50.5, "tc90": 90, "ts90": 4095, "wm90": 49.95,
		"PR(:50)": 50, "PR(10:20)": 10, "TM(10:20)": 15.5, "TC(10%:20%)": 10, "TS(80%:)": 1810,
		"TM(10%:90%)": 50.5, "WM(10%:90%)": 50.5,
		"Sum": 5050, "Average": 50.5, "Minimum": 1, "Maximum": 100, "SampleCount": 100,
	}
	for stat, want := range tests {
		dps, err := h.svc.Statistics(Query{Namespace: "ns", MetricName: "lat", Start: t0.Add(-time.Hour), End: t0, Period: 3600, Stat: stat})
		if err != nil {
			t.Fatalf("%s: %v", stat, err)
		}
		if len(dps) != 1 || math.Abs(dps[0].Value-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", stat, dps, want)
		}
	}
	for _, bad := range []string{"p101", "p", "tm", "P90", "TM(20%:10%)", "PR(10%:20%)", "TM(a:b)", "TM(:)", "average", "p99.12345678901", "TM(10%:20)"} {
		if _, ok := ParseStatistic(bad); ok {
			t.Errorf("ParseStatistic(%q) accepted", bad)
		}
	}
	// A statistic set that is not one repeated value has no percentiles;
	// negative values have none either.
	h.put("ns", MetricDatum{MetricName: "set", Timestamp: tm(t0.Add(-time.Minute)), StatisticValues: &StatisticSet{SampleCount: f(3), Sum: f(6), Minimum: f(1), Maximum: f(3)}},
		MetricDatum{MetricName: "neg", Timestamp: tm(t0.Add(-time.Minute)), Values: []float64{-1, 2}},
		MetricDatum{MetricName: "rep", Timestamp: tm(t0.Add(-time.Minute)), StatisticValues: &StatisticSet{SampleCount: f(4), Sum: f(8), Minimum: f(2), Maximum: f(2)}})
	for name, want := range map[string]int{"set": 0, "neg": 0, "rep": 1} {
		dps, _ := h.svc.Statistics(Query{Namespace: "ns", MetricName: name, Start: t0.Add(-time.Hour), End: t0, Period: 60, Stat: "p50"})
		if len(dps) != want {
			t.Errorf("%s p50: %v, want %d datapoints", name, dps, want)
		}
	}
}

func TestRetentionAndPeriods(t *testing.T) {
	h := newHarness(t, t0)
	one := 1
	for s := 0; s < 10; s++ {
		h.put("ns", MetricDatum{MetricName: "hr", Timestamp: tm(t0.Add(time.Duration(s) * time.Second)), Value: f(float64(s)), StorageResolution: &one})
	}
	q := func(start time.Time, period int64) []Datapoint {
		t.Helper()
		dps, err := h.svc.Statistics(Query{Namespace: "ns", MetricName: "hr", Start: start, End: t0.Add(time.Hour), Period: period, Stat: "Sum"})
		if err != nil {
			t.Fatal(err)
		}
		return dps
	}
	if n := len(q(t0, 1)); n != 10 {
		t.Fatalf("period 1: %d datapoints, want 10", n)
	}
	if dps := q(t0, 5); len(dps) != 2 || dps[0].Value != 10 || dps[1].Value != 35 {
		t.Fatalf("period 5: %v", dps)
	}
	steps := []struct {
		advance time.Duration
		period  int64
		want    int
	}{
		{4 * time.Hour, 1, 0}, // past 3 hours, sub-minute periods give nothing
		{0, 60, 1},            // ...but the minute is there
		{20 * 24 * time.Hour, 60, 0},
		{0, 300, 1},
		{50 * 24 * time.Hour, 300, 0},
		{0, 3600, 1},
		{400 * 24 * time.Hour, 3600, 0}, // past 455 days, gone
	}
	for i, st := range steps {
		h.clock.t = h.clock.t.Add(st.advance)
		// A put on the metric rolls its old cells up; results must not change.
		h.put("ns", MetricDatum{MetricName: "hr", Value: f(0), Unit: "Count"})
		dps := q(t0, st.period)
		if len(dps) != st.want || (st.want == 1 && dps[0].Value != 45) {
			t.Errorf("step %d (period %d at %v): %v, want %d datapoint(s) of 45", i, st.period, h.clock.t, dps, st.want)
		}
	}
	// The roll-ups really happened: nothing of the unit None is left.
	id := metricID("ns", "hr", nil)
	h.svc.store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, fmt.Sprintf("%s%s/%02d/", dataPrefix, id, unitIndex("None")), func(k, _ string) bool {
			t.Errorf("left after 455 days: %s", k)
			return true
		})
	})
}

func TestStartRounding(t *testing.T) {
	now := time.Date(2026, 3, 4, 15, 7, 17, 0, time.UTC)
	tests := []struct {
		start  time.Time
		period int64
		want   time.Time
	}{
		{now.Add(-5 * time.Minute), 5, time.Date(2026, 3, 4, 15, 2, 15, 0, time.UTC)},
		{now.Add(-10 * time.Second), 10, time.Date(2026, 3, 4, 15, 7, 0, 0, time.UTC)},
		{now.Add(-time.Hour), 60, time.Date(2026, 3, 4, 14, 7, 0, 0, time.UTC)},
		{now.Add(-20 * 24 * time.Hour), 300, time.Date(2026, 2, 12, 15, 5, 0, 0, time.UTC)},
		{now.Add(-70 * 24 * time.Hour), 3600, time.Date(2025, 12, 24, 15, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if w := align(tt.start, now, now, tt.period); !w.start.Equal(tt.want) || !w.ok {
			t.Errorf("align(%v, period %d) = %v, want %v", tt.start, tt.period, w.start, tt.want)
		}
	}
}

func TestGetMetricStatistics(t *testing.T) {
	h := newHarness(t, t0)
	// The worked example of the user guide: 2, 4, 5 in one minute.
	h.put("ns", at("m", t0, 2), at("m", t0.Add(time.Second), 4), at("m", t0.Add(2*time.Second), 5), at("m", t0.Add(2*time.Minute), 7))
	out, err := h.svc.GetMetricStatistics(h.c(), &GetMetricStatisticsInput{Namespace: "ns", MetricName: "m",
		StartTime: tm(t0), EndTime: tm(t0.Add(5 * time.Minute)), Period: i64(60),
		Statistics: []string{"SampleCount", "Sum", "Average", "Minimum", "Maximum"}})
	if err != nil {
		t.Fatal(err)
	}
	dp := out.Datapoints[0]
	if len(out.Datapoints) != 2 || *dp.SampleCount != 3 || *dp.Sum != 11 || *dp.Average != 3.6666666666666665 || *dp.Minimum != 2 || *dp.Maximum != 5 || dp.Unit != "None" || !dp.Timestamp.Equal(t0) {
		t.Fatalf("got %+v", out)
	}
	if !out.Datapoints[1].Timestamp.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("datapoints are not in ascending order: %+v", out.Datapoints)
	}
	ext, err := h.svc.GetMetricStatistics(h.c(), &GetMetricStatisticsInput{Namespace: "ns", MetricName: "m",
		StartTime: tm(t0), EndTime: tm(t0.Add(time.Minute)), Period: i64(60), ExtendedStatistics: []string{"p50", "IQM"}})
	if err != nil || len(ext.Datapoints) != 1 || !reflect.DeepEqual(ext.Datapoints[0].ExtendedStatistics, map[string]float64{"p50": 4, "IQM": 4}) || ext.Datapoints[0].Sum != nil {
		t.Fatalf("extended: %+v, %v", ext, err)
	}
	errs := []struct {
		in        GetMetricStatisticsInput
		code, msg string
	}{
		{GetMetricStatisticsInput{Statistics: []string{"Sum"}, ExtendedStatistics: []string{"p9"}}, "InvalidParameterCombination", "The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both."},
		{GetMetricStatisticsInput{}, "MissingParameter", "The parameter Statistics or ExtendedStatistics is required."},
		{GetMetricStatisticsInput{Statistics: []string{"p90"}}, "InvalidParameterValue", "The parameter Statistics.member.1 must be a value in the set [Average, Sum, SampleCount, Maximum, Minimum]."},
		{GetMetricStatisticsInput{ExtendedStatistics: []string{"p900"}}, "InvalidParameterValue", "The value p900 for parameter ExtendedStatistics.member.1 is invalid."},
		{GetMetricStatisticsInput{Statistics: []string{"Sum"}, Period: i64(45)}, "InvalidParameterValue", "The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60."},
		{GetMetricStatisticsInput{Statistics: []string{"Sum"}, Period: i64(1), EndTime: tm(t0.Add(time.Hour))}, "InvalidParameterCombination", "You have requested up to 3600 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range."},
	}
	for _, tt := range errs {
		in := tt.in
		in.Namespace, in.MetricName = "ns", "m"
		if in.StartTime == nil {
			in.StartTime = tm(t0)
		}
		if in.EndTime == nil {
			in.EndTime = tm(t0.Add(time.Minute))
		}
		if in.Period == nil {
			in.Period = i64(60)
		}
		_, err := h.svc.GetMetricStatistics(h.c(), &in)
		if e := awsErr(t, err); e.Code != tt.code || e.Message != tt.msg {
			t.Errorf("got %s: %s\nwant %s: %s", e.Code, e.Message, tt.code, tt.msg)
		}
	}
}

func metricStat(id, name string, period int64, stat string) MetricDataQuery {
	return MetricDataQuery{Id: id, MetricStat: &MetricStat{Metric: &Metric{Namespace: "ns", MetricName: name}, Period: i64(period), Stat: stat}}
}

func TestGetMetricDataMath(t *testing.T) {
	h := newHarness(t, t0.Add(10*time.Minute))
	for i, v := range []float64{5, 10, 20} {
		h.put("ns", at("errors", t0.Add(time.Duration(i)*time.Minute), v), at("requests", t0.Add(time.Duration(i)*time.Minute), 4*v))
	}
	h.put("ns", at("sparse", t0, 7), at("sparse", t0.Add(2*time.Minute), 9))
	f := false
	tests := []struct {
		name   string
		expr   string
		times  []time.Time
		values []float64
	}{
		{"ratio", "m1/m2*100", []time.Time{t0, t0.Add(time.Minute), t0.Add(2 * time.Minute)}, []float64{25, 25, 25}},
		{"fill", "FILL(m3, 0)", []time.Time{t0, t0.Add(time.Minute), t0.Add(2 * time.Minute), t0.Add(3 * time.Minute)}, []float64{7, 0, 9, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m1, m2, m3 := metricStat("m1", "errors", 60, "Sum"), metricStat("m2", "requests", 60, "Sum"), metricStat("m3", "sparse", 60, "Sum")
			m1.ReturnData, m2.ReturnData, m3.ReturnData = &f, &f, &f
			out, err := h.svc.GetMetricData(h.c(), &GetMetricDataInput{
				MetricDataQueries: []MetricDataQuery{m1, m2, m3, {Id: "e1", Expression: str(tt.expr)}},
				StartTime:         tm(t0), EndTime: tm(t0.Add(4 * time.Minute)), ScanBy: "TimestampAscending"})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.MetricDataResults) != 1 {
				t.Fatalf("got %+v", out.MetricDataResults)
			}
			r := out.MetricDataResults[0]
			if r.Id != "e1" || r.Label != "e1" || !reflect.DeepEqual(r.Timestamps, tt.times) || !reflect.DeepEqual(r.Values, tt.values) || r.StatusCode != "Complete" {
				t.Errorf("got %+v", r)
			}
		})
	}
	// No NextToken with math: everything comes back.
	out, err := h.svc.GetMetricData(h.c(), &GetMetricDataInput{
		MetricDataQueries: []MetricDataQuery{metricStat("m1", "errors", 60, "Sum"), {Id: "e1", Expression: str("m1*2")}},
		StartTime:         tm(t0), EndTime: tm(t0.Add(4 * time.Minute)), MaxDatapoints: i64(1)})
	if err != nil || out.NextToken != "" || len(out.MetricDataResults) != 2 || len(out.MetricDataResults[1].Values) != 3 {
		t.Errorf("math with MaxDatapoints 1: %+v %v", out, err)
	}
	// An invalid expression.
	_, err = h.svc.GetMetricData(h.c(), &GetMetricDataInput{
		MetricDataQueries: []MetricDataQuery{metricStat("m1", "errors", 60, "Sum"), {Id: "e1", Expression: str("m1 +")}},
		StartTime:         tm(t0), EndTime: tm(t0.Add(4 * time.Minute))})
	if e := awsErr(t, err); e.Code != "ValidationError" || !strings.HasPrefix(e.Message, "Error in expression e1: ") {
		t.Errorf("got %v", e)
	}
	// SEARCH over our own metrics.
	out, err = h.svc.GetMetricData(h.c(), &GetMetricDataInput{
		MetricDataQueries: []MetricDataQuery{{Id: "s1", Expression: str("SEARCH('{ns} MetricName=\"errors\"', 'Sum', 60)")}},
		StartTime:         tm(t0), EndTime: tm(t0.Add(4 * time.Minute))})
	if err != nil || len(out.MetricDataResults) != 1 || !reflect.DeepEqual(out.MetricDataResults[0].Values, []float64{20, 10, 5}) {
		t.Errorf("SEARCH: %+v %v", out, err)
	}
}

func TestGetMetricData(t *testing.T) {
	h := newHarness(t, t0.Add(10*time.Minute))
	for i := 0; i < 5; i++ {
		h.put("ns", at("a", t0.Add(time.Duration(i)*time.Minute), float64(i)))
	}
	base := func(qs ...MetricDataQuery) *GetMetricDataInput {
		return &GetMetricDataInput{MetricDataQueries: qs, StartTime: tm(t0), EndTime: tm(t0.Add(5 * time.Minute))}
	}
	// Newest first by default; a custom label.
	q := metricStat("m1", "a", 60, "Sum")
	q.Label = str("my label")
	out, err := h.svc.GetMetricData(h.c(), base(q))
	if err != nil || out.MetricDataResults[0].Label != "my label" || !reflect.DeepEqual(out.MetricDataResults[0].Values, []float64{4, 3, 2, 1, 0}) {
		t.Fatalf("got %+v %v", out, err)
	}
	// Pagination: MaxDatapoints 3 over 2 x 5 values.
	in := base(metricStat("m1", "a", 60, "Sum"), metricStat("m2", "a", 60, "Maximum"))
	in.MaxDatapoints = i64(3)
	var pages [][]float64
	var codes []string
	for n := 0; n < 10; n++ {
		out, err := h.svc.GetMetricData(h.c(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.MetricDataResults {
			pages = append(pages, r.Values)
			codes = append(codes, r.StatusCode)
		}
		if out.NextToken == "" {
			break
		}
		in.NextToken = str(out.NextToken)
	}
	want := [][]float64{{4, 3, 2}, {1, 0}, {4}, {3, 2, 1}, {0}}
	if !reflect.DeepEqual(pages, want) || codes[0] != "PartialData" || codes[1] != "Complete" {
		t.Errorf("pages %v codes %v, want %v", pages, codes, want)
	}
	in.NextToken = str("bogus")
	if _, err := h.svc.GetMetricData(h.c(), in); awsErr(t, err).Code != "InvalidNextToken" {
		t.Errorf("bogus token: %v", err)
	}
	errs := []struct {
		in        *GetMetricDataInput
		code, msg string
	}{
		{base(metricStat("M1", "a", 60, "Sum")), "InvalidParameterValue", "The value M1 for parameter MetricDataQueries.member.1.Id is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores."},
		{base(metricStat("m1", "a", 60, "Sum"), metricStat("m1", "a", 60, "Sum")), "InvalidParameterValue", "The value m1 for parameter MetricDataQueries.member.2.Id is not unique."},
		{base(metricStat("m1", "a", 60, "Median")), "InvalidParameterValue", "The value Median for parameter MetricDataQueries.member.1.MetricStat.Stat is invalid."},
		{base(metricStat("m1", "a", 7, "Sum")), "InvalidParameterValue", "The parameter MetricDataQueries.member.1.MetricStat.Period must be 1, 5, 10, 20, 30, or a multiple of 60."},
		{base(MetricDataQuery{Id: "x"}), "MissingParameter", "The parameter MetricDataQueries.member.1.MetricStat or MetricDataQueries.member.1.Expression is required."},
		{&GetMetricDataInput{MetricDataQueries: []MetricDataQuery{metricStat("m1", "a", 60, "Sum")}, StartTime: tm(t0), EndTime: tm(t0)}, "InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime."},
	}
	for _, tt := range errs {
		_, err := h.svc.GetMetricData(h.c(), tt.in)
		if e := awsErr(t, err); e.Code != tt.code || e.Message != tt.msg {
			t.Errorf("got %s: %s\nwant %s: %s", e.Code, e.Message, tt.code, tt.msg)
		}
	}
	many := make([]MetricDataQuery, 501)
	for i := range many {
		many[i] = metricStat(fmt.Sprintf("m%d", i), "a", 60, "Sum")
	}
	if _, err := h.svc.GetMetricData(h.c(), base(many...)); awsErr(t, err).Code != "InvalidParameterValue" {
		t.Errorf("501 queries: %v", err)
	}
}

func TestListMetrics(t *testing.T) {
	h := newHarness(t, t0)
	h.put("app", MetricDatum{MetricName: "lat", Value: f(1), Dimensions: []Dimension{{Name: "Server", Value: "Prod"}, {Name: "Domain", Value: "Rio"}}},
		MetricDatum{MetricName: "lat", Value: f(1), Dimensions: []Dimension{{Name: "Server", Value: "Beta"}}},
		MetricDatum{MetricName: "err", Value: f(1)})
	h.put("other", MetricDatum{MetricName: "lat", Value: f(1)})
	list := func(in ListMetricsInput) []string {
		t.Helper()
		out, err := h.svc.ListMetrics(h.c(), &in)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, m := range out.Metrics {
			x := m.Namespace + ":" + m.MetricName
			for _, d := range m.Dimensions {
				x += "," + d.Name + "=" + d.Value
			}
			s = append(s, x)
		}
		return s
	}
	if got := list(ListMetricsInput{}); !reflect.DeepEqual(got, []string{"app:err", "app:lat,Domain=Rio,Server=Prod", "app:lat,Server=Beta", "other:lat"}) {
		t.Errorf("all: %v", got)
	}
	if got := list(ListMetricsInput{Namespace: "app", MetricName: "lat", Dimensions: []DimensionFilter{{Name: "Server", Value: str("Prod")}}}); !reflect.DeepEqual(got, []string{"app:lat,Domain=Rio,Server=Prod"}) {
		t.Errorf("filtered: %v", got)
	}
	if got := list(ListMetricsInput{Dimensions: []DimensionFilter{{Name: "Server"}}}); len(got) != 2 {
		t.Errorf("name-only filter: %v", got)
	}
	h.clock.t = t0.Add(4 * time.Hour)
	h.put("app", MetricDatum{MetricName: "err", Value: f(1)})
	if got := list(ListMetricsInput{RecentlyActive: "PT3H"}); !reflect.DeepEqual(got, []string{"app:err"}) {
		t.Errorf("recently active: %v", got)
	}
	h.clock.t = t0.Add(14*24*time.Hour + time.Hour)
	if got := list(ListMetricsInput{}); !reflect.DeepEqual(got, []string{"app:err"}) {
		t.Errorf("after two weeks: %v", got)
	}
	// One account: linked accounts are the world's own.
	yes := true
	if out, _ := h.svc.ListMetrics(h.c(), &ListMetricsInput{IncludeLinkedAccounts: &yes}); !reflect.DeepEqual(out.OwningAccounts, []string{"123456789012"}) {
		t.Errorf("owning accounts: %+v", out)
	}
	if out, _ := h.svc.ListMetrics(h.c(), &ListMetricsInput{OwningAccount: "111122223333"}); len(out.Metrics) != 0 {
		t.Errorf("another account: %+v", out)
	}
	// Pagination, 500 per page.
	h2 := newHarness(t, t0)
	var data []MetricDatum
	for i := 0; i < 501; i++ {
		data = append(data, MetricDatum{MetricName: fmt.Sprintf("m%03d", i), Value: f(1)})
	}
	h2.put("ns", data...)
	out, _ := h2.svc.ListMetrics(h2.c(), &ListMetricsInput{})
	if len(out.Metrics) != 500 || out.NextToken == "" {
		t.Fatalf("page 1: %d metrics, token %q", len(out.Metrics), out.NextToken)
	}
	out, _ = h2.svc.ListMetrics(h2.c(), &ListMetricsInput{NextToken: str(out.NextToken)})
	if len(out.Metrics) != 1 || out.Metrics[0].MetricName != "m500" || out.NextToken != "" {
		t.Fatalf("page 2: %+v", out)
	}
}

func TestCellEncoding(t *testing.T) {
	var c cell
	c.add(1.5, 2)
	c.add(-3, 1)
	c.addSet(2, 10, 4, 6)
	d := decodeCell(c.encode())
	if !reflect.DeepEqual(d, c) {
		t.Errorf("round trip: %+v, want %+v", d, c)
	}
	for _, bad := range []string{"", "1 2 3", "1 2 3 4 5", "a b c d", "1 2 3 4 x 1"} {
		if d := decodeCell(bad); !d.empty() {
			t.Errorf("decodeCell(%q) = %+v", bad, d)
		}
	}
}
