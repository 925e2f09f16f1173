package filterpattern

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// term is one term of an unstructured pattern: a word, a quoted phrase or a
// %regex%, optionally prefixed by '?' (optional) or '-' (excluded).
type term struct {
	prefix byte // 0, '?' or '-'
	text   string
	re     *regexTerm
	blank  bool // a quoted blank phrase: present in every event
}

// termPattern is an unstructured pattern.
type termPattern struct {
	terms    []term
	matchAll bool // only blank phrases
	required []term
	excluded []term
	optional []term // used only when there is no required or excluded term
}

// regexTerm is a %regex% value.
type regexTerm struct {
	src string
	re  *regexp.Regexp
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func parseTerms(src string, off int) (*termPattern, error) {
	tp := &termPattern{}
	i := off
	for {
		for i < len(src) && isBlank(src[i]) {
			i++
		}
		if i >= len(src) {
			break
		}
		t := term{}
		start := i
		if src[i] == '?' || src[i] == '-' {
			t.prefix = src[i]
			i++
			if i >= len(src) || isBlank(src[i]) {
				return nil, errorf(start, msgInvalid, "%q must be followed by a term", string(src[start]))
			}
		}
		switch c := src[i]; {
		case c == '"':
			s, n, err := readQuoted(src, i)
			if err != nil {
				return nil, err
			}
			t.text = s
			t.blank = strings.Trim(s, " \t") == ""
			i = n
		case c == '%':
			re, n, err := readRegex(src, i)
			if err != nil {
				return nil, err
			}
			t.re = re
			i = n
		default:
			j := i
			for j < len(src) {
				r, size := utf8.DecodeRuneInString(src[j:])
				if !isWordRune(r) {
					break
				}
				j += size
			}
			if j == i {
				return nil, errorf(i, msgChars, "unexpected %q: a term with characters other than letters, digits and '_' must be double-quoted", firstRune(src[i:]))
			}
			t.text = src[i:j]
			i = j
		}
		if i < len(src) && !isBlank(src[i]) {
			return nil, errorf(i, msgChars, "unexpected %q after a term: terms are separated by spaces; quote a term with other characters", firstRune(src[i:]))
		}
		tp.terms = append(tp.terms, t)
	}
	tp.matchAll = true
	for _, t := range tp.terms {
		if !t.blank || t.prefix == '-' {
			tp.matchAll = false
		}
		switch {
		case t.blank && t.prefix != '-':
			// present in every event: no constraint
		case t.prefix == 0:
			tp.required = append(tp.required, t)
		case t.prefix == '-':
			tp.excluded = append(tp.excluded, t)
		default:
			tp.optional = append(tp.optional, t)
		}
	}
	if len(tp.required) > 0 || len(tp.excluded) > 0 {
		tp.optional = nil // '?' terms mixed with others are dropped (spec §1.2)
	}
	return tp, nil
}

func firstRune(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	return string(r)
}

// readQuoted reads a double-quoted string at src[i] ('"'), with \" and \\
// escapes, and returns its text and the offset after the closing quote.
func readQuoted(src string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if j+1 < len(src) && (src[j+1] == '"' || src[j+1] == '\\') {
				b.WriteByte(src[j+1])
				j++
				continue
			}
			b.WriteByte('\\')
		case '"':
			return b.String(), j + 1, nil
		default:
			b.WriteByte(src[j])
		}
	}
	return "", 0, errorf(i, msgInvalid, "unterminated quoted string")
}

// readRegex reads %regex% at src[i] ('%') and returns the compiled regex and
// the offset after the closing '%'.
func readRegex(src string, i int) (*regexTerm, int, error) {
	end := strings.IndexByte(src[i+1:], '%')
	if end < 0 {
		return nil, 0, errorf(i, msgInvalid, "unterminated regular expression: missing closing '%%'")
	}
	body := src[i+1 : i+1+end]
	re, err := compileRegex(body, i+1)
	if err != nil {
		return nil, 0, err
	}
	return re, i + end + 2, nil
}

