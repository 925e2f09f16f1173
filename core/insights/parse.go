package insights

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Limits of the language (spec §5.5, §6.6).
const (
	MaxQueryLength = 10000  // characters of a query string
	MaxRows        = 10000  // rows a limit command may ask for
	DefaultRows    = 10000  // rows returned without limit
	MaxStats       = 2      // stats commands in one query
	MaxCaseArgs    = 10     // branches of case()
	MaxDepth       = 200    // nesting of expressions
	MaxSourcePref  = 5      // namePrefix values of SOURCE logGroups()
	MaxSourceAccts = 20     // accountIdentifiers values of SOURCE logGroups()
	MaxListItems   = 100000 // items of an in [...] list (an internal bound)
)

// Error is a MalformedQueryException: a message and the character offsets
// of the fault in the query.
type Error struct {
	Start, End int // character offsets, End exclusive
	Line       int // 1-based
	Col        int // 0-based, in characters
	Msg        string
}

// Error renders the message with its location as AWS does: "unexpected
// symbol found limit at line 1 and position 207", "unexpected symbol found
// <EOF> at line 1 and position 0" (wordings seen in reports of real AWS
// errors; the messages of the checks that span commands are Unverified
// wording). Positions are 0-based.
func (e *Error) Error() string {
	return fmt.Sprintf("%s at line %d and position %d", e.Msg, e.Line, e.Col)
}

func errAt(src string, start, end int, format string, args ...any) *Error {
	if start > len(src) {
		start = len(src)
	}
	if end < start {
		end = start
	}
	line, col := 1, 0
	for i, r := range src {
		if i >= start {
			break
		}
		if r == '\n' {
			line, col = line+1, 0
		} else {
			col++
		}
	}
	cs, ce := len([]rune(src[:start])), len([]rune(src[:min(end, len(src))]))
	return &Error{Start: cs, End: ce, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// Query is a parsed, checked query. A Query is immutable and safe to reuse
// and to evaluate concurrently.
type Query struct {
	Text     string
	Commands []Command
	Source   *SourceCmd
	stats    int
	cmdPos   []pos
	refs     map[string]bool // names of fields the query reads
}

// parser is a recursive-descent parser over the lexer with one token of
// look-ahead.
type parser struct {
	lx    lexer
	tok   token
	rx    bool // tok was scanned in regex mode
	have  bool
	depth int
}

type bail struct{ err *Error }

func (p *parser) fail(t token, format string, args ...any) {
	panic(bail{errAt(p.lx.src, t.pos, t.end, format, args...)})
}

func (p *parser) peek() token {
	if !p.have {
		p.tok = p.lx.next(false)
		p.rx, p.have = false, true
		if p.lx.err != nil {
			panic(bail{p.lx.err})
		}
	}
	return p.tok
}

// peekOperand peeks with '/' starting a regex.
func (p *parser) peekOperand() token {
	if p.have && !p.rx && p.tok.kind == tPunct && p.tok.val == "/" {
		p.lx.pos = p.tok.pos
		p.have = false
	}
	if !p.have {
		p.tok = p.lx.next(true)
		p.rx, p.have = true, true
		if p.lx.err != nil {
			panic(bail{p.lx.err})
		}
	}
	return p.tok
}

func (p *parser) advance() token {
	t := p.peek()
	p.have = false
	return t
}

func (p *parser) unexpected(t token) {
	if t.kind == tEOF {
		p.fail(t, "unexpected symbol found <EOF>")
	}
	p.fail(t, "unexpected symbol found %s", t.text)
}

func (p *parser) isPunct(v string) bool {
	t := p.peek()
	return t.kind == tPunct && t.val == v
}

func (p *parser) isKeyword(k string) bool {
	t := p.peek()
	return t.kind == tIdent && !t.q && strings.EqualFold(t.val, k)
}

func (p *parser) expect(v string) token {
	t := p.peek()
	if t.kind != tPunct || t.val != v {
		if t.kind == tEOF {
			p.fail(t, "unexpected symbol found <EOF>")
		}
		p.fail(t, "unexpected symbol found %s", t.text)
	}
	return p.advance()
}

// Parse parses and checks a query. Errors are *Error with the location of
// the fault.
func Parse(text string) (q *Query, err error) {
	if len([]rune(text)) > MaxQueryLength {
		return nil, &Error{Line: 1, Msg: fmt.Sprintf("query string exceeds the maximum length of %d characters", MaxQueryLength)}
	}
	p := &parser{lx: lexer{src: text}}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			q, err = nil, b.err
		}
	}()
	q = &Query{Text: text, refs: map[string]bool{}}
	if p.peek().kind == tEOF {
		// A blank query (or only comments) is malformed: a report of AWS
		// answering "unexpected symbol found <EOF> at line 1 and position 0".
		p.unexpected(p.peek())
	}
	for {
		t := p.peek()
		c := p.command()
		if s, ok := c.(*SourceCmd); ok {
			// SOURCE opens the query; dashboards' log widgets repeat it,
			// one log group each: SOURCE 'a' | SOURCE 'b' | fields ...
			if len(q.Commands) > 0 {
				p.fail(t, "SOURCE must be the first command of the query")
			}
			if q.Source == nil {
				q.Source = s
			} else {
				q.Source.Names = append(q.Source.Names, s.Names...)
				q.Source.Prefixes = append(q.Source.Prefixes, s.Prefixes...)
				q.Source.Accounts = append(q.Source.Accounts, s.Accounts...)
				q.Source.Classes = append(q.Source.Classes, s.Classes...)
				if s.Start != nil {
					q.Source.Start = s.Start
				}
				if s.End != nil {
					q.Source.End = s.End
				}
			}
		} else {
			q.Commands = append(q.Commands, c)
			q.cmdPos = append(q.cmdPos, pos{t.pos, t.end})
		}
		if p.peek().kind == tEOF {
			break
		}
		if !p.isPunct("|") {
			p.unexpected(p.peek())
		}
		p.advance()
		if p.peek().kind == tEOF {
			p.fail(p.peek(), "unexpected symbol found <EOF>")
		}
	}
	if err := check(q); err != nil {
		return nil, err
	}
	return q, nil
}

