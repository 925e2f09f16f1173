package world

import (
	"sort"
	"time"

	"github.com/telltale-dev/telltale/core/logs"
	"github.com/telltale-dev/telltale/core/metrics"
)

// logMetrics publishes the data points of CloudWatch Logs metric filters
// into CloudWatch metrics.
type logMetrics struct{ w *World }

// PublishLogMetrics implements logs.Metrics.
func (m logMetrics) PublishLogMetrics(data []logs.MetricDatum) error {
	var first error
	for _, d := range data {
		md := metrics.MetricDatum{MetricName: d.MetricName, Unit: d.Unit}
		t, v := d.Timestamp, d.Value
		md.Timestamp, md.Value = &t, &v
		for _, k := range sortedStrings(d.Dimensions) {
			md.Dimensions = append(md.Dimensions, metrics.Dimension{Name: k, Value: d.Dimensions[k]})
		}
		if err := m.w.metrics.Publish(d.Namespace, []metrics.MetricDatum{md}); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func sortedStrings(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// lambdaLogs is Lambda's log sink: Lambda writes from inside its own store
// transaction, so the lines are queued and stored by flushLogs.
type lambdaLogs struct{ w *World }

// WriteLambdaLogs implements lambda.LogSink.
func (l lambdaLogs) WriteLambdaLogs(group, stream string, at time.Time, lines []string) error {
	l.w.logs.Enqueue(group, stream, at, lines)
	return nil
}

// flushLogs stores the log lines queued during a call or a clock move.
func (w *World) flushLogs() {
	if w.logs != nil {
		// A line that cannot be stored is dropped, as a real log agent would.
		_ = w.logs.Flush()
	}
}

// Logs returns the world's CloudWatch Logs, for readers that must not be
// recorded in CloudTrail (the console's live tail polls it as the clock
// moves, as one StartLiveTail session would).
func (w *World) Logs() *logs.Service { return w.logs }
