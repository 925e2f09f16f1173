package metrics

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/metricmath"
	"github.com/telltale-dev/telltale/core/store"
)

// oldMetricID is metricID as first written, with fmt.
func dim(n, v string) Dimension { return Dimension{Name: n, Value: v} }

// lcg is a small deterministic generator for the random tests.
type lcg struct{ x uint64 }

func (g *lcg) IntN(n int) int {
	g.x = g.x*6364136223846793005 + 1442695040888963407
	return int((g.x >> 33) % uint64(n))
}

func (g *lcg) Int64N(n int64) int64 {
	g.x = g.x*6364136223846793005 + 1442695040888963407
	return int64((g.x >> 1) % uint64(n))
}

func oldMetricID(namespace, name string, dims []Dimension) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s%d:%s", len(namespace), namespace, len(name), name)
	for _, d := range canonical(dims) {
		fmt.Fprintf(h, "%d:%s%d:%s", len(d.Name), d.Name, len(d.Value), d.Value)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func TestMetricIDUnchanged(t *testing.T) {
	h := newHarness(t, t0)
	for _, c := range []struct {
		ns, name string
		dims     []Dimension
	}{
		{"A", "m", nil},
		{"Load", "m0001", []Dimension{dim("b", "2"), dim("a", "1")}},
		{"x/y", "é", []Dimension{dim("a", "2"), dim("a", "1"), dim("c", "")}},
		{"", "", []Dimension{dim("z", "1:2")}},
	} {
		want := oldMetricID(c.ns, c.name, c.dims)
		if got := metricID(c.ns, c.name, c.dims); got != want {
			t.Errorf("metricID(%q, %q, %v) = %s, want %s", c.ns, c.name, c.dims, got, want)
		}
		for k := 0; k < 2; k++ {
			if got := h.svc.idOf(c.ns, c.name, c.dims); got != want {
				t.Errorf("idOf(%q, %q, %v) = %s, want %s", c.ns, c.name, c.dims, got, want)
			}
		}
	}
}

func TestTimeKeyAndPrefixUnchanged(t *testing.T) {
	r := &lcg{1}
	times := []time.Time{{}, time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 10, 0, 0, 5, time.FixedZone("x", 3600))}
	for k := 0; k < 1000; k++ {
		times = append(times, time.Unix(r.Int64N(1<<36)-1<<35, r.Int64N(1e9)))
	}
	for _, tt := range times {
		if got, want := timeKey(tt), store.TimeKey(tt); got != want {
			t.Fatalf("timeKey(%v) = %s, want %s", tt, got, want)
		}
	}
	for _, u := range []int{0, 7, 26, 100} {
		for _, iv := range []int64{1, 60, 300, 3600, 7} {
			want := fmt.Sprintf("%s%s/%02d/%s/", dataPrefix, "id", u, fmt.Sprintf("%04d", iv))
			if got := seriesPrefix("id", u, iv); got != want {
				t.Fatalf("seriesPrefix = %s, want %s", got, want)
			}
		}
	}
}

func TestEncodeMetricIsJSON(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 123000000, time.UTC)
	for _, m := range []metric{
		{Namespace: "Load", MetricName: "m0001", Units: []int{0}, LastReceived: at, RolledUp: at},
		{Namespace: "A", MetricName: "b", Dimensions: []Dimension{dim("InstanceId", "i-1"), dim("k", "v w")}, Units: []int{3, 0, 26}, LastReceived: at},
		{Namespace: "A", MetricName: "b"},
		{Namespace: "A", MetricName: "b", Units: []int{}, LastReceived: at.In(time.FixedZone("x", 3600))},
		{Namespace: "<&>", MetricName: "\"q\"\\", Units: []int{1}},
		{Namespace: "é", MetricName: "\u2028", Units: []int{1}},
		{Namespace: "A", MetricName: "b", Dimensions: []Dimension{dim("a\x01", "v")}},
		{Namespace: "A", MetricName: "b", LastReceived: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		want, werr := json.Marshal(&m)
		got, _, ok := encodeMetric(&m)
		if !ok {
			continue // encoding/json writes it
		}
		if werr != nil || got != string(want) {
			t.Errorf("encodeMetric(%+v) = %s, want %s (%v)", m, got, want, werr)
		}
	}
	// The service falls back to encoding/json.
	h := newHarness(t, t0)
	h.put("<ns>", at0("é&", t0, 1))
	h.svc.store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, metricPrefix, func(k, v string) bool {
			var m metric
			if err := json.Unmarshal([]byte(v), &m); err != nil || m.Namespace != "<ns>" || m.MetricName != "é&" {
				t.Errorf("stored %s: %v", v, err)
			}
			b, _ := json.Marshal(&m)
			if string(b) != v {
				t.Errorf("stored %s, encoding/json writes %s", v, b)
			}
			return true
		})
	})
}

