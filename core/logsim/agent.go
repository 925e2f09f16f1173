package logsim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// CollectEntry is one file the CloudWatch agent ships: an entry of the
// agent configuration's logs.logs_collected.files.collect_list.
type CollectEntry struct {
	FilePath      string `json:"file_path"`
	LogGroupName  string `json:"log_group_name"`
	LogStreamName string `json:"log_stream_name"`
}

// AgentTagLogGroup is the instance tag that ships /var/log/messages to the
// log group it names, for instances whose user data has no agent
// configuration.
const AgentTagLogGroup = "telltale:agent-log-group"

// MaxUserData bounds what ParseAgentConfig reads (EC2's user data limit).
const MaxUserData = 16 * 1024

// maxConfigTries bounds the JSON objects ParseAgentConfig tries.
const maxConfigTries = 64

// ParseAgentConfig finds the CloudWatch agent's log configuration in an
// instance's user data (base64 or text): the first JSON object in it with
// logs.logs_collected.files.collect_list, as a shell script writing
// amazon-cloudwatch-agent.json holds it. Entries without a file path are
// skipped; a missing group defaults to the file path and a missing stream
// to {instance_id}, as the agent does. Without a configuration, the tag
// AgentTagLogGroup ships /var/log/messages. It never fails: what it cannot
// read ships nothing.
func ParseAgentConfig(userData string, tags map[string]string) []CollectEntry {
	text := userData
	if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(userData)); err == nil {
		text = string(b)
	}
	if len(text) > MaxUserData {
		text = text[:MaxUserData]
	}
	var out []CollectEntry
	tries := 0
	for i := 0; i < len(text) && out == nil && tries < maxConfigTries; i++ {
		if text[i] != '{' {
			continue
		}
		tries++
		var cfg struct {
			Logs struct {
				LogsCollected struct {
					Files struct {
						CollectList []CollectEntry `json:"collect_list"`
					} `json:"files"`
				} `json:"logs_collected"`
			} `json:"logs"`
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(text[i:])))
		if dec.Decode(&cfg) != nil {
			continue
		}
		for _, e := range cfg.Logs.LogsCollected.Files.CollectList {
			if e.FilePath == "" {
				continue
			}
			if e.LogGroupName == "" {
				e.LogGroupName = e.FilePath
			}
			if e.LogStreamName == "" {
				e.LogStreamName = "{instance_id}"
			}
			out = append(out, e)
		}
		if out == nil && len(cfg.Logs.LogsCollected.Files.CollectList) > 0 {
			out = []CollectEntry{}
		}
	}
	if len(out) == 0 && tags[AgentTagLogGroup] != "" {
		out = []CollectEntry{{FilePath: "/var/log/messages", LogGroupName: tags[AgentTagLogGroup], LogStreamName: "{instance_id}"}}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Instance is what the agent knows of the instance it runs on.
type Instance struct {
	ID           string
	PrivateIP    string
	InstanceType string
}

// Hostname is the instance's private DNS host name (ip-10-0-1-23).
func (in Instance) Hostname() string {
	if in.PrivateIP == "" {
		return "localhost"
	}
	return "ip-" + strings.ReplaceAll(in.PrivateIP, ".", "-")
}

// StreamName expands the agent's placeholders in a stream name:
// {instance_id}, {hostname}, {local_hostname} and {ip_address}.
func (in Instance) StreamName(pattern string) string {
	r := strings.NewReplacer("{instance_id}", in.ID, "{hostname}", in.Hostname()+".ec2.internal",
		"{local_hostname}", in.Hostname(), "{ip_address}", in.PrivateIP)
	return r.Replace(pattern)
}

// fileKind tells what a file holds by its path.
func fileKind(path string) string {
	p := strings.ToLower(path)
	switch {
	case strings.Contains(p, "secure") || strings.Contains(p, "auth"):
		return "secure"
	case strings.Contains(p, "access"):
		return "access"
	case strings.HasSuffix(p, ".json") || strings.Contains(p, "app"):
		return "app"
	}
	return "syslog"
}

var syslogLines = []string{
	"systemd[1]: Started Session %d of User ec2-user.",
	"systemd[1]: Starting dnf makecache...",
	"systemd[1]: dnf-makecache.service: Deactivated successfully.",
	"chronyd[%d]: Selected source 169.254.169.123",
	"dhclient[%d]: XMT: Solicit on eth0, interval 112000ms.",
	"amazon-ssm-agent[%d]: INFO [MessageService] [MGSInteractor] Setting up websocket for controlchannel",
	"kernel: TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.",
	"rsyslogd[%d]: imjournal: journal files changed, reloading...",
	"CRON[%d]: (root) CMD (/usr/local/bin/rotate-logs.sh)",
	"kernel: Out of memory: Killed process %d (java) total-vm:4194304kB, anon-rss:2097152kB",
}

var secureLines = []string{
	"sshd[%d]: Accepted publickey for ec2-user from 198.51.100.42 port 51234 ssh2: RSA SHA256:k3yF1ngerPr1nt",
	"sshd[%d]: Invalid user admin from 203.0.113.99 port 40022",
	"sshd[%d]: Failed password for invalid user admin from 203.0.113.99 port 40022 ssh2",
	"sshd[%d]: Disconnected from authenticating user root 203.0.113.64 port 39111 [preauth]",
	"sudo[%d]: ec2-user : TTY=pts/0 ; PWD=/home/ec2-user ; USER=root ; COMMAND=/bin/systemctl restart httpd",
}

// AgentLines returns the lines the agent of an instance ships from a file
// between from (inclusive) and to (exclusive): a few lines a minute, by
// what the file's path says it holds (syslog messages, secure, an access
// log, a JSON application log).
func AgentLines(seed uint64, in Instance, file string, from, to time.Time) []Event {
	kind := fileKind(file)
	var out []Event
	for m := from.UTC().Truncate(time.Minute); m.Before(to); m = m.Add(time.Minute) {
		var evs []Event
		switch kind {
		case "access", "app":
			ws := WebServer{Name: in.ID + file, Rate: 6, ErrorRate: 0.05, Seed: seed, Format: FormatCommon}
			for _, q := range ws.Requests(m) {
				if kind == "access" {
					evs = append(evs, Event{q.Time, AccessLine(q, FormatCommon)})
				} else {
					evs = append(evs, Event{q.Time, AppLine(q)})
				}
			}
		default:
			r := newRNG(seed, "agent/"+in.ID+"/"+file, m)
			lines := syslogLines
			if kind == "secure" {
				lines = secureLines
			}
			n := 1 + r.Intn(3)
			offs := make([]int, n)
			for i := range offs {
				offs[i] = r.Intn(60_000)
			}
			sort.Ints(offs)
			for _, off := range offs {
				t := m.Add(time.Duration(off) * time.Millisecond)
				// The rarest line (the OOM kill) is the last of the list.
				k := r.Intn(len(lines)*4 - 3)
				if k >= len(lines)-1 {
					k = k % (len(lines) - 1)
					if r.Intn(50) == 0 {
						k = len(lines) - 1
					}
				}
				msg := lines[k]
				if strings.Contains(msg, "%d") {
					msg = fmt.Sprintf(msg, 400+r.Intn(30000))
				}
				evs = append(evs, Event{t, t.Format("Jan _2 15:04:05") + " " + in.Hostname() + " " + msg})
			}
		}
		for _, e := range evs {
			if !e.Timestamp.Before(from) && e.Timestamp.Before(to) {
				out = append(out, e)
			}
		}
	}
	return out
}
