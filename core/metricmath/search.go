package metricmath

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// statPattern is the grammar of extended statistics (spec §2.4).
var statPattern = regexp.MustCompile(`^(?:(?:p|tc|tm|ts|wm)(?:\d{1,2}(?:\.\d{0,10})?|100)` +
	`|(?:TM|TC|TS|WM)\((?:\d{1,2}(?:\.\d{0,10})?|100)?%:(?:\d{1,2}(?:\.\d{0,10})?|100)?%\)` +
	`|(?:TM|TC|TS|WM|PR)\((?:\d+(?:\.\d+)?)?:(?:\d+(?:\.\d+)?)?\))$`)

// maxSearchLength is the longest search query AWS accepts (spec §2.6).
const maxSearchLength = 1024

// SearchQuery is a parsed SEARCH expression: the search text, the statistic
// and the period of SEARCH('{Namespace,Dim} terms', 'Stat'[, Period]).
// Match tells whether a metric of the caller's catalogue is found by it.
// A SearchQuery is immutable once returned by Compile.
type SearchQuery struct {
	// Text is the search expression as written.
	Text string
	// Stat is the statistic to read each metric with.
	Stat string
	// Period is the period in seconds, or 0 for the request's period.
	Period int64
	// Namespace and DimensionNames are the schema ({Namespace, Dim...}),
	// if the query has one (HasSchema).
	HasSchema      bool
	Namespace      string
	DimensionNames []string

	term *sterm
}

// Metric is a metric of the caller's catalogue, as SEARCH sees it.
type Metric struct {
	Namespace  string
	MetricName string
	Dimensions []Dimension
}

// Dimension is a metric dimension.
type Dimension struct {
	Name, Value string
}

// stermOp is the kind of a search term.
type stermOp uint8

const (
	sWord stermOp = iota // a term matched against every property
	sAnd
	sOr
	sNot
)

// sterm is a node of the search term tree.
type sterm struct {
	op    stermOp
	field string // "" (any), "MetricName", "Namespace", or a dimension name
	text  string
	exact bool
	args  []*sterm
}

// ParseSearch parses the text of a search expression (the first argument of
// SEARCH). Offsets of its errors are within text.
func ParseSearch(text string) (*SearchQuery, *Error) {
	if len(text) > maxSearchLength {
		return nil, errf(text, 0, "The search expression is longer than %d characters.", maxSearchLength)
	}
	q := &SearchQuery{Text: text}
	sp := &searchParser{src: text}
	sp.skip()
	if sp.i < len(sp.src) && sp.src[sp.i] == '{' {
		if err := sp.schema(q); err != nil {
			return nil, err
		}
	}
	sp.skip()
	if sp.i < len(sp.src) {
		t, err := sp.or(0)
		if err != nil {
			return nil, err
		}
		sp.skip()
		if sp.i < len(sp.src) {
			return nil, errf(text, sp.i, "Syntax error in the search expression at position %d.", sp.i)
		}
		q.term = t
	}
	if !q.HasSchema && q.term == nil {
		return nil, errf(text, 0, "The search expression is empty: give a schema, a search term, or both.")
	}
	return q, nil
}

type searchParser struct {
	src string
	i   int
}

func (sp *searchParser) skip() {
	for sp.i < len(sp.src) && (sp.src[sp.i] == ' ' || sp.src[sp.i] == '\t' || sp.src[sp.i] == '\n') {
		sp.i++
	}
}

// schema parses {Namespace, Dim1, ...}.
func (sp *searchParser) schema(q *SearchQuery) *Error {
	sp.i++ // {
	var parts []string
	for {
		sp.skip()
		v, err := sp.value(",}")
		if err != nil {
			return err
		}
		if v == "" {
			return errf(sp.src, sp.i, "The schema of the search expression has an empty name at position %d.", sp.i)
		}
		parts = append(parts, v)
		sp.skip()
		if sp.i >= len(sp.src) {
			return errf(sp.src, sp.i, "The schema of the search expression is missing its closing brace.")
		}
		c := sp.src[sp.i]
		sp.i++
		if c == '}' {
			break
		}
	}
	q.HasSchema = true
	q.Namespace = parts[0]
	q.DimensionNames = parts[1:]
	return nil
}