func at0(name string, t time.Time, v float64) MetricDatum { return at(name, t, v) }

// refAdd is the block writer as first written: decode the stored block into
// a map, merge, encode.
func refDecode(s string) map[int]*cell {
	b := map[int]*cell{}
	for _, part := range strings.Split(s, ";") {
		is, cs, ok := strings.Cut(part, "|")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(is)
		if err != nil || i < 0 || i >= cellsPerBlock {
			continue
		}
		c := decodeCell(cs)
		if c.empty() {
			continue
		}
		b[i] = &c
	}
	return b
}

func refEncode(b map[int]*cell) string {
	var idx []int
	for i := range b {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	var parts []string
	for _, i := range idx {
		parts = append(parts, strconv.Itoa(i)+"|"+b[i].encode())
	}
	return strings.Join(parts, ";")
}

// TestBlockWriterMatchesReference writes random cells (in and out of order,
// merged, empty, statistic sets) in random transactions, some rolled back,
// with stored values changed behind the cache's back (damaged, unsorted,
// duplicated, with empty cells, deleted), and checks that every stored block
// is what the original decode-merge-encode writer gives, and that what the
// cache decodes is what decodeBlock does.
func TestBlockWriterMatchesReference(t *testing.T) {
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := newCaches()
	r := &lcg{3}
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ids := []string{"a", "b"}
	randomCell := func() cell {
		var cl cell
		switch r.IntN(6) {
		case 0:
			cl.add(float64(r.IntN(5)), 0) // empty
		case 1:
			cl.addSet(3, 10, 1, 5)
		case 2:
			cl.add(float64(r.IntN(5)), float64(1+r.IntN(3)))
			cl.add(float64(r.IntN(5))+0.5, 1)
		default:
			cl.add(float64(r.IntN(100))/4, 1)
		}
		return cl
	}
	for round := 0; round < 400; round++ {
		switch r.IntN(10) {
		case 0: // a value stored behind the cache's back
			key, _ := blockKey(ids[r.IntN(2)], 0, 60, base)
			raw := []string{"5|1 2 2 2 2 1;3|1 1 1 1 1 1", "3|1 1 1 1 1 1;3|1 4 4 4 4 1", "7|0 0 0 0;9|1 1 1 1 1 1", "x|y;2|1 1 1 1", "", "1|1 1 1 1 1 1"}[r.IntN(6)]
			st.Update(func(tx *store.Tx) error { _, _, err := tx.Set(key, raw, nil); return err })
			continue
		case 1:
			key, _ := blockKey(ids[r.IntN(2)], 0, 60, base)
			st.Update(func(tx *store.Tx) error { tx.Delete(key); return nil })
			continue
		}
		fail := r.IntN(5) == 0
		var want map[string]string
		err := st.Update(func(tx *store.Tx) error {
			want = map[string]string{}
			bw := newBlockWriter(tx, c)
			ref := map[string]map[int]*cell{}
			var order []string
			for n := 1 + r.IntN(4); n > 0; n-- {
				id := ids[r.IntN(2)]
				var ts time.Time
				if r.IntN(3) == 0 {
					ts = base.Add(time.Duration(r.IntN(60)) * time.Minute)
				} else {
					ts = base.Add(time.Duration(round%60) * time.Minute)
				}
				cl := randomCell()
				bw.add(id, 0, 60, ts, &cl)
				key, idx := blockKey(id, 0, 60, ts)
				b, ok := ref[key]
				if !ok {
					b = map[int]*cell{}
					if v, err := tx.Get(key); err == nil {
						b = refDecode(v)
					}
					ref[key] = b
					order = append(order, key)
				}
				if old := b[idx]; old != nil {
					old.merge(&cl)
				} else {
					cc := cl
					cc.dist = append([]valueCount(nil), cl.dist...)
					b[idx] = &cc
				}
			}
			for _, k := range order {
				want[k] = refEncode(ref[k])
			}
			if err := bw.flush(); err != nil {
				return err
			}
			if fail {
				return errors.New("roll back")
			}
			return nil
		})
		if fail != (err != nil) {
			t.Fatalf("round %d: %v", round, err)
		}
		if fail {
			continue
		}
		st.View(func(tx *store.Tx) error {
			for k, w := range want {
				got, _ := tx.Get(k)
				if got != w {
					t.Fatalf("round %d: %s holds %q, want %q", round, k, got, w)
				}
				id, _, _ := strings.Cut(k[len(dataPrefix):], "/")
				e := c.block(c.state(id), k, k[:strings.LastIndexByte(k, '/')+1], got)
				if d := decodeBlock(got); !reflect.DeepEqual(e.cells, d) && !(len(e.cells) == 0 && len(d) == 0) {
					t.Fatalf("round %d: cached cells %v, decodeBlock %v", round, e.cells, d)
				}
				if e.canon && e.cells.encode() != got {
					t.Fatalf("round %d: canonical entry does not encode to %q", round, got)
				}
			}
			return nil
		})
	}
}

func TestDecodeBlockLaterPartWins(t *testing.T) {
	b := decodeBlock("5|1 2 2 2 2 1;3|1 1 1 1 1 1;5|1 7 7 7 7 1;4|0 0 0 0;x|1")
	if len(b) != 2 || b[0].i != 3 || b[1].i != 5 || b[1].c.sum != 7 {
		t.Fatalf("decodeBlock: %+v", b)
	}
}

// TestMetricCacheFollowsStore: statistics always read what the store holds,
// after puts, a period merging several cells (which must not change the
// cached cells), a block and a metric changed behind the service's back (as
// a restore loads them), a delete, a rolled back put and a put again.
func TestMetricCacheFollowsStore(t *testing.T) {
	h := newHarness(t, t0.Add(10*time.Minute))
	sum := func(period int64) []float64 {
		t.Helper()
		dps, err := h.svc.Statistics(Query{Namespace: "N", MetricName: "m", Start: t0, End: t0.Add(10 * time.Minute), Period: period, Stat: "Sum"})
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, d := range dps {
			out = append(out, d.Value)
		}
		return out
	}
	for k := 0; k < 5; k++ {
		h.put("N", at("m", t0.Add(time.Duration(k)*time.Minute), float64(k+1)))
	}
	if got := sum(60); !reflect.DeepEqual(got, []float64{1, 2, 3, 4, 5}) {
		t.Fatalf("after puts: %v", got)
	}
	for k := 0; k < 3; k++ {
		if got := sum(300); !reflect.DeepEqual(got, []float64{15}) {
			t.Fatalf("period 300, read %d: %v", k, got)
		}
	}
	if got := sum(60); !reflect.DeepEqual(got, []float64{1, 2, 3, 4, 5}) {
		t.Fatalf("after merging reads: %v", got)
	}
	id := metricID("N", "m", nil)
	key, _ := blockKey(id, unitIndex("None"), 60, t0)
	set := func(k, v string) {
		t.Helper()
		if err := h.svc.store.Update(func(tx *store.Tx) error { _, _, err := tx.Set(k, v, nil); return err }); err != nil {
			t.Fatal(err)
		}
	}
	set(key, "1|1 9 9 9 9 1")
	if got := sum(60); !reflect.DeepEqual(got, []float64{9}) {
		t.Fatalf("after a direct block write: %v", got)
	}
	// A metric record without the unit: no data.
	var raw string
	h.svc.store.View(func(tx *store.Tx) error { raw, _ = tx.Get(metricPrefix + id); return nil })
	set(metricPrefix+id, strings.Replace(raw, `"units":[`+strconv.Itoa(unitIndex("None"))+`]`, `"units":[]`, 1))
	if got := sum(60); len(got) != 0 {
		t.Fatalf("after the unit was dropped from the metric: %v", got)
	}
	set(metricPrefix+id, raw)
	if got := sum(60); !reflect.DeepEqual(got, []float64{9}) {
		t.Fatalf("after the metric came back: %v", got)
	}
	// A put that fails leaves nothing behind.
	err := h.svc.store.Update(func(tx *store.Tx) error {
		bw := newBlockWriter(tx, h.svc.cache)
		var cl cell
		cl.add(100, 1)
		bw.add(id, unitIndex("None"), 60, t0.Add(2*time.Minute), &cl)
		if err := bw.flush(); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil {
		t.Fatal("the update should fail")
	}
	if got := sum(60); !reflect.DeepEqual(got, []float64{9}) {
		t.Fatalf("after a rolled back put: %v", got)
	}
	h.put("N", at("m", t0.Add(2*time.Minute), 3))
	if got := sum(60); !reflect.DeepEqual(got, []float64{9, 3}) {
		t.Fatalf("after a put: %v", got)
	}
	h.svc.store.Update(func(tx *store.Tx) error { tx.Delete(key); return nil })
	if got := sum(60); len(got) != 0 {
		t.Fatalf("after a delete: %v", got)
	}
	h.put("N", at("m", t0.Add(4*time.Minute), 7))
	if got := sum(60); !reflect.DeepEqual(got, []float64{7}) {
		t.Fatalf("after a put again: %v", got)
	}
}

// TestCompileCache: a compiled expression is reused only with the same ids,
// kinds and scalar permission.
func TestCompileCache(t *testing.T) {
	h := newHarness(t, t0)
	series := map[string]metricmath.Kind{"a": metricmath.KindSeries}
	scalar := map[string]metricmath.Kind{"a": metricmath.KindScalar}
	p1, err := h.svc.compile("a*2", series, false)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := h.svc.compile("a*2", series, false)
	if err != nil || p2 != p1 {
		t.Fatalf("the same compilation is not reused: %v", err)
	}
	if _, err := h.svc.compile("a*2", scalar, false); err == nil {
		t.Fatal("a scalar result compiles without AllowScalar")
	}
	if p, err := h.svc.compile("a*2", scalar, true); err != nil || p == p1 || p.Kind() != metricmath.KindScalar {
		t.Fatalf("scalar compilation: %v", err)
	}
	if _, err := h.svc.compile("b*2", series, false); err == nil {
		t.Fatal("an unknown id compiles")
	}
	if p, err := h.svc.compile("b*2", nil, false); err != nil || p.Kind() != metricmath.KindSeries {
		t.Fatalf("without ids: %v", err)
	}
}

// TestPutStartsFromStoredRecord: a put starts from the metric record the
// store holds even when the cache holds another (changed behind the
// service's back, deleted, or damaged), as the original read-modify-write
// did.
func TestPutStartsFromStoredRecord(t *testing.T) {
	h := newHarness(t, t0)
	id := metricID("N", "m", nil)
	key := metricPrefix + id
	record := func() metric {
		t.Helper()
		var m metric
		h.svc.store.View(func(tx *store.Tx) error {
			v, err := tx.Get(key)
			if err != nil {
				t.Fatalf("no record: %v", err)
			}
			b, _ := json.Marshal(func() metric { json.Unmarshal([]byte(v), &m); return m }())
			if string(b) != v {
				t.Fatalf("stored %s, encoding/json writes %s", v, b)
			}
			return nil
		})
		return m
	}
	set := func(v string) {
		h.svc.store.Update(func(tx *store.Tx) error {
			if v == "" {
				tx.Delete(key)
				return nil
			}
			_, _, err := tx.Set(key, v, nil)
			return err
		})
	}
	h.put("N", at("m", t0, 1))
	if m := record(); !reflect.DeepEqual(m.Units, []int{unitIndex("None")}) || !m.RolledUp.Equal(t0) {
		t.Fatalf("first put: %+v", m)
	}
	// Behind the cache's back: another unit, and an old roll-up.
	set(`{"ns":"N","name":"m","units":[3],"last":"2026-03-04T09:00:00Z","rolled":"2026-03-04T08:00:00Z"}`)
	h.clock.t = t0.Add(time.Minute)
	h.put("N", at("m", t0.Add(time.Minute), 2))
	if m := record(); !reflect.DeepEqual(m.Units, []int{3, unitIndex("None")}) || !m.RolledUp.Equal(t0.Add(time.Minute)) || !m.LastReceived.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after a change behind the cache: %+v", m)
	}
	// Deleted: a fresh record.
	set("")
	h.clock.t = t0.Add(2 * time.Minute)
	h.put("N", MetricDatum{MetricName: "m", Value: f(1), Unit: "Seconds"})
	if m := record(); !reflect.DeepEqual(m.Units, []int{unitIndex("Seconds")}) || !m.RolledUp.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("after a delete: %+v", m)
	}
	// Damaged: a fresh record too (as the original, which could not read it).
	set(`{"ns":`)
	h.clock.t = t0.Add(3 * time.Minute)
	h.put("N", at("m", t0.Add(3*time.Minute), 1))
	if m := record(); !reflect.DeepEqual(m.Units, []int{unitIndex("None")}) || !m.RolledUp.Equal(t0.Add(3*time.Minute)) {
		t.Fatalf("after damage: %+v", m)
	}
	// And the next put, from the cache, continues from there.
	h.clock.t = t0.Add(4 * time.Minute)
	h.put("N", MetricDatum{MetricName: "m", Value: f(1), Unit: "Seconds"})
	if m := record(); !reflect.DeepEqual(m.Units, []int{unitIndex("None"), unitIndex("Seconds")}) || !m.RolledUp.Equal(t0.Add(3*time.Minute)) {
		t.Fatalf("next put: %+v", m)
	}
}

// TestScanUnitMatchesRanges: the one scan of scanUnit visits the blocks the
// range of each interval holds, in the same order, whatever blocks are
// stored around them.
func TestScanUnitMatchesRanges(t *testing.T) {
	h := newHarness(t, t0)
	r := &lcg{7}
	ids := []string{"aaa", "bbb", "ccc"}
	h.svc.store.Update(func(tx *store.Tx) error {
		for n := 0; n < 600; n++ {
			id := ids[r.IntN(3)]
			iv := intervals[r.IntN(len(intervals))]
			at := t0.Add(time.Duration(r.IntN(72*60)-36*60) * time.Minute)
			key, _ := blockKey(id, r.IntN(2), iv, at)
			tx.Set(key, "0|1 1 1 1 1 1", nil)
		}
		tx.Set(metricPrefix+"bbb", "{}", nil)
		return nil
	})
	for n := 0; n < 300; n++ {
		start := t0.Add(time.Duration(r.IntN(80*60)-40*60) * time.Minute).Add(time.Duration(r.IntN(60)) * time.Second)
		w := window{start: start, end: start.Add(time.Duration(1+r.IntN(600)) * time.Minute), period: 60, ok: true}
		if n%3 == 0 {
			// On block boundaries: a block starts at the end of the window.
			w.start = t0.Add(time.Duration(r.IntN(60)-30) * time.Hour)
			w.end = w.start.Add(time.Duration(1+r.IntN(5)) * time.Hour)
		}
		id, u := ids[r.IntN(3)], r.IntN(3)
		var want, got []string
		h.svc.store.View(func(tx *store.Tx) error {
			for _, iv := range intervals {
				prefix := seriesPrefix(id, u, iv)
				tx.AscendRange("", prefix+store.TimeKey(w.start.Truncate(blockLen(iv))), prefix+store.TimeKey(w.end), func(k, v string) bool {
					want = append(want, k+" "+strconv.FormatInt(iv, 10))
					return true
				})
			}
			h.svc.scanUnit(tx, id, u, w, func(k, prefix, v string, iv int64) {
				if prefix != seriesPrefix(id, u, iv) {
					t.Fatalf("prefix %s of %s", prefix, k)
				}
				got = append(got, k+" "+strconv.FormatInt(iv, 10))
			})
			return nil
		})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("window %v-%v %s/%d: got %v, want %v", w.start, w.end, id, u, got, want)
		}
	}
}

