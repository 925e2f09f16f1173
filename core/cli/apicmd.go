package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/world"
)

// api runs `api SERVICE OPERATION [REQUEST_JSON | -]`: the raw API, with the
// response as the API returns it (timestamps in the protocol's wire format).
func (s *Session) api(args []string) int {
	if len(args) < 2 || len(args) > 3 {
		usageError(s.Env.Stderr, "api takes SERVICE OPERATION [REQUEST_JSON | -]")
		return ExitUsage
	}
	svc, ok := s.World.Registry().Service(args[0])
	if !ok {
		usageError(s.Env.Stderr, fmt.Sprintf("unknown service %q (see telltale help)", args[0]))
		return ExitUsage
	}
	if _, ok := svc.Handlers[args[1]]; !ok {
		usageError(s.Env.Stderr, fmt.Sprintf("unknown operation %q of %s (see telltale help)", args[1], args[0]))
		return ExitUsage
	}
	var body []byte
	if len(args) == 3 {
		if args[2] == "-" {
			b, err := io.ReadAll(s.Env.stdin())
			if err != nil {
				fmt.Fprintf(s.Env.Stderr, "telltale: cannot read the request: %v\n", err)
				return ExitFailure
			}
			body = b
		} else {
			body = []byte(args[2])
		}
	}
	resp, err := s.World.Invoke(world.Request{Service: args[0], Operation: args[1], Input: body, UserAgent: world.UserAgent + " md/api"})
	if err != nil {
		var e *awserr.Error
		if errors.As(err, &e) {
			fmt.Fprintf(s.Env.Stderr, "\nAn error occurred (%s) when calling the %s operation: %s\n", e.Code, args[1], e.Message)
			return ExitService
		}
		fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	if resp == nil {
		return ExitOK
	}
	tf := api.EpochSeconds
	if svc.Model.Metadata.Protocol == "query" || svc.Model.Metadata.Protocol == "ec2" {
		tf = api.ISO8601
	}
	writeJSON(s.Env.Stdout, toPlain(resp, func(t time.Time) any { return tf(t) }))
	return ExitOK
}
