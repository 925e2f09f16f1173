package metrics

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// cell is what the store keeps for one metric, one unit and one storage
// interval (a second, a minute, five minutes or an hour): the sample count,
// sum, minimum and maximum, and the distribution of raw values for the
// extended statistics.
type cell struct {
	n, sum, min, max float64
	// dist is the distribution: distinct values in ascending order with how
	// many times each occurred.
	dist []valueCount
	// noDist is set when a statistic set that cannot be turned into raw
	// values was merged: the extended statistics are then unavailable.
	noDist bool
}

type valueCount struct{ v, c float64 }

func (c *cell) empty() bool { return c.n == 0 }

// add merges one raw value seen count times.
func (c *cell) add(v, count float64) {
	if count <= 0 {
		return
	}
	c.mergeStats(count, v*count, v, v)
	c.addDist(v, count)
}

func (c *cell) mergeStats(n, sum, min, max float64) {
	if c.n == 0 {
		c.min, c.max = min, max
	} else {
		c.min = math.Min(c.min, min)
		c.max = math.Max(c.max, max)
	}
	c.n += n
	c.sum += sum
}

func (c *cell) addDist(v, count float64) {
	i := sort.Search(len(c.dist), func(i int) bool { return c.dist[i].v >= v })
	if i < len(c.dist) && c.dist[i].v == v {
		c.dist[i].c += count
		return
	}
	c.dist = append(c.dist, valueCount{})
	copy(c.dist[i+1:], c.dist[i:])
	c.dist[i] = valueCount{v, count}
}

// addSet merges a statistic set. Its values count as raw values (for the
// percentiles) only when they describe one repeated value: SampleCount 1 and
// Minimum = Maximum = Sum, or Minimum = Maximum and Sum = Minimum x
// SampleCount.
func (c *cell) addSet(n, sum, min, max float64) {
	c.mergeStats(n, sum, min, max)
	if min == max && (sum == min*n) {
		c.addDist(min, n)
		return
	}
	c.noDist = true
}

// merge adds another cell.
func (c *cell) merge(o *cell) {
	if o.n == 0 {
		return
	}
	c.mergeStats(o.n, o.sum, o.min, o.max)
	if o.noDist {
		c.noDist = true
	}
	if len(c.dist) == 0 {
		c.dist = append(c.dist[:0], o.dist...)
		return
	}
	if len(o.dist) == 0 {
		return
	}
	out := make([]valueCount, 0, len(c.dist)+len(o.dist))
	i, j := 0, 0
	for i < len(c.dist) && j < len(o.dist) {
		switch a, b := c.dist[i], o.dist[j]; {
		case a.v < b.v:
			out = append(out, a)
			i++
		case b.v < a.v:
			out = append(out, b)
			j++
		default:
			out = append(out, valueCount{a.v, a.c + b.c})
			i++
			j++
		}
	}
	out = append(out, c.dist[i:]...)
	out = append(out, o.dist[j:]...)
	c.dist = out
}

// encode writes the cell compactly: "n sum min max [x] v c v c ...".
func (c *cell) encode() string {
	var b strings.Builder
	f := func(x float64) {
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	}
	f(c.n)
	b.WriteByte(' ')
	f(c.sum)
	b.WriteByte(' ')
	f(c.min)
	b.WriteByte(' ')
	f(c.max)
	if c.noDist {
		b.WriteString(" x")
	}
	for _, d := range c.dist {
		b.WriteByte(' ')
		f(d.v)
		b.WriteByte(' ')
		f(d.c)
	}
	return b.String()
}

