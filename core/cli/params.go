package cli

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
)

// This file ports the AWS CLI's handling of an operation's parameters: the
// argument table (awscli/clidriver.py, arguments.py), argparse's parsing of
// it, file:// values (paramfile.py), and the unpacking of each value
// (argprocess.py with the shorthand syntax).

// usageErr is an argparse error: printed with the usage banner and
// "aws: error: ", exit 252.
type usageErr struct{ msg string }

func (e *usageErr) Error() string { return e.msg }

// unknownErr is the CLI's UnknownArgumentError: "Unknown options: ...".
type unknownErr struct{ msg string }

func (e *unknownErr) Error() string { return e.msg }

// paramErr is a ParamError or a ParamValidationError: printed after a blank
// line, exit 252.
type paramErr struct{ msg string }

func (e *paramErr) Error() string { return e.msg }

// generalErr is any other exception the CLI lets through (a pagination
// error, a failing --query): printed after a blank line, exit 255. A value that
// does not parse (int(), float()) is a paramErr instead: the CLI v2 documents
// 252 for "a parameter value was incorrect", and so does the contract.
type generalErr struct{ msg string }

func (e *generalErr) Error() string { return e.msg }

// ExitGeneral is the AWS CLI's status for an unexpected error (a pagination
// error, a --query that fails at run time).
const ExitGeneral = 255

type argKind int

const (
	argMember     argKind = iota // a member of the input shape
	argBool                      // a boolean member: --x / --no-x
	argPaging                    // --starting-token, --page-size, --max-items
	argCLIInput                  // --cli-input-json
	argSkeleton                  // --generate-cli-skeleton [input|output]
	argOutfile                   // the positional outfile of a streaming output
	argZipFile                   // --zip-file, hoisted into a structure member
	argPutMetric                 // a field of put-metric-data's first datum (putmetricdata.go)
	argEC2Count                  // run-instances --count (ec2runinstances.go)
	argStreamBlob                // a streaming blob input: a file path (s3api.go)
)

// cliArg is one argument of an operation's argument table.
type cliArg struct {
	name     string // without the leading --
	member   string // API member name
	kind     argKind
	shape    *api.Shape
	required bool
	neg      bool // the --no-x option of a boolean
	pageType string
	hoisted  string // a nested member given by its own option (ZipFile)
}

func (a *cliArg) nargs() string {
	switch a.kind {
	case argBool:
		return "0"
	case argSkeleton:
		return "?"
	case argMember:
		if a.shape != nil && a.shape.Type == "list" {
			return "*"
		}
	}
	return "1"
}

// argRenames are the options the AWS CLI renames (awscli/customizations/
// argrename.py), by endpoint prefix, operation and option, for the services
// the world has.
var argRenames = map[string]string{
	"sns.subscribe.endpoint": "notification-endpoint",
}

// streamingOutputs are the operations whose output payload is a blob
// (botocore's has_streaming_output), by endpoint prefix and CLI operation
// name, with the payload member: the CLI gives them a required positional
// outfile and writes the payload there instead of printing it
// (awscli/customizations/streamingoutputarg.py).
var streamingOutputs = map[string]string{
	"lambda.invoke": "Payload",
	"s3.get-object": "Body",
}

// zipFileHoists are awscli/customizations/awslambda.py's
// ZipFileArgumentHoister: --zip-file fills MEMBER.ZipFile, and the --member
// option no longer takes ZipFile. Keys are endpoint prefix and CLI operation
// name.
var zipFileHoists = map[string]string{
	"lambda.create-function":       "Code",
	"lambda.publish-layer-version": "Content",
}

// opArgs is the argument table of an operation.
type opArgs struct {
	args  []*cliArg
	byOpt map[string]*cliArg // option string without -- -> arg
	opts  []string           // option strings in table order
	pager *paginatorConfig
	// outfile is the positional of an operation with a streaming output.
	outfile *cliArg
}

