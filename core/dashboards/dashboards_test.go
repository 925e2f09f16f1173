package dashboards

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

type clk struct{ t time.Time }

func (c *clk) Now() time.Time { return c.t }

var t0 = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)

func newService(t *testing.T) (*Service, *clk) {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clk{t0}
	return New(Deps{Store: st, Clock: c, Account: "123456789012"}), c
}

func call(c *clk) *api.Call { return &api.Call{Service: "cloudwatch", Now: c.Now()} }

func awsErr(t *testing.T, err error) *awserr.Error {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an AWS error", err)
	}
	return e
}

const textBody = `{"widgets":[{"type":"text","x":0,"y":7,"width":3,"height":3,"properties":{"markdown":"Hello world"}}]}`

const docBody = `{
   "start": "-PT6H",
   "periodOverride": "inherit",
   "widgets": [
      {"type":"metric","x":0,"y":0,"width":12,"height":6,
       "properties":{"metrics":[["AWS/EC2","CPUUtilization","InstanceId","i-012345"],[".","NetworkIn",".","."],
         ["...","i-678"],[{"expression":"ANOMALY_DETECTION_BAND(m1, 2)","label":"CPU (expected)","id":"ad1"}],
         ["AWS/EC2","CPUUtilization",{"id":"m1","stat":"Maximum","visible":false,"period":300}]],
         "period":300,"stat":"Average","region":"us-east-1","title":"EC2 Instance CPU","liveData":false,"legend":{"position":"right"}}},
      {"type":"text","x":0,"y":7,"width":3,"height":3,"properties":{"markdown":"Hello world"}},
      {"type":"alarm","properties":{"alarms":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high"],"states":["ALARM"],"sortBy":"stateUpdatedTimestamp"}},
      {"type":"log","properties":{"query":"SOURCE '/app' | fields @timestamp, @message","region":"us-east-1","view":"table"}},
      {"type":"explorer","properties":{"metrics":[{"metricName":"CPUUtilization","resourceType":"AWS::EC2::Instance","stat":"Average"}],"period":300}},
      {"type":"custom","properties":{"endpoint":"arn:aws:lambda:us-east-1:123456789012:function:widget"}}
   ]
}`

