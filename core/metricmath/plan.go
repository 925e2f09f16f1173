package metricmath

import "strings"

// Query is one entry of a GetMetricData request or of an alarm's Metrics
// list, as metric math sees it: a metric (Expression empty, its data comes
// from the Env) or an expression.
type Query struct {
	ID         string
	Expression string
	// ReturnData marks a query whose result is returned (or, in an alarm,
	// watched): a returned expression may not produce a scalar.
	ReturnData bool
}

// Plan is the compiled expressions of one request, in an order where each
// comes after the expressions it references. A Plan is immutable and safe
// for concurrent use.
type Plan struct {
	// Order lists the expression ids in evaluation order.
	Order []string
	// Programs are the compiled expressions by id.
	Programs map[string]*Program
}

// NewPlan compiles every expression of the queries. References to ids that
// are not in the queries and circular references are errors; every error
// is an *Error whose ID names the failing query. The options apply to every
// expression; with ForAlarm only the returned expression must be a single
// time series (SEARCH is refused in all of them).
func NewPlan(queries []Query, opts ...Option) (*Plan, error) {
	base := config{maxLength: DefaultMaxLength, maxDepth: DefaultMaxDepth, maxNodes: DefaultMaxNodes}
	for _, o := range opts {
		o(&base)
	}
	known := map[string]bool{}
	exprs := map[string]Query{}
	var ids []string
	for _, q := range queries {
		known[q.ID] = true
		if q.Expression != "" {
			exprs[q.ID] = q
			ids = append(ids, q.ID)
		}
	}
	// The ids each expression names, from the syntax alone.
	deps := map[string][]string{}
	for _, id := range ids {
		names, err := names(exprs[id].Expression, &base)
		if err != nil {
			err.ID = id
			return nil, err
		}
		for _, n := range names {
			if !known[n.text] {
				e := errf(exprs[id].Expression, n.pos, "Unknown metric or expression id %q.", n.text)
				e.ID = id
				return nil, e
			}
			deps[id] = append(deps[id], n.text)
		}
	}
	// Depth-first topological order; a grey node reached again is a cycle.
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var order []string
	var path []string
	var visit func(id string) *Error
	visit = func(id string) *Error {
		if _, isExpr := exprs[id]; !isExpr || color[id] == black {
			return nil
		}
		if color[id] == grey {
			i := len(path) - 1
			for i > 0 && path[i] != id {
				i--
			}
			cycle := append(append([]string(nil), path[i:]...), id)
			e := errf(exprs[id].Expression, 0, "Circular reference between expressions: %s.", strings.Join(cycle, " -> "))
			e.ID = id
			return e
		}
		color[id] = grey
		path = append(path, id)
		for _, d := range deps[id] {
			if err := visit(d); err != nil {
				return err
			}
		}
		path = path[:len(path)-1]
		color[id] = black
		order = append(order, id)
		return nil
	}
	for _, id := range ids { // request order

		if err := visit(id); err != nil {
			return nil, err
		}
	}
	kinds := map[string]Kind{}
	for _, q := range queries {
		if q.Expression == "" {
			kinds[q.ID] = KindSeries
		}
	}
	plan := &Plan{Order: order, Programs: map[string]*Program{}}
	for _, id := range order {
		q := exprs[id]
		o := append(append([]Option(nil), opts...), IDs(kinds))
		if !q.ReturnData {
			o = append(o, AllowScalar(), func(c *config) { c.alarm = false })
		}
		p, err := Compile(q.Expression, o...)
		if err != nil {
			me := err.(*Error)
			me.ID = id
			return nil, me
		}
		kinds[id] = p.Kind()
		plan.Programs[id] = p
	}
	return plan, nil
}

// names returns the identifier nodes of an expression, from its syntax.
func names(src string, cfg *config) ([]*node, *Error) {
	if len(src) > cfg.maxLength {
		return nil, errf(src, cfg.maxLength, "The expression is longer than %d characters.", cfg.maxLength)
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	ps := &parser{src: src, toks: toks, maxDepth: cfg.maxDepth, maxNodes: cfg.maxNodes}
	root, err := ps.parse()
	if err != nil {
		return nil, err
	}
	var out []*node
	var walk func(n *node)
	walk = func(n *node) {
		if n.op == nIdent {
			out = append(out, n)
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(root)
	return out, nil
}

// Eval evaluates every expression in order; the Env supplies the metrics'
// data, and each expression sees the results of the ones before it. It
// returns the result of every expression by id, or the first failure (an
// *Error whose ID names the expression).
func (p *Plan) Eval(env Env) (map[string]Value, error) {
	le := &layeredEnv{Env: env, results: make(map[string]Value, len(p.Order))}
	for _, id := range p.Order {
		v, err := p.Programs[id].Eval(le)
		if err != nil {
			if me, ok := err.(*Error); ok {
				cp := *me
				cp.ID = id
				return nil, &cp
			}
			return nil, err
		}
		le.results[id] = v
	}
	return le.results, nil
}

// layeredEnv answers Data with the results of evaluated expressions first.
type layeredEnv struct {
	Env
	results map[string]Value
}

func (l *layeredEnv) Data(id string) (Value, error) {
	if v, ok := l.results[id]; ok {
		return v, nil
	}
	return l.Env.Data(id)
}
