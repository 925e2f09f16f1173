package insights

import (
	"iter"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Options are the parameters of one run of a query.
type Options struct {
	Start, End int64 // the query's time range in ms, both inclusive
	Now        int64 // when the query started, ms (now())
	Limit      int   // StartQuery's limit, applied after the query's commands (0: 10,000)
}

// Statistics are the counters GetQueryResults reports: events read, events
// that reached the first aggregating or ordering command, and the bytes of
// the messages read.
type Statistics struct {
	RecordsMatched float64
	RecordsScanned float64
	BytesScanned   float64
}

// ResultField is one field of a result row.
type ResultField struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Result is the outcome of a query: its columns, its rows (each a list of
// the non-null fields, with @ptr for rows that are events) and its
// statistics.
type Result struct {
	Fields []string
	Rows   [][]ResultField
	Stats  Statistics
}

// ctx evaluates expressions over one record.
type ctx struct {
	q     *Query
	o     *Options
	r     *record
	aggs  map[*Call]Value
	res   map[string]*regexp.Regexp
	stack []Value
	glob  []string
}

func (c *ctx) regex(src string) (*regexp.Regexp, error) {
	if re, ok := c.res[src]; ok {
		return re, nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	if c.res == nil {
		c.res = map[string]*regexp.Regexp{}
	}
	if len(c.res) < 256 {
		c.res[src] = re
	}
	return re, nil
}

func (c *ctx) eval(x Expr) Value {
	switch x := x.(type) {
	case *Lit:
		return x.V
	case *Field:
		return c.r.get(x.Name, c.q.refs)
	case *Period:
		return NumV(float64(x.D.Milliseconds()))
	case *RegexLit:
		return StrV(x.Src)
	case *Unary:
		v := c.eval(x.X)
		if x.Op == "not" {
			return BoolV(!v.Truth())
		}
		n, ok := v.Num()
		if !ok {
			return Value{}
		}
		return NumV(-n)
	case *Binary:
		return c.binary(x)
	case *Like:
		v := c.eval(x.X)
		if v.K == Null || v.K >= ListKind {
			return BoolV(false)
		}
		var m bool
		switch p := x.Pat.(type) {
		case *RegexLit:
			m = p.Re.MatchString(v.String())
		case *Lit:
			m = strings.Contains(v.String(), p.V.String())
		}
		return BoolV(m != x.Not)
	case *In:
		v := c.eval(x.X)
		if v.K == Null {
			return BoolV(false)
		}
		found := false
		for _, e := range x.List {
			if equal(v, c.eval(e)) {
				found = true
				break
			}
		}
		return BoolV(found != x.Not)
	case *List:
		l := make([]Value, len(x.Items))
		for i, e := range x.Items {
			l[i] = c.eval(e)
		}
		return Value{K: ListKind, L: l}
	case *Index:
		v := c.eval(x.X)
		i := c.eval(x.I)
		switch v.K {
		case ListKind:
			n, ok := i.Num()
			if !ok || n < 0 || int(n) >= len(v.L) {
				return Value{}
			}
			return v.L[int(n)]
		case MapKind:
			return v.M[i.String()]
		}
		return Value{}
	case *Call:
		return c.call(x)
	}
	return Value{}
}

func (c *ctx) call(x *Call) Value {
	spec := funcs[x.Name]
	if spec.agg {
		return c.aggs[x]
	}
	switch x.Name {
	case "if":
		if c.eval(x.Args[0]).Truth() {
			return c.eval(x.Args[1])
		}
		return c.eval(x.Args[2])
	case "case":
		i := 0
		for ; i+1 < len(x.Args); i += 2 {
			if c.eval(x.Args[i]).Truth() {
				return c.eval(x.Args[i+1])
			}
		}
		if i < len(x.Args) {
			return c.eval(x.Args[i])
		}
		return Value{}
	}
	// Arguments live on a stack the ctx reuses (a fresh slice per call
	// would escape to the heap through the function table).
	base := len(c.stack)
	for _, a := range x.Args {
		var v Value
		if _, ok := a.(*Period); !ok {
			v = c.eval(a)
		}
		c.stack = append(c.stack, v)
	}
	v := spec.fn(c, x, c.stack[base:len(c.stack):len(c.stack)])
	clear(c.stack[base:])
	c.stack = c.stack[:base]
	return v
}

func (c *ctx) binary(x *Binary) Value {
	switch x.Op {
	case "and":
		return BoolV(c.eval(x.L).Truth() && c.eval(x.R).Truth())
	case "or":
		return BoolV(c.eval(x.L).Truth() || c.eval(x.R).Truth())
	}
	l, r := c.eval(x.L), c.eval(x.R)
	switch x.Op {
	case "=":
		return BoolV(equal(l, r))
	case "!=":
		if l.K == Null || r.K == Null || l.K >= ListKind || r.K >= ListKind {
			return BoolV(false)
		}
		return BoolV(!equal(l, r))
	case "<", "<=", ">", ">=":
		o, ok := order(l, r)
		if !ok {
			return BoolV(false)
		}
		switch x.Op {
		case "<":
			return BoolV(o < 0)
		case "<=":
			return BoolV(o <= 0)
		case ">":
			return BoolV(o > 0)
		}
		return BoolV(o >= 0)
	}
	a, ok1 := l.Num()
	b, ok2 := r.Num()
	if !ok1 || !ok2 {
		return Value{}
	}
	var v float64
	switch x.Op {
	case "+":
		v = a + b
	case "-":
		v = a - b
	case "*":
		v = a * b
	case "/":
		if b == 0 {
			return Value{}
		}
		v = a / b
	case "%":
		if b == 0 {
			return Value{}
		}
		v = math.Mod(a, b)
	case "^":
		v = math.Pow(a, b)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Value{}
	}
	return NumV(v)
}

// globMatch matches a parse glob (literal parts around stars) anywhere in
// s: each star takes the shortest text up to the next literal part, a
// final star the rest of s.
func globMatch(parts []string, s string, out []string) ([]string, bool) {
	// With leftmost shortest matching, a failure from the first place the
	// leading literal occurs is a failure from every later place too.
	p := 0
	if parts[0] != "" {
		i := strings.Index(s, parts[0])
		if i < 0 {
			return nil, false
		}
		p = i + len(parts[0])
	}
	out = out[:0]
	for k := 1; k < len(parts); k++ {
		lit := parts[k]
		if lit == "" {
			if k == len(parts)-1 {
				out = append(out, s[p:])
				p = len(s)
			} else {
				out = append(out, "")
			}
			continue
		}
		j := strings.Index(s[p:], lit)
		if j < 0 {
			return nil, false
		}
		out = append(out, s[p:p+j])
		p += j + len(lit)
	}
	return out, true
}

// engine runs one query.
type engine struct {
	q     *Query
	o     Options
	c     ctx
	stats Statistics
}

// streamable reports whether a command works event by event.
func streamable(c Command) bool {
	switch c.(type) {
	case *FieldsCmd, *FilterCmd, *ParseCmd, *DisplayCmd, *UnmaskCmd, *FilterIndexCmd:
		return true
	}
	return false
}

// step applies a streamable command to a record; false drops it.
func (e *engine) step(cmd Command, r *record) bool {
	e.c.r = r
	switch cmd := cmd.(type) {
	case *FilterCmd:
		return e.c.eval(cmd.Cond).Truth()
	case *FilterIndexCmd:
		return e.c.eval(cmd.Cond).Truth()
	case *FieldsCmd:
		for _, it := range cmd.Items {
			if f, ok := it.X.(*Field); ok && it.Alias == "" {
				_ = f
				continue
			}
			r.set(it.Name, e.c.eval(it.X))
		}
	case *ParseCmd:
		src := e.c.eval(cmd.Src)
		var vals []string
		ok := false
		if src.K != Null && src.K < ListKind {
			s := src.String()
			if cmd.Re != nil {
				m := cmd.Re.FindStringSubmatch(s)
				if m != nil {
					ok = true
					for i, n := range cmd.Re.SubexpNames() {
						if n != "" {
							vals = append(vals, m[i])
						}
					}
				}
			} else {
				vals, ok = globMatch(cmd.Glob, s, e.c.glob)
				e.c.glob = vals
			}
		}
		for i, n := range cmd.Names {
			if ok {
				r.set(n, StrV(vals[i]))
			} else {
				r.set(n, Value{})
			}
		}
	}
	return true
}

// Run evaluates the query over events, read once in the order given.
// Events are not retained unless a command needs the rows (sort, dedup,
// rows returned); stats keeps only its groups.
func (q *Query) Run(events iter.Seq[Event], o Options) (res *Result, err error) {
	e := &engine{q: q, o: o}
	e.c = ctx{q: q, o: &e.o}
	cmds := q.Commands
	split := 0
	for split < len(cmds) && streamable(cmds[split]) {
		split++
	}
	var agg *aggregator
	if split < len(cmds) {
		if s, ok := cmds[split].(*StatsCmd); ok {
			agg = newAggregator(s)
		}
	}
	var rows []*record
	seq := 0
	// One scratch record serves every event; only the events kept as rows
	// are copied to the heap.
	var cur Event
	scratch := &record{ev: &cur}
	for ev := range events {
		e.stats.RecordsScanned++
		e.stats.BytesScanned += float64(EventBytes(ev))
		cur = ev
		clear(scratch.vals)
		scratch.vals = scratch.vals[:0]
		scratch.seq, scratch.disc = seq, false
		r := scratch
		seq++
		keep := true
		for _, c := range cmds[:split] {
			if !e.step(c, r) {
				keep = false
				break
			}
		}
		if !keep {
			continue
		}
		e.stats.RecordsMatched++
		if agg != nil {
			e.c.r = r
			agg.add(&e.c, r)
			continue
		}
		kept := &record{ev: new(Event), seq: r.seq, disc: r.disc}
		*kept.ev = cur
		if len(r.vals) > 0 {
			kept.vals = append([]field(nil), r.vals...)
		}
		rows = append(rows, kept)
	}
	rest := cmds[split:]
	if agg != nil {
		rows = agg.rows(&e.c)
		rest = rest[1:]
	} else {
		defaultOrder(rows)
	}
	rows = e.finish(rest, rows)
	return e.result(rows), nil
}

// EventBytes is what an event adds to bytesScanned: its message, @log and
// @logStream, and one byte. Derived: this fits the one AWS figure found
// (aws-cli's get-query-results example: 141 bytes for three 16-byte
// messages of stream TestStream in 877362114193:testNHT); AWS does not
// document the count.
func EventBytes(ev Event) int { return len(ev.Message) + len(ev.Log) + len(ev.LogStream) + 1 }

// defaultOrder sorts event rows newest first (ties in the order read).
func defaultOrder(rows []*record) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.ev == nil || b.ev == nil {
			return false
		}
		if a.ev.Timestamp != b.ev.Timestamp {
			return a.ev.Timestamp > b.ev.Timestamp
		}
		return a.seq < b.seq
	})
}

