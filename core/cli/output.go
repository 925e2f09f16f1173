package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
)

// cliTime formats a timestamp as the AWS CLI v2 prints it (Python's
// datetime.isoformat in UTC): 2026-01-02T03:04:05+00:00, with microseconds
// when there are any.
func cliTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000") + "+00:00"
	}
	return t.Format("2006-01-02T15:04:05") + "+00:00"
}

// toPlain turns a shaped response into plain JSON values for JMESPath and the
// printers: timestamps become strings via tf; Ordered objects keep their order
// as Ordered.
func toPlain(v any, tf func(time.Time) any) any {
	switch x := v.(type) {
	case api.Ordered:
		out := make(api.Ordered, len(x))
		for i, kv := range x {
			out[i] = api.KV{Key: kv.Key, Value: toPlain(kv.Value, tf)}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toPlain(e, tf)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = toPlain(e, tf)
		}
		return out
	case time.Time:
		return tf(x)
	}
	return v
}

// writeJSON prints v as the AWS CLI does (Python's json.dumps with indent=4 and
// ensure_ascii=False), followed by a newline.
func writeJSON(w io.Writer, v any) {
	var b strings.Builder
	encodeJSON(&b, v, 0)
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func encodeJSON(b *strings.Builder, v any, depth int) {
	pad := func(d int) { b.WriteString(strings.Repeat("    ", d)) }
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		writePyString(b, x)
	case json.Number:
		b.WriteString(string(x))
	case float64:
		b.WriteString(pyFloat(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case time.Time:
		writePyString(b, cliTime(x))
	case api.Ordered:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, kv := range x {
			pad(depth + 1)
			writePyString(b, kv.Key)
			b.WriteString(": ")
			encodeJSON(b, kv.Value, depth+1)
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		pad(depth)
		b.WriteByte('}')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := make(api.Ordered, len(keys))
		for i, k := range keys {
			o[i] = api.KV{Key: k, Value: x[k]}
		}
		encodeJSON(b, o, depth)
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range x {
			pad(depth + 1)
			encodeJSON(b, e, depth+1)
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		pad(depth)
		b.WriteByte(']')
	default:
		j, _ := json.Marshal(x)
		b.Write(j)
	}
}

// pyFloat formats a float as Python's repr does (1.0, 0.1, 1e+16).
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'r'+0, -1, 64)
	_ = s
	r := strconv.FormatFloat(f, 'g', -1, 64)
	if strings.ContainsAny(r, "e") {
		mant, exp, _ := strings.Cut(r, "e")
		if len(exp) == 2 { // e+5 -> e+05, as Python writes two exponent digits
			exp = exp[:1] + "0" + exp[1:]
		}
		n, _ := strconv.Atoi(exp)
		if n >= -4 && n < 16 {
			return strconv.FormatFloat(f, 'f', -1, 64) + dotZero(strconv.FormatFloat(f, 'f', -1, 64))
		}
		return mant + "e" + exp
	}
	return r + dotZero(r)
}

func dotZero(s string) string {
	if strings.ContainsAny(s, ".eIN") {
		return ""
	}
	return ".0"
}

func writePyString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f && false {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
