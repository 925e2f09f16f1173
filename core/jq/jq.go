// Package jq is the only package of Telltale that calls gojq. It compiles jq
// programs safely and runs them with bounds.
//
// Safety rests on three rules:
//
//   - Callers never splice user text into jq source: every user value becomes
//     source text through [Literal], the one audited encoder.
//   - Compile parses the source and walks the whole syntax tree before
//     compiling it: a program that mentions a function or variable that reads
//     the environment, the clock, other inputs, or writes to the process
//     streams (now, env, $ENV, input, inputs, halt, halt_error, $__loc__,
//     debug, stderr, input_filename, ...) or that imports modules is refused
//     with [ErrForbidden].
//   - Run bounds every evaluation: the input's nesting depth and size, the
//     number of outputs, and the number of interpreter steps.
//
// A compiled [Program] is immutable and safe for concurrent use.
package jq

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/itchyny/gojq"
)

// Default bounds of a Program.
const (
	// DefaultMaxSteps is the default number of interpreter steps one Run may take.
	DefaultMaxSteps = 1_000_000
	// DefaultMaxDepth is the default nesting depth allowed in an input value.
	DefaultMaxDepth = 1000
	// DefaultMaxOutputs is the default number of outputs one Run may produce.
	DefaultMaxOutputs = 10_000
	// MaxSourceLength is the longest jq source text Compile accepts.
	MaxSourceLength = 1 << 20
)

// Sentinel errors of the package.
var (
	// ErrForbidden is returned by Compile for a program that uses a
	// forbidden function, variable or module directive.
	ErrForbidden = errors.New("jq: forbidden function")
	// ErrSteps is returned by Run when the program exceeds its step budget.
	ErrSteps = errors.New("jq: step budget exceeded")
	// ErrDepth is returned by Run when the input is nested too deeply.
	ErrDepth = errors.New("jq: input nested too deeply")
	// ErrOutputs is returned by Run when the program produces too many outputs.
	ErrOutputs = errors.New("jq: too many outputs")
	// ErrTooLong is returned by Compile for an over-long source text.
	ErrTooLong = errors.New("jq: program too long")
)

// forbidden lists the names no program may mention, as a function, a
// variable or an object shorthand key. They read the environment, the wall
// clock, the local time zone or further inputs, write to the process's
// streams, stop the process, or reveal the program's own text.
var forbidden = map[string]bool{
	"now": true, "localtime": true, "strflocaltime": true,
	"env": true, "$ENV": true, "builtins": true,
	"input": true, "inputs": true, "input_filename": true, "input_line_number": true,
	"halt": true, "halt_error": true,
	"$__loc__": true, "$__prog_args": true,
	"debug": true, "stderr": true,
	"get_search_list": true, "get_prog_origin": true, "get_jq_origin": true,
	"modulemeta": true,
}

// Func is a Go function made callable from jq: it receives the input value and
// the evaluated arguments and returns a value or an error. It must be pure:
// no clock, no I/O, no global state.
type Func func(v any, args []any) any

type function struct {
	name     string
	min, max int
	f        Func
}

type config struct {
	funcs      []function
	vars       []string
	maxSteps   int
	maxDepth   int
	maxOutputs int
}

// Option configures Compile.
type Option func(*config)

// WithFunction makes a pure Go function callable from the program by name
// with between minArity and maxArity arguments.
func WithFunction(name string, minArity, maxArity int, f Func) Option {
	return func(c *config) { c.funcs = append(c.funcs, function{name, minArity, maxArity, f}) }
}

// WithVariables declares variables (names starting with $) whose values are
// passed to Run in the same order.
func WithVariables(names ...string) Option {
	return func(c *config) { c.vars = append(c.vars, names...) }
}

// WithMaxSteps sets the step budget of one Run (DefaultMaxSteps by default).
func WithMaxSteps(n int) Option { return func(c *config) { c.maxSteps = n } }

// WithMaxDepth sets the deepest input nesting Run accepts.
func WithMaxDepth(n int) Option { return func(c *config) { c.maxDepth = n } }

// WithMaxOutputs sets the most outputs one Run may produce.
func WithMaxOutputs(n int) Option { return func(c *config) { c.maxOutputs = n } }

// Program is a compiled jq program. It is immutable and safe for concurrent
// use; compile it once and run it on every input.
type Program struct {
	src  string
	code *gojq.Code
	cfg  config
}

// Compile parses src, refuses forbidden constructs, and compiles it.
func Compile(src string, opts ...Option) (*Program, error) {
	cfg := config{maxSteps: DefaultMaxSteps, maxDepth: DefaultMaxDepth, maxOutputs: DefaultMaxOutputs}
	for _, o := range opts {
		o(&cfg)
	}
	if len(src) > MaxSourceLength {
		return nil, ErrTooLong
	}
	q, err := gojq.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("jq: %w", err)
	}
	if err := Check(q); err != nil {
		return nil, err
	}
	copts := []gojq.CompilerOption{
		gojq.WithEnvironLoader(func() []string { return nil }),
	}
	if len(cfg.vars) > 0 {
		copts = append(copts, gojq.WithVariables(cfg.vars))
	}
	for _, f := range cfg.funcs {
		if forbidden[f.name] {
			return nil, fmt.Errorf("%w: %s", ErrForbidden, f.name)
		}
		copts = append(copts, gojq.WithFunction(f.name, f.min, f.max, f.f))
	}
	code, err := gojq.Compile(q, copts...)
	if err != nil {
		return nil, fmt.Errorf("jq: %w", err)
	}
	return &Program{src: src, code: code, cfg: cfg}, nil
}

