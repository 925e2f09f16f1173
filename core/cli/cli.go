// Package cli is the telltale command line: the AWS CLI v2 skin over a world
// (aws), the raw API (api), the virtual clock (clock), scripts (run), and the
// commands the native binary adds (serve, build). It reads and writes only
// through the Env it is given, so the same code runs in a terminal, in tests
// and in the browser's terminal panel.
package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/world"
)

// Exit statuses, as the AWS CLI uses them.
const (
	ExitOK      = 0
	ExitFailure = 1   // a telltale error: bad state file, clock moved backwards
	ExitUsage   = 252 // a command-line error
	ExitService = 254 // the service answered with an error
	ExitNoState = 1
)

// FS is the file system the command line may use: for --state, file:// and
// fileb:// values, run FILE. The browser has none.
type FS interface {
	ReadFile(name string) ([]byte, error)
	// WriteFileAtomic replaces name with data so that a crash leaves either the
	// old file or the new one, never half of one.
	WriteFileAtomic(name string, data []byte) error
	// Exists reports whether name exists.
	Exists(name string) (bool, error)
}

// ErrNoFS is returned by NoFS.
var ErrNoFS = errors.New("there are no local files here")

// NoFS is the FS of a place without files.
type NoFS struct{}

// ReadFile fails.
func (NoFS) ReadFile(string) ([]byte, error) { return nil, ErrNoFS }

// WriteFileAtomic fails.
func (NoFS) WriteFileAtomic(string, []byte) error { return ErrNoFS }

// Exists reports false.
func (NoFS) Exists(string) (bool, error) { return false, nil }

// Env is what a command runs with.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	FS     FS
	// WallClock gives the start of a fresh world's clock (rounded down to the
	// minute). Nil means the Unix epoch, for tests that want fixed output.
	WallClock func() time.Time
	// Commands adds commands that need the host (serve, build), by name.
	Commands map[string]Command
	// Version is the build's version, printed by `version`.
	Version string
	// Follow, when set, takes the tail of `aws logs tail --follow` once it
	// has printed the events so far: the host polls it (Tail.Poll) after
	// each command and as the clock moves. Without it the command prints
	// what exists and says that it does not wait.
	Follow func(*Tail)
}

// Command is a command the host adds.
type Command struct {
	Summary string
	Run     func(env *Env, args []string) int
}

func (e *Env) fs() FS {
	if e.FS == nil {
		return NoFS{}
	}
	return e.FS
}

func (e *Env) stdin() io.Reader {
	if e.Stdin == nil {
		return strings.NewReader("")
	}
	return e.Stdin
}

type globals struct {
	state   string
	seed    uint64
	account string
	region  string
}

// Main runs a whole telltale command line (without the program name) and
// returns the exit status.
func Main(env *Env, args []string) int {
	var g globals
	g.seed = 1
	for len(args) > 0 && strings.HasPrefix(args[0], "--") {
		name, val, has := strings.Cut(args[0], "=")
		takes := map[string]bool{"--state": true, "--seed": true, "--account": true, "--region": true}
		if !takes[name] {
			break
		}
		if !has {
			if len(args) < 2 {
				fmt.Fprintf(env.Stderr, "telltale: %s needs a value\n", name)
				return ExitUsage
			}
			val, args = args[1], args[2:]
		} else {
			args = args[1:]
		}
		switch name {
		case "--state":
			g.state = val
		case "--seed":
			n, err := strconv.ParseUint(val, 10, 64)
			if err != nil {
				fmt.Fprintf(env.Stderr, "telltale: --seed takes a whole number, not %q\n", val)
				return ExitUsage
			}
			g.seed = n
		case "--account":
			g.account = val
		case "--region":
			g.region = val
		}
	}
	if len(args) == 0 {
		writeHelp(env.Stdout, nil, env)
		return ExitOK
	}
	switch args[0] {
	case "help", "--help", "-h":
		return cmdHelp(env, args[1:])
	case "version", "--version":
		fmt.Fprintf(env.Stdout, "telltale %s\n", versionOf(env))
		return ExitOK
	}
	if c, ok := env.Commands[args[0]]; ok {
		return c.Run(env, args[1:])
	}
	if !isWorldCommand(args[0]) {
		usageError(env.Stderr, fmt.Sprintf("unknown command %q (see telltale help)", args[0]))
		return ExitUsage
	}
	w, fresh, err := openWorld(env, g, args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	defer w.Close()
	s := &Session{World: w, Env: env}
	code := s.Exec(args)
	// The world is saved when the command ran: it succeeded, or the service
	// answered with an error. A failed call is part of the world's history
	// (CloudTrail records it, as AWS does); a usage error never reached it.
	if g.state != "" && (code == ExitOK || code == ExitService) {
		b, err := w.Snapshot()
		if err == nil {
			err = env.fs().WriteFileAtomic(g.state, b)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "telltale: cannot save the world to %s: %v\n", g.state, err)
			return ExitFailure
		}
	}
	_ = fresh
	return code
}

