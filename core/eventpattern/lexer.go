package eventpattern

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The pattern tokenizer follows Jackson's streaming parser, which EventBridge
// uses, closely enough that errors carry Jackson's messages and locations:
// after a field name the start of the following value has already been read
// (all of a number or literal, only the opening quote of a string), and a
// string's text is read to its closing quote only when asked for.

type tokKind uint8

const (
	tEOF tokKind = iota
	tStartObject
	tEndObject
	tStartArray
	tEndArray
	tField
	tString
	tInt
	tFloat
	tTrue
	tFalse
	tNull
)

type frame struct {
	object bool
	count  int // entries seen so far
	start  int // offset of the opening bracket
}

type lexer struct {
	src   string
	pos   int
	line  int // 1-based line of pos
	row   int // offset where the line starts
	stack []frame

	tok        tokKind
	text       string // field name, string text (once complete), number text
	incomplete bool   // tString whose body has not been read yet
	pending    tokKind
	pendingTxt string
	hasPending bool
	pendingInc bool
}

// fail is a pattern error raised while tokenizing or compiling; it unwinds
// the parser through panic and is turned into an *Error by Parse.
type fail struct{ err *Error }

func (l *lexer) errAt(reason string) *Error {
	return &Error{Reason: reason, Source: l.src, Line: l.line, Column: l.column(), located: true}
}

func (l *lexer) barf(reason string) {
	panic(fail{l.errAt(reason)})
}

// column is Jackson's 1-based column of pos, counted in UTF-16 units.
func (l *lexer) column() int {
	n := 0
	for _, r := range l.src[l.row:min(l.pos, len(l.src))] {
		n += utf16.RuneLen(r)
		if r == utf8.RuneError {
			n += 0
		}
	}
	return n + 1
}

func (l *lexer) skipWS() bool {
	for l.pos < len(l.src) {
		switch c := l.src[l.pos]; c {
		case ' ', '\t':
			l.pos++
		case '\n':
			l.pos++
			l.line++
			l.row = l.pos
		case '\r':
			l.pos++
			if l.pos < len(l.src) && l.src[l.pos] == '\n' {
				l.pos++
			}
			l.line++
			l.row = l.pos
		default:
			return true
		}
	}
	return false
}

func charDesc(r rune) string {
	if r < 0x20 {
		return fmt.Sprintf("(CTRL-CHAR, code %d)", r)
	}
	return fmt.Sprintf("'%c' (code %d)", r, r)
}

func (l *lexer) peekRune() rune {
	r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	return r
}

// unexpected reports the character at pos; Jackson locates it at the
// character itself.
func (l *lexer) unexpected(msg string) {
	r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	l.barf(fmt.Sprintf("Unexpected character (%s): %s", charDesc(r), msg))
}

func (l *lexer) eofInside() {
	f := l.stack[len(l.stack)-1]
	kind := "Array"
	if f.object {
		kind = "Object"
	}
	sub := &lexer{src: l.src, pos: f.start + 1}
	sub.recount()
	l.barf(fmt.Sprintf("Unexpected end-of-input: expected close marker for %s (start marker at %s)", kind, sub.errAt("").location()))
}

// recount sets line and row for pos by scanning from the start.
func (l *lexer) recount() {
	l.line, l.row = 1, 0
	for i := 0; i < l.pos && i < len(l.src); i++ {
		if l.src[i] == '\n' || (l.src[i] == '\r' && (i+1 >= len(l.src) || l.src[i+1] != '\n')) {
			l.line++
			l.row = i + 1
		}
	}
}

