// Package filterpattern parses and matches CloudWatch Logs filter patterns:
// the language of metric filters, subscription filters, FilterLogEvents and
// Live Tail (spec cloudwatch-and-logs.md §1).
//
// One parser covers every flavour, chosen by the first significant character:
//
//   - unstructured terms (`ERROR ?WARN -DEBUG "a phrase"`), matched as
//     case-sensitive substrings;
//   - a stand-alone regular expression `%...%` (RE2, restricted to AWS's
//     character set);
//   - JSON patterns `{ $.a.b[0] = "x" && $.n > 3 }`, whose selectors are
//     compiled from the syntax tree into a gojq program through core/jq
//     (never by splicing pattern text into jq source);
//   - space-delimited patterns `[ip, user, ..., status = 4*, bytes > 1000]`;
//   - the empty pattern, `""` and `" "`, which match every event.
//
// A [Pattern] is compiled once by [Parse], is immutable and is safe for
// concurrent use. Matching is bounded: JSON evaluation runs under a step
// budget and a nesting limit, regular expressions are RE2, and space-delimited
// matching is linear in the number of fields times the number of pattern slots.
package filterpattern

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the language (spec §1.1) and of this implementation.
const (
	// MaxLength is the longest pattern AWS accepts, in characters.
	MaxLength = 1024
	// MaxRegex is the most %regex% values in one JSON or space-delimited pattern.
	MaxRegex = 2
	// MaxWildcardSelectors is the most wildcard selectors in one JSON pattern.
	MaxWildcardSelectors = 3
	// MaxNesting is the deepest parenthesis nesting of a JSON pattern.
	MaxNesting = 32
	// MaxJSONSteps is the gojq step budget of one JSON match.
	MaxJSONSteps = 100_000
	// MaxJSONDepth is the deepest nesting of a JSON event that is still
	// considered for a JSON pattern; deeper events do not match.
	MaxJSONDepth = 200
	// MaxHighlights is the most highlight ranges one match reports.
	MaxHighlights = 64
)

// Kind is the flavour of a pattern.
type Kind int

// The kinds of pattern.
const (
	// KindEmpty matches every event: "", " ", `""` and `" "`.
	KindEmpty Kind = iota
	// KindTerms is an unstructured term pattern.
	KindTerms
	// KindRegex is a stand-alone %regex% pattern.
	KindRegex
	// KindJSON is a JSON pattern { ... }.
	KindJSON
	// KindSpace is a space-delimited pattern [ ... ].
	KindSpace
)