func (p *parser) command() Command {
	t := p.advance()
	if t.kind != tIdent || t.q {
		p.unexpected(t)
	}
	switch strings.ToLower(t.val) {
	case "fields":
		return &FieldsCmd{Items: p.items(false)}
	case "display":
		return &DisplayCmd{Items: p.items(false)}
	case "filter", "where":
		return &FilterCmd{Cond: p.expr()}
	case "stats":
		return p.stats()
	case "sort":
		return p.sortCmd()
	case "limit":
		return p.limit()
	case "parse":
		return p.parseCmd(t)
	case "dedup":
		var fs []Expr
		for {
			fs = append(fs, p.expr())
			if !p.isPunct(",") {
				break
			}
			p.advance()
		}
		return &DedupCmd{Fields: fs}
	case "unmask":
		return &UnmaskCmd{}
	case "pattern":
		return &PatternCmd{X: p.expr()}
	case "diff":
		if p.peek().kind == tIdent {
			m := p.advance()
			switch strings.ToLower(m.val) {
			case "previousday", "previousweek", "previousmonth":
				return &DiffCmd{Mode: m.val}
			}
			p.unexpected(m)
		}
		return &DiffCmd{}
	case "filterindex":
		return &FilterIndexCmd{Cond: p.expr()}
	case "unnest":
		x := p.expr()
		if !p.isKeyword("into") {
			p.unexpected(p.peek())
		}
		p.advance()
		n := p.advance()
		if n.kind != tIdent {
			p.unexpected(n)
		}
		return &UnnestCmd{X: x, Into: n.val}
	case "source":
		return p.source(t)
	}
	p.fail(t, "unexpected symbol found %s", t.text)
	return nil
}

// items parses expr [as alias], ... of fields, display and stats.
func (p *parser) items(agg bool) []Item {
	var out []Item
	for {
		start := p.peek().pos
		x := p.expr()
		_, end := x.span()
		it := Item{X: x, Name: strings.TrimSpace(p.lx.src[start:end])}
		if f, ok := x.(*Field); ok {
			it.Name = f.Name
		}
		if p.isKeyword("as") {
			p.advance()
			a := p.advance()
			if a.kind != tIdent {
				p.unexpected(a)
			}
			it.Alias, it.Name = a.val, a.val
		}
		out = append(out, it)
		if !p.isPunct(",") {
			return out
		}
		p.advance()
	}
}

