package metricmath

import (
	"fmt"
	"testing"
)

// benchEnv is 100 metrics of 1,440 one-minute points (a day).
func benchEnv() *MapEnv {
	const n, points = 100, 1440
	env := &MapEnv{Values: map[string]Value{}, Win: Window{Start: start, End: start + points*60, Period: 60}}
	times := make([]int64, points)
	for i := range times {
		times[i] = start + int64(i)*60
	}
	for m := 0; m < n; m++ {
		id := fmt.Sprintf("m%d", m+1)
		s := Series{ID: id, Label: id, Timestamps: times, Values: make([]float64, points)}
		for i := range s.Values {
			s.Values[i] = float64((m*7+i*13)%101) + 1
		}
		env.Values[id] = TS(s)
		env.Metrics = append(env.Metrics, id)
	}
	return env
}

// BenchmarkEval evaluates expressions over 100 series x 1,440 points and
// reports input datapoints per second.
func BenchmarkEval(b *testing.B) {
	env := benchEnv()
	for _, expr := range []string{
		"SUM(METRICS()) / METRIC_COUNT(METRICS()) * 100",
		"METRICS() / m1 * 100",
		"AVG(METRICS()) - STDDEV(METRICS()) + IF(m1 > 50, m2, 0)",
		"SORT(RATE(FILL(METRICS(), REPEAT)), AVG, DESC, 10)",
	} {
		p, err := Compile(expr)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Eval(env); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(100*1440)*float64(b.N)/b.Elapsed().Seconds(), "points/s")
		})
	}
}

// BenchmarkCompile compiles a typical expression.
func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := Compile("IF(m1 > 0, 100 * m2 / m1, 0) + FILL(m3, REPEAT)"); err != nil {
			b.Fatal(err)
		}
	}
}
