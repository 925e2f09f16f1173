package metrics

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/metricmath"
	"github.com/telltale-dev/telltale/core/store"
)

// The decoding caches. A simulated day publishes every metric each minute
// and every alarm reads its metric each minute: decoding the metric record
// (JSON) and the block of cells each time, and re-encoding the whole block to
// add one cell, was most of the cost. The caches map a stored value to its
// decoding, so they cannot disagree with the store: an entry is used only when
// the value stored now is byte for byte the one it was decoded from (after a
// put, a delete, a rolled back transaction or a restore, another or a missing
// value simply misses). What they hold is shared and never changed: readers
// copy a cell before merging into it, writers copy a metric before changing
// it and never append in place to a cached block.

// maxCached bounds each cache; a cache is emptied when it grows past it
// (deleted and rolled up blocks leave entries behind).
const maxCached = 1 << 16

type caches struct {
	blocks map[string]*cachedBlock
	// ids maps the identity of a metric (the text metricID hashes) to its
	// id.
	ids map[string]string
	// programs are compiled expressions by compile's key.
	programs map[string]*metricmath.Program
	// scratch is a buffer for building keys.
	scratch []byte
	// times remembers the last time keys built (one minute's work builds
	// the same few again and again), next is the slot to reuse.
	times [8]timeKeyMemo
	next  int
	// series holds what is remembered of each metric id.
	series map[string]*seriesState
	// jtimes remembers the last times written in metric records.
	jtimes [4]timeKeyMemo
	jnext  int
	// pending is put's index of its metrics by id, reused.
	pending map[string]int
	// cellSlab and distSlab are where newCell allocates.
	cellSlab []cell
	distSlab []valueCount
}

type timeKeyMemo struct {
	sec  int64
	nsec int
	key  string
}

// seriesState is what the caches remember of one metric id, so that the
// work of one datum looks up one map.
type seriesState struct {
	// recKey is the key of the record.
	recKey string
	// rec is the stored record when hasRec.
	rec    cachedMetric
	hasRec bool
	// key is the last block key built.
	key blockKeyMemo
	// blk is the block last written or read (nil: none).
	blk *cachedBlock
}

type blockKeyMemo struct {
	unit     int
	interval int64
	start    int64 // Unix seconds of the block
	key      string
}

func newCaches() *caches {
	return &caches{blocks: map[string]*cachedBlock{}, series: map[string]*seriesState{}, ids: map[string]string{},
		programs: map[string]*metricmath.Program{}, pending: map[string]int{}}
}

// cachedBlock is the decoding of raw, the block stored at key.
type cachedBlock struct {
	key string
	raw string
	// cells are decodeBlock(raw), read-only (a writer may append to them in
	// place, which changes nothing their holders see).
	cells block
	// canon reports whether raw is cells.encode(), which allows adding a cell
	// after the last by appending to raw.
	canon bool
	// start is the time of the block's first cell (from the key); ok is
	// false when the key does not hold one.
	start time.Time
	ok    bool
}

type cachedMetric struct {
	raw string
	m   *metric // read-only
	// prefix is raw up to the times (the namespace, name, dimensions and
	// units), when raw was written by recordJSON; else "".
	prefix string
}

func put[V any](m map[string]V, k string, v V) {
	if len(m) >= maxCached {
		clear(m)
	}
	m[k] = v
}

// state returns what is remembered of metric id.
func (c *caches) state(id string) *seriesState {
	st := c.series[id]
	if st == nil {
		st = &seriesState{recKey: metricPrefix + id}
		put(c.series, id, st)
	}
	return st
}

// block returns the decoding of v, the value stored at key (a block key
// under prefix) of the metric whose state is st (nil: unknown), from the
// cache when it holds that very value.
func (c *caches) block(st *seriesState, key, prefix, v string) *cachedBlock {
	if st != nil && st.blk != nil && st.blk.key == key && st.blk.raw == v {
		return st.blk
	}
	if e, ok := c.blocks[key]; ok && e.raw == v {
		return e
	}
	e := &cachedBlock{key: key, raw: v, cells: decodeBlock(v)}
	e.cells = e.cells[:len(e.cells):len(e.cells)]
	e.start, e.ok = parseKeyTime(key, prefix)
	put(c.blocks, key, e)
	return e
}

