package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmespath/go-jmespath"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/world"
)

// awsUsage is the AWS CLI v2's usage banner for command-line errors.
const awsUsage = `usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help
`

func (s *Session) awsUsageError(msg string) int {
	fmt.Fprintf(s.Env.Stderr, "%s\naws: error: %s\n", awsUsage, msg)
	return ExitUsage
}

// awsGlobals are the AWS CLI's global options that telltale understands.
type awsGlobals struct {
	query     string
	output    string
	region    string
	paginate  bool
	hasQuery  bool
	cliInput  string
	debugHelp bool
}

// findOperation returns the operation whose CLI name is name.
func findOperation(svc *api.Service, name string) (string, bool) {
	for _, op := range svc.Operations() {
		if api.CLIName(op) == name {
			return op, true
		}
	}
	return "", false
}

func (s *Session) aws(args []string) int {
	g := awsGlobals{output: "json", paginate: true}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		takesValue := func() (string, bool) {
			if i+1 >= len(args) {
				return "", false
			}
			i++
			return args[i], true
		}
		var ok bool
		switch a {
		case "--query":
			g.query, ok = takesValue()
			g.hasQuery = true
		case "--output":
			g.output, ok = takesValue()
			if ok && g.output != "json" && g.output != "text" && g.output != "table" && g.output != "yaml" && g.output != "yaml-stream" {
				return s.awsUsageError(fmt.Sprintf("argument --output: Found invalid choice '%s'", g.output))
			}
		case "--region":
			g.region, ok = takesValue()
		case "--profile", "--endpoint-url", "--color", "--cli-read-timeout", "--cli-connect-timeout", "--ca-bundle", "--cli-binary-format":
			_, ok = takesValue()
		case "--no-paginate":
			g.paginate, ok = false, true
		case "--debug", "--no-verify-ssl", "--no-sign-request", "--no-cli-pager", "--cli-auto-prompt", "--no-cli-auto-prompt":
			ok = true
		default:
			rest = append(rest, a)
			continue
		}
		if !ok {
			return s.awsUsageError(fmt.Sprintf("argument %s: expected one argument", a))
		}
	}
	if len(rest) == 0 || rest[0] == "help" {
		return cmdHelp(s.Env, append([]string{"aws"}, rest...))
	}
	svc, ok := s.World.Registry().Service(rest[0])
	if !ok {
		return s.awsUsageError(fmt.Sprintf("argument command: Found invalid choice '%s'", rest[0]))
	}
	if len(rest) < 2 || rest[1] == "help" {
		return cmdHelp(s.Env, []string{"aws", rest[0]})
	}
	opName, ok := findOperation(svc, rest[1])
	if !ok {
		return s.awsUsageError(fmt.Sprintf("argument operation: Found invalid choice '%s'", rest[1]))
	}
	if len(rest) > 2 && rest[2] == "help" {
		return cmdHelp(s.Env, []string{"aws", rest[0], rest[1]})
	}
	if g.region != "" && g.region != s.World.Region() {
		fmt.Fprintf(s.Env.Stderr, "\nAn error occurred (UnrecognizedClientException) when calling the %s operation: This world simulates region %s only; --region %s is not available here.\n", opName, s.World.Region(), g.region)
		return ExitService
	}
	op := svc.Model.Operations[opName]
	input, code := s.parseParams(svc, op, rest[2:])
	if code != ExitOK {
		return code
	}
	body, _ := json.Marshal(input)
	ua := world.UserAgent + " md/command#" + rest[0] + "." + rest[1]
	resp, err := s.World.Invoke(world.Request{Service: svc.Name, Operation: opName, Input: body, UserAgent: ua})
	if err != nil {
		var e *awserr.Error
		if errors.As(err, &e) {
			fmt.Fprintf(s.Env.Stderr, "\nAn error occurred (%s) when calling the %s operation: %s\n", e.Code, opName, e.Message)
			return ExitService
		}
		fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	return s.printResponse(g, resp)
}

func (s *Session) printResponse(g awsGlobals, resp any) int {
	if resp == nil && !g.hasQuery {
		return ExitOK
	}
	v := toPlain(resp, func(t time.Time) any { return cliTime(t) })
	if g.hasQuery {
		expr, err := jmespath.Compile(g.query)
		if err != nil {
			fmt.Fprintf(s.Env.Stderr, "\nBad value for --query %s: %v\n\n", g.query, err)
			return ExitUsage
		}
		res, err := expr.Search(toJMES(v))
		if err != nil {
			fmt.Fprintf(s.Env.Stderr, "\n%v\n", err)
			return ExitFailure
		}
		v = res
	}
	switch g.output {
	case "text":
		writeText(s.Env.Stdout, v)
	case "table":
		writeJSON(s.Env.Stdout, v) // TODO(cli): table output
	default:
		writeJSON(s.Env.Stdout, v)
	}
	return ExitOK
}

