package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// A JSON value whose objects keep their key order: nil, bool, json.Number,
// string, []any or *object.
type object struct {
	keys []string
	vals map[string]any
}

func newObject() *object { return &object{vals: map[string]any{}} }

// set adds or replaces a key, keeping its first position.
func (o *object) set(k string, v any) *object {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
	return o
}

// str and obj read a member of a possibly nil object.
func (o *object) str(k string) string {
	if o == nil {
		return ""
	}
	s, _ := o.vals[k].(string)
	return s
}

func (o *object) obj(k string) *object {
	if o == nil {
		return nil
	}
	v, _ := o.vals[k].(*object)
	return v
}

// maxDepth is the deepest nesting read: AWS ignores events nested deeper than
// 255 levels (spec 1.15).
const maxDepth = 255

var errTooDeep = errors.New("nesting deeper than 255 levels")

// parseOrdered reads one JSON value, keeping object key order (a repeated key
// keeps its first position and its last value, as Jackson's tree does).
func parseOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := readValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

func readValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, errTooDeep
		}
		switch t {
		case '{':
			o := newObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %v", kt)
				}
				v, err := readValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				o.set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := readValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// marshal writes v as compact JSON without HTML escaping, as Jackson does.
func marshal(v any) string {
	var buf bytes.Buffer
	writeJSON(&buf, v)
	return buf.String()
}

func writeJSON(buf *bytes.Buffer, v any) {
	switch t := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		buf.WriteString(strconv.FormatBool(t))
	case json.Number:
		buf.WriteString(string(t))
	case int:
		buf.WriteString(strconv.Itoa(t))
	case string:
		writeString(buf, t)
	case []string:
		buf.WriteByte('[')
		for i, s := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, s)
		}
		buf.WriteByte(']')
	case []any:
		buf.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSON(buf, e)
		}
		buf.WriteByte(']')
	case *object:
		buf.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, k)
			buf.WriteByte(':')
			writeJSON(buf, t.vals[k])
		}
		buf.WriteByte('}')
	default:
		panic(fmt.Sprintf("schemas: cannot write %T", v))
	}
}

func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // the encoder's newline
}

// lessJava orders strings as Java's String.compareTo does: by UTF-16 code
// units (a TreeMap's order).
func lessJava(a, b string) bool {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return len(ua) < len(ub)
}

// javaHash is Java's String.hashCode.
func javaHash(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// hashSetOrder returns keys (distinct, in insertion order) in the order a
// java.util.HashSet built by adding them one by one iterates them: by bucket
// of the final table, then by insertion within a bucket. AWS's "required"
// lists come out in this order.
func hashSetOrder(keys []string) []string {
	n := 16
	for float64(len(keys)) > 0.75*float64(n) {
		n *= 2
	}
	type kb struct {
		k string
		b int
	}
	tmp := make([]kb, len(keys))
	for i, k := range keys {
		h := uint32(javaHash(k))
		h ^= h >> 16
		tmp[i] = kb{k, int(h & uint32(n-1))}
	}
	out := make([]string, 0, len(keys))
	// A stable counting pass over buckets keeps insertion order within one.
	buckets := make([][]string, n)
	for _, e := range tmp {
		buckets[e.b] = append(buckets[e.b], e.k)
	}
	for _, b := range buckets {
		out = append(out, b...)
	}
	return out
}
