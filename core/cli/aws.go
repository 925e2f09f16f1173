package cli

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"math/big"
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

// awsVersion is what `aws --version` prints.
const awsVersion = "aws-cli/2.27.50 Python/3.13.4 Linux/x86_64 exe/x86_64.telltale"

// awsUsageError prints an argparse error as the CLI v2 does (a blank line,
// the usage banner, "aws: error: MSG") and returns 252.
func (s *Session) awsUsageError(msg string) int {
	fmt.Fprintf(s.Env.Stderr, "\n%s\naws: error: %s\n", awsUsage, msg)
	return ExitUsage
}

// awsError prints an error the way the CLI's error handlers do.
func (s *Session) awsError(err error) int {
	var ue *usageErr
	var uk *unknownErr
	var pe *paramErr
	var ge *generalErr
	var ae *awserr.Error
	switch {
	case errors.As(err, &ue):
		return s.awsUsageError(ue.msg)
	case errors.As(err, &uk):
		// The CLI v2's UnknownArgumentErrorHandler: a blank line, the usage,
		// the message, a blank line.
		fmt.Fprintf(s.Env.Stderr, "\n%s\n%s\n\n", awsUsage, uk.msg)
		return ExitUsage
	case errors.As(err, &pe):
		fmt.Fprintf(s.Env.Stderr, "\n%s\n", pe.msg)
		return ExitUsage
	case errors.As(err, &ge):
		fmt.Fprintf(s.Env.Stderr, "\n%s\n", ge.msg)
		return ExitGeneral
	case errors.As(err, &ae):
		fmt.Fprintf(s.Env.Stderr, "\n%s\n", ae.Error())
		return ExitService
	}
	fmt.Fprintf(s.Env.Stderr, "\n%v\n", err)
	return ExitGeneral
}

// awsGlobals are the AWS CLI's global options.
type awsGlobals struct {
	query    *string
	output   string
	region   string
	profile  string
	paginate bool
	version  bool
	// binaryFormat is --cli-binary-format: base64 (the default) or
	// raw-in-base64-out.
	binaryFormat string
}

type globalOpt struct {
	name    string
	value   bool
	choices []string
}

var awsGlobalOpts = []globalOpt{
	{name: "debug"}, {name: "endpoint-url", value: true}, {name: "no-verify-ssl"}, {name: "no-paginate"},
	{name: "output", value: true, choices: []string{"json", "text", "table", "yaml", "yaml-stream", "off"}},
	{name: "query", value: true}, {name: "profile", value: true}, {name: "region", value: true},
	{name: "version"}, {name: "color", value: true, choices: []string{"on", "off", "auto"}},
	{name: "no-sign-request"}, {name: "ca-bundle", value: true}, {name: "cli-read-timeout", value: true},
	{name: "cli-connect-timeout", value: true},
	{name: "cli-binary-format", value: true, choices: []string{"base64", "raw-in-base64-out"}},
	{name: "no-cli-pager"}, {name: "cli-auto-prompt"}, {name: "no-cli-auto-prompt"},
}

