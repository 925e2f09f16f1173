package api_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
)

// testModel has one operation whose input exercises every constraint kind
// the validator knows.
const testModel = `{
 "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "test", "protocol": "json", "serviceFullName": "Test", "serviceId": "Test"},
 "operations": {
  "Put": {"name": "Put", "input": {"shape": "PutInput"}, "output": {"shape": "PutOutput"}},
  "Empty": {"name": "Empty"}
 },
 "shapes": {
  "PutInput": {"type": "structure", "required": ["Name", "Count"], "members": {
   "Name": {"shape": "Name"},
   "Count": {"shape": "Count"},
   "Kind": {"shape": "Kind"},
   "Code": {"shape": "Code"},
   "Tags": {"shape": "Tags"},
   "Labels": {"shape": "Labels"},
   "Ratio": {"shape": "Ratio"},
   "Flag": {"shape": "Flag"},
   "When": {"shape": "When"},
   "Data": {"shape": "Data"},
   "Secret": {"shape": "Secret"},
   "Items": {"shape": "Items"},
   "Big": {"shape": "Big"}
  }},
  "Name": {"type": "string", "min": 3, "max": 5},
  "Count": {"type": "integer", "min": 1, "max": 50},
  "Big": {"type": "long"},
  "Kind": {"type": "string", "enum": ["alpha", "beta"]},
  "Code": {"type": "string", "pattern": "[a-z]+"},
  "Tags": {"type": "list", "member": {"shape": "Name"}, "min": 1, "max": 2},
  "Labels": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Kind"}, "max": 1},
  "Ratio": {"type": "double", "min": 0, "max": 1.5},
  "Flag": {"type": "boolean"},
  "When": {"type": "timestamp"},
  "Data": {"type": "blob", "max": 3},
  "Secret": {"type": "string", "sensitive": true, "min": 8},
  "Items": {"type": "list", "member": {"shape": "Item"}},
  "Item": {"type": "structure", "required": ["Key"], "members": {"Key": {"shape": "Name"}, "Value": {"shape": "Count"}}},
  "PutOutput": {"type": "structure", "members": {
   "Zeta": {"shape": "Name"}, "Alpha": {"shape": "Name"}, "At": {"shape": "When"},
   "Labels": {"shape": "Labels"}, "Items": {"shape": "Items"}
  }}
 }
}`

