package logsim

import (
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/filterpattern"
	"github.com/telltale-dev/telltale/core/store"
)

var t0 = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

func server(seed uint64, rate int, errRate float64, format string) WebServer {
	return WebServer{Name: "web-1", AccessLogGroup: "/web/access", AppLogGroup: "/web/app", Rate: rate,
		ErrorRate: errRate, Seed: seed, Format: format, Start: t0}
}

func TestWebServerDeterministic(t *testing.T) {
	a := server(7, 60, 0.05, FormatCommon)
	b := server(7, 60, 0.05, FormatCommon)
	c := server(8, 60, 0.05, FormatCommon)
	aa, ap := a.Lines(t0, t0.Add(10*time.Minute))
	ba, bp := b.Lines(t0, t0.Add(10*time.Minute))
	ca, _ := c.Lines(t0, t0.Add(10*time.Minute))
	if !reflect.DeepEqual(aa, ba) || !reflect.DeepEqual(ap, bp) {
		t.Fatal("the same seed gave different lines")
	}
	if reflect.DeepEqual(aa, ca) {
		t.Fatal("different seeds gave the same lines")
	}
	// A minute is the same whether generated alone or within a range.
	one, _ := a.Lines(t0.Add(3*time.Minute), t0.Add(4*time.Minute))
	var want []Event
	for _, e := range aa {
		if !e.Timestamp.Before(t0.Add(3*time.Minute)) && e.Timestamp.Before(t0.Add(4*time.Minute)) {
			want = append(want, e)
		}
	}
	if !reflect.DeepEqual(one, want) {
		t.Fatal("a minute differs when generated alone")
	}
	if len(aa) < 540 || len(aa) > 660 {
		t.Errorf("%d requests in 10 minutes at 60 a minute", len(aa))
	}
	for i := 1; i < len(aa); i++ {
		if aa[i].Timestamp.Before(aa[i-1].Timestamp) {
			t.Fatalf("lines out of order at %d", i)
		}
	}
}

func mustParse(t *testing.T, p string) *filterpattern.Pattern {
	t.Helper()
	pat, err := filterpattern.Parse(p)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return pat
}

