package eventbridge

import (
	"strings"
	"testing"
	"time"
)

const sampleEvent = `{"version":"0","id":"e1","detail-type":"core.update-account-command","source":"core.update-account-command","account":"123456789012","time":"2026-01-02T03:04:05Z","region":"us-east-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-1"],"detail":{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"},"list":["HIGH"],"states":["ACTIVE","INACTIVE"],"flag":true,"n":42,"quote":"say \"hi\""}}`

func TestTransform(t *testing.T) {
	paths := map[string]string{
		"command": "$.detail.command", "payload": "$.detail.payload", "list": "$.detail.list",
		"states": "$.detail.states", "flag": "$.detail.flag", "n": "$.detail.n", "missing": "$.detail.nothing",
		"res": "$.resources[0]", "sf": "$.detail.payload.sf_id", "dt": "$.detail-type",
	}
	cases := []struct {
		name, template, want string
		drop                 bool
	}{
		{"quoted string template", `"command <command> is <flag> for <payload>"`, `"command update-account is true for {acc_id:0a787ecb-4015,sf_id:baz}"`, false},
		{"lists raw in a string", `"<list> <states>"`, `"[HIGH] [ACTIVE,INACTIVE]"`, false},
		{"missing raw is empty", `"x<missing>y"`, `"xy"`, false},
		{"json bare values", `{"c": <command>, "p": <payload>, "l": <states>, "f": <flag>, "n": <n>}`,
			`{"c": "update-account", "p": {"acc_id":"0a787ecb-4015","sf_id":"baz"}, "l": ["ACTIVE","INACTIVE"], "f": true, "n": 42}`, false},
		{"json in string raw", `{"msg": "instance <res> got <command>"}`, `{"msg": "instance arn:aws:ec2:us-east-1:123456789012:instance/i-1 got update-account"}`, false},
		{"json missing bare", `{"m": <missing>}`, `{"m": ""}`, false},
		{"object in a string is not JSON", `{"payload": "<payload>"}`, "", true},
		{"list in a string is not JSON", `{"x": "<states>"}`, "", true},
		{"quotes are not escaped", `{"q": "<sf> <dt>"}`, `{"q": "baz core.update-account-command"}`, false},
		{"predefined", `{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>}`,
			`{"rule": "r1", "arn": "arn:aws:events:us-east-1:123456789012:rule/r1", "at": "2026-01-02T03:04:06Z"}`, false},
		{"event without detail", `{"e": <aws.events.event>}`,
			`{"e": {"id":"e1","account":"123456789012","detailType":"core.update-account-command","time":"2026-01-02T03:04:05Z","source":"core.update-account-command","region":"us-east-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-1"],"version":"0"}}`, false},
		{"plain text", `instance <sf> done`, `instance baz done`, false},
	}
	at := time.Date(2026, 1, 2, 3, 4, 6, 0, time.UTC)
	s := &Service{d: Deps{Account: "123456789012", Region: "us-east-1"}}
	for _, c := range cases {
		tr := &InputTransformer{InputPathsMap: paths, InputTemplate: c.template}
		if err := checkTarget(&Target{Id: "t", InputTransformer: tr}); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got, ok := s.transform(Target{InputTransformer: tr}, []byte(sampleEvent), s.ruleARN("default", "r1"), "r1", at)
		if ok == c.drop {
			t.Errorf("%s: delivered = %v, want %v (%s)", c.name, ok, !c.drop, got)
			continue
		}
		if ok && string(got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	// <aws.events.event.json> is the whole event.
	tr := &InputTransformer{InputTemplate: `{"all": <aws.events.event.json>}`}
	got, _ := s.transform(Target{InputTransformer: tr}, []byte(sampleEvent), "a", "r", at)
	if string(got) != `{"all": `+sampleEvent+`}` {
		t.Errorf("event.json: %s", got)
	}
	// InputPath.
	for path, want := range map[string]string{"$.detail.payload": `{"acc_id":"0a787ecb-4015","sf_id":"baz"}`, "$.detail.payload.sf_id": `"baz"`, "$": sampleEvent} {
		p := path
		got, ok := s.transform(Target{InputPath: &p}, []byte(sampleEvent), "a", "r", at)
		if !ok || string(got) != want {
			t.Errorf("InputPath %s = %s %v, want %s", path, got, ok, want)
		}
	}
}

func TestCheckTarget(t *testing.T) {
	str := func(s string) *string { return &s }
	cases := []struct {
		target Target
		want   string
	}{
		{Target{Id: "t1", Input: str(`{}`), InputPath: str("$.detail")}, "Only one of Input, InputPath, or InputTransformer must be provided for target t1."},
		{Target{Id: "t2", InputTransformer: &InputTransformer{InputTemplate: `"<nope>"`}}, "InputTemplate for target t2 contains invalid placeholder nope."},
		{Target{Id: "t3", InputTransformer: &InputTransformer{InputTemplate: `{"a": "<aws.events.event>"}`}}, "InputTemplate for target t3 contains invalid placeholder aws.events.event."},
		{Target{Id: "t4", InputPath: str("detail")}, "Parameter InputPath is not valid."},
		{Target{Id: "t5", Input: str(`{"a":`)}, "Parameter Input is not valid JSON."},
		{Target{Id: "ok", InputTransformer: &InputTransformer{InputPathsMap: map[string]string{"a": "$.detail.a"}, InputTemplate: `{"a": <a>, "r": "<aws.events.rule-name>"}`}}, ""},
	}
	for _, c := range cases {
		err := checkTarget(&c.target)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if !strings.HasSuffix(got, c.want) || (c.want == "") != (err == nil) {
			t.Errorf("%s: got %q, want %q", c.target.Id, got, c.want)
		}
	}
}

func FuzzRenderTemplate(f *testing.F) {
	f.Add(`{"a": <a>, "b": "<b> x"}`, `{"x":{"a":[1,{"b":"c"}],"b":"q\"q"}}`)
	f.Add(`"instance <a> is in <b>"`, `{"a":"i-1","b":["x","y"]}`)
	f.Add(`<a><<b>>`, `{"a":null,"b":true}`)
	f.Add(`{"e": <aws.events.event>, "j": <aws.events.event.json>}`, `{}`)
	f.Fuzz(func(t *testing.T, template, event string) {
		tr := &InputTransformer{InputPathsMap: map[string]string{"a": "$.a", "b": "$.x.b"}, InputTemplate: template}
		if checkTarget(&Target{Id: "t", InputTransformer: tr}) != nil {
			return
		}
		s := &Service{d: Deps{Account: "123456789012", Region: "us-east-1"}}
		out, ok := s.transform(Target{InputTransformer: tr}, []byte(event), "arn", "r", time.Unix(0, 0))
		if ok && strings.HasPrefix(strings.TrimSpace(template), "{") && !jsonValid(out) {
			t.Fatalf("delivered invalid JSON %q", out)
		}
	})
}
