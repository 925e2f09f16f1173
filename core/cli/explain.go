package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale/core/eventpattern"
)

// explainUsage is the synopsis of `telltale events explain`.
const explainUsage = "events explain --event-pattern PATTERN --event EVENT (values may be file://NAME)"

// events runs `telltale events ...`, our own EventBridge commands: explain
// says why a pattern matches an event or not (which field, which condition,
// what value the event holds), beyond what TestEventPattern answers.
func (s *Session) events(args []string) int {
	if len(args) == 0 || args[0] != "explain" {
		usageError(s.Env.Stderr, "usage: telltale "+explainUsage)
		return ExitUsage
	}
	var pattern, event *string
	rest := args[1:]
	for len(rest) > 0 {
		name, val, has := strings.Cut(rest[0], "=")
		if name != "--event-pattern" && name != "--event" {
			usageError(s.Env.Stderr, fmt.Sprintf("unknown option %q; usage: telltale %s", rest[0], explainUsage))
			return ExitUsage
		}
		if !has {
			if len(rest) < 2 {
				usageError(s.Env.Stderr, fmt.Sprintf("argument %s: expected one argument", name))
				return ExitUsage
			}
			val, rest = rest[1], rest[2:]
		} else {
			rest = rest[1:]
		}
		if v, ok, err := s.paramFile(val); err != nil {
			fmt.Fprintf(s.Env.Stderr, "\n%v\n", err)
			return ExitUsage
		} else if ok {
			val = v
		}
		if name == "--event-pattern" {
			pattern = &val
		} else {
			event = &val
		}
	}
	if pattern == nil || event == nil {
		usageError(s.Env.Stderr, "the following arguments are required: --event-pattern, --event")
		return ExitUsage
	}
	p, err := eventpattern.Parse(*pattern)
	if err != nil {
		var pe *eventpattern.Error
		if errors.As(err, &pe) {
			fmt.Fprintf(s.Env.Stderr, "\n%s: %s\n", eventpattern.ErrorCode, pe.Message())
		} else {
			fmt.Fprintf(s.Env.Stderr, "\n%v\n", err)
		}
		return ExitFailure
	}
	ex, err := eventpattern.Explain(p, []byte(*event))
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "\nThe event cannot be read: %v\n", err)
		return ExitFailure
	}
	fmt.Fprintln(s.Env.Stdout, ex.String())
	return ExitOK
}
