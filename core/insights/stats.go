package insights

import (
	"math"
	"sort"
	"strconv"
)

// aggregator runs one stats command: groups by the by-expressions and
// folds each aggregation call into an accumulator.
type aggregator struct {
	cmd    *StatsCmd
	calls  []*Call
	pcts   []float64
	groups map[string]*group
	order  []*group
	key    []byte
	keys   []Value
}

type group struct {
	keys []Value
	accs []acc
}

type acc struct {
	n, mean, m2 float64 // count; Welford's running mean and squares
	sum         float64
	best        Value
	bestTS      float64
	has         bool
	set         map[string]struct{}
	vals        []float64
}

func newAggregator(s *StatsCmd) *aggregator {
	a := &aggregator{cmd: s, groups: map[string]*group{}}
	var find func(x Expr)
	find = func(x Expr) {
		switch x := x.(type) {
		case *Call:
			if funcs[x.Name].agg {
				a.calls = append(a.calls, x)
				p := 0.0
				if x.Name == "pct" {
					if l, ok := x.Args[1].(*Lit); ok {
						p, _ = l.V.Num()
					}
				}
				a.pcts = append(a.pcts, p)
				return
			}
			for _, y := range x.Args {
				find(y)
			}
		case *Binary:
			find(x.L)
			find(x.R)
		case *Unary:
			find(x.X)
		case *Index:
			find(x.X)
			find(x.I)
		case *Like:
			find(x.X)
		case *In:
			find(x.X)
		}
	}
	for _, it := range s.Aggs {
		find(it.X)
	}
	a.keys = make([]Value, len(s.By))
	return a
}

func (a *aggregator) add(c *ctx, r *record) {
	a.key = a.key[:0]
	for i, it := range a.cmd.By {
		v := c.eval(it.X)
		a.keys[i] = v
		a.key = appendKey(a.key, v)
	}
	g, ok := a.groups[string(a.key)]
	if !ok {
		g = &group{keys: append([]Value(nil), a.keys...), accs: make([]acc, len(a.calls))}
		a.groups[string(a.key)] = g
		a.order = append(a.order, g)
	}
	for i, call := range a.calls {
		ac := &g.accs[i]
		if call.Name == "count" && (call.Star || len(call.Args) == 0) {
			ac.n++
			continue
		}
		v := c.eval(call.Args[0])
		if v.K == Null {
			continue
		}
		switch call.Name {
		case "count":
			ac.n++
		case "count_distinct":
			if ac.set == nil {
				ac.set = map[string]struct{}{}
			}
			ac.set[string(rune(v.K))+v.String()] = struct{}{}
		case "sum", "avg", "stddev", "pct":
			x, ok := v.Num()
			if !ok {
				continue
			}
			ac.n++
			ac.sum += x
			d := x - ac.mean
			ac.mean += d / ac.n
			ac.m2 += d * (x - ac.mean)
			if call.Name == "pct" {
				ac.vals = append(ac.vals, x)
			}
		case "min", "max", "sortsfirst", "sortslast":
			if !ac.has {
				ac.best, ac.has = v, true
				continue
			}
			var cmp int
			if call.Name == "min" || call.Name == "max" {
				o, ok := order(v, ac.best)
				if !ok {
					o = Compare(v, ac.best)
				}
				cmp = o
			} else {
				cmp = Compare(v, ac.best)
			}
			if (cmp < 0) == (call.Name == "min" || call.Name == "sortsfirst") && cmp != 0 {
				ac.best = v
			}
		case "earliest", "latest":
			ts, _ := r.get("@timestamp", c.q.refs).Num()
			if !ac.has || (call.Name == "earliest" && ts < ac.bestTS) || (call.Name == "latest" && ts > ac.bestTS) {
				ac.best, ac.bestTS, ac.has = v, ts, true
			}
		}
	}
}

// appendKey appends a value's grouping key: its kind and its text (numbers
// and timestamps as their bits, without formatting).
func appendKey(b []byte, v Value) []byte {
	b = append(b, byte(v.K))
	switch v.K {
	case Num, Bool, Time:
		b = strconv.AppendUint(b, math.Float64bits(v.N), 36)
	case Str:
		b = append(b, v.S...)
	default:
		b = append(b, v.String()...)
	}
	return append(b, 0)
}

// finite is a number, or null when it overflowed (a sum of values near the
// largest double): a result is never Inf or NaN, as with arithmetic.
func finite(x float64) Value {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Value{}
	}
	return NumV(x)
}

func (a *aggregator) result(i int, ac *acc) Value {
	switch a.calls[i].Name {
	case "count":
		return NumV(ac.n)
	case "count_distinct":
		return NumV(float64(len(ac.set)))
	case "sum":
		if ac.n == 0 {
			return Value{}
		}
		return finite(ac.sum)
	case "avg":
		if ac.n == 0 {
			return Value{}
		}
		return finite(ac.sum / ac.n)
	case "stddev":
		if ac.n == 0 {
			return Value{}
		}
		if ac.n == 1 {
			return NumV(0)
		}
		return finite(math.Sqrt(ac.m2 / (ac.n - 1)))
	case "pct":
		if len(ac.vals) == 0 {
			return Value{}
		}
		sort.Float64s(ac.vals)
		p := a.pcts[i]
		k := int(math.Ceil(p/100*float64(len(ac.vals)))) - 1
		k = max(0, min(k, len(ac.vals)-1))
		return NumV(ac.vals[k])
	}
	if !ac.has {
		return Value{}
	}
	return ac.best
}

// rows renders the groups as records: the by-fields, then each
// aggregation item in order (an item may use the aliases before it). Groups
// are ordered by their keys: bin() keys newest first, others ascending.
func (a *aggregator) rows(c *ctx) []*record {
	if len(a.cmd.By) == 0 && len(a.order) == 0 {
		// stats without by over no events still gives one row.
		a.order = append(a.order, &group{accs: make([]acc, len(a.calls))})
	}
	isBin := make([]bool, len(a.cmd.By))
	for i, it := range a.cmd.By {
		if call, ok := it.X.(*Call); ok && call.Name == "bin" {
			isBin[i] = true
		}
	}
	sort.SliceStable(a.order, func(i, j int) bool {
		for k := range a.cmd.By {
			x := Compare(a.order[i].keys[k], a.order[j].keys[k])
			if x == 0 {
				continue
			}
			if isBin[k] {
				return x > 0
			}
			return x < 0
		}
		return false
	})
	out := make([]*record, 0, len(a.order))
	vals := make(map[*Call]Value, len(a.calls))
	for _, g := range a.order {
		r := &record{}
		for i, it := range a.cmd.By {
			r.set(it.Name, g.keys[i])
		}
		for i := range a.calls {
			vals[a.calls[i]] = a.result(i, &g.accs[i])
		}
		c.aggs, c.r = vals, r
		for _, it := range a.cmd.Aggs {
			r.set(it.Name, c.eval(it.X))
		}
		c.aggs = nil
		out = append(out, r)
	}
	return out
}
