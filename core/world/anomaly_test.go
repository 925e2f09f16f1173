package world

import (
	"math"
	"regexp"
	"testing"
	"time"
)

// TestAnomalyBandAlarm runs an anomaly detection alarm end to end: a metric
// with a daily pattern and three days of history, an alarm on
// ANOMALY_DETECTION_BAND(m1, 2) with ThresholdMetricId, OK while the metric
// follows its pattern, ALARM with AWS's band StateReason on a spike.
func TestAnomalyBandAlarm(t *testing.T) {
	start := time.Date(2026, 3, 4, 10, 0, 30, 0, time.UTC)
	w, err := New(Config{Seed: 3, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	h := &alarmHarness{t: t, w: w}
	curve := func(ts time.Time) float64 {
		hr := float64(ts.Hour()) + float64(ts.Minute())/60
		return math.Round((50+30*math.Sin(2*math.Pi*hr/24))*100) / 100
	}
	var batch []map[string]any
	for ts := start.Add(-72 * time.Hour).Truncate(5 * time.Minute); ts.Before(start); ts = ts.Add(5 * time.Minute) {
		batch = append(batch, map[string]any{"MetricName": "Latency", "Timestamp": ts.Format(time.RFC3339), "Value": curve(ts)})
		if len(batch) == 1000 {
			h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": batch})
			batch = nil
		}
	}
	h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": batch})
	h.call("cloudwatch", "PutAnomalyDetector", map[string]any{"SingleMetricAnomalyDetector": map[string]any{
		"Namespace": "Shop", "MetricName": "Latency", "Stat": "Average"}})
	h.call("cloudwatch", "PutMetricAlarm", map[string]any{
		"AlarmName": "latency-anomaly", "EvaluationPeriods": 1, "ThresholdMetricId": "ad1",
		"ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold",
		"Metrics": []map[string]any{
			{"Id": "m1", "ReturnData": true, "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "Shop", "MetricName": "Latency"}, "Period": 300, "Stat": "Average"}},
			{"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "Label": "Latency (expected)"},
		}})
	for _, op := range []string{"GreaterThanUpperThreshold", "LessThanLowerThreshold"} {
		h.call("cloudwatch", "PutMetricAlarm", map[string]any{
			"AlarmName": op, "EvaluationPeriods": 1, "ThresholdMetricId": "ad1", "ComparisonOperator": op,
			"Metrics": []map[string]any{
				{"Id": "m1", "ReturnData": true, "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "Shop", "MetricName": "Latency"}, "Period": 300, "Stat": "Average"}},
				{"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 3)"},
			}})
	}
	stateOf := func(name string) (string, string) {
		a := h.describe(name)["MetricAlarms"].([]any)[0].(map[string]any)
		return a["StateValue"].(string), a["StateReason"].(string)
	}
	state := func() (string, string, string) {
		a := h.describe("latency-anomaly")["MetricAlarms"].([]any)[0].(map[string]any)
		data, _ := a["StateReasonData"].(string)
		return a["StateValue"].(string), a["StateReason"].(string), data
	}
	// The detector trains at the next hour; until then the band is empty
	// and the alarm has nothing to compare with.
	for i := 0; i < 11; i++ {
		now := w.Now()
		h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": []map[string]any{{"MetricName": "Latency", "Value": curve(now)}}})
		h.advance(5 * time.Minute)
	}
	if s, r, _ := state(); s != "INSUFFICIENT_DATA" {
		t.Fatalf("before the model is trained: %s (%s)", s, r)
	}
	for i := 0; i < 3; i++ {
		now := w.Now()
		h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": []map[string]any{{"MetricName": "Latency", "Value": curve(now)}}})
		h.advance(5 * time.Minute)
	}
	s, r, _ := state()
	okReason := regexp.MustCompile(`^Thresholds Crossed: 1 datapoint \[[0-9.]+ \(04/03/26 1\d:\d\d:00\)\] was not less than the lower thresholds \[[0-9.E-]+\] or not greater than the upper thresholds \[[0-9.E-]+\]\.$`)
	if s != "OK" || !okReason.MatchString(r) {
		t.Fatalf("following the pattern: %s %q", s, r)
	}
	// A spike.
	h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": []map[string]any{{"MetricName": "Latency", "Value": 400}}})
	h.advance(time.Minute)
	s, r, data := state()
	alarmReason := regexp.MustCompile(`^Thresholds Crossed: 1 out of the last 1 datapoints \[400\.0 \(04/03/26 11:\d\d:00\)\] was less than the lower thresholds \[[0-9.E-]+\] or greater than the upper thresholds \[[0-9.E-]+\] \(minimum 1 datapoint for OK -> ALARM transition\)\.$`)
	if s != "ALARM" || !alarmReason.MatchString(r) {
		t.Fatalf("after the spike: %s %q", s, r)
	}
	if !regexp.MustCompile(`"recentDatapoints":\[400\.0\],"recentLowerThresholds":\[[0-9.E-]+\],"recentUpperThresholds":\[[0-9.E-]+\]`).MatchString(data) {
		t.Errorf("StateReasonData: %s", data)
	}
	// One-sided operators: a spike is above the upper bound, not below the
	// lower one; a dip is the other way round.
	s, r = stateOf("GreaterThanUpperThreshold")
	if s != "ALARM" || !regexp.MustCompile(`^Thresholds Crossed: 1 out of the last 1 datapoints \[400\.0 \(04/03/26 11:\d\d:00\)\] was greater than the upper thresholds \[[0-9.E-]+\] \(minimum 1 datapoint for OK -> ALARM transition\)\.$`).MatchString(r) {
		t.Errorf("GreaterThanUpperThreshold after the spike: %s %q", s, r)
	}
	if s, r = stateOf("LessThanLowerThreshold"); s != "OK" {
		t.Errorf("LessThanLowerThreshold after the spike: %s %q", s, r)
	}
	for i := 0; i < 2; i++ {
		h.advance(5 * time.Minute)
		h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": []map[string]any{{"MetricName": "Latency", "Value": curve(w.Now())}}})
	}
	h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": []map[string]any{{"MetricName": "Latency", "Value": 0}}})
	h.advance(time.Minute)
	s, r = stateOf("LessThanLowerThreshold")
	if s != "ALARM" || !regexp.MustCompile(`was less than the lower thresholds \[[0-9.E-]+\] \(minimum 1 datapoint for OK -> ALARM transition\)\.$`).MatchString(r) {
		t.Errorf("LessThanLowerThreshold after a dip: %s %q", s, r)
	}
	// The detector is trained and listed.
	out := h.call("cloudwatch", "DescribeAnomalyDetectors", map[string]any{}).(map[string]any)
	ds := out["AnomalyDetectors"].([]any)
	if len(ds) != 1 || ds[0].(map[string]any)["StateValue"] != "TRAINED" {
		t.Errorf("detectors: %v", out)
	}
}