func newOpArgs(m *api.Model, op *api.Operation, pager *paginatorConfig) *opArgs {
	t := &opArgs{byOpt: map[string]*cliArg{}, pager: pager}
	add := func(a *cliArg) {
		t.args = append(t.args, a)
		t.byOpt[a.name] = a
		t.opts = append(t.opts, a.name)
	}
	key := m.Metadata.EndpointPrefix + "." + api.CLIName(op.Name)
	if in := m.Shape(op.Input); in != nil {
		req := map[string]bool{}
		for _, r := range in.Required {
			req[r] = true
		}
		hoist := zipFileHoists[key]
		var zipShape *api.Shape
		for _, mem := range in.Members {
			if key == runInstancesKey && (mem.Name == "MinCount" || mem.Name == "MaxCount") {
				continue
			}
			sh := m.Shapes[mem.Ref.Shape]
			name := api.CLIName(mem.Name)
			if r, ok := argRenames[key+"."+name]; ok {
				name = r
			}
			if sh != nil && sh.Type == "boolean" {
				add(&cliArg{name: name, member: mem.Name, kind: argBool, shape: sh, required: req[mem.Name]})
				add(&cliArg{name: "no-" + name, member: mem.Name, kind: argBool, shape: sh, neg: true})
				continue
			}
			a := &cliArg{name: name, member: mem.Name, kind: argMember, shape: sh, required: req[mem.Name]}
			if streamingInputs[key] == mem.Name {
				a.kind = argStreamBlob
			}
			if mem.Name == hoist && sh != nil {
				if zm, ok := sh.Members.Get("ZipFile"); ok {
					a.required, a.hoisted = false, "ZipFile"
					zipShape = m.Shapes[zm.Ref.Shape]
				}
			}
			add(a)
		}
		if zipShape != nil {
			add(&cliArg{name: "zip-file", member: hoist, kind: argZipFile, shape: zipShape})
		}
		if key == runInstancesKey {
			add(&cliArg{name: "count", kind: argEC2Count})
		}
		if key == putMetricKey {
			if a := t.byOpt["metric-data"]; a != nil {
				a.required = false
			}
			for _, name := range putMetricArgs {
				add(&cliArg{name: name, member: "MetricData", kind: argPutMetric})
			}
		}
	}
	add(&cliArg{name: "cli-input-json", kind: argCLIInput})
	add(&cliArg{name: "generate-cli-skeleton", kind: argSkeleton})
	if pager != nil {
		typ := "integer"
		if pager.LimitKey != "" {
			if in := m.Shape(op.Input); in != nil {
				if mem, ok := in.Members.Get(pager.LimitKey); ok {
					typ = m.Shapes[mem.Ref.Shape].Type
				}
			}
		}
		add(&cliArg{name: "starting-token", kind: argPaging, pageType: "string"})
		if pager.LimitKey != "" {
			add(&cliArg{name: "page-size", kind: argPaging, pageType: typ})
		}
		add(&cliArg{name: "max-items", kind: argPaging, pageType: typ})
	}
	if member, ok := streamingOutputs[key]; ok {
		// A positional: in the table (for the order of "required" errors)
		// but not among the option strings.
		t.outfile = &cliArg{name: "outfile", member: member, kind: argOutfile, required: true}
		t.args = append(t.args, t.outfile)
	}
	return t
}

// parsedArgs is what argparse leaves for the operation.
type parsedArgs struct {
	vals    map[*cliArg][]string // raw values (one for nargs 1)
	set     []*cliArg            // in table order, once each
	bools   map[string]bool      // member -> value of boolean members
	pages   map[string]any       // paging argument -> value
	help    bool
	unknown []string
}

// isNegativeNumber is argparse's _negative_number_matcher: ^-\d+$|^-\d*\.\d+$
func isNegativeNumber(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	t := s[1:]
	if i := strings.IndexByte(t, '.'); i >= 0 {
		return strings.Trim(t[:i], "0123456789") == "" && len(t) > i+1 && strings.Trim(t[i+1:], "0123456789") == ""
	}
	return strings.Trim(t, "0123456789") == ""
}

