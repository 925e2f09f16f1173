package cli

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

// This file ports the AWS CLI v2's `aws logs tail`
// (awscli/customizations/logs/tail.py): FilterLogEvents over a group from
// --since (10m by default; Ns, Nm, Nh, Nd, Nw or an ISO 8601 timestamp) with
// interleaved=true, every page printed as it comes, one line an event:
//
//	detailed  <timestamp.isoformat()> <stream> <message>
//	short     <%Y-%m-%dT%H:%M:%S> <message>
//	json      detailed, with messages that are JSON documents pretty-printed
//
// Colours are off (the output is not a terminal). --follow is not
// simulated yet.

var tailRelative = regexp.MustCompile(`^(\d+)(s|m|h|d|w)$`)

// tailSince is TimestampUtils.to_epoch_millis: a relative time before now
// or a timestamp.
func tailSince(v string, now time.Time) (int64, error) {
	if m := tailRelative.FindStringSubmatch(v); m != nil {
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n > 1<<40 {
			return 0, fmt.Errorf("out of range")
		}
		unit := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
		return now.Add(-time.Duration(n) * unit).UnixMilli(), nil
	}
	t, err := parseCLITimestamp(v)
	if err != nil {
		return 0, err
	}
	return t.UnixMilli(), nil
}

// pyISOFormat is Python's datetime.isoformat() of an aware UTC datetime:
// microseconds only when not zero.
func pyISOFormat(t time.Time) string {
	t = t.UTC()
	if us := t.Nanosecond() / 1000; us != 0 {
		return t.Format("2006-01-02T15:04:05") + fmt.Sprintf(".%06d", us) + "+00:00"
	}
	return t.Format("2006-01-02T15:04:05") + "+00:00"
}

// logsTail runs `aws logs tail GROUP [options]`.
func (s *Session) logsTail(g awsGlobals, args []string) int {
	var (
		group, since, format = "", "10m", "detailed"
		pattern, prefix      *string
		streams              []string
		follow               bool
	)
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			if group != "" {
				return s.awsError(&unknownErr{msg: "Unknown options: " + a})
			}
			group = a
			continue
		}
		opt, val, hasVal := strings.Cut(a, "=")
		value := func() (string, bool) {
			if hasVal {
				return val, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		switch opt {
		case "--follow":
			follow = true
			continue
		case "--since", "--format", "--filter-pattern", "--log-stream-name-prefix":
			v, ok := value()
			if !ok {
				return s.awsUsageError(fmt.Sprintf("argument %s: expected one argument", opt))
			}
			switch opt {
			case "--since":
				since = v
			case "--format":
				if v != "detailed" && v != "short" && v != "json" {
					// awscli/argparser.py's _check_value: two choices a line,
					// each padded to 40 columns.
					return s.awsUsageError(fmt.Sprintf("argument --format: Invalid choice, valid choices are:\n\n%-40s | %-40s\n%-40s", "detailed", "short", "json"))
				}
				format = v
			case "--filter-pattern":
				pattern = &v
			case "--log-stream-name-prefix":
				prefix = &v
			}
		case "--log-stream-names":
			for i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
				i++
				streams = append(streams, args[i])
			}
			if len(streams) == 0 {
				return s.awsUsageError("argument --log-stream-names: expected at least one argument")
			}
		default:
			return s.awsError(&unknownErr{msg: "Unknown options: " + a})
		}
	}
	if group == "" {
		return s.awsUsageError("the following arguments are required: group_name")
	}
	if follow {
		fmt.Fprintf(s.Env.Stderr, "\ntelltale: aws logs tail --follow is not simulated yet; run it without --follow after `telltale clock advance`\n")
		return ExitUsage
	}
	start, err := tailSince(since, s.World.Now())
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "\nInvalid timestamp: %q\n", since)
		return ExitGeneral
	}
	req := map[string]any{"logGroupName": group, "interleaved": true, "startTime": start}
	if pattern != nil {
		req["filterPattern"] = *pattern
	}
	if prefix != nil {
		req["logStreamNamePrefix"] = *prefix
	}
	if len(streams) > 0 {
		req["logStreamNames"] = streams
	}
	ua := world.UserAgent + " md/command#logs.tail"
	for {
		body, _ := json.Marshal(req)
		resp, err := s.World.Invoke(world.Request{Service: "logs", Operation: "FilterLogEvents", Input: body, UserAgent: ua, Profile: g.profile})
		if err != nil {
			return s.serviceError("FilterLogEvents", err)
		}
		raw, _ := json.Marshal(resp)
		var page struct {
			Events []struct {
				LogStreamName string `json:"logStreamName"`
				Timestamp     int64  `json:"timestamp"`
				Message       string `json:"message"`
			} `json:"events"`
			NextToken string `json:"nextToken"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return s.awsError(err)
		}
		var b strings.Builder
		for _, e := range page.Events {
			t := time.UnixMilli(e.Timestamp).UTC()
			msg := e.Message
			var line string
			switch format {
			case "short":
				line = t.Format("2006-01-02T15:04:05") + " " + msg
			case "json":
				if v, err := pyJSONLoads(msg, true); err == nil {
					var pb strings.Builder
					encodePyJSON(&pb, v, 4, 0, true)
					msg = pb.String()
				}
				fallthrough
			default:
				line = pyISOFormat(t) + " " + e.LogStreamName + " " + msg
			}
			b.WriteString(pyRStrip(line))
			b.WriteByte('\n')
		}
		fmt.Fprint(s.Env.Stdout, b.String())
		if page.NextToken == "" {
			return ExitOK
		}
		req["nextToken"] = page.NextToken
	}
}
