package cli

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The AWS CLI is a Python program, and much of what it prints is Python's
// rendering of Python values: str() of a dict in a validation message, repr()
// of a float in JSON output, True and None in text output. The CLI side of
// telltale therefore works on a small model of Python's values:
//
//	nil        None
//	bool       bool
//	*big.Int   int (request values: Python ints have no bound)
//	int64      int (response values)
//	float64    float
//	string     str
//	[]any      list
//	*pyDict    dict, with its insertion order (OrderedDict when ordered)

// pyDict is a Python dict: keys in insertion order.
type pyDict struct {
	keys []string
	vals map[string]any
	// ordered marks an OrderedDict (what the CLI's JSON parsing builds), which
	// Python prints differently from a dict.
	ordered bool
}

func newDict() *pyDict { return &pyDict{vals: map[string]any{}} }

// get returns the value of key.
func (d *pyDict) get(key string) (any, bool) {
	if d == nil {
		return nil, false
	}
	v, ok := d.vals[key]
	return v, ok
}

// set sets key, keeping the position of an existing key.
func (d *pyDict) set(key string, v any) {
	if _, ok := d.vals[key]; !ok {
		d.keys = append(d.keys, key)
	}
	d.vals[key] = v
}

// del removes key.
func (d *pyDict) del(key string) {
	if _, ok := d.vals[key]; !ok {
		return
	}
	delete(d.vals, key)
	for i, k := range d.keys {
		if k == key {
			d.keys = append(d.keys[:i:i], d.keys[i+1:]...)
			break
		}
	}
}

func (d *pyDict) len() int { return len(d.keys) }

// pyStr is Python's str() of a value.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// pyRepr is Python's repr() of a value.
func pyRepr(v any) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

func writeRepr(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case *big.Int:
		b.WriteString(x.String())
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		b.WriteString(pyFloat(x))
	case string:
		b.WriteString(pyStringRepr(x))
	case blobValue:
		b.WriteString(pyBytesRepr(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e)
		}
		b.WriteByte(']')
	case *pyDict:
		if x.ordered {
			b.WriteString("OrderedDict(")
		}
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pyStringRepr(k))
			b.WriteString(": ")
			writeRepr(b, x.vals[k])
		}
		b.WriteByte('}')
		if x.ordered {
			b.WriteByte(')')
		}
	default:
		fmt.Fprint(b, x)
	}
}

// pyTypeName is what Python prints for type(v).
func pyTypeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "<class 'NoneType'>"
	case bool:
		return "<class 'bool'>"
	case *big.Int, int64, int:
		return "<class 'int'>"
	case float64:
		return "<class 'float'>"
	case string:
		return "<class 'str'>"
	case blobValue:
		return "<class 'bytes'>"
	case []any:
		return "<class 'list'>"
	case *pyDict:
		if x.ordered {
			return "<class 'collections.OrderedDict'>"
		}
		return "<class 'dict'>"
	}
	return "<class 'object'>"
}

// pyStringRepr is Python's repr() of a str: single quotes unless the string
// holds a single quote and no double quote.
func pyStringRepr(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// pyFloat formats a float as Python's repr does: 1.0, 0.1, 1e+16, 1e-05,
// inf, nan.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	// Python uses the shortest repr; scientific when the exponent is < -4 or
	// >= 16.
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// pyIsSpace reports whether Python's str.isspace() holds for r.
func pyIsSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0,
		0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// pyStrip is Python's str.strip() without arguments.
func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pyRStrip is Python's str.rstrip() without arguments.
func pyRStrip(s string) string { return strings.TrimRightFunc(s, pyIsSpace) }

// pyLStrip is Python's str.lstrip() without arguments.
func pyLStrip(s string) string { return strings.TrimLeftFunc(s, pyIsSpace) }

// pyInt parses a string as Python's int() does, with its error message.
func pyInt(s string) (*big.Int, error) {
	t := strings.ReplaceAll(pyStrip(s), "_", "")
	bad := t == "" || strings.HasPrefix(pyStrip(s), "_") || strings.HasSuffix(pyStrip(s), "_") || strings.Contains(s, "__")
	n := new(big.Int)
	if !bad {
		if _, ok := n.SetString(t, 10); !ok || strings.HasPrefix(strings.TrimLeft(t, "+-"), "+") || strings.HasPrefix(strings.TrimLeft(t, "+-"), "-") {
			bad = true
		}
	}
	if bad {
		return nil, fmt.Errorf("invalid literal for int() with base 10: %s", pyStringRepr(s))
	}
	return n, nil
}

// pyFloatParse parses a string as Python's float() does, with its error
// message.
func pyFloatParse(s string) (float64, error) {
	t := pyStrip(s)
	low := strings.ToLower(strings.TrimLeft(t, "+-"))
	switch low {
	case "inf", "infinity", "nan":
		f, _ := strconv.ParseFloat(strings.Replace(t, "inity", "", 1), 64)
		if low == "nan" {
			f = math.NaN()
		}
		return f, nil
	}
	if t != "" && !strings.ContainsAny(t, "xXpP") && !strings.HasPrefix(t, "_") && !strings.HasSuffix(t, "_") && !strings.Contains(t, "__") {
		if f, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64); err == nil || isRangeErr(err) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("could not convert string to float: %s", pyStringRepr(s))
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