func (p *parser) stats() Command {
	s := &StatsCmd{Aggs: p.items(true)}
	if p.isKeyword("by") {
		p.advance()
		s.By = p.items(false)
	}
	return s
}

func (p *parser) sortCmd() Command {
	// sort takes field names (a function such as bin() is rejected at its
	// parenthesis, as AWS does).
	s := &SortCmd{}
	for {
		t := p.advance()
		if t.kind != tIdent || (!t.q && keywordNames[strings.ToLower(t.val)]) {
			p.unexpected(t)
		}
		if p.isPunct("(") {
			p.unexpected(p.peek())
		}
		k := SortKey{X: &Field{pos: pos{t.pos, t.end}, Name: t.val}}
		if p.isKeyword("desc") {
			p.advance()
			k.Desc = true
		} else if p.isKeyword("asc") {
			p.advance()
		}
		s.Keys = append(s.Keys, k)
		if !p.isPunct(",") {
			return s
		}
		p.advance()
	}
}

func (p *parser) limit() Command {
	t := p.advance()
	if t.kind == tIdent && strings.EqualFold(t.val, "any") {
		return &LimitCmd{N: MaxRows, Any: true}
	}
	if t.kind != tNumber || t.unit != "" {
		p.unexpected(t)
	}
	n, err := strconv.Atoi(t.val)
	if err != nil || n < 1 || n > MaxRows {
		p.fail(t, "limit must be between 1 and %d", MaxRows)
	}
	return &LimitCmd{N: n}
}

func (p *parser) parseCmd(kw token) Command {
	c := &ParseCmd{}
	t := p.peekOperand()
	if t.kind != tString && t.kind != tRegex {
		c.Src = p.postfix()
		t = p.peekOperand()
	} else {
		c.Src = &Field{pos: pos{kw.pos, kw.end}, Name: "@message"}
	}
	p.advance()
	switch t.kind {
	case tString:
		c.Glob = strings.Split(t.val, "*")
		if !p.isKeyword("as") {
			p.fail(p.peek(), "parse with a glob pattern needs as and one field name for each *")
		}
		p.advance()
		for {
			a := p.advance()
			if a.kind != tIdent {
				p.unexpected(a)
			}
			c.Names = append(c.Names, a.val)
			if !p.isPunct(",") {
				break
			}
			p.advance()
		}
		if len(c.Names) != len(c.Glob)-1 {
			p.fail(t, "the number of fields in the glob pattern (%d) does not match the number of field names (%d)", len(c.Glob)-1, len(c.Names))
		}
	case tRegex:
		re, err := regexp.Compile(t.val)
		if err != nil {
			p.fail(t, "invalid regular expression %s", t.text)
		}
		for _, n := range re.SubexpNames() {
			if n != "" {
				c.Names = append(c.Names, n)
			}
		}
		if len(c.Names) == 0 {
			p.fail(t, "the regular expression of parse needs at least one named capture group (?<name>...)")
		}
		c.Re = re
	default:
		p.unexpected(t)
	}
	return c
}

