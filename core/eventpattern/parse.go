// Package eventpattern implements EventBridge event patterns: Parse checks a
// pattern into a syntax tree (or returns AWS's InvalidEventPatternException
// message), Compile turns the tree into a jq program (through core/jq) and a
// native reference matcher that agree on every event, and Set routes an event
// to many compiled patterns at once: indexed by the exact values they
// require, reading only the fields they name, and running jq only for the
// candidates the index and exact values cannot decide.
//
// Matching follows aws/event-ruler's rulesForJSONEvent, the engine behind
// EventBridge: fields are compared as dot-joined paths, event arrays match
// when any element matches, and fields that sit under the same array of
// objects must match inside the same element.
package eventpattern

import (
	"fmt"
	"math"
	"strconv"
)

// MaxPatternLength is the longest pattern the API accepts (the model's
// constraint on EventPattern; the quota page documents 2048).
const MaxPatternLength = 4096

// MaxCombinations is the most $or combinations (expanded branches) a pattern
// may have.
const MaxCombinations = 1000

// maxWildcards is the heuristic for "Rule is too complex": more than this
// many wildcard characters in one value.
const maxWildcards = 5

// tooComplex is EventBridge's wildcard complexity message.
const tooComplex = "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"

// Kind is the kind of one matcher in a field's match list.
type Kind uint8

// The matcher kinds.
const (
	Exact            Kind = iota // a string, number, true, false or null
	Prefix                       // {"prefix": s} or {"prefix": {"equals-ignore-case": s}}
	Suffix                       // {"suffix": s} or {"suffix": {"equals-ignore-case": s}}
	EqualsIgnoreCase             // {"equals-ignore-case": s}
	Wildcard                     // {"wildcard": s}
	AnythingBut                  // {"anything-but": ...}
	Numeric                      // {"numeric": [...]}
	Exists                       // {"exists": true|false}
	CIDR                         // {"cidr": "a/n"}
)

var kindNames = [...]string{"exact", "prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"}

// String returns the operator name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ValueType is the JSON type of an exact value.
type ValueType uint8

// The JSON scalar types.
const (
	String ValueType = iota
	Number
	True
	False
	Null
)

// Value is a JSON scalar of a pattern.
type Value struct {
	Type ValueType
	// Text is the string's value or the number's literal text.
	Text string
	// Num is the number's value (Number only).
	Num float64
}

// Range is a numeric comparison: Lo < v (or <=) and v < Hi (or <=); an
// absent bound is infinite.
type Range struct {
	HasLo, HasHi   bool
	LoOpen, HiOpen bool
	Lo, Hi         float64
	// Text is the pattern's numeric array, for explanations.
	Text string
}

// Matcher is one entry of a field's match list.
type Matcher struct {
	Kind Kind
	// Value is the exact value (Exact).
	Value Value
	// Str is the operand of Prefix, Suffix, EqualsIgnoreCase, Wildcard, CIDR.
	Str string
	// IgnoreCase marks Prefix and Suffix with equals-ignore-case.
	IgnoreCase bool
	// Exists is the operand of Exists.
	Exists bool
	// Range is the operand of Numeric.
	Range Range
	// But is the exclusion of AnythingBut.
	But *Exclusion

	wild []wildPart // compiled Wildcard
	cidr ipRange    // compiled CIDR
	ip   []byte     // Exact string that is an IP address literal
}

// Exclusion is what anything-but excludes: exact strings or numbers, or
// strings by prefix, suffix, case-insensitive equality or wildcard.
type Exclusion struct {
	// Kind is Exact, Prefix, Suffix, EqualsIgnoreCase or Wildcard.
	Kind    Kind
	Strings []string
	Numbers []float64
	// IsNumber marks an exact exclusion of numbers.
	IsNumber bool

	wild [][]wildPart
}

// Field is one named condition of a branch: the dot-joined path of the field
// and its match list (any entry may match).
type Field struct {
	Name     string
	Matchers []Matcher
}

// Branch is one alternative of a pattern after $or expansion: every field
// must match.
type Branch struct {
	Fields []Field
}

