package metrics

import (
	"github.com/telltale-dev/telltale/core/metricdata"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/store"
)

// Query is metricdata.Query.
type Query = metricdata.Query

// Datapoint is metricdata.Datapoint.
type Datapoint = metricdata.Datapoint

// Series is the result of a query: one value per period that has data, in
// ascending time order.
type Series struct {
	Datapoints []Datapoint
	// Units are the units that had data in the range, sorted; when the query
	// named no unit and there are several, only the first one's data is in
	// Datapoints.
	Units []string
}

// ValidPeriod reports whether p seconds is a period CloudWatch accepts: 1, 5,
// 10, 20, 30 or a multiple of 60.
func ValidPeriod(p int64) bool {
	switch p {
	case 1, 5, 10, 20, 30:
		return true
	}
	return p > 0 && p%60 == 0
}

// window is a query's range after AWS's rounding of StartTime.
type window struct {
	start, end time.Time
	period     int64
	// ok is false when the period does not suit the age of StartTime: no
	// datapoints then.
	ok bool
}

// align applies the rounding and period rules of spec 2.3: StartTime is
// rounded down to the period (periods under a minute, data under 3 hours
// old), the minute (under 15 days), 5 minutes (under 63 days) or the hour;
// the period must be a multiple of 60, 300 and 3600 past 3 hours, 15 days
// and 63 days.
func align(start, end, now time.Time, period int64) window {
	age := now.Sub(start)
	w := window{end: end, period: period, ok: true}
	switch {
	case age > FiveMinRetention:
		w.ok = period%3600 == 0
		w.start = start.Truncate(time.Hour)
	case age > MinuteRetention:
		w.ok = period%300 == 0
		w.start = start.Truncate(5 * time.Minute)
	case age > HighResRetention:
		w.ok = period%60 == 0
		w.start = start.Truncate(time.Minute)
	default:
		if period < 60 {
			w.start = start.Truncate(time.Duration(period) * time.Second)
		} else {
			w.start = start.Truncate(time.Minute)
		}
	}
	return w
}

type bucket struct {
	start time.Time
	c     cell
}

// aggregate reads a metric's cells in the window, by unit index, merged per
// period, in ascending time order.
func (s *Service) aggregate(tx *store.Tx, id string, unit int, w window, now time.Time) map[int][]bucket {
	out := map[int][]bucket{}
	if !w.ok || !w.start.Before(w.end) {
		return out
	}
	m, st, ok := s.metric(tx, id)
	if !ok {
		return out
	}
	oldest := now.Add(-HourRetention)
	// Cells from lo (inclusive) to w.end (exclusive) count.
	lo := w.start
	if oldest.After(lo) {
		lo = oldest
	}
	for _, u := range m.Units {
		if unit >= 0 && u != unit {
			continue
		}
		byIdx := newBuckets(w)
		s.scanUnit(tx, id, u, w, func(k, prefix, v string, iv int64) {
			step := time.Duration(iv) * time.Second
			// The cells are the cache's: buckets do not change them.
			e := s.cache.block(st, k, prefix, v)
			if !e.ok {
				return
			}
			cells := e.cells
			first := sort.Search(len(cells), func(j int) bool {
				return !e.start.Add(time.Duration(cells[j].i) * step).Before(lo)
			})
			for _, ic := range cells[first:] {
				t := e.start.Add(time.Duration(ic.i) * step)
				if !t.Before(w.end) {
					break
				}
				idx := int64(t.Sub(w.start)/time.Second) / w.period
				byIdx.add(idx, ic.c)
			}
		})
		bs := byIdx.list(w)
		if len(bs) == 0 {
			continue
		}
		out[u] = bs
	}
	return out
}

// scanUnit calls fn, in key order, with the blocks of metric id and unit u
// that may hold cells of the window: for each storage interval, the blocks
// from the one holding w.start to w.end (prefix is the block key's prefix,
// iv the interval). The keys of a unit are in interval order, so one scan
// serves them all: it seeks again only to skip the blocks of an interval
// that are older than the window (two seeks for a unit with one interval,
// where a range per interval took four).
func (s *Service) scanUnit(tx *store.Tx, id string, u int, w window, fn func(k, prefix, v string, iv int64)) {
	// The range of interval k is [lo(k), hi(k)): the unit's prefix, the
	// interval's, then the time key of the block holding w.start, or of
	// w.end. Keys are compared with them piece by piece; only the keys a
	// seek starts from are built.
	up := string(appendSeriesPrefix(nil, id, u, 0))
	up = up[:len(up)-len(intervalKey(0))-1]
	end := s.cache.timeKey(w.end)
	startKey := func(k int) string { return s.cache.timeKey(w.start.Truncate(blockLen(intervals[k]))) }
	cmp := func(key string, k int, t string) int {
		return compareConcat(key, up, intervalKey(intervals[k]), "/", t)
	}
	lo := func(k int) string { return up + intervalKey(intervals[k]) + "/" + startKey(k) }
	k := 0
	from := lo(0)
	for {
		restart := ""
		tx.AscendGreaterOrEqual("", from, func(key, v string) bool {
			for k < len(intervals) && cmp(key, k, end) >= 0 {
				k++
			}
			if k == len(intervals) {
				return false
			}
			if cmp(key, k, startKey(k)) < 0 {
				restart = lo(k)
				return false
			}
			fn(key, key[:strings.LastIndexByte(key, '/')+1], v, intervals[k])
			return true
		})
		if restart == "" {
			return
		}
		from = restart
	}
}

