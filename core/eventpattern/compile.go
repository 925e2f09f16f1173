package eventpattern

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/jq"
)

// Program is a compiled pattern: a jq program built from the syntax tree
// (every key and value entering the source through jq.Literal) and a native
// matcher that agrees with it. A Program is immutable and safe for
// concurrent use, except MatchNative, which uses a private Set.
type Program struct {
	pattern *Pattern
	prog    *jq.Program
	// branches decide each branch alone on the values the Set's scan read
	// (see branchDecision).
	branches []*jq.Program
	native   *Set
}

// Compile compiles a checked pattern once; the Program is reused for every
// event.
func Compile(p *Pattern) (*Program, error) {
	src, err := JQ(p)
	if err != nil {
		return nil, err
	}
	prog, err := jq.Compile(src, helpers()...)
	if err != nil {
		return nil, fmt.Errorf("eventpattern: compiling jq: %w", err)
	}
	branches := make([]*jq.Program, len(p.Branches))
	for i, br := range p.Branches {
		branches[i], err = jq.Compile(branchDecision(br), helpers()...)
		if err != nil {
			return nil, fmt.Errorf("eventpattern: compiling jq: %w", err)
		}
	}
	set := newNativeSet()
	set.addPattern(p)
	return &Program{pattern: p, prog: prog, branches: branches, native: set}, nil
}

// Pattern returns the syntax tree the program was compiled from.
func (p *Program) Pattern() *Pattern { return p.pattern }

// JQ returns the jq source of the program.
func (p *Program) JQ() string { return p.prog.String() }

// Match evaluates the jq program on an event (a JSON object) and reports
// whether the pattern matches.
func (p *Program) Match(event []byte) (bool, error) {
	v, err := jq.Decode(event)
	if err != nil {
		return false, ErrEventJSON
	}
	return p.MatchValue(v)
}

// MatchValue is Match on an event already decoded by jq.Decode.
func (p *Program) MatchValue(event any) (bool, error) {
	if _, ok := event.(map[string]any); !ok {
		return false, ErrEventObject
	}
	out, ok, err := p.prog.First(event)
	if err != nil {
		return false, err
	}
	return ok && out == true, nil
}

// matchBranch runs the jq decision of one branch on the values at the
// branch's fields, as the Set's scan read them: one list per field, in the
// order of ordered(branch.Fields), of [value, path] pairs (see
// branchDecision). The input is at most four levels deep.
func (p *Program) matchBranch(branch int, input []any) (bool, error) {
	out, ok, err := p.branches[branch].FirstShallow(input)
	if err != nil {
		return false, err
	}
	return ok && out == true, nil
}

// MatchNative evaluates the native reference matcher, which decides every
// condition and array-consistency question without jq (not safe for
// concurrent use). Tests compare it with Match; routing uses Set.
func (p *Program) MatchNative(event []byte) (bool, error) {
	ids, err := p.native.Match(event, nil)
	return len(ids) > 0, err
}

