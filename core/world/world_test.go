package world_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/world"
)

var start = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

func newWorld(t testing.TB) *world.World {
	t.Helper()
	w, err := world.New(world.Config{Seed: 42, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// testModel is a small JSON-protocol service ("probe") with a write operation
// that has a response, an operation that fails, and one that panics.
const testModel = `{
 "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "probe", "protocol": "json", "serviceFullName": "Probe", "serviceId": "Probe"},
 "operations": {
  "CreateThing": {"name": "CreateThing", "input": {"shape": "CreateThingInput"}, "output": {"shape": "CreateThingOutput"}},
  "DescribeThing": {"name": "DescribeThing", "input": {"shape": "CreateThingInput"}, "output": {"shape": "CreateThingOutput"}},
  "DeleteThing": {"name": "DeleteThing", "input": {"shape": "CreateThingInput"}},
  "Explode": {"name": "Explode"},
  "Unimplemented": {"name": "Unimplemented"}
 },
 "shapes": {
  "CreateThingInput": {"type": "structure", "required": ["ThingName"], "members": {
   "ThingName": {"shape": "Name"}, "Password": {"shape": "Secret"}, "Tags": {"shape": "TagMap"}, "NotBefore": {"shape": "When"}
  }},
  "CreateThingOutput": {"type": "structure", "members": {
   "ThingArn": {"shape": "Name"}, "CreatedAt": {"shape": "When"}, "Tags": {"shape": "TagMap"}, "Token": {"shape": "Secret"}
  }},
  "Name": {"type": "string", "min": 3, "max": 64},
  "Secret": {"type": "string", "sensitive": true},
  "TagMap": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}},
  "When": {"type": "timestamp"}
 }
}`

type probe struct{ calls int }

func (p *probe) service(t testing.TB) *api.Service {
	m, err := api.ParseModel([]byte(testModel))
	if err != nil {
		t.Fatal(err)
	}
	echo := func(c *api.Call, in []byte) (any, error) {
		p.calls++
		var req struct {
			ThingName string
			Tags      map[string]string
		}
		if err := json.Unmarshal(in, &req); err != nil {
			return nil, err
		}
		if req.ThingName == "missing" {
			return nil, awserr.Newf("ResourceNotFoundException", 404, "Thing %s was not found", req.ThingName)
		}
		if req.ThingName == "oops" {
			return nil, errors.New("a bug that is not an AWS error")
		}
		return map[string]any{
			"ThingArn":  "arn:aws:probe:" + c.Region + ":" + c.Account + ":thing/" + req.ThingName,
			"CreatedAt": c.Now, "Tags": req.Tags, "Token": "s3cr3t", "NotInModel": 1,
		}, nil
	}
	return &api.Service{Name: "probe", Model: m, Handlers: map[string]api.Handler{
		"CreateThing":   echo,
		"DescribeThing": echo,
		"DeleteThing": func(c *api.Call, in []byte) (any, error) {
			p.calls++
			c.AddResource("AWS::Probe::Thing", "gone", "arn:aws:probe:us-east-1:123456789012:thing/gone")
			return nil, nil
		},
		"Explode": func(*api.Call, []byte) (any, error) {
			p.calls++
			var m map[string]int
			m["boom"]++ // a nil map write: a panic in the handler
			return nil, nil
		},
	}}
}

func withProbe(t testing.TB) (*world.World, *probe) {
	w := newWorld(t)
	p := &probe{}
	if err := w.Registry().Register(p.service(t)); err != nil {
		t.Fatal(err)
	}
	return w, p
}

// records returns the CloudTrail records of the event history, newest first.
func records(t testing.TB, w *world.World) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, s := range rawRecords(t, w) {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func rawRecords(t testing.TB, w *world.World) []string {
	t.Helper()
	var out []string
	tok := ""
	for {
		in := `{}`
		if tok != "" {
			in = `{"NextToken":` + quote(tok) + `}`
		}
		resp, err := w.Invoke(world.Request{Service: "cloudtrail", Operation: "LookupEvents", Input: []byte(in)})
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Events    []struct{ CloudTrailEvent string }
			NextToken string
		}
		b, _ := json.Marshal(resp)
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			out = append(out, e.CloudTrailEvent)
		}
		if page.NextToken == "" {
			// Drop the LookupEvents calls this function made itself.
			var kept []string
			for _, r := range out {
				if !strings.Contains(r, `"eventName":"LookupEvents"`) || strings.Contains(r, `"errorCode"`) {
					kept = append(kept, r)
				}
			}
			return kept
		}
		tok = page.NextToken
	}
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestInvokeGetCallerIdentity(t *testing.T) {
	w := newWorld(t)
	resp, err := w.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(resp)
	id := w.Identity()
	want := `{"UserId":"` + id.PrincipalID + `","Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/learner"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// TestRecordShape pins the whole record of a GetCallerIdentity call: member
// order, userIdentity, eventTime format, null request and response for a
// read without parameters, and the management-event fields.
func TestRecordShape(t *testing.T) {
	w := newWorld(t)
	if _, err := w.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity", UserAgent: "ua/1"}); err != nil {
		t.Fatal(err)
	}
	recs := rawRecords(t, w)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	id := w.Identity()
	var m map[string]any
	json.Unmarshal([]byte(recs[0]), &m)
	want := `{"eventVersion":"1.11","userIdentity":{"type":"IAMUser","principalId":"` + id.PrincipalID +
		`","arn":"arn:aws:iam::123456789012:user/learner","accountId":"123456789012","accessKeyId":"` + id.AccessKeyID +
		`","userName":"learner"},"eventTime":"2026-11-23T15:00:00Z","eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity",` +
		`"awsRegion":"us-east-1","sourceIPAddress":"198.51.100.24","userAgent":"ua/1","requestParameters":null,"responseElements":null,` +
		`"requestID":"` + m["requestID"].(string) + `","eventID":"` + m["eventID"].(string) + `","readOnly":true,"eventType":"AwsApiCall",` +
		`"managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management",` +
		`"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"sts.us-east-1.amazonaws.com"}}`
	if recs[0] != want {
		t.Errorf("record\n got: %s\nwant: %s", recs[0], want)
	}
}

func TestInvokeErrors(t *testing.T) {
	w, p := withProbe(t)
	tests := []struct {
		name      string
		req       world.Request
		sentinel  error
		code, msg string
		handled   bool // the handler ran
		recorded  bool
	}{
		{"unknown service", world.Request{Service: "nope", Operation: "X"}, world.ErrUnknownService, "", "", false, false},
		{"unknown operation", world.Request{Service: "sts", Operation: "AssumeRole"}, world.ErrUnknownOperation, "", "", false, false},
		{"operation in model without handler", world.Request{Service: "probe", Operation: "Unimplemented"}, world.ErrUnknownOperation, "", "", false, false},
		{"bad JSON", world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(`{"ThingName":`)},
			nil, "SerializationException", "", false, true},
		{"not an object", world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(`[1]`)},
			nil, "SerializationException", "The request body must be a JSON object.", false, true},
		{"type error", world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(`{"ThingName":5}`)},
			nil, "SerializationException", "NUMBER_VALUE can not be converted to a String", false, true},
		{"validation before the handler", world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(`{"ThingName":"ab"}`)},
			nil, "ValidationException", "1 validation error detected: Value 'ab' at 'thingName' failed to satisfy constraint: Member must have length greater than or equal to 3", false, true},
		{"missing required", world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(`{}`)},
			nil, "ValidationException", "1 validation error detected: Value null at 'thingName' failed to satisfy constraint: Member must not be null", false, true},
		{"service error", world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(`{"ThingName":"missing"}`)},
			nil, "ResourceNotFoundException", "Thing missing was not found", true, true},
		{"plain error is InternalFailure", world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(`{"ThingName":"oops"}`)},
			nil, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", true, true},
		{"panic is InternalFailure", world.Request{Service: "probe", Operation: "Explode"},
			nil, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", true, true},
		{"cloudtrail bad key", world.Request{Service: "cloudtrail", Operation: "LookupEvents", Input: []byte(`{"LookupAttributes":[{"AttributeKey":"Nope","AttributeValue":"x"}]}`)},
			nil, "InvalidLookupAttributesException", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, calls := len(rawRecords(t, w)), p.calls
			resp, err := w.Invoke(tt.req)
			if err == nil {
				t.Fatalf("no error; response %v", resp)
			}
			if resp != nil {
				t.Errorf("a failed call returned %v", resp)
			}
			if tt.sentinel != nil {
				if !errors.Is(err, tt.sentinel) {
					t.Errorf("error %v is not %v", err, tt.sentinel)
				}
			} else {
				var e *awserr.Error
				if !errors.As(err, &e) {
					t.Fatalf("error %T %v is not an *awserr.Error", err, err)
				}
				if e.Code != tt.code || (tt.msg != "" && e.Message != tt.msg) {
					t.Errorf("got %s: %s; want %s: %s", e.Code, e.Message, tt.code, tt.msg)
				}
			}
			if ran := p.calls > calls; ran != tt.handled {
				t.Errorf("handler ran = %v, want %v", ran, tt.handled)
			}
			recs := records(t, w)
			if got := len(recs) - before; got != map[bool]int{true: 1, false: 0}[tt.recorded] {
				t.Fatalf("%d new records", got)
			}
			if !tt.recorded {
				return
			}
			r := recs[0]
			if r["errorCode"] != tt.code {
				t.Errorf("errorCode = %v, want %s", r["errorCode"], tt.code)
			}
			if tt.msg != "" && r["errorMessage"] != tt.msg {
				t.Errorf("errorMessage = %v", r["errorMessage"])
			}
			if r["responseElements"] != nil {
				t.Errorf("responseElements of a failure = %v", r["responseElements"])
			}
		})
	}
	// The world still works after a panic.
	if _, err := w.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity"}); err != nil {
		t.Fatal(err)
	}
}