func (p *parser) source(kw token) Command {
	s := &SourceCmd{}
	t := p.peek()
	switch {
	case t.kind == tString:
		for p.peek().kind == tString {
			s.Names = append(s.Names, p.advance().val)
			if p.isPunct(",") {
				p.advance()
			}
		}
	case t.kind == tIdent && strings.EqualFold(t.val, "logGroups"):
		p.advance()
		p.expect("(")
		for !p.isPunct(")") {
			k := p.advance()
			if k.kind != tIdent {
				p.unexpected(k)
			}
			p.expect(":")
			var vals []string
			p.expect("[")
			for !p.isPunct("]") {
				v := p.advance()
				if v.kind != tString {
					p.unexpected(v)
				}
				vals = append(vals, v.val)
				if p.isPunct(",") {
					p.advance()
				}
			}
			p.expect("]")
			switch strings.ToLower(k.val) {
			case "nameprefix":
				if len(vals) > MaxSourcePref {
					p.fail(k, "namePrefix accepts at most %d values", MaxSourcePref)
				}
				s.Prefixes = vals
			case "accountidentifiers":
				if len(vals) > MaxSourceAccts {
					p.fail(k, "accountIdentifiers accepts at most %d values", MaxSourceAccts)
				}
				s.Accounts = vals
			case "class":
				for _, v := range vals {
					if v != "STANDARD" && v != "INFREQUENT_ACCESS" {
						p.fail(k, "class must be STANDARD or INFREQUENT_ACCESS")
					}
				}
				s.Classes = vals
			default:
				p.unexpected(k)
			}
			if p.isPunct(",") {
				p.advance()
			}
		}
		p.expect(")")
	default:
		p.fail(kw, "SOURCE expects log group names or logGroups(...)")
	}
	for p.isKeyword("start") || p.isKeyword("end") {
		k := p.advance()
		p.expect("=")
		n := p.advance()
		v, err := strconv.ParseInt(n.val, 10, 64)
		if n.kind != tNumber || n.unit != "" || err != nil {
			p.unexpected(n)
		}
		if strings.EqualFold(k.val, "start") {
			s.Start = &v
		} else {
			s.End = &v
		}
	}
	return s
}

// Expressions, lowest precedence first: or, and, not, comparison, + -,
// * / %, ^, unary minus, postfix, primary.

func (p *parser) expr() Expr {
	p.depth++
	if p.depth > MaxDepth {
		p.fail(p.peek(), "expression nested too deeply")
	}
	defer func() { p.depth-- }()
	return p.or()
}

func (p *parser) or() Expr {
	x := p.and()
	for p.isKeyword("or") {
		p.advance()
		y := p.and()
		x = &Binary{pos: join(x, y), Op: "or", L: x, R: y}
	}
	return x
}

func (p *parser) and() Expr {
	x := p.not()
	for p.isKeyword("and") {
		p.advance()
		y := p.not()
		x = &Binary{pos: join(x, y), Op: "and", L: x, R: y}
	}
	return x
}

func (p *parser) not() Expr {
	if p.isKeyword("not") || p.isPunct("!") {
		t := p.advance()
		p.depth++
		if p.depth > MaxDepth {
			p.fail(t, "expression nested too deeply")
		}
		x := p.not()
		p.depth--
		_, e := x.span()
		return &Unary{pos: pos{t.pos, e}, Op: "not", X: x}
	}
	return p.cmp()
}

func (p *parser) cmp() Expr {
	x := p.add()
	for {
		t := p.peek()
		not := false
		if t.kind == tIdent && !t.q && strings.EqualFold(t.val, "not") {
			// x not like ..., x not in [...]
			p.advance()
			n := p.peek()
			if n.kind != tIdent || n.q || !(strings.EqualFold(n.val, "like") || strings.EqualFold(n.val, "in")) {
				p.fail(t, "unexpected symbol found %s", t.text)
			}
			not, t = true, n
		}
		switch {
		case t.kind == tIdent && !t.q && strings.EqualFold(t.val, "like"):
			p.advance()
			pt := p.peekOperand()
			var pat Expr
			switch pt.kind {
			case tString:
				p.advance()
				pat = &Lit{pos: pos{pt.pos, pt.end}, V: StrV(pt.val)}
			case tRegex:
				p.advance()
				pat = p.regexLit(pt)
			default:
				p.unexpected(pt)
			}
			_, e := pat.span()
			s, _ := x.span()
			x = &Like{pos: pos{s, e}, X: x, Pat: pat, Not: not}
			continue
		case t.kind == tIdent && !t.q && strings.EqualFold(t.val, "in"):
			p.advance()
			lt := p.peek()
			if lt.kind != tPunct || lt.val != "[" {
				p.unexpected(lt)
			}
			l := p.primary().(*List)
			s, _ := x.span()
			x = &In{pos: pos{s, l.end}, X: x, List: l.Items, Not: not}
			continue
		case t.kind == tPunct && t.val == "=~":
			p.advance()
			pt := p.peekOperand()
			var pat Expr
			switch pt.kind {
			case tRegex:
				p.advance()
				pat = p.regexLit(pt)
			case tString:
				p.advance()
				re, err := regexp.Compile(pt.val)
				if err != nil {
					p.fail(pt, "invalid regular expression %s", pt.text)
				}
				pat = &RegexLit{pos: pos{pt.pos, pt.end}, Src: pt.val, Re: re}
			default:
				p.unexpected(pt)
			}
			_, e := pat.span()
			s, _ := x.span()
			x = &Like{pos: pos{s, e}, X: x, Pat: pat}
			continue
		case t.kind == tPunct:
			op := t.val
			switch op {
			case "==":
				op = "="
			case "<>":
				op = "!="
			}
			switch op {
			case "=", "!=", "<", "<=", ">", ">=":
				p.advance()
				y := p.add()
				x = &Binary{pos: join(x, y), Op: op, L: x, R: y}
				continue
			}
		}
		return x
	}
}