// toJMES turns Ordered objects into maps for JMESPath.
func toJMES(v any) any {
	switch x := v.(type) {
	case api.Ordered:
		m := make(map[string]any, len(x))
		for _, kv := range x {
			m[kv.Key] = toJMES(kv.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toJMES(e)
		}
		return out
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return v
}

// writeText prints a value in the CLI's text format (simplified).
func writeText(w interface{ Write([]byte) (int, error) }, v any) {
	switch x := v.(type) {
	case nil:
		fmt.Fprintln(w, "None")
	case string:
		fmt.Fprintln(w, x)
	default:
		writeJSON(w, v)
	}
}

// parseParams turns --param value arguments into the request object, using
// the operation's input shape.
func (s *Session) parseParams(svc *api.Service, op *api.Operation, args []string) (map[string]any, int) {
	input := map[string]any{}
	shape := svc.Model.Shape(op.Input)
	members := map[string]api.Member{}
	if shape != nil {
		for _, m := range shape.Members {
			members[api.CLIName(m.Name)] = m
		}
	}
	var unknown []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			unknown = append(unknown, a)
			continue
		}
		name := strings.TrimPrefix(a, "--")
		if name == "cli-input-json" {
			if i+1 >= len(args) {
				return nil, s.awsUsageError("argument --cli-input-json: expected one argument")
			}
			i++
			raw, err := s.loadValue(args[i])
			if err != nil {
				return nil, s.awsUsageError(err.Error())
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(raw), &m); err != nil {
				return nil, s.awsUsageError("argument --cli-input-json: Invalid JSON received.")
			}
			for k, v := range m {
				if _, ok := input[k]; !ok {
					input[k] = v
				}
			}
			continue
		}
		neg := strings.HasPrefix(name, "no-")
		m, ok := members[name]
		if !ok && neg {
			m, ok = members[strings.TrimPrefix(name, "no-")]
		}
		if !ok {
			unknown = append(unknown, a)
			continue
		}
		ms := svc.Model.Shapes[m.Ref.Shape]
		if ms.Type == "boolean" {
			input[m.Name] = !neg
			continue
		}
		var vals []string
		for i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			i++
			vals = append(vals, args[i])
		}
		if len(vals) == 0 {
			return nil, s.awsUsageError(fmt.Sprintf("argument %s: expected one argument", a))
		}
		v, err := s.convert(svc.Model, ms, vals, a)
		if err != nil {
			return nil, s.awsUsageError(err.Error())
		}
		input[m.Name] = v
	}
	if len(unknown) > 0 {
		return nil, s.awsUsageError("Unknown options: " + strings.Join(unknown, ", "))
	}
	if shape != nil {
		var missing []string
		for _, r := range shape.Required {
			if _, ok := input[r]; !ok {
				missing = append(missing, "--"+api.CLIName(r))
			}
		}
		if len(missing) > 0 {
			return nil, s.awsUsageError("the following arguments are required: " + strings.Join(missing, ", "))
		}
	}
	return input, ExitOK
}

// loadValue reads file:// values.
func (s *Session) loadValue(v string) (string, error) {
	if rest, ok := strings.CutPrefix(v, "file://"); ok {
		b, err := s.Env.fs().ReadFile(rest)
		if err != nil {
			return "", fmt.Errorf("Error parsing parameter: Unable to load paramfile %s: %v", v, err)
		}
		return string(b), nil
	}
	return v, nil
}

// convert turns the words given for a parameter into its value.
func (s *Session) convert(m *api.Model, sh *api.Shape, vals []string, flag string) (any, error) {
	if sh.Type != "list" && len(vals) > 1 {
		return nil, fmt.Errorf("Unknown options: %s", strings.Join(vals[1:], ", "))
	}
	raw, err := s.loadValue(vals[0])
	if err != nil {
		return nil, err
	}
	switch sh.Type {
	case "string", "timestamp", "blob":
		return raw, nil
	case "integer", "long":
		var n json.Number
		if err := json.Unmarshal([]byte(raw), &n); err != nil || strings.ContainsAny(raw, ".eE") {
			return nil, fmt.Errorf("argument %s: invalid int value: '%s'", flag, raw)
		}
		return n, nil
	case "float", "double":
		var n json.Number
		if err := json.Unmarshal([]byte(raw), &n); err != nil {
			return nil, fmt.Errorf("argument %s: invalid float value: '%s'", flag, raw)
		}
		return n, nil
	case "list":
		if len(vals) == 1 && strings.HasPrefix(strings.TrimSpace(raw), "[") {
			var v []any
			if err := json.Unmarshal([]byte(raw), &v); err != nil {
				return nil, fmt.Errorf("Error parsing parameter '%s': Invalid JSON: %v\nJSON received: %s", strings.TrimPrefix(flag, "--"), err, raw)
			}
			return v, nil
		}
		es := m.Shape(sh.Member)
		out := []any{}
		for _, v := range vals {
			x, err := s.convert(m, es, []string{v}, flag)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	case "structure", "map":
		if strings.HasPrefix(strings.TrimSpace(raw), "{") {
			var v map[string]any
			if err := json.Unmarshal([]byte(raw), &v); err != nil {
				return nil, fmt.Errorf("Error parsing parameter '%s': Invalid JSON: %v\nJSON received: %s", strings.TrimPrefix(flag, "--"), err, raw)
			}
			return v, nil
		}
		out := map[string]any{}
		for _, kv := range strings.Split(raw, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return nil, fmt.Errorf("Error parsing parameter '%s': Expected: '=', received: 'EOF' for input:\n%s", strings.TrimPrefix(flag, "--"), raw)
			}
			out[k] = v
		}
		return out, nil
	}
	return raw, nil
}
