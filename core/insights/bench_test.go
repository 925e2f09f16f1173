package insights

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// workloadSize is the number of events of BenchmarkInsightsWorkload.
const workloadSize = 1_000_000

var (
	workloadOnce sync.Once
	workload     []Event
)

// genInsightsWorkload generates JSON application logs with a fixed seed,
// 20 events a second from 2026-01-02T00:00:00Z (about 14 hours).
func genInsightsWorkload() {
	r := rand.New(rand.NewPCG(20261123, 6))
	levels := []string{"INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"}
	methods := []string{"GET", "GET", "GET", "POST", "PUT", "DELETE"}
	paths := []string{"/api/orders", "/api/users", "/api/cart", "/health", "/login"}
	statuses := []int{200, 200, 200, 200, 201, 301, 404, 500, 503}
	workload = make([]Event, workloadSize)
	const start = 1767312000000
	for i := range workload {
		lat := r.IntN(2000)
		m, p, st := methods[r.IntN(len(methods))], paths[r.IntN(len(paths))], statuses[r.IntN(len(statuses))]
		msg := fmt.Sprintf(`{"level":"%s","latency":%d,"status":%d,"requestId":"%08x","msg":"%s %s %d in %dms","user":{"id":%d}}`,
			levels[r.IntN(len(levels))], lat, st, r.Uint32(), m, p, st, lat, r.IntN(10000))
		ts := int64(start + i*50)
		workload[i] = Event{Timestamp: ts, Ingestion: ts + 200, Message: msg, LogStream: "i-0abc", Log: "123456789012:/app/api"}
	}
}

// workloadQueries are the benchmark's queries: issue 6's stats by bin and
// status, and a parse + filter + sort query.
var workloadQueries = []struct{ name, q string }{
	{"stats", `stats count(*), avg(latency) by bin(5m), status`},
	{"parse_filter_sort", `parse @message '"msg":"* * * in *ms"' as method, path, code, ms | filter method = "POST" and ms > 1500 | sort ms desc | limit 20`},
}

// BenchmarkInsightsWorkload runs each query over 1,000,000 JSON events and
// reports the events scanned per second.
func BenchmarkInsightsWorkload(b *testing.B) {
	workloadOnce.Do(genInsightsWorkload)
	for _, wq := range workloadQueries {
		b.Run(wq.name, func(b *testing.B) {
			q, err := Parse(wq.q)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var res *Result
			for range b.N {
				res, err = q.Run(slices.Values(workload), Options{End: 1 << 62})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(workloadSize)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(res.Stats.RecordsMatched, "matched")
		})
	}
}
