package filterpattern

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/jq"
)

// stepKind is one step of a JSON selector.
type stepKind int

const (
	stepKey   stepKind = iota // .name or ['name']
	stepIndex                 // [n]
	stepAny                   // .* or [*]
)

type step struct {
	kind  stepKind
	key   string
	index int
}

// selector is a parsed $... selector.
type selector struct {
	text  string // as written
	steps []step
	prog  *jq.Program // first(selection), for extraction
}

// jsonNode is a node of a JSON pattern's syntax tree.
type jsonNode struct {
	op          string // "&&", "||", "cond", "null", "true", "false", "notexists"
	left, right *jsonNode
	sel         *selector
	cond        condition
	custom      int // index of the condition in jsonPattern.custom, for globs and regexes
}

// jsonPattern is a compiled JSON pattern.
type jsonPattern struct {
	root      *jsonNode
	selectors []*selector
	custom    []condition
	prog      *jq.Program
	proj      *proj
	// required are texts the raw event must contain for the pattern to
	// match, when the event has no backslash: a JSON string without escapes
	// appears verbatim between quotes in the event's text.
	required []string
}

type jsonParser struct {
	src       string
	pos       int
	depth     int
	regexes   int
	wildcards int
	jp        *jsonPattern
}

func parseJSONPattern(src string, off int) (*jsonPattern, error) {
	p := &jsonParser{src: src, pos: off + 1, jp: &jsonPattern{}}
	p.skip()
	if p.peek() == '}' {
		return nil, errorf(p.pos, msgInvalid, "empty JSON pattern")
	}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.peek() != '}' {
		return nil, p.unexpected("'&&', '||' or '}'")
	}
	p.pos++
	p.skip()
	if p.pos < len(p.src) {
		return nil, p.unexpected("the end of the pattern after '}'")
	}
	p.jp.root = root
	if err := p.jp.compile(); err != nil {
		return nil, errorf(off, msgInvalid, "%v", err)
	}
	return p.jp, nil
}

func (p *jsonParser) skip() {
	for p.pos < len(p.src) && isBlank(p.src[p.pos]) {
		p.pos++
	}
}

func (p *jsonParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *jsonParser) unexpected(want string) *Error {
	if p.pos >= len(p.src) {
		return errorf(p.pos, msgInvalid, "unexpected end of pattern, expected %s", want)
	}
	return errorf(p.pos, msgInvalid, "unexpected %q, expected %s", firstRune(p.src[p.pos:]), want)
}

func (p *jsonParser) or() (*jsonNode, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for {
		p.skip()
		if !strings.HasPrefix(p.src[p.pos:], "||") {
			return left, nil
		}
		p.pos += 2
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = &jsonNode{op: "||", left: left, right: right}
	}
}

func (p *jsonParser) and() (*jsonNode, error) {
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		p.skip()
		if !strings.HasPrefix(p.src[p.pos:], "&&") {
			return left, nil
		}
		p.pos += 2
		right, err := p.primary()
		if err != nil {
			return nil, err
		}
		left = &jsonNode{op: "&&", left: left, right: right}
	}
}

func (p *jsonParser) primary() (*jsonNode, error) {
	p.skip()
	switch p.peek() {
	case '(':
		p.depth++
		if p.depth > MaxNesting {
			return nil, errorf(p.pos, msgInvalid, "parentheses nested deeper than %d", MaxNesting)
		}
		p.pos++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		p.skip()
		if p.peek() != ')' {
			return nil, p.unexpected("')'")
		}
		p.pos++
		p.depth--
		return n, nil
	case '$':
		return p.condition()
	}
	return nil, p.unexpected("a selector starting with '$' or '('")
}

