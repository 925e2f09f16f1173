package cli

import (
	"fmt"
	"strings"
)

// This file ports awscli/shorthand.py: the shorthand syntax of parameter
// values (Key=a,Values=b,c; nested {...} and [...]; quoting; @= file
// references), with the CLI's own error messages.

// shorthandError is a ShorthandParseError.
type shorthandError struct{ msg string }

func (e *shorthandError) Error() string { return e.msg }

// errorLocation marks the index of the fault with a caret under it, as
// ShorthandParseError._error_location does.
func errorLocation(value []rune, index int) string {
	if index < 0 {
		index = 0
	}
	if index > len(value) {
		index = len(value)
	}
	consumed, remaining, numSpaces := string(value), "", index
	before := string(value[:index])
	if i := strings.LastIndex(before, "\n"); i >= 0 {
		lastNewline := len([]rune(before[:i]))
		numSpaces = index - lastNewline - 1
	}
	after := string(value[index:])
	if i := strings.Index(after, "\n"); i >= 0 {
		next := index + len([]rune(after[:i]))
		consumed = string(value[:next])
		remaining = string(value[next:])
	}
	return consumed + "\n" + strings.Repeat(" ", numSpaces) + "^" + remaining
}

func syntaxError(value []rune, expected, actual string, index int) *shorthandError {
	return &shorthandError{fmt.Sprintf("Expected: '%s', received: '%s' for input:\n%s", expected, actual, errorLocation(value, index))}
}

// shorthandParser is ShorthandParser. resolve loads a file:// or fileb://
// value after @=; it may be nil.
type shorthandParser struct {
	in      []rune
	i       int
	resolve func(string) (string, bool, error)
	paramf  bool
}

// parseShorthand parses a shorthand value into a *pyDict whose values are
// strings, lists and dicts.
func parseShorthand(value string, resolve func(string) (string, bool, error)) (d *pyDict, err error) {
	p := &shorthandParser{in: []rune(value), resolve: resolve}
	defer func() {
		if r := recover(); r != nil {
			switch e := r.(type) {
			case *shorthandError:
				d, err = nil, e
			case *paramFileErr:
				d, err = nil, e
			default:
				panic(r)
			}
		}
	}()
	return p.parameter(), nil
}

func (p *shorthandParser) fail(err error) { panic(err) }

func (p *shorthandParser) atEOF() bool { return p.i >= len(p.in) }

// current returns the rune at the index, or -1 at the end.
func (p *shorthandParser) current() rune {
	if p.i >= 0 && p.i < len(p.in) {
		return p.in[p.i]
	}
	return -1
}

func (p *shorthandParser) consumeWhitespace() {
	for p.current() != -1 && pyIsSpace(p.current()) {
		p.i++
	}
}

// expect consumes char or fails with a syntax error.
func (p *shorthandParser) expect(char rune, ws bool) {
	if err := p.tryExpect(char, ws); err != nil {
		p.fail(err)
	}
}

func (p *shorthandParser) tryExpect(char rune, ws bool) error {
	if ws {
		p.consumeWhitespace()
	}
	if p.i >= len(p.in) {
		return syntaxError(p.in, string(char), "EOF", p.i)
	}
	if p.in[p.i] != char {
		return syntaxError(p.in, string(char), string(p.in[p.i]), p.i)
	}
	p.i++
	if ws {
		p.consumeWhitespace()
	}
	return nil
}

func (p *shorthandParser) parameter() *pyDict {
	params := newDict()
	k, v := p.keyval()
	params.set(k, v)
	last := p.i
	for p.i < len(p.in) {
		p.expect(',', true)
		k, v := p.keyval()
		if _, dup := params.get(k); dup {
			p.fail(&shorthandError{fmt.Sprintf("Second instance of key \"%s\" encountered for input:\n%s\nThis is often because there is a preceding \",\" instead of a space.", k, errorLocation(p.in, last+1))})
		}
		params.set(k, v)
		last = p.i
	}
	return params
}

func (p *shorthandParser) keyAt() {
	p.paramf = false
	save := p.i
	if err := p.tryExpect('@', true); err == nil {
		p.paramf = true
	} else {
		// A failed expect has consumed the white space before the '@'.
		_ = save
	}
	p.expect('=', true)
}

func (p *shorthandParser) keyval() (string, any) {
	key := p.key()
	p.keyAt()
	return key, p.values()
}

func isKeyChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.#/:", r)
}

func (p *shorthandParser) key() string {
	start := p.i
	for !p.atEOF() && isKeyChar(p.in[p.i]) {
		p.i++
	}
	return string(p.in[start:p.i])
}

func (p *shorthandParser) values() any {
	switch {
	case p.atEOF():
		return ""
	case p.current() == '[':
		return p.explicitList()
	case p.current() == '{':
		return p.hashLiteral()
	}
	return p.csvValue()
}

func (p *shorthandParser) csvValue() any {
	first := p.firstValue()
	p.consumeWhitespace()
	if p.atEOF() || p.in[p.i] != ',' {
		return first
	}
	p.expect(',', true)
	list := []any{first}
	for {
		cur, err := p.trySecondValue()
		if err == nil {
			p.consumeWhitespace()
			if p.atEOF() {
				list = append(list, cur)
				break
			}
			err = p.tryExpect(',', true)
			if err == nil {
				list = append(list, cur)
				continue
			}
		}
		if p.atEOF() {
			p.fail(err)
		}
		p.backtrackTo(',')
		break
	}
	if len(list) == 1 {
		return first
	}
	return list
}