func (p *parser) regexLit(t token) *RegexLit {
	re, err := regexp.Compile(t.val)
	if err != nil {
		p.fail(t, "invalid regular expression %s", t.text)
	}
	return &RegexLit{pos: pos{t.pos, t.end}, Src: t.val, Re: re}
}

func (p *parser) add() Expr {
	x := p.mul()
	for p.isPunct("+") || p.isPunct("-") {
		op := p.advance().val
		y := p.mul()
		x = &Binary{pos: join(x, y), Op: op, L: x, R: y}
	}
	return x
}

func (p *parser) mul() Expr {
	x := p.pow()
	for p.isPunct("*") || p.isPunct("/") || p.isPunct("%") {
		op := p.advance().val
		y := p.pow()
		x = &Binary{pos: join(x, y), Op: op, L: x, R: y}
	}
	return x
}

func (p *parser) pow() Expr {
	x := p.unary()
	if p.isPunct("^") {
		p.advance()
		p.depth++
		if p.depth > MaxDepth {
			p.fail(p.peek(), "expression nested too deeply")
		}
		y := p.pow()
		p.depth--
		return &Binary{pos: join(x, y), Op: "^", L: x, R: y}
	}
	return x
}

func (p *parser) unary() Expr {
	t := p.peekOperand()
	if t.kind == tPunct && (t.val == "-" || t.val == "+") {
		p.advance()
		p.depth++
		if p.depth > MaxDepth {
			p.fail(t, "expression nested too deeply")
		}
		x := p.unary()
		p.depth--
		_, e := x.span()
		if t.val == "+" {
			return x
		}
		if l, ok := x.(*Lit); ok && l.V.K == Num {
			return &Lit{pos: pos{t.pos, e}, V: NumV(-l.V.N)}
		}
		return &Unary{pos: pos{t.pos, e}, Op: "-", X: x}
	}
	return p.postfix()
}

func (p *parser) postfix() Expr {
	x := p.primary()
	for {
		s, _ := x.span()
		switch {
		case p.isPunct("["):
			p.advance()
			i := p.expr()
			e := p.expect("]")
			x = &Index{pos: pos{s, e.end}, X: x, I: i}
		case p.isPunct("."):
			// m.key after a call or an index: jsonParse(s).a.b
			p.advance()
			k := p.advance()
			if k.kind != tIdent {
				p.unexpected(k)
			}
			for _, part := range strings.Split(k.val, ".") {
				x = &Index{pos: pos{s, k.end}, X: x, I: &Lit{pos: pos{k.pos, k.end}, V: StrV(part)}}
			}
		default:
			return x
		}
	}
}