// optionMatch is argparse's _parse_optional for a parser whose options are
// opts (without --): whether s is an option string, and which.
// It returns ok=false for a positional.
func optionMatch(opts []string, s string) (name, explicit string, hasExplicit, known, ok bool, err error) {
	if s == "" || s[0] != '-' || s == "-" {
		return "", "", false, false, false, nil
	}
	has := func(o string) bool {
		for _, x := range opts {
			if x == o {
				return true
			}
		}
		return false
	}
	if strings.HasPrefix(s, "--") && has(s[2:]) {
		return s[2:], "", false, true, true, nil
	}
	if k, v, eq := strings.Cut(s, "="); eq && strings.HasPrefix(k, "--") && has(k[2:]) {
		return k[2:], v, true, true, true, nil
	}
	if strings.HasPrefix(s, "--") {
		prefix, v, eq := strings.Cut(s, "=")
		var matches []string
		for _, o := range opts {
			if strings.HasPrefix("--"+o, prefix) {
				matches = append(matches, o)
			}
		}
		if len(matches) > 1 {
			list := make([]string, len(matches))
			for i, m := range matches {
				list[i] = "--" + m
			}
			return "", "", false, false, true, &usageErr{fmt.Sprintf("ambiguous option: %s could match %s", prefix, strings.Join(list, ", "))}
		}
		if len(matches) == 1 {
			return matches[0], v, eq, true, true, nil
		}
	}
	if isNegativeNumber(s) {
		return "", "", false, false, false, nil
	}
	if strings.Contains(s, " ") {
		return "", "", false, false, false, nil
	}
	return "", "", false, false, true, nil
}

// parse parses the operation's arguments as argparse would.
func (t *opArgs) parse(args []string) (*parsedArgs, error) {
	p := &parsedArgs{vals: map[*cliArg][]string{}, bools: map[string]bool{}, pages: map[string]any{}}
	// ArgTableArgParser: a lone "help" is help, whatever is required.
	if len(args) == 1 && args[0] == "help" {
		p.help = true
		return p, nil
	}
	isOpt := func(s string) bool {
		_, _, _, _, ok, _ := optionMatch(t.opts, s)
		return ok
	}
	var positionals []string
	note := func(a *cliArg) {
		for _, x := range p.set {
			if x == a {
				return
			}
		}
		p.set = append(p.set, a)
	}
	for i := 0; i < len(args); i++ {
		s := args[i]
		if s == "--" {
			positionals = append(positionals, args[i+1:]...)
			break
		}
		name, explicit, hasExplicit, known, ok, err := optionMatch(t.opts, s)
		if err != nil {
			return nil, err
		}
		if !ok {
			positionals = append(positionals, s)
			continue
		}
		if !known {
			p.unknown = append(p.unknown, s)
			continue
		}
		a := t.byOpt[name]
		switch a.nargs() {
		case "0":
			if hasExplicit {
				return nil, &usageErr{fmt.Sprintf("argument --%s: ignored explicit argument '%s'", name, explicit)}
			}
			p.bools[a.member] = !a.neg
			note(a)
			continue
		case "1":
			var v string
			switch {
			case hasExplicit:
				v = explicit
			case i+1 < len(args) && !isOpt(args[i+1]) && args[i+1] != "--":
				i++
				v = args[i]
			default:
				return nil, &usageErr{fmt.Sprintf("argument --%s: expected one argument", name)}
			}
			p.vals[a] = []string{v}
		case "?":
			v := "input"
			if hasExplicit {
				v = explicit
			} else if i+1 < len(args) && !isOpt(args[i+1]) && args[i+1] != "--" {
				i++
				v = args[i]
			}
			if v != "input" && v != "output" {
				return nil, &usageErr{fmt.Sprintf("argument --%s: Found invalid choice '%s'", name, v)}
			}
			p.vals[a] = []string{v}
		case "*":
			var vs []string
			if hasExplicit {
				vs = []string{explicit}
			} else {
				for i+1 < len(args) && !isOpt(args[i+1]) && args[i+1] != "--" {
					i++
					vs = append(vs, args[i])
				}
			}
			p.vals[a] = vs
		}
		if a.kind == argPaging {
			v, err := pageValue(a, p.vals[a][0])
			if err != nil {
				return nil, err
			}
			p.pages[a.name] = v
		}
		note(a)
	}
	// The positionals: the outfile of a streaming output, if the operation
	// has one, then the operation's optional "help" argument.
	if t.outfile != nil && len(positionals) > 0 {
		p.vals[t.outfile] = positionals[:1]
		positionals = positionals[1:]
	}
	if len(positionals) > 0 {
		if positionals[0] == "help" {
			p.help = true
		} else {
			p.unknown = append(p.unknown, positionals[0])
		}
		p.unknown = append(p.unknown, positionals[1:]...)
	}
	// --cli-input-json and --generate-cli-skeleton make the options optional;
	// a positional stays required.
	_, cliInput := p.vals[t.byOpt["cli-input-json"]]
	_, skeleton := p.vals[t.byOpt["generate-cli-skeleton"]]
	var missing []string
	for _, a := range t.args {
		if !a.required {
			continue
		}
		if _, ok := p.vals[a]; ok {
			continue
		}
		if a.kind == argOutfile {
			missing = append(missing, a.name)
			continue
		}
		if cliInput || skeleton {
			continue
		}
		if a.kind == argBool {
			if _, ok := p.bools[a.member]; ok {
				continue
			}
		}
		missing = append(missing, "--"+a.name)
	}
	if len(missing) > 0 {
		return nil, &usageErr{"the following arguments are required: " + strings.Join(missing, ", ")}
	}
	if p.help {
		return p, nil
	}
	if len(p.unknown) > 0 {
		return nil, &unknownErr{"Unknown options: " + strings.Join(p.unknown, ", ")}
	}
	return p, nil
}