// MustCompile is Compile for fixed program texts written in Go source; it
// panics on error and must never see user input.
func MustCompile(src string, opts ...Option) *Program {
	p, err := Compile(src, opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the source text of the program.
func (p *Program) String() string { return p.src }

// Check walks a parsed query and reports the first forbidden construct.
func Check(q *gojq.Query) error {
	var bad []string
	walk(reflect.ValueOf(q), func(v reflect.Value) {
		switch x := v.Interface().(type) {
		case *gojq.Func:
			if x != nil && forbidden[x.Name] {
				bad = append(bad, x.Name)
			}
		case *gojq.ObjectKeyVal:
			if x != nil && forbidden[x.Key] {
				bad = append(bad, x.Key)
			}
		case *gojq.Query:
			if x != nil && (len(x.Imports) > 0 || x.Meta != nil) {
				bad = append(bad, "import")
			}
		case *gojq.Term:
			if x != nil && x.Type == gojq.TermTypeFormat && x.Format != "" && !knownFormats[x.Format] {
				bad = append(bad, x.Format)
			}
		}
	})
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("%w: %s", ErrForbidden, strings.Join(bad, ", "))
	}
	return nil
}

var knownFormats = map[string]bool{
	"@text": true, "@json": true, "@html": true, "@uri": true, "@urid": true, "@csv": true,
	"@tsv": true, "@sh": true, "@base64": true, "@base64d": true, "@base32": true, "@base32d": true,
}

// walk visits v and every pointer, slice element and struct field reachable
// from it (the gojq syntax tree is a tree: no cycles).
func walk(v reflect.Value, visit func(reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		visit(v)
		walk(v.Elem(), visit)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walk(v.Field(i), visit)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), visit)
		}
	}
}

// budget is a context whose Done channel closes after a number of calls:
// gojq consults Done once per instruction, so it counts interpreter steps
// without a clock or a goroutine.
type budget struct {
	context.Context
	left int
	done chan struct{}
}

func (b *budget) Done() <-chan struct{} {
	if b.left <= 0 {
		if b.done == nil {
			b.done = make(chan struct{})
			close(b.done)
		}
		return b.done
	}
	b.left--
	return nil
}

func (b *budget) Err() error {
	if b.left <= 0 {
		return ErrSteps
	}
	return nil
}

// Run evaluates the program on input with the declared variables' values and
// returns every output. An error value produced by the program (error/1, a
// type error) is returned as the error.
func (p *Program) Run(input any, vars ...any) ([]any, error) {
	if err := checkDepth(input, p.cfg.maxDepth); err != nil {
		return nil, err
	}
	ctx := &budget{Context: context.Background(), left: p.cfg.maxSteps}
	iter := p.code.RunWithContext(ctx, input, vars...)
	var out []any
	for {
		v, ok := iter.Next()
		if !ok {
			return out, nil
		}
		if err, ok := v.(error); ok {
			if errors.Is(err, ErrSteps) || ctx.left <= 0 {
				return out, ErrSteps
			}
			return out, fmt.Errorf("jq: %w", err)
		}
		if len(out) >= p.cfg.maxOutputs {
			return out, ErrOutputs
		}
		out = append(out, v)
	}
}

// First evaluates the program and returns its first output (nil, false when
// there is none).
func (p *Program) First(input any, vars ...any) (any, bool, error) {
	if err := checkDepth(input, p.cfg.maxDepth); err != nil {
		return nil, false, err
	}
	return p.first(input, vars)
}

// FirstShallow is First on an input the caller built itself and knows to be
// nested no deeper than the program's depth bound (say, a map of lists of
// pairs of scalars and flat lists): it skips the walk over the whole input
// that First makes on every run. The step and output bounds still apply.
func (p *Program) FirstShallow(input any, vars ...any) (any, bool, error) {
	return p.first(input, vars)
}

func (p *Program) first(input any, vars []any) (any, bool, error) {
	ctx := &budget{Context: context.Background(), left: p.cfg.maxSteps}
	v, ok := p.code.RunWithContext(ctx, input, vars...).Next()
	if !ok {
		return nil, false, nil
	}
	if err, isErr := v.(error); isErr {
		if ctx.left <= 0 {
			return nil, false, ErrSteps
		}
		return nil, false, fmt.Errorf("jq: %w", err)
	}
	return v, true, nil
}

func checkDepth(v any, max int) error {
	type item struct {
		v any
		d int
	}
	stack := []item{{v, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.d > max {
			return ErrDepth
		}
		switch x := it.v.(type) {
		case []any:
			for _, e := range x {
				stack = append(stack, item{e, it.d + 1})
			}
		case map[string]any:
			for _, e := range x {
				stack = append(stack, item{e, it.d + 1})
			}
		}
	}
	return nil
}