// TestRememberedKeysAndEncoding: the remembered time and block keys are the
// ones built afresh, and appendTo writes encode's text.
func TestRememberedKeysAndEncoding(t *testing.T) {
	c := newCaches()
	r := &lcg{11}
	for n := 0; n < 3000; n++ {
		at := t0.Add(time.Duration(r.IntN(7200)-3600) * time.Second)
		if r.IntN(10) == 0 {
			at = at.Add(time.Duration(r.IntN(1e9)))
		}
		if got, want := c.timeKey(at), store.TimeKey(at); got != want {
			t.Fatalf("timeKey(%v) = %s, want %s", at, got, want)
		}
		id := []string{"a", "b", "c"}[r.IntN(3)]
		u := r.IntN(3)
		iv := intervals[r.IntN(len(intervals))]
		gk, gi := c.blockKey(id, u, iv, at.Truncate(time.Duration(iv)*time.Second))
		wk, wi := blockKey(id, u, iv, at.Truncate(time.Duration(iv)*time.Second))
		if gk != wk || gi != wi {
			t.Fatalf("blockKey(%s, %d, %d, %v) = %s %d, want %s %d", id, u, iv, at, gk, gi, wk, wi)
		}
		var cl cell
		switch r.IntN(4) {
		case 0:
			cl.add(float64(r.IntN(7))/4, 1)
		case 1:
			cl.add(float64(r.IntN(7))/4, float64(1+r.IntN(3)))
			cl.add(-float64(r.IntN(7))*1e300, 1)
		case 2:
			cl.addSet(3, 7, 1, 5)
		default:
			cl.add(math.Copysign(0, -1), 1)
		}
		if got, want := string(cl.appendTo(nil)), cl.encode(); got != want {
			t.Fatalf("appendTo = %q, encode = %q", got, want)
		}
	}
}