// Character classes of the _FIRST_VALUE and _SECOND_VALUE regular
// expressions (Python's re matches code points up to U+FFFF here).
func startWord(r rune) bool {
	return r == '!' || r >= '#' && r <= '&' || r >= '(' && r <= '+' || r >= '-' && r <= '<' ||
		r >= '>' && r <= 'Z' || r >= '\\' && r <= 'z' || r >= '|' && r <= 0xffff
}

func firstFollow(r rune) bool {
	return pyIsSpace(r) || r == '!' || r >= '#' && r <= '&' || r >= '(' && r <= '+' ||
		r >= '-' && r <= '\\' || r >= '^' && r <= '|' || r >= '~' && r <= 0xffff
}

func secondFollow(r rune) bool {
	return pyIsSpace(r) || r == '!' || r >= '#' && r <= '&' || r >= '(' && r <= '+' ||
		r >= '-' && r <= '<' || r >= '>' && r <= 0xffff
}

// matchWord matches (\\,|[start])(\\,|[follow])* at the index and returns
// its length in runes (0 for no match).
func (p *shorthandParser) matchWord(start, follow func(rune) bool) int {
	j := p.i
	step := func(class func(rune) bool) bool {
		if j+1 < len(p.in) && p.in[j] == '\\' && p.in[j+1] == ',' {
			j += 2
			return true
		}
		if j < len(p.in) && class(p.in[j]) {
			j++
			return true
		}
		return false
	}
	if !step(start) {
		return 0
	}
	for step(follow) {
	}
	return j - p.i
}

func (p *shorthandParser) paramfile(v string) string {
	if !p.paramf || p.resolve == nil {
		return v
	}
	s, ok, err := p.resolve(v)
	if err != nil {
		p.fail(err)
	}
	if ok {
		return s
	}
	return v
}

func (p *shorthandParser) value() string {
	n := p.matchWord(startWord, firstFollow)
	if n == 0 {
		return ""
	}
	consumed := string(p.in[p.i : p.i+n])
	p.i += n
	return p.paramfile(pyRStrip(strings.ReplaceAll(consumed, `\,`, ",")))
}

func (p *shorthandParser) explicitList() any {
	p.expect('[', true)
	values := []any{}
	for p.current() != ']' {
		values = append(values, p.explicitValues())
		p.consumeWhitespace()
		if p.current() != ']' {
			p.expect(',', false)
			p.consumeWhitespace()
		}
	}
	p.expect(']', false)
	return values
}

func (p *shorthandParser) explicitValues() any {
	switch p.current() {
	case '[':
		return p.explicitList()
	case '{':
		return p.hashLiteral()
	}
	return p.firstValue()
}

func (p *shorthandParser) hashLiteral() any {
	p.expect('{', true)
	kv := newDict()
	for p.current() != '}' {
		key := p.key()
		p.keyAt()
		v := p.explicitValues()
		p.consumeWhitespace()
		if p.current() != '}' {
			p.expect(',', false)
			p.consumeWhitespace()
		}
		kv.set(key, v)
	}
	p.expect('}', false)
	return kv
}

func (p *shorthandParser) firstValue() string {
	switch p.current() {
	case '\'':
		return p.quoted('\'', "singled quoted")
	case '"':
		return p.quoted('"', "double quoted")
	}
	return p.value()
}

func (p *shorthandParser) trySecondValue() (s string, err error) {
	switch p.current() {
	case '\'', '"':
		defer func() {
			if r := recover(); r != nil {
				e, ok := r.(*shorthandError)
				if !ok {
					panic(r)
				}
				err = e
			}
		}()
		return p.firstValue(), nil
	}
	n := p.matchWord(startWord, secondFollow)
	if n == 0 {
		return "", syntaxError(p.in, "<second>", "<none>", p.i)
	}
	consumed := string(p.in[p.i : p.i+n])
	p.i += n
	return p.paramfile(pyRStrip(strings.ReplaceAll(consumed, `\,`, ","))), nil
}

// quoted consumes a quoted value as the regular expression
// q(?:\\q|[^q])*q does (the longest match), and unescapes \q and \\.
func (p *shorthandParser) quoted(q rune, name string) string {
	end := -1
	for j := p.i + 1; j < len(p.in); j++ {
		if p.in[j] != q {
			continue
		}
		end = j
		if p.in[j-1] != '\\' || j-1 == p.i {
			break
		}
	}
	if end < 0 {
		p.fail(syntaxError(p.in, "<"+name+">", "<none>", p.i))
	}
	v := string(p.in[p.i+1 : end])
	p.i = end + 1
	v = strings.ReplaceAll(v, `\`+string(q), string(q))
	v = strings.ReplaceAll(v, `\\`, `\`)
	return p.paramfile(v)
}

func (p *shorthandParser) backtrackTo(char rune) {
	for p.i >= 0 && (p.i >= len(p.in) || p.in[p.i] != char) {
		p.i--
	}
	if p.i < 0 {
		p.i = 0
	}
}