func versionOf(env *Env) string {
	if env.Version == "" {
		return "dev"
	}
	return env.Version
}

func isWorldCommand(name string) bool {
	switch name {
	case "aws", "api", "clock", "run", "events", "schemas", "ec2", "firehose", "sim":
		return true
	}
	return false
}

// openWorld loads the world from the state file, or makes a fresh one.
func openWorld(env *Env, g globals, args []string) (*world.World, bool, error) {
	if g.state != "" {
		ok, err := env.fs().Exists(g.state)
		if err != nil {
			return nil, false, fmt.Errorf("cannot read the state file %s: %v", g.state, err)
		}
		if ok {
			b, err := env.fs().ReadFile(g.state)
			if err != nil {
				return nil, false, fmt.Errorf("cannot read the state file %s: %v", g.state, err)
			}
			w, err := world.Restore(b)
			if err != nil {
				return nil, false, fmt.Errorf("the state file %s cannot be used: %v (it was left as it is)", g.state, err)
			}
			return w, false, nil
		}
	}
	start := time.Unix(0, 0).UTC()
	if env.WallClock != nil {
		start = env.WallClock().UTC().Truncate(time.Minute)
	}
	// A fresh world whose first command sets the clock starts there, so that the
	// set is never a move backwards.
	if t, ok := firstClockSet(env, args); ok {
		start = t
	}
	w, err := world.New(world.Config{Seed: g.seed, Account: g.account, Region: g.region, Start: start})
	return w, true, err
}

// firstClockSet returns the time of a `clock set` that is the first command:
// the command line itself, or the first command of the script it runs (stdin
// is read here and kept for the script).
func firstClockSet(env *Env, args []string) (time.Time, bool) {
	if len(args) == 2 && args[0] == "run" {
		var src []byte
		if args[1] == "-" {
			b, err := io.ReadAll(env.stdin())
			if err != nil {
				return time.Time{}, false
			}
			env.Stdin = bytes.NewReader(b)
			src = b
		} else {
			b, err := env.fs().ReadFile(args[1])
			if err != nil {
				return time.Time{}, false
			}
			src = b
		}
		lines, err := ScriptLines(string(src))
		if err != nil || len(lines) == 0 {
			return time.Time{}, false
		}
		words, err := SplitLine(lines[0].Text)
		if err != nil {
			return time.Time{}, false
		}
		if len(words) > 0 && words[0] == "telltale" {
			words = words[1:]
		}
		args = words
	}
	if len(args) == 3 && args[0] == "clock" && args[1] == "set" {
		if t, err := parseInstant(args[2]); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func usageError(w io.Writer, msg string) {
	fmt.Fprintf(w, "usage: telltale [--state FILE] [--seed N] <command> ...\nTo see help text, you can run:\n\n  telltale help\n\ntelltale: error: %s\n", msg)
}
