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
	if len(args) >= 1 && args[0] == "aws" {
		return awsHelp(env.Stdout, env.Stderr, args[1:], reg)
	}
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
	fmt.Fprint(w, `telltale: an AWS monitoring and audit playground on a virtual clock.

Usage: telltale [--state FILE] [--seed N] [--account ID] [--region NAME] COMMAND ...

Commands:
  aws SERVICE OPERATION [--param value ...]   the AWS CLI v2, simulated
  api SERVICE OPERATION [REQUEST_JSON | -]     the raw API
  clock now | set TIME | advance DURATION      the virtual clock
  run FILE | -                                 run a script, one command per line
  events explain --event-pattern P --event E   why an EventBridge pattern matches an event or not
  schemas export-code --registry-name R --schema-name S --language go|typescript
                                               a schema as Go types or a TypeScript interface
  ec2 load --instance-id ID --cpu PCT [--mem PCT] [--for 15m]
                                               a load spike on simulated EC2 instances (or
                                               --auto-scaling-group-name NAME: all its instances)
  firehose records NAME [--decode]             what a Firehose stream received (it has no read
                                               API), with the S3 object of each record
  sim webserver [--log-group G] [--app-log-group G] [--rate 60] [--error-rate 0.05]
                                               a simulated web server writing Apache access logs
                                               and JSON application logs as the clock moves
                                               (also: sim list, sim stop NAME)
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
  help [aws [SERVICE [OPERATION]]]             this help, or what is implemented

Profiles (aws --profile NAME ...: who makes the call):
`)
	if pw, err := world.New(world.Config{Seed: 1}); err == nil {
		for _, p := range pw.Profiles() {
			fmt.Fprintf(w, "  %-44s %s\n", p.Name, p.Summary)
		}
		pw.Close()
	}
	fmt.Fprint(w, `

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

// awsHelp prints `aws help`, `aws SERVICE help` and `aws SERVICE OPERATION
// help`, generated from the registry: only what is implemented is listed. An
// unknown service or operation is a usage error.
func awsHelp(w, errw io.Writer, args []string, reg *api.Registry) int {
	if len(args) == 0 {
		fmt.Fprint(w, `aws: the AWS Command Line Interface v2, simulated by telltale.

Usage: aws [options] <command> <subcommand> [parameters]

Available services:
`)
		for _, s := range reg.Services() {
			if s.Name == "s3api" {
				// The CLI's own high-level commands over s3api (s3cmd.go).
				fmt.Fprintf(w, "  %-12s %s\n", "s3", "Amazon S3 high-level commands: ls, cp, rm, mb, rb")
			}
			fmt.Fprintf(w, "  %-12s %s\n", s.Name, s.Model.Metadata.ServiceFullName)
		}
		fmt.Fprint(w, `
Global options:
  --output json|text|table|off   the output format (default json)
  --query EXPRESSION             a JMESPath expression applied to the response
  --no-paginate                  make one call, not every page
  --region REGION                the world's region (only one is simulated)
  --version                      print the version

Run aws SERVICE help for the operations of a service.
`)
		return ExitOK
	}
	s, ok := reg.Service(args[0])
	if !ok {
		fmt.Fprintf(errw, "telltale: aws has no service %q here; the services are: %s\n", args[0], strings.Join(reg.Names(), ", "))
		return ExitUsage
	}
	if len(args) == 1 {
		fmt.Fprintf(w, "aws %s: %s\n\nAvailable operations:\n", s.Name, s.Model.Metadata.ServiceFullName)
		for _, op := range s.Operations() {
			fmt.Fprintf(w, "  %s\n", api.CLIName(op))
		}
		if s.Name == "logs" {
			fmt.Fprintf(w, "  tail  (the CLI's own command over filter-log-events)\n")
		}
		fmt.Fprintf(w, "\nRun aws %s OPERATION help for the parameters of an operation.\n", s.Name)
		return ExitOK
	}
	if s.Name == "logs" && args[1] == "tail" {
		fmt.Fprint(w, LogsTailHelp)
		return ExitOK
	}
	opName, ok := findOperation(s, args[1])
	if !ok {
		fmt.Fprintf(errw, "telltale: aws %s has no operation %q here; run aws %s help for the list\n", s.Name, args[1], s.Name)
		return ExitUsage
	}
	op := s.Model.Operations[opName]
	pager := loadPaginator(s.Name, opName)
	fmt.Fprintf(w, "aws %s %s  (API operation %s)\n\nParameters:\n", s.Name, args[1], opName)
	t := newOpArgs(s.Model, op, pager)
	any := false
	for _, a := range t.args {
		switch a.kind {
		case argBool:
			if a.neg {
				continue
			}
			mark := ""
			if a.required {
				mark = " (required)"
			}
			fmt.Fprintf(w, "  --%s | --no-%s (boolean)%s\n", a.name, a.name, mark)
		case argMember:
			mark := ""
			if a.required {
				mark = " (required)"
			}
			fmt.Fprintf(w, "  --%s (%s)%s\n", a.name, typeDescription(s.Model, a.shape), mark)
		case argStreamBlob:
			fmt.Fprintf(w, "  --%s (streaming blob): the path of a local file\n", a.name)
		case argZipFile:
			fmt.Fprintf(w, "  --%s (blob): the zip file of the %s, as fileb://path/to/file.zip\n", a.name, strings.ToLower(a.member))
		case argPutMetric:
			fmt.Fprintf(w, "  --%s (string): a field of the first MetricData entry\n", a.name)
		case argEC2Count:
			fmt.Fprintf(w, "  --%s (string): number of instances to launch, N or MIN:MAX (default 1)\n", a.name)
		case argOutfile:
			fmt.Fprintf(w, "  %s (string) (required): the file where the %s is saved\n", a.name, a.member)
		default:
			continue
		}
		any = true
	}
	if !any {
		fmt.Fprintln(w, "  None")
	}
	fmt.Fprint(w, "\nAlso: --cli-input-json JSON, --generate-cli-skeleton [input|output]\n")
	if pager != nil {
		fmt.Fprintf(w, "\n%s is a paginated operation: the CLI makes as many calls as it takes to get every\nresult, unless --no-paginate is given. Paging options: --starting-token (string)", args[1])
		if pager.LimitKey != "" {
			fmt.Fprint(w, ", --page-size (integer)")
		}
		fmt.Fprint(w, ", --max-items (integer).\n")
	}
	return ExitOK
}

// typeDescription names a parameter's type as the CLI's help does: string,
// integer, list, structure, map, timestamp, boolean, double, blob.
func typeDescription(m *api.Model, s *api.Shape) string {
	if s == nil {
		return "string"
	}
	switch s.Type {
	case "list":
		if ms := m.Shape(s.Member); ms != nil {
			return "list of " + ms.Type
		}
	case "string":
		if len(s.Enum) > 0 {
			return "string: " + strings.Join(s.Enum, " | ")
		}
	}
	return s.Type
}
