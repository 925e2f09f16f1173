package metrics

import (
	"math"
	"reflect"
	"testing"
	"time"
)

// adNow is a Wednesday, 10:20 UTC.
var adNow = time.Date(2026, 3, 4, 10, 20, 0, 0, time.UTC)

// daily is a smooth daily curve with a little deterministic noise.
func daily(t time.Time, i int) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60
	return 50 + 30*math.Sin(2*math.Pi*h/24) + float64((i*7919)%13-6)*0.3
}

// fill puts the curve every step over the days before now, in calls of at
// most 1,000 data.
func (h *harness) fill(ns, name string, days int, step time.Duration, dims []Dimension, fn func(time.Time, int) float64) {
	h.t.Helper()
	now := h.clock.Now()
	var batch []MetricDatum
	i := 0
	for t := now.Add(-time.Duration(days) * 24 * time.Hour).Truncate(step); t.Before(now); t = t.Add(step) {
		d := at(name, t, fn(t, i))
		d.Dimensions = dims
		batch = append(batch, d)
		i++
		if len(batch) == MaxMetricsPerPut {
			h.put(ns, batch...)
			batch = nil
		}
	}
	if len(batch) > 0 {
		h.put(ns, batch...)
	}
}

func (h *harness) describe(in *DescribeAnomalyDetectorsInput) *DescribeAnomalyDetectorsOutput {
	h.t.Helper()
	out, err := h.svc.DescribeAnomalyDetectors(h.c(), in)
	if err != nil {
		h.t.Fatalf("DescribeAnomalyDetectors: %v", err)
	}
	return out
}

func states(out *DescribeAnomalyDetectorsOutput) []string {
	var s []string
	for _, d := range out.AnomalyDetectors {
		name := d.MetricName
		if d.MetricMathAnomalyDetector != nil {
			name = "math"
		}
		s = append(s, name+" "+d.Stat+" "+d.StateValue)
	}
	return s
}