func loadModel(t testing.TB) *api.Model {
	t.Helper()
	m, err := api.ParseModel([]byte(testModel))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestValidationMessages(t *testing.T) {
	m := loadModel(t)
	op := m.Operations["Put"]
	tests := []struct {
		name, input string
		want        string // the joined message; "" for none
	}{
		{"valid", `{"Name":"abc","Count":1}`, ""},
		{"required both", `{}`,
			"2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'count' failed to satisfy constraint: Member must not be null"},
		{"required null value", `{"Name":null,"Count":2}`,
			"1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"min length", `{"Name":"ab","Count":1}`,
			"1 validation error detected: Value 'ab' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"max length", `{"Name":"abcdef","Count":1}`,
			"1 validation error detected: Value 'abcdef' at 'name' failed to satisfy constraint: Member must have length less than or equal to 5"},
		{"length counts UTF-16 units", `{"Name":"ééé","Count":1}`, ""},
		{"range low", `{"Name":"abc","Count":0}`,
			"1 validation error detected: Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"range high", `{"Name":"abc","Count":51}`,
			"1 validation error detected: Value '51' at 'count' failed to satisfy constraint: Member must have value less than or equal to 50"},
		{"double range", `{"Name":"abc","Count":1,"Ratio":1.75}`,
			"1 validation error detected: Value '1.75' at 'ratio' failed to satisfy constraint: Member must have value less than or equal to 1.5"},
		{"enum", `{"Name":"abc","Count":1,"Kind":"gamma"}`,
			"1 validation error detected: Value 'gamma' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [alpha, beta]"},
		{"pattern", `{"Name":"abc","Count":1,"Code":"ABC"}`,
			"1 validation error detected: Value 'ABC' at 'code' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+"},
		{"pattern is anchored", `{"Name":"abc","Count":1,"Code":"abc1"}`,
			"1 validation error detected: Value 'abc1' at 'code' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+"},
		{"list length", `{"Name":"abc","Count":1,"Tags":["abc","abd","abe"]}`,
			"1 validation error detected: Value '[abc, abd, abe]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2"},
		{"list empty", `{"Name":"abc","Count":1,"Tags":[]}`,
			"1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"list member", `{"Name":"abc","Count":1,"Tags":["abc","x"]}`,
			"1 validation error detected: Value 'x' at 'tags.2.member' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"nested structure", `{"Name":"abc","Count":1,"Items":[{"Key":"abc"},{"Value":0}]}`,
			"2 validation errors detected: Value null at 'items.2.member.key' failed to satisfy constraint: Member must not be null; " +
				"Value '0' at 'items.2.member.value' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"map size and entries", `{"Name":"abc","Count":1,"Labels":{"abc":"alpha","x":"zeta"}}`,
			"3 validation errors detected: Value '{abc=alpha, x=zeta}' at 'labels' failed to satisfy constraint: Member must have length less than or equal to 1; " +
				"Value 'x' at 'labels.key' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
				"Value 'zeta' at 'labels.value' failed to satisfy constraint: Member must satisfy enum value set: [alpha, beta]"},
		{"sensitive value hidden", `{"Name":"abc","Count":1,"Secret":"short"}`,
			"1 validation error detected: Value '***' at 'secret' failed to satisfy constraint: Member must have length greater than or equal to 8"},
		{"blob length", `{"Name":"abc","Count":1,"Data":"AAAAAA=="}`,
			"1 validation error detected: Value 'AAAAAA==' at 'data' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"unknown members ignored", `{"Name":"abc","Count":1,"Nope":true}`, ""},
		{"several kinds at once", `{"Name":"ab","Count":99,"Kind":"x"}`,
			"3 validation errors detected: Value 'ab' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
				"Value '99' at 'count' failed to satisfy constraint: Member must have value less than or equal to 50; " +
				"Value 'x' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [alpha, beta]"},
	}
	v := api.NewValidator(m)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := api.DecodeJSON([]byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			_, vs, err := v.Check(op, in)
			if err != nil {
				t.Fatalf("type error: %v", err)
			}
			got := ""
			if len(vs) > 0 {
				got = api.ValidationMessage(vs)
			}
			if got != tt.want {
				t.Errorf("message\n got: %s\nwant: %s", got, tt.want)
			}
			if len(vs) > 0 {
				e := api.ValidationError("ValidationException", vs)
				if e.Code != "ValidationException" || e.Status != 400 || e.Message != tt.want {
					t.Errorf("ValidationError = %+v", e)
				}
			}
		})
	}
}

