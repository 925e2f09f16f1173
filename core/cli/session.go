package cli

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/world"
)

// Session runs commands against one live world: the commands of one telltale
// invocation, the lines of a script, or the browser's terminal.
type Session struct {
	World *world.World
	Env   *Env
}

// Exec runs one command (aws, api, clock, run, help, version) given as
// arguments, and returns its exit status.
func (s *Session) Exec(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(s.Env.Stderr, "telltale: internal error: %v\n", r)
			code = ExitFailure
		}
	}()
	if len(args) == 0 {
		return ExitOK
	}
	switch args[0] {
	case "aws":
		return s.aws(args[1:])
	case "api":
		return s.api(args[1:])
	case "clock":
		return s.clock(args[1:])
	case "run":
		return s.run(args[1:])
	case "events":
		return s.events(args[1:])
	case "schemas":
		return s.schemas(args[1:])
	case "ec2":
		return s.ec2Cmd(args[1:])
	case "sim":
		return s.simCmd(args[1:]) // sim.go
	case "firehose":
		return s.firehoseCmd(args[1:])
	case "help", "--help":
		return cmdHelp(s.Env, args[1:])
	case "version":
		fmt.Fprintf(s.Env.Stdout, "telltale %s\n", versionOf(s.Env))
		return ExitOK
	}
	usageError(s.Env.Stderr, fmt.Sprintf("unknown command %q (see telltale help)", args[0]))
	return ExitUsage
}

// ExecLine splits a command line as a shell would and runs it. A leading
// "telltale" is allowed and ignored.
func (s *Session) ExecLine(line string) int {
	args, err := SplitLine(line)
	if err != nil {
		usageError(s.Env.Stderr, err.Error())
		return ExitUsage
	}
	if len(args) > 0 && args[0] == "telltale" {
		args = args[1:]
	}
	return s.Exec(args)
}

func (s *Session) clock(args []string) int {
	w := s.World
	if len(args) == 0 {
		usageError(s.Env.Stderr, "clock needs a subcommand: now, set TIME or advance DURATION")
		return ExitUsage
	}
	var notices []world.Notice
	var err error
	switch args[0] {
	case "now":
		if len(args) != 1 {
			usageError(s.Env.Stderr, "clock now takes no arguments")
			return ExitUsage
		}
		fmt.Fprintln(s.Env.Stdout, w.Now().Format(time.RFC3339))
		return ExitOK
	case "set":
		if len(args) != 2 {
			usageError(s.Env.Stderr, "clock set takes one RFC 3339 time, for example 2026-01-01T09:00:00Z")
			return ExitUsage
		}
		t, perr := parseInstant(args[1])
		if perr != nil {
			usageError(s.Env.Stderr, perr.Error())
			return ExitUsage
		}
		notices, err = w.AdvanceTo(t)
	case "advance":
		if len(args) != 2 {
			usageError(s.Env.Stderr, "clock advance takes one duration, for example 90s, 5m, 2h, 3d or 1h30m")
			return ExitUsage
		}
		d, perr := ParseDuration(args[1])
		if perr != nil {
			usageError(s.Env.Stderr, perr.Error())
			return ExitUsage
		}
		notices, err = w.Advance(d)
	default:
		usageError(s.Env.Stderr, fmt.Sprintf("unknown clock subcommand %q: use now, set or advance", args[0]))
		return ExitUsage
	}
	if errors.Is(err, clock.ErrBackwards) {
		fmt.Fprintf(s.Env.Stderr, "telltale: the virtual clock cannot move backwards: it is %s\n", w.Now().Format(time.RFC3339))
		return ExitFailure
	}
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	for _, n := range notices {
		fmt.Fprintf(s.Env.Stdout, "%s %s\n", n.At.UTC().Format(time.RFC3339), n.Text)
	}
	return ExitOK
}

func parseInstant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time (for example 2026-01-01T09:00:00Z)", s)
	}
	return t.UTC(), nil
}

var durationRE = regexp.MustCompile(`^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$`)

// ParseDuration reads a clock duration: 90s, 5m, 2h, 3d or a combination in
// that order (1d12h, 1h30m).
func ParseDuration(s string) (time.Duration, error) {
	m := durationRE.FindStringSubmatch(s)
	if s == "" || m == nil {
		return 0, fmt.Errorf("%q is not a duration: use a number with d, h, m or s, for example 90s, 5m, 2h, 3d or 1h30m", s)
	}
	const limit = 100 * 365 * 24 * time.Hour
	var d time.Duration
	units := []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second}
	for i, u := range units {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.ParseInt(m[i+1], 10, 64)
		if err != nil || n > int64(limit/u) || d+time.Duration(n)*u > limit {
			return 0, fmt.Errorf("%q is too long a duration (at most 100 years)", s)
		}
		d += time.Duration(n) * u
	}
	return d, nil
}

// run runs a script: one command per line; # comments; shell quoting and
// backslash continuation; ! marks a line that must fail.
func (s *Session) run(args []string) int {
	if len(args) != 1 {
		usageError(s.Env.Stderr, "run takes one script file, or - for standard input")
		return ExitUsage
	}
	var src []byte
	var err error
	if args[0] == "-" {
		src, err = io.ReadAll(s.Env.stdin())
	} else {
		src, err = s.Env.fs().ReadFile(args[0])
	}
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "telltale: cannot read the script %s: %v\n", args[0], err)
		return ExitFailure
	}
	lines, err := ScriptLines(string(src))
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "telltale: %s: %v\n", args[0], err)
		return ExitUsage
	}
	// An `aws logs tail --follow` of the script goes on printing new events
	// after each of the following commands (one tail at a time: a newer one
	// replaces it), unless the host follows it itself.
	var tail *Tail
	if s.Env.Follow == nil {
		s.Env.Follow = func(t *Tail) { tail = t }
		defer func() { s.Env.Follow = nil }()
	}
	for _, l := range lines {
		expectFail := false
		text := l.Text
		if strings.HasPrefix(text, "!") {
			expectFail, text = true, strings.TrimSpace(text[1:])
		}
		argv, err := SplitLine(text)
		if err != nil {
			fmt.Fprintf(s.Env.Stderr, "telltale: %s line %d: %v\n", args[0], l.Line, err)
			return ExitUsage
		}
		if len(argv) > 0 && argv[0] == "telltale" {
			argv = argv[1:]
		}
		if len(argv) > 0 && argv[0] == "run" {
			fmt.Fprintf(s.Env.Stderr, "telltale: %s line %d: a script cannot run another script\n", args[0], l.Line)
			return ExitUsage
		}
		following := tail
		code := s.Exec(argv)
		if following != nil && tail == following && following.Poll(s) != ExitOK {
			tail = nil
		}
		switch {
		case expectFail && code == ExitOK:
			fmt.Fprintf(s.Env.Stderr, "telltale: %s line %d: expected a failure, but the command succeeded\n", args[0], l.Line)
			return ExitFailure
		case !expectFail && code != ExitOK:
			return code
		}
	}
	return ExitOK
}
