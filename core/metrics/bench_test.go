package metrics

import (
	"fmt"
	"testing"
	"time"
)

// benchWorld holds series metrics of points one-minute datapoints each,
// ending at t0.
func benchWorld(b *testing.B, series, points int) *harness {
	h := newHarness(&testing.T{}, t0)
	b.Cleanup(func() { h.svc.store.Close() })
	var batch []MetricDatum
	flush := func() {
		if _, err := h.svc.PutMetricData(h.c(), &PutMetricDataInput{Namespace: "bench", MetricData: batch}); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	start := t0.Add(-time.Duration(points) * time.Minute)
	for s := 0; s < series; s++ {
		name := fmt.Sprintf("m%03d", s)
		for p := 0; p < points; p++ {
			batch = append(batch, at(name, start.Add(time.Duration(p)*time.Minute), float64(s+p%60)))
			if len(batch) == MaxMetricsPerPut {
				flush()
			}
		}
	}
	if len(batch) > 0 {
		flush()
	}
	return h
}

// BenchmarkMetricMathWorkload is GetMetricData with a math expression over
// 100 series of 1,440 one-minute points: the 100 MetricStat queries are read
// from the store and aggregated, and SUM(METRICS())/100 combines them.
func BenchmarkMetricMathWorkload(b *testing.B) {
	const series, points = 100, 1440
	h := benchWorld(b, series, points)
	no := false
	var qs []MetricDataQuery
	for s := 0; s < series; s++ {
		q := MetricDataQuery{Id: fmt.Sprintf("m%d", s), ReturnData: &no,
			MetricStat: &MetricStat{Metric: &Metric{Namespace: "bench", MetricName: fmt.Sprintf("m%03d", s)}, Period: i64(60), Stat: "Average"}}
		qs = append(qs, q)
	}
	qs = append(qs, MetricDataQuery{Id: "e1", Expression: str("SUM(METRICS())/100")})
	in := &GetMetricDataInput{MetricDataQueries: qs, StartTime: tm(t0.Add(-points * time.Minute)), EndTime: tm(t0)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := h.svc.GetMetricData(h.c(), in)
		if err != nil {
			b.Fatal(err)
		}
		if len(out.MetricDataResults) != 1 || len(out.MetricDataResults[0].Values) != points {
			b.Fatalf("got %d results", len(out.MetricDataResults))
		}
	}
	b.ReportMetric(float64(series*points)*float64(b.N)/b.Elapsed().Seconds(), "datapoints/s")
}

// BenchmarkGetMetricStatistics reads a day of one-minute data (1,440
// points) with the five basic statistics and a percentile.
func BenchmarkGetMetricStatistics(b *testing.B) {
	const points = 1440
	h := benchWorld(b, 1, points)
	in := &GetMetricStatisticsInput{Namespace: "bench", MetricName: "m000", StartTime: tm(t0.Add(-points * time.Minute)), EndTime: tm(t0),
		Period: i64(60), Statistics: []string{"SampleCount", "Sum", "Average", "Minimum", "Maximum"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := h.svc.GetMetricStatistics(h.c(), in)
		if err != nil || len(out.Datapoints) != points {
			b.Fatalf("%v %d", err, len(out.Datapoints))
		}
	}
	b.ReportMetric(float64(points)*float64(b.N)/b.Elapsed().Seconds(), "datapoints/s")
}

// BenchmarkPutMetricData stores 1,000 single values per call.
func BenchmarkPutMetricData(b *testing.B) {
	h := newHarness(&testing.T{}, t0)
	b.Cleanup(func() { h.svc.store.Close() })
	batch := make([]MetricDatum, MaxMetricsPerPut)
	for i := range batch {
		batch[i] = at(fmt.Sprintf("m%d", i%50), t0.Add(-time.Duration(i)*time.Second), float64(i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.svc.PutMetricData(h.c(), &PutMetricDataInput{Namespace: "bench", MetricData: batch}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(batch))*float64(b.N)/b.Elapsed().Seconds(), "datapoints/s")
}