// wrote records that raw, the encoding of cells, was stored at key, a
// block of the metric whose state is st. When empties is set, cells may hold
// empty cells, which decoding drops.
func (c *caches) wrote(st *seriesState, key, raw string, cells block, empties bool) {
	canon := true
	if empties && slices.ContainsFunc(cells, func(ic icell) bool { return ic.c.empty() }) {
		cells = slices.DeleteFunc(slices.Clone(cells), func(ic icell) bool { return ic.c.empty() })
		canon = false
	}
	if old := st.blk; old != nil && old.key == key && old.ok {
		// Updated in place: nothing keeps an entry beyond the call that
		// got it (writers copy its fields, readers use it at once).
		*old = cachedBlock{key: key, raw: raw, cells: cells, canon: canon, start: old.start, ok: true}
		return
	}
	e := &cachedBlock{key: key, raw: raw, cells: cells, canon: canon}
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		e.start, e.ok = parseKeyTime(key, key[:i+1])
	}
	st.blk = e
	// An entry of the map for this key is now older than the stored value,
	// which its check tells.
}

// metric returns the stored metric of id, shared with the cache: it must
// not be changed; and the state of id.
func (s *Service) metric(tx *store.Tx, id string) (*metric, *seriesState, bool) {
	st := s.cache.state(id)
	v, err := tx.Get(st.recKey)
	if err != nil {
		return nil, nil, false
	}
	m, ok := st.decodeMetric(v)
	return m, st, ok
}

// decodeMetric returns the decoding of v, the stored record of the metric
// of st, from the cache when it holds that very value. ok is false for a
// damaged record.
func (st *seriesState) decodeMetric(v string) (*metric, bool) {
	if st.hasRec && st.rec.raw == v {
		return st.rec.m, true
	}
	var m metric
	if jsonUnmarshal(v, &m) != nil {
		return nil, false
	}
	st.rec, st.hasRec = cachedMetric{raw: v, m: &m}, true
	return &m, true
}

// recordJSON is what store.SetJSON stores for m at key, and its prefix
// before the times ("" when encoding/json wrote it). base is the cached
// record m was made from, if any (else zero): when m has its units, the text only
// changes in its times.
func (c *caches) recordJSON(key string, m *metric, base cachedMetric) (raw, prefix string, err error) {
	if base.m != nil && base.prefix != "" && len(base.m.Units) == len(m.Units) {
		last, ok1 := c.jsonTime(m.LastReceived)
		rolled, ok2 := c.jsonTime(m.RolledUp)
		if ok1 && ok2 {
			raw = base.prefix + `,"last":` + last + `,"rolled":` + rolled + "}"
			return raw, raw[:len(base.prefix)], nil
		}
	}
	if raw, n, ok := encodeMetric(m); ok {
		return raw, raw[:n], nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", "", fmt.Errorf("store: encode %s: %w", key, err)
	}
	return string(b), "", nil
}

// jsonTime is what MarshalJSON writes for t, remembered, for UTC times of
// years 0 to 9999 (ok is false for others).
func (c *caches) jsonTime(t time.Time) (string, bool) {
	if y := t.Year(); y < 0 || y > 9999 {
		return "", false
	}
	if _, off := t.Zone(); off != 0 {
		return "", false
	}
	sec, nsec := t.Unix(), t.Nanosecond()
	for i := range c.jtimes {
		if m := &c.jtimes[i]; m.key != "" && m.sec == sec && m.nsec == nsec {
			return m.key, true
		}
	}
	b := make([]byte, 0, 40)
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	k := string(append(b, '"'))
	c.jtimes[c.jnext] = timeKeyMemo{sec, nsec, k}
	c.jnext = (c.jnext + 1) % len(c.jtimes)
	return k, true
}

