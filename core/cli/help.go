package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/world"
)

// registry returns the services a fresh world implements, for help.
func registry() (*api.Registry, func()) {
	w, err := world.New(world.Config{Seed: 1})
	if err != nil {
		return api.NewRegistry(), func() {}
	}
	return w.Registry(), func() { w.Close() }
}

func cmdHelp(env *Env, args []string) int {
	reg, done := registry()
	defer done()
	writeHelp(env.Stdout, args, env, reg)
	return ExitOK
}

func writeHelp(w io.Writer, args []string, env *Env, regs ...*api.Registry) {
	var reg *api.Registry
	if len(regs) > 0 {
		reg = regs[0]
	} else {
		r, done := registry()
		defer done()
		reg = r
	}
	if len(args) >= 1 && args[0] == "aws" {
		awsHelp(w, args[1:], reg)
		return
	}
	fmt.Fprint(w, `telltale: an AWS monitoring and audit playground on a virtual clock.

Usage: telltale [--state FILE] [--seed N] [--account ID] [--region NAME] COMMAND ...

Commands:
  aws SERVICE OPERATION [--param value ...]   the AWS CLI v2, simulated
  api SERVICE OPERATION [REQUEST_JSON | -]     the raw API
  clock now | set TIME | advance DURATION      the virtual clock
  run FILE | -                                 run a script, one command per line
`)
	var names []string
	for n := range env.Commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-44s %s\n", n, env.Commands[n].Summary)
	}
	fmt.Fprint(w, `  version                                      print the version
  help [aws [SERVICE]]                         this help, or what is implemented

Implemented services and operations:
`)
	for _, s := range reg.Services() {
		ops := make([]string, 0)
		for _, op := range s.Operations() {
			ops = append(ops, api.CLIName(op))
		}
		fmt.Fprintf(w, "  aws %-12s %s\n", s.Name, strings.Join(ops, ", "))
	}
}

func awsHelp(w io.Writer, args []string, reg *api.Registry) {
	if len(args) == 0 {
		fmt.Fprintln(w, "Available services:")
		for _, s := range reg.Services() {
			fmt.Fprintf(w, "  %s\n", s.Name)
		}
		return
	}
	s, ok := reg.Service(args[0])
	if !ok {
		fmt.Fprintf(w, "Unknown service %q. Available services: %s\n", args[0], strings.Join(reg.Names(), ", "))
		return
	}
	if len(args) == 1 {
		fmt.Fprintf(w, "%s (%s)\n\nAvailable operations:\n", s.Name, s.Model.Metadata.ServiceFullName)
		for _, op := range s.Operations() {
			fmt.Fprintf(w, "  %s\n", api.CLIName(op))
		}
		return
	}
	opName, ok := findOperation(s, args[1])
	if !ok {
		fmt.Fprintf(w, "Unknown operation %q of %s.\n", args[1], s.Name)
		return
	}
	op := s.Model.Operations[opName]
	fmt.Fprintf(w, "aws %s %s\n\nParameters:\n", s.Name, args[1])
	if sh := s.Model.Shape(op.Input); sh != nil {
		req := map[string]bool{}
		for _, r := range sh.Required {
			req[r] = true
		}
		for _, m := range sh.Members {
			t := s.Model.Shapes[m.Ref.Shape].Type
			mark := ""
			if req[m.Name] {
				mark = " (required)"
			}
			fmt.Fprintf(w, "  --%s (%s)%s\n", api.CLIName(m.Name), t, mark)
		}
	}
}