func isNameRune(r rune) bool {
	return r == '_' || r == '-' || r == '@' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func (p *jsonParser) selector() (*selector, error) {
	start := p.pos
	p.pos++ // $
	sel := &selector{}
	wild := 0
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '.' {
			p.pos++
			if p.peek() == '*' {
				p.pos++
				sel.steps = append(sel.steps, step{kind: stepAny})
				wild++
				continue
			}
			if p.peek() == '[' {
				continue // $.['key']
			}
			j := p.pos
			for j < len(p.src) {
				r, size := utf8.DecodeRuneInString(p.src[j:])
				if !isNameRune(r) {
					break
				}
				j += size
			}
			if j == p.pos {
				return nil, p.unexpected("a property name after '.'")
			}
			sel.steps = append(sel.steps, step{kind: stepKey, key: p.src[p.pos:j]})
			p.pos = j
			continue
		}
		if c != '[' {
			break
		}
		p.pos++
		switch q := p.peek(); {
		case q == '*':
			p.pos++
			sel.steps = append(sel.steps, step{kind: stepAny})
			wild++
		case q == '\'' || q == '"':
			end := strings.IndexByte(p.src[p.pos+1:], q)
			if end < 0 {
				return nil, errorf(p.pos, msgInvalid, "unterminated quoted property name")
			}
			sel.steps = append(sel.steps, step{kind: stepKey, key: p.src[p.pos+1 : p.pos+1+end]})
			p.pos += end + 2
		case q >= '0' && q <= '9':
			j := p.pos
			for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(p.src[p.pos:j])
			if err != nil || n > 1<<30 {
				return nil, errorf(p.pos, msgInvalid, "array index out of range")
			}
			sel.steps = append(sel.steps, step{kind: stepIndex, index: n})
			p.pos = j
		default:
			return nil, p.unexpected("an array index, '*' or a quoted property name after '['")
		}
		if p.peek() != ']' {
			return nil, p.unexpected("']'")
		}
		p.pos++
	}
	if len(sel.steps) == 0 {
		return nil, errorf(start, msgInvalid, "a selector must name a property or an array element after '$'")
	}
	if wild > 1 {
		return nil, errorf(start, msgTooManyWildcards, "at most one wildcard per selector")
	}
	p.wildcards += wild
	if p.wildcards > MaxWildcardSelectors {
		return nil, errorf(start, msgTooManyWildcards, "at most %d wildcard selectors in a JSON pattern", MaxWildcardSelectors)
	}
	sel.text = p.src[start:p.pos]
	return sel, nil
}

func (p *jsonParser) keyword(words ...string) bool {
	save := p.pos
	for _, w := range words {
		p.skip()
		if !strings.HasPrefix(p.src[p.pos:], w) {
			p.pos = save
			return false
		}
		end := p.pos + len(w)
		if end < len(p.src) {
			if r, _ := utf8.DecodeRuneInString(p.src[end:]); isNameRune(r) {
				p.pos = save
				return false
			}
		}
		p.pos = end
	}
	return true
}

func (p *jsonParser) condition() (*jsonNode, error) {
	sel, err := p.selector()
	if err != nil {
		return nil, err
	}
	p.jp.selectors = append(p.jp.selectors, sel)
	p.skip()
	switch {
	case p.keyword("IS", "NULL"):
		return &jsonNode{op: "null", sel: sel}, nil
	case p.keyword("IS", "TRUE"):
		return &jsonNode{op: "true", sel: sel}, nil
	case p.keyword("IS", "FALSE"):
		return &jsonNode{op: "false", sel: sel}, nil
	case p.keyword("NOT", "EXISTS"):
		return &jsonNode{op: "notexists", sel: sel}, nil
	case p.keyword("IS"):
		p.skip()
		return nil, p.unexpected("NULL, TRUE or FALSE after IS")
	case p.keyword("NOT"):
		p.skip()
		return nil, p.unexpected("EXISTS after NOT")
	}
	op, ok := readOp(p.src, p.pos)
	if !ok {
		return nil, p.unexpected("a comparison operator (=, !=, <, >, <=, >=), IS or NOT EXISTS")
	}
	p.pos += len(op)
	p.skip()
	val, end, err := readValue(p.src, p.pos, "})&|")
	if err != nil {
		return nil, err
	}
	if err := checkValue(op, val, p.pos); err != nil {
		return nil, err
	}
	if val.kind == valRegex {
		p.regexes++
		if p.regexes > MaxRegex {
			return nil, errorf(p.pos, msgTooManyRegex, "at most %d regular expressions in one pattern", MaxRegex)
		}
	}
	p.pos = end
	n := &jsonNode{op: "cond", sel: sel, cond: condition{op: op, val: val}, custom: -1}
	if val.kind == valGlob || val.kind == valRegex {
		n.custom = len(p.jp.custom)
		p.jp.custom = append(p.jp.custom, n.cond)
	}
	return n, nil
}