// value reads a quoted string or a bare run up to a stop character or space.
func (sp *searchParser) value(stops string) (string, *Error) {
	if sp.i < len(sp.src) && sp.src[sp.i] == '"' {
		return sp.quoted()
	}
	start := sp.i
	for sp.i < len(sp.src) && !strings.ContainsRune(stops, rune(sp.src[sp.i])) && sp.src[sp.i] != ' ' {
		sp.i++
	}
	return strings.TrimSpace(sp.src[start:sp.i]), nil
}

// quoted reads "..." with backslash escapes of " \ ( ).
func (sp *searchParser) quoted() (string, *Error) {
	start := sp.i
	sp.i++
	var b strings.Builder
	for sp.i < len(sp.src) {
		c := sp.src[sp.i]
		if c == '\\' && sp.i+1 < len(sp.src) {
			b.WriteByte(sp.src[sp.i+1])
			sp.i += 2
			continue
		}
		if c == '"' {
			sp.i++
			return b.String(), nil
		}
		b.WriteByte(c)
		sp.i++
	}
	return "", errf(sp.src, start, "Unterminated quoted term in the search expression at position %d.", start)
}

const maxSearchDepth = 32

func (sp *searchParser) or(depth int) (*sterm, *Error) {
	left, err := sp.and(depth)
	if err != nil {
		return nil, err
	}
	for sp.word("OR") {
		right, err := sp.and(depth)
		if err != nil {
			return nil, err
		}
		left = &sterm{op: sOr, args: []*sterm{left, right}}
	}
	return left, nil
}

func (sp *searchParser) and(depth int) (*sterm, *Error) {
	left, err := sp.not(depth)
	if err != nil {
		return nil, err
	}
	for {
		sp.skip()
		if sp.i >= len(sp.src) || sp.src[sp.i] == ')' || sp.peekWord("OR") {
			return left, nil
		}
		sp.word("AND")
		right, err := sp.not(depth)
		if err != nil {
			return nil, err
		}
		left = &sterm{op: sAnd, args: []*sterm{left, right}}
	}
}

func (sp *searchParser) not(depth int) (*sterm, *Error) {
	if depth > maxSearchDepth {
		return nil, errf(sp.src, sp.i, "The search expression is nested too deeply.")
	}
	if sp.word("NOT") {
		x, err := sp.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return &sterm{op: sNot, args: []*sterm{x}}, nil
	}
	return sp.primary(depth)
}

// peekWord reports whether the upper-case operator w comes next as a whole word.
func (sp *searchParser) peekWord(w string) bool {
	sp.skip()
	if !strings.HasPrefix(sp.src[sp.i:], w) {
		return false
	}
	end := sp.i + len(w)
	return end == len(sp.src) || sp.src[end] == ' ' || sp.src[end] == '(' || sp.src[end] == '\t' || sp.src[end] == '\n'
}

func (sp *searchParser) word(w string) bool {
	if sp.peekWord(w) {
		sp.i += len(w)
		return true
	}
	return false
}

