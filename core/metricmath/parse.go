package metricmath

import (
	"math"
	"strconv"
	"strings"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tStr
	tIdent // starts with a lower-case letter: a metric or expression id
	tWord  // starts with an upper-case letter: a function name or keyword
	tOp    // operator or punctuation
)

type token struct {
	kind tokKind
	pos  int
	text string  // identifier, word, operator, or the string's content
	num  float64 // tNum
}

// lex splits src into tokens.
func lex(src string) ([]token, *Error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c >= '0' && c <= '9' || c == '.':
			start := i
			for i < len(src) && (src[i] >= '0' && src[i] <= '9' || src[i] == '.') {
				i++
			}
			if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
				j := i + 1
				if j < len(src) && (src[j] == '+' || src[j] == '-') {
					j++
				}
				if j < len(src) && src[j] >= '0' && src[j] <= '9' {
					for j < len(src) && src[j] >= '0' && src[j] <= '9' {
						j++
					}
					i = j
				}
			}
			text := src[start:i]
			v, err := strconv.ParseFloat(text, 64)
			if err != nil || math.IsInf(v, 0) {
				if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange || math.IsInf(v, 0) {
					return nil, errf(src, start, "The number %s is out of range.", text)
				}
				return nil, errf(src, start, "Invalid number %q.", text)
			}
			if i < len(src) && isIdentChar(src[i]) {
				return nil, errf(src, i, "Unexpected character %q after the number %s.", src[i], text)
			}
			toks = append(toks, token{kind: tNum, pos: start, text: text, num: v})
		case c == '"' || c == '\'':
			start := i
			i++
			var b strings.Builder
			closed := false
			for i < len(src) {
				d := src[i]
				if d == '\\' && i+1 < len(src) {
					if src[i+1] == c {
						b.WriteByte(c)
					} else {
						b.WriteByte('\\')
						b.WriteByte(src[i+1])
					}
					i += 2
					continue
				}
				if d == c {
					closed = true
					i++
					break
				}
				b.WriteByte(d)
				i++
			}
			if !closed {
				return nil, errf(src, start, "Unterminated string starting at position %d.", start)
			}
			toks = append(toks, token{kind: tStr, pos: start, text: b.String()})
		case c >= 'a' && c <= 'z':
			start := i
			for i < len(src) && isIdentChar(src[i]) {
				i++
			}
			toks = append(toks, token{kind: tIdent, pos: start, text: src[start:i]})
		case c >= 'A' && c <= 'Z' || c == '_':
			start := i
			for i < len(src) && isIdentChar(src[i]) {
				i++
			}
			toks = append(toks, token{kind: tWord, pos: start, text: src[start:i]})
		default:
			start := i
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=", "&&", "||":
				toks = append(toks, token{kind: tOp, pos: start, text: two})
				i += 2
				continue
			}
			switch c {
			case '+', '-', '*', '/', '^', '<', '>', '(', ')', '[', ']', ',':
				toks = append(toks, token{kind: tOp, pos: start, text: string(c)})
				i++
			default:
				r := []rune(src[i:])[0]
				return nil, errf(src, start, "Unexpected character %q at position %d.", r, start)
			}
		}
	}
	toks = append(toks, token{kind: tEOF, pos: len(src)})
	return toks, nil
}

func isIdentChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// nodeOp is the kind of a syntax-tree node.
type nodeOp uint8

const (
	nNum nodeOp = iota
	nStr
	nIdent
	nKeyword
	nCall
	nArray
	nUnary
	nBinary
)

// node is a node of the checked syntax tree.
type node struct {
	op   nodeOp
	pos  int
	num  float64
	text string // identifier, keyword, function name, operator, string content
	args []*node
	kind Kind // set by the checker
	// search is the parsed query of a SEARCH call.
	search *SearchQuery
}

// parser is a recursive-descent parser over the tokens.
type parser struct {
	src      string
	toks     []token
	i        int
	depth    int
	nodes    int
	maxDepth int
	maxNodes int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == s
}

func (p *parser) newNode(n *node) (*node, *Error) {
	p.nodes++
	if p.nodes > p.maxNodes {
		return nil, errf(p.src, n.pos, "The expression is too complex: it has more than %d elements.", p.maxNodes)
	}
	return n, nil
}

func (p *parser) unexpected(t token) *Error {
	if t.kind == tEOF {
		return errf(p.src, t.pos, "Syntax error: the expression ended unexpectedly.")
	}
	text := t.text
	if t.kind == tStr {
		text = p.src[t.pos:min(len(p.src), t.pos+len(t.text)+2)]
	}
	return errf(p.src, t.pos, "Syntax error: unexpected %q at position %d.", text, t.pos)
}

// parse parses a whole expression.
func (p *parser) parse() (*node, *Error) {
	if strings.TrimSpace(p.src) == "" {
		return nil, errf(p.src, 0, "The expression is empty.")
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t)
	}
	return n, nil
}

