package cli

import (
	"math"
	"math/big"
	"sort"

	"github.com/jmespath/go-jmespath"
)

// --query runs a JMESPath expression with github.com/jmespath/go-jmespath,
// which works on Go maps and float64 numbers. Python's jmespath keeps the
// order of dicts and the int/float distinction, so the result is put back
// into Python values with hints:
//
//   - key order: the keys of multiselect hashes in the order the expression
//     writes them, then the keys of the response in the order they first
//     appear (model order); other keys sort after, by name;
//   - numbers: whole numbers print as ints, unless they sit under a key whose
//     model shape is a float or double anywhere in the response.
//
// A projection of bare doubles (Datapoints[].Average) has no key to go by:
// whole values there print as ints where the CLI prints 1.0.

// queryHints guide fromJMES.
type queryHints struct {
	rank       map[string]int
	doubleKeys map[string]bool
}

func newQueryHints(expr string, response any) *queryHints {
	h := &queryHints{rank: map[string]int{}, doubleKeys: map[string]bool{}}
	for _, k := range multiselectKeys(expr) {
		if _, ok := h.rank[k]; !ok {
			h.rank[k] = len(h.rank)
		}
	}
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch x := v.(type) {
		case *pyDict:
			for _, k := range x.keys {
				if _, ok := h.rank[k]; !ok {
					h.rank[k] = len(h.rank)
				}
				walk(x.vals[k], k)
			}
		case []any:
			for _, e := range x {
				walk(e, key)
			}
		case float64:
			if key != "" {
				h.doubleKeys[key] = true
			}
		}
	}
	walk(response, "")
	return h
}

// runQuery applies a compiled expression to a response.
func runQuery(q *jmespath.JMESPath, expr string, v any) (any, error) {
	res, err := q.Search(toJMES(v))
	if err != nil {
		return nil, err
	}
	return fromJMES(res, newQueryHints(expr, v)), nil
}

// toJMES turns Python values into go-jmespath's.
func toJMES(v any) any {
	switch x := v.(type) {
	case *pyDict:
		m := make(map[string]any, x.len())
		for _, k := range x.keys {
			m[k] = toJMES(x.vals[k])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toJMES(e)
		}
		return out
	case int64:
		return float64(x)
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	}
	return v
}

func fromJMES(v any, h *queryHints) any {
	return fromJMESKey(v, h, "")
}

func fromJMESKey(v any, h *queryHints, key string) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			ri, iok := h.rankOf(keys[i])
			rj, jok := h.rankOf(keys[j])
			switch {
			case iok && jok:
				return ri < rj
			case iok != jok:
				return iok
			}
			return keys[i] < keys[j]
		})
		d := newDict()
		for _, k := range keys {
			d.set(k, fromJMESKey(x[k], h, k))
		}
		return d
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromJMESKey(e, h, key)
		}
		return out
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 && !(h != nil && h.doubleKeys[key]) {
			return int64(x)
		}
		return x
	case int:
		return int64(x)
	}
	return v
}

func (h *queryHints) rankOf(k string) (int, bool) {
	if h == nil {
		return 0, false
	}
	r, ok := h.rank[k]
	return r, ok
}

// multiselectKeys returns the keys of the expression's multiselect hashes
// ({a: x, b: y}) in the order they are written.
func multiselectKeys(expr string) []string {
	var keys []string
	var stack []rune // open brackets: '{' or '['
	rs := []rune(expr)
	lastKey := ""
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '{' || c == '[':
			stack = append(stack, c)
			lastKey = ""
		case c == '}' || c == ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			lastKey = ""
		case c == '\'' || c == '`':
			j := i + 1
			for j < len(rs) && rs[j] != c {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			i = j
			lastKey = ""
		case c == '"':
			j := i + 1
			var s []rune
			for j < len(rs) && rs[j] != '"' {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				s = append(s, rs[j])
				j++
			}
			i = j
			lastKey = string(s)
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(rs) && (rs[j] == '_' || rs[j] >= 'a' && rs[j] <= 'z' || rs[j] >= 'A' && rs[j] <= 'Z' || rs[j] >= '0' && rs[j] <= '9') {
				j++
			}
			lastKey = string(rs[i:j])
			i = j - 1
		case c == ':':
			if len(stack) > 0 && stack[len(stack)-1] == '{' && lastKey != "" {
				keys = append(keys, lastKey)
			}
			lastKey = ""
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			lastKey = ""
		}
	}
	return keys
}
