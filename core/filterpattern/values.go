package filterpattern

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// valueKind is the kind of a comparison value.
type valueKind int

const (
	valString   valueKind = iota // "text" or bare text
	valNumber                    // 12, -1.5, 1e3
	valWildcard                  // * or "*": any value
	valGlob                      // text with a leading and/or trailing *
	valRegex                     // %regex%
)

// value is the right-hand side of a condition.
type value struct {
	kind   valueKind
	text   string  // string text, number text, glob core
	num    float64 // number
	prefix bool    // glob: leading * (text is a suffix)
	suffix bool    // glob: trailing * (text is a prefix)
	re     *regexTerm
}

// condition is `op value` of a JSON or space-delimited pattern.
type condition struct {
	op  string // = != < > <= >=
	val value
}

var numberRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// makeValue classifies the text of a value (quoted says whether it was
// double-quoted).
func makeValue(text string, quoted bool) value {
	if text == "*" {
		return value{kind: valWildcard}
	}
	if !quoted && numberRE.MatchString(text) {
		f, err := strconv.ParseFloat(text, 64)
		if err == nil && !math.IsInf(f, 0) {
			return value{kind: valNumber, text: text, num: f}
		}
	}
	lead := strings.HasPrefix(text, "*")
	trail := len(text) > 1 && strings.HasSuffix(text, "*")
	if lead || trail {
		core := text
		if lead {
			core = core[1:]
		}
		if trail {
			core = core[:len(core)-1]
		}
		return value{kind: valGlob, text: core, prefix: lead, suffix: trail}
	}
	return value{kind: valString, text: text}
}

// globMatch reports whether s matches a glob value: a star in the middle is
// literal (spec §1.4).
func (v *value) globMatch(s string) bool {
	switch {
	case v.prefix && v.suffix:
		return strings.Contains(s, v.text)
	case v.prefix:
		return strings.HasSuffix(s, v.text)
	default:
		return strings.HasPrefix(s, v.text)
	}
}

// testText reports whether the text s satisfies the condition: used for
// space-delimited fields, and for globs and regexes on JSON strings and
// numbers.
func (c *condition) testText(s string) bool {
	v := &c.val
	switch v.kind {
	case valWildcard:
		return c.op == "="
	case valRegex:
		return v.re.re.MatchString(s) == (c.op == "=")
	case valGlob:
		return v.globMatch(s) == (c.op == "=")
	case valNumber:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || !numberRE.MatchString(s) {
			switch c.op {
			case "=":
				return s == v.text
			case "!=":
				return s != v.text
			}
			return false
		}
		return compareNumbers(c.op, f, v.num)
	default:
		if c.op == "=" {
			return s == v.text
		}
		return s != v.text
	}
}

func compareNumbers(op string, a, b float64) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case ">":
		return a > b
	case "<=":
		return a <= b
	case ">=":
		return a >= b
	}
	return false
}

// scalarText is the text of a JSON scalar as extractedValues and metric
// values show it.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int:
		return strconv.Itoa(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e21 {
			return strconv.FormatFloat(x, 'f', -1, 64), true
		}
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case *big.Int:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	case nil:
		return "null", true
	}
	return "", false
}
