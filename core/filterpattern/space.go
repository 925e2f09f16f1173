package filterpattern

import (
	"strings"
	"unicode/utf8"
)

// maxSpaceSteps bounds the slot-against-field comparisons of one
// space-delimited match with several ellipses; a match needing more fails.
const maxSpaceSteps = 1_000_000

// slot is one comma-separated element of a space-delimited pattern.
type slot struct {
	name     string
	ellipsis bool
	// cond is the slot's condition in disjunctive form: the field matches
	// when every condition of some group holds. nil means no condition.
	cond [][]condition
}

// spacePattern is a compiled space-delimited pattern.
type spacePattern struct {
	slots    []slot
	anyCount bool // an ellipsis is present
	matchAll bool // [] : no slots
}

// field is one field of a space-delimited event.
type field struct {
	start, end int    // byte range in the message, delimiters included
	value      string // text without [ ] or " " delimiters
}

func parseSpacePattern(src string, off int) (*spacePattern, error) {
	sp := &spacePattern{}
	i := off + 1
	regexes := 0
	closed := false
	for !closed {
		for i < len(src) && isBlank(src[i]) {
			i++
		}
		if i >= len(src) {
			return nil, errorf(i, msgInvalid, "missing ']' at the end of a space-delimited pattern")
		}
		start := i
		var sl slot
		switch {
		case strings.HasPrefix(src[i:], "..."):
			sl.ellipsis = true
			sp.anyCount = true
			i += 3
		case src[i] == ',' || src[i] == ']':
			// an unnamed field
		default:
			name, j := readName(src, i)
			if name == "" {
				return nil, errorf(i, msgInvalid, "unexpected %q, expected a field name, '...' or ','", firstRune(src[i:]))
			}
			sl.name = name
			i = j
			for i < len(src) && isBlank(src[i]) {
				i++
			}
			if i < len(src) && src[i] != ',' && src[i] != ']' {
				var err error
				sl.cond, i, err = parseSlotConditions(src, start, &regexes)
				if err != nil {
					return nil, err
				}
			}
		}
		for i < len(src) && isBlank(src[i]) {
			i++
		}
		if i >= len(src) {
			return nil, errorf(i, msgInvalid, "missing ']' at the end of a space-delimited pattern")
		}
		switch src[i] {
		case ',':
		case ']':
			closed = true
		default:
			return nil, errorf(i, msgInvalid, "unexpected %q, expected ',' or ']'", firstRune(src[i:]))
		}
		i++
		sp.slots = append(sp.slots, sl)
	}
	for i < len(src) && isBlank(src[i]) {
		i++
	}
	if i < len(src) {
		return nil, errorf(i, msgInvalid, "unexpected %q after ']'", firstRune(src[i:]))
	}
	if len(sp.slots) == 1 && sp.slots[0].name == "" && !sp.slots[0].ellipsis {
		sp.slots = nil // "[]": AWS accepts it; it constrains nothing
		sp.matchAll = true
	}
	return sp, nil
}

func readName(src string, i int) (string, int) {
	j := i
	for j < len(src) {
		r, size := utf8.DecodeRuneInString(src[j:])
		if !isWordRune(r) && r != '-' {
			break
		}
		j += size
	}
	return src[i:j], j
}

// parseSlotConditions parses `name op value ( (&&|||) name op value )*` at
// src[start], where every name must be the slot's name.
func parseSlotConditions(src string, start int, regexes *int) ([][]condition, int, error) {
	var groups [][]condition
	var group []condition
	var first string
	i := start
	for {
		for i < len(src) && isBlank(src[i]) {
			i++
		}
		name, j := readName(src, i)
		if name == "" {
			return nil, i, errorf(i, msgInvalid, "expected a field name in a condition")
		}
		if first == "" {
			first = name
		} else if name != first {
			return nil, i, errorf(i, msgInvalid, "a condition in the slot of field %q refers to field %q: conditions may only test their own field", first, name)
		}
		i = j
		for i < len(src) && isBlank(src[i]) {
			i++
		}
		op, ok := readOp(src, i)
		if !ok {
			return nil, i, errorf(i, msgInvalid, "expected a comparison operator (=, !=, <, >, <=, >=) after field %q", name)
		}
		i += len(op)
		for i < len(src) && isBlank(src[i]) {
			i++
		}
		val, end, err := readValue(src, i, ",]&|")
		if err != nil {
			return nil, i, err
		}
		if err := checkValue(op, val, i); err != nil {
			return nil, i, err
		}
		if val.kind == valRegex {
			*regexes++
			if *regexes > MaxRegex {
				return nil, i, errorf(i, msgTooManyRegex, "at most %d regular expressions in one pattern", MaxRegex)
			}
		}
		i = end
		group = append(group, condition{op: op, val: val})
		for i < len(src) && isBlank(src[i]) {
			i++
		}
		switch {
		case strings.HasPrefix(src[i:], "&&"):
			i += 2
		case strings.HasPrefix(src[i:], "||"):
			groups = append(groups, group)
			group = nil
			i += 2
		default:
			groups = append(groups, group)
			return groups, i, nil
		}
	}
}

