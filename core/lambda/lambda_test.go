package lambda

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

type sink struct {
	group, stream string
	lines         []string
}

func (s *sink) WriteLambdaLogs(group, stream string, _ time.Time, lines []string) error {
	s.group, s.stream, s.lines = group, stream, append(s.lines, lines...)
	return nil
}

// emptyZip is the smallest zip file: an end-of-central-directory record.
var emptyZip = []byte("PK\x05\x06" + strings.Repeat("\x00", 18))

func setup(t *testing.T) (*Service, *sink, *api.Call) {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	logs := &sink{}
	s := New(Deps{Store: st, Clock: clk, IDs: ids.New(1), Account: "123456789012", Region: "us-east-1", Logs: logs})
	return s, logs, &api.Call{Now: clk.Now(), Account: "123456789012", Region: "us-east-1", RequestID: "req-1"}
}

func str(s string) *string { return &s }

func TestInvoke(t *testing.T) {
	s, logs, c := setup(t)
	cfg, err := s.CreateFunction(c, &CreateFunctionInput{FunctionName: "fn", Runtime: str("python3.12"), Handler: str("app.handler"),
		Role: "arn:aws:iam::123456789012:role/r", Code: FunctionCode{ZipFile: emptyZip}})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.State != "Pending" || cfg.LastModified != "2026-01-02T03:04:05.000+0000" || cfg.CodeSize != 22 {
		t.Fatalf("CreateFunction = %+v", cfg)
	}
	cases := []struct {
		typ     string
		status  int
		payload string
	}{
		{"RequestResponse", 200, `{"statusCode":200,"body":"{\"a\":\"<b>\"}"}`},
		{"Event", 202, ""},
		{"DryRun", 204, ""},
	}
	for _, tc := range cases {
		out, err := s.Invoke(c, &InvokeInput{FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:fn", InvocationType: str(tc.typ),
			Payload: []byte(`{"a":"<b>"}`), LogType: str("Tail")})
		if err != nil {
			t.Fatal(err)
		}
		if out.StatusCode != tc.status || string(out.Payload) != tc.payload {
			t.Errorf("%s: %d %s", tc.typ, out.StatusCode, out.Payload)
		}
		if tc.typ == "RequestResponse" {
			tail, _ := base64.StdEncoding.DecodeString(out.LogResult)
			if !strings.HasPrefix(string(tail), "START RequestId: req-1 Version: $LATEST\n") {
				t.Errorf("LogResult = %q", tail)
			}
		}
	}
	if err := s.Deliver("arn:aws:lambda:us-east-1:123456789012:function:fn", []byte(`{"from":"sns"}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.Deliver("arn:aws:lambda:us-east-1:123456789012:function:gone", nil); err == nil {
		t.Fatal("Deliver to a missing function succeeded")
	}
	invs, err := s.Invocations("fn")
	if err != nil || len(invs) != 3 {
		t.Fatalf("Invocations = %+v, %v", invs, err)
	}
	if invs[2].Source != "delivery" || invs[2].Type != "Event" || invs[2].Payload != `{"from":"sns"}` {
		t.Errorf("delivered invocation = %+v", invs[2])
	}
	if logs.group != "/aws/lambda/fn" || len(logs.lines) != 9 || !strings.HasPrefix(logs.lines[2], "REPORT RequestId: req-1\tDuration:") {
		t.Errorf("logs = %q %q", logs.group, logs.lines)
	}
}

func TestErrors(t *testing.T) {
	s, _, c := setup(t)
	create := func(name string, code FunctionCode, runtime *string) error {
		_, err := s.CreateFunction(c, &CreateFunctionInput{FunctionName: name, Runtime: runtime, Handler: str("h"),
			Role: "arn:aws:iam::123456789012:role/r", Code: code})
		return err
	}
	if err := create("fn", FunctionCode{ZipFile: emptyZip}, str("nodejs22.x")); err != nil {
		t.Fatal(err)
	}
	_, getErr := s.GetFunction(c, &FunctionInput{FunctionName: "nope"})
	_, qualErr := s.GetFunction(c, &FunctionInput{FunctionName: "fn", Qualifier: str("2")})
	_, invErr := s.Invoke(c, &InvokeInput{FunctionName: "fn", Payload: []byte("{")})
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"exists", create("fn", FunctionCode{ZipFile: emptyZip}, str("nodejs22.x")), "ResourceConflictException: Function already exist: fn"},
		{"not a zip", create("x", FunctionCode{ZipFile: []byte("hello")}, str("nodejs22.x")), "InvalidParameterValueException: Could not unzip uploaded file. Please check your file, then try to upload again."},
		{"no runtime", create("x", FunctionCode{ZipFile: emptyZip}, nil), "InvalidParameterValueException: Runtime and Handler are mandatory parameters for functions created with deployment packages."},
		{"not found", getErr, "ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"},
		{"qualifier", qualErr, "ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:2"},
		{"bad payload", invErr, "InvalidRequestContentException: Could not parse request body into json: Could not parse payload into json: Unexpected character: was expecting a JSON value"},
	}
	for _, tc := range cases {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.want)
		}
	}
}