func TestAnomalyDetectorLifecycle(t *testing.T) {
	h := newHarness(t, adNow)
	web := []Dimension{{Name: "Host", Value: "web-1"}}
	h.fill("Shop", "Latency", 3, 5*time.Minute, web, daily)
	put := func(in *PutAnomalyDetectorInput) {
		t.Helper()
		if _, err := h.svc.PutAnomalyDetector(h.c(), in); err != nil {
			t.Fatalf("PutAnomalyDetector: %v", err)
		}
	}
	put(&PutAnomalyDetectorInput{Namespace: "Shop", MetricName: "Latency", Dimensions: web, Stat: "Average"})
	put(&PutAnomalyDetectorInput{SingleMetricAnomalyDetector: &SingleMetricAnomalyDetector{Namespace: "Shop", MetricName: "Empty", Stat: "p90"}})
	put(&PutAnomalyDetectorInput{MetricMathAnomalyDetector: &MetricMathAnomalyDetector{MetricDataQueries: []MetricDataQuery{
		{Id: "m1", MetricStat: &MetricStat{Metric: &Metric{Namespace: "Shop", MetricName: "Latency", Dimensions: web}, Period: i64(300), Stat: "Average"}, ReturnData: new(bool)},
		{Id: "e1", Expression: str("m1 * 2")},
	}}})
	// Putting the same detector again is an update, not a new one.
	put(&PutAnomalyDetectorInput{Namespace: "Shop", MetricName: "Latency", Dimensions: web, Stat: "Average"})

	all := &DescribeAnomalyDetectorsInput{AnomalyDetectorTypes: []string{DetectorSingleMetric, DetectorMetricMath}}
	if got, want := states(h.describe(all)), []string{"Empty p90 PENDING_TRAINING", "Latency Average PENDING_TRAINING", "math  PENDING_TRAINING"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("before training: %q, want %q", got, want)
	}
	h.clock.t = adNow.Truncate(time.Hour).Add(time.Hour)
	if got, want := states(h.describe(all)), []string{"Empty p90 TRAINED_INSUFFICIENT_DATA", "Latency Average TRAINED", "math  TRAINED"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after training: %q, want %q", got, want)
	}
	// Filters: single metric detectors by default; dimensions must match.
	if got := states(h.describe(&DescribeAnomalyDetectorsInput{})); len(got) != 2 {
		t.Errorf("default types: %q", got)
	}
	if got := states(h.describe(&DescribeAnomalyDetectorsInput{MetricName: "Latency"})); len(got) != 1 {
		t.Errorf("metric name: %q", got)
	}
	if got := states(h.describe(&DescribeAnomalyDetectorsInput{Dimensions: []Dimension{{Name: "Host", Value: "web-2"}}})); len(got) != 0 {
		t.Errorf("dimensions: %q", got)
	}
	if got := states(h.describe(&DescribeAnomalyDetectorsInput{Namespace: "Other", AnomalyDetectorTypes: []string{DetectorMetricMath}})); len(got) != 1 {
		t.Errorf("math detectors ignore the metric filters: %q", got)
	}
	// Pages.
	var seen []string
	in := &DescribeAnomalyDetectorsInput{MaxResults: i64(1), AnomalyDetectorTypes: all.AnomalyDetectorTypes}
	for n := 0; n < 5; n++ {
		out := h.describe(in)
		seen = append(seen, states(out)...)
		if out.NextToken == "" {
			break
		}
		in.NextToken = str(out.NextToken)
	}
	if len(seen) != 3 {
		t.Errorf("pages: %q", seen)
	}
	// The shape of a single metric detector, as the CLI example shows it.
	d := h.describe(&DescribeAnomalyDetectorsInput{MetricName: "Empty"}).AnomalyDetectors[0]
	if d.Dimensions == nil || d.Configuration == nil || d.Configuration.ExcludedTimeRanges == nil ||
		d.SingleMetricAnomalyDetector == nil || d.SingleMetricAnomalyDetector.AccountId != "123456789012" {
		t.Errorf("detector shape: %+v", d)
	}
	// A new configuration retrains.
	put(&PutAnomalyDetectorInput{Namespace: "Shop", MetricName: "Latency", Dimensions: web, Stat: "Average",
		Configuration: &AnomalyDetectorConfiguration{MetricTimezone: "Europe/Paris"}})
	if got := states(h.describe(&DescribeAnomalyDetectorsInput{MetricName: "Latency"})); got[0] != "Latency Average PENDING_TRAINING" {
		t.Errorf("after a new configuration: %q", got)
	}
	// Delete.
	del := &DeleteAnomalyDetectorInput{SingleMetricAnomalyDetector: &SingleMetricAnomalyDetector{Namespace: "Shop", MetricName: "Empty", Stat: "p90"}}
	if _, err := h.svc.DeleteAnomalyDetector(h.c(), del); err != nil {
		t.Fatal(err)
	}
	_, err := h.svc.DeleteAnomalyDetector(h.c(), del)
	if e := awsErr(t, err); e.Code != "ResourceNotFoundException" || e.Status != 404 {
		t.Errorf("second delete: %v", e)
	}
}