// helpers are the pure Go functions the generated jq calls for operators jq
// has no builtin for.
func helpers() []jq.Option {
	str := func(f func(v, arg string) bool) jq.Func {
		return func(v any, args []any) any {
			s, ok1 := v.(string)
			a, ok2 := args[0].(string)
			return ok1 && ok2 && f(s, a)
		}
	}
	return []jq.Option{
		jq.WithFunction("_eb_eq_ic", 1, 1, str(equalFold)),
		jq.WithFunction("_eb_prefix_ic", 1, 1, str(hasPrefixFold)),
		jq.WithFunction("_eb_suffix_ic", 1, 1, str(hasSuffixFold)),
		jq.WithFunction("_eb_wildcard", 1, 1, str(func(v, w string) bool { return matchWildcard(compileWildcard(w), v) })),
		jq.WithFunction("_eb_cidr", 1, 1, str(func(v, c string) bool {
			r, reason := parseCIDR(c)
			ip, ok := parseIPIfPossible(v)
			return reason == "" && ok && r.contains(ip)
		})),
		jq.WithFunction("_eb_ip_eq", 1, 1, str(func(v, a string) bool {
			x, ok1 := parseIPIfPossible(v)
			y, ok2 := parseIPIfPossible(a)
			return ok1 && ok2 && string(x) == string(y)
		})),
		jq.WithFunction("_eb_add", 1, 1, func(v any, args []any) any {
			acc, ok1 := v.([]any)
			p, ok2 := args[0].([]any)
			if !ok1 || !ok2 {
				return nil
			}
			if len(p) == 0 {
				return acc
			}
			for _, q := range acc {
				if qp, ok := q.([]any); !ok || !pathsConsistent(qp, p) {
					return nil
				}
			}
			out := make([]any, len(acc)+1)
			copy(out, acc)
			out[len(acc)] = p
			return out
		}),
		jq.WithFunction("_eb_consistent", 1, 1, func(v any, args []any) any {
			acc, ok1 := v.([]any)
			p, ok2 := args[0].([]any)
			if !ok1 || !ok2 {
				return false
			}
			for _, q := range acc {
				if qp, ok := q.([]any); !ok || !pathsConsistent(qp, p) {
					return false
				}
			}
			return true
		}),
	}
}

// pathsConsistent reports whether two leaf paths (keys and array indexes)
// agree on every array they share: they must not first differ at an index.
func pathsConsistent(a, b []any) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if jsonEqual(a[i], b[i]) {
			continue
		}
		_, sa := a[i].(string)
		_, sb := b[i].(string)
		return sa || sb
	}
	return true
}

func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int:
		y, ok := b.(int)
		return ok && x == y
	}
	return false
}

func lit(v any) string {
	s, err := jq.Literal(v)
	if err != nil {
		panic(err) // unreachable: callers pass strings and finite floats
	}
	return s
}

func numLit(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "infinite"
	case math.IsInf(f, -1):
		return "(-infinite)"
	}
	return lit(f)
}

// JQ returns the jq source of a pattern: a walk that gathers the event's
// values at the pattern's fields, then the decision (see jqDecision). Keys
// and values enter it only through jq.Literal.
func JQ(p *Pattern) (string, error) {
	d, err := jqDecision(p)
	if err != nil {
		return "", err
	}
	return jqWalk(p) + d, nil
}

// jqWalk returns the jq source that binds $L to the event's values at the
// pattern's fields: a list of [name, value, path] triples, one per scalar at
// a field's path (path: the keys and array indexes from the root).
func jqWalk(p *Pattern) string {
	var b strings.Builder
	names := map[string]bool{}
	var order []string
	for _, br := range p.Branches {
		for _, f := range br.Fields {
			if !names[f.Name] {
				names[f.Name] = true
				order = append(order, f.Name)
			}
		}
	}
	prefixes := map[string]any{}
	for _, n := range order {
		prefixes[n] = true
		for i := 0; i < len(n); i++ {
			if n[i] == '.' {
				prefixes[n[:i]] = true
			}
		}
	}
	nameSet := map[string]any{}
	for _, n := range order {
		nameSet[n] = true
	}
	// _eb_walk visits only the keys on the way to a pattern field and
	// yields [name, value, path] for each scalar at a field's path.
	b.WriteString(lit(prefixes) + ` as $P | ` + lit(nameSet) + ` as $N | `)
	b.WriteString(`def _eb_walk($pre; $path): if type == "object" then to_entries[] | (if $pre == null then .key else $pre + "." + .key end) as $k | select($P | has($k)) | .key as $key | .value | _eb_walk($k; $path + [$key]) `)
	b.WriteString(`elif type == "array" then range(length) as $i | .[$i] | _eb_walk($pre; $path + [$i]) `)
	b.WriteString(`elif $pre != null and ($N | has($pre)) then [$pre, ., $path] else empty end; `)
	b.WriteString(`[_eb_walk(null; [])] as $L | `)
	return b.String()
}

