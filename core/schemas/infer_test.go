package schemas

import (
	"strings"
	"testing"
)

// components infers events (plain objects) and returns the document's
// components as compact JSON, without the envelope.
func components(t *testing.T, events ...string) string {
	t.Helper()
	in, err := inferEvents(events)
	if err != nil {
		t.Fatal(err)
	}
	return marshal(in.openAPI().obj("components").obj("schemas"))
}

func TestInference(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events []string
		want   string
	}{
		{"scalars", []string{`{"s":"x","i":3,"n":1.5,"e":1e3,"z":-0,"b":true,"nul":null}`},
			`{"Event":{"type":"object","required":["b","s","nul","e","i","z","n"],"properties":{"b":{"type":"boolean"},"e":{"type":"number","format":"double"},"i":{"type":"integer","format":"int64"},"n":{"type":"number","format":"double"},"nul":{},"s":{"type":"string"},"z":{"type":"integer","format":"int64"}}}}`},
		{"date-time strings", []string{`{"at":"2026-01-02T03:04:05Z","frac":"2026-01-02T03:04:05.123+02:00","day":"2026-01-02","word":"T"}`},
			`{"Event":{"type":"object","required":["at","day","word","frac"],"properties":{"at":{"type":"string","format":"date-time"},"day":{"type":"string"},"frac":{"type":"string","format":"date-time"},"word":{"type":"string"}}}}`},
		{"nested objects", []string{`{"order":{"id":"o1","customer":{"name":"Ana"}}}`},
			`{"Event":{"type":"object","required":["order"],"properties":{"order":{"$ref":"#/components/schemas/Order"}}},"Order":{"type":"object","required":["id","customer"],"properties":{"customer":{"$ref":"#/components/schemas/Customer"},"id":{"type":"string"}}},"Customer":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}}`},
		{"arrays", []string{`{"tags":["a","b"],"empty":[],"nums":[1,2.5],"ints":[1,2],"grid":[[1],[2]]}`},
			`{"Event":{"type":"object","required":["ints","grid","nums","empty","tags"],"properties":{"empty":{"type":"array","items":{"type":"object"}},"grid":{"type":"array","items":{"type":"array","items":{"type":"integer","format":"int64"}}},"ints":{"type":"array","items":{"type":"integer","format":"int64"}},"nums":{"type":"array","items":{"type":"number","format":"double"}},"tags":{"type":"array","items":{"type":"string"}}}}}`},
		{"mixed arrays", []string{`{"mix":[1,"a"],"withNull":[null,"a"],"objs":[1,{"a":1}]}`},
			`{"Event":{"type":"object","required":["withNull","mix","objs"],"properties":{"mix":{"type":"array","items":{}},"objs":{"type":"array","items":{}},"withNull":{"type":"array","items":{"type":"string"}}}}}`},
		{"arrays of objects merge", []string{`{"items":[{"sku":"a","qty":1},{"sku":"b","note":"x"}]}`},
			`{"Event":{"type":"object","required":["items"],"properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/EventItem"}}}},"EventItem":{"type":"object","required":["sku"],"properties":{"note":{"type":"string"},"qty":{"type":"integer","format":"int64"},"sku":{"type":"string"}}}}`},
		{"repeated names are numbered", []string{`{"a":{"data":{"x":1}},"b":{"data":{"y":true}},"l1":[{"k":1}],"l2":[{"k":2}]}`},
			`{"Event":{"type":"object","required":["a","b","l1","l2"],"properties":{"a":{"$ref":"#/components/schemas/A"},"b":{"$ref":"#/components/schemas/B"},"l1":{"type":"array","items":{"$ref":"#/components/schemas/EventItem"}},"l2":{"type":"array","items":{"$ref":"#/components/schemas/EventItem_1"}}}},"A":{"type":"object","required":["data"],"properties":{"data":{"$ref":"#/components/schemas/Data"}}},"Data":{"type":"object","required":["x"],"properties":{"x":{"type":"integer","format":"int64"}}},"B":{"type":"object","required":["data"],"properties":{"data":{"$ref":"#/components/schemas/Data_1"}}},"Data_1":{"type":"object","required":["y"],"properties":{"y":{"type":"boolean"}}},"EventItem":{"type":"object","required":["k"],"properties":{"k":{"type":"integer","format":"int64"}}},"EventItem_1":{"type":"object","required":["k"],"properties":{"k":{"type":"integer","format":"int64"}}}}`},
		{"events merge: optional keys, integer and number", []string{`{"a":1,"b":"x","c":null}`, `{"a":2.5,"c":"y","d":false}`},
			`{"Event":{"type":"object","required":["a","c"],"properties":{"a":{"type":"number","format":"double"},"b":{"type":"string"},"c":{"type":"string"},"d":{"type":"boolean"}}}}`},
		{"events merge: incompatible kinds", []string{`{"a":1,"o":{"x":1}}`, `{"a":"one","o":[1]}`},
			`{"Event":{"type":"object","required":["a","o"],"properties":{"a":{},"o":{}}}}`},
		{"keys sorted as Java sorts them", []string{`{"b":1,"B":1,"_":1,"a":1,"𝒳":1,"ﬀ":1}`},
			`{"Event":{"type":"object","required":["ﬀ","a","B","b","𝒳","_"],"properties":{"B":{"type":"integer","format":"int64"},"_":{"type":"integer","format":"int64"},"a":{"type":"integer","format":"int64"},"b":{"type":"integer","format":"int64"},"𝒳":{"type":"integer","format":"int64"},"ﬀ":{"type":"integer","format":"int64"}}}}`},
		{"empty object", []string{`{}`}, `{"Event":{"type":"object","properties":{}}}`},
		{"html characters are not escaped", []string{`{"<a&b>":"x"}`},
			`{"Event":{"type":"object","required":["<a&b>"],"properties":{"<a&b>":{"type":"string"}}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := components(t, tc.events...); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestInferenceErrors(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 256) + "1" + strings.Repeat("}", 256)
	ok := strings.Repeat(`{"a":`, 254) + "1" + strings.Repeat("}", 254)
	for _, tc := range []struct {
		event string
		ok    bool
	}{
		{`[1,2]`, false}, {`"x"`, false}, {`{`, false}, {`{} {}`, false}, {``, false}, {`{"a":1,}`, false},
		{deep, false}, {ok, true},
	} {
		_, err := inferEvents([]string{tc.event})
		if (err == nil) != tc.ok {
			t.Errorf("inferEvents(%.40q) error %v, want ok=%v", tc.event, err, tc.ok)
		}
	}
}

func TestHashSetOrder(t *testing.T) {
	// java.util.HashSet iteration orders, from AWS's recorded documents.
	got := strings.Join(hashSetOrder([]string{"account", "detail", "detail-type", "id", "region", "resources", "source", "time", "version"}), ",")
	if want := "detail-type,resources,detail,id,source,time,region,version,account"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	keys := make([]string, 20)
	for i := range keys {
		keys[i] = string(rune('a' + i))
	}
	if got := hashSetOrder(keys); len(got) != 20 {
		t.Errorf("lost keys: %v", got)
	}
}