// TestWebServerPatterns: the lines work with the filter patterns learners
// use, and the errors the access log shows are the ERROR lines of the
// application log.
func TestWebServerPatterns(t *testing.T) {
	ws := server(3, 100, 0.1, FormatCommon)
	access, app := ws.Lines(t0, t0.Add(30*time.Minute))
	if len(access) != len(app) {
		t.Fatalf("%d access lines, %d application lines", len(access), len(app))
	}
	all := mustParse(t, `[ip, id, user, timestamp, request, status_code, size]`)
	fives := mustParse(t, `[ip, id, user, timestamp, request, status_code=5*, size]`)
	errs := mustParse(t, `{ $.level = "ERROR" }`)
	status5 := mustParse(t, `{ $.status >= 500 }`)
	fields := mustParse(t, `{ $.requestId = * && $.latency > 0 && $.path = "/*" && $.method = * }`)
	n5, nErr := 0, 0
	for i := range access {
		if !all.Matches(access[i].Message) {
			t.Fatalf("access line does not match the 7-field pattern: %s", access[i].Message)
		}
		if !fields.Matches(app[i].Message) {
			t.Fatalf("application line lacks a field: %s", app[i].Message)
		}
		a5, aErr := fives.Matches(access[i].Message), errs.Matches(app[i].Message)
		if a5 != aErr || aErr != status5.Matches(app[i].Message) {
			t.Fatalf("access %q and application %q disagree", access[i].Message, app[i].Message)
		}
		if a5 {
			n5++
		}
		if aErr {
			nErr++
		}
	}
	share := float64(n5) / float64(len(access))
	if share < 0.07 || share > 0.13 {
		t.Errorf("error share %.3f, want about 0.1", share)
	}
	if errs.Matches(access[0].Message) || all.Matches(app[0].Message) {
		t.Error("a JSON pattern matched an access line or a space-delimited one a JSON line")
	}
	comb := server(3, 20, 0.5, FormatCombined)
	ca, _ := comb.Lines(t0, t0.Add(5*time.Minute))
	nine := mustParse(t, `[ip, id, user, timestamp, request, status_code, size, referer, agent]`)
	for _, e := range ca {
		if !nine.Matches(e.Message) {
			t.Fatalf("combined line does not match the 9-field pattern: %s", e.Message)
		}
	}
	none := server(3, 50, 0, FormatCommon)
	na, _ := none.Lines(t0, t0.Add(10*time.Minute))
	for _, e := range na {
		if fives.Matches(e.Message) {
			t.Fatalf("error rate 0 gave %s", e.Message)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		ws   WebServer
		want string
	}{
		{"ok", WebServer{Name: "w", AccessLogGroup: "/a", Rate: 1}, ""},
		{"name", WebServer{Name: "a b", AccessLogGroup: "/a", Rate: 1}, "name"},
		{"no group", WebServer{Name: "w", Rate: 1}, "give a log group"},
		{"group", WebServer{Name: "w", AppLogGroup: "a b", Rate: 1}, "not a log group name"},
		{"rate", WebServer{Name: "w", AccessLogGroup: "/a", Rate: MaxRate + 1}, "rate"},
		{"error rate", WebServer{Name: "w", AccessLogGroup: "/a", Rate: 1, ErrorRate: -0.1}, "error rate"},
		{"format", WebServer{Name: "w", AccessLogGroup: "/a", Rate: 1, Format: "x"}, "format"},
	} {
		err := c.ws.Validate()
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

const agentJSON = `{"agent": {"metrics_collection_interval": 60},
 "logs": {"logs_collected": {"files": {"collect_list": [
  {"file_path": "/var/log/messages", "log_group_name": "/ec2/messages", "log_stream_name": "{instance_id}"},
  {"file_path": "/var/log/httpd/access_log", "log_group_name": "/ec2/access"},
  {"file_path": "/opt/app/app.json"},
  {"log_group_name": "no-path"}
 ]}}}}`

func TestParseAgentConfig(t *testing.T) {
	script := "#!/bin/bash\nyum install -y amazon-cloudwatch-agent\ncat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<'EOF'\n" + agentJSON + "\nEOF\n"
	want := []CollectEntry{
		{"/var/log/messages", "/ec2/messages", "{instance_id}"},
		{"/var/log/httpd/access_log", "/ec2/access", "{instance_id}"},
		{"/opt/app/app.json", "/opt/app/app.json", "{instance_id}"},
	}
	for _, c := range []struct {
		name     string
		userData string
		tags     map[string]string
		want     []CollectEntry
	}{
		{"script", script, nil, want},
		{"base64 script", base64.StdEncoding.EncodeToString([]byte(script)), nil, want},
		{"no config", "#!/bin/bash\nyum install -y amazon-cloudwatch-agent {not json}", nil, nil},
		{"tag", "", map[string]string{AgentTagLogGroup: "/ec2/syslog"}, []CollectEntry{{"/var/log/messages", "/ec2/syslog", "{instance_id}"}}},
		{"config wins over tag", script, map[string]string{AgentTagLogGroup: "/x"}, want},
		{"broken json", `{"logs": {"logs_collected": `, nil, nil},
		{"empty", "", nil, nil},
	} {
		if got := ParseAgentConfig(c.userData, c.tags); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	in := Instance{ID: "i-0abc", PrivateIP: "172.31.16.5"}
	for pat, want := range map[string]string{"{instance_id}": "i-0abc", "{local_hostname}": "ip-172-31-16-5",
		"{hostname}": "ip-172-31-16-5.ec2.internal", "web/{ip_address}": "web/172.31.16.5"} {
		if got := in.StreamName(pat); got != want {
			t.Errorf("StreamName(%s) = %s, want %s", pat, got, want)
		}
	}
}

func TestAgentLines(t *testing.T) {
	in := Instance{ID: "i-0abc", PrivateIP: "172.31.16.5"}
	from, to := t0.Add(30*time.Second), t0.Add(10*time.Minute)
	a := AgentLines(1, in, "/var/log/messages", from, to)
	if !reflect.DeepEqual(a, AgentLines(1, in, "/var/log/messages", from, to)) {
		t.Fatal("not deterministic")
	}
	if len(a) < 10 || len(a) > 30 {
		t.Errorf("%d syslog lines in 9.5 minutes", len(a))
	}
	for _, e := range a {
		if e.Timestamp.Before(from) || !e.Timestamp.Before(to) || !strings.Contains(e.Message, " ip-172-31-16-5 ") {
			t.Fatalf("line %v %q", e.Timestamp, e.Message)
		}
	}
	all := mustParse(t, `[ip, id, user, timestamp, request, status_code, size]`)
	for _, e := range AgentLines(1, in, "/var/log/httpd/access_log", from, to) {
		if !all.Matches(e.Message) {
			t.Fatalf("access line %q", e.Message)
		}
	}
	js := mustParse(t, `{ $.level = * }`)
	for _, e := range AgentLines(1, in, "/opt/app/app.json", from, to) {
		if !js.Matches(e.Message) {
			t.Fatalf("app line %q", e.Message)
		}
	}
	sshd := mustParse(t, `sshd`)
	for _, e := range AgentLines(1, in, "/var/log/secure", from, to) {
		if !sshd.Matches(e.Message) && !strings.Contains(e.Message, "sudo") {
			t.Fatalf("secure line %q", e.Message)
		}
	}
}

type sink struct{ got map[string][]Event }

func (s *sink) WriteLogEvents(group, stream string, evs []Event) error {
	s.got[group+"|"+stream] = append(s.got[group+"|"+stream], evs...)
	return nil
}

// TestServiceSchedule: a web server writes each minute as the clock moves,
// stops after --for, and a service built over the same store (a restored
// world) goes on with the same lines.
func TestServiceSchedule(t *testing.T) {
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := clock.New(t0.Add(20 * time.Second))
	sk := &sink{got: map[string][]Event{}}
	var notes []string
	s := New(Deps{Store: st, Clock: c, Sink: sk, Seed: 9, Notify: func(at time.Time, f string, a ...any) { notes = append(notes, f) }})
	ws, err := s.StartWebServer(WebServer{Name: "w", AccessLogGroup: "/a", AppLogGroup: "/b", Rate: 30, Until: t0.Add(5 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if ws.Seed != 9 || ws.Format != FormatCommon {
		t.Fatalf("defaults: %+v", ws)
	}
	if err := c.Advance(2 * time.Minute); err != nil {
		t.Fatal(err)
	}
	wantA, wantB := ws.Lines(ws.Start, t0.Add(2*time.Minute))
	if !reflect.DeepEqual(sk.got["/a|w"], wantA) || !reflect.DeepEqual(sk.got["/b|w"], wantB) {
		t.Fatalf("after 2m: %d and %d lines, want %d and %d", len(sk.got["/a|w"]), len(sk.got["/b|w"]), len(wantA), len(wantB))
	}
	if sk.got["/a|w"][0].Timestamp.Before(ws.Start) {
		t.Fatal("a line before the start")
	}
	// A restored world: a new service over the same store and a new clock.
	c2 := clock.New(c.Now())
	sk2 := &sink{got: map[string][]Event{}}
	New(Deps{Store: st, Clock: c2, Sink: sk2, Seed: 9})
	if err := c2.Advance(10 * time.Minute); err != nil {
		t.Fatal(err)
	}
	wantA, _ = ws.Lines(t0.Add(2*time.Minute), t0.Add(5*time.Minute))
	if !reflect.DeepEqual(sk2.got["/a|w"], wantA) {
		t.Fatalf("restored: %d lines, want %d", len(sk2.got["/a|w"]), len(wantA))
	}
	if err := s.StopWebServer("w"); err != nil {
		t.Fatal(err)
	}
	if err := s.StopWebServer("w"); err == nil {
		t.Fatal("stopped twice")
	}
	if len(s.WebServers()) != 0 {
		t.Fatal("still listed")
	}
}

// FuzzParseAgentConfig: any user data and tag give entries with a file path,
// a group and a stream, never a panic.
func FuzzParseAgentConfig(f *testing.F) {
	f.Add(agentJSON, "")
	f.Add("#!/bin/bash\n{\"logs\":{\"logs_collected\":{\"files\":{\"collect_list\":[{\"file_path\":\"/x\"}]}}}}", "")
	f.Add(base64.StdEncoding.EncodeToString([]byte(agentJSON)), "/tag")
	f.Add("{{{{", "")
	f.Fuzz(func(t *testing.T, userData, tag string) {
		tags := map[string]string{}
		if tag != "" {
			tags[AgentTagLogGroup] = tag
		}
		for _, e := range ParseAgentConfig(userData, tags) {
			if e.FilePath == "" || e.LogGroupName == "" || e.LogStreamName == "" {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}
