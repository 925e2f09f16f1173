package filterpattern

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// workloadEvents is the size of BenchmarkFilterWorkload's log.
const workloadEvents = 1_000_000

var (
	workloadOnce  sync.Once
	workload      []string
	workloadBytes int64
)

// genWorkload generates the benchmark's log with a fixed seed: half Apache
// access-log lines, half JSON application logs, about 5% errors.
func genWorkload() {
	r := rand.New(rand.NewPCG(20261123, 5))
	methods := []string{"GET", "GET", "GET", "POST", "PUT", "DELETE"}
	paths := []string{"/index.html", "/api/orders", "/api/users/42", "/static/app.js", "/health", "/login"}
	statuses := []int{200, 200, 200, 200, 200, 201, 301, 304, 404, 500, 503}
	levels := []string{"INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"}
	services := []string{"orders", "users", "payments", "search"}
	users := []string{"-", "bob", "alice", "frank"}
	workload = make([]string, workloadEvents)
	var b strings.Builder
	for i := range workload {
		b.Reset()
		sec := i / 50
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, `10.0.%d.%d - %s [24/Sep/2013:%02d:%02d:%02d -0700] "%s %s HTTP/1.1" %d %d`,
				r.IntN(256), r.IntN(256), users[r.IntN(len(users))], sec/3600%24, sec/60%60, sec%60,
				methods[r.IntN(len(methods))], paths[r.IntN(len(paths))], statuses[r.IntN(len(statuses))], r.IntN(5000))
		} else {
			lvl := levels[r.IntN(len(levels))]
			fmt.Fprintf(&b, `{"timestamp":"2013-09-24T%02d:%02d:%02dZ","level":"%s","service":"%s","requestId":"%08x-%04x","latency_ms":%d,"message":"handled %s request","user":{"id":%d,"roles":["reader","writer"]}}`,
				sec/3600%24, sec/60%60, sec%60, lvl, services[r.IntN(len(services))], r.Uint32(), r.IntN(65536),
				r.IntN(2000), methods[r.IntN(len(methods))], r.IntN(10000))
		}
		workload[i] = b.String()
		workloadBytes += int64(len(workload[i]))
	}
}

// workloadPatterns are the benchmark's patterns, one per kind.
var workloadPatterns = map[string]string{
	"terms": `ERROR -health`,
	"space": `[ip, id, user, timestamp, request = *POST*, status_code = 5*, bytes > 1000]`,
	"json":  `{ $.level = "ERROR" && $.latency_ms > 500 }`,
	// json-numeric has no string equality for the prefilter to use.
	"json-numeric": `{ $.latency_ms > 1500 && $.user.id < 5000 }`,
}

// jqPrograms are the jq 1.6 filters equivalent to the JSON patterns, run
// over the same raw lines (non-JSON lines are dropped by fromjson?).
var jqPrograms = map[string]string{
	"json":         `fromjson? | select(type == "object" and .level == "ERROR" and (.latency_ms | type == "number" and . > 500))`,
	"json-numeric": `fromjson? | select(type == "object" and (.latency_ms | type == "number" and . > 1500) and (.user | type == "object" and (.id | type == "number" and . < 5000)))`,
}

type jqResult struct {
	secs    float64
	matches int
	ok      bool
}

var (
	jqMu      sync.Mutex
	jqResults = map[string]jqResult{}
	jqFile    string
)

// timeJQ runs Debian's jq with program over the workload right after the
// pattern's own run (so both see the same machine load) and returns its
// time and the number of lines it selected; ok is false when jq cannot be
// run (not installed, or WebAssembly), and then stays false.
func timeJQ(b *testing.B, program string) (float64, int, bool) {
	jqMu.Lock()
	defer jqMu.Unlock()
	if r, done := jqResults[program]; done && !r.ok {
		return 0, 0, false
	}
	r := runJQ(b, program)
	jqResults[program] = r
	return r.secs, r.matches, r.ok
}