func (sp *searchParser) primary(depth int) (*sterm, *Error) {
	sp.skip()
	if sp.i >= len(sp.src) {
		return nil, errf(sp.src, sp.i, "The search expression ended unexpectedly.")
	}
	switch sp.src[sp.i] {
	case '(':
		open := sp.i
		sp.i++
		t, err := sp.or(depth + 1)
		if err != nil {
			return nil, err
		}
		sp.skip()
		if sp.i >= len(sp.src) || sp.src[sp.i] != ')' {
			return nil, errf(sp.src, open, "Unbalanced parenthesis in the search expression at position %d.", open)
		}
		sp.i++
		return t, nil
	case ')':
		return nil, errf(sp.src, sp.i, "Unbalanced parenthesis in the search expression at position %d.", sp.i)
	case '"':
		v, err := sp.quoted()
		if err != nil {
			return nil, err
		}
		return &sterm{op: sWord, text: v, exact: true}, nil
	}
	start := sp.i
	for sp.i < len(sp.src) && !strings.ContainsRune(" \t\n()=\"", rune(sp.src[sp.i])) {
		sp.i++
	}
	text := sp.src[start:sp.i]
	if sp.i < len(sp.src) && sp.src[sp.i] == '=' {
		sp.i++
		if text == "" {
			return nil, errf(sp.src, start, "A property designator in the search expression has no name at position %d.", start)
		}
		t := &sterm{op: sWord, field: text}
		if sp.i < len(sp.src) && sp.src[sp.i] == '"' {
			v, err := sp.quoted()
			if err != nil {
				return nil, err
			}
			t.text, t.exact = v, true
		} else {
			vs := sp.i
			for sp.i < len(sp.src) && !strings.ContainsRune(" \t\n()\"", rune(sp.src[sp.i])) {
				sp.i++
			}
			t.text = sp.src[vs:sp.i]
		}
		if t.text == "" {
			return nil, errf(sp.src, start, "The property %s in the search expression has no value.", text)
		}
		return t, nil
	}
	if text == "" {
		return nil, errf(sp.src, start, "Syntax error in the search expression at position %d.", start)
	}
	return &sterm{op: sWord, text: text}, nil
}

// Match reports whether the search finds the metric.
func (q *SearchQuery) Match(m Metric) bool {
	if q.HasSchema {
		if m.Namespace != q.Namespace || len(m.Dimensions) != len(q.DimensionNames) {
			return false
		}
		have := make([]string, len(m.Dimensions))
		for i, d := range m.Dimensions {
			have[i] = d.Name
		}
		want := append([]string(nil), q.DimensionNames...)
		sort.Strings(have)
		sort.Strings(want)
		for i := range have {
			if have[i] != want[i] {
				return false
			}
		}
	}
	return q.term == nil || q.term.match(m)
}

func (t *sterm) match(m Metric) bool {
	switch t.op {
	case sAnd:
		return t.args[0].match(m) && t.args[1].match(m)
	case sOr:
		return t.args[0].match(m) || t.args[1].match(m)
	case sNot:
		return !t.args[0].match(m)
	}
	switch t.field {
	case "":
		if t.termMatch(m.Namespace) || t.termMatch(m.MetricName) {
			return true
		}
		for _, d := range m.Dimensions {
			if t.termMatch(d.Name) || t.termMatch(d.Value) {
				return true
			}
		}
		return false
	case "MetricName":
		return t.termMatch(m.MetricName)
	case "Namespace":
		return t.termMatch(m.Namespace)
	}
	for _, d := range m.Dimensions {
		if d.Name == t.field && t.termMatch(d.Value) {
			return true
		}
	}
	return false
}

// termMatch applies the token rules of spec §2.6 to one property value: an
// exact term must equal the value; a single-token term matches any token of
// the value case-insensitively; a composite term must appear in the value
// with the same case.
func (t *sterm) termMatch(value string) bool {
	if t.exact {
		return value == t.text
	}
	toks := tokenize(t.text, false)
	switch len(toks) {
	case 0:
		return false
	case 1:
		for _, v := range tokenize(value, true) {
			if v == toks[0] {
				return true
			}
		}
		return false
	}
	// The whole name is a token too: "project2trial333" finds
	// Project2-trial333.
	if w := tokenize(value, true); len(w) > 0 && strings.Join(toks, "") == w[0] && strings.ToLower(t.text) == t.text {
		return true
	}
	return strings.Contains(value, t.text)
}

// tokenize splits a name at camel-case boundaries, at the start and end of
// digit runs and at non-alphanumerics, lower-casing each token; with whole,
// the whole name (alphanumerics only, lower case) is a token too.
func tokenize(s string, whole bool) []string {
	var out []string
	rs := []rune(s)
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			switch {
			case unicode.IsDigit(r) != unicode.IsDigit(prev):
				flush()
			case unicode.IsUpper(r) && unicode.IsLower(prev):
				flush()
			case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	if whole {
		var b strings.Builder
		for _, r := range rs {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(unicode.ToLower(r))
			}
		}
		if w := b.String(); w != "" && (len(out) != 1 || out[0] != w) {
			out = append([]string{w}, out...)
		}
	}
	return out
}
