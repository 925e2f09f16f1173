package jq

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Literal returns jq source text that evaluates to the JSON value v. It is
// the one function through which user values enter jq source: strings are
// written as jq string literals with every quote, backslash and control
// character escaped (so no interpolation `\(` and no end of the literal can
// appear), numbers as plain or parenthesised negative literals, and arrays
// and objects element by element with sorted keys. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does. A value of any other Go type, NaN or an
// infinity makes Literal return an error.
func Literal(v any) (string, error) {
	var b strings.Builder
	if err := writeLiteral(&b, v, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

// StringLiteral returns the jq string literal of s (see Literal).
func StringLiteral(s string) string {
	var b strings.Builder
	writeString(&b, s)
	return b.String()
}

// errLiteral is returned by Literal for values that have no jq literal.
var errLiteral = errors.New("jq: value has no literal")

func writeLiteral(b *strings.Builder, v any, depth int) error {
	if depth > DefaultMaxDepth {
		return ErrDepth
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writeString(b, x)
	case int:
		writeNumberText(b, strconv.Itoa(x))
	case int64:
		writeNumberText(b, strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: %v", errLiteral, x)
		}
		writeNumberText(b, strconv.FormatFloat(x, 'g', -1, 64))
	case *big.Int:
		writeNumberText(b, x.String())
	case json.Number:
		if !validNumber(string(x)) {
			return fmt.Errorf("%w: number %q", errLiteral, string(x))
		}
		writeNumberText(b, string(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writeLiteral(b, e, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeString(b, k)
			b.WriteString(": ")
			// parenthesise values so that "a": 1 | 2 style text can never
			// change the object's shape.
			b.WriteByte('(')
			if err := writeLiteral(b, x[k], depth+1); err != nil {
				return err
			}
			b.WriteByte(')')
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("%w: %T", errLiteral, v)
	}
	return nil
}

func writeNumberText(b *strings.Builder, s string) {
	if strings.HasPrefix(s, "-") {
		b.WriteByte('(')
		b.WriteString(s)
		b.WriteByte(')')
		return
	}
	b.WriteString(s)
}

// validNumber reports whether s is a JSON number.
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start || (s[start] == '0' && i-start > 1) {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		st := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == st {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		st := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == st {
			return false
		}
	}
	return i == len(s)
}

const hexDigits = "0123456789abcdef"

func writeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[r>>4])
			b.WriteByte(hexDigits[r&0xf])
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
