package eventpattern

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Explanation says why a pattern matches an event or not.
type Explanation struct {
	// Matched reports whether the pattern matches.
	Matched bool
	// Branches holds one entry per $or alternative (one for a pattern
	// without $or): the fields that failed in it, in pattern order.
	Branches []BranchExplanation
}

// BranchExplanation lists the failures of one alternative.
type BranchExplanation struct {
	Failures []FieldFailure
	// Inconsistent is set when every field matches on its own but only with
	// values from different elements of the same array.
	Inconsistent bool
}

// FieldFailure is one field that did not match.
type FieldFailure struct {
	// Field is the dot-joined path.
	Field string
	// Condition is the pattern's match list in JSON.
	Condition string
	// Seen are the event's values at the path in JSON (empty when absent).
	Seen []string
}

// String renders the explanation for people.
func (e Explanation) String() string {
	if e.Matched {
		return "The pattern matches the event."
	}
	var b strings.Builder
	b.WriteString("The pattern does not match the event.")
	for i, br := range e.Branches {
		prefix := "\n"
		if len(e.Branches) > 1 {
			fmt.Fprintf(&b, "\nAlternative %d of %d ($or):", i+1, len(e.Branches))
			prefix = "\n  "
		}
		if br.Inconsistent {
			b.WriteString(prefix + "Each field matches on its own, but not inside the same element of the array they share.")
		}
		for _, f := range br.Failures {
			b.WriteString(prefix)
			if len(f.Seen) == 0 {
				fmt.Fprintf(&b, "%s: expected %s, but the event has no value there.", f.Field, f.Condition)
			} else {
				fmt.Fprintf(&b, "%s: expected %s, but the event has %s.", f.Field, f.Condition, strings.Join(f.Seen, ", "))
			}
		}
	}
	return b.String()
}

// Explain matches a pattern against an event and explains the result: for a
// non-match, which field failed, what the condition was and what value the
// event holds.
func Explain(p *Pattern, event []byte) (Explanation, error) {
	s := newNativeSet()
	s.addPattern(p)
	ids, err := s.Match(event, nil)
	if err != nil {
		return Explanation{}, err
	}
	if len(ids) > 0 {
		return Explanation{Matched: true}, nil
	}
	var out Explanation
	sc := &s.sc
	for bi := range s.branches {
		b := &s.branches[bi]
		var be BranchExplanation
		for fi := range b.fields {
			f := &b.fields[fi]
			var seen []string
			ok := false
			head := sc.heads[f.id]
			for li := head; li >= 0; li = sc.leaves[li].next {
				l := &sc.leaves[li]
				seen = append(seen, leafJSON(l))
				if leafMatches(f.matchers, l) {
					ok = true
				}
			}
			if head < 0 && f.absentOK {
				ok = true
			}
			if !ok {
				be.Failures = append(be.Failures, FieldFailure{Field: f.name, Condition: matchersJSON(f.matchers), Seen: seen})
			}
		}
		if len(be.Failures) == 0 {
			be.Inconsistent = true
		}
		out.Branches = append(out.Branches, be)
	}
	return out, nil
}

func leafJSON(l *leaf) string {
	if l.typ == lString {
		return strconv.Quote(l.text)
	}
	return l.text
}

func matchersJSON(ms []Matcher) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "one of [" + strings.Join(parts, ", ") + "]"
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// String renders a matcher as pattern JSON.
func (m Matcher) String() string {
	switch m.Kind {
	case Exact:
		if m.Value.Type == String {
			return jsonString(m.Value.Text)
		}
		return m.Value.Text
	case Prefix, Suffix:
		if m.IgnoreCase {
			return fmt.Sprintf(`{"%s": {"equals-ignore-case": %s}}`, m.Kind, jsonString(m.Str))
		}
		return fmt.Sprintf(`{"%s": %s}`, m.Kind, jsonString(m.Str))
	case EqualsIgnoreCase, Wildcard, CIDR:
		return fmt.Sprintf(`{"%s": %s}`, m.Kind, jsonString(m.Str))
	case Exists:
		return fmt.Sprintf(`{"exists": %t}`, m.Exists)
	case Numeric:
		return `{"numeric": ` + m.Range.Text + `}`
	case AnythingBut:
		e := m.But
		var vals []string
		if e.IsNumber {
			for _, n := range e.Numbers {
				vals = append(vals, strconv.FormatFloat(n, 'g', -1, 64))
			}
		} else {
			for _, s := range e.Strings {
				vals = append(vals, jsonString(s))
			}
		}
		v := vals[0]
		if len(vals) > 1 {
			v = "[" + strings.Join(vals, ", ") + "]"
		}
		if e.Kind != Exact {
			v = fmt.Sprintf(`{"%s": %s}`, e.Kind, v)
		}
		return `{"anything-but": ` + v + `}`
	}
	return "?"
}