func runJQ(b *testing.B, program string) jqResult {
	path, err := exec.LookPath("jq")
	if err != nil {
		b.Logf("jq cannot be run (%v): ratio absent", err)
		return jqResult{}
	}
	if jqFile == "" {
		file := filepath.Join(os.TempDir(), fmt.Sprintf("filterpattern-workload-%d.log", os.Getpid()))
		f, err := os.Create(file)
		if err != nil {
			b.Logf("jq: %v", err)
			return jqResult{}
		}
		w := bufio.NewWriter(f)
		for _, l := range workload {
			w.WriteString(l)
			w.WriteByte('\n')
		}
		err = w.Flush()
		f.Close()
		if err != nil {
			b.Logf("jq: %v", err)
			return jqResult{}
		}
		jqFile = file
	}
	cmd := exec.Command(path, "-cR", program, jqFile)
	var out bytes.Buffer
	cmd.Stdout = &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Logf("jq: %v: ratio absent", err)
		return jqResult{}
	}
	return jqResult{secs: time.Since(start).Seconds(), matches: bytes.Count(out.Bytes(), []byte{'\n'}), ok: true}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if jqFile != "" {
		os.Remove(jqFile)
	}
	os.Exit(code)
}

// BenchmarkFilterWorkload filters 1,000,000 generated log events (Apache
// access-log lines and JSON application logs, fixed seed) with a pattern of
// each kind. For kind=json it also times jq 1.6 running the equivalent
// select over the same lines and reports jq's time over ours as
// jq-ratio (absent when jq cannot be run, as in WebAssembly).
func BenchmarkFilterWorkload(b *testing.B) {
	benchWorkload(b, []string{"terms", "space", "json"})
}

// BenchmarkFilterWorkloadNumeric is kind=json with a pattern that has no
// string equality, so the required-literal prefilter cannot skip events:
// every JSON line is decoded and run through gojq.
func BenchmarkFilterWorkloadNumeric(b *testing.B) {
	benchWorkload(b, []string{"json-numeric"})
}

func benchWorkload(b *testing.B, kinds []string) {
	workloadOnce.Do(genWorkload)
	for _, kind := range kinds {
		b.Run("kind="+kind, func(b *testing.B) {
			p, err := Parse(workloadPatterns[kind])
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(workloadBytes)
			b.ResetTimer()
			matches := 0
			for i := 0; i < b.N; i++ {
				matches = 0
				for _, e := range workload {
					if p.Matches(e) {
						matches++
					}
				}
			}
			b.StopTimer()
			elapsed := b.Elapsed().Seconds()
			b.ReportMetric(float64(workloadEvents)*float64(b.N)/elapsed, "events/s")
			b.ReportMetric(float64(matches), "matches")
			if jqp := jqPrograms[kind]; jqp != "" {
				secs, n, ok := timeJQ(b, jqp)
				if ok {
					if n != matches {
						b.Errorf("jq selected %d events, the pattern %d", n, matches)
					}
					b.ReportMetric(secs/(elapsed/float64(b.N)), "jq-ratio")
				}
			}
		})
	}
}

// TestWorkloadJQEquivalence checks on a sample that jq's select and the
// JSON pattern agree event by event, so the benchmark compares like with
// like (skipped checks are reported, not hidden: without jq it only checks
// the pattern runs).
func TestWorkloadJQEquivalence(t *testing.T) {
	jqProgram := jqPrograms["json"]
	p, err := Parse(workloadPatterns["json"])
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`{"level":"ERROR","latency_ms":501}`, `{"level":"ERROR","latency_ms":500}`, `{"level":"ERROR","latency_ms":"900"}`,
		`{"level":"ERROR"}`, `{"level":"WARN","latency_ms":900}`, `127.0.0.1 - - [x] "GET / HTTP/1.1" 200 1`, `[1]`, `{"level":"ERROR","latency_ms":9e2}`,
	}
	want := []bool{true, false, false, false, false, false, false, true}
	for i, l := range lines {
		if got := p.Matches(l); got != want[i] {
			t.Errorf("pattern on %s = %v", l, got)
		}
	}
	path, err := exec.LookPath("jq")
	if err != nil {
		t.Logf("jq not installed: equivalence with jq not checked")
		return
	}
	for i, l := range lines {
		c := exec.Command(path, "-cR", jqProgram)
		c.Stdin = strings.NewReader(l + "\n")
		got, err := c.Output()
		if err != nil {
			t.Fatalf("jq: %v", err)
		}
		if (len(bytes.TrimSpace(got)) > 0) != want[i] {
			t.Errorf("jq on %s selected %q", l, got)
		}
	}
}