// String returns the kind's name: empty, terms, regex, json or space.
func (k Kind) String() string {
	switch k {
	case KindEmpty:
		return "empty"
	case KindTerms:
		return "terms"
	case KindRegex:
		return "regex"
	case KindJSON:
		return "json"
	case KindSpace:
		return "space"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Pattern is a compiled filter pattern. It is immutable and safe for
// concurrent use.
type Pattern struct {
	src   string
	kind  Kind
	terms *termPattern
	regex *regexTerm
	json  *jsonPattern
	space *spacePattern
}

// Parse compiles a filter pattern. An invalid pattern gives an *Error whose
// Message is AWS's InvalidParameterException message.
func Parse(pattern string) (p *Pattern, err error) {
	defer func() {
		if r := recover(); r != nil { // a bug must not take the caller down
			p, err = nil, errorf(0, msgInvalid, "internal error: %v", r)
		}
	}()
	if utf8.RuneCountInString(pattern) > MaxLength {
		return nil, &Error{Offset: MaxLength, Message: lengthMessage(pattern), Detail: "pattern longer than 1024 characters"}
	}
	p = &Pattern{src: pattern}
	trimmed := strings.TrimLeft(pattern, " \t\r\n")
	off := len(pattern) - len(trimmed)
	trimmed = strings.TrimRight(trimmed, " \t\r\n")
	switch {
	case trimmed == "" || isBlankQuoted(trimmed):
		p.kind = KindEmpty
	case trimmed[0] == '{':
		p.kind = KindJSON
		p.json, err = parseJSONPattern(pattern, off)
	case trimmed[0] == '[':
		p.kind = KindSpace
		p.space, err = parseSpacePattern(pattern, off)
	default:
		var tp *termPattern
		tp, err = parseTerms(pattern, off)
		if err == nil && len(tp.terms) == 1 && tp.terms[0].re != nil && tp.terms[0].prefix == 0 {
			p.kind = KindRegex
			p.regex = tp.terms[0].re
		} else if err == nil && tp.matchAll {
			p.kind = KindEmpty
		} else {
			p.kind = KindTerms
			p.terms = tp
		}
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// isBlankQuoted reports whether s is a double-quoted string of blanks only
// (`""`, `" "`), which AWS documents as "match everything".
func isBlankQuoted(s string) bool {
	return len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' && strings.Trim(s[1:len(s)-1], " \t") == ""
}

// String returns the pattern text as given to Parse.
func (p *Pattern) String() string { return p.src }

// Kind returns the pattern's flavour.
func (p *Pattern) Kind() Kind { return p.kind }

// SupportsDimensions reports whether a metric filter with this pattern may
// have dimensions: only JSON and space-delimited patterns may (spec §1.7).
func (p *Pattern) SupportsDimensions() bool { return p.kind == KindJSON || p.kind == KindSpace }

// HasRegex reports whether the pattern contains a %regex%: AWS allows at
// most 5 such metric and subscription filter patterns per log group (spec
// §1.1), a limit the service counts with this.
func (p *Pattern) HasRegex() bool {
	switch p.kind {
	case KindRegex:
		return true
	case KindTerms:
		for _, t := range p.terms.terms {
			if t.re != nil {
				return true
			}
		}
	case KindJSON:
		for _, c := range p.json.custom {
			if c.val.kind == valRegex {
				return true
			}
		}
	case KindSpace:
		for _, sl := range p.space.slots {
			for _, g := range sl.cond {
				for _, c := range g {
					if c.val.kind == valRegex {
						return true
					}
				}
			}
		}
	}
	return false
}

// Range is a half-open byte range [Start, End) of a log message.
type Range struct {
	// Start and End are byte offsets into the message.
	Start, End int
}

// Match is the result of a successful match: the values the pattern
// extracted and the parts of the message it matched. The zero Match is
// empty.
type Match struct {
	p       *Pattern
	message string
	doc     any     // decoded JSON event (json)
	fields  []field // tokens of the event (space)
	slots   []int   // pattern slot of each token, -1 for an ellipsis (space)
	ranges  []Range // highlight ranges (terms, regex)
}

// Match reports whether message matches the pattern and, if it does, what
// it extracted. A JSON pattern never matches a message that is not a JSON
// object or array.
func (p *Pattern) Match(message string) (Match, bool) {
	switch p.kind {
	case KindEmpty:
		return Match{p: p, message: message}, true
	case KindTerms:
		ranges, ok := p.terms.match(message)
		return Match{p: p, message: message, ranges: ranges}, ok
	case KindRegex:
		loc := p.regex.re.FindStringIndex(message)
		if loc == nil {
			return Match{}, false
		}
		return Match{p: p, message: message, ranges: []Range{{loc[0], loc[1]}}}, true
	case KindJSON:
		doc, ok := p.json.match(message)
		if !ok {
			return Match{}, false
		}
		return Match{p: p, message: message, doc: doc}, true
	case KindSpace:
		fields, slots, ok := p.space.match(message)
		if !ok {
			return Match{}, false
		}
		return Match{p: p, message: message, fields: fields, slots: slots}, true
	}
	return Match{}, false
}

// Matches reports whether message matches the pattern, without keeping what
// it extracted.
func (p *Pattern) Matches(message string) bool {
	_, ok := p.Match(message)
	return ok
}

// Message returns the matched message.
func (m Match) Message() string { return m.message }

// ExtractedValues returns the values as TestMetricFilter reports them in
// extractedValues: for a space-delimited pattern "$name" for every named
// field and "$N" (1-based position in the event) for fields matched by an
// unnamed slot or an ellipsis; for a JSON pattern the value each selector of
// the pattern selected, keyed by the selector as written ("$.a.b"); empty for
// other patterns. The map is new on every call.
func (m Match) ExtractedValues() map[string]string {
	out := map[string]string{}
	if m.p == nil {
		return out
	}
	switch m.p.kind {
	case KindSpace:
		for i, f := range m.fields {
			s := m.slots[i]
			if s >= 0 && m.p.space.slots[s].name != "" {
				out["$"+m.p.space.slots[s].name] = f.value
			} else {
				out["$"+strconv.Itoa(i+1)] = f.value
			}
		}
	case KindJSON:
		for _, sel := range m.p.json.selectors {
			if v, ok := sel.first(m.doc); ok {
				if s, ok := scalarText(v); ok {
					out[sel.text] = s
				}
			}
		}
	}
	return out
}

// Highlights returns the byte ranges of the message that the pattern
// matched, in order and without overlaps: every occurrence of a required
// term (or, for an OR pattern, of each optional term), the regex match, or
// the fields of a space-delimited pattern that carry a condition (all named
// fields when none does). JSON patterns report the whole message.
func (m Match) Highlights() []Range {
	if m.p == nil {
		return nil
	}
	switch m.p.kind {
	case KindTerms, KindRegex:
		return append([]Range(nil), m.ranges...)
	case KindJSON:
		return []Range{{0, len(m.message)}}
	case KindSpace:
		var out []Range
		constrained := false
		for _, sl := range m.p.space.slots {
			if sl.cond != nil {
				constrained = true
			}
		}
		for i, f := range m.fields {
			s := m.slots[i]
			if s < 0 {
				continue
			}
			sl := m.p.space.slots[s]
			if (constrained && sl.cond != nil) || (!constrained && sl.name != "") {
				out = append(out, Range{f.start, f.end})
			}
		}
		return out
	}
	return nil
}
