package api

import (
	"bytes"
	"encoding/json"
	"time"
)

// KV is one member of an Ordered object.
type KV struct {
	Key   string
	Value any
}

// Ordered is a JSON object that keeps its members in order: structures in model
// order, maps in key order.
type Ordered []KV

// MarshalJSON writes the object with its members in order.
func (o Ordered) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := marshalNoEscape(kv.Key)
		if err != nil {
			return nil, err
		}
		v, err := marshalNoEscape(kv.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Get returns the value of key.
func (o Ordered) Get(key string) (any, bool) {
	for _, kv := range o {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return nil, false
}

func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// TimeFormat turns a timestamp of a response into its JSON value.
type TimeFormat func(t time.Time) any

// EpochSeconds renders a timestamp as the JSON protocols send it: seconds since
// the epoch, with milliseconds when there are any.
func EpochSeconds(t time.Time) any {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return json.Number(itoa(ms / 1000))
	}
	return json.Number(itoa(ms/1000) + "." + pad3(ms%1000))
}

// ISO8601 renders a timestamp as the query protocols send it (and as the
// services' XML shows it): 2006-01-02T15:04:05.000Z.
func ISO8601(t time.Time) any { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func itoa(n int64) string { return string(json.Number(jsonInt(n))) }

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func pad3(n int64) string {
	s := jsonInt(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// Render shapes a response value (decoded from the service's JSON with
// UseNumber) by its shape: structures become Ordered in model order, members
// the model does not list are dropped, timestamps are rendered with tf.
func (m *Model) Render(ref *ShapeRef, val any, tf TimeFormat) any {
	if ref == nil || val == nil {
		return nil
	}
	return m.render(m.Shapes[ref.Shape], val, tf)
}

func (m *Model) render(s *Shape, val any, tf TimeFormat) any {
	if s == nil || val == nil {
		return val
	}
	switch s.Type {
	case "structure":
		obj, ok := val.(map[string]any)
		if !ok {
			return val
		}
		out := Ordered{}
		for _, mem := range s.Members {
			x, ok := obj[mem.Name]
			if !ok || x == nil {
				continue
			}
			out = append(out, KV{mem.Name, m.render(m.Shapes[mem.Ref.Shape], x, tf)})
		}
		return out
	case "list":
		arr, ok := val.([]any)
		if !ok {
			return val
		}
		out := make([]any, len(arr))
		es := m.Shape(s.Member)
		for i, x := range arr {
			out[i] = m.render(es, x, tf)
		}
		return out
	case "map":
		obj, ok := val.(map[string]any)
		if !ok {
			return val
		}
		vs := m.Shape(s.Value)
		out := Ordered{}
		for _, k := range sortedKeys(obj) {
			out = append(out, KV{k, m.render(vs, obj[k], tf)})
		}
		return out
	case "timestamp":
		t, err := ParseTimestamp(val)
		if err != nil {
			return val
		}
		return tf(t)
	}
	return val
}
