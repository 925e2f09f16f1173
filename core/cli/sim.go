package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/logsim"
)

// simUsage is the usage of `telltale sim`.
const simUsage = `sim webserver [--name web-1] [--log-group /web/access] [--app-log-group /web/app] [--rate 60] [--error-rate 0.05] [--format common|combined] [--seed N] [--for DURATION]
       sim list
       sim stop NAME`

// simCmd runs `telltale sim`: simulated log sources on the virtual clock.
// A web server writes an Apache access log and a JSON application log, a
// minute at a time as the clock moves; its settings live in the world, so
// --state keeps it running across commands.
func (s *Session) simCmd(args []string) int {
	if len(args) == 0 {
		usageError(s.Env.Stderr, "usage: "+simUsage)
		return ExitUsage
	}
	switch args[0] {
	case "webserver":
		return s.simWebServer(args[1:])
	case "list":
		if len(args) != 1 {
			usageError(s.Env.Stderr, "sim list takes no arguments")
			return ExitUsage
		}
		for _, ws := range s.World.Sim().WebServers() {
			fmt.Fprintln(s.Env.Stdout, describeWebServer(ws, s.World.Now()))
		}
		return ExitOK
	case "stop":
		if len(args) != 2 {
			usageError(s.Env.Stderr, "sim stop takes the name of a web server")
			return ExitUsage
		}
		if err := s.World.Sim().StopWebServer(args[1]); err != nil {
			fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
			return ExitFailure
		}
		fmt.Fprintf(s.Env.Stdout, "%s: stopped\n", args[1])
		return ExitOK
	}
	usageError(s.Env.Stderr, fmt.Sprintf("unknown sim subcommand %q; usage: %s", args[0], simUsage))
	return ExitUsage
}

// options reads args as options, each written --opt=value or --opt value,
// handing each to set. A missing value, or set's error (a bad value, an
// unknown option), is a usage error naming usage: it returns ExitUsage, else
// ExitOK.
func (s *Session) options(args []string, usage string, set func(opt, val string) error) int {
	for i := 0; i < len(args); i++ {
		opt, val, hasVal := strings.Cut(args[i], "=")
		if !hasVal {
			if i+1 >= len(args) {
				usageError(s.Env.Stderr, fmt.Sprintf("%s needs a value; usage: %s", opt, usage))
				return ExitUsage
			}
			i++
			val = args[i]
		}
		if err := set(opt, val); err != nil {
			usageError(s.Env.Stderr, err.Error())
			return ExitUsage
		}
	}
	return ExitOK
}

func (s *Session) simWebServer(args []string) int {
	ws := logsim.WebServer{Name: "web-1", AccessLogGroup: "/web/access", AppLogGroup: "/web/app", Rate: 60, ErrorRate: 0.05}
	var dur time.Duration
	if code := s.options(args, simUsage, func(opt, val string) (err error) {
		switch opt {
		case "--name":
			ws.Name = val
		case "--log-group", "--access-log-group":
			ws.AccessLogGroup = val
		case "--app-log-group":
			ws.AppLogGroup = val
		case "--rate":
			var n int64
			n, err = strconv.ParseInt(val, 10, 64)
			if err != nil || n < 1 || n > logsim.MaxRate {
				err = fmt.Errorf("--rate takes a number of requests a minute from 1 to %d, not %q", logsim.MaxRate, val)
			}
			ws.Rate = int(n)
		case "--error-rate":
			var f float64
			f, err = strconv.ParseFloat(val, 64)
			if err != nil || math.IsNaN(f) || f < 0 || f > 1 {
				err = fmt.Errorf("--error-rate takes a share from 0 to 1 (0.05 for 5%%), not %q", val)
			}
			ws.ErrorRate = f
		case "--format":
			ws.Format = val
		case "--seed":
			ws.Seed, err = strconv.ParseUint(val, 10, 64)
			if err != nil || ws.Seed == 0 {
				err = fmt.Errorf("--seed takes a whole number above 0, not %q", val)
			}
		case "--for":
			dur, err = ParseDuration(val)
			if err == nil && dur <= 0 {
				err = fmt.Errorf("--for takes a duration above 0, not %q", val)
			}
		default:
			err = fmt.Errorf("unknown option %s; usage: %s", opt, simUsage)
		}
		return err
	}); code != ExitOK {
		return code
	}
	if dur > 0 {
		ws.Until = s.World.Now().Add(dur)
	}
	if err := ws.Validate(); err != nil {
		usageError(s.Env.Stderr, err.Error())
		return ExitUsage
	}
	started, err := s.World.Sim().StartWebServer(ws)
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	fmt.Fprintln(s.Env.Stdout, describeWebServer(started, s.World.Now()))
	return ExitOK
}

// describeWebServer is one line about a web server.
func describeWebServer(ws logsim.WebServer, now time.Time) string {
	var to []string
	if ws.AccessLogGroup != "" {
		to = append(to, fmt.Sprintf("access log (%s) to %s", ws.Format, ws.AccessLogGroup))
	}
	if ws.AppLogGroup != "" {
		to = append(to, "JSON application log to "+ws.AppLogGroup)
	}
	when := "from " + ws.Start.UTC().Format(time.RFC3339)
	switch {
	case !ws.Until.IsZero() && !ws.Until.After(now):
		when += " to " + ws.Until.UTC().Format(time.RFC3339) + " (stopped)"
	case !ws.Until.IsZero():
		when += " to " + ws.Until.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s: about %d requests a minute, %g%% errors (seed %d): %s, stream %s, %s",
		ws.Name, ws.Rate, ws.ErrorRate*100, ws.Seed, strings.Join(to, " and "), ws.Name, when)
}
