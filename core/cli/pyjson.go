package cli

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
)

// pyJSONError is a JSON syntax error worded as Python's json module words it:
// "Expecting value: line 1 column 1 (char 0)".
type pyJSONError struct {
	msg       string
	line, col int
	pos       int
}

func (e *pyJSONError) Error() string {
	return fmt.Sprintf("%s: line %d column %d (char %d)", e.msg, e.line, e.col, e.pos)
}

// maxJSONDepth bounds nesting, where Python would raise RecursionError.
const maxJSONDepth = 500

// pyJSONLoads decodes JSON as Python's json.loads does: objects become
// *pyDict (ordered when ordered is set, as with object_pairs_hook=OrderedDict),
// integers *big.Int, other numbers float64, and NaN/Infinity are accepted.
func pyJSONLoads(s string, ordered bool) (any, error) {
	d := &pyJSONDecoder{s: []rune(s), ordered: ordered}
	i := d.ws(0)
	v, end, err := d.value(i, 0)
	if err != nil {
		return nil, err
	}
	end = d.ws(end)
	if end != len(d.s) {
		return nil, d.err("Extra data", end)
	}
	return v, nil
}

type pyJSONDecoder struct {
	s       []rune
	ordered bool
}

func (d *pyJSONDecoder) err(msg string, pos int) error {
	line := 1
	last := -1
	for i := 0; i < pos && i < len(d.s); i++ {
		if d.s[i] == '\n' {
			line++
			last = i
		}
	}
	return &pyJSONError{msg: msg, line: line, col: pos - last, pos: pos}
}

func (d *pyJSONDecoder) ws(i int) int {
	for i < len(d.s) && (d.s[i] == ' ' || d.s[i] == '\t' || d.s[i] == '\n' || d.s[i] == '\r') {
		i++
	}
	return i
}

func (d *pyJSONDecoder) has(i int, lit string) bool {
	r := []rune(lit)
	if i+len(r) > len(d.s) {
		return false
	}
	for j, c := range r {
		if d.s[i+j] != c {
			return false
		}
	}
	return true
}

// value scans one value at i (no leading white space), as scan_once does.
func (d *pyJSONDecoder) value(i, depth int) (any, int, error) {
	if depth > maxJSONDepth {
		return nil, i, fmt.Errorf("maximum recursion depth exceeded while decoding a JSON document")
	}
	if i >= len(d.s) {
		return nil, i, d.err("Expecting value", i)
	}
	switch c := d.s[i]; {
	case c == '"':
		return d.str(i + 1)
	case c == '{':
		return d.object(i+1, depth)
	case c == '[':
		return d.array(i+1, depth)
	case c == 'n' && d.has(i, "null"):
		return nil, i + 4, nil
	case c == 't' && d.has(i, "true"):
		return true, i + 4, nil
	case c == 'f' && d.has(i, "false"):
		return false, i + 5, nil
	case c == 'N' && d.has(i, "NaN"):
		return math.NaN(), i + 3, nil
	case c == 'I' && d.has(i, "Infinity"):
		return math.Inf(1), i + 8, nil
	case c == '-' && d.has(i, "-Infinity"):
		return math.Inf(-1), i + 9, nil
	}
	return d.number(i)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// number matches (-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?
func (d *pyJSONDecoder) number(i int) (any, int, error) {
	start := i
	j := i
	if j < len(d.s) && d.s[j] == '-' {
		j++
	}
	switch {
	case j < len(d.s) && d.s[j] == '0':
		j++
	case j < len(d.s) && d.s[j] >= '1' && d.s[j] <= '9':
		for j < len(d.s) && isDigit(d.s[j]) {
			j++
		}
	default:
		return nil, start, d.err("Expecting value", start)
	}
	isFloat := false
	if j+1 < len(d.s) && d.s[j] == '.' && isDigit(d.s[j+1]) {
		isFloat = true
		j += 2
		for j < len(d.s) && isDigit(d.s[j]) {
			j++
		}
	}
	if j < len(d.s) && (d.s[j] == 'e' || d.s[j] == 'E') {
		k := j + 1
		if k < len(d.s) && (d.s[k] == '+' || d.s[k] == '-') {
			k++
		}
		if k < len(d.s) && isDigit(d.s[k]) {
			for k < len(d.s) && isDigit(d.s[k]) {
				k++
			}
			isFloat, j = true, k
		}
	}
	text := string(d.s[start:j])
	if isFloat {
		f, _ := strconv.ParseFloat(text, 64)
		return f, j, nil
	}
	n, _ := new(big.Int).SetString(text, 10)
	return n, j, nil
}

func (d *pyJSONDecoder) str(i int) (any, int, error) {
	begin := i - 1
	var b strings.Builder
	for {
		if i >= len(d.s) {
			return nil, i, d.err("Unterminated string starting at", begin)
		}
		c := d.s[i]
		switch {
		case c == '"':
			return b.String(), i + 1, nil
		case c == '\\':
			i++
			if i >= len(d.s) {
				return nil, i, d.err("Unterminated string starting at", begin)
			}
			e := d.s[i]
			switch e {
			case '"', '\\', '/':
				b.WriteRune(e)
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
				r, ok := d.hex4(i + 1)
				if !ok {
					return nil, i, d.err("Invalid \\uXXXX escape", i-1)
				}
				i += 4
				if utf16.IsSurrogate(r) && r < 0xdc00 && d.has(i+1, "\\u") {
					if r2, ok := d.hex4(i + 3); ok && r2 >= 0xdc00 && r2 <= 0xdfff {
						r = utf16.DecodeRune(r, r2)
						i += 6
					}
				}
				b.WriteRune(r)
			default:
				return nil, i, d.err(fmt.Sprintf("Invalid \\escape: %s", pyStringRepr(string(e))), i-1)
			}
			i++
		case c < 0x20:
			return nil, i, d.err(fmt.Sprintf("Invalid control character %s at", pyStringRepr(string(c))), i)
		default:
			b.WriteRune(c)
			i++
		}
	}
}

func (d *pyJSONDecoder) hex4(i int) (rune, bool) {
	if i+4 > len(d.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.s[i:i+4]), 16, 32)
	if err != nil || strings.ContainsAny(string(d.s[i:i+4]), "+-") {
		return 0, false
	}
	return rune(n), true
}

