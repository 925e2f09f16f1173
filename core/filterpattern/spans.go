package filterpattern

import "encoding/json"

// Spans returns the byte ranges of the message a console highlights for the
// match, in order and without overlaps. They are the ranges of Highlights,
// except for a JSON pattern: there they are the values its selectors select
// in the message's text (the first value of each selector, a string without
// its quotes; every value of a selector with a wildcard), rather than the
// whole message. A selector whose value is not
// in the message highlights nothing.
//
// Spans scans the message again; matching does not pay for it.
func (m Match) Spans() []Range {
	if m.p == nil || m.p.kind != KindJSON {
		return m.Highlights()
	}
	sc := spanScanner{src: m.message, sels: m.p.json.selectors, found: make([]bool, len(m.p.json.selectors))}
	i := sc.ws(0)
	sc.value(i, 0)
	return mergeRanges(sc.out)
}

func (sel *selector) hasWildcard() bool {
	for _, st := range sel.steps {
		if st.kind == stepAny {
			return true
		}
	}
	return false
}

// pathStep is one step of the path of a value in a JSON text: an object key,
// or an array index when isIndex.
type pathStep struct {
	key     string
	index   int
	isIndex bool
}

// spanScanner finds where the values selected by a pattern's selectors are
// in a JSON text. It reads the text once, keeping the path of the value it
// is in; it gives up (leaving what it found) on text that is not JSON.
type spanScanner struct {
	src   string
	sels  []*selector
	found []bool // the selector's first value was found
	path  []pathStep
	out   []Range
	steps int
}

func (sc *spanScanner) ws(i int) int {
	for i < len(sc.src) {
		switch sc.src[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// selected records the value at [start, end) for every selector not yet
// satisfied whose steps match the current path.
func (sc *spanScanner) selected(start, end int) {
	for k, sel := range sc.sels {
		if sc.found[k] || len(sel.steps) != len(sc.path) {
			continue
		}
		ok := true
		for j, st := range sel.steps {
			p := sc.path[j]
			switch st.kind {
			case stepKey:
				ok = !p.isIndex && p.key == st.key
			case stepIndex:
				ok = p.isIndex && p.index == st.index
			}
			if !ok {
				break
			}
		}
		if !ok {
			continue
		}
		sc.found[k] = !sel.hasWildcard()
		r := Range{start, end}
		if end-start > 2 && sc.src[start] == '"' {
			r = Range{start + 1, end - 1}
		}
		sc.out = append(sc.out, r)
	}
}

// value reads the value at i and returns the index after it, or -1.
func (sc *spanScanner) value(i, depth int) int {
	sc.steps++
	if i >= len(sc.src) || depth > MaxJSONDepth || sc.steps > MaxJSONSteps {
		return -1
	}
	start := i
	switch c := sc.src[i]; {
	case c == '{':
		i = sc.ws(i + 1)
		if i < len(sc.src) && sc.src[i] == '}' {
			i++
			break
		}
		for {
			if i >= len(sc.src) || sc.src[i] != '"' {
				return -1
			}
			kend := sc.str(i)
			if kend < 0 {
				return -1
			}
			key := sc.src[i+1 : kend-1]
			for j := i + 1; j < kend-1; j++ {
				if sc.src[j] == '\\' {
					if json.Unmarshal([]byte(sc.src[i:kend]), &key) != nil {
						return -1
					}
					break
				}
			}
			i = sc.ws(kend)
			if i >= len(sc.src) || sc.src[i] != ':' {
				return -1
			}
			sc.path = append(sc.path, pathStep{key: key})
			i = sc.value(sc.ws(i+1), depth+1)
			sc.path = sc.path[:len(sc.path)-1]
			if i < 0 {
				return -1
			}
			i = sc.ws(i)
			if i < len(sc.src) && sc.src[i] == ',' {
				i = sc.ws(i + 1)
				continue
			}
			if i < len(sc.src) && sc.src[i] == '}' {
				i++
				break
			}
			return -1
		}
	case c == '[':
		i = sc.ws(i + 1)
		if i < len(sc.src) && sc.src[i] == ']' {
			i++
			break
		}
		for n := 0; ; n++ {
			sc.path = append(sc.path, pathStep{index: n, isIndex: true})
			i = sc.value(i, depth+1)
			sc.path = sc.path[:len(sc.path)-1]
			if i < 0 {
				return -1
			}
			i = sc.ws(i)
			if i < len(sc.src) && sc.src[i] == ',' {
				i = sc.ws(i + 1)
				continue
			}
			if i < len(sc.src) && sc.src[i] == ']' {
				i++
				break
			}
			return -1
		}
	case c == '"':
		if i = sc.str(i); i < 0 {
			return -1
		}
	default:
		for i < len(sc.src) {
			if c := sc.src[i]; c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				break
			}
			i++
		}
		if i == start {
			return -1
		}
	}
	sc.selected(start, i)
	return i
}

// str returns the index after the string starting at i, or -1.
func (sc *spanScanner) str(i int) int {
	for j := i + 1; j < len(sc.src); j++ {
		switch sc.src[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}