// decodeCell reads what encode wrote. A damaged value gives an empty cell.
func decodeCell(s string) cell {
	var c cell
	next := func() (string, bool) {
		for len(s) > 0 && s[0] == ' ' {
			s = s[1:]
		}
		if s == "" {
			return "", false
		}
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			f := s
			s = ""
			return f, true
		}
		f := s[:i]
		s = s[i+1:]
		return f, true
	}
	num := func() (float64, bool) {
		f, ok := next()
		if !ok {
			return 0, false
		}
		x, err := strconv.ParseFloat(f, 64)
		return x, err == nil
	}
	var ok bool
	for _, p := range []*float64{&c.n, &c.sum, &c.min, &c.max} {
		if *p, ok = num(); !ok {
			return cell{}
		}
	}
	if strings.HasPrefix(s, "x") {
		c.noDist = true
		next()
	}
	for s != "" {
		v, ok1 := num()
		n, ok2 := num()
		if !ok1 || !ok2 {
			return cell{}
		}
		c.dist = append(c.dist, valueCount{v, n})
	}
	return c
}

// Statistic is a parsed statistic name: one of the five basic statistics or
// an extended statistic (pNN, tmNN, wmNN, tcNN, tsNN, IQM, TM(..), WM(..),
// TC(..), TS(..), PR(..)).
type Statistic struct {
	// Name is the statistic as given.
	Name string
	kind string // SampleCount Average Sum Minimum Maximum p tm wm tc ts pr
	// bounds of the range forms; percent bounds are in [0,100].
	lo, hi       float64
	hasLo, hasHi bool
	percent      bool
}

// Extended reports whether the statistic needs the raw distribution.
func (s Statistic) Extended() bool {
	switch s.kind {
	case "SampleCount", "Average", "Sum", "Minimum", "Maximum":
		return false
	}
	return true
}

// basicStatistics are the statistics of GetMetricStatistics' Statistics.
var basicStatistics = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}

// ValidStatistic reports whether name is a statistic ParseStatistic accepts
// (what alarms check their ExtendedStatistic with).
func (s *Service) ValidStatistic(name string) bool {
	_, ok := ParseStatistic(name)
	return ok
}

// ParseStatistic parses a statistic name with CloudWatch's grammar: the basic
// five, pNN(.NNNNNNNNNN) from p0 to p100, the short forms tmNN, wmNN, tcNN and
// tsNN (an upper percent bound), IQM, the range forms TM(a%:b%), TM(a:b) and
// likewise WM, TC, TS, and PR(a:b) with absolute bounds. ok is false for
// anything else.
func ParseStatistic(name string) (Statistic, bool) {
	st := Statistic{Name: name}
	for _, b := range basicStatistics {
		if name == b {
			st.kind = b
			return st, true
		}
	}
	if name == "IQM" {
		st.kind, st.percent = "tm", true
		st.lo, st.hi, st.hasLo, st.hasHi = 25, 75, true, true
		return st, true
	}
	for _, k := range []string{"p", "tm", "wm", "tc", "ts"} {
		if strings.HasPrefix(name, k) {
			x, ok := parsePercentNumber(name[len(k):])
			if !ok {
				return st, false
			}
			st.kind, st.percent = k, true
			st.hi, st.hasHi = x, true
			return st, true
		}
	}
	for _, k := range []string{"TM", "WM", "TC", "TS", "PR"} {
		if !strings.HasPrefix(name, k+"(") || !strings.HasSuffix(name, ")") {
			continue
		}
		inner := name[len(k)+1 : len(name)-1]
		a, b, ok := strings.Cut(inner, ":")
		if !ok || (a == "" && b == "") {
			return st, false
		}
		pa, pb := strings.HasSuffix(a, "%"), strings.HasSuffix(b, "%")
		if a != "" && b != "" && pa != pb {
			return st, false
		}
		st.percent = pa || pb
		if st.percent && k == "PR" {
			return st, false
		}
		st.kind = strings.ToLower(k)
		if a != "" {
			x, ok := parseBound(strings.TrimSuffix(a, "%"), st.percent)
			if !ok {
				return st, false
			}
			st.lo, st.hasLo = x, true
		}
		if b != "" {
			x, ok := parseBound(strings.TrimSuffix(b, "%"), st.percent)
			if !ok {
				return st, false
			}
			st.hi, st.hasHi = x, true
		}
		if st.hasLo && st.hasHi && st.lo > st.hi {
			return st, false
		}
		return st, true
	}
	return st, false
}