func TestTypeErrors(t *testing.T) {
	m := loadModel(t)
	op := m.Operations["Put"]
	tests := []struct {
		name, input, want string
	}{
		{"string as number", `{"Name":5,"Count":1}`, "NUMBER_VALUE can not be converted to a String"},
		{"integer as string", `{"Name":"abc","Count":"1"}`, "STRING_VALUE can not be converted to an Integer"},
		{"integer fraction", `{"Name":"abc","Count":1.5}`, "NUMBER_VALUE can not be converted to an Integer"},
		{"integer overflow", `{"Name":"abc","Count":3000000000}`, "NUMBER_VALUE can not be converted to an Integer"},
		{"long accepts big", `{"Name":"abc","Count":1,"Big":3000000000}`, ""},
		{"boolean as string", `{"Name":"abc","Count":1,"Flag":"true"}`, "STRING_VALUE can not be converted to a Boolean"},
		{"list as object", `{"Name":"abc","Count":1,"Tags":{}}`, "Start of structure or map can not be converted to a list"},
		{"structure as list", `{"Name":"abc","Count":1,"Items":[[]]}`, "Start of list can not be converted to a structure"},
		{"map as string", `{"Name":"abc","Count":1,"Labels":"x"}`, "STRING_VALUE can not be converted to a map"},
		{"timestamp garbage", `{"Name":"abc","Count":1,"When":"yesterday"}`, "STRING_VALUE can not be converted to a Timestamp"},
		{"timestamp bool", `{"Name":"abc","Count":1,"When":true}`, "BOOLEAN_VALUE can not be converted to a Timestamp"},
		{"blob not base64", `{"Name":"abc","Count":1,"Data":"***"}`, "STRING_VALUE can not be converted to a Blob"},
		{"double as string", `{"Name":"abc","Count":1,"Ratio":"x"}`, "STRING_VALUE can not be converted to a Double"},
		{"top level not object", `[]`, "Start of list can not be converted to a structure"},
	}
	v := api.NewValidator(m)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := api.DecodeJSON([]byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = v.Check(op, in)
			got := ""
			if err != nil {
				got = err.Error()
				var te *api.TypeError
				if !errors.As(err, &te) {
					t.Errorf("error %T is not a *TypeError", err)
				}
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckNormalisesTimestamps(t *testing.T) {
	m := loadModel(t)
	in, _ := api.DecodeJSON([]byte(`{"Name":"abc","Count":1,"When":1700000000.5}`))
	out, vs, err := api.NewValidator(m).Check(m.Operations["Put"], in)
	if err != nil || len(vs) > 0 {
		t.Fatal(err, vs)
	}
	got := out.(map[string]any)["When"]
	if got != "2023-11-14T22:13:20.5Z" {
		t.Errorf("When = %v", got)
	}
	// An operation without input accepts anything empty.
	if _, vs, err := api.NewValidator(m).Check(m.Operations["Empty"], nil); err != nil || vs != nil {
		t.Errorf("Empty: %v %v", vs, err)
	}
}

func TestCLIName(t *testing.T) {
	// Expectations from botocore.xform_name(name, "-") (botocore 1.43.11).
	tests := []struct{ in, want string }{
		{"DescribeDBInstances", "describe-db-instances"},
		{"GatewayARNs", "gateway-arns"},
		{"ListWebACLs", "list-web-acls"},
		{"PutMetricData", "put-metric-data"},
		{"GetMetricWidgetImage", "get-metric-widget-image"},
		{"LookupEvents", "lookup-events"},
		{"GetCallerIdentity", "get-caller-identity"},
		{"AssociateIpv6CidrBlock", "associate-ipv6-cidr-block"},
		{"CreateDBSnapshot", "create-db-snapshot"},
		{"ListSAMLProviders", "list-saml-providers"},
		{"EnableIPv6", "enable-i-pv6"},
		{"TTL", "ttl"},
		{"GetAPIKeys", "get-api-keys"},
		{"DescribeInstanceIPs", "describe-instance-ips"},
		{"MaxResults", "max-results"},
		{"SSEKMSKeyId", "ssekms-key-id"},
		{"PutS3Object", "put-s3-object"},
		{"ID", "id"},
		{"IPAddress", "ip-address"},
		{"ARNs", "-arns"},
		{"startTime", "start-time"},
		{"describe-x", "describe-x"},
		{"DescribeDBClusterParameterGroups", "describe-db-cluster-parameter-groups"},
		{"ListTagsForResource", "list-tags-for-resource"},
		{"EventId", "event-id"},
	}
	for _, tt := range tests {
		if got := api.CLIName(tt.in); got != tt.want {
			t.Errorf("CLIName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	want := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   any
		want time.Time
		bad  bool
	}{
		{"epoch number", json.Number("1795446000"), want, false},
		{"epoch float64", float64(1795446000), want, false},
		{"epoch fraction", json.Number("1795446000.250"), want.Add(250 * time.Millisecond), false},
		{"epoch string", "1795446000", want, false},
		{"rfc3339 Z", "2026-11-23T15:00:00Z", want, false},
		{"rfc3339 nano", "2026-11-23T15:00:00.123Z", want.Add(123 * time.Millisecond), false},
		{"rfc3339 offset", "2026-11-23T16:00:00+01:00", want, false},
		{"basic offset", "2026-11-23T15:00:00+0000", want, false},
		{"no zone", "2026-11-23T15:00:00", want, false},
		{"minutes only", "2026-11-23T15:00", want, false},
		{"space separated", "2026-11-23 15:00:00", want, false},
		{"space separated zone", "2026-11-23 15:00:00Z", want, false},
		{"date only", "2026-11-23", want.Add(-15 * time.Hour), false},
		{"garbage", "next tuesday", time.Time{}, true},
		{"empty", "", time.Time{}, true},
		{"bool", true, time.Time{}, true},
		{"nil", nil, time.Time{}, true},
		{"bad number", json.Number("1e999999"), time.Time{}, true},
		{"exponent number", json.Number("1.795446e9"), want, false},
		{"negative epoch", json.Number("-1"), time.Unix(-1, 0).UTC(), false},
		{"NaN string", "NaN", time.Time{}, true},
		{"Inf string", "+Inf", time.Time{}, true},
		{"hex string", "0x1p4", time.Time{}, true},
		{"NaN float", math.NaN(), time.Time{}, true},
		{"Inf float", math.Inf(1), time.Time{}, true},
		{"after year 9999", json.Number("253402300800"), time.Time{}, true},
		{"before year 1", json.Number("-62135596801"), time.Time{}, true},
		{"year 9999", json.Number("253402300799"), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := api.ParseTimestamp(tt.in)
			if tt.bad {
				if err == nil {
					t.Errorf("ParseTimestamp(%v) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseTimestamp(%v) = %v, %v; want %v UTC", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestRender(t *testing.T) {
	m := loadModel(t)
	in, _ := api.DecodeJSON([]byte(`{"Unknown":1,"Alpha":"a","Zeta":"z","At":"2026-11-23T15:00:00.5Z",
		"Labels":{"b":"beta","a":"alpha"},"Items":[{"Value":2,"Key":"k","Extra":true}],"Skipped":null}`))
	for _, tt := range []struct {
		name string
		tf   api.TimeFormat
		want string
	}{
		{"epoch", api.EpochSeconds, `{"Zeta":"z","Alpha":"a","At":1795446000.500,"Labels":{"a":"alpha","b":"beta"},"Items":[{"Key":"k","Value":2}]}`},
		{"iso", api.ISO8601, `{"Zeta":"z","Alpha":"a","At":"2026-11-23T15:00:00.500Z","Labels":{"a":"alpha","b":"beta"},"Items":[{"Key":"k","Value":2}]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := m.Render(m.Operations["Put"].Output, in, tt.tf)
			b, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("got  %s\nwant %s", b, tt.want)
			}
		})
	}
	if got := m.Render(nil, in, api.ISO8601); got != nil {
		t.Errorf("Render(nil ref) = %v", got)
	}
	if got := api.EpochSeconds(time.Unix(5, 0)); got != json.Number("5") {
		t.Errorf("EpochSeconds whole = %v", got)
	}
}

func TestOrderedMarshalNoEscape(t *testing.T) {
	o := api.Ordered{{Key: "b<", Value: "x&y"}, {Key: "a", Value: api.Ordered{}}}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	// json.Marshal re-escapes a Marshaler's output; the encoder's own escaping
	// is what callers switch off. The order is what matters here.
	if !strings.HasPrefix(string(b), `{"b`) || !strings.Contains(string(b), `"a":{}`) {
		t.Errorf("got %s", b)
	}
	if v, ok := o.Get("a"); !ok || v == nil {
		t.Errorf("Get(a) = %v, %v", v, ok)
	}
	if _, ok := o.Get("zz"); ok {
		t.Error("Get(zz) found")
	}
}

func TestDecodeJSON(t *testing.T) {
	for _, tt := range []struct {
		in  string
		bad bool
	}{
		{`{"a":1}`, false},
		{`12345678901234567890`, false},
		{`{"a":1} {"b":2}`, true},
		{`{"a":`, true},
		{``, true},
	} {
		v, err := api.DecodeJSON([]byte(tt.in))
		if (err != nil) != tt.bad {
			t.Errorf("DecodeJSON(%q) = %v, %v", tt.in, v, err)
		}
	}
	v, _ := api.DecodeJSON([]byte(`12345678901234567890`))
	if v != json.Number("12345678901234567890") {
		t.Errorf("numbers are not kept exact: %v", v)
	}
}

func TestRegistry(t *testing.T) {
	m := loadModel(t)
	r := api.NewRegistry()
	bad := &api.Service{Name: "test", Model: m, Handlers: map[string]api.Handler{"Nope": nil}}
	if err := r.Register(bad); err == nil {
		t.Error("a handler for an unknown operation was accepted")
	}
	s := &api.Service{Name: "test", Model: m, Handlers: map[string]api.Handler{"Put": nil, "Empty": nil}}
	if err := r.Register(s); err != nil {
		t.Fatal(err)
	}
	if s.ValidationCode != "ValidationException" {
		t.Errorf("ValidationCode = %q", s.ValidationCode)
	}
	if got := strings.Join(s.Operations(), ","); got != "Empty,Put" {
		t.Errorf("Operations = %s", got)
	}
	if got, ok := r.Service("test"); !ok || got != s {
		t.Error("Service(test) not found")
	}
	if len(r.Services()) != 1 || r.Names()[0] != "test" {
		t.Errorf("Names = %v", r.Names())
	}
}