func TestValidate(t *testing.T) {
	tests := []struct {
		name, body string
		want       []Problem
	}{
		{"text widget", textBody, nil},
		{"documentation example", docBody, nil},
		{"empty widgets", `{"widgets":[]}`, nil},
		{"no widgets", `{"start":"-PT3H"}`, []Problem{{"", "Should have required property 'widgets'"}}},
		{"not an object", `[1]`, []Problem{{"", "Should be object"}}},
		{"widgets not an array", `{"widgets":{}}`, []Problem{{"/widgets", "Should be array"}}},
		{"period override", `{"widgets":[],"periodOverride":"never"}`, []Problem{{"/periodOverride", "Should be equal to one of the allowed values"}}},
		{"widget without type", `{"widgets":[{"properties":{}}]}`, []Problem{{"/widgets/0", "Should have required property 'type'"}}},
		{"unknown type", `{"widgets":[{"type":"chart","properties":{}}]}`, []Problem{{"/widgets/0/type", "Should be equal to one of the allowed values"}}},
		{"geometry", `{"widgets":[{"type":"text","x":24,"y":-1,"width":1.5,"height":0,"properties":{"markdown":"m"}}]}`, []Problem{
			{"/widgets/0/x", "Should be <= 23"}, {"/widgets/0/y", "Should be >= 0"}, {"/widgets/0/width", "Should be integer"}, {"/widgets/0/height", "Should be >= 1"}}},
		{"text without markdown", `{"widgets":[{"type":"text","properties":{}}]}`, []Problem{{"/widgets/0/properties", "Should have required property 'markdown'"}}},
		{"metric without region", `{"widgets":[{"type":"metric","properties":{"metrics":[["AWS/EC2","CPUUtilization"]]}}]}`, []Problem{
			{"/widgets/0/properties", "Should have required property 'region'"}, {"/widgets/0", "The metric widget should have specified a region."}}},
		{"dimension as an object", `{"widgets":[{"type":"metric","properties":{"region":"us-east-1","metrics":[["AWS/Lambda","Invocations",{"stat":"Sum"},{"FunctionName":"f"}]]}}]}`, []Problem{
			{"/widgets/0/properties/metrics/0", "Should NOT have more than 3 items"}, {"/widgets/0/properties/metrics/0/2", `Invalid metric field type, only "String" type is allowed`}}},
		{"dimensions in the rendering object", `{"widgets":[{"type":"metric","properties":{"region":"us-east-1","metrics":[["AWS/RDS","DatabaseConnections",{"stat":"Sum","dimensions":{"DBInstanceIdentifier":"db"}}]]}}]}`, []Problem{
			{"/widgets/0/properties/metrics/0", "Should NOT have more than 2 items"}}},
		{"empty dimension value", `{"widgets":[{"type":"metric","properties":{"region":"us-east-1","metrics":[["AWS/ELB","RequestCount","TargetGroup",""]]}}]}`, []Problem{
			{"/widgets/0/properties/metrics/0/3", `Invalid metric field type, only "String" type is allowed`}}},
		{"null field", `{"widgets":[{"type":"metric","properties":{"region":"us-east-1","metrics":[["AWS/ELB","RequestCount","LoadBalancer",null]]}}]}`, []Problem{
			{"/widgets/0/properties/metrics/0/3", `Invalid metric field type, only "String" type is allowed`}}},
		{"row not an array", `{"widgets":[{"type":"metric","properties":{"region":"us-east-1","metrics":["AWS/EC2"]}}]}`, []Problem{
			{"/widgets/0/properties/metrics/0", `Field "metrics" has to be an array of array of strings, with an optional metricRenderer object as last element`}}},
		{"metric view", `{"widgets":[{"type":"metric","properties":{"region":"us-east-1","view":"pie chart","stacked":"yes"}}]}`, []Problem{
			{"/widgets/0/properties/view", "Should be equal to one of the allowed values"}, {"/widgets/0/properties/stacked", "Should be boolean"}}},
		{"alarm widget", `{"widgets":[{"type":"alarm","properties":{"alarms":[],"states":["BROKEN"]}}]}`, []Problem{
			{"/widgets/0/properties/alarms", "Should NOT have fewer than 1 items"}, {"/widgets/0/properties/states/0", "Should be equal to one of the allowed values"}}},
		{"log widget", `{"widgets":[{"type":"log","properties":{"query":7}}]}`, []Problem{
			{"/widgets/0/properties", "Should have required property 'region'"}, {"/widgets/0/properties/query", "Should be string"}}},
		{"explorer widget", `{"widgets":[{"type":"explorer","properties":{"metrics":[{"metricName":"CPUUtilization"}]}}]}`, []Problem{
			{"/widgets/0/properties/metrics/0", "Should have required property 'resourceType'"}, {"/widgets/0/properties/metrics/0", "Should have required property 'stat'"}}},
		{"custom widget", `{"widgets":[{"type":"custom","properties":{}}]}`, []Problem{{"/widgets/0/properties", "Should have required property 'endpoint'"}}},
		{"variables", `{"widgets":[],"variables":[{"type":"property","property":"InstanceId","inputType":"dropdown","id":"v"}]}`, []Problem{
			{"/variables/0/inputType", "Should be equal to one of the allowed values"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Check(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	err := Validate(`{"widgets":[{"type":"metric","properties":{"region":"us-east-1","metrics":[["AWS/Lambda","Invocations","FunctionName",{"stat":"Sum"},{"x":1}]]}}]}`)
	e := awsErr(t, err)
	want := `The dashboard body is invalid, there are 2 validation errors:
[
  {
    "dataPath": "/widgets/0/properties/metrics/0",
    "message": "Should NOT have more than 4 items"
  },
  {
    "dataPath": "/widgets/0/properties/metrics/0/3",
    "message": "Invalid metric field type, only \"String\" type is allowed"
  }
]`
	if e.Code != "InvalidParameterInput" || e.Status != 400 || e.Message != want {
		t.Errorf("got %s %d\n%s", e.Code, e.Status, e.Message)
	}
	for _, body := range []string{"", "{", "not json", `{"widgets":[]} {}`} {
		e := awsErr(t, Validate(body))
		if e.Code != "InvalidParameterInput" || e.Message != "The field DashboardBody must be a valid JSON object" {
			t.Errorf("%q: %v", body, e)
		}
	}
	many := `{"widgets":[` + strings.Repeat(`{"type":"text","properties":{"markdown":"m"}},`, MaxWidgets) + `{"type":"text","properties":{"markdown":"m"}}]}`
	if p, _ := Check(many); len(p) != 1 || p[0].Message != "Should NOT have more than 500 items" {
		t.Errorf("501 widgets: %v", p)
	}
}

func TestDashboards(t *testing.T) {
	s, c := newService(t)
	put := func(name, body string) {
		t.Helper()
		out, err := s.PutDashboard(call(c), &PutDashboardInput{DashboardName: name, DashboardBody: body})
		if err != nil {
			t.Fatalf("PutDashboard %s: %v", name, err)
		}
		if out.DashboardValidationMessages == nil || len(out.DashboardValidationMessages) != 0 {
			t.Errorf("validation messages: %v", out.DashboardValidationMessages)
		}
	}
	put("Ops-A", textBody)
	c.t = t0.Add(time.Minute)
	put("Ops-B", docBody)
	put("web_1", `{"widgets":[]}`)
	got, err := s.GetDashboard(call(c), &GetDashboardInput{DashboardName: "Ops-B"})
	if err != nil {
		t.Fatal(err)
	}
	if got.DashboardArn != "arn:aws:cloudwatch::123456789012:dashboard/Ops-B" || got.DashboardBody != docBody || got.DashboardName != "Ops-B" {
		t.Errorf("GetDashboard: %+v", got)
	}
	list, err := s.ListDashboards(call(c), &ListDashboardsInput{DashboardNamePrefix: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	want := []DashboardEntry{
		{DashboardName: "Ops-A", DashboardArn: "arn:aws:cloudwatch::123456789012:dashboard/Ops-A", LastModified: t0, Size: int64(len(textBody))},
		{DashboardName: "Ops-B", DashboardArn: "arn:aws:cloudwatch::123456789012:dashboard/Ops-B", LastModified: t0.Add(time.Minute), Size: int64(len(docBody))},
	}
	if !reflect.DeepEqual(list.DashboardEntries, want) || list.NextToken != "" {
		t.Errorf("ListDashboards: %+v", list)
	}
	// Replacing keeps the name and updates LastModified.
	c.t = t0.Add(time.Hour)
	put("Ops-A", `{"widgets":[]}`)
	list, _ = s.ListDashboards(call(c), &ListDashboardsInput{DashboardNamePrefix: "Ops-A"})
	if len(list.DashboardEntries) != 1 || !list.DashboardEntries[0].LastModified.Equal(t0.Add(time.Hour)) || list.DashboardEntries[0].Size != 14 {
		t.Errorf("after update: %+v", list)
	}
	// Errors.
	_, err = s.GetDashboard(call(c), &GetDashboardInput{DashboardName: "nope"})
	if e := awsErr(t, err); e.Code != "ResourceNotFound" || e.Status != 404 || e.Message != "Dashboard nope does not exist" {
		t.Errorf("GetDashboard missing: %v", e)
	}
	for _, name := range []string{"", "has space", "slash/name", strings.Repeat("a", 256)} {
		_, err := s.PutDashboard(call(c), &PutDashboardInput{DashboardName: name, DashboardBody: textBody})
		if e := awsErr(t, err); e.Code != "InvalidParameterInput" || !strings.HasPrefix(e.Message, "The value for field DashboardName contains invalid characters.") {
			t.Errorf("name %q: %v", name, e)
		}
	}
	_, err = s.PutDashboard(call(c), &PutDashboardInput{DashboardName: "bad", DashboardBody: `{}`})
	if e := awsErr(t, err); e.Code != "InvalidParameterInput" || !strings.Contains(e.Message, "Should have required property 'widgets'") {
		t.Errorf("bad body: %v", e)
	}
	if _, ok := s.get("bad"); ok {
		t.Error("an invalid dashboard was stored")
	}
	// Delete: the existing ones go, a missing name is reported.
	_, err = s.DeleteDashboards(call(c), &DeleteDashboardsInput{DashboardNames: []string{"Ops-A", "ghost", "Ops-A"}})
	if e := awsErr(t, err); e.Code != "ResourceNotFound" || e.Message != "Dashboard ghost does not exist" {
		t.Errorf("delete with a missing name: %v", e)
	}
	if _, ok := s.get("Ops-A"); ok {
		t.Error("Ops-A was not deleted")
	}
	if _, err := s.DeleteDashboards(call(c), &DeleteDashboardsInput{DashboardNames: []string{"Ops-B", "web_1"}}); err != nil {
		t.Fatal(err)
	}
	list, _ = s.ListDashboards(call(c), &ListDashboardsInput{})
	if len(list.DashboardEntries) != 0 {
		t.Errorf("after delete: %+v", list)
	}
	if _, err := s.DeleteDashboards(call(c), &DeleteDashboardsInput{}); err == nil {
		t.Error("DeleteDashboards without names")
	}
	if _, err := s.ListDashboards(call(c), &ListDashboardsInput{NextToken: new(string)}); err != nil {
		t.Errorf("empty token: %v", err)
	}
	bad := "%%"
	if _, err := s.ListDashboards(call(c), &ListDashboardsInput{NextToken: &bad}); err == nil {
		t.Error("bad token accepted")
	}
}

func TestListDashboardsPages(t *testing.T) {
	s, c := newService(t)
	for i := 0; i < ListPageSize+5; i++ {
		if _, err := s.PutDashboard(call(c), &PutDashboardInput{DashboardName: fmt.Sprintf("d%04d", i), DashboardBody: `{"widgets":[]}`}); err != nil {
			t.Fatal(err)
		}
	}
	first, _ := s.ListDashboards(call(c), &ListDashboardsInput{})
	if len(first.DashboardEntries) != ListPageSize || first.NextToken == "" {
		t.Fatalf("first page: %d %q", len(first.DashboardEntries), first.NextToken)
	}
	second, err := s.ListDashboards(call(c), &ListDashboardsInput{NextToken: &first.NextToken})
	if err != nil || len(second.DashboardEntries) != 5 || second.NextToken != "" || second.DashboardEntries[0].DashboardName != "d1000" {
		t.Fatalf("second page: %+v %v", second, err)
	}
}