// parseAWSGlobals takes the global options out of the command line, wherever
// they are, as the CLI's main parser does; the rest is the command.
func parseAWSGlobals(args []string) (awsGlobals, []string, error) {
	g := awsGlobals{output: "json", paginate: true, binaryFormat: binaryBase64}
	names := make([]string, len(awsGlobalOpts))
	byName := map[string]globalOpt{}
	for i, o := range awsGlobalOpts {
		names[i] = o.name
		byName[o.name] = o
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, explicit, hasExplicit, known, ok, err := optionMatch(names, a)
		if err != nil {
			return g, nil, err
		}
		if !ok || !known {
			rest = append(rest, a)
			continue
		}
		o := byName[name]
		var val string
		if o.value {
			switch {
			case hasExplicit:
				val = explicit
			case i+1 < len(args):
				if _, _, _, _, isOpt, _ := optionMatch(names, args[i+1]); isOpt && !isNegativeNumber(args[i+1]) {
					return g, nil, &usageErr{fmt.Sprintf("argument --%s: expected one argument", name)}
				}
				i++
				val = args[i]
			default:
				return g, nil, &usageErr{fmt.Sprintf("argument --%s: expected one argument", name)}
			}
			if o.choices != nil {
				found := false
				for _, c := range o.choices {
					found = found || c == val
				}
				if !found {
					return g, nil, &usageErr{fmt.Sprintf("argument --%s: Found invalid choice '%s'", name, val)}
				}
			}
		} else if hasExplicit {
			return g, nil, &usageErr{fmt.Sprintf("argument --%s: ignored explicit argument '%s'", name, explicit)}
		}
		switch name {
		case "output":
			g.output = val
		case "query":
			v := val
			g.query = &v
		case "region":
			g.region = val
		case "profile":
			g.profile = val
		case "no-paginate":
			g.paginate = false
		case "version":
			g.version = true
		case "cli-binary-format":
			g.binaryFormat = val
		}
	}
	return g, rest, nil
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
	g, rest, err := parseAWSGlobals(args)
	if err != nil {
		return s.awsError(err)
	}
	if g.version {
		fmt.Fprintln(s.Env.Stdout, awsVersion)
		return ExitOK
	}
	reg := s.World.Registry()
	if len(rest) == 0 {
		return s.awsUsageError("the following arguments are required: command")
	}
	if rest[0] == "help" {
		return awsHelp(s.Env.Stdout, s.Env.Stderr, nil, reg)
	}
	if rest[0] == "s3" {
		return s.s3Cmd(g, rest[1:]) // s3cmd.go
	}
	svc, ok := reg.Service(rest[0])
	if !ok {
		return s.awsUsageError(fmt.Sprintf("argument command: Found invalid choice '%s'", rest[0]))
	}
	if len(rest) < 2 {
		return s.awsUsageError("the following arguments are required: operation")
	}
	if rest[1] == "help" {
		return awsHelp(s.Env.Stdout, s.Env.Stderr, rest[:1], reg)
	}
	if svc.Name == "logs" && rest[1] == "tail" {
		return s.logsTail(g, rest[2:]) // logstail.go
	}
	opName, ok := findOperation(svc, rest[1])
	if !ok {
		return s.awsUsageError(fmt.Sprintf("argument operation: Found invalid choice '%s'", rest[1]))
	}
	op := svc.Model.Operations[opName]
	pager := loadPaginator(svc.Name, opName)
	table := newOpArgs(svc.Model, op, pager)
	p, err := table.parse(rest[2:])
	if err != nil {
		return s.awsError(err)
	}
	if p.help {
		return awsHelp(s.Env.Stdout, s.Env.Stderr, rest[:2], reg)
	}
	if g.output == "yaml" || g.output == "yaml-stream" {
		return s.awsUsageError(fmt.Sprintf("argument --output: '%s' is not simulated by telltale: use json, text or table", g.output))
	}
	if g.region != "" && g.region != s.World.Region() {
		fmt.Fprintf(s.Env.Stderr, "\ntelltale: this world simulates the region %s only; --region %s is not available (start a world in another region with telltale --region %s)\n", s.World.Region(), g.region, g.region)
		return ExitUsage
	}
	var compiled *jmespath.JMESPath
	if g.query != nil {
		c, err := jmespath.Compile(*g.query)
		if err != nil {
			return s.awsError(&generalErr{queryErrorMessage(*g.query, err)})
		}
		compiled = c
	}
	paginate := g.paginate && pager != nil
	if pager != nil {
		// A paging argument of the service's own (--max-results, --next-token)
		// turns automatic pagination off.
		for _, tok := range append(append([]string{}, pager.InputToken...), pager.LimitKey) {
			if tok == "" {
				continue
			}
			if a, ok := table.byOpt[api.CLIName(tok)]; ok {
				if _, given := p.vals[a]; given {
					paginate = false
				}
			}
		}
		if !paginate {
			var used []string
			for _, name := range []string{"starting-token", "page-size", "max-items"} {
				if v, ok := p.pages[name]; ok && truthy(pageTruth(v)) {
					used = append(used, "--"+name)
				}
			}
			if len(used) > 0 {
				return s.awsError(&paramErr{"Error during pagination: Cannot specify --no-paginate along with pagination arguments: " + strings.Join(used, ", ")})
			}
		}
	}
	params, err := s.buildParams(svc.Model, table, p)
	if err != nil {
		return s.awsError(err)
	}
	if raw, ok := p.vals[table.byOpt["cli-input-json"]]; ok {
		if err := s.mergeCLIInput(params, raw[0]); err != nil {
			return s.awsError(err)
		}
		if pager != nil {
			for _, tok := range append(append([]string{}, pager.InputToken...), pager.LimitKey) {
				if _, ok := params.get(tok); ok && tok != "" {
					paginate = false
				}
			}
		}
	}
	if sk, ok := p.vals[table.byOpt["generate-cli-skeleton"]]; ok {
		if sk[0] == "input" {
			var skel any = newDict()
			if in := svc.Model.Shape(op.Input); in != nil {
				skel = skeleton(svc.Model, in, "", false, nil)
			}
			var b strings.Builder
			encodePyJSON(&b, skel, 4, 0, true)
			fmt.Fprintln(s.Env.Stdout, b.String())
			return ExitOK
		}
	}
	// The profile's configuration is first read when the client is created,
	// after the command line is parsed and an input skeleton printed (the
	// CLI v2's calling-command handler), before the request is validated:
	// botocore's ProfileNotFound, exit 255.
	if _, err := s.World.Profile(g.profile); err != nil {
		return s.awsError(&generalErr{err.Error()})
	}
	beforeParameterBuild(svc.Model.Metadata.EndpointPrefix+"."+rest[1], params)
	if err := s3BeforeParameterBuild(svc.Model.Metadata.EndpointPrefix+"."+rest[1], params); err != nil {
		return s.awsError(err) // s3api.go
	}
	// The binary format's provide-client-params hook runs before botocore
	// validates the parameters.
	if err := applyBinaryFormat(svc.Model, svc.Model.Shape(op.Input), params, g.binaryFormat); err != nil {
		return s.awsError(err)
	}
	if rep := validateParams(svc.Model, svc.Model.Shape(op.Input), params); rep != "" {
		return s.awsError(&paramErr{rep})
	}
	if sk, ok := p.vals[table.byOpt["generate-cli-skeleton"]]; ok && sk[0] == "output" {
		out := newDict()
		if outShape := svc.Model.Shape(op.Output); outShape != nil {
			if d, ok := skeleton(svc.Model, outShape, "", true, nil).(*pyDict); ok {
				out = d
			}
		}
		return s.printResponse(g, compiled, opName, out)
	}
	ua := world.UserAgent + " md/command#" + rest[0] + "." + rest[1]
	call := func(params *pyDict) (*pyDict, error) {
		body, err := requestJSON(svc.Model, svc.Model.Shape(op.Input), params)
		if err != nil {
			return nil, err
		}
		resp, err := s.World.Invoke(world.Request{Service: svc.Name, Operation: opName, Input: body, UserAgent: ua, Profile: g.profile})
		if err != nil {
			return nil, err
		}
		if resp == nil {
			return newDict(), nil
		}
		d, _ := toPy(svc.Model, svc.Model.Shape(op.Output), resp).(*pyDict)
		if d == nil {
			d = newDict()
		}
		return d, nil
	}
	if !paginate {
		out, err := call(params)
		if err != nil {
			return s.serviceError(opName, err)
		}
		if table.outfile != nil {
			if err := s.saveOutfile(p.vals[table.outfile][0], table.outfile.member, out); err != nil {
				return s.awsError(err)
			}
		}
		return s.printResponse(g, compiled, opName, out)
	}
	o := pagingOptions{pageSize: p.pages["page-size"]}
	if v, ok := p.pages["starting-token"]; ok {
		t := v.(string)
		o.startingToken = &t
	}
	if v, ok := p.pages["max-items"]; ok {
		n := v.(*big.Int)
		m := int64(math.MaxInt64)
		if n.IsInt64() {
			m = n.Int64()
		} else if n.Sign() < 0 {
			m = math.MinInt64
		}
		if m <= 0 {
			fmt.Fprint(s.Env.Stderr, "warning: Non-positive values for --max-items may result in undefined behavior.\n")
		}
		o.maxItems = &m
	}
	res, err := pager.paginate(call, params, o)
	if err != nil {
		return s.serviceError(opName, err)
	}
	if g.output == "text" {
		for i := range res.pages {
			if err := s.printText(compiled, g, pager.pageForText(res, i)); err != nil {
				return s.awsError(err)
			}
		}
		if res.resumeToken != "" {
			d := newDict()
			inner := newDict()
			inner.set("NextToken", res.resumeToken)
			d.set("NextToken", inner)
			if err := s.printText(compiled, g, d); err != nil {
				return s.awsError(err)
			}
		}
		return ExitOK
	}
	return s.printResponse(g, compiled, opName, pager.fullResult(res))
}