// readOp reads a comparison operator at src[i].
func readOp(src string, i int) (string, bool) {
	for _, op := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if strings.HasPrefix(src[i:], op) {
			return op, true
		}
	}
	return "", false
}

// readValue reads a value at src[i]: %regex%, a quoted string or bare text
// ending at a blank or one of the stop characters.
func readValue(src string, i int, stop string) (value, int, error) {
	if i >= len(src) {
		return value{}, i, errorf(i, msgInvalid, "missing value after the operator")
	}
	switch src[i] {
	case '%':
		re, end, err := readRegex(src, i)
		if err != nil {
			return value{}, i, err
		}
		return value{kind: valRegex, re: re}, end, nil
	case '"':
		s, end, err := readQuoted(src, i)
		if err != nil {
			return value{}, i, err
		}
		return makeValue(s, true), end, nil
	}
	j := i
	for j < len(src) && !isBlank(src[j]) && strings.IndexByte(stop, src[j]) < 0 && src[j] != '"' {
		j++
	}
	if j == i {
		return value{}, i, errorf(i, msgInvalid, "missing value after the operator")
	}
	return makeValue(src[i:j], false), j, nil
}

// checkValue refuses an ordering operator on a value that is not a number.
func checkValue(op string, v value, off int) error {
	if op != "=" && op != "!=" && v.kind != valNumber {
		return errorf(off, msgInvalid, "operator %s needs a number", op)
	}
	return nil
}

// simplePath is the selector as a jq path that yields exactly one value:
// the selected value, or null for a missing key or index or a step that
// meets a value of the wrong type; "" when the selector has a wildcard.
// It is right for every predicate that null fails.
func (sel *selector) simplePath() string {
	var b strings.Builder
	b.WriteString(".")
	for _, st := range sel.steps {
		switch st.kind {
		case stepKey:
			b.WriteString(" | if type == \"object\" then .[" + jq.StringLiteral(st.key) + "] else null end")
		case stepIndex:
			b.WriteString(" | if type == \"array\" then .[" + strconv.Itoa(st.index) + "] else null end")
		default:
			return ""
		}
	}
	return b.String()
}

// jq source generation. Every key and value enters the source through
// jq.StringLiteral or jq.Literal; numbers through jq.Literal.

func (sel *selector) source() string {
	var b strings.Builder
	b.WriteString(".")
	for _, st := range sel.steps {
		b.WriteString(" | ")
		switch st.kind {
		case stepKey:
			k := jq.StringLiteral(st.key)
			b.WriteString("objects | select(has(" + k + ")) | .[" + k + "]")
		case stepIndex:
			n := strconv.Itoa(st.index)
			b.WriteString("arrays | select(length > " + n + ") | .[" + n + "]")
		case stepAny:
			b.WriteString("iterables | .[]")
		}
	}
	return b.String()
}

