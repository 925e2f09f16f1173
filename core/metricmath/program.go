package metricmath

import (
	"errors"
	"fmt"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	exprchecker "github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	exprparser "github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// Default limits; see the Option functions.
const (
	// DefaultMaxLength is AWS's limit on the length of an Expression.
	DefaultMaxLength = 2048
	// DefaultMaxDepth bounds nesting (parentheses, calls, arrays).
	DefaultMaxDepth = 64
	// DefaultMaxNodes bounds the syntax tree.
	DefaultMaxNodes = 1000
	// DefaultMaxPoints bounds one series: GetMetricData's default
	// MaxDatapoints.
	DefaultMaxPoints = 100800
	// DefaultMaxSeries bounds an array: the series of a graph.
	DefaultMaxSeries = 500
	// DefaultMaxWork bounds the datapoints computed by one evaluation.
	DefaultMaxWork = 50_000_000
)

// config is what the options set.
type config struct {
	maxLength, maxDepth, maxNodes int
	maxPoints, maxSeries, maxWork int
	ids                           map[string]Kind
	alarm, allowScalar            bool
	// noSearch forbids SEARCH (every expression of an alarm).
	noSearch bool
}

// Option configures Compile.
type Option func(*config)

// IDs declares the ids the expression may reference and the kind of each
// (metrics are KindSeries; an expression's kind is its Program's Kind).
// Without it any id is accepted as a time series.
func IDs(kinds map[string]Kind) Option {
	return func(c *config) {
		c.ids = make(map[string]Kind, len(kinds))
		for k, v := range kinds {
			c.ids[k] = v
		}
	}
}

// ForAlarm checks the expression as an alarm's: it must produce exactly one
// time series (or be the ANOMALY_DETECTION_BAND an anomaly alarm compares
// with, which produces two), it may hold at most one
// ANOMALY_DETECTION_BAND, and SEARCH is not allowed.
func ForAlarm() Option { return func(c *config) { c.alarm, c.noSearch = true, true } }

// AllowScalar accepts an expression whose result is a scalar (an
// intermediate expression with ReturnData false); by default a scalar result
// is an error, as for a returned expression.
func AllowScalar() Option { return func(c *config) { c.allowScalar = true } }

// MaxLength sets the longest expression text accepted.
func MaxLength(n int) Option { return func(c *config) { c.maxLength = n } }

// MaxPoints sets the most points a series may have, input or computed.
func MaxPoints(n int) Option { return func(c *config) { c.maxPoints = n } }

// MaxSeries sets the most series an array may have.
func MaxSeries(n int) Option { return func(c *config) { c.maxSeries = n } }

// MaxWork sets the most datapoints one evaluation may compute.
func MaxWork(n int) Option { return func(c *config) { c.maxWork = n } }

// Program is a compiled expression. It is immutable and safe for concurrent
// use by several goroutines.
type Program struct {
	src  string
	cfg  config
	root *node
	refs Refs
	prog *vm.Program
	// searchAt maps the offset of each SEARCH call to its query.
	searchAt map[int]*SearchQuery
	// identKind maps the offset of each id to its checked kind.
	identKind map[int]Kind
}

// Source returns the expression text.
func (p *Program) Source() string { return p.src }

// Kind returns the kind of the expression's result.
func (p *Program) Kind() Kind { return p.root.kind }

// Refs returns what the expression reads: the ids it names, METRICS(),
// SEARCH queries and other sources. The caller must not modify it.
func (p *Program) Refs() Refs { return p.refs }

// Compile parses and type-checks an expression and builds its program.
// Every failure is an *Error with AWS's message and the offset of the fault.
func Compile(src string, opts ...Option) (prog *Program, err error) {
	cfg := config{
		maxLength: DefaultMaxLength, maxDepth: DefaultMaxDepth, maxNodes: DefaultMaxNodes,
		maxPoints: DefaultMaxPoints, maxSeries: DefaultMaxSeries, maxWork: DefaultMaxWork,
	}
	for _, o := range opts {
		o(&cfg)
	}
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, errf(src, 0, "The expression could not be compiled: %v", r)
		}
	}()
	if len(src) > cfg.maxLength {
		return nil, errf(src, cfg.maxLength, "The expression is longer than %d characters.", cfg.maxLength)
	}
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, lerr
	}
	ps := &parser{src: src, toks: toks, maxDepth: cfg.maxDepth, maxNodes: cfg.maxNodes}
	root, perr := ps.parse()
	if perr != nil {
		return nil, perr
	}
	c := &checker{src: src, cfg: &cfg, seen: map[string]bool{}}
	if cerr := c.check(root); cerr != nil {
		return nil, cerr
	}
	switch {
	case root.kind == KindString || root.kind == kindKeyword:
		return nil, errf(src, root.pos, "The expression must return a time series or an array of time series, not %s.", article(root.kind))
	case cfg.alarm && c.refs.AnomalyBands > 1:
		return nil, errf(src, 0, "An expression can contain only one ANOMALY_DETECTION_BAND function.")
	case cfg.alarm && root.kind != KindSeries && !(root.op == nCall && root.text == "ANOMALY_DETECTION_BAND"):
		return nil, errf(src, 0, "The expression of an alarm must return a single time series, not %s.", article(root.kind))
	case root.kind == KindScalar && !cfg.allowScalar:
		return nil, errf(src, 0, "The expression must return a time series or an array of time series, not a scalar.")
	}
	vp, xerr := build(root, &cfg)
	if xerr != nil {
		return nil, errf(src, 0, "The expression could not be compiled: %v", xerr)
	}
	p := &Program{src: src, cfg: cfg, root: root, refs: c.refs, prog: vp, searchAt: map[int]*SearchQuery{}, identKind: map[int]Kind{}}
	var walk func(n *node)
	walk = func(n *node) {
		if n.search != nil {
			p.searchAt[n.pos] = n.search
		}
		if n.op == nIdent {
			p.identKind[n.pos] = n.kind
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(root)
	return p, nil
}

// ctxName is the expr variable that carries the evaluation context.
const ctxName = "ctx"

// build turns the checked tree into an expr program: every value is
// produced by a call to one of this package's functions; literals become
// expr literals, never source text.
func build(root *node, cfg *config) (*vm.Program, error) {
	ec := conf.CreateNew()
	opts := []expr.Option{
		expr.Env(map[string]any{ctxName: (*evalCtx)(nil)}),
		expr.DisableAllBuiltins(),
		expr.MaxNodes(uint(cfg.maxNodes) * 8),
		expr.Optimize(false),
	}
	for name, fn := range runtimeFuncs {
		fn := fn
		opts = append(opts, expr.Function(name, func(params ...any) (any, error) {
			c := params[0].(*evalCtx)
			pos := params[1].(int)
			v, err := fn(c, pos, params[2:])
			if err != nil {
				return nil, c.wrap(pos, err)
			}
			if err := c.charge(v); err != nil {
				return nil, c.wrap(pos, err)
			}
			return v, nil
		}))
	}
	for _, o := range opts {
		o(ec)
	}
	for name := range ec.Disabled {
		delete(ec.Builtins, name)
	}
	ec.Check()
	tree := &exprparser.Tree{Node: toExpr(root)}
	if _, err := exprchecker.Check(tree, ec); err != nil {
		return nil, err
	}
	return compiler.Compile(tree, ec)
}

// toExpr converts a node and its children.
func toExpr(n *node) ast.Node {
	call := func(name string, args ...ast.Node) ast.Node {
		all := append([]ast.Node{&ast.IdentifierNode{Value: ctxName}, &ast.IntegerNode{Value: n.pos}}, args...)
		return &ast.CallNode{Callee: &ast.IdentifierNode{Value: name}, Arguments: all}
	}
	children := func() []ast.Node {
		out := make([]ast.Node, len(n.args))
		for i, a := range n.args {
			out[i] = toExpr(a)
		}
		return out
	}
	switch n.op {
	case nNum:
		return &ast.FloatNode{Value: n.num}
	case nStr, nKeyword:
		return &ast.StringNode{Value: n.text}
	case nIdent:
		return call("$ref", &ast.StringNode{Value: n.text})
	case nArray:
		return call("$array", children()...)
	case nUnary:
		return call("$neg", children()...)
	case nBinary:
		return call("$op", append([]ast.Node{&ast.StringNode{Value: n.text}}, children()...)...)
	}
	switch n.text {
	case "SEARCH":
		// The query was parsed by the checker; the call finds it by position.
		return call("SEARCH")
	case "PERIOD":
		return call("PERIOD", &ast.StringNode{Value: n.args[0].text})
	case "ANOMALY_DETECTION_BAND":
		id := ""
		if n.args[0].op == nIdent {
			id = n.args[0].text
		}
		return call(n.text, append([]ast.Node{&ast.StringNode{Value: id}}, children()...)...)
	case "MINUTE", "HOUR", "DAY", "DATE", "MONTH", "YEAR", "EPOCH":
		// The period of a metric argument sets the step of the result.
		id := ""
		if n.args[0].op == nIdent {
			id = n.args[0].text
		}
		return call(n.text, append([]ast.Node{&ast.StringNode{Value: id}}, children()...)...)
	case "INSIGHT_RULE_METRIC", "SERVICE_QUOTA", "DB_PERF_INSIGHTS":
		return call(n.text, append([]ast.Node{&ast.StringNode{Value: n.text}}, children()...)...)
	}
	return call(n.text, children()...)
}

// Env is what Eval reads. A caller that does not simulate a source returns
// an error made with Unavailable (or any error) from its method.
type Env interface {
	// Data returns the value of a referenced id: a metric's series or
	// another expression's result. An unknown id is an error.
	Data(id string) (Value, error)
	// MetricIDs returns the ids of the request's metric (MetricStat)
	// queries, in request order, for METRICS() and PERIOD.
	MetricIDs() []string
	// Period returns the period in seconds of a metric query.
	Period(id string) int64
	// Window returns the request's time range and period.
	Window() Window
	// Search returns the series a SEARCH finds, one per metric.
	Search(q *SearchQuery) ([]Series, error)
	// AnomalyBand returns the upper and lower limits of the anomaly model
	// of the series s (named id when it is a bare id in the expression,
	// else "") with the band width in standard deviations.
	AnomalyBand(id string, s Series, width float64) (upper, lower Series, err error)
	// External returns the series of a source of another service:
	// INSIGHT_RULE_METRIC(rule, metric), SERVICE_QUOTA (args empty, in the
	// usage series) or DB_PERF_INSIGHTS(service, id, metric).
	External(fn string, args []string, in *Series) (Series, error)
}

// Eval evaluates the program. Every failure, including a panic inside a
// function, is an *Error.
func (p *Program) Eval(env Env) (res Result, err error) {
	c := &evalCtx{p: p, env: env, cfg: &p.cfg, window: env.Window()}
	defer func() {
		if r := recover(); r != nil {
			res, err = Result{}, errf(p.src, 0, "The expression could not be evaluated: %v", r)
		}
	}()
	out, err := vm.Run(p.prog, map[string]any{ctxName: c})
	if err != nil {
		var me *Error
		if errors.As(err, &me) {
			return Result{}, me
		}
		if c.err != nil {
			return Result{}, c.err
		}
		return Result{}, errf(p.src, 0, "The expression could not be evaluated: %v", err)
	}
	v, ok := out.(Value)
	if !ok {
		return Result{}, errf(p.src, 0, "The expression could not be evaluated: unexpected result %T", out)
	}
	return v, nil
}

// wrap turns an error into an *Error at pos (keeping the first one).
func (c *evalCtx) wrap(pos int, err error) error {
	var me *Error
	if errors.As(err, &me) {
		if c.err == nil {
			c.err = me
		}
		return me
	}
	e := errf(c.p.src, pos, "%s", err.Error())
	if c.err == nil {
		c.err = e
	}
	return e
}

// charge counts the points of a computed value against the work budget.
func (c *evalCtx) charge(v any) error {
	val, ok := v.(Value)
	if !ok {
		return nil
	}
	if len(val.Series) > c.cfg.maxSeries {
		return fmt.Errorf("The expression produces %d time series; at most %d are allowed.", len(val.Series), c.cfg.maxSeries)
	}
	for _, s := range val.Series {
		if len(s.Timestamps) > c.cfg.maxPoints {
			return fmt.Errorf("The expression produces a time series of %d datapoints; at most %d are allowed.", len(s.Timestamps), c.cfg.maxPoints)
		}
		c.work += len(s.Timestamps)
	}
	if c.work > c.cfg.maxWork {
		return fmt.Errorf("The expression is too expensive to evaluate: it computes more than %d datapoints.", c.cfg.maxWork)
	}
	return nil
}