func pageTruth(v any) any {
	if n, ok := v.(*big.Int); ok {
		return n.Sign() != 0
	}
	return v
}

func (s *Session) serviceError(opName string, err error) int {
	var e *awserr.Error
	if errors.As(err, &e) {
		fmt.Fprintf(s.Env.Stderr, "\nAn error occurred (%s) when calling the %s operation: %s\n", e.Code, opName, e.Message)
		return ExitService
	}
	return s.awsError(err)
}

// queryErrorMessage words a JMESPath syntax error as the CLI does.
func queryErrorMessage(expr string, err error) string {
	var se jmespath.SyntaxError
	if errors.As(err, &se) {
		if se.Offset >= len(expr) {
			return fmt.Sprintf("Bad value for --query %s: Invalid jmespath expression: Incomplete expression:\n\"%s\"\n%s^", expr, expr, strings.Repeat(" ", len(expr)+1))
		}
		return fmt.Sprintf("Bad value for --query %s: Invalid jmespath expression: %s: Parse error at column %d, for expression:\n\"%s\"\n%s^", expr, se.Error(), se.Offset, expr, strings.Repeat(" ", se.Offset+1))
	}
	return fmt.Sprintf("Bad value for --query %s: %v", expr, err)
}

// mergeCLIInput adds the members of --cli-input-json that the command line
// did not set.
func (s *Session) mergeCLIInput(params *pyDict, raw string) error {
	text := raw
	if v, ok, err := s.paramFile(raw); err != nil {
		return &paramErr{err.Error()}
	} else if ok {
		text = v
	}
	v, err := pyJSONLoads(text, false)
	if err != nil {
		return &paramErr{fmt.Sprintf("Error parsing parameter 'cli-input-json': Invalid JSON: %s\nJSON received: %s", err, text)}
	}
	d, ok := v.(*pyDict)
	if !ok {
		return &paramErr{fmt.Sprintf("'%s' object has no attribute 'keys'", pyTypeWord(v))}
	}
	for _, k := range d.keys {
		if _, set := params.get(k); !set {
			params.set(k, d.vals[k])
		}
	}
	return nil
}