// Pattern is a checked event pattern: its source and its branches.
type Pattern struct {
	Source   string
	Branches []Branch
}

// orReserved are the names that may not be used as fields inside $or.
var orReserved = map[string]bool{
	"exactly": true, "equals-ignore-case": true, "prefix": true, "suffix": true, "anything-but": true,
	"exists": true, "wildcard": true, "numeric": true, "cidr": true,
	"=": true, "<": true, "<=": true, ">": true, ">=": true, "regex": true,
	"not-wildcard": true, "not-equals-ignore-case": true,
	"date-after": true, "date-on-or-after": true, "date-before": true, "date-on-or-before": true, "in-date-range": true,
	"ip-address-in-range": true, "ip-address-not-in-range": true,
}

// branchMap is a branch under construction: fields in first-seen order, a
// later field of the same name replacing the earlier one's list.
type branchMap struct {
	names []string
	lists map[string][]Matcher
}

func (b *branchMap) put(name string, m []Matcher) {
	if _, ok := b.lists[name]; !ok {
		b.names = append(b.names, name)
	}
	b.lists[name] = m
}

func (b *branchMap) clone() *branchMap {
	c := &branchMap{names: append([]string(nil), b.names...), lists: make(map[string][]Matcher, len(b.lists))}
	for k, v := range b.lists {
		c.lists[k] = v
	}
	return c
}

type parser struct {
	lex   *lexer
	rules []*branchMap
}

// Parse checks a pattern and returns its syntax tree, or an *Error carrying
// AWS's InvalidEventPatternException message. It never panics.
func Parse(pattern string) (p *Pattern, err error) {
	ps := &parser{lex: &lexer{src: pattern, line: 1}}
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(fail)
			if !ok {
				panic(r)
			}
			p, err = nil, f.err
		}
	}()
	if ps.lex.next() != tStartObject {
		ps.lex.barf("Filter is not an object")
	}
	ps.parseObject(nil, false)
	if len(ps.rules) > MaxCombinations {
		return nil, plainError(pattern, fmt.Sprintf("The number of $or combinations (%d) exceeds the limit of %d", len(ps.rules), MaxCombinations))
	}
	out := &Pattern{Source: pattern}
	for _, r := range ps.rules {
		var b Branch
		for _, n := range r.names {
			b.Fields = append(b.Fields, Field{Name: n, Matchers: r.lists[n]})
		}
		out.Branches = append(out.Branches, b)
	}
	return out, nil
}

