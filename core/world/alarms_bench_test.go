package world

import (
	"fmt"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/metrics"
)

// TestMathAlarm: an alarm on m1/m2*100 goes to ALARM when the ratio crosses
// its threshold, with reason data without a statistic.
func TestMathAlarm(t *testing.T) {
	w, err := New(Config{Seed: 5, Start: time.Date(2026, 3, 1, 10, 0, 30, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	h := &alarmHarness{t: t, w: w}
	stat := func(id, name string) map[string]any {
		return map[string]any{"Id": id, "ReturnData": false, "MetricStat": map[string]any{
			"Metric": map[string]any{"Namespace": "Shop", "MetricName": name}, "Period": 60, "Stat": "Sum"}}
	}
	h.call("cloudwatch", "PutMetricAlarm", map[string]any{"AlarmName": "rate", "EvaluationPeriods": 1, "Threshold": 5,
		"ComparisonOperator": "GreaterThanThreshold", "Metrics": []any{stat("e", "Errors"), stat("r", "Requests"),
			map[string]any{"Id": "pct", "Expression": "e/r*100"}}})
	h.call("cloudwatch", "PutMetricData", map[string]any{"Namespace": "Shop", "MetricData": []map[string]any{
		{"MetricName": "Errors", "Value": 10}, {"MetricName": "Requests", "Value": 100}}})
	h.advance(time.Minute)
	d := h.describe("rate")["MetricAlarms"].([]any)[0].(map[string]any)
	want := "Threshold Crossed: 1 datapoint [10.0 (01/03/26 10:00:00)] was greater than the threshold (5.0)."
	if d["StateValue"] != "ALARM" || d["StateReason"] != want {
		t.Fatalf("math alarm: %v %v", d["StateValue"], d["StateReason"])
	}
	if s := d["StateReasonData"].(string); s != `{"version":"1.0","queryDate":"2026-03-01T10:01:00.000+0000","startDate":"2026-03-01T10:00:00.000+0000","period":60,"recentDatapoints":[10.0],"threshold":5.0,"evaluatedDatapoints":[{"timestamp":"2026-03-01T10:00:00.000+0000","sampleCount":1.0,"value":10.0}]}` {
		t.Fatalf("reason data %s", s)
	}
}

// BenchmarkSimulatedDay fast-forwards a day of 1,000 metrics at one-minute
// resolution watched by 200 alarms (20 on metric math, 10 composite) and
// reports simulated seconds per wall second.
func BenchmarkSimulatedDay(b *testing.B) {
	const nMetrics, nAlarms, nMath, nComposite = 1000, 200, 20, 10
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, err := New(Config{Seed: 9, Start: start})
		if err != nil {
			b.Fatal(err)
		}
		h := &alarmHarness{t: &testing.T{}, w: w}
		for a := 0; a < nAlarms-nMath-nComposite; a++ {
			h.call("cloudwatch", "PutMetricAlarm", map[string]any{"AlarmName": fmt.Sprintf("a%03d", a), "Namespace": "Load",
				"MetricName": fmt.Sprintf("m%04d", a*5), "Statistic": "Average", "Period": 60, "EvaluationPeriods": 3,
				"DatapointsToAlarm": 2, "Threshold": 80, "ComparisonOperator": "GreaterThanThreshold"})
		}
		for a := 0; a < nMath; a++ {
			q := func(id string, m int) map[string]any {
				return map[string]any{"Id": id, "ReturnData": false, "MetricStat": map[string]any{
					"Metric": map[string]any{"Namespace": "Load", "MetricName": fmt.Sprintf("m%04d", m)}, "Period": 60, "Stat": "Average"}}
			}
			h.call("cloudwatch", "PutMetricAlarm", map[string]any{"AlarmName": fmt.Sprintf("math%02d", a), "EvaluationPeriods": 2,
				"Threshold": 150, "ComparisonOperator": "GreaterThanThreshold",
				"Metrics": []any{q("x", a*7+1), q("y", a*7+2), map[string]any{"Id": "s", "Expression": "x+y"}}})
		}
		for a := 0; a < nComposite; a++ {
			h.call("cloudwatch", "PutCompositeAlarm", map[string]any{"AlarmName": fmt.Sprintf("comp%02d", a),
				"AlarmRule": fmt.Sprintf("ALARM(a%03d) OR (ALARM(a%03d) AND NOT OK(math%02d))", a, a+10, a)})
		}
		step := 0
		w.clock.Every(start.Add(30*time.Second), time.Minute, "bench load", func(at time.Time) {
			data := make([]metrics.MetricDatum, 0, nMetrics)
			for m := 0; m < nMetrics; m++ {
				v := float64((m*37+step*13)%100) + 0.5
				ts := at
				data = append(data, metrics.MetricDatum{MetricName: fmt.Sprintf("m%04d", m), Value: &v, Timestamp: &ts})
			}
			for k := 0; k < len(data); k += 1000 {
				if err := w.metrics.Publish("Load", data[k:min(k+1000, len(data))]); err != nil {
					b.Fatal(err)
				}
			}
			step++
		})
		b.StartTimer()
		if _, err := w.Advance(24 * time.Hour); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		w.Close()
	}
	b.ReportMetric(float64(b.N)*86400/b.Elapsed().Seconds(), "simulated-s/s")
}
