package filterpattern

import (
	"reflect"
	"testing"
)

func TestSpans(t *testing.T) {
	for _, tt := range []struct {
		name, pattern, message string
		want                   []string
	}{
		{"json string value", `{ $.level = "ERROR" }`, `{"level": "ERROR", "msg": "disk full"}`, []string{"ERROR"}},
		{"json two selectors", `{ $.level = "ERROR" && $.code > 400 }`, `{"code": 500, "level":"ERROR"}`, []string{"500", "ERROR"}},
		{"json nested and index", `{ $.req.items[1] = "b" }`, `{"req": {"items": ["a", "b"]}}`, []string{"b"}},
		{"json wildcard", `{ $.items[*].id = 2 }`, `{"items": [{"id": 1}, {"id": 2}]}`, []string{"1", "2"}},
		{"json escaped key", `{ $.a = 1 }`, `{"\u0061": 1}`, []string{"1"}},
		{"json object value", `{ $.a.b = 1 }`, `{"a": {"b": 1}}`, []string{"1"}},
		{"json exists", `{ $.x NOT EXISTS }`, `{"y": true}`, nil},
		{"terms", `ERROR disk`, `ERROR: disk full`, []string{"ERROR", "disk"}},
		{"space", `[ip, user, status = 404]`, `1.2.3.4 bob 404`, []string{"404"}},
	} {
		p, err := Parse(tt.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		m, ok := p.Match(tt.message)
		if !ok {
			t.Fatalf("%s: no match", tt.name)
		}
		var got []string
		for _, r := range m.Spans() {
			got = append(got, tt.message[r.Start:r.End])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Spans = %q, want %q", tt.name, got, tt.want)
		}
	}
	if (Match{}).Spans() != nil {
		t.Errorf("the zero Match has spans")
	}
}

// FuzzSpans checks that the spans of any match are in the message, ordered
// and disjoint.
func FuzzSpans(f *testing.F) {
	f.Add(`{ $.a = 1 }`, `{"a": 1}`)
	f.Add(`{ $.a[*].b = "x" || $.c IS NULL }`, `{"a": [{"b": "x"}], "c": null}`)
	f.Fuzz(func(t *testing.T, pattern, message string) {
		p, err := Parse(pattern)
		if err != nil {
			return
		}
		m, ok := p.Match(message)
		if !ok {
			return
		}
		end := 0
		for _, r := range m.Spans() {
			if r.Start < end || r.End < r.Start || r.End > len(message) {
				t.Fatalf("bad span %v of %q", r, message)
			}
			end = r.End
		}
	})
}