// finish applies the commands after the first one that needed all rows.
func (e *engine) finish(cmds []Command, rows []*record) []*record {
	for _, cmd := range cmds {
		switch cmd := cmd.(type) {
		case *StatsCmd:
			a := newAggregator(cmd)
			for _, r := range rows {
				e.c.r = r
				a.add(&e.c, r)
			}
			rows = a.rows(&e.c)
		case *SortCmd:
			type keyed struct {
				r *record
				k []Value
			}
			ks := make([]keyed, len(rows))
			for i, r := range rows {
				e.c.r = r
				k := make([]Value, len(cmd.Keys))
				for j, sk := range cmd.Keys {
					k[j] = e.c.eval(sk.X)
				}
				ks[i] = keyed{r, k}
			}
			sort.SliceStable(ks, func(i, j int) bool {
				for n, sk := range cmd.Keys {
					c := Compare(ks[i].k[n], ks[j].k[n])
					if c == 0 {
						continue
					}
					if sk.Desc {
						return c > 0
					}
					return c < 0
				}
				return false
			})
			for i := range ks {
				rows[i] = ks[i].r
			}
		case *LimitCmd:
			if len(rows) > cmd.N {
				rows = rows[:cmd.N]
			}
		case *DedupCmd:
			seen := map[string]bool{}
			out := rows[:0:0]
			for _, r := range rows {
				e.c.r = r
				var b strings.Builder
				null := false
				for _, f := range cmd.Fields {
					v := e.c.eval(f)
					if v.K == Null {
						null = true
						break
					}
					b.WriteByte(byte(v.K))
					b.WriteString(v.String())
					b.WriteByte(0)
				}
				if !null {
					if seen[b.String()] {
						continue
					}
					seen[b.String()] = true
				}
				out = append(out, r)
			}
			rows = out
		case *UnnestCmd:
			var out []*record
			for _, r := range rows {
				e.c.r = r
				v := e.c.eval(cmd.X)
				items := []Value{v}
				if v.K == ListKind {
					items = v.L
				}
				for _, it := range items {
					n := &record{ev: r.ev, seq: r.seq, disc: r.disc, vals: append([]field(nil), r.vals...)}
					n.set(cmd.Into, it)
					out = append(out, n)
				}
			}
			rows = out
		case *PatternCmd:
			rows = e.pattern(cmd, rows)
		case *DiffCmd:
			// diff compares pattern counts with an earlier window; the
			// simulator reports the current window only (a documented gap).
		default:
			out := rows[:0]
			for _, r := range rows {
				if e.step(cmd, r) {
					out = append(out, r)
				}
			}
			rows = out
		}
	}
	return rows
}