// next advances to the next token.
func (l *lexer) next() tokKind {
	if l.incomplete {
		l.finishString()
	}
	if l.tok == tField && l.hasPending {
		l.tok, l.text, l.incomplete, l.hasPending = l.pending, l.pendingTxt, l.pendingInc, false
		l.openIfStart()
		return l.tok
	}
	if !l.skipWS() {
		if len(l.stack) > 0 {
			l.eofInside()
		}
		l.tok = tEOF
		return l.tok
	}
	c := l.src[l.pos]
	if len(l.stack) > 0 {
		f := &l.stack[len(l.stack)-1]
		if (c == ']' && !f.object) || (c == '}' && f.object) {
			l.pos++
			l.stack = l.stack[:len(l.stack)-1]
			if c == ']' {
				l.tok = tEndArray
			} else {
				l.tok = tEndObject
			}
			return l.tok
		}
		if c == ']' || c == '}' {
			l.pos++
			kind, other := "Array", "}"
			if f.object {
				kind, other = "Object", "]"
			}
			_ = other
			sub := &lexer{src: l.src, pos: f.start + 1}
			sub.recount()
			exp := "]"
			if f.object {
				exp = "}"
			}
			l.barf(fmt.Sprintf("Unexpected close marker '%c': expected '%s' (for %s starting at %s)", c, exp, kind, sub.errAt("").location()))
		}
		if f.count > 0 {
			if c != ',' {
				kind := "Array"
				if f.object {
					kind = "Object"
				}
				l.unexpected("was expecting comma to separate " + kind + " entries")
			}
			l.pos++
			if !l.skipWS() {
				l.eofInside()
			}
		}
		f.count++
		if f.object {
			if l.src[l.pos] != '"' {
				l.unexpected("was expecting double-quote to start field name")
			}
			l.pos++
			name := l.readString()
			if !l.skipWS() {
				l.eofInside()
			}
			if l.src[l.pos] != ':' {
				l.unexpected("was expecting a colon to separate field name and value")
			}
			l.pos++
			if !l.skipWS() {
				l.eofInside()
			}
			kind, txt, inc := l.valueStart()
			l.pending, l.pendingTxt, l.pendingInc, l.hasPending = kind, txt, inc, true
			l.tok, l.text, l.incomplete = tField, name, false
			return l.tok
		}
	}
	l.tok, l.text, l.incomplete = l.valueStart()
	l.openIfStart()
	return l.tok
}

func (l *lexer) openIfStart() {
	switch l.tok {
	case tStartObject:
		l.stack = append(l.stack, frame{object: true, start: l.pos - 1})
	case tStartArray:
		l.stack = append(l.stack, frame{start: l.pos - 1})
	}
}

const expectValue = "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"

// valueStart reads the start of a value at pos.
func (l *lexer) valueStart() (tokKind, string, bool) {
	c := l.src[l.pos]
	switch {
	case c == '"':
		l.pos++
		return tString, "", true
	case c == '{':
		l.pos++
		return tStartObject, "", false
	case c == '[':
		l.pos++
		return tStartArray, "", false
	case c == 't':
		l.literal("true")
		return tTrue, "true", false
	case c == 'f':
		l.literal("false")
		return tFalse, "false", false
	case c == 'n':
		l.literal("null")
		return tNull, "null", false
	case c == '-' || (c >= '0' && c <= '9'):
		return l.number()
	case c == ']' || c == '}' || c == ',':
		l.unexpected("expected a value")
	case c == '\'':
		l.unexpected("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
	}
	l.invalidToken(l.pos)
	return tEOF, "", false
}

func isIdentPart(r rune) bool {
	return r == '_' || r == '$' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 0x7f && r != utf8.RuneError
}

// invalidToken reports the identifier-like run starting at start.
func (l *lexer) invalidToken(start int) {
	l.pos = start
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if !isIdentPart(r) {
			if l.pos == start {
				l.pos += size
			}
			break
		}
		l.pos += size
		if l.pos-start >= 256 {
			break
		}
	}
	l.barf(fmt.Sprintf("Unrecognized token '%s': %s", l.src[start:l.pos], expectValue))
}

func (l *lexer) literal(word string) {
	start := l.pos
	if strings.HasPrefix(l.src[l.pos:], word) {
		l.pos += len(word)
		if l.pos >= len(l.src) {
			return
		}
		r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
		if !isIdentPart(r) {
			return
		}
	}
	l.invalidToken(start)
}