func (jp *jsonPattern) nodeSource(n *jsonNode, b *strings.Builder) error {
	switch n.op {
	case "&&", "||":
		word := " and "
		if n.op == "||" {
			word = " or "
		}
		b.WriteString("(")
		if err := jp.nodeSource(n.left, b); err != nil {
			return err
		}
		b.WriteString(")" + word + "(")
		if err := jp.nodeSource(n.right, b); err != nil {
			return err
		}
		b.WriteString(")")
		return nil
	case "notexists":
		b.WriteString("isempty(" + n.sel.source() + ")")
		return nil
	}
	var pred string
	switch n.op {
	case "null":
		pred = ". == null"
	case "true":
		pred = ". == true"
	case "false":
		pred = ". == false"
	default:
		v := n.cond.val
		switch v.kind {
		case valWildcard:
			pred = `type == "string" or type == "number" or type == "boolean"`
			if n.cond.op != "=" {
				pred = "false"
			}
		case valString:
			lit := jq.StringLiteral(v.text)
			if n.cond.op == "=" {
				pred = ". == " + lit
			} else {
				pred = `type == "string" and . != ` + lit
			}
		case valNumber:
			lit, err := jq.Literal(v.num)
			if err != nil {
				return err
			}
			op := n.cond.op
			if op == "=" {
				op = "=="
			}
			pred = `type == "number" and . ` + op + " " + lit
		default: // glob, regex: Go predicate
			pred = "_fp_test(" + strconv.Itoa(n.custom) + ")"
		}
	}
	if path := n.sel.simplePath(); path != "" && n.op != "null" {
		// exactly one value, and null fails pred: no need for any/2
		b.WriteString("(" + path + " | " + pred + ")")
		return nil
	}
	b.WriteString("any(" + n.sel.source() + "; " + pred + ")")
	return nil
}

// compile builds the match program and one extraction program per selector.
func (jp *jsonPattern) compile() error {
	var b strings.Builder
	if err := jp.nodeSource(jp.root, &b); err != nil {
		return err
	}
	custom := jp.custom
	test := jq.WithFunction("_fp_test", 1, 1, func(v any, args []any) any {
		i, ok := args[0].(int)
		if !ok || i < 0 || i >= len(custom) {
			return false
		}
		c := &custom[i]
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case int, float64:
			s, _ = scalarText(x)
		default:
			return false
		}
		return c.testText(s)
	})
	prog, err := jq.Compile(b.String(), test, jq.WithMaxSteps(MaxJSONSteps), jq.WithMaxDepth(MaxJSONDepth), jq.WithMaxOutputs(1))
	if err != nil {
		return err
	}
	jp.prog = prog
	jp.proj = buildProj(jp.selectors)
	jp.required = requiredLiterals(jp.root, nil)
	for _, sel := range jp.selectors {
		sel.prog, err = jq.Compile("first("+sel.source()+")", jq.WithMaxSteps(MaxJSONSteps), jq.WithMaxDepth(MaxJSONDepth), jq.WithMaxOutputs(1))
		if err != nil {
			return err
		}
	}
	return nil
}

// first returns the first value the selector selects in doc.
func (sel *selector) first(doc any) (any, bool) {
	v, ok, err := sel.prog.First(doc)
	if err != nil || !ok {
		return nil, false
	}
	return v, true
}

// looksLikeJSON reports whether message starts, after blanks, with '{' or
// '[': only such events are decoded for a JSON pattern.
func looksLikeJSON(message string) bool {
	for i := 0; i < len(message); i++ {
		switch message[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// requiredLiterals collects, from the &&-spine of the tree, the quoted
// texts of string equalities: an event without backslashes can only match
// if it contains each of them.
func requiredLiterals(n *jsonNode, out []string) []string {
	switch n.op {
	case "&&":
		return requiredLiterals(n.right, requiredLiterals(n.left, out))
	case "cond":
		if n.cond.op == "=" && n.cond.val.kind == valString && plainJSONText(n.cond.val.text) {
			out = append(out, `"`+n.cond.val.text+`"`)
		}
	}
	return out
}

// plainJSONText reports whether s is written verbatim inside a JSON string
// (printable ASCII other than '"' and '\\').
func plainJSONText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func (jp *jsonPattern) match(message string) (any, bool) {
	if !looksLikeJSON(message) {
		return nil, false
	}
	if len(jp.required) > 0 && strings.IndexByte(message, '\\') < 0 {
		for _, r := range jp.required {
			if !strings.Contains(message, r) {
				return nil, false
			}
		}
	}
	doc, ok := decodeProjected(message, jp.proj)
	if !ok {
		return nil, false
	}
	v, ok, err := jp.prog.First(doc)
	if err != nil || !ok || v != true {
		return nil, false
	}
	return doc, true
}