func (p *parser) enter(pos int) *Error {
	p.depth++
	if p.depth > p.maxDepth {
		return errf(p.src, pos, "The expression is nested too deeply: at most %d levels are allowed.", p.maxDepth)
	}
	return nil
}

func (p *parser) binary(next func() (*node, *Error), ops ...string) (*node, *Error) {
	left, err := next()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		match := ""
		for _, op := range ops {
			if (t.kind == tOp || t.kind == tWord) && t.text == op {
				match = op
			}
		}
		if match == "" {
			return left, nil
		}
		p.next()
		right, err := next()
		if err != nil {
			return nil, err
		}
		switch match {
		case "AND":
			match = "&&"
		case "OR":
			match = "||"
		}
		if left, err = p.newNode(&node{op: nBinary, pos: t.pos, text: match, args: []*node{left, right}}); err != nil {
			return nil, err
		}
	}
}

func (p *parser) or() (*node, *Error)  { return p.binary(p.and, "OR", "||") }
func (p *parser) and() (*node, *Error) { return p.binary(p.cmp, "AND", "&&") }
func (p *parser) cmp() (*node, *Error) {
	return p.binary(p.add, "==", "!=", "<=", ">=", "<", ">")
}
func (p *parser) add() (*node, *Error) { return p.binary(p.mul, "+", "-") }
func (p *parser) mul() (*node, *Error) { return p.binary(p.unary, "*", "/") }

func (p *parser) unary() (*node, *Error) {
	t := p.peek()
	if t.kind == tOp && (t.text == "-" || t.text == "+") {
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		x, err := p.unary()
		p.depth--
		if err != nil {
			return nil, err
		}
		if t.text == "+" {
			return x, nil
		}
		if x.op == nNum {
			x.num = -x.num
			x.pos = t.pos
			return x, nil
		}
		return p.newNode(&node{op: nUnary, pos: t.pos, text: "-", args: []*node{x}})
	}
	return p.pow()
}

func (p *parser) pow() (*node, *Error) {
	base, err := p.primary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tOp && t.text == "^" {
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		exp, err := p.unary() // right-associative: 2^3^2 = 2^(3^2)
		p.depth--
		if err != nil {
			return nil, err
		}
		return p.newNode(&node{op: nBinary, pos: t.pos, text: "^", args: []*node{base, exp}})
	}
	return base, nil
}

func (p *parser) primary() (*node, *Error) {
	t := p.next()
	switch t.kind {
	case tNum:
		return p.newNode(&node{op: nNum, pos: t.pos, num: t.num})
	case tStr:
		return p.newNode(&node{op: nStr, pos: t.pos, text: t.text})
	case tIdent:
		if p.isOp("(") {
			if _, ok := catalogue[strings.ToUpper(t.text)]; ok {
				return nil, errf(p.src, t.pos, "Unknown function %q: function names must be upper case (%s).", t.text, strings.ToUpper(t.text))
			}
			return nil, errf(p.src, t.pos, "Unknown function %q.", t.text)
		}
		return p.newNode(&node{op: nIdent, pos: t.pos, text: t.text})
	case tWord:
		if p.isOp("(") {
			open := p.next()
			if err := p.enter(open.pos); err != nil {
				return nil, err
			}
			args, err := p.list(")")
			p.depth--
			if err != nil {
				return nil, err
			}
			return p.newNode(&node{op: nCall, pos: t.pos, text: t.text, args: args})
		}
		if t.text == "AND" || t.text == "OR" {
			return nil, p.unexpected(t)
		}
		return p.newNode(&node{op: nKeyword, pos: t.pos, text: t.text})
	case tOp:
		switch t.text {
		case "(":
			if err := p.enter(t.pos); err != nil {
				return nil, err
			}
			x, err := p.or()
			p.depth--
			if err != nil {
				return nil, err
			}
			if c := p.next(); c.kind != tOp || c.text != ")" {
				return nil, p.unexpected(c)
			}
			return x, nil
		case "[":
			if err := p.enter(t.pos); err != nil {
				return nil, err
			}
			elems, err := p.list("]")
			p.depth--
			if err != nil {
				return nil, err
			}
			return p.newNode(&node{op: nArray, pos: t.pos, args: elems})
		}
	}
	return nil, p.unexpected(t)
}

// list parses comma-separated expressions up to the closing token.
func (p *parser) list(closer string) ([]*node, *Error) {
	var out []*node
	if p.isOp(closer) {
		p.next()
		return out, nil
	}
	for {
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		out = append(out, x)
		t := p.next()
		if t.kind == tOp && t.text == closer {
			return out, nil
		}
		if t.kind != tOp || t.text != "," {
			return nil, p.unexpected(t)
		}
	}
}