// test reports whether a field value satisfies the slot's condition.
func (sl *slot) test(s string) bool {
	if sl.cond == nil {
		return true
	}
	for _, g := range sl.cond {
		ok := true
		for i := range g {
			if !g[i].testText(s) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// nextField returns the field starting at or after message[i] and the
// offset after it; ok is false at the end of the message. Text in [ ] or
// " " is one field whose value drops the delimiters.
func nextField(message string, i int) (f field, next int, ok bool) {
	for i < len(message) && isBlank(message[i]) {
		i++
	}
	if i >= len(message) {
		return field{}, i, false
	}
	start := i
	if c := message[i]; c == '[' || c == '"' {
		closer := byte(']')
		if c == '"' {
			closer = '"'
		}
		if k := strings.IndexByte(message[i+1:], closer); k >= 0 {
			end := i + 1 + k
			return field{start: start, end: end + 1, value: message[i+1 : end]}, end + 1, true
		}
	}
	for i < len(message) && !isBlank(message[i]) {
		i++
	}
	return field{start: start, end: i, value: message[start:i]}, i, true
}

// splitFields splits a message into whitespace-separated fields.
func splitFields(message string) []field {
	fields := make([]field, 0, 16)
	for i := 0; ; {
		f, next, ok := nextField(message, i)
		if !ok {
			return fields
		}
		fields = append(fields, f)
		i = next
	}
}

// matchFixed matches a pattern without ellipsis field by field, and builds
// the fields only for a match.
func (sp *spacePattern) matchFixed(message string) ([]field, []int, bool) {
	i := 0
	for s := range sp.slots {
		f, next, ok := nextField(message, i)
		if !ok || !sp.slots[s].test(f.value) {
			return nil, nil, false
		}
		i = next
	}
	if _, _, more := nextField(message, i); more {
		return nil, nil, false
	}
	fields := splitFields(message)
	slots := make([]int, len(fields))
	for k := range slots {
		slots[k] = k
	}
	return fields, slots, true
}

// match matches the message's fields against the slots. Without an
// ellipsis the event must have exactly one field per slot; each ellipsis
// absorbs any number of fields. It returns the fields and, for each, the
// slot that matched it (-1 for an ellipsis).
func (sp *spacePattern) match(message string) ([]field, []int, bool) {
	if !sp.matchAll && !sp.anyCount {
		return sp.matchFixed(message)
	}
	fields := splitFields(message)
	if sp.matchAll {
		slots := make([]int, len(fields))
		for i := range slots {
			slots[i] = -1
		}
		return fields, slots, true
	}
	// Greedy matching with backtracking to the last ellipsis: correct
	// because every other slot matches exactly one field.
	slotField := make([]int, len(sp.slots))
	si, fi := 0, 0
	star, starField := -1, 0
	steps := 0
	for fi < len(fields) {
		steps++
		if steps > maxSpaceSteps {
			return nil, nil, false
		}
		if si < len(sp.slots) && !sp.slots[si].ellipsis && sp.slots[si].test(fields[fi].value) {
			slotField[si] = fi
			si++
			fi++
			continue
		}
		if si < len(sp.slots) && sp.slots[si].ellipsis {
			star, starField = si, fi
			si++
			continue
		}
		if star >= 0 {
			starField++
			si, fi = star+1, starField
			continue
		}
		return nil, nil, false
	}
	for si < len(sp.slots) && sp.slots[si].ellipsis {
		si++
	}
	if si != len(sp.slots) {
		return nil, nil, false
	}
	assign := make([]int, len(fields))
	for i := range assign {
		assign[i] = -1
	}
	for s, f := range slotField {
		if !sp.slots[s].ellipsis {
			assign[f] = s
		}
	}
	return fields, assign, true
}