func joinPath(path []string, step string) string {
	n := len(step)
	for _, p := range path {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for _, p := range path {
		b = append(b, p...)
		b = append(b, '.')
	}
	return string(append(b, step...))
}

func (ps *parser) parseObject(path []string, insideOr bool) {
	l := ps.lex
	present := false
	for l.next() != tEndObject {
		present = true
		name := l.text
		if name == "$or" {
			ps.parseOr(path)
			continue
		}
		if insideOr && orReserved[name] {
			l.barf(name + " is Ruler reserved fieldName which cannot be used inside $or.")
		}
		switch l.next() {
		case tStartObject:
			ps.parseObject(append(path[:len(path):len(path)], name), insideOr)
		case tStartArray:
			ps.writeRules(joinPath(path, name))
		default:
			l.barf("\"" + name + "\" must be an object or an array")
		}
	}
	if !present {
		l.barf("Empty objects are not allowed")
	}
}

func (ps *parser) parseOr(path []string) {
	l := ps.lex
	current := ps.rules
	ps.rules = nil
	if l.next() != tStartArray {
		l.barf("It must be an Array followed with $or.")
	}
	n := 0
	for {
		t := l.next()
		if t == tEndArray {
			break
		}
		n++
		if t != tStartObject {
			l.barf("Only JSON object is allowed in array of $or relationship.")
		}
		saved := ps.rules
		var fresh []*branchMap
		for _, r := range current {
			fresh = append(fresh, r.clone())
		}
		if len(fresh) == 0 {
			fresh = append(fresh, &branchMap{lists: map[string][]Matcher{}})
		}
		ps.rules = fresh
		ps.parseObject(path, true)
		ps.rules = append(saved, ps.rules...)
		if len(ps.rules) > 4*MaxCombinations {
			panic(fail{plainError(l.src, fmt.Sprintf("The number of $or combinations exceeds the limit of %d", MaxCombinations))})
		}
	}
	if n < 2 {
		l.barf("There must have at least 2 Objects in $or relationship.")
	}
}

func (ps *parser) writeRules(name string) {
	l := ps.lex
	var values []Matcher
	for {
		t := l.next()
		if t == tEndArray {
			break
		}
		switch t {
		case tStartObject:
			values = append(values, ps.matchExpression())
		case tString:
			s := l.getText()
			m := Matcher{Kind: Exact, Value: Value{Type: String, Text: s}}
			if ip, ok := parseIPIfPossible(s); ok {
				m.ip = ip
			}
			values = append(values, m)
		case tInt, tFloat:
			values = append(values, Matcher{Kind: Exact, Value: Value{Type: Number, Text: l.text, Num: l.floatValue()}})
		case tTrue:
			values = append(values, Matcher{Kind: Exact, Value: Value{Type: True, Text: "true"}})
		case tFalse:
			values = append(values, Matcher{Kind: Exact, Value: Value{Type: False, Text: "false"}})
		case tNull:
			values = append(values, Matcher{Kind: Exact, Value: Value{Type: Null, Text: "null"}})
		default:
			l.barf("Match value must be String, number, true, false, or null")
		}
	}
	if len(values) == 0 {
		l.barf("Empty arrays are not allowed")
	}
	if len(ps.rules) == 0 {
		ps.rules = append(ps.rules, &branchMap{lists: map[string][]Matcher{}})
	}
	for _, r := range ps.rules {
		r.put(name, values)
	}
}

// endObject requires the end of a match expression object.
func (ps *parser) endObject() {
	if ps.lex.next() != tEndObject {
		ps.lex.barf("Only one key allowed in match expression")
	}
}

// barfTwice raises an error whose location EventBridge repeats (errors
// raised while reading a list inside an operator).
func (ps *parser) barfTwice(reason string) {
	e := ps.lex.errAt(reason)
	e.twice = true
	panic(fail{e})
}

func (ps *parser) matchExpression() Matcher {
	l := ps.lex
	if l.next() != tField {
		l.barf("Match expression name not found")
	}
	op := l.text
	switch op {
	case "exactly":
		if l.next() != tString {
			l.barf("exact match pattern must be a string")
		}
		m := Matcher{Kind: Exact, Value: Value{Type: String, Text: l.getText()}}
		ps.endObject()
		return m
	case "prefix", "suffix":
		kind, title := Prefix, "Prefix"
		if op == "suffix" {
			kind, title = Suffix, "Suffix"
		}
		m := Matcher{Kind: kind}
		switch l.next() {
		case tString:
			m.Str = l.getText()
		case tStartObject:
			if l.next() != tField {
				l.barf(title + " expression name not found")
			}
			if l.text != "equals-ignore-case" {
				l.barf("Unsupported " + op + " pattern: " + l.text)
			}
			if l.next() != tString {
				l.barf("equals-ignore-case match pattern must be a string")
			}
			m.Str, m.IgnoreCase = l.getText(), true
			ps.endObject()
		default:
			l.barf(op + " match pattern must be a string")
		}
		ps.endObject()
		return m
	case "equals-ignore-case":
		if l.next() != tString {
			l.barf("equals-ignore-case match pattern must be a string")
		}
		m := Matcher{Kind: EqualsIgnoreCase, Str: l.getText()}
		ps.endObject()
		return m
	case "wildcard":
		if l.next() != tString {
			l.barf("wildcard match pattern must be a string")
		}
		m := Matcher{Kind: Wildcard, Str: l.getText()}
		m.wild = ps.wildcard(m.Str, false)
		ps.endObject()
		return m
	case "numeric":
		if l.next() != tStartArray {
			l.barf("Value of numeric must be an array.")
		}
		start := l.pos - 1
		r := ps.numeric()
		r.Text = l.src[start:l.pos]
		if l.next() != tEndObject {
			l.barf("Too many elements in numeric expression")
		}
		return Matcher{Kind: Numeric, Range: r}
	case "anything-but":
		return ps.anythingBut()
	case "exists":
		var m Matcher
		switch l.next() {
		case tTrue:
			m = Matcher{Kind: Exists, Exists: true}
		case tFalse:
			m = Matcher{Kind: Exists, Exists: false}
		default:
			l.barf("exists match pattern must be either true or false.")
		}
		ps.endObject()
		return m
	case "cidr":
		if l.next() != tString {
			l.barf("prefix match pattern must be a string")
		}
		s := l.getText()
		rng, reason := parseCIDR(s)
		if reason != "" {
			panic(fail{plainError(l.src, reason)})
		}
		ps.endObject()
		return Matcher{Kind: CIDR, Str: s, cidr: rng}
	}
	l.barf("Unrecognized match type " + op)
	return Matcher{}
}

// wildcard checks a wildcard value the way Ruler's WildcardParser does
// (positions count bytes of the value with a quote prepended) and applies
// the complexity limit.
func (ps *parser) wildcard(s string, twice bool) []wildPart {
	q := "\"" + s + "\""
	stars := 0
	for i := 0; i < len(q); i++ {
		switch q[i] {
		case '*':
			if i+1 < len(q) && q[i+1] == '*' {
				ps.fault("Consecutive wildcard characters at pos "+strconv.Itoa(i), twice)
			}
			stars++
		case '\\':
			if i+1 < len(q) && (q[i+1] == '*' || q[i+1] == '\\') {
				i++
				continue
			}
			ps.fault("Invalid escape character at pos "+strconv.Itoa(i), twice)
		}
	}
	if stars > maxWildcards {
		panic(fail{plainError(ps.lex.src, tooComplex)})
	}
	return compileWildcard(s)
}

func (ps *parser) fault(reason string, twice bool) {
	if twice {
		ps.barfTwice(reason)
	}
	ps.lex.barf(reason)
}

func (ps *parser) anythingBut() Matcher {
	l := ps.lex
	ex := &Exclusion{Kind: Exact}
	m := Matcher{Kind: AnythingBut, But: ex}
	t := l.next()
	ignoreCase := false
	if t == tStartObject {
		if l.next() != tField {
			l.barf("Anything-But expression name not found")
		}
		op := l.text
		switch op {
		case "prefix", "suffix", "wildcard":
			ex.Kind = Prefix
			msg := "prefix/suffix match pattern must be a string"
			if op == "suffix" {
				ex.Kind = Suffix
			}
			if op == "wildcard" {
				ex.Kind = Wildcard
				msg = "wildcard match pattern must be a string"
			}
			add := func(s string, twice bool) {
				if s == "" && ex.Kind != Wildcard {
					ps.fault("Null prefix/suffix not allowed", twice)
				}
				if ex.Kind == Wildcard {
					ex.wild = append(ex.wild, ps.wildcard(s, twice))
				}
				ex.Strings = append(ex.Strings, s)
			}
			switch l.next() {
			case tString:
				add(l.getText(), false)
			case tStartArray:
				for {
					t := l.next()
					if t == tEndArray {
						break
					}
					if t != tString {
						ps.barfTwice(msg)
					}
					add(l.getText(), true)
				}
				if len(ex.Strings) == 0 {
					l.barf(msg)
				}
			case tStartObject:
				l.barf("Value of anything-but must be an array or single string/number value.")
			default:
				l.barf(msg)
			}
			ps.endObject()
			ps.endObject()
			return m
		case "equals-ignore-case":
			ignoreCase = true
			ex.Kind = EqualsIgnoreCase
			t = l.next()
		default:
			l.barf("Unsupported anything-but pattern: " + op)
		}
	}
	switch t {
	case tStartArray, tString, tInt, tFloat:
	default:
		l.barf("Value of anything-but must be an array or single string/number value.")
	}
	switch {
	case t == tStartArray && ignoreCase:
		for {
			t := l.next()
			if t == tEndArray {
				break
			}
			if t != tString {
				ps.barfTwice("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
			}
			ex.Strings = append(ex.Strings, l.getText())
		}
	case t == tStartArray:
		hasNum, hasStr := false, false
		for {
			t := l.next()
			if t == tEndArray {
				break
			}
			switch t {
			case tString:
				ex.Strings = append(ex.Strings, l.getText())
				hasStr = true
			case tInt, tFloat:
				f, ok := ps.checkedNumber()
				if !ok {
					ps.barfTwice("Value of anything-but must be numeric")
				}
				ex.Numbers = append(ex.Numbers, f)
				hasNum = true
			default:
				ps.barfTwice("Inside anything but list, start|null|boolean is not supported.")
			}
		}
		if hasNum == hasStr {
			l.barf("Inside anything but list, either all values are number or string, mixed type is not supported")
		}
		ex.IsNumber = hasNum
	case ignoreCase:
		if t != tString {
			l.barf("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
		}
		ex.Strings = append(ex.Strings, l.getText())
	case t == tString:
		ex.Strings = append(ex.Strings, l.getText())
	default:
		f, ok := ps.checkedNumber()
		if !ok {
			l.barf("Value of anything-but must be numeric")
		}
		ex.Numbers, ex.IsNumber = append(ex.Numbers, f), true
	}
	if l.next() != tEndObject {
		l.barf("Too many elements in numeric expression")
	}
	if ignoreCase && l.next() != tEndObject {
		l.barf("Too many elements in numeric expression")
	}
	return m
}

// checkedNumber returns the current number token's value, refusing values
// that overflow to an infinity or underflow to zero.
func (ps *parser) checkedNumber() (float64, bool) {
	f, err := strconv.ParseFloat(ps.lex.text, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	if f == 0 && !zeroText(ps.lex.text) {
		return 0, false
	}
	return f, true
}

func zeroText(s string) bool {
	for _, c := range s {
		if c >= '1' && c <= '9' {
			return false
		}
		if c == 'e' || c == 'E' {
			break
		}
	}
	return true
}

func (ps *parser) numeric() Range {
	l := ps.lex
	if l.next() != tString {
		l.barf("Invalid member in numeric match: " + l.getText())
	}
	op := l.getText()
	t := l.next()
	val := func(op string) float64 {
		if t != tInt && t != tFloat {
			l.barf("Value of " + op + " must be numeric")
		}
		f, ok := ps.checkedNumber()
		if !ok {
			l.barf("Value of " + op + " must be numeric")
		}
		return f
	}
	switch op {
	case "=":
		v := val("equals")
		if l.next() != tEndArray {
			l.barf("Too many elements in numeric expression")
		}
		return Range{HasLo: true, HasHi: true, Lo: v, Hi: v}
	case ">=", ">":
		lo := val(op)
		r := Range{HasLo: true, Lo: lo, LoOpen: op == ">"}
		t = l.next()
		if t == tEndArray {
			return r
		}
		if t != tString {
			l.barf("Bad value in numeric range: " + l.getText())
		}
		op2 := l.getText()
		if op2 != "<" && op2 != "<=" {
			l.barf("Bad numeric range operator: " + op2)
		}
		t = l.next()
		hi := val(op2)
		if l.next() != tEndArray {
			l.barf("Too many terms in numeric range expression")
		}
		if lo >= hi {
			l.barf("Bottom must be less than top")
		}
		r.HasHi, r.Hi, r.HiOpen = true, hi, op2 == "<"
		return r
	case "<=", "<":
		hi := val(op)
		if l.next() != tEndArray {
			l.barf("Too many elements in numeric expression")
		}
		return Range{HasHi: true, Hi: hi, HiOpen: op == "<"}
	}
	l.barf("Unrecognized numeric range operator: " + op)
	return Range{}
}