func (d *pyJSONDecoder) object(i, depth int) (any, int, error) {
	obj := newDict()
	obj.ordered = d.ordered
	i = d.ws(i)
	if i < len(d.s) && d.s[i] == '}' {
		return obj, i + 1, nil
	}
	if i >= len(d.s) || d.s[i] != '"' {
		return nil, i, d.err("Expecting property name enclosed in double quotes", i)
	}
	i++
	for {
		k, end, err := d.str(i)
		if err != nil {
			return nil, end, err
		}
		i = d.ws(end)
		if i >= len(d.s) || d.s[i] != ':' {
			return nil, i, d.err("Expecting ':' delimiter", i)
		}
		i = d.ws(i + 1)
		v, end, err := d.value(i, depth+1)
		if err != nil {
			return nil, end, err
		}
		obj.set(k.(string), v)
		i = d.ws(end)
		if i < len(d.s) && d.s[i] == '}' {
			return obj, i + 1, nil
		}
		if i >= len(d.s) || d.s[i] != ',' {
			return nil, i, d.err("Expecting ',' delimiter", i)
		}
		comma := i
		i = d.ws(i + 1)
		if i < len(d.s) && d.s[i] == '}' {
			return nil, i, d.err("Illegal trailing comma before end of object", comma)
		}
		if i >= len(d.s) || d.s[i] != '"' {
			return nil, i, d.err("Expecting property name enclosed in double quotes", i)
		}
		i++
	}
}

func (d *pyJSONDecoder) array(i, depth int) (any, int, error) {
	out := []any{}
	i = d.ws(i)
	if i < len(d.s) && d.s[i] == ']' {
		return out, i + 1, nil
	}
	for {
		v, end, err := d.value(i, depth+1)
		if err != nil {
			return nil, end, err
		}
		out = append(out, v)
		i = d.ws(end)
		if i < len(d.s) && d.s[i] == ']' {
			return out, i + 1, nil
		}
		if i >= len(d.s) || d.s[i] != ',' {
			return nil, i, d.err("Expecting ',' delimiter", i)
		}
		comma := i
		i = d.ws(i + 1)
		if i < len(d.s) && d.s[i] == ']' {
			return nil, i, d.err("Illegal trailing comma before end of array", comma)
		}
	}
}