func (p *parser) primary() Expr {
	t := p.peekOperand()
	switch t.kind {
	case tString:
		p.advance()
		return &Lit{pos: pos{t.pos, t.end}, V: StrV(t.val)}
	case tRegex:
		p.advance()
		return p.regexLit(t)
	case tNumber:
		p.advance()
		f, err := strconv.ParseFloat(t.val, 64)
		if err != nil {
			p.fail(t, "invalid number %s", t.text)
		}
		if t.unit != "" {
			return p.period(t, f)
		}
		return &Lit{pos: pos{t.pos, t.end}, V: NumV(f)}
	case tIdent:
		p.advance()
		if !t.q && p.isPunct("(") {
			return p.call(t)
		}
		if !t.q && t.end < len(p.lx.src) && p.lx.src[t.end] == ':' {
			// A bare value such as http://host/path after a comparison
			// (a documented sample query compares with one unquoted).
			// Derived: taken as a string up to the next space.
			e := t.end
			for e < len(p.lx.src) && !strings.ContainsRune(" \t\r\n|)", rune(p.lx.src[e])) {
				e++
			}
			p.lx.pos, p.have = e, false
			return &Lit{pos: pos{t.pos, e}, V: StrV(p.lx.src[t.pos:e])}
		}
		if !t.q {
			switch strings.ToLower(t.val) {
			case "true":
				return &Lit{pos: pos{t.pos, t.end}, V: BoolV(true)}
			case "false":
				return &Lit{pos: pos{t.pos, t.end}, V: BoolV(false)}
			case "null":
				return &Lit{pos: pos{t.pos, t.end}}
			case "and", "or", "not", "as", "by", "like", "in", "asc", "desc":
				p.unexpected(t)
			}
		}
		return &Field{pos: pos{t.pos, t.end}, Name: t.val}
	case tPunct:
		switch t.val {
		case "(":
			p.advance()
			x := p.expr()
			e := p.expect(")")
			return reSpan(x, t.pos, e.end)
		case "[":
			p.advance()
			l := &List{pos: pos{start: t.pos}}
			for !p.isPunct("]") {
				if len(l.Items) >= MaxListItems {
					p.fail(p.peek(), "list has too many items")
				}
				l.Items = append(l.Items, p.expr())
				if !p.isPunct(",") {
					break
				}
				p.advance()
			}
			l.end = p.expect("]").end
			return l
		}
	}
	p.unexpected(t)
	return nil
}

// reSpan widens the span of a parenthesised expression so that error
// locations and column names include the parentheses.
func reSpan(x Expr, s, e int) Expr {
	switch v := x.(type) {
	case *Binary:
		c := *v
		c.start, c.end = s, e
		return &c
	case *Unary:
		c := *v
		c.start, c.end = s, e
		return &c
	}
	return x
}

func join(a, b Expr) pos {
	s, _ := a.span()
	_, e := b.span()
	return pos{s, e}
}

func (p *parser) call(name token) Expr {
	p.expect("(")
	c := &Call{Name: strings.ToLower(name.val), pos: pos{start: name.pos}}
	spec, ok := funcs[c.Name]
	if !ok {
		p.fail(name, "unknown function %s", name.val)
	}
	if p.isPunct("*") && (c.Name == "count") {
		p.advance()
		c.Star = true
	} else {
		for !p.isPunct(")") {
			c.Args = append(c.Args, p.expr())
			if !p.isPunct(",") {
				break
			}
			p.advance()
		}
	}
	c.end = p.expect(")").end
	n := len(c.Args)
	if n < spec.min || (spec.max >= 0 && n > spec.max) {
		p.fail(name, "wrong number of arguments for function %s", name.val)
	}
	return c
}

// periodUnits maps the unit spellings of period literals to canonical units.
var periodUnits = map[string]string{
	"ms": "ms", "msec": "ms", "msecs": "ms", "millisecond": "ms", "milliseconds": "ms",
	"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
	"m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
	"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"d": "d", "day": "d", "days": "d",
	"w": "w", "week": "w", "weeks": "w",
	"mo": "mo", "mon": "mo", "mons": "mo", "month": "mo", "months": "mo",
	"q": "q", "qtr": "q", "qtrs": "q", "quarter": "q", "quarters": "q",
	"y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}

// period builds a period literal; values above a unit's natural cap are
// clamped as AWS does (spec §5.4: bin(300s) behaves as 60s).
func (p *parser) period(t token, n float64) Expr {
	u, ok := periodUnits[strings.ToLower(t.unit)]
	if !ok {
		p.fail(t, "invalid time unit %s", t.unit)
	}
	if n <= 0 || n != float64(int64(n)) {
		p.fail(t, "the period %s must be a positive whole number", t.text)
	}
	caps := map[string]float64{"ms": 1000, "s": 60, "m": 60, "h": 24}
	if c, ok := caps[u]; ok && n > c {
		n = c
	}
	unitDur := map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}
	pr := &Period{pos: pos{t.pos, t.end}, N: n, Unit: u}
	if d, ok := unitDur[u]; ok {
		pr.D = time.Duration(n) * d
	}
	return pr
}