// compareConcat compares key with the concatenation of a, b, c and d, as
// strings.Compare would.
func compareConcat(key, a, b, c, d string) int {
	for _, p := range [4]string{a, b, c, d} {
		n := min(len(key), len(p))
		if r := strings.Compare(key[:n], p[:n]); r != 0 {
			return r
		}
		if n < len(p) {
			return -1
		}
		key = key[n:]
	}
	if key != "" {
		return 1
	}
	return 0
}

// buckets accumulates cells per period: in a slice when the window has a
// reasonable number of periods, else in a map.
type buckets struct {
	dense  []slot
	sparse map[int64]*slot
}

// slot is the cell of one period: the first cell added, shared, until a
// second one is merged into a copy.
type slot struct {
	c     *cell
	owned bool
}

func (sl *slot) add(c *cell) {
	if sl.c == nil {
		sl.c = c
		return
	}
	if !sl.owned {
		cc := sl.c.copy()
		sl.c, sl.owned = &cc, true
	}
	sl.c.merge(c)
}

const maxDenseBuckets = 1 << 17

func newBuckets(w window) *buckets {
	n := (w.end.Unix()-w.start.Unix())/w.period + 1
	if n > 0 && n <= maxDenseBuckets {
		return &buckets{dense: make([]slot, n)}
	}
	return &buckets{sparse: map[int64]*slot{}}
}

// add merges c into the period of index idx; c is not changed.
func (b *buckets) add(idx int64, c *cell) {
	if b.dense != nil {
		if idx < 0 || idx >= int64(len(b.dense)) {
			return
		}
		b.dense[idx].add(c)
		return
	}
	sl := b.sparse[idx]
	if sl == nil {
		sl = &slot{}
		b.sparse[idx] = sl
	}
	sl.add(c)
}

// list returns the non-empty periods in time order. Their cells may share
// their distributions with stored cells: they are read only.
func (b *buckets) list(w window) []bucket {
	var out []bucket
	at := func(idx int64) time.Time { return w.start.Add(time.Duration(idx*w.period) * time.Second) }
	if b.dense != nil {
		n := 0
		for _, sl := range b.dense {
			if sl.c != nil {
				n++
			}
		}
		if n > 0 {
			out = make([]bucket, 0, n)
		}
		for i, sl := range b.dense {
			if sl.c != nil {
				out = append(out, bucket{start: at(int64(i)), c: *sl.c})
			}
		}
		return out
	}
	idxs := make([]int64, 0, len(b.sparse))
	for i := range b.sparse {
		idxs = append(idxs, i)
	}
	sort.Slice(idxs, func(i, j int) bool { return idxs[i] < idxs[j] })
	for _, i := range idxs {
		out = append(out, bucket{start: at(i), c: *b.sparse[i].c})
	}
	return out
}

// unitNames returns the names of the unit indexes, sorted by name.
func unitNames(m map[int][]bucket) ([]string, []int) {
	idx := make([]int, 0, len(m))
	for u := range m {
		idx = append(idx, u)
	}
	if len(idx) > 1 {
		sort.Slice(idx, func(i, j int) bool { return StandardUnits[idx[i]] < StandardUnits[idx[j]] })
	}
	names := make([]string, len(idx))
	for i, u := range idx {
		names[i] = StandardUnits[u]
	}
	return names, idx
}

// checkQuery parses the statistic and checks the period and unit of a Query.
func checkQuery(q Query) (Statistic, int, error) {
	st, ok := ParseStatistic(q.Stat)
	if !ok {
		return st, 0, errInvalid("The value %s for parameter Stat is invalid.", q.Stat)
	}
	if !ValidPeriod(q.Period) {
		return st, 0, errInvalid("The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.")
	}
	unit := -1
	if q.Unit != "" {
		unit = unitIndex(q.Unit)
		if unit < 0 {
			return st, 0, errInvalid("The value %s for parameter Unit is invalid.", q.Unit)
		}
	}
	return st, unit, nil
}

// Series runs a query: the statistic's value for each period with data.
func (s *Service) Series(q Query) (Series, error) {
	st, unit, err := checkQuery(q)
	if err != nil {
		return Series{}, err
	}
	now := s.clock.Now()
	w := align(q.Start, q.End, now, q.Period)
	var byUnit map[int][]bucket
	id := s.idOf(q.Namespace, q.MetricName, q.Dimensions)
	s.store.View(func(tx *store.Tx) error {
		byUnit = s.aggregate(tx, id, unit, w, now)
		return nil
	})
	return seriesOf(st, byUnit), nil
}

func seriesOf(st Statistic, byUnit map[int][]bucket) Series {
	names, idx := unitNames(byUnit)
	out := Series{Units: names, Datapoints: []Datapoint{}}
	if len(idx) == 0 {
		return out
	}
	u := idx[0]
	out.Datapoints = make([]Datapoint, 0, len(byUnit[u]))
	for _, b := range byUnit[u] {
		v, ok := st.value(&b.c)
		if !ok {
			continue
		}
		out.Datapoints = append(out.Datapoints, Datapoint{Timestamp: b.start, Value: v, SampleCount: b.c.n, Unit: StandardUnits[u]})
	}
	return out
}

// Statistics runs a query and returns its datapoints in ascending time order.
func (s *Service) Statistics(q Query) ([]Datapoint, error) {
	sr, err := s.Series(q)
	if err != nil {
		return nil, err
	}
	return sr.Datapoints, nil
}

// datapointCount is how many periods a range holds, as the 1,440 limit counts
// them.
func datapointCount(start, end time.Time, period int64) int64 {
	return int64(math.Ceil(end.Sub(start).Seconds() / float64(period)))
}