// columns works out the fields a result shows (spec §5.3): the last
// display, else the stats output, else the fields listed by fields
// commands, else @timestamp and @message; fields made by parse and unnest
// are added unless a display or stats decided.
func (q *Query) columns() (cols []string, display *DisplayCmd) {
	var listed []string
	var extra []string
	fixed := false
	seen := map[string]bool{}
	add := func(l *[]string, n string) {
		if !seen[n] {
			seen[n] = true
			*l = append(*l, n)
		}
	}
	for _, c := range q.Commands {
		switch c := c.(type) {
		case *FieldsCmd:
			if fixed {
				for _, it := range c.Items {
					add(&listed, it.Name)
				}
				continue
			}
			for _, it := range c.Items {
				add(&listed, it.Name)
			}
		case *ParseCmd:
			for _, n := range c.Names {
				add(&extra, n)
			}
		case *UnnestCmd:
			add(&extra, c.Into)
		case *StatsCmd:
			listed, extra, fixed = nil, nil, true
			seen = map[string]bool{}
			for _, it := range c.By {
				add(&listed, it.Name)
			}
			for _, it := range c.Aggs {
				add(&listed, it.Name)
			}
		case *PatternCmd:
			listed, extra, fixed = nil, nil, true
			seen = map[string]bool{}
			for _, n := range []string{"@pattern", "@ratio", "@sampleCount", "@severityLabel"} {
				add(&listed, n)
			}
		case *DisplayCmd:
			display = c
		}
	}
	if display != nil {
		cols = nil
		for _, it := range display.Items {
			cols = append(cols, it.Name)
		}
		return cols, display
	}
	if len(listed) == 0 && !fixed {
		seen2 := map[string]bool{"@timestamp": true, "@message": true}
		cols = []string{"@timestamp", "@message"}
		for _, n := range extra {
			if !seen2[n] {
				cols = append(cols, n)
			}
		}
		return cols, nil
	}
	return append(listed, extra...), nil
}