// pageValue converts a paging argument as argparse's type= does.
func pageValue(a *cliArg, s string) (any, error) {
	if a.pageType == "string" {
		return s, nil
	}
	n, err := pyInt(s)
	if err != nil {
		return nil, &usageErr{fmt.Sprintf("argument --%s: invalid int value: '%s'", a.name, s)}
	}
	return n, nil
}

// paramFile loads a file:// or fileb:// value as text (the bytes of a
// fileb:// file as they are). ok is false when the value names no file.
func (s *Session) paramFile(v string) (string, bool, error) {
	x, ok, err := s.paramFileValue(v)
	if b, isBlob := x.(blobValue); isBlob {
		return string(b), ok, err
	}
	str, _ := x.(string)
	return str, ok, err
}

// paramFileValue loads a file:// or fileb:// value, as awscli/paramfile.py
// does: a string for file://, bytes (a blobValue) for fileb://. ok is false
// when the value names no file.
func (s *Session) paramFileValue(v string) (any, bool, error) {
	var prefix string
	switch {
	case strings.HasPrefix(v, "file://"):
		prefix = "file://"
	case strings.HasPrefix(v, "fileb://"):
		prefix = "fileb://"
	default:
		return "", false, nil
	}
	path := v[len(prefix):]
	fs := s.Env.fs()
	if ok, err := fs.Exists(path); err == nil && !ok {
		if errors.Is(err, ErrNoFS) || isNoFS(fs) {
			return "", false, &paramFileErr{fmt.Sprintf("Unable to load paramfile %s: %v", v, ErrNoFS)}
		}
		return "", false, &paramFileErr{fmt.Sprintf("Unable to load paramfile %s: [Errno 2] No such file or directory: %s", v, pyStringRepr(path))}
	}
	b, err := fs.ReadFile(path)
	if err != nil {
		return "", false, &paramFileErr{fmt.Sprintf("Unable to load paramfile %s: %v", v, err)}
	}
	if prefix == "fileb://" {
		return blobValue(b), true, nil
	}
	if !utf8.Valid(b) {
		return "", false, &paramFileErr{fmt.Sprintf("Unable to load paramfile (%s), text contents could not be decoded.  If this is a binary file, please use the fileb:// prefix instead of the file:// prefix.", path)}
	}
	return string(b), true, nil
}

func isNoFS(fs FS) bool {
	_, ok := fs.(NoFS)
	return ok
}

// paramFileErr is a ResourceLoadingError.
type paramFileErr struct{ msg string }

func (e *paramFileErr) Error() string { return e.msg }

