package metricmath

import (
	"errors"
	"testing"
)

// fuzzSeeds are expressions of every shape: valid ones of each function,
// and invalid ones of each error.
var fuzzSeeds = []string{
	"m1/m2*100", "FILL(m1, 0)", "FILL(m3, LINEAR)", "FILL([m2, m3], REPEAT)", "SUM(METRICS())", "METRICS('err') * 100",
	"IF(c, t, f)", "IF(m1 < 35 AND m2 > 1, 10, m2)", "IF(1, m1)", "SORT(METRICS(), AVG, DESC, 3)", "SLICE(METRICS(), 1, 2)",
	"ANOMALY_DETECTION_BAND(m1, 3)", "LAST(ANOMALY_DETECTION_BAND(m1))", "RATE(m1) + DIFF(m2) - DIFF_TIME(m3)",
	"RUNNING_SUM([m1, m2])", "m1 - AVG(m1)", "STDDEV([m1, m2, m3])", "DATAPOINT_COUNT(m1) * m2", "TIME_SERIES(MAX(m1))",
	"m1 / PERIOD(m1)", "IF(DAY(m1) < 6 AND (HOUR(m1) >= 9 AND HOUR(m1) < 17), m1)", "MINUTE(m1) + DATE(m1) + MONTH(m1) + YEAR(m1) + EPOCH(m1)",
	"REMOVE_EMPTY(METRICS())", "FIRST(SORT(METRICS(), MAX, ASC))", "METRIC_COUNT(METRICS()) * m1", "LOG(m1) + LOG10(m2) + ABS(m3)",
	"CEIL(m1) / FLOOR(m2)", `SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization" NOT i-1', 'Average', 300)`,
	"INSIGHT_RULE_METRIC('rule', 'Sum')", "SERVICE_QUOTA(m1)", "DB_PERF_INSIGHTS('RDS', 'db-1', 'db.load.avg')",
	"-m1 ^ 2 ^ -1", "1e308 * 1e308 * m1", "m1 || m2 && !m3", "avg(m1)", "M1", "((m1)", "[]", "'x", "SEARCH('(', 'Sum')",
	"\x00", "m1 + \u00e9", "FILL(m1, ASC)",
}

// FuzzCompile checks that no text panics or hangs Compile and that every
// failure is an *Error whose offset is inside the text.
func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Compile(src, AllowScalar())
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Message == "" || me.Offset < 0 || me.Offset > len(src) {
				t.Fatalf("Compile(%q) = %#v", src, err)
			}
			_ = me.Caret()
			return
		}
		if p.Kind() != KindScalar && p.Kind() != KindSeries && p.Kind() != KindArray {
			t.Fatalf("Compile(%q): kind %v", src, p.Kind())
		}
	})
}

// FuzzEval checks that every expression that compiles evaluates over the
// test series without a panic, to the kind it was compiled for, or fails
// with an *Error.
func FuzzEval(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	env := testEnv()
	kinds := map[string]Kind{}
	for id, v := range env.Values {
		kinds[id] = v.Kind
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Compile(src, AllowScalar(), IDs(kinds), MaxWork(1_000_000))
		if err != nil {
			return
		}
		r, err := p.Eval(env)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Message == "" {
				t.Fatalf("Eval(%q) = %#v", src, err)
			}
			return
		}
		if r.Kind != p.Kind() {
			t.Fatalf("Eval(%q) kind %v, compiled %v", src, r.Kind, p.Kind())
		}
		for _, s := range r.Series {
			if len(s.Timestamps) != len(s.Values) {
				t.Fatalf("Eval(%q): %d timestamps, %d values", src, len(s.Timestamps), len(s.Values))
			}
			for i, v := range s.Values {
				if !finite(v) || (i > 0 && s.Timestamps[i] <= s.Timestamps[i-1]) {
					t.Fatalf("Eval(%q): bad point %d: %v at %v", src, i, v, s.Timestamps)
				}
			}
		}
	})
}