// result renders rows: each the non-null values of the columns, then @ptr.
func (e *engine) result(rows []*record) *Result {
	// StartQuery's limit acts as a trailing "| limit N" (AWS appends it to
	// the query: a report of a real error shows the appended limit token);
	// without it a query returns at most 10,000 rows.
	limit := DefaultRows
	if e.o.Limit > 0 {
		limit = e.o.Limit
	}
	if len(rows) > limit {
		rows = rows[:limit]
	}
	cols, display := e.q.columns()
	res := &Result{Fields: cols, Stats: e.stats, Rows: make([][]ResultField, 0, len(rows))}
	for _, r := range rows {
		e.c.r = r
		row := make([]ResultField, 0, len(cols)+1)
		for i, n := range cols {
			var v Value
			if display != nil {
				if _, ok := display.Items[i].X.(*Field); !ok || display.Items[i].Alias != "" {
					v = e.c.eval(display.Items[i].X)
				} else {
					v = r.get(n, e.q.refs)
				}
			} else {
				v = r.get(n, e.q.refs)
			}
			if v.K == Null {
				continue
			}
			row = append(row, ResultField{Field: n, Value: v.String()})
		}
		if r.ev != nil && r.ev.Ptr != "" {
			row = append(row, ResultField{Field: "@ptr", Value: r.ev.Ptr})
		}
		res.Rows = append(res.Rows, row)
	}
	return res
}

// pattern clusters the values of an expression into patterns: tokens that
// hold digits become <Token-n> (a simplification of AWS's classifier).
func (e *engine) pattern(cmd *PatternCmd, rows []*record) []*record {
	type cluster struct {
		pat   string
		n     int
		first int
		sev   string
	}
	byPat := map[string]*cluster{}
	var order []*cluster
	total := 0
	for _, r := range rows {
		e.c.r = r
		v := e.c.eval(cmd.X)
		if v.K == Null || v.K >= ListKind {
			continue
		}
		total++
		toks := strings.Fields(v.String())
		n := 0
		for i, t := range toks {
			if strings.ContainsAny(t, "0123456789") {
				n++
				toks[i] = "<Token-" + strconv.Itoa(n) + ">"
			}
		}
		p := strings.Join(toks, " ")
		c, ok := byPat[p]
		if !ok {
			c = &cluster{pat: p, first: len(order), sev: severity(v.String())}
			byPat[p] = c
			order = append(order, c)
		}
		c.n++
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].n > order[j].n })
	out := make([]*record, 0, len(order))
	for _, c := range order {
		r := &record{}
		r.set("@pattern", StrV(c.pat))
		r.set("@ratio", NumV(float64(c.n)/float64(total)))
		r.set("@sampleCount", NumV(float64(c.n)))
		r.set("@severityLabel", StrV(c.sev))
		out = append(out, r)
	}
	return out
}

func severity(s string) string {
	u := strings.ToUpper(s)
	for _, l := range []struct{ w, label string }{{"FATAL", "Fatal"}, {"CRITICAL", "Fatal"}, {"ERROR", "Error"}, {"WARN", "Warning"}, {"INFO", "Info"}, {"DEBUG", "Debug"}, {"TRACE", "Trace"}} {
		if strings.Contains(u, l.w) {
			return l.label
		}
	}
	return "Unknown"
}