// buildParams turns the parsed arguments into the request, as
// ServiceOperation._build_call_parameters does.
func (s *Session) buildParams(m *api.Model, t *opArgs, p *parsedArgs) (*pyDict, error) {
	params := newDict()
	if err := checkPutMetricExclusive(t, p); err != nil {
		return nil, err
	}
	for _, a := range t.args {
		switch a.kind {
		case argPutMetric:
			if raw, ok := p.vals[a]; ok {
				if err := addPutMetricArg(params, a, raw[0]); err != nil {
					return nil, err
				}
			}
			continue
		case argEC2Count:
			if raw, ok := p.vals[a]; ok {
				if err := addCount(params, raw[0]); err != nil {
					return nil, err
				}
			}
			continue
		case argBool:
			if v, ok := p.bools[a.member]; ok && !a.neg {
				params.set(a.member, v)
			} else if ok && a.neg {
				if _, done := params.get(a.member); !done {
					params.set(a.member, v)
				}
			}
			continue
		case argZipFile:
			if raw, ok := p.vals[a]; ok {
				if err := s.addZipFile(params, a, raw[0]); err != nil {
					return nil, err
				}
			}
			continue
		case argStreamBlob:
			if raw, ok := p.vals[a]; ok {
				if err := s.addStreamingBlob(params, a, raw[0]); err != nil {
					return nil, err
				}
			}
			continue
		case argMember:
		default:
			continue
		}
		raw, ok := p.vals[a]
		if !ok {
			continue
		}
		// unpack_argument: file:// values are loaded first. The bytes of a
		// fileb:// file stay bytes for a scalar; a structure or list parses
		// them as text.
		vals := make([]string, len(raw))
		var bytesValue any
		for i, r := range raw {
			v, loaded, err := s.paramFileValue(r)
			if err != nil {
				return nil, &paramErr{fmt.Sprintf("Error parsing parameter '--%s': %s", a.name, err)}
			}
			if loaded {
				switch x := v.(type) {
				case blobValue:
					r = string(x)
					if a.nargs() == "1" && isScalarBytes(a.shape) {
						bytesValue = x
					}
				case string:
					r = x
				}
			}
			vals[i] = r
		}
		var value any = nil
		var err error
		switch {
		case bytesValue != nil:
			value = bytesValue
		case a.nargs() == "*":
			value, err = s.unpackList(m, a, vals)
		default:
			value, err = s.unpack(m, a, a.shape, vals[0])
		}
		if err != nil {
			return nil, err
		}
		if a.hoisted != "" {
			// ReplacedZipFileArgument.add_to_params.
			if hasKey(value, a.hoisted) {
				return nil, &paramErr{fmt.Sprintf("%s cannot be provided as part of the --%s argument.  Please use the '--zip-file' option instead to specify a zip file.", a.hoisted, a.name)}
			}
			if d, ok := params.get(a.member); ok {
				if pd, ok := d.(*pyDict); ok && pd.len() > 0 {
					if vd, ok := value.(*pyDict); ok {
						for _, k := range vd.keys {
							pd.set(k, vd.vals[k])
						}
						continue
					}
				}
			}
		}
		params.set(a.member, value)
	}
	return params, nil
}

// isScalarBytes reports whether the CLI passes the bytes of a fileb:// file
// to the request as they are (unpack_scalar_cli_arg returns them for a blob
// or a string; a number or a boolean would parse them).
func isScalarBytes(sh *api.Shape) bool {
	return sh != nil && !sh.Document && (sh.Type == "blob" || sh.Type == "string")
}

// hasKey is Python's `key in value` for a dict or a list.
func hasKey(value any, key string) bool {
	switch x := value.(type) {
	case *pyDict:
		_, ok := x.get(key)
		return ok
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s == key {
				return true
			}
		}
	}
	return false
}

func (s *Session) paramErrorf(a *cliArg, format string, args ...any) error {
	return &paramErr{fmt.Sprintf("Error parsing parameter '--%s': ", a.name) + fmt.Sprintf(format, args...)}
}

// supportsShorthand is _supports_shorthand_syntax.
func supportsShorthand(m *api.Model, sh *api.Shape) bool {
	if sh == nil || sh.Document {
		return false
	}
	switch sh.Type {
	case "structure", "map":
		return true
	case "list":
		ms := m.Shape(sh.Member)
		return ms != nil && (ms.Type == "structure" || ms.Type == "list" || ms.Type == "map")
	}
	return false
}

