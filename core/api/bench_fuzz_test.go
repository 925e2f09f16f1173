package api_test

import (
	"encoding/json"
	"testing"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/api/models"
)

func loadService(t testing.TB, name string) *api.Model {
	t.Helper()
	b, err := models.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := api.ParseModel(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// BenchmarkValidate decodes and validates a LookupEvents request.
func BenchmarkValidate(b *testing.B) {
	m := loadService(b, "cloudtrail")
	op := m.Operations["LookupEvents"]
	v := api.NewValidator(m)
	req := []byte(`{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"GetCallerIdentity"}],` +
		`"StartTime":"2026-11-23T15:00:00Z","EndTime":1795449600,"MaxResults":50}`)
	for b.Loop() {
		in, err := api.DecodeJSON(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, vs, err := v.Check(op, in); err != nil || len(vs) > 0 {
			b.Fatal(err, vs)
		}
	}
}

// FuzzValidate throws arbitrary documents at DecodeJSON and the validator of
// every operation of the CloudTrail and STS models: an error or violations,
// never a panic; a valid request's normalised form encodes as JSON again.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"x"}]}`,
		`{"LookupAttributes":[{"AttributeKey":"Nope","AttributeValue":""}],"MaxResults":0}`,
		`{"StartTime":"2026-11-23T15:00:00Z","EndTime":1795449600.5,"EventCategory":"insight","NextToken":"abc"}`,
		`{"LookupAttributes":{},"MaxResults":"5"}`,
		`{"MaxResults":1e400}`,
		`[null]`,
		`{"LookupAttributes":[null,1,"x",[]]}`,
	} {
		f.Add([]byte(s))
	}
	var ms []*api.Model
	for _, name := range []string{"cloudtrail", "sts"} {
		ms = append(ms, loadService(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := api.DecodeJSON(b)
		if err != nil {
			return
		}
		for _, m := range ms {
			v := api.NewValidator(m)
			for _, op := range m.Operations {
				out, vs, err := v.Check(op, in)
				if err != nil || len(vs) > 0 {
					if len(vs) > 0 && api.ValidationMessage(vs) == "" {
						t.Fatal("empty validation message")
					}
					continue
				}
				if _, err := json.Marshal(out); err != nil {
					t.Fatalf("normalised request does not encode: %v", err)
				}
			}
		}
	})
}

// FuzzParseTimestamp: any string or number gives a UTC time or an error.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2026-11-23T15:00:00Z", "1795446000", "1795446000.5", "2026-11-23", "NaN", "0x1p4",
		"2026-11-23 15:00:00Z", "-62135596800", "1e10", "2026-13-45T99:99:99Z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []any{s, json.Number(s)} {
			tm, err := api.ParseTimestamp(v)
			if err != nil {
				continue
			}
			if tm.Location().String() != "UTC" {
				t.Fatalf("ParseTimestamp(%q) = %v, not UTC", s, tm)
			}
			if y := tm.Year(); y < 1 || y > 9999 {
				t.Fatalf("ParseTimestamp(%q) = %v, out of range", s, tm)
			}
		}
	})
}
