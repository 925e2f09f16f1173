package cloudtrail_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/telltale-dev/telltale/core/cloudtrail"
)

// The conformance file is a copy of ../shared/conformance/cloudtrail_records_awsdocs.jsonl:
// record examples from the CloudTrail user guide. They are shape references,
// so the test checks that every field they show is one the simulation knows
// (or is listed below as not simulated, with the reason), that the fields we
// write come in the order AWS writes them, and the formats of the values.
const conformanceFile = "testdata/conformance/cloudtrail_records_awsdocs.jsonl"

// notSimulated lists the record fields of the examples that the simulation
// never writes, and why.
var notSimulated = map[string]string{
	"additionalEventData": "console sign-in and service-specific extras: no console sign-in is simulated",
	"serviceEventDetails": "AwsServiceEvent records: no AWS service events are simulated yet",
	"sharedEventID":       "cross-account and Insights pairs: one account, no Insights",
	"insightDetails":      "Insights events are not simulated",
	"vpcEndpointId":       "no VPC endpoints",
}

// notSimulatedIdentity lists userIdentity fields the simulation never writes.
var notSimulatedIdentity = map[string]string{
	"sessionContext": "the caller is an IAM user with long-term keys: no role sessions or console sessions yet",
}

// skipped lists the cases that do not apply, with the reason.
var skipped = map[string]string{
	"cloudtrail-docs-cloudtrail-log-file-examples-07": "the documentation block is not strict JSON (elisions); kept raw in the file",
}

// identityOrderSkipped lists cases whose userIdentity order is not checked.
var identityOrderSkipped = map[string]string{
	"cloudtrail-docs-cloudtrail-log-file-examples-02": "eventVersion 1.0 example puts accessKeyId before accountId; every newer example (1.04+) puts accountId first, as we do",
}

type confCase struct {
	ID     string          `json:"id"`
	Record json.RawMessage `json:"record"`
}

// keys returns the member names of a JSON object in document order.
func keys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var out []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// ourOrder returns the order of the members we write, from a record with
// every optional member set.
func ourOrder(t *testing.T) (record, identity map[string]int) {
	r := cloudtrail.Record{
		EventVersion: "1", EventTime: "x", EventSource: "x", EventName: "x", AWSRegion: "x", SourceIPAddress: "x",
		UserAgent: "x", ErrorCode: "x", ErrorMessage: "x", RequestParameters: json.RawMessage("{}"),
		ResponseElements: json.RawMessage("null"), RequestID: "x", EventID: "x", Resources: []cloudtrail.Resource{{Type: "x"}},
		EventType: "x", APIVersion: "x", RecipientAccountID: "x", EventCategory: "x", TLSDetails: &cloudtrail.TLSDetails{},
		UserIdentity: cloudtrail.UserIdentity{Type: "x", PrincipalID: "x", ARN: "x", AccountID: "x", AccessKeyID: "x", UserName: "x", InvokedBy: "x"},
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	record, identity = map[string]int{}, map[string]int{}
	for i, k := range keys(t, b) {
		record[k] = i
	}
	var m map[string]json.RawMessage
	json.Unmarshal(b, &m)
	for i, k := range keys(t, m["userIdentity"]) {
		identity[k] = i
	}
	return record, identity
}

var eventTimeFormat = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

func TestConformanceRecordShape(t *testing.T) {
	f, err := os.Open(conformanceFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recOrder, idOrder := ourOrder(t)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var c confCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		t.Run(c.ID, func(t *testing.T) {
			if why, ok := skipped[c.ID]; ok {
				t.Logf("not applicable: %s", why)
				return
			}
			var wrapper struct{ Records []json.RawMessage }
			recs := []json.RawMessage{c.Record}
			if json.Unmarshal(c.Record, &wrapper) == nil && wrapper.Records != nil {
				recs = wrapper.Records
			}
			for _, rec := range recs {
				checkOrder(t, "record", keys(t, rec), recOrder, notSimulated)
				var m map[string]json.RawMessage
				json.Unmarshal(rec, &m)
				if ui, ok := m["userIdentity"]; ok {
					if why, skip := identityOrderSkipped[c.ID]; skip {
						t.Logf("userIdentity order not checked: %s", why)
						checkOrder(t, "userIdentity", nil, idOrder, notSimulatedIdentity)
					} else {
						checkOrder(t, "userIdentity", keys(t, ui), idOrder, notSimulatedIdentity)
					}
				}
				var et string
				if json.Unmarshal(m["eventTime"], &et) == nil && et != "" && !eventTimeFormat.MatchString(et) {
					t.Errorf("eventTime %q is not in the format we write", et)
				}
				// A failed call has a null responseElements, as we write it.
				if _, failed := m["errorCode"]; failed {
					if re := string(m["responseElements"]); re != "null" {
						t.Errorf("responseElements of a failure = %s", re)
					}
				}
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 20 {
		t.Errorf("%d cases, the file has 20", n)
	}
}

// checkOrder fails when a field is unknown and not listed as not simulated,
// or when the known fields are not in our order.
func checkOrder(t *testing.T, what string, doc []string, ours map[string]int, skip map[string]string) {
	t.Helper()
	last, lastKey := -1, ""
	for _, k := range doc {
		i, ok := ours[k]
		if !ok {
			if _, listed := skip[k]; !listed {
				t.Errorf("%s field %q is neither written by the simulation nor listed as not simulated", what, k)
			}
			continue
		}
		if i < last {
			t.Errorf("%s field %q comes after %q in AWS's record but before it in ours", what, k, lastKey)
		}
		last, lastKey = i, k
	}
}