func TestRequestAndResponseElements(t *testing.T) {
	w, _ := withProbe(t)
	in := `{"ThingName":"box","Password":"hunter22","Tags":{"CostCenter":"abc","Team Name":"red"},"NotBefore":"2026-11-23T15:30:00Z","Unknown":1}`
	resp, err := w.Invoke(world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(in)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(resp)
	// The response keeps the API's names and drops what the model lacks.
	if want := `{"ThingArn":"arn:aws:probe:us-east-1:123456789012:thing/box","CreatedAt":"2026-11-23T15:00:00Z","Tags":{"CostCenter":"abc","Team Name":"red"},"Token":"s3cr3t"}`; string(b) != want {
		t.Errorf("response\n got %s\nwant %s", b, want)
	}
	if _, err := w.Invoke(world.Request{Service: "probe", Operation: "DescribeThing", Input: []byte(`{"ThingName":"box"}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Invoke(world.Request{Service: "probe", Operation: "DeleteThing", Input: []byte(`{"ThingName":"gone"}`)}); err != nil {
		t.Fatal(err)
	}
	raws := rawRecords(t, w)
	if len(raws) != 3 {
		t.Fatalf("%d records", len(raws))
	}
	rec := func(i int, key string) string {
		var m map[string]json.RawMessage
		json.Unmarshal([]byte(raws[i]), &m)
		return string(m[key])
	}
	// CreateThing (oldest): lower camel case members, map keys untouched,
	// timestamps as Java dates, sensitive values hidden, unknown members dropped.
	if got, want := rec(2, "requestParameters"), `{"thingName":"box","password":"HIDDEN_DUE_TO_SECURITY_REASONS","tags":{"CostCenter":"abc","Team Name":"red"},"notBefore":"Nov 23, 2026, 3:30:00 PM"}`; got != want {
		t.Errorf("requestParameters\n got %s\nwant %s", got, want)
	}
	if got, want := rec(2, "responseElements"), `{"thingArn":"arn:aws:probe:us-east-1:123456789012:thing/box","createdAt":"Nov 23, 2026, 3:00:00 PM","tags":{"CostCenter":"abc","Team Name":"red"},"token":"HIDDEN_DUE_TO_SECURITY_REASONS"}`; got != want {
		t.Errorf("responseElements\n got %s\nwant %s", got, want)
	}
	if got := rec(2, "readOnly"); got != "false" {
		t.Errorf("CreateThing readOnly = %s", got)
	}
	// DescribeThing: read-only, so responseElements is null.
	if got := rec(1, "responseElements"); got != "null" {
		t.Errorf("DescribeThing responseElements = %s", got)
	}
	if got := rec(1, "readOnly"); got != "true" {
		t.Errorf("DescribeThing readOnly = %s", got)
	}
	// DeleteThing: a write without a response, with the resource it noted.
	if got := rec(0, "responseElements"); got != "null" {
		t.Errorf("DeleteThing responseElements = %s", got)
	}
	if got, want := rec(0, "resources"), `[{"ARN":"arn:aws:probe:us-east-1:123456789012:thing/gone","accountId":"123456789012","type":"AWS::Probe::Thing"}]`; got != want {
		t.Errorf("resources = %s", got)
	}
	resp, err = w.Invoke(world.Request{Service: "cloudtrail", Operation: "LookupEvents",
		Input: []byte(`{"LookupAttributes":[{"AttributeKey":"ResourceName","AttributeValue":"gone"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(resp)
	if !bytes.Contains(b, []byte(`"EventName":"DeleteThing"`)) || !bytes.Contains(b, []byte(`"Resources":[{"ResourceType":"AWS::Probe::Thing","ResourceName":"gone"}]`)) {
		t.Errorf("lookup by resource name: %s", b)
	}
}

func TestErrorMessageTruncated(t *testing.T) {
	w, _ := withProbe(t)
	long := strings.Repeat("é", 600)
	_, err := w.Invoke(world.Request{Service: "probe", Operation: "CreateThing", Input: []byte(`{"ThingName":"` + long + `"}`)})
	if err == nil {
		t.Fatal("no error")
	}
	r := records(t, w)[0]
	msg := r["errorMessage"].(string)
	if len(msg) > 1024 || !strings.HasPrefix(msg, "1 validation error detected") {
		t.Errorf("errorMessage %d bytes: %q", len(msg), msg)
	}
}

func TestClock(t *testing.T) {
	w := newWorld(t)
	changes := 0
	w.OnChange(func() { changes++ })
	if _, err := w.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	if !w.Now().Equal(start.Add(time.Hour)) {
		t.Errorf("Now = %v", w.Now())
	}
	if _, err := w.Advance(-time.Second); err == nil {
		t.Error("moving backwards was accepted")
	}
	if _, err := w.AdvanceTo(start); err == nil {
		t.Error("AdvanceTo the past was accepted")
	}
	w.Invoke(world.Request{Service: "sts", Operation: "GetCallerIdentity"})
	if changes != 2 {
		t.Errorf("OnChange called %d times, want 2", changes)
	}
	if w.Account() != "123456789012" || w.Region() != "us-east-1" || w.Seed() != 42 {
		t.Errorf("account %s region %s seed %d", w.Account(), w.Region(), w.Seed())
	}
}

func TestNewConfig(t *testing.T) {
	if _, err := world.New(world.Config{Account: "12345"}); err == nil {
		t.Error("a short account id was accepted")
	}
	w, err := world.New(world.Config{Account: "000011112222", Region: "eu-west-3", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.Identity().ARN != "arn:aws:iam::000011112222:user/learner" || w.Region() != "eu-west-3" {
		t.Errorf("identity %+v region %s", w.Identity(), w.Region())
	}
}
