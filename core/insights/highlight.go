package insights

import "strings"

// Token is a span of a query for syntax highlighting: Kind is one of
// command, keyword, function, field, string, regex, number, operator,
// comment and error; Start and End are byte offsets.
type Token struct {
	Kind       string
	Start, End int
}

var commandNames = map[string]bool{
	"fields": true, "display": true, "filter": true, "where": true, "stats": true, "sort": true, "limit": true,
	"parse": true, "dedup": true, "unmask": true, "pattern": true, "diff": true, "filterindex": true, "unnest": true, "source": true,
}

var keywordNames = map[string]bool{
	"and": true, "or": true, "not": true, "like": true, "in": true, "as": true, "by": true, "asc": true, "desc": true,
	"into": true, "any": true, "true": true, "false": true, "null": true,
}

// Tokens splits a query into highlighted spans that cover every
// non-space character, malformed or not. It never fails.
func Tokens(src string) []Token {
	var out []Token
	l := lexer{src: src}
	prev := "|" // what came before: a '/' after an operand divides
	for {
		for l.pos < len(src) && strings.IndexByte(" \t\r\n\f\v", src[l.pos]) >= 0 {
			l.pos++
		}
		if l.pos >= len(src) {
			return out
		}
		if src[l.pos] == '#' {
			s := l.pos
			for l.pos < len(src) && src[l.pos] != '\n' {
				l.pos++
			}
			out = append(out, Token{"comment", s, l.pos})
			continue
		}
		regex := prev != "operand"
		l.err = nil
		start := l.pos
		t := l.next(regex)
		if l.pos <= start { // never stall
			l.pos = start + 1
			t.end = l.pos
		}
		kind := ""
		switch t.kind {
		case tIdent:
			name := strings.ToLower(t.val)
			rest := strings.TrimLeft(src[t.end:], " \t\r\n")
			switch {
			case !t.q && prev == "|" && commandNames[name]:
				kind = "command"
			case !t.q && keywordNames[name]:
				kind = "keyword"
			case !t.q && strings.HasPrefix(rest, "("):
				kind = "function"
			default:
				kind = "field"
			}
		case tString:
			kind = "string"
		case tRegex:
			kind = "regex"
		case tNumber:
			kind = "number"
		case tPunct:
			kind = "operator"
		default:
			kind = "error"
		}
		out = append(out, Token{kind, t.pos, t.end})
		switch {
		case t.kind == tPunct && t.val == "|":
			prev = "|"
		case t.kind == tPunct && t.val != ")" && t.val != "]":
			prev = "operator"
		case kind == "keyword" || kind == "command":
			prev = "operator"
		default:
			prev = "operand"
		}
	}
}
