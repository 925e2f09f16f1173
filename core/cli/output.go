package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

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

// toPlain turns a shaped response into plain JSON values: timestamps become
// what tf returns; Ordered objects keep their order.
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

// toPy turns a response shaped by the world (api.Ordered, json.Number,
// time.Time) into Python values as botocore parses them: numbers typed by
// their shape (a double is a float even when it is whole), timestamps as the
// CLI v2 prints them.
func toPy(m *api.Model, s *api.Shape, v any) any {
	switch x := v.(type) {
	case api.Ordered:
		d := newDict()
		for _, kv := range x {
			var ms *api.Shape
			if s != nil {
				switch s.Type {
				case "structure":
					if mem, ok := s.Members.Get(kv.Key); ok {
						ms = m.Shapes[mem.Ref.Shape]
					}
				case "map":
					ms = m.Shape(s.Value)
				}
			}
			d.set(kv.Key, toPy(m, ms, kv.Value))
		}
		return d
	case map[string]any:
		o := api.Ordered{}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			o = append(o, api.KV{Key: k, Value: x[k]})
		}
		return toPy(m, s, o)
	case []any:
		var es *api.Shape
		if s != nil && s.Type == "list" {
			es = m.Shape(s.Member)
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toPy(m, es, e)
		}
		return out
	case time.Time:
		return cliTime(x)
	case json.Number:
		isFloat := strings.ContainsAny(string(x), ".eE")
		if s != nil {
			isFloat = s.Type == "double" || s.Type == "float"
		}
		if !isFloat {
			if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
				return n
			}
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case float64:
		if s != nil && (s.Type == "integer" || s.Type == "long") && x == math.Trunc(x) {
			return int64(x)
		}
		return x
	case int:
		return int64(x)
	}
	return v
}

// pyJSONDumps is Python's json.dumps(v) with its defaults: ", " and ": "
// separators and ensure_ascii.
func pyJSONDumps(v any) string {
	var b strings.Builder
	encodePyJSON(&b, v, -1, 0, true)
	return b.String()
}

// writeJSON prints v as the AWS CLI does (json.dump with indent=4 and
// ensure_ascii=False), followed by a newline.
func writeJSON(w io.Writer, v any) {
	var b strings.Builder
	encodePyJSON(&b, v, 4, 0, false)
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func encodePyJSON(b *strings.Builder, v any, indent, depth int, ascii bool) {
	nl := func(d int) {
		if indent >= 0 {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(" ", indent*d))
		}
	}
	itemSep := ", "
	if indent >= 0 {
		itemSep = ","
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		writeJSONString(b, x, ascii)
	case json.Number:
		b.WriteString(string(x))
	case float64:
		switch {
		case math.IsNaN(x):
			b.WriteString("NaN")
		case math.IsInf(x, 1):
			b.WriteString("Infinity")
		case math.IsInf(x, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(pyFloat(x))
		}
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case *big.Int:
		b.WriteString(x.String())
	case time.Time:
		writeJSONString(b, cliTime(x), ascii)
	case *pyDict:
		if x.len() == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteString(itemSep)
			}
			nl(depth + 1)
			writeJSONString(b, k, ascii)
			b.WriteString(": ")
			encodePyJSON(b, x.vals[k], indent, depth+1, ascii)
		}
		nl(depth)
		b.WriteByte('}')
	case api.Ordered:
		d := newDict()
		for _, kv := range x {
			d.set(kv.Key, kv.Value)
		}
		encodePyJSON(b, d, indent, depth, ascii)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		d := newDict()
		for _, k := range keys {
			d.set(k, x[k])
		}
		encodePyJSON(b, d, indent, depth, ascii)
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(itemSep)
			}
			nl(depth + 1)
			encodePyJSON(b, e, indent, depth+1, ascii)
		}
		nl(depth)
		b.WriteByte(']')
	case blobValue:
		writeJSONString(b, string(x), ascii)
	default:
		j, _ := json.Marshal(x)
		b.Write(j)
	}
}