// skeleton is botocore's ArgumentGenerator. Where botocore picks a random
// enum value, telltale picks the first, so that the output is deterministic.
func skeleton(m *api.Model, s *api.Shape, name string, memberNames bool, stack []*api.Shape) any {
	for _, x := range stack {
		if x == s && s.Type == "structure" {
			return newDict()
		}
	}
	stack = append(stack, s)
	switch s.Type {
	case "structure":
		d := newDict()
		for _, mem := range s.Members {
			if ms := m.Shapes[mem.Ref.Shape]; ms != nil {
				d.set(mem.Name, skeleton(m, ms, mem.Name, memberNames, stack))
			}
		}
		return d
	case "list":
		n := ""
		if memberNames {
			n = s.Member.Shape
		}
		if ms := m.Shape(s.Member); ms != nil {
			return []any{skeleton(m, ms, n, memberNames, stack)}
		}
		return []any{}
	case "map":
		d := newDict()
		if vs := m.Shape(s.Value); vs != nil {
			d.set("KeyName", skeleton(m, vs, "", memberNames, stack))
		}
		return d
	case "string":
		if memberNames {
			return name
		}
		if len(s.Enum) > 0 {
			return s.Enum[0]
		}
		return ""
	case "integer", "long":
		return int64(0)
	case "float", "double":
		return 0.0
	case "boolean":
		return true
	case "timestamp":
		return "1970-01-01T00:00:00"
	}
	return nil
}