func looksLikeJSON(v string) bool {
	t := pyStrip(v)
	return strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{")
}

// unpack unpacks one value (nargs 1).
func (s *Session) unpack(m *api.Model, a *cliArg, sh *api.Shape, v string) (any, error) {
	if supportsShorthand(m, sh) && !looksLikeJSON(v) {
		return s.shorthand(m, a, sh, v)
	}
	return s.unpackCLI(m, a, sh, v)
}

// unpackList unpacks the values of a list argument (nargs *).
func (s *Session) unpackList(m *api.Model, a *cliArg, vals []string) (any, error) {
	if supportsShorthand(m, a.shape) && !(len(vals) > 0 && looksLikeJSON(vals[0])) {
		out := make([]any, 0, len(vals))
		for _, v := range vals {
			d, err := s.shorthandParse(a, v)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		var top any = out
		if err := backCompat(m, &top, nil, 0, a.shape, out); err != nil {
			return nil, s.wrapShorthandErr(a, err)
		}
		return out, nil
	}
	if len(vals) == 1 && looksLikeJSON(vals[0]) {
		return s.jsonArg(a, vals[0])
	}
	ms := m.Shape(a.shape.Member)
	out := make([]any, 0, len(vals))
	for _, v := range vals {
		x, err := s.unpackCLI(m, a, ms, v)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func (s *Session) jsonArg(a *cliArg, v string) (any, error) {
	x, err := pyJSONLoads(v, true)
	if err != nil {
		return nil, s.paramErrorf(a, "Invalid JSON: %s\nJSON received: %s", err, v)
	}
	return x, nil
}

// unpackCLI is _unpack_cli_arg for a value that is not shorthand.
func (s *Session) unpackCLI(m *api.Model, a *cliArg, sh *api.Shape, v string) (any, error) {
	if sh == nil {
		return v, nil
	}
	if sh.Document {
		return s.jsonArg(a, v)
	}
	switch sh.Type {
	case "structure", "map":
		if strings.HasPrefix(pyLStrip(v), "{") {
			return s.jsonArg(a, v)
		}
		return nil, s.paramErrorf(a, "Invalid JSON:\n%s", v)
	case "list":
		if strings.HasPrefix(pyLStrip(v), "[") {
			return s.jsonArg(a, v)
		}
		x, err := s.unpackCLI(m, a, m.Shape(sh.Member), v)
		if err != nil {
			return nil, err
		}
		return []any{x}, nil
	case "integer", "long":
		n, err := pyInt(v)
		if err != nil {
			return nil, &paramErr{err.Error()}
		}
		return n, nil
	case "float", "double":
		f, err := pyFloatParse(v)
		if err != nil {
			return nil, &paramErr{err.Error()}
		}
		return f, nil
	case "boolean":
		return strings.ToLower(v) != "false" && v != "", nil
	}
	return v, nil
}

// wrapShorthandErr turns a shorthand error into a ParamError; other errors
// (a ValueError from int()) go through as they are.
func (s *Session) wrapShorthandErr(a *cliArg, err error) error {
	if _, ok := err.(*generalErr); ok {
		return err
	}
	return s.paramErrorf(a, "%s", err)
}

func (s *Session) shorthandParse(a *cliArg, v string) (*pyDict, error) {
	d, err := parseShorthand(v, s.paramFile)
	if err != nil {
		return nil, s.paramErrorf(a, "%s", err)
	}
	return d, nil
}

// shorthand is ParamShorthandParser for one value.
func (s *Session) shorthand(m *api.Model, a *cliArg, sh *api.Shape, v string) (any, error) {
	// A structure whose only member is a string Value takes the bare value.
	if sh.Type == "structure" && len(sh.Members) == 1 && sh.Members[0].Name == "Value" &&
		m.Shapes[sh.Members[0].Ref.Shape] != nil && m.Shapes[sh.Members[0].Ref.Shape].Type == "string" && !strings.Contains(v, "=") {
		d := newDict()
		d.set("Value", v)
		return d, nil
	}
	d, err := s.shorthandParse(a, v)
	if err != nil {
		return nil, err
	}
	var out any = d
	if err := backCompat(m, &out, nil, 0, sh, d); err != nil {
		return nil, s.wrapShorthandErr(a, err)
	}
	return out, nil
}

// backCompat is BackCompatVisitor: it converts the strings of a parsed
// shorthand value to the model's types and wraps single values of lists.
// The value lives at parent[key] (a *pyDict key or a list index); top holds
// the root when parent is nil.
func backCompat(m *api.Model, top *any, parent any, idx any, sh *api.Shape, value any) error {
	if sh == nil || value == nil {
		return nil
	}
	set := func(v any) {
		switch p := parent.(type) {
		case *pyDict:
			p.set(idx.(string), v)
		case []any:
			p[idx.(int)] = v
		default:
			*top = v
		}
	}
	switch sh.Type {
	case "structure":
		if sh.Document {
			return &shorthandError{"Shorthand syntax does not support document types. Use JSON input for top-level argument to specify nested parameter"}
		}
		d, ok := value.(*pyDict)
		if !ok {
			return nil
		}
		for _, mem := range sh.Members {
			ms := m.Shapes[mem.Ref.Shape]
			x, ok := d.get(mem.Name)
			if !ok {
				continue
			}
			if ms != nil && ms.Document && x != nil {
				return &shorthandError{"Shorthand syntax does not support document types. Use JSON input for top-level argument to specify nested parameter: " + mem.Name}
			}
			if err := backCompat(m, top, d, mem.Name, ms, x); err != nil {
				return err
			}
		}
	case "list":
		l, ok := value.([]any)
		if !ok {
			set([]any{value})
			return nil
		}
		ms := m.Shape(sh.Member)
		for i, e := range l {
			if err := backCompat(m, top, l, i, ms, e); err != nil {
				return err
			}
		}
	case "map":
		d, ok := value.(*pyDict)
		if !ok {
			return nil
		}
		vs := m.Shape(sh.Value)
		for _, k := range append([]string(nil), d.keys...) {
			if err := backCompat(m, top, d, k, vs, d.vals[k]); err != nil {
				return err
			}
		}
	case "integer", "long":
		str, ok := value.(string)
		if !ok {
			return &paramErr{fmt.Sprintf("int() argument must be a string, a bytes-like object or a real number, not '%s'", pyTypeWord(value))}
		}
		n, err := pyInt(str)
		if err != nil {
			return &paramErr{err.Error()}
		}
		set(n)
	case "float", "double":
		str, ok := value.(string)
		if !ok {
			return &paramErr{fmt.Sprintf("float() argument must be a string or a real number, not '%s'", pyTypeWord(value))}
		}
		f, err := pyFloatParse(str)
		if err != nil {
			return &paramErr{err.Error()}
		}
		set(f)
	case "boolean":
		str, ok := value.(string)
		if !ok {
			return &paramErr{fmt.Sprintf("'%s' object has no attribute 'lower'", pyTypeWord(value))}
		}
		switch strings.ToLower(str) {
		case "true":
			set(true)
		case "false":
			set(false)
		}
	}
	return nil
}

func pyTypeWord(v any) string {
	t := pyTypeName(v)
	t = strings.TrimPrefix(t, "<class '")
	return strings.TrimSuffix(t, "'>")
}

// parseCLITimestamp reads a timestamp as botocore's parse_to_aware_datetime
// does for the forms learners use: epoch seconds (a number or a numeric
// string) or ISO 8601 (with or without a zone, which defaults to UTC).
func parseCLITimestamp(v any) (time.Time, error) {
	switch x := v.(type) {
	case *big.Int:
		if !x.IsInt64() {
			return time.Time{}, fmt.Errorf("out of range")
		}
		return time.Unix(x.Int64(), 0).UTC(), nil
	case float64:
		return api.ParseTimestamp(x)
	case string:
		t := pyStrip(x)
		if t == "" {
			return time.Time{}, fmt.Errorf("empty")
		}
		if f, err := pyFloatParse(t); err == nil && !strings.ContainsAny(strings.ToLower(t), "inan") {
			return api.ParseTimestamp(f)
		}
		for _, layout := range []string{
			time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700",
			"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02T15:04Z07:00",
			"2006-01-02 15:04:05", "2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02 15:04:05Z07:00",
			"2006-01-02 15:04:05 MST", "2006-01-02", "20060102T150405Z", "20060102",
		} {
			if tt, err := time.Parse(layout, t); err == nil {
				return tt.UTC(), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp")
}
