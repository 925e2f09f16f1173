package filterpattern

import (
	"strconv"
	"strings"

	"github.com/telltale-dev/telltale/core/jq"
)

// msgRef is the message for a metric value or dimension that the pattern
// cannot supply (undocumented; AWS-style).
const msgRef = "Invalid metric transformation: the metric value or dimension refers to a field the filter pattern does not extract"

// RefKind is what a metric value or dimension reference refers to.
type RefKind int

// The kinds of reference.
const (
	// RefLiteral is a literal value such as "1".
	RefLiteral RefKind = iota
	// RefJSON is a $.path selector of a JSON pattern.
	RefJSON
	// RefName is a $name field of a space-delimited pattern.
	RefName
	// RefPosition is a $N field (1-based) of a space-delimited pattern.
	RefPosition
)

// Ref is a compiled metric value or dimension reference of a pattern
// (metricTransformations' metricValue and dimensions values). It is
// immutable and safe for concurrent use.
type Ref struct {
	text string
	kind RefKind
	sel  *selector
	name string
	pos  int
}

// String returns the reference as written.
func (r *Ref) String() string { return r.text }

// Kind returns what the reference refers to.
func (r *Ref) Kind() RefKind { return r.kind }

// Ref compiles a metric value or dimension reference for matches of p:
// "$.path" for a JSON pattern, "$name" or "$N" for a space-delimited
// pattern, anything else a literal. A selector reference on a pattern of
// another kind, or a "$name" that the space-delimited pattern does not
// name, is an *Error.
func (p *Pattern) Ref(text string) (*Ref, error) {
	r := &Ref{text: text}
	if !strings.HasPrefix(text, "$") {
		return r, nil
	}
	switch {
	case strings.HasPrefix(text, "$.") || strings.HasPrefix(text, "$["):
		if p.kind != KindJSON {
			return nil, errorf(0, msgRef, "%s selects a JSON property but the pattern is not a JSON pattern", text)
		}
		jp := &jsonParser{src: text, jp: &jsonPattern{}}
		sel, err := jp.selector()
		if err != nil {
			return nil, err
		}
		if jp.pos != len(text) {
			return nil, jp.unexpected("the end of the selector")
		}
		if err := (&jsonPattern{selectors: []*selector{sel}, root: &jsonNode{op: "notexists", sel: sel}}).compile(); err != nil {
			return nil, errorf(0, msgRef, "%v", err)
		}
		r.kind, r.sel = RefJSON, sel
	default:
		if p.kind != KindSpace {
			return nil, errorf(0, msgRef, "%s names a field but the pattern is not space-delimited", text)
		}
		rest := text[1:]
		for _, sl := range p.space.slots {
			if sl.name == rest { // a field named "2" wins over position 2
				r.kind, r.name = RefName, rest
				return r, nil
			}
		}
		if n, err := strconv.Atoi(rest); err == nil && n >= 1 && rest[0] != '+' {
			r.kind, r.pos = RefPosition, n
			return r, nil
		}
		return nil, errorf(0, msgRef, "the pattern has no field named %q", rest)
	}
	return r, nil
}

// Value returns the text of the reference in the match: the literal itself,
// the JSON value selected (strings as is, numbers and booleans as JSON
// text), or the field's text. It reports false when the match does not
// supply the value.
func (m Match) Value(r *Ref) (string, bool) {
	switch r.kind {
	case RefLiteral:
		return r.text, true
	case RefJSON:
		if m.doc == nil {
			return "", false
		}
		// The match holds only what the pattern's selectors reach.
		doc, err := jq.Decode([]byte(m.message))
		if err != nil {
			return "", false
		}
		v, ok := r.sel.first(doc)
		if !ok {
			return "", false
		}
		return scalarText(v)
	case RefPosition:
		if r.pos <= len(m.fields) {
			return m.fields[r.pos-1].value, true
		}
	case RefName:
		if m.p == nil || m.p.space == nil {
			return "", false
		}
		for i, s := range m.slots {
			if s >= 0 && m.p.space.slots[s].name == r.name {
				return m.fields[i].value, true
			}
		}
	}
	return "", false
}

// Number returns the reference's value as a number, as a metric value
// needs it; it reports false when the value is missing or not numeric.
func (m Match) Number(r *Ref) (float64, bool) {
	s, ok := m.Value(r)
	if !ok || !numberRE.MatchString(strings.TrimSpace(s)) {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// Resolve compiles text as a reference of the match's pattern and returns
// its value (see Pattern.Ref and Match.Value).
func (m Match) Resolve(text string) (string, bool) {
	if m.p == nil {
		return "", false
	}
	r, err := m.p.Ref(text)
	if err != nil {
		return "", false
	}
	return m.Value(r)
}
