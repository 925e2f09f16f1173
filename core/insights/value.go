package insights

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a Value.
type Kind uint8

// The kinds of values.
const (
	Null Kind = iota
	Str
	Num
	Bool
	Time // N holds epoch milliseconds
	ListKind
	MapKind
)

// Value is a field value: null, a string, a number, a boolean, a timestamp,
// or (from jsonParse and split) a list or a map.
type Value struct {
	K Kind
	S string
	N float64
	L []Value
	M map[string]Value
}

// StrV returns a string value.
func StrV(s string) Value { return Value{K: Str, S: s} }

// NumV returns a number value.
func NumV(n float64) Value { return Value{K: Num, N: n} }

// TimeV returns a timestamp value of epoch milliseconds.
func TimeV(ms int64) Value { return Value{K: Time, N: float64(ms)} }

// BoolV returns a boolean value.
func BoolV(b bool) Value {
	if b {
		return Value{K: Bool, N: 1}
	}
	return Value{K: Bool}
}

// IsNull reports whether v is null (a missing field).
func (v Value) IsNull() bool { return v.K == Null }

// Num returns v as a number: numbers, booleans and timestamps as they are,
// strings when they spell a number.
func (v Value) Num() (float64, bool) {
	switch v.K {
	case Num, Bool, Time:
		return v.N, true
	case Str:
		return parseNum(v.S)
	}
	return 0, false
}

func parseNum(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	c := s[0]
	if !(isDigit(c) || c == '-' || c == '+' || c == '.') {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// Truth reports whether v counts as true in filter.
func (v Value) Truth() bool {
	switch v.K {
	case Num, Bool, Time:
		return v.N != 0
	case Str:
		return v.S != "" && v.S != "false"
	case ListKind:
		return len(v.L) > 0
	case MapKind:
		return len(v.M) > 0
	}
	return false
}

// TimeLayout is how results show timestamps.
const TimeLayout = "2006-01-02 15:04:05.000"

// String renders v as GetQueryResults shows it.
func (v Value) String() string {
	switch v.K {
	case Str:
		return v.S
	case Num:
		return fmtNum(v.N)
	case Bool:
		if v.N != 0 {
			return "1"
		}
		return "0"
	case Time:
		return time.UnixMilli(int64(v.N)).UTC().Format(TimeLayout)
	case ListKind, MapKind:
		return jsonStringify(v)
	}
	return ""
}

func fmtNum(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Compare orders two values as sort does (spec §5.3): nulls first, then
// non-numbers in natural order (digit runs by length then value, other runs
// by code point), then numbers.
func Compare(a, b Value) int {
	if a.K == Null || b.K == Null {
		switch {
		case a.K == Null && b.K == Null:
			return 0
		case a.K == Null:
			return -1
		}
		return 1
	}
	an, aok := a.Num()
	bn, bok := b.Num()
	switch {
	case aok && bok:
		if an < bn {
			return -1
		}
		if an > bn {
			return 1
		}
		return strings.Compare(a.String(), b.String())
	case aok:
		return 1
	case bok:
		return -1
	}
	return naturalCompare(a.String(), b.String())
}

// naturalCompare compares chunk by chunk: digit chunks by length then
// value, other chunks by code point.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		ca, ra := chunk(a)
		cb, rb := chunk(b)
		da, db := isDigit(ca[0]), isDigit(cb[0])
		var c int
		switch {
		case da && db:
			if len(ca) != len(cb) {
				c = len(ca) - len(cb)
			} else {
				c = strings.Compare(ca, cb)
			}
		default:
			c = strings.Compare(ca, cb)
		}
		if c != 0 {
			if c < 0 {
				return -1
			}
			return 1
		}
		a, b = ra, rb
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func chunk(s string) (string, string) {
	d := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == d {
		i++
	}
	return s[:i], s[i:]
}

// equal is the = of filter: numbers numerically, anything else as text;
// lists and maps are equal to nothing.
func equal(a, b Value) bool {
	if a.K == Null || b.K == Null || a.K >= ListKind || b.K >= ListKind {
		return false
	}
	if an, ok := a.Num(); ok {
		if bn, ok := b.Num(); ok {
			return an == bn
		}
	}
	return a.String() == b.String()
}

// order is the < of filter: numerically when both are numbers, else by text.
func order(a, b Value) (int, bool) {
	if a.K == Null || b.K == Null || a.K >= ListKind || b.K >= ListKind {
		return 0, false
	}
	if an, ok := a.Num(); ok {
		if bn, ok := b.Num(); ok {
			switch {
			case an < bn:
				return -1, true
			case an > bn:
				return 1, true
			}
			return 0, true
		}
	}
	return strings.Compare(a.String(), b.String()), true
}

func jsonStringify(v Value) string {
	var b strings.Builder
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *strings.Builder, v Value) {
	switch v.K {
	case Null:
		b.WriteString("null")
	case Str:
		b.WriteString(strconv.Quote(v.S))
	case Num, Bool:
		b.WriteString(fmtNum(v.N))
	case Time:
		b.WriteString(strconv.Quote(v.String()))
	case ListKind:
		b.WriteByte('[')
		for i, x := range v.L {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, x)
		}
		b.WriteByte(']')
	case MapKind:
		keys := make([]string, 0, len(v.M))
		for k := range v.M {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			writeJSON(b, v.M[k])
		}
		b.WriteByte('}')
	}
}