func TestAnomalyDetectorErrors(t *testing.T) {
	m1 := func(period int64) MetricDataQuery {
		return MetricDataQuery{Id: "m1", MetricStat: &MetricStat{Metric: &Metric{Namespace: "ns", MetricName: "m"}, Period: i64(period), Stat: "Sum"}, ReturnData: new(bool)}
	}
	e1 := MetricDataQuery{Id: "e1", Expression: str("m1 * 2")}
	start, end := adNow.Add(-time.Hour), adNow
	tests := []struct {
		name      string
		in        PutAnomalyDetectorInput
		code, msg string
	}{
		{"nothing", PutAnomalyDetectorInput{}, "MissingParameter", "The parameter Namespace is required."},
		{"no stat", PutAnomalyDetectorInput{Namespace: "ns", MetricName: "m"}, "MissingParameter", "The parameter Stat is required."},
		{"bad stat", PutAnomalyDetectorInput{Namespace: "ns", MetricName: "m", Stat: "Median"}, "InvalidParameterValue", "The value Median for parameter Stat is invalid."},
		{"single without name", PutAnomalyDetectorInput{SingleMetricAnomalyDetector: &SingleMetricAnomalyDetector{Namespace: "ns", Stat: "Sum"}}, "MissingParameter", "The parameter SingleMetricAnomalyDetector.MetricName is required."},
		{"other account", PutAnomalyDetectorInput{SingleMetricAnomalyDetector: &SingleMetricAnomalyDetector{AccountId: "111122223333", Namespace: "ns", MetricName: "m", Stat: "Sum"}}, "InvalidParameterValue", "The value 111122223333 for parameter SingleMetricAnomalyDetector.AccountId is invalid."},
		{"legacy and single", PutAnomalyDetectorInput{Namespace: "ns", SingleMetricAnomalyDetector: &SingleMetricAnomalyDetector{}}, "InvalidParameterCombination", "The parameters Namespace, MetricName, Dimensions and Stat cannot be used together with SingleMetricAnomalyDetector."},
		{"single and math", PutAnomalyDetectorInput{SingleMetricAnomalyDetector: &SingleMetricAnomalyDetector{}, MetricMathAnomalyDetector: &MetricMathAnomalyDetector{}}, "InvalidParameterCombination", "The parameters SingleMetricAnomalyDetector and MetricMathAnomalyDetector are mutually exclusive and you have specified both."},
		{"math empty", PutAnomalyDetectorInput{MetricMathAnomalyDetector: &MetricMathAnomalyDetector{}}, "MissingParameter", "The parameter MetricMathAnomalyDetector.MetricDataQueries is required."},
		{"math returns a metric", PutAnomalyDetectorInput{MetricMathAnomalyDetector: &MetricMathAnomalyDetector{MetricDataQueries: []MetricDataQuery{{Id: "m1", MetricStat: m1(60).MetricStat}}}}, "InvalidParameterValue", "The query that returns data (MetricMathAnomalyDetector.MetricDataQueries.member.1.Id) must be an expression."},
		{"math two returned", PutAnomalyDetectorInput{MetricMathAnomalyDetector: &MetricMathAnomalyDetector{MetricDataQueries: []MetricDataQuery{m1(60), e1, {Id: "e2", Expression: str("m1")}}}}, "InvalidParameterValue", "Exactly one element of the MetricDataQueries list must return data."},
		{"math high resolution", PutAnomalyDetectorInput{MetricMathAnomalyDetector: &MetricMathAnomalyDetector{MetricDataQueries: []MetricDataQuery{m1(10), e1}}}, "InvalidParameterValue", "Anomaly detection does not support high-resolution metrics: the parameter MetricMathAnomalyDetector.MetricDataQueries.member.1.MetricStat.Period must be a multiple of 60."},
		{"math METRICS()", PutAnomalyDetectorInput{MetricMathAnomalyDetector: &MetricMathAnomalyDetector{MetricDataQueries: []MetricDataQuery{m1(60), {Id: "e1", Expression: str("SUM(METRICS())")}}}}, "InvalidParameterValue", "The expression of MetricMathAnomalyDetector.MetricDataQueries.member.2.Expression cannot use METRICS(), SEARCH or ANOMALY_DETECTION_BAND in an anomaly detection model."},
		{"math syntax", PutAnomalyDetectorInput{MetricMathAnomalyDetector: &MetricMathAnomalyDetector{MetricDataQueries: []MetricDataQuery{m1(60), {Id: "e1", Expression: str("m1 +")}}}}, "ValidationError", "Error in expression e1: Syntax error: the expression ended unexpectedly."},
		{"math bad id", PutAnomalyDetectorInput{MetricMathAnomalyDetector: &MetricMathAnomalyDetector{MetricDataQueries: []MetricDataQuery{{Id: "M1", Expression: str("1")}}}}, "InvalidParameterValue", "The value M1 for parameter MetricMathAnomalyDetector.MetricDataQueries.member.1.Id is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores."},
		{"range order", PutAnomalyDetectorInput{Namespace: "ns", MetricName: "m", Stat: "Sum", Configuration: &AnomalyDetectorConfiguration{ExcludedTimeRanges: []Range{{StartTime: &end, EndTime: &start}}}}, "InvalidParameterValue", "The parameter Configuration.ExcludedTimeRanges.member.1.StartTime must be less than the parameter Configuration.ExcludedTimeRanges.member.1.EndTime."},
		{"11 ranges", PutAnomalyDetectorInput{Namespace: "ns", MetricName: "m", Stat: "Sum", Configuration: &AnomalyDetectorConfiguration{ExcludedTimeRanges: make([]Range, 11)}}, "InvalidParameterValue", "The collection Configuration.ExcludedTimeRanges must not have a size greater than 10."},
		{"time zone", PutAnomalyDetectorInput{Namespace: "ns", MetricName: "m", Stat: "Sum", Configuration: &AnomalyDetectorConfiguration{MetricTimezone: "Mars/Olympus"}}, "InvalidParameterValue", "The value Mars/Olympus for parameter Configuration.MetricTimezone is invalid."},
		{"local zone", PutAnomalyDetectorInput{Namespace: "ns", MetricName: "m", Stat: "Sum", Configuration: &AnomalyDetectorConfiguration{MetricTimezone: "Local"}}, "InvalidParameterValue", "The value Local for parameter Configuration.MetricTimezone is invalid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, adNow)
			_, err := h.svc.PutAnomalyDetector(h.c(), &tt.in)
			e := awsErr(t, err)
			if e.Code != tt.code || e.Message != tt.msg {
				t.Errorf("got %s: %s\nwant %s: %s", e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
	t.Run("describe", func(t *testing.T) {
		h := newHarness(t, adNow)
		for _, in := range []*DescribeAnomalyDetectorsInput{{MaxResults: i64(101)}, {AnomalyDetectorTypes: []string{"BOTH"}}, {NextToken: str("!")}} {
			if _, err := h.svc.DescribeAnomalyDetectors(h.c(), in); err == nil {
				t.Errorf("%+v: no error", in)
			}
		}
	})
	t.Run("limit", func(t *testing.T) {
		h := newHarness(t, adNow)
		for i := 0; i < MaxAnomalyDetectors; i++ {
			if _, err := h.svc.PutAnomalyDetector(h.c(), &PutAnomalyDetectorInput{Namespace: "ns", MetricName: "m", Stat: "Sum",
				Dimensions: []Dimension{{Name: "i", Value: string(rune('a'+i%26)) + string(rune('a'+i/26))}}}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := h.svc.PutAnomalyDetector(h.c(), &PutAnomalyDetectorInput{Namespace: "ns", MetricName: "other", Stat: "Sum"})
		if e := awsErr(t, err); e.Code != "LimitExceededException" {
			t.Errorf("501st detector: %v", e)
		}
	})
}

// band runs ANOMALY_DETECTION_BAND(m1, width) over the last hours and
// returns the value, upper and lower results.
func (h *harness) band(ns, name, stat string, dims []Dimension, period int64, width string, hours int, label string) (value, upper, lower MetricDataResult) {
	h.t.Helper()
	now := h.clock.Now()
	q := MetricDataQuery{Id: "ad1", Expression: str("ANOMALY_DETECTION_BAND(m1, " + width + ")")}
	if label != "" {
		q.Label = str(label)
	}
	out, err := h.svc.GetMetricData(h.c(), &GetMetricDataInput{
		MetricDataQueries: []MetricDataQuery{
			{Id: "m1", MetricStat: &MetricStat{Metric: &Metric{Namespace: ns, MetricName: name, Dimensions: dims}, Period: i64(period), Stat: stat}},
			q,
		},
		StartTime: tm(now.Add(-time.Duration(hours) * time.Hour)), EndTime: tm(now), ScanBy: "TimestampAscending",
	})
	if err != nil {
		h.t.Fatalf("GetMetricData: %v", err)
	}
	if len(out.MetricDataResults) != 3 {
		h.t.Fatalf("results: %+v", out.MetricDataResults)
	}
	return out.MetricDataResults[0], out.MetricDataResults[1], out.MetricDataResults[2]
}

func TestAnomalyBand(t *testing.T) {
	h := newHarness(t, adNow)
	spike := adNow.Add(-10 * time.Minute).Truncate(5 * time.Minute)
	h.fill("Shop", "Latency", 3, 5*time.Minute, nil, func(t time.Time, i int) float64 {
		if t.Equal(spike) {
			return 400
		}
		return daily(t, i)
	})
	value, upper, lower := h.band("Shop", "Latency", "Average", nil, 300, "2", 6, "")
	if upper.Id != "ad1" || lower.Id != "ad1" || upper.Label != "Upper" || lower.Label != "Lower" {
		t.Errorf("band results: %q %q / %q %q", upper.Id, upper.Label, lower.Id, lower.Label)
	}
	if len(upper.Values) != 72 || len(lower.Values) != 72 {
		t.Fatalf("band points: %d %d, want one per period", len(upper.Values), len(lower.Values))
	}
	inside, outside := 0, 0
	for i, ts := range value.Timestamps {
		j := int(ts.Sub(upper.Timestamps[0]) / (5 * time.Minute))
		lo, hi := lower.Values[j], upper.Values[j]
		if !(lo < hi) || !upper.Timestamps[j].Equal(ts) {
			t.Fatalf("band at %v: [%v, %v]", ts, lo, hi)
		}
		v := value.Values[i]
		if v < lo || v > hi {
			outside++
			if !ts.Equal(spike) {
				t.Errorf("%v: %v outside [%v, %v]", ts, v, lo, hi)
			}
		} else {
			inside++
		}
	}
	if outside != 1 || inside < 60 {
		t.Errorf("inside %d, outside %d", inside, outside)
	}
	// A wider band contains the narrower one; a custom label goes first.
	_, up4, lo4 := h.band("Shop", "Latency", "Average", nil, 300, "4", 6, "Latency (expected)")
	if up4.Label != "Latency (expected) Upper" || lo4.Label != "Latency (expected) Lower" {
		t.Errorf("labels: %q %q", up4.Label, lo4.Label)
	}
	for j := range up4.Values {
		if up4.Values[j] <= upper.Values[j] || lo4.Values[j] >= lower.Values[j] {
			t.Fatalf("width 4 at %d: [%v, %v] vs [%v, %v]", j, lo4.Values[j], up4.Values[j], lower.Values[j], upper.Values[j])
		}
	}
	// The same state gives the same band.
	_, again, _ := h.band("Shop", "Latency", "Average", nil, 300, "2", 6, "")
	if !reflect.DeepEqual(again, upper) {
		t.Error("the band is not deterministic")
	}
	// Too little history: an empty band.
	h2 := newHarness(t, adNow)
	h2.fill("Shop", "Latency", 0, 5*time.Minute, nil, daily)
	h2.put("Shop", at("Latency", adNow.Add(-time.Hour), 10))
	_, up, lo := h2.band("Shop", "Latency", "Average", nil, 300, "2", 6, "")
	if len(up.Values) != 0 || len(lo.Values) != 0 {
		t.Errorf("band without history: %v %v", up.Values, lo.Values)
	}
}

func TestAnomalyBandSeasonalityAndConfiguration(t *testing.T) {
	// Two weeks with quiet weekends: the band follows the day of the week.
	h := newHarness(t, adNow)
	weekly := func(t time.Time, i int) float64 {
		v := daily(t, i)
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			v /= 5
		}
		return v
	}
	h.fill("Shop", "Orders", 13, 10*time.Minute, nil, weekly)
	m, ok := h.svc.trainMetric(Metric{Namespace: "Shop", MetricName: "Orders"}, mustStat("Average"), "", 600, trainOptions{}, adNow)
	if !ok {
		t.Fatal("not trained on 13 days")
	}
	sat := time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC)
	mon := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	_, hiSat := m.band(sat, 2)
	loMon, _ := m.band(mon, 2)
	if hiSat >= loMon {
		t.Errorf("Saturday noon's band (upper %v) should sit below Monday noon's (lower %v)", hiSat, loMon)
	}
	if lo, _ := m.band(sat, 10); lo < 0 {
		t.Errorf("a non-negative metric's band goes below 0: %v", lo)
	}
	// The time zone moves the daily peak: 06:00 UTC is noon in Dhaka.
	h.fill("Shop", "Local", 3, 10*time.Minute, nil, func(t time.Time, i int) float64 {
		return daily(t.In(time.FixedZone("", 6*3600)), i)
	})
	cfg := &AnomalyDetectorConfiguration{MetricTimezone: "Asia/Dhaka"}
	mz, ok := h.svc.trainMetric(Metric{Namespace: "Shop", MetricName: "Local"}, mustStat("Average"), "", 600, trainOptions{cfg: cfg}, adNow)
	if !ok {
		t.Fatal("not trained")
	}
	lo, hi := mz.band(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), 2)
	if want := daily(time.Date(2026, 3, 3, 6, 0, 0, 0, time.UTC), 6); want < lo || want > hi {
		t.Errorf("band at 00:00 UTC = 06:00 Dhaka: [%v, %v], want around %v", lo, hi, want)
	}
	// Excluded ranges keep an incident out of training.
	h3 := newHarness(t, adNow)
	incident := adNow.Add(-30 * time.Hour)
	h3.fill("Shop", "Errors", 3, 5*time.Minute, nil, func(t time.Time, i int) float64 {
		if !t.Before(incident) && t.Before(incident.Add(2*time.Hour)) {
			return 1000
		}
		return daily(t, i)
	})
	with, _ := h3.svc.trainMetric(Metric{Namespace: "Shop", MetricName: "Errors"}, mustStat("Average"), "", 300, trainOptions{}, adNow)
	ex := &AnomalyDetectorConfiguration{ExcludedTimeRanges: []Range{{StartTime: tm(incident), EndTime: tm(incident.Add(2 * time.Hour))}}}
	without, _ := h3.svc.trainMetric(Metric{Namespace: "Shop", MetricName: "Errors"}, mustStat("Average"), "", 300, trainOptions{cfg: ex}, adNow)
	h0 := incident.Add(time.Hour).Hour()
	if without.sigma[h0] >= with.sigma[h0] {
		t.Errorf("excluding the incident should narrow the band at %02d:00: %v vs %v", h0, without.sigma[h0], with.sigma[h0])
	}
}

func mustStat(name string) Statistic {
	st, ok := ParseStatistic(name)
	if !ok {
		panic(name)
	}
	return st
}

func TestAnomalyBandOfExpression(t *testing.T) {
	h := newHarness(t, adNow)
	h.fill("Shop", "Latency", 3, 5*time.Minute, nil, daily)
	now := h.clock.Now()
	run := func(qs ...MetricDataQuery) *GetMetricDataOutput {
		t.Helper()
		out, err := h.svc.GetMetricData(h.c(), &GetMetricDataInput{MetricDataQueries: qs,
			StartTime: tm(now.Add(-2 * time.Hour)), EndTime: tm(now), ScanBy: "TimestampAscending"})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	m1 := MetricDataQuery{Id: "m1", MetricStat: &MetricStat{Metric: &Metric{Namespace: "Shop", MetricName: "Latency"}, Period: i64(300), Stat: "Average"}, ReturnData: new(bool)}
	direct := run(m1, MetricDataQuery{Id: "ad", Expression: str("ANOMALY_DETECTION_BAND(m1)")})
	doubled := run(m1, MetricDataQuery{Id: "e1", Expression: str("m1 * 2"), ReturnData: new(bool)}, MetricDataQuery{Id: "ad", Expression: str("ANOMALY_DETECTION_BAND(e1)")})
	if len(direct.MetricDataResults) != 2 || len(doubled.MetricDataResults) != 2 {
		t.Fatalf("results: %d %d", len(direct.MetricDataResults), len(doubled.MetricDataResults))
	}
	for k := 0; k < 2; k++ {
		a, b := direct.MetricDataResults[k].Values, doubled.MetricDataResults[k].Values
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("band %d: %d vs %d points", k, len(a), len(b))
		}
		for i := range a {
			if math.Abs(b[i]-2*a[i]) > 1e-6*math.Abs(a[i])+1e-9 {
				t.Errorf("band %d point %d: %v, want %v", k, i, b[i], 2*a[i])
			}
		}
	}
	// LAST of the band is the lower bound.
	last := run(m1, MetricDataQuery{Id: "lo", Expression: str("LAST(ANOMALY_DETECTION_BAND(m1))")})
	if !reflect.DeepEqual(last.MetricDataResults[0].Values, direct.MetricDataResults[1].Values) {
		t.Error("LAST(ANOMALY_DETECTION_BAND(m1)) is not the lower bound")
	}
	// An inline expression has no model.
	_, err := h.svc.GetMetricData(h.c(), &GetMetricDataInput{MetricDataQueries: []MetricDataQuery{m1, {Id: "ad", Expression: str("ANOMALY_DETECTION_BAND(m1 * 2)")}},
		StartTime: tm(now.Add(-2 * time.Hour)), EndTime: tm(now)})
	if e := awsErr(t, err); e.Message != "Error in expression ad: The first argument of ANOMALY_DETECTION_BAND must be the id of a metric or of an expression." {
		t.Errorf("inline: %v", e)
	}
	// A pending detector has no band yet.
	if _, err := h.svc.PutAnomalyDetector(h.c(), &PutAnomalyDetectorInput{Namespace: "Shop", MetricName: "Latency", Stat: "Average"}); err != nil {
		t.Fatal(err)
	}
	pending := run(m1, MetricDataQuery{Id: "ad", Expression: str("ANOMALY_DETECTION_BAND(m1)")})
	if n := len(pending.MetricDataResults[0].Values); n != 0 {
		t.Errorf("pending detector: %d band points", n)
	}
}

// BenchmarkAnomalyBand measures one GetMetricData with
// ANOMALY_DETECTION_BAND over two weeks of 1-minute history (what a band
// alarm does at every evaluation): the model is trained on each call.
func BenchmarkAnomalyBand(b *testing.B) {
	h := newHarness(&testing.T{}, adNow)
	h.t = nil
	now := adNow
	var batch []MetricDatum
	i := 0
	for t := now.Add(-14*24*time.Hour + time.Minute).Truncate(time.Minute); t.Before(now); t = t.Add(time.Minute) {
		batch = append(batch, at("Latency", t, daily(t, i)))
		i++
		if len(batch) == MaxMetricsPerPut {
			if _, err := h.svc.PutMetricData(h.c(), &PutMetricDataInput{Namespace: "Shop", MetricData: batch}); err != nil {
				b.Fatal(err)
			}
			batch = nil
		}
	}
	if _, err := h.svc.PutMetricData(h.c(), &PutMetricDataInput{Namespace: "Shop", MetricData: batch}); err != nil {
		b.Fatal(err)
	}
	in := &GetMetricDataInput{MetricDataQueries: []MetricDataQuery{
		{Id: "m1", MetricStat: &MetricStat{Metric: &Metric{Namespace: "Shop", MetricName: "Latency"}, Period: i64(60), Stat: "Average"}},
		{Id: "ad1", Expression: str("ANOMALY_DETECTION_BAND(m1, 2)")},
	}, StartTime: tm(now.Add(-5 * time.Minute)), EndTime: tm(now)}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		out, err := h.svc.GetMetricData(h.c(), in)
		if err != nil || len(out.MetricDataResults) != 3 || len(out.MetricDataResults[1].Values) == 0 {
			b.Fatalf("%v %+v", err, out)
		}
	}
}

func TestAnomalyModelCache(t *testing.T) {
	h := newHarness(t, adNow)
	h.fill("Shop", "Latency", 3, 5*time.Minute, nil, daily)
	_, before, _ := h.band("Shop", "Latency", "Average", nil, 300, "2", 2, "")
	_, cached, _ := h.band("Shop", "Latency", "Average", nil, 300, "2", 2, "")
	if !reflect.DeepEqual(before, cached) {
		t.Fatal("a cached model gives another band")
	}
	// A service over the same store (a restored world) answers the same.
	fresh := New(Deps{Store: h.svc.store, Clock: h.clock, Account: "123456789012", Region: "us-east-1"})
	h2 := &harness{t: t, svc: fresh, clock: h.clock}
	if _, again, _ := h2.band("Shop", "Latency", "Average", nil, 300, "2", 2, ""); !reflect.DeepEqual(before, again) {
		t.Fatal("a fresh service gives another band")
	}
	// Back-filled data in the training window retrains the model.
	var spikes []MetricDatum
	for d := 1; d <= 2; d++ {
		for m := 0; m < 60; m += 5 {
			spikes = append(spikes, at("Latency", adNow.Add(-time.Duration(d)*24*time.Hour).Truncate(time.Hour).Add(time.Duration(m)*time.Minute), 500))
		}
	}
	h.put("Shop", spikes...)
	_, after, _ := h.band("Shop", "Latency", "Average", nil, 300, "2", 2, "")
	if reflect.DeepEqual(before, after) {
		t.Error("back-filled training data did not change the band")
	}
}

func TestAnomalyPeriodicSpikes(t *testing.T) {
	h := newHarness(t, adNow)
	// A nightly batch: 300 at 03:00-03:10 every day.
	h.fill("Shop", "Jobs", 4, 5*time.Minute, nil, func(t time.Time, i int) float64 {
		if t.Hour() == 3 && t.Minute() < 10 {
			return 300
		}
		return daily(t, i)
	})
	spike := time.Date(2026, 3, 4, 3, 5, 0, 0, time.UTC)
	m := Metric{Namespace: "Shop", MetricName: "Jobs"}
	plain, ok := h.svc.trainMetric(m, mustStat("Average"), "", 300, trainOptions{}, adNow)
	if !ok {
		t.Fatal("not trained")
	}
	if _, hi := plain.band(spike, 2); hi >= 300 {
		t.Errorf("without PeriodicSpikes the nightly spike is expected: upper %v", hi)
	}
	spiky, _ := h.svc.trainMetric(m, mustStat("Average"), "", 300, trainOptions{periodicSpikes: true}, adNow)
	if _, hi := spiky.band(spike, 2); hi < 300 {
		t.Errorf("with PeriodicSpikes the nightly spike is not expected: upper %v", hi)
	}
	if _, hi := spiky.band(spike.Add(6*time.Hour), 2); hi >= 300 {
		t.Errorf("with PeriodicSpikes a spike at 09:05 is expected: upper %v", hi)
	}
	// Through the detector: MetricCharacteristics reach the band.
	yes := true
	if _, err := h.svc.PutAnomalyDetector(h.c(), &PutAnomalyDetectorInput{Namespace: "Shop", MetricName: "Jobs", Stat: "Average",
		MetricCharacteristics: &MetricCharacteristics{PeriodicSpikes: &yes}}); err != nil {
		t.Fatal(err)
	}
	h.clock.t = adNow.Truncate(time.Hour).Add(time.Hour)
	d, _ := h.svc.findDetector(m, "Average")
	if o := optionsOf(d); !o.periodicSpikes {
		t.Errorf("options of the detector: %+v", o)
	}
}
