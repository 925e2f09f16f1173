package eventpattern

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type workload struct {
	events [][]byte
	rules  map[int][]*Pattern
	progs  map[int][]*Program
	want   map[int][]string // per rule count: line per event ("" when no match)
}

func loadWorkload(tb testing.TB) *workload {
	tb.Helper()
	dir := sharedDir(tb, filepath.Join("bench", "eventbridge"))
	w := &workload{rules: map[int][]*Pattern{}, progs: map[int][]*Program{}, want: map[int][]string{}}
	data, err := os.ReadFile(filepath.Join(dir, "events.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		w.events = append(w.events, line)
	}
	for _, n := range []int{1, 10, 100, 1000} {
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("rules_%d.jsonl", n)))
		if err != nil {
			tb.Fatal(err)
		}
		for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			p, err := Parse(line)
			if err != nil {
				tb.Fatalf("rules_%d line %d: %v", n, i, err)
			}
			w.rules[n] = append(w.rules[n], p)
			prog, err := Compile(p)
			if err != nil {
				tb.Fatalf("rules_%d line %d: %v", n, i, err)
			}
			w.progs[n] = append(w.progs[n], prog)
		}
		want := make([]string, len(w.events))
		f, err := os.Open(filepath.Join(dir, "expected", fmt.Sprintf("matches_rules_%d.tsv", n)))
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			id, ids, _ := strings.Cut(sc.Text(), "\t")
			i, err := strconv.Atoi(id)
			if err != nil || i < 0 || i >= len(want) {
				tb.Fatalf("bad expected line %q", sc.Text())
			}
			want[i] = ids
		}
		f.Close()
		w.want[n] = want
	}
	return w
}

func joinIDs(ids []int) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(id))
	}
	return b.String()
}

// check matches every event and compares with the expected lists.
func (w *workload) check(tb testing.TB, n int, s *Set) { w.checkEvery(tb, n, s, 1) }

// checkEvery is check on every step-th event.
func (w *workload) checkEvery(tb testing.TB, n int, s *Set, step int) {
	var ids []int
	diffs := 0
	for i := 0; i < len(w.events); i += step {
		ev := w.events[i]
		var err error
		ids, err = s.Match(ev, ids)
		if err != nil {
			tb.Fatalf("event %d: %v", i, err)
		}
		if got := joinIDs(ids); got != w.want[n][i] {
			diffs++
			if diffs <= 10 {
				tb.Errorf("rules=%d event %d: got [%s], want [%s]", n, i, got, w.want[n][i])
			}
		}
	}
	if diffs > 0 {
		tb.Fatalf("rules=%d: %d events differ from expected/matches_rules_%d.tsv", n, diffs, n)
	}
}

// newSet returns the routing set of compiled programs.
func newSet(ps []*Program) *Set {
	s := NewSet()
	for _, p := range ps {
		s.Add(p)
	}
	return s
}

// newReferenceSet returns the native reference set (no jq).
func newReferenceSet(ps []*Pattern) *Set {
	s := newNativeSet()
	for _, p := range ps {
		s.addPattern(p)
	}
	return s
}

// BenchmarkMatchWorkload matches the 10,000 events of
// ../shared/bench/eventbridge against 1, 10, 100 and 1000 rules with the
// routing Set (index, pre-check, jq for the candidates it leaves open),
// checks the match lists against expected/, and reports events per second
// and, per event, the candidate branches, the jq runs and the decodes.
func BenchmarkMatchWorkload(b *testing.B) {
	w := loadWorkload(b)
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			s := newSet(w.progs[n])
			w.check(b, n, s)
			st := s.Stats()
			var ids []int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, ev := range w.events {
					ids, _ = s.Match(ev, ids)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*len(w.events))/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(0, "ns/op")
			ev := float64(st.Events)
			b.ReportMetric(float64(st.Candidates)/ev, "cands/event")
			b.ReportMetric(float64(st.JQRuns)/ev, "jq/event")
			b.ReportMetric(float64(st.Decodes)/ev, "decodes/event")
		})
	}
}

// BenchmarkMatchWorkloadJQ is BenchmarkMatchWorkload with a pre-check that
// rejects but never accepts: every candidate it does not reject is decided
// by jq (about one jq run per match; measures the cost of the jq runs).
func BenchmarkMatchWorkloadJQ(b *testing.B) {
	w := loadWorkload(b)
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			s := newSet(w.progs[n])
			s.noAccept = true
			w.check(b, n, s)
			st := s.Stats()
			var ids []int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, ev := range w.events {
					ids, _ = s.Match(ev, ids)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*len(w.events))/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(st.JQRuns)/float64(st.Events), "jq/event")
		})
	}
}

// BenchmarkMatchWorkloadReference is BenchmarkMatchWorkload with the native
// reference matcher (no jq at all), for comparison.
func BenchmarkMatchWorkloadReference(b *testing.B) {
	w := loadWorkload(b)
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			s := newReferenceSet(w.rules[n])
			w.check(b, n, s)
			var ids []int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, ev := range w.events {
					ids, _ = s.Match(ev, ids)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*len(w.events))/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// TestWorkload checks the native reference matcher against the expected
// match lists on every event at every size; the routing Set, and the routing
// Set with every candidate sent to jq, on every event at 1, 10 and 100 rules
// and every 10th at 1000 (every 10th at every size with -short;
// BenchmarkMatchWorkload checks every event at every size); and the jq
// programs alone (every rule on every event, every 10th with -short) on the
// 10 rules.
func TestWorkload(t *testing.T) {
	w := loadWorkload(t)
	for _, n := range []int{1, 10, 100, 1000} {
		step := 1
		if n == 1000 || testing.Short() {
			step = 10
		}
		s := newSet(w.progs[n])
		w.checkEvery(t, n, s, step)
		st := s.Stats()
		t.Logf("rules=%d: per event %.2f candidates, %.2f rejected, %.2f accepted without jq, %.2f jq runs (%.2f matched), %.2f decodes",
			n, f(st.Candidates, st.Events), f(st.Rejected, st.Events), f(st.Accepted, st.Events), f(st.JQRuns, st.Events), f(st.JQMatches, st.Events), f(st.Decodes, st.Events))
		s = newSet(w.progs[n])
		s.forceJQ = true
		w.checkEvery(t, n, s, step)
		w.check(t, n, newReferenceSet(w.rules[n]))
	}
	step := 1
	if testing.Short() {
		step = 10
	}
	for i := 0; i < len(w.events); i += step {
		var ids []int
		for r, prog := range w.progs[10] {
			ok, err := prog.Match(w.events[i])
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				ids = append(ids, r)
			}
		}
		if got := joinIDs(ids); got != w.want[10][i] {
			t.Errorf("jq, rules=10, event %d: got [%s], want [%s]", i, got, w.want[10][i])
		}
	}
}

func f(a, b int) float64 { return float64(a) / float64(max(b, 1)) }