// requestJSON serialises the validated request for the world: timestamps as
// RFC 3339, blobs as base64.
func requestJSON(m *api.Model, s *api.Shape, params *pyDict) ([]byte, error) {
	var b strings.Builder
	var enc func(v any, s *api.Shape)
	enc = func(v any, s *api.Shape) {
		if s != nil && s.Type == "timestamp" {
			if t, err := parseCLITimestamp(v); err == nil {
				writeJSONString(&b, t.Format(time.RFC3339Nano), false)
				return
			}
		}
		if s != nil && s.Type == "blob" {
			if bv, ok := v.(blobValue); ok {
				writeJSONString(&b, base64.StdEncoding.EncodeToString(bv), false)
				return
			}
		}
		switch x := v.(type) {
		case *pyDict:
			b.WriteByte('{')
			for i, k := range x.keys {
				if i > 0 {
					b.WriteByte(',')
				}
				writeJSONString(&b, k, false)
				b.WriteByte(':')
				var ms *api.Shape
				if s != nil {
					switch s.Type {
					case "structure":
						if mem, ok := s.Members.Get(k); ok {
							ms = m.Shapes[mem.Ref.Shape]
						}
					case "map":
						ms = m.Shape(s.Value)
					}
				}
				enc(x.vals[k], ms)
			}
			b.WriteByte('}')
		case []any:
			b.WriteByte('[')
			var es *api.Shape
			if s != nil && s.Type == "list" {
				es = m.Shape(s.Member)
			}
			for i, e := range x {
				if i > 0 {
					b.WriteByte(',')
				}
				enc(e, es)
			}
			b.WriteByte(']')
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				writeJSONString(&b, pyFloat(x), false)
			} else {
				b.WriteString(pyFloat(x))
			}
		case bool:
			if s != nil && (s.Type == "integer" || s.Type == "long") {
				if x {
					b.WriteString("1")
				} else {
					b.WriteString("0")
				}
				return
			}
			encodePyJSON(&b, x, -1, 0, false)
		default:
			encodePyJSON(&b, x, -1, 0, false)
		}
	}
	enc(params, s)
	return []byte(b.String()), nil
}

// printResponse prints a (full) response with --query and --output.
func (s *Session) printResponse(g awsGlobals, q *jmespath.JMESPath, opName string, resp *pyDict) int {
	var v any = resp
	if g.output == "text" {
		if err := s.printText(q, g, resp); err != nil {
			return s.awsError(err)
		}
		return ExitOK
	}
	if q != nil {
		r, err := runQuery(q, *g.query, v)
		if err != nil {
			return s.awsError(&generalErr{err.Error()})
		}
		v = r
	}
	switch g.output {
	case "off":
	case "table":
		writeTable(s.Env.Stdout, opName, v)
	default:
		if d, ok := v.(*pyDict); ok && d.len() == 0 {
			return ExitOK
		}
		writeJSON(s.Env.Stdout, v)
	}
	return ExitOK
}

func (s *Session) printText(q *jmespath.JMESPath, g awsGlobals, v any) error {
	if q != nil {
		r, err := runQuery(q, *g.query, v)
		if err != nil {
			return &generalErr{err.Error()}
		}
		v = r
	}
	writeText(s.Env.Stdout, v)
	return nil
}