// jqDecision returns the jq source that decides the pattern from $L (the
// list jqWalk builds): every condition of every field, and that the values
// chosen for the fields of a branch are consistent (from the same element of
// every array of objects they share).
func jqDecision(p *Pattern) (string, error) {
	if len(p.Branches) == 0 {
		return "", errors.New("eventpattern: empty pattern")
	}
	var b strings.Builder
	for i, br := range p.Branches {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteString("(first([]")
		for _, f := range ordered(br.Fields) {
			b.WriteString(" | ")
			writeField(&b, f)
		}
		b.WriteString(" | true) // false)")
	}
	return b.String(), nil
}

func writeField(b *strings.Builder, f Field) {
	absent := false
	var conds []string
	for _, m := range f.Matchers {
		if m.Kind == Exists && !m.Exists {
			absent = true
			continue
		}
		conds = append(conds, cond(m))
	}
	// values yields the field's [value, path] pairs
	values := `($L[] | select(.[0] == ` + lit(f.Name) + `) | .[1:])`
	var alts []string
	if len(conds) > 0 {
		alts = append(alts, `(. as $acc | `+values+` | select(.[0] | `+strings.Join(conds, " or ")+
			`) | .[1] as $p | select($acc | _eb_consistent($p)) | $acc + [$p])`)
	}
	if absent {
		// exists:false: no value of the field sits with the chosen ones
		alts = append(alts, `(. as $acc | if any(`+values+`; .[1] as $p | $acc | _eb_consistent($p)) then empty else . end)`)
	}
	b.WriteString("(" + strings.Join(alts, ", ") + ")")
}

// branchDecision returns the jq source that decides one branch from the
// values the Set's scan read: the input is a list with one entry per field,
// in the order of ordered(br.Fields), each the list of the field's
// [value, path] pairs, where a path lists the (array, index) pairs of the
// arrays the value sits in (an array named by a string), outermost first.
//
// It is the decision of jqDecision written for that input: the same
// conditions and the same search over one value per field, each consistent
// with the values chosen before it, exists:false fields last. The paths
// chosen so far are the input of each step; _eb_add($p) extends them with a
// consistent path, or answers null (no output: the search backtracks). A
// path [] (a value outside every array) is consistent with any other and
// constrains none, so _eb_add leaves the list as it is. The program's
// outputs are true, one per successful choice; the caller takes the first
// (gojq computes outputs lazily, so the search stops there) and reads no
// output as false.
func branchDecision(br Branch) string {
	var b strings.Builder
	b.WriteString(". as $L | []")
	for i, f := range ordered(br.Fields) {
		absent := false
		var conds []string
		for _, m := range f.Matchers {
			if m.Kind == Exists && !m.Exists {
				absent = true
				continue
			}
			conds = append(conds, cond(m))
		}
		values := `$L[` + strconv.Itoa(i) + `][]`
		var alts []string
		if len(conds) > 0 {
			alts = append(alts, `(`+values+` as [$v, $p] | if ($v | `+strings.Join(conds, " or ")+
				`) then _eb_add($p) else empty end | if . then . else empty end)`)
		}
		if absent {
			// exists:false: no value of the field sits with the chosen ones
			alts = append(alts, `(. as $acc | if any(`+values+`; .[1] as $p | $acc | _eb_consistent($p)) then empty else . end)`)
		}
		b.WriteString(" | (" + strings.Join(alts, ", ") + ")")
	}
	b.WriteString(" | true")
	return b.String()
}

// ordered returns the fields with exists:false lists last, as both engines
// decide them after the others.
func ordered(fs []Field) []Field {
	out := make([]Field, 0, len(fs))
	for pass := 0; pass < 2; pass++ {
		for _, f := range fs {
			absent := false
			for _, m := range f.Matchers {
				if m.Kind == Exists && !m.Exists {
					absent = true
				}
			}
			if absent == (pass == 1) {
				out = append(out, f)
			}
		}
	}
	return out
}