// encodeMetric is json.Marshal(m), written by hand for the common case, and
// the length of its part before the times; ok is false when m needs
// encoding/json (strings to escape, times it cannot write).
func encodeMetric(m *metric) (string, int, bool) {
	b := make([]byte, 0, 128+len(m.Namespace)+len(m.MetricName))
	var ok bool
	b = append(b, `{"ns":`...)
	if b, ok = appendPlain(b, m.Namespace); !ok {
		return "", 0, false
	}
	b = append(b, `,"name":`...)
	if b, ok = appendPlain(b, m.MetricName); !ok {
		return "", 0, false
	}
	if len(m.Dimensions) > 0 {
		b = append(b, `,"dims":[`...)
		for i, d := range m.Dimensions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"Name":`...)
			if b, ok = appendPlain(b, d.Name); !ok {
				return "", 0, false
			}
			b = append(b, `,"Value":`...)
			if b, ok = appendPlain(b, d.Value); !ok {
				return "", 0, false
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"units":`...)
	if m.Units == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, u := range m.Units {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(u), 10)
		}
		b = append(b, ']')
	}
	n := len(b)
	for _, f := range [2]struct {
		name string
		t    time.Time
	}{{`,"last":`, m.LastReceived}, {`,"rolled":`, m.RolledUp}} {
		b = append(b, f.name...)
		if y := f.t.Year(); y < 0 || y > 9999 {
			return "", 0, false
		}
		if _, off := f.t.Zone(); off != 0 {
			t, err := f.t.MarshalJSON()
			if err != nil {
				return "", 0, false
			}
			b = append(b, t...)
			continue
		}
		// What MarshalJSON writes for a UTC time of years 0 to 9999.
		b = append(b, '"')
		b = f.t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	b = append(b, '}')
	return string(b), n, true
}

// appendPlain appends s as a JSON string when encoding/json would write it
// as is between quotes: printable ASCII other than the quote, the backslash
// and <, > and & (which it escapes for HTML).
func appendPlain(b []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return b, false
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}

// metricKey is the text metricID hashes.
func metricKey(namespace, name string, dims []Dimension) string {
	return string(appendMetricKey(nil, namespace, name, dims))
}

func appendMetricKey(b []byte, namespace, name string, dims []Dimension) []byte {
	field := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	field(namespace)
	field(name)
	if len(dims) > 1 && !slices.IsSortedFunc(dims, compareDims) {
		dims = canonical(dims)
	}
	for _, d := range dims {
		field(d.Name)
		field(d.Value)
	}
	return b
}

// compareDims orders dimensions by name, then value (the canonical order).
func compareDims(a, b Dimension) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Value, b.Value))
}

// timeKey is store.TimeKey, formatted by hand for years 0 to 9999.
func timeKey(t time.Time) string {
	var b [30]byte
	if !fillTimeKey(&b, t) {
		return store.TimeKey(t)
	}
	return string(b[:])
}

// timeKey is timeKey(t), remembered.
func (c *caches) timeKey(t time.Time) string {
	sec, nsec := t.Unix(), t.Nanosecond()
	for i := range c.times {
		if m := &c.times[i]; m.key != "" && m.sec == sec && m.nsec == nsec {
			return m.key
		}
	}
	k := timeKey(t)
	c.times[c.next] = timeKeyMemo{sec, nsec, k}
	c.next = (c.next + 1) % len(c.times)
	return k
}

// blockKey is blockKey, remembered per metric.
func (c *caches) blockKey(id string, unit int, interval int64, t time.Time) (string, int) {
	return c.blockKeyOf(c.state(id), id, unit, interval, t)
}

// blockKeyOf is blockKey for the metric id whose state is st.
func (c *caches) blockKeyOf(st *seriesState, id string, unit int, interval int64, t time.Time) (string, int) {
	start := t.Truncate(blockLen(interval))
	idx := int(t.Sub(start) / (time.Duration(interval) * time.Second))
	m := &st.key
	if m.key != "" && m.unit == unit && m.interval == interval && m.start == start.Unix() && start.Nanosecond() == 0 {
		return m.key, idx
	}
	b := make([]byte, 0, len(dataPrefix)+len(id)+10+30)
	b = appendSeriesPrefix(b, id, unit, interval)
	key := string(append(b, c.timeKey(start)...))
	*m = blockKeyMemo{unit: unit, interval: interval, start: start.Unix(), key: key}
	if start.Nanosecond() != 0 {
		m.key = ""
		m.start = -1 << 63
	}
	return key, idx
}

// appendTimeKey appends timeKey(t).
func appendTimeKey(dst []byte, t time.Time) []byte {
	var b [30]byte
	if !fillTimeKey(&b, t) {
		return append(dst, store.TimeKey(t)...)
	}
	return append(dst, b[:]...)
}