// TestRecordTextOverManyPuts: the record written from the cached one's text
// (only its times change) is what encoding/json writes, minute after minute,
// across roll-ups, odd instants and a new unit.
func TestRecordTextOverManyPuts(t *testing.T) {
	h := newHarness(t, t0)
	key := metricPrefix + metricID("N", "m", []Dimension{dim("k", "v")})
	for n := 0; n < 200; n++ {
		h.clock.t = t0.Add(time.Duration(n) * 37 * time.Second).Add(time.Duration(n%7) * 1234567 * time.Nanosecond)
		d := MetricDatum{MetricName: "m", Dimensions: []Dimension{dim("k", "v")}, Value: f(float64(n))}
		if n == 150 {
			d.Unit = "Bytes"
		}
		h.put("N", d)
		h.svc.store.View(func(tx *store.Tx) error {
			v, _ := tx.Get(key)
			var m metric
			if err := json.Unmarshal([]byte(v), &m); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(&m)
			if string(b) != v || !m.LastReceived.Equal(h.clock.t) {
				t.Fatalf("put %d stored %s, encoding/json writes %s", n, v, b)
			}
			return nil
		})
	}
}

// TestCompareConcat: compareConcat is strings.Compare with the concatenation.
func TestCompareConcat(t *testing.T) {
	r := &lcg{13}
	word := func() string {
		b := make([]byte, r.IntN(4))
		for i := range b {
			b[i] = "ab/"[r.IntN(3)]
		}
		return string(b)
	}
	for n := 0; n < 20000; n++ {
		key, a, b, c, d := word()+word()+word(), word(), word(), word(), word()
		if got, want := compareConcat(key, a, b, c, d), strings.Compare(key, a+b+c+d); got != want {
			t.Fatalf("compareConcat(%q, %q, %q, %q, %q) = %d, want %d", key, a, b, c, d, got, want)
		}
	}
}
