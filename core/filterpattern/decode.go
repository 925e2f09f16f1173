package filterpattern

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/jq"
)

// proj is a projection: the parts of a JSON event a pattern's selectors can
// reach. Decoding an event validates all of it but builds values only for
// the projected parts, which is all the compiled jq program reads.
type proj struct {
	keys map[string]*proj
	idx  map[int]*proj
	any  *proj // a wildcard step: every member or element
	leaf bool  // a selector ends here: build everything below
}

var leafProj = &proj{leaf: true}

func (p *proj) key(k string) *proj {
	if p.leaf {
		return leafProj
	}
	if c, ok := p.keys[k]; ok {
		return c
	}
	return p.any
}

func (p *proj) index(i int) *proj {
	if p.leaf {
		return leafProj
	}
	if c, ok := p.idx[i]; ok {
		return c
	}
	return p.any
}

// buildProj returns the projection of a set of selectors.
func buildProj(sels []*selector) *proj {
	root := &proj{}
	for _, sel := range sels {
		n := root
		for _, st := range sel.steps {
			var c *proj
			switch st.kind {
			case stepKey:
				if n.keys == nil {
					n.keys = map[string]*proj{}
				}
				if c = n.keys[st.key]; c == nil {
					c = &proj{}
					n.keys[st.key] = c
				}
			case stepIndex:
				if n.idx == nil {
					n.idx = map[int]*proj{}
				}
				if c = n.idx[st.index]; c == nil {
					c = &proj{}
					n.idx[st.index] = c
				}
			case stepAny:
				if n.any == nil {
					n.any = &proj{}
				}
				c = n.any
			}
			n = c
		}
		n.leaf = true
	}
	return root.finish()
}

// finish merges wildcard projections into the keyed and indexed ones so
// that a lookup needs one map access.
func (p *proj) finish() *proj {
	if p == nil || p.leaf {
		return p
	}
	p.any = p.any.finish()
	for k, c := range p.keys {
		p.keys[k] = merge(c.finish(), p.any)
	}
	for i, c := range p.idx {
		p.idx[i] = merge(c.finish(), p.any)
	}
	return p
}

func merge(a, b *proj) *proj {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.leaf || b.leaf:
		return leafProj
	}
	m := &proj{any: merge(a.any, b.any)}
	for _, src := range []*proj{a, b} {
		for k, c := range src.keys {
			if m.keys == nil {
				m.keys = map[string]*proj{}
			}
			m.keys[k] = merge(m.keys[k], c)
		}
		for i, c := range src.idx {
			if m.idx == nil {
				m.idx = map[int]*proj{}
			}
			m.idx[i] = merge(m.idx[i], c)
		}
	}
	return m.finish()
}

// decoder validates one JSON text and builds the projected values, as
// jq.Decode would build them (int, *big.Int or float64 numbers).
type decoder struct {
	s     string
	i     int
	depth int
	bad   bool
}

// decodeProjected decodes s under projection p; it reports false for
// anything that is not one valid JSON value nested at most MaxJSONDepth
// deep.
func decodeProjected(s string, p *proj) (any, bool) {
	d := decoder{s: s}
	d.ws()
	v := d.value(p)
	d.ws()
	if d.bad || d.i != len(s) {
		return nil, false
	}
	return v, true
}

func (d *decoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) fail() any {
	d.bad = true
	d.i = len(d.s)
	return nil
}

// value reads one value; p == nil means validate only.
func (d *decoder) value(p *proj) any {
	if d.i >= len(d.s) {
		return d.fail()
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object(p)
	case c == '[':
		return d.array(p)
	case c == '"':
		s, ok := d.str(p != nil)
		if !ok {
			return d.fail()
		}
		if p == nil {
			return nil
		}
		return s
	case c == 't':
		return d.lit("true", true)
	case c == 'f':
		return d.lit("false", false)
	case c == 'n':
		return d.lit("null", nil)
	case c == '-' || c >= '0' && c <= '9':
		return d.number(p != nil)
	}
	return d.fail()
}

func (d *decoder) lit(word string, v any) any {
	if len(d.s)-d.i < len(word) || d.s[d.i:d.i+len(word)] != word {
		return d.fail()
	}
	d.i += len(word)
	return v
}

func (d *decoder) number(build bool) any {
	start := d.i
	if d.s[d.i] == '-' {
		d.i++
	}
	digits := func() int {
		n := 0
		for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.i < len(d.s) && d.s[d.i] == '0' {
		d.i++
	} else if digits() == 0 {
		return d.fail()
	}
	if d.i < len(d.s) && d.s[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return d.fail()
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		d.i++
		if d.i < len(d.s) && (d.s[d.i] == '+' || d.s[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return d.fail()
		}
	}
	if !build {
		return nil
	}
	return jq.Normalize(json.Number(d.s[start:d.i]))
}

// str reads a string at d.s[d.i] ('"'); build asks for its value.
func (d *decoder) str(build bool) (string, bool) {
	start := d.i
	d.i++
	plain := true
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			if !build {
				return "", true
			}
			raw := d.s[start+1 : d.i-1]
			if plain && utf8.ValidString(raw) {
				return raw, true
			}
			var s string
			if err := json.Unmarshal([]byte(d.s[start:d.i]), &s); err != nil {
				return "", false
			}
			return s, true
		case c == '\\':
			plain = false
			if d.i+1 >= len(d.s) {
				return "", false
			}
			switch d.s[d.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				d.i += 2
			case 'u':
				if d.i+6 > len(d.s) {
					return "", false
				}
				for k := d.i + 2; k < d.i+6; k++ {
					if !isHex(d.s, k) {
						return "", false
					}
				}
				d.i += 6
			default:
				return "", false
			}
		case c < 0x20:
			return "", false
		default:
			d.i++
		}
	}
	return "", false
}

func (d *decoder) object(p *proj) any {
	d.depth++
	if d.depth > MaxJSONDepth {
		return d.fail()
	}
	d.i++ // {
	var m map[string]any
	if p != nil {
		m = make(map[string]any, len(p.keys))
	}
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		d.depth--
		return m
	}
	for {
		d.ws()
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return d.fail()
		}
		k, ok := d.str(p != nil)
		if !ok {
			return d.fail()
		}
		d.ws()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			return d.fail()
		}
		d.i++
		d.ws()
		var child *proj
		if p != nil {
			child = p.key(k)
		}
		v := d.value(child)
		if d.bad {
			return nil
		}
		if child != nil {
			m[k] = v
		}
		d.ws()
		if d.i >= len(d.s) {
			return d.fail()
		}
		switch d.s[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			d.depth--
			return m
		default:
			return d.fail()
		}
	}
}

func (d *decoder) array(p *proj) any {
	d.depth++
	if d.depth > MaxJSONDepth {
		return d.fail()
	}
	d.i++ // [
	var a []any
	if p != nil {
		a = []any{}
	}
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		d.depth--
		return a
	}
	for n := 0; ; n++ {
		d.ws()
		var child *proj
		if p != nil {
			child = p.index(n)
		}
		v := d.value(child)
		if d.bad {
			return nil
		}
		if p != nil {
			a = append(a, v) // nil stands in for an element no selector reads
		}
		d.ws()
		if d.i >= len(d.s) {
			return d.fail()
		}
		switch d.s[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			d.depth--
			return a
		default:
			return d.fail()
		}
	}
}
