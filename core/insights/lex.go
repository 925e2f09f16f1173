package insights

import (
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tIdent          // a field or keyword; quoted with backticks when q is set
	tString         // "..." or '...'; val holds the unescaped text
	tNumber         // 12, 1.5, 1e3; unit holds a period suffix (5m)
	tRegex          // /.../ (only scanned where an operand is expected)
	tPunct          // operators and punctuation
	tBad            // a character the language does not use
)

type token struct {
	kind tokKind
	pos  int    // byte offset of the first character
	end  int    // byte offset after the last character
	text string // source text
	val  string // identifier name, string or regex body
	unit string // period unit of a number
	q    bool   // identifier was written in backticks
}

// lexer scans a query on demand: the parser decides where a '/' starts a
// regex (operand position) and where it divides.
type lexer struct {
	src string
	pos int
	err *Error
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '@' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || (c >= '0' && c <= '9')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skip passes white space and comments ('#' to the end of the line).
func (l *lexer) skip() {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		default:
			return
		}
	}
}

func (l *lexer) fail(pos, end int, format string, args ...any) token {
	if l.err == nil {
		l.err = errAt(l.src, pos, end, format, args...)
	}
	return token{kind: tBad, pos: pos, end: end, text: l.src[pos:min(end, len(l.src))]}
}

// next scans one token; regex scans a /regex/ when the next character is '/'.
func (l *lexer) next(regex bool) token {
	l.skip()
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tEOF, pos: start, end: start}
	}
	c := l.src[start]
	switch {
	case c == '/' && regex:
		return l.regex()
	case c == '"' || c == '\'':
		return l.str(c)
	case c == '`':
		name, ok := l.backtick()
		if !ok {
			return l.fail(start, l.pos, "unterminated quoted field name")
		}
		t := token{kind: tIdent, pos: start, val: name, q: true}
		l.identTail(&t)
		t.end = l.pos
		t.text = l.src[start:l.pos]
		return t
	case isIdentStart(c):
		for l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
			l.pos++
		}
		t := token{kind: tIdent, pos: start, val: l.src[start:l.pos]}
		l.identTail(&t)
		t.end = l.pos
		t.text = l.src[start:l.pos]
		return t
	case isDigit(c) || (c == '.' && start+1 < len(l.src) && isDigit(l.src[start+1])):
		return l.number()
	}
	two := ""
	if start+1 < len(l.src) {
		two = l.src[start : start+2]
	}
	switch two {
	case "!=", "<=", ">=", "=~", "==", "<>":
		l.pos += 2
		return token{kind: tPunct, pos: start, end: l.pos, text: two, val: two}
	}
	switch c {
	case '|', ',', '(', ')', '[', ']', '=', '<', '>', '+', '-', '*', '/', '^', '%', ':', '.', '!', '{', '}':
		l.pos++
		s := l.src[start:l.pos]
		return token{kind: tPunct, pos: start, end: l.pos, text: s, val: s}
	}
	_, size := utf8.DecodeRuneInString(l.src[start:])
	l.pos += size
	return l.fail(start, l.pos, "unexpected symbol found %s", l.src[start:l.pos])
}

// identTail continues a field name over dotted segments: a.b, a.0.c,
// a.`odd.key`.
func (l *lexer) identTail(t *token) {
	for l.pos+1 < len(l.src) && l.src[l.pos] == '.' {
		c := l.src[l.pos+1]
		switch {
		case isIdentChar(c):
			l.pos++
			s := l.pos
			for l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
				l.pos++
			}
			t.val += "." + l.src[s:l.pos]
		case c == '`':
			save := l.pos
			l.pos++
			name, ok := l.backtick()
			if !ok {
				l.pos = save
				return
			}
			t.val += "." + name
		default:
			return
		}
	}
}

func (l *lexer) backtick() (string, bool) {
	l.pos++ // opening `
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '`' {
			if l.pos+1 < len(l.src) && l.src[l.pos+1] == '`' {
				b.WriteByte('`')
				l.pos += 2
				continue
			}
			l.pos++
			return b.String(), true
		}
		b.WriteByte(c)
		l.pos++
	}
	return "", false
}

func (l *lexer) str(q byte) token {
	start := l.pos
	l.pos++
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == q:
			l.pos++
			return token{kind: tString, pos: start, end: l.pos, text: l.src[start:l.pos], val: b.String()}
		case c == '\\' && l.pos+1 < len(l.src):
			n := l.src[l.pos+1]
			switch n {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '"', '\'':
				b.WriteByte(n)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			l.pos += 2
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
	return l.fail(start, l.pos, "unterminated string literal")
}

func (l *lexer) regex() token {
	start := l.pos
	l.pos++
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '/':
			l.pos++
			return token{kind: tRegex, pos: start, end: l.pos, text: l.src[start:l.pos], val: b.String()}
		case c == '\\' && l.pos+1 < len(l.src):
			if l.src[l.pos+1] == '/' {
				b.WriteByte('/')
			} else {
				b.WriteString(l.src[l.pos : l.pos+2])
			}
			l.pos += 2
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
	return l.fail(start, l.pos, "unterminated regular expression")
}

func (l *lexer) number() token {
	start := l.pos
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
	}
	if l.pos < len(l.src) && l.src[l.pos] == '.' && l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]) {
		l.pos++
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
		}
	}
	if l.pos+1 < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') {
		p := l.pos + 1
		if p < len(l.src) && (l.src[p] == '+' || l.src[p] == '-') {
			p++
		}
		if p < len(l.src) && isDigit(l.src[p]) {
			for p < len(l.src) && isDigit(l.src[p]) {
				p++
			}
			l.pos = p
		}
	}
	num := l.src[start:l.pos]
	us := l.pos
	for l.pos < len(l.src) && ((l.src[l.pos] >= 'a' && l.src[l.pos] <= 'z') || (l.src[l.pos] >= 'A' && l.src[l.pos] <= 'Z')) {
		l.pos++
	}
	t := token{kind: tNumber, pos: start, end: l.pos, text: l.src[start:l.pos], val: num, unit: l.src[us:l.pos]}
	if l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
		for l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
			l.pos++
		}
		return l.fail(start, l.pos, "unexpected symbol found %s", l.src[start:l.pos])
	}
	return t
}
