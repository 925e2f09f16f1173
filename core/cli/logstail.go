package cli

import (
	"encoding/json"
	"errors"
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
// Colours are off (the output is not a terminal).
//
// --follow: the CLI polls FilterLogEvents every 5 seconds from the newest
// timestamp it printed, skipping the event ids it printed at that instant,
// until interrupted. Here time is virtual and moves only between commands,
// so the tail prints what exists, then hands a *Tail to Env.Follow: the web
// terminal and `run` poll it after every command and as the clock moves. A
// one-shot command (no Env.Follow) stops there and says why.

var tailRelative = regexp.MustCompile(`^(\d+)(s|m|h|d|w)$`)

// pyMinMillis is Python's datetime.min (0001-01-01T00:00:00Z) in epoch ms.
const pyMinMillis = -62135596800000

// errDateRange is Python's OverflowError for a --since before year 1.
var errDateRange = errors.New("date value out of range")

// tailSince is TimestampUtils.to_epoch_millis: a relative time before now
// or a timestamp.
func tailSince(v string, now time.Time) (int64, error) {
	if m := tailRelative.FindStringSubmatch(v); m != nil {
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n > 1<<40 {
			return 0, fmt.Errorf("out of range")
		}
		unit := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
		// In milliseconds, so that weeks of centuries do not overflow a
		// Duration; before year 1 Python's datetime overflows.
		nowMS, unitMS := now.UnixMilli(), unit.Milliseconds()
		if n > (nowMS-pyMinMillis)/unitMS {
			return 0, errDateRange
		}
		return nowMS - n*unitMS, nil
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

// LogsTailHelp is the help of `aws logs tail`.
const LogsTailHelp = `aws logs tail GROUP  (the AWS CLI v2's own command, over FilterLogEvents)

Prints the events of a log group, oldest first, one a line.

Parameters:
  GROUP                          the log group's name
  --since TIME                   where to start: 30s, 10m, 2h, 3d, 1w before the virtual
                                 now, or an ISO 8601 time (default 10m)
  --format detailed|short|json   detailed: time, stream and message; short: time and
                                 message; json: detailed, JSON messages indented
  --filter-pattern PATTERN       only the events the filter pattern matches
  --log-stream-names NAME ...    only these streams
  --log-stream-name-prefix P     only the streams whose name starts with P
  --follow                       keep printing new events (see below)

--follow on the virtual clock: the AWS CLI polls every 5 seconds until you
stop it. Here time moves only between commands, so the tail prints what
exists and then:
  - in the web terminal it goes on: new events of the group are printed after
    each command you run and as the clock plays or advances (the clock moves
    at least 5 virtual seconds between two polls while it plays). Stop it with
    Ctrl-C in the empty prompt or the "Stop tail" button; a newer tail
    --follow replaces it.
  - in a script (telltale run) it goes on printing new events after each of
    the following commands (clock advance, put-log-events, ...); a newer tail
    --follow replaces it, and an error (the group was deleted) ends it.
  - as a single telltale command it stops there, and says so on stderr.
Each poll is a FilterLogEvents call, recorded in CloudTrail as the CLI's are.
`

// logsTail runs `aws logs tail GROUP [options]`.
func (s *Session) logsTail(g awsGlobals, args []string) int {
	if len(args) > 0 && args[len(args)-1] == "help" {
		fmt.Fprint(s.Env.Stdout, LogsTailHelp)
		return ExitOK
	}
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
	start, err := tailSince(since, s.World.Now())
	if errors.Is(err, errDateRange) {
		fmt.Fprintf(s.Env.Stderr, "\n%s\n", err)
		return ExitGeneral
	}
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "\nInvalid timestamp: %q\n", since)
		return ExitGeneral
	}
	if start < 0 {
		// botocore validates FilterLogEvents' startTime (min 0) before
		// the call.
		return s.awsError(&paramErr{fmt.Sprintf("Parameter validation failed:\nInvalid value for parameter startTime, value: %d, valid min value: 0", start)})
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
	t := &Tail{Group: group, profile: g.profile, format: format, req: req, from: start, seen: map[string]bool{}}
	if code := t.Poll(s); code != ExitOK || !follow {
		return code
	}
	if s.Env.Follow == nil {
		fmt.Fprintf(s.Env.Stderr, "\ntelltale: --follow: the virtual clock does not move while this command runs, so the tail ends here. "+
			"In the web terminal, and in a script (`telltale run`), it goes on printing new events after each command and as the clock moves.\n")
		return ExitOK
	}
	s.Env.Follow(t)
	return ExitOK
}

// Tail is an `aws logs tail --follow` in progress: the request and where
// it is in the group's events.
type Tail struct {
	// Group is the log group followed.
	Group   string
	profile string
	format  string
	req     map[string]any  // FilterLogEvents, without startTime and nextToken
	from    int64           // the newest timestamp printed (or --since)
	seen    map[string]bool // the event ids printed at from
}

// Poll prints the events that arrived since the last poll, as the tail
// prints them, to the session's standard output, and returns the exit status
// (a service error, say the group was deleted, ends the tail: the host
// stops polling when it is not ExitOK).
func (t *Tail) Poll(s *Session) int {
	req := t.req
	delete(req, "nextToken")
	req["startTime"] = t.from
	ua := world.UserAgent + " md/command#logs.tail"
	format := t.format
	for {
		body, _ := json.Marshal(req)
		resp, err := s.World.Invoke(world.Request{Service: "logs", Operation: "FilterLogEvents", Input: body, UserAgent: ua, Profile: t.profile})
		if err != nil {
			return s.serviceError("FilterLogEvents", err)
		}
		raw, _ := json.Marshal(resp)
		var page struct {
			Events []struct {
				LogStreamName string `json:"logStreamName"`
				Timestamp     int64  `json:"timestamp"`
				Message       string `json:"message"`
				EventID       string `json:"eventId"`
			} `json:"events"`
			NextToken string `json:"nextToken"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return s.awsError(err)
		}
		var b strings.Builder
		for _, e := range page.Events {
			if t.seen[e.EventID] {
				continue
			}
			switch {
			case e.Timestamp > t.from:
				t.from, t.seen = e.Timestamp, map[string]bool{e.EventID: true}
			case e.Timestamp == t.from:
				t.seen[e.EventID] = true
			}
			at := time.UnixMilli(e.Timestamp).UTC()
			msg := e.Message
			var line string
			switch format {
			case "short":
				line = at.Format("2006-01-02T15:04:05") + " " + msg
			case "json":
				if v, err := pyJSONLoads(msg, true); err == nil {
					var pb strings.Builder
					encodePyJSON(&pb, v, 4, 0, true)
					msg = pb.String()
				}
				fallthrough
			default:
				line = pyISOFormat(at) + " " + e.LogStreamName + " " + msg
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