func (l *lexer) number() (tokKind, string, bool) {
	start := l.pos
	float := false
	if l.src[l.pos] == '-' {
		l.pos++
		if l.pos >= len(l.src) || l.src[l.pos] < '0' || l.src[l.pos] > '9' {
			if l.pos >= len(l.src) {
				l.barf("Unexpected end-of-input in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value")
			}
			l.unexpected("in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value")
		}
	}
	if l.src[l.pos] == '0' && l.pos+1 < len(l.src) && l.src[l.pos+1] >= '0' && l.src[l.pos+1] <= '9' {
		l.pos++
		l.barf("Invalid numeric value: Leading zeroes not allowed")
	}
	for l.pos < len(l.src) && l.src[l.pos] >= '0' && l.src[l.pos] <= '9' {
		l.pos++
	}
	if l.pos < len(l.src) && l.src[l.pos] == '.' {
		float = true
		l.pos++
		d := l.pos
		for l.pos < len(l.src) && l.src[l.pos] >= '0' && l.src[l.pos] <= '9' {
			l.pos++
		}
		if d == l.pos {
			if l.pos >= len(l.src) {
				l.barf("Unexpected end-of-input in numeric value: Decimal point not followed by a digit")
			}
			l.unexpected("in numeric value: Decimal point not followed by a digit")
		}
	}
	if l.pos < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') {
		float = true
		l.pos++
		if l.pos < len(l.src) && (l.src[l.pos] == '+' || l.src[l.pos] == '-') {
			l.pos++
		}
		d := l.pos
		for l.pos < len(l.src) && l.src[l.pos] >= '0' && l.src[l.pos] <= '9' {
			l.pos++
		}
		if d == l.pos {
			if l.pos >= len(l.src) {
				l.barf("Unexpected end-of-input in numeric value: Exponent indicator not followed by a digit")
			}
			l.unexpected("in numeric value: Exponent indicator not followed by a digit")
		}
	}
	if float {
		return tFloat, l.src[start:l.pos], false
	}
	return tInt, l.src[start:l.pos], false
}

// finishString reads the rest of an incomplete string token.
func (l *lexer) finishString() {
	l.text = l.readString()
	l.incomplete = false
}

// getText returns the text of the current token, completing a string.
func (l *lexer) getText() string {
	if l.incomplete {
		l.finishString()
	}
	switch l.tok {
	case tStartObject:
		return "{"
	case tEndObject:
		return "}"
	case tStartArray:
		return "["
	case tEndArray:
		return "]"
	case tEOF:
		return ""
	}
	return l.text
}

// readString reads a string body after its opening quote.
func (l *lexer) readString() string {
	var b strings.Builder
	for {
		if l.pos >= len(l.src) {
			l.barf("Unexpected end-of-input: was expecting closing quote for a string value")
		}
		c := l.src[l.pos]
		switch {
		case c == '"':
			l.pos++
			return b.String()
		case c == '\\':
			l.pos++
			if l.pos >= len(l.src) {
				l.barf("Unexpected end-of-input in character escape sequence")
			}
			e := l.src[l.pos]
			l.pos++
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r := l.hex4()
				if utf16.IsSurrogate(r) && strings.HasPrefix(l.src[l.pos:], `\u`) {
					save := l.pos
					l.pos += 2
					r2 := l.hex4()
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
					} else {
						l.pos = save
					}
				}
				b.WriteRune(r)
			default:
				l.pos--
				r, size := utf8.DecodeRuneInString(l.src[l.pos:])
				l.pos += size
				l.barf(fmt.Sprintf("Unrecognized character escape %s", charDesc(r)))
			}
		case c < 0x20:
			l.pos++
			l.barf(fmt.Sprintf("Illegal unquoted character (%s): has to be escaped using backslash to be included in string value", charDesc(rune(c))))
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
}

func (l *lexer) hex4() rune {
	var r rune
	for i := 0; i < 4; i++ {
		if l.pos >= len(l.src) {
			l.barf("Unexpected end-of-input in character escape sequence")
		}
		c := l.src[l.pos]
		l.pos++
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			l.barf(fmt.Sprintf("Unexpected character (%s): expected a hex-digit for character escape sequence", charDesc(rune(c))))
		}
		r = r<<4 | rune(d)
	}
	return r
}

// floatValue is Jackson's getDoubleValue of the current number token.
func (l *lexer) floatValue() float64 {
	f, _ := strconv.ParseFloat(l.text, 64)
	return f
}

func (l *lexer) isNumber() bool { return l.tok == tInt || l.tok == tFloat }