func fillTimeKey(b *[30]byte, t time.Time) bool {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return false
	}
	h, mi, sec := t.Clock()
	ns := t.Nanosecond()
	put := func(i, v, n int) {
		for k := n - 1; k >= 0; k-- {
			b[i+k] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	b[4] = '-'
	put(5, int(mo), 2)
	b[7] = '-'
	put(8, d, 2)
	b[10] = 'T'
	put(11, h, 2)
	b[13] = ':'
	put(14, mi, 2)
	b[16] = ':'
	put(17, sec, 2)
	b[19] = '.'
	put(20, ns, 9)
	b[29] = 'Z'
	return true
}

// intervalKeys are intervalKey of the storage intervals.
var intervalKeys = map[int64]string{1: "0001", 60: "0060", 300: "0300", 3600: "3600"}

// newCell returns a copy of src with its own distribution, clipped (as
// src.copy()), allocated from slabs: a minute of puts adds a cell to a
// thousand blocks.
func (c *caches) newCell(src *cell) *cell {
	if len(c.cellSlab) == cap(c.cellSlab) {
		c.cellSlab = make([]cell, 0, 256)
	}
	c.cellSlab = append(c.cellSlab, *src)
	p := &c.cellSlab[len(c.cellSlab)-1]
	p.dist = nil
	if n := len(src.dist); n > 0 {
		if cap(c.distSlab)-len(c.distSlab) < n {
			c.distSlab = make([]valueCount, 0, max(512, n))
		}
		from := len(c.distSlab)
		c.distSlab = append(c.distSlab, src.dist...)
		p.dist = c.distSlab[from : from+n : from+n]
	}
	return p
}

// copy returns a copy of c with its own distribution (with no spare
// capacity, so that merging into the copy never writes into c's).
func (c *cell) copy() cell {
	cc := *c
	cc.dist = slices.Clip(slices.Clone(c.dist))
	return cc
}

// compile is metricmath.Compile with the ids of kinds (when not nil) and
// AllowScalar when scalar is set. A program depends only on those, and
// evaluating it changes nothing in it, so successful compilations are kept
// (a math alarm compiles its expressions at every evaluation).
func (s *Service) compile(src string, kinds map[string]metricmath.Kind, scalar bool) (*metricmath.Program, error) {
	key := make([]byte, 0, len(src)+16+16*len(kinds))
	key = strconv.AppendInt(key, int64(len(src)), 10)
	key = append(key, ':')
	key = append(key, src...)
	key = strconv.AppendBool(key, scalar)
	if kinds != nil {
		key = append(key, '{')
		ids := make([]string, 0, len(kinds))
		for id := range kinds {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			key = strconv.AppendInt(key, int64(len(id)), 10)
			key = append(key, ':')
			key = append(key, id...)
			key = strconv.AppendInt(key, int64(kinds[id]), 10)
			key = append(key, ',')
		}
	}
	if p, ok := s.cache.programs[string(key)]; ok {
		return p, nil
	}
	var opts []metricmath.Option
	if kinds != nil {
		opts = append(opts, metricmath.IDs(kinds))
	}
	if scalar {
		opts = append(opts, metricmath.AllowScalar())
	}
	p, err := metricmath.Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	if len(s.cache.programs) >= maxPrograms {
		clear(s.cache.programs)
	}
	s.cache.programs[string(key)] = p
	return p, nil
}

// maxPrograms bounds the compiled expressions kept.
const maxPrograms = 1024

// appendTo appends c.encode() to b, formatting a value repeated in a row
// (a single sample's sum, minimum, maximum and value) once.
func (c *cell) appendTo(b []byte) []byte {
	var last uint64
	from, to := -1, -1
	f := func(x float64) {
		bits := math.Float64bits(x)
		if from >= 0 && bits == last {
			b = append(b, b[from:to]...)
			return
		}
		from = len(b)
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
		last, to = bits, len(b)
	}
	f(c.n)
	b = append(b, ' ')
	f(c.sum)
	b = append(b, ' ')
	f(c.min)
	b = append(b, ' ')
	f(c.max)
	if c.noDist {
		b = append(b, " x"...)
	}
	for _, d := range c.dist {
		b = append(b, ' ')
		f(d.v)
		b = append(b, ' ')
		f(d.c)
	}
	return b
}
