package metricmath

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/expr-lang/expr/ast"
)

// exprShape checks that a built expr tree holds only literals, the ctx
// variable and calls of this package's functions: no user text is ever expr
// source, and no expr built-in is reachable.
type exprShape struct{ bad []string }

func (v *exprShape) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.FloatNode, *ast.IntegerNode, *ast.StringNode:
	case *ast.IdentifierNode:
		if x.Value != ctxName {
			if _, ok := runtimeFuncs[x.Value]; !ok {
				v.bad = append(v.bad, "identifier "+x.Value)
			}
		}
	case *ast.CallNode:
		id, ok := x.Callee.(*ast.IdentifierNode)
		if !ok {
			v.bad = append(v.bad, "callee "+x.Callee.String())
		} else if _, ok := runtimeFuncs[id.Value]; !ok {
			v.bad = append(v.bad, "call "+id.Value)
		}
	default:
		v.bad = append(v.bad, fmt.Sprintf("node %T", x))
	}
}

func TestExprTreeShape(t *testing.T) {
	hostile := []string{
		`METRICS('"); now() //')`, `METRICS("' + len(x) + '")`, `METRICS('\\') * 2`, `METRICS('}}{{$env}}')`,
		`INSIGHT_RULE_METRIC('now()', 'date("2020")')`, `SEARCH('{"AWS/EC2"} "now()" OR "a\"b"', 'Sum')`,
		"m1 + m2 * (m3 - 1e-300) ^ 2", "IF(m1 > 0 AND m2 < 1 OR m3 == 2, m1, -m2)", "[m1, METRICS('x'), [m2]]",
	}
	env := testEnv()
	for _, src := range hostile {
		p, err := Compile(src)
		if err != nil {
			t.Errorf("Compile(%q): %v", src, err)
			continue
		}
		n := toExpr(p.root)
		v := &exprShape{}
		ast.Walk(&n, v)
		if len(v.bad) > 0 {
			t.Errorf("%q builds %v", src, v.bad)
		}
		if _, err := p.Eval(env); err != nil && !errors.Is(err, ErrUnavailable) && !strings.Contains(err.Error(), "Contributor Insights") {
			t.Errorf("Eval(%q): %v", src, err)
		}
	}
	// The filter is taken literally.
	p, _ := Compile(`METRICS('"); now() //')`)
	r, err := p.Eval(env)
	if err != nil || len(r.Series) != 0 {
		t.Errorf("hostile filter: %v %v", show(r), err)
	}
}

func TestExternalHooks(t *testing.T) {
	env := testEnv()
	var calls []string
	env.ExternalFunc = func(fn string, args []string, in *Series) (Series, error) {
		calls = append(calls, fmt.Sprint(fn, args, in != nil))
		if in != nil {
			return mapSeries(*in, func(v float64) float64 { return 100 }), nil
		}
		return ser("x", 1, 2, 3), nil
	}
	for src, want := range map[string]string{
		"INSIGHT_RULE_METRIC('rule', 'UniqueContributors')": "TS [0:1 1:2 2:3]",
		"m1 / SERVICE_QUOTA(m1) * 100":                      "TS [0:10 1:20 2:30 3:40 4:50]",
		"DB_PERF_INSIGHTS('RDS', 'db-1', 'db.load.avg')":    "TS [0:1 1:2 2:3]",
	} {
		p, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		r, err := p.Eval(env)
		if err != nil || show(r) != want {
			t.Errorf("%s = %s %v, want %s", src, show(r), err, want)
		}
	}
	if fmt.Sprint(calls) == "" {
		t.Error("no calls")
	}
	env.SearchFunc = func(q *SearchQuery) ([]Series, error) { return nil, Unavailable("search failed") }
	p, _ := Compile("SEARCH('x', 'Sum')")
	if _, err := p.Eval(env); !errors.Is(err, ErrUnavailable) && (err == nil || err.Error() != "search failed") {
		t.Errorf("search error: %v", err)
	}
}

func TestProducedBounds(t *testing.T) {
	env := testEnv()
	p, _ := Compile("[m1, m2, m3, m1]", MaxSeries(3))
	if _, err := p.Eval(env); err == nil || err.Error() != "The array has more than 3 time series." {
		t.Errorf("array: %v", err)
	}
	p, _ = Compile("m2 + metric2", MaxPoints(4))
	if _, err := p.Eval(env); err == nil || err.Error() != "The expression produces a time series of 5 datapoints; at most 4 are allowed." {
		t.Errorf("points: %v", err)
	}
}

func TestCaret(t *testing.T) {
	_, err := Compile("m1 + avg(m2)")
	var me *Error
	if !errors.As(err, &me) {
		t.Fatal(err)
	}
	if got := me.Caret(); got != "m1 + avg(m2)\n     ^" {
		t.Errorf("Caret = %q", got)
	}
	if me.Source != "m1 + avg(m2)" || me.Offset != 5 {
		t.Errorf("%+v", me)
	}
	p, _ := Compile("m1")
	if p.Source() != "m1" || p.Kind().String() != "time series" {
		t.Error(p.Source(), p.Kind())
	}
}