// cond is the jq condition, on one event value, of a matcher.
func cond(m Matcher) string {
	switch m.Kind {
	case Exact:
		switch m.Value.Type {
		case String:
			if m.ip != nil {
				return `(type == "string" and (. == ` + lit(m.Value.Text) + ` or _eb_ip_eq(` + lit(m.Value.Text) + `)))`
			}
			return `(. == ` + lit(m.Value.Text) + `)`
		case Number:
			return `(type == "number" and . == ` + numLit(m.Value.Num) + `)`
		case True:
			return `(. == true)`
		case False:
			return `(. == false)`
		default:
			return `(. == null)`
		}
	case Prefix:
		if m.IgnoreCase {
			return `_eb_prefix_ic(` + lit(m.Str) + `)`
		}
		return `(type == "string" and startswith(` + lit(m.Str) + `))`
	case Suffix:
		if m.IgnoreCase {
			return `_eb_suffix_ic(` + lit(m.Str) + `)`
		}
		return `(type == "string" and endswith(` + lit(m.Str) + `))`
	case EqualsIgnoreCase:
		return `_eb_eq_ic(` + lit(m.Str) + `)`
	case Wildcard:
		return `_eb_wildcard(` + lit(m.Str) + `)`
	case CIDR:
		return `_eb_cidr(` + lit(m.Str) + `)`
	case Exists:
		return `true`
	case Numeric:
		var parts []string
		parts = append(parts, `type == "number"`)
		r := m.Range
		if r.HasLo && r.HasHi && r.Lo == r.Hi && !r.LoOpen && !r.HiOpen {
			parts = append(parts, `. == `+numLit(r.Lo))
		} else {
			if r.HasLo {
				op := " >= "
				if r.LoOpen {
					op = " > "
				}
				parts = append(parts, "."+op+numLit(r.Lo))
			}
			if r.HasHi {
				op := " <= "
				if r.HiOpen {
					op = " < "
				}
				parts = append(parts, "."+op+numLit(r.Hi))
			}
		}
		return "(" + strings.Join(parts, " and ") + ")"
	case AnythingBut:
		e := m.But
		var hits []string
		typ := "string"
		switch e.Kind {
		case Exact:
			if e.IsNumber {
				typ = "number"
				for _, n := range e.Numbers {
					hits = append(hits, ". == "+numLit(n))
				}
			} else {
				for _, s := range e.Strings {
					hits = append(hits, ". == "+lit(s))
				}
			}
		case Prefix:
			for _, s := range e.Strings {
				hits = append(hits, "startswith("+lit(s)+")")
			}
		case Suffix:
			for _, s := range e.Strings {
				hits = append(hits, "endswith("+lit(s)+")")
			}
		case EqualsIgnoreCase:
			for _, s := range e.Strings {
				hits = append(hits, "_eb_eq_ic("+lit(s)+")")
			}
		case Wildcard:
			for _, s := range e.Strings {
				hits = append(hits, "_eb_wildcard("+lit(s)+")")
			}
		}
		return `(type != "` + typ + `" or ((` + strings.Join(hits, " or ") + `) | not))`
	}
	return "false"
}

// requiredEnvelope are the keys TestEventPattern requires in an event.
var requiredEnvelope = []string{"id", "account", "source", "time", "region", "detail-type"}

// ValidateEvent checks an event the way TestEventPattern does: a JSON object
// holding at least id, account, source, time, region and detail-type;
// otherwise ValidationException "Parameter Event is not valid.".
func ValidateEvent(event string) error {
	bad := awserr.BadRequest("ValidationException", "Parameter Event is not valid.")
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(event), &obj); err != nil || obj == nil {
		return bad
	}
	for _, k := range requiredEnvelope {
		if _, ok := obj[k]; !ok {
			return bad
		}
	}
	return nil
}