// parsePercentNumber reads NN, NN.NNNNNNNNNN (up to ten decimals) or 100.
func parsePercentNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) == 0 || len(intPart) > 3 || len(frac) > 10 {
		return 0, false
	}
	for _, r := range intPart + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x < 0 || x > 100 || (len(intPart) == 3 && s != "100" && !strings.HasPrefix(s, "100.")) {
		return 0, false
	}
	return x, true
}

func parseBound(s string, percent bool) (float64, bool) {
	if percent {
		return parsePercentNumber(s)
	}
	if s == "" || strings.ContainsAny(s, "eEnNiI+") {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, false
	}
	return x, true
}

// value computes the statistic over a cell. ok is false when the statistic
// cannot be computed: no data, or an extended statistic over data without a
// distribution or with negative values, or a trimmed range with no value.
func (s Statistic) value(c *cell) (float64, bool) {
	if c.n == 0 {
		return 0, false
	}
	switch s.kind {
	case "SampleCount":
		return c.n, true
	case "Sum":
		return c.sum, true
	case "Average":
		return c.sum / c.n, true
	case "Minimum":
		return c.min, true
	case "Maximum":
		return c.max, true
	}
	if c.noDist || len(c.dist) == 0 || c.dist[0].v < 0 {
		return 0, false
	}
	var total float64
	for _, d := range c.dist {
		total += d.c
	}
	if s.kind == "p" {
		return percentile(c.dist, total, s.hi), true
	}
	if s.kind == "pr" {
		var in float64
		for _, d := range c.dist {
			if (!s.hasLo || d.v > s.lo) && (!s.hasHi || d.v <= s.hi) {
				in += d.c
			}
		}
		return 100 * in / total, true
	}
	// Trimmed forms: the kept part of the distribution, by rank (percent
	// bounds: ranks r with round(a% x N) < r <= round(b% x N)) or by value
	// (absolute bounds: a < v <= b).
	var lowV, highV float64
	var kept []valueCount
	if s.percent {
		lo, hi := 0.0, total
		if s.hasLo {
			lo = math.Floor(s.lo/100*total + 0.5)
		}
		if s.hasHi {
			hi = math.Floor(s.hi/100*total + 0.5)
		}
		kept = rankSlice(c.dist, lo, hi)
	} else {
		for _, d := range c.dist {
			if (!s.hasLo || d.v > s.lo) && (!s.hasHi || d.v <= s.hi) {
				kept = append(kept, d)
			}
		}
	}
	var kn, ks float64
	for _, d := range kept {
		kn += d.c
		ks += d.v * d.c
	}
	switch s.kind {
	case "tc":
		return kn, true
	case "ts":
		return ks, true
	case "tm":
		if kn == 0 {
			return 0, false
		}
		return ks / kn, true
	case "wm":
		if kn == 0 {
			return 0, false
		}
		lowV, highV = kept[0].v, kept[len(kept)-1].v
		var sum float64
		for _, d := range c.dist {
			sum += math.Min(math.Max(d.v, lowV), highV) * d.c
		}
		return sum / total, true
	}
	return 0, false
}

// percentile returns the nearest-rank percentile: the value of rank
// ceil(p/100 x N), the minimum for p0.
func percentile(dist []valueCount, total, p float64) float64 {
	rank := math.Ceil(p / 100 * total)
	if rank < 1 {
		rank = 1
	}
	var seen float64
	for _, d := range dist {
		seen += d.c
		if seen >= rank {
			return d.v
		}
	}
	return dist[len(dist)-1].v
}

// rankSlice returns the part of the distribution whose ranks r satisfy
// lo < r <= hi (ranks from 1).
func rankSlice(dist []valueCount, lo, hi float64) []valueCount {
	var out []valueCount
	var start float64 // ranks start+1 .. start+c belong to d
	for _, d := range dist {
		from, to := math.Max(start, lo), math.Min(start+d.c, hi)
		if to > from {
			out = append(out, valueCount{d.v, to - from})
		}
		start += d.c
	}
	return out
}