func writeJSONString(b *strings.Builder, s string, ascii bool) {
	b.WriteByte('"')
	for _, r := range s {
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
			switch {
			case r < 0x20:
				fmt.Fprintf(b, `\u%04x`, r)
			case ascii && r > 0x7e:
				if r > 0xffff {
					r1, r2 := utf16.EncodeRune(r)
					fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
				} else {
					fmt.Fprintf(b, `\u%04x`, r)
				}
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// writeText prints a value as awscli/text.py does.
func writeText(w io.Writer, v any) {
	var b strings.Builder
	formatText(&b, v, "", nil, false)
	io.WriteString(w, b.String())
}

func isContainer(v any) bool {
	switch v.(type) {
	case *pyDict, []any:
		return true
	}
	return false
}

func formatText(b *strings.Builder, item any, identifier string, scalarKeys []string, hasScalarKeys bool) {
	switch x := item.(type) {
	case *pyDict:
		formatTextDict(b, x, identifier, scalarKeys, hasScalarKeys)
	case []any:
		formatTextList(b, x, identifier)
	default:
		b.WriteString(pyStr(item))
		b.WriteByte('\n')
	}
}

func formatTextList(b *strings.Builder, item []any, identifier string) {
	if len(item) == 0 {
		return
	}
	anyDict, anyList := false, false
	for _, e := range item {
		switch e.(type) {
		case *pyDict:
			anyDict = true
		case []any:
			anyList = true
		}
	}
	switch {
	case anyDict:
		keys := allScalarKeys(item)
		for _, e := range item {
			formatText(b, e, identifier, keys, true)
		}
	case anyList:
		var scalars, rest []any
		for _, e := range item {
			if isContainer(e) {
				rest = append(rest, e)
			} else {
				scalars = append(scalars, e)
			}
		}
		if len(scalars) > 0 {
			formatScalarList(b, scalars, identifier)
		}
		for _, e := range rest {
			formatText(b, e, identifier, nil, false)
		}
	default:
		formatScalarList(b, item, identifier)
	}
}

func formatScalarList(b *strings.Builder, elements []any, identifier string) {
	if identifier != "" {
		for _, e := range elements {
			fmt.Fprintf(b, "%s\t%s\n", strings.ToUpper(identifier), pyStr(e))
		}
		return
	}
	parts := make([]string, len(elements))
	for i, e := range elements {
		parts[i] = pyStr(e)
	}
	b.WriteString(strings.Join(parts, "\t"))
	b.WriteByte('\n')
}

func formatTextDict(b *strings.Builder, item *pyDict, identifier string, scalarKeys []string, hasScalarKeys bool) {
	var scalars []string
	type kv struct {
		k string
		v any
	}
	var nonScalars []kv
	if !hasScalarKeys {
		keys := append([]string(nil), item.keys...)
		sort.Strings(keys)
		for _, k := range keys {
			v := item.vals[k]
			if isContainer(v) {
				nonScalars = append(nonScalars, kv{k, v})
			} else {
				scalars = append(scalars, pyStr(v))
			}
		}
	} else {
		in := map[string]bool{}
		for _, k := range scalarKeys {
			in[k] = true
			v, ok := item.get(k)
			if !ok {
				scalars = append(scalars, "")
			} else {
				scalars = append(scalars, pyStr(v))
			}
		}
		var rest []string
		for _, k := range item.keys {
			if !in[k] {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		for _, k := range rest {
			nonScalars = append(nonScalars, kv{k, item.vals[k]})
		}
	}
	if len(scalars) > 0 {
		if identifier != "" {
			scalars = append([]string{strings.ToUpper(identifier)}, scalars...)
		}
		b.WriteString(strings.Join(scalars, "\t"))
		b.WriteByte('\n')
	}
	for _, ns := range nonScalars {
		formatText(b, ns.v, ns.k, nil, false)
	}
}

func allScalarKeys(list []any) []string {
	seen := map[string]bool{}
	for _, e := range list {
		d, ok := e.(*pyDict)
		if !ok {
			continue
		}
		for _, k := range d.keys {
			if !isContainer(d.vals[k]) {
				seen[k] = true
			}
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