// regexSymbols are the characters AWS allows in a regex besides ASCII
// letters and digits (spec §1.3); space is allowed as the documented
// examples use it.
const regexSymbols = ":_#=@/;,-^$?[]{}|\\*+. "

// compileRegex checks a regex body against AWS's character set and compiles
// it as RE2.
func compileRegex(body string, off int) (*regexTerm, error) {
	if body == "" {
		return nil, errorf(off, msgInvalid, "empty regular expression")
	}
	for j := 0; j < len(body); j++ {
		c := body[j]
		switch {
		case c >= utf8.RuneSelf:
			return nil, errorf(off+j, msgChars, "multi-byte characters are not supported in a regular expression; use \\xhh")
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '\\':
			if j+1 >= len(body) {
				return nil, errorf(off+j, msgInvalid, "trailing backslash in regular expression")
			}
			n := body[j+1]
			switch {
			case n == 'x':
				if !isHex(body, j+2) || !isHex(body, j+3) {
					return nil, errorf(off+j, msgInvalid, "\\x must be followed by two hexadecimal digits")
				}
				j += 3
			case strings.IndexByte("dDsSwW", n) >= 0, strings.IndexByte(regexSymbols, n) >= 0:
				j++
			default:
				return nil, errorf(off+j, msgChars, "unsupported escape \\%c in regular expression", n)
			}
		case strings.IndexByte(regexSymbols, c) >= 0:
		default:
			return nil, errorf(off+j, msgChars, "character %q is not allowed in a regular expression", string(c))
		}
	}
	re, err := regexp.Compile(body)
	if err != nil {
		return nil, errorf(off, msgInvalid, "invalid regular expression: %v", err)
	}
	return &regexTerm{src: body, re: re}, nil
}

func isHex(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// contains reports whether t occurs in message.
func (t *term) contains(message string) bool {
	if t.re != nil {
		return t.re.re.MatchString(message)
	}
	return strings.Contains(message, t.text)
}

// occurrences appends the ranges of t in message.
func (t *term) occurrences(message string, out []Range) []Range {
	if t.re != nil {
		for _, loc := range t.re.re.FindAllStringIndex(message, MaxHighlights) {
			if loc[1] > loc[0] {
				out = append(out, Range{loc[0], loc[1]})
			}
		}
		return out
	}
	if t.text == "" {
		return out
	}
	for i := 0; len(out) < MaxHighlights*2; {
		k := strings.Index(message[i:], t.text)
		if k < 0 {
			break
		}
		out = append(out, Range{i + k, i + k + len(t.text)})
		i += k + len(t.text)
	}
	return out
}

func (tp *termPattern) match(message string) ([]Range, bool) {
	for i := range tp.required {
		if !tp.required[i].contains(message) {
			return nil, false
		}
	}
	for i := range tp.excluded {
		if tp.excluded[i].contains(message) {
			return nil, false
		}
	}
	var ranges []Range
	if len(tp.optional) > 0 {
		found := false
		for i := range tp.optional {
			if tp.optional[i].contains(message) {
				found = true
				ranges = tp.optional[i].occurrences(message, ranges)
			}
		}
		if !found {
			return nil, false
		}
	}
	for i := range tp.required {
		ranges = tp.required[i].occurrences(message, ranges)
	}
	return mergeRanges(ranges), true
}

// mergeRanges sorts ranges and merges overlapping ones, keeping at most
// MaxHighlights.
func mergeRanges(rs []Range) []Range {
	if len(rs) == 0 {
		return nil
	}
	for i := 1; i < len(rs); i++ { // insertion sort: few ranges
		for j := i; j > 0 && rs[j].Start < rs[j-1].Start; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.Start <= last.End {
			last.End = max(last.End, r.End)
			continue
		}
		if len(out) == MaxHighlights {
			break
		}
		out = append(out, r)
	}
	return out
}
