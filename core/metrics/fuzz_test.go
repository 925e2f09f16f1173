package metrics

import (
	"math"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/awserr"
)

// FuzzPutMetricData feeds arbitrary request documents to PutMetricData
// (through the JSON decoding of the API layer) and reads back what was
// stored: every input gives a response or an AWS error, never a panic, and
// stored data reads back with finite statistics.
func FuzzPutMetricData(f *testing.F) {
	f.Add([]byte(`{"Namespace":"ns","MetricData":[{"MetricName":"m","Value":1.5}]}`))
	f.Add([]byte(`{"Namespace":"ns","MetricData":[{"MetricName":"m","Values":[1,2,3],"Counts":[1,0,5],"Unit":"Count","StorageResolution":1}]}`))
	f.Add([]byte(`{"Namespace":"ns","MetricData":[{"MetricName":"m","StatisticValues":{"SampleCount":3,"Sum":6,"Minimum":2,"Maximum":2},"Dimensions":[{"Name":"a","Value":"b"}]}]}`))
	f.Add([]byte(`{"Namespace":"AWS/x","MetricData":[{"MetricName":"m","Value":1e300,"Timestamp":"2026-01-02T03:04:05Z"}]}`))
	f.Add([]byte(`{"Namespace":"ns","MetricData":[{"MetricName":"m","Values":[-1e-300],"Counts":[-1]}]}`))
	f.Add([]byte(`{"Namespace":"ns","MetricData":[{"MetricName":"m"}]}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, req []byte) {
		h := newHarness(t, confNow)
		if len(req) > 1<<16 {
			return
		}
		if _, err := h.ops["PutMetricData"](h.c(), req); err != nil {
			if _, ok := err.(*awserr.Error); !ok {
				t.Fatalf("not an AWS error: %v", err)
			}
			return
		}
		for _, stat := range []string{"Sum", "Average", "p50", "IQM", "TC(0:1)"} {
			s, err := h.svc.ListMetrics(h.c(), &ListMetricsInput{})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range s.Metrics {
				dps, err := h.svc.Statistics(Query{Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions,
					Start: confNow.Add(-15 * 24 * time.Hour), End: confNow.Add(3 * time.Hour), Period: 3600, Stat: stat})
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range dps {
					if math.IsNaN(d.Value) {
						t.Fatalf("%s of %v is NaN", stat, m)
					}
				}
			}
		}
	})
}

// FuzzParseStatistic checks that any statistic name parses or is refused
// without a panic, and that a parsed one evaluates.
func FuzzParseStatistic(f *testing.F) {
	for _, s := range []string{"p99", "p99.9999999999", "tm90", "IQM", "TM(10%:90%)", "TC(:0.5)", "PR(100:2000)", "WM(:)", "Sum", "p100", "TS(80%:)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, ok := ParseStatistic(s)
		if !ok {
			return
		}
		var c cell
		c.add(1, 3)
		c.add(5, 2)
		st.value(&c)
	})
}
