package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/schemas"
	"github.com/telltale-dev/telltale/core/world"
)

const schemaCodeUsage = "schemas export-code --registry-name R --schema-name S [--schema-version V] --language go|typescript"

// schemas runs telltale's own schemas commands (not the AWS CLI's): export-code
// prints a schema of the registry as Go types or a TypeScript interface. It
// reads the schema with DescribeSchema, as the console does when it offers
// code for a schema.
func (s *Session) schemas(args []string) int {
	if len(args) == 0 || args[0] != "export-code" {
		usageError(s.Env.Stderr, "usage: telltale "+schemaCodeUsage)
		return ExitUsage
	}
	opts := map[string]*string{"--registry-name": nil, "--schema-name": nil, "--schema-version": nil, "--language": nil}
	rest := args[1:]
	for len(rest) > 0 {
		name, val, has := strings.Cut(rest[0], "=")
		if _, known := opts[name]; !known {
			usageError(s.Env.Stderr, fmt.Sprintf("unknown option %q; usage: telltale %s", rest[0], schemaCodeUsage))
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
		v := val
		opts[name] = &v
	}
	if opts["--registry-name"] == nil || opts["--schema-name"] == nil || opts["--language"] == nil {
		usageError(s.Env.Stderr, "the following arguments are required: --registry-name, --schema-name, --language")
		return ExitUsage
	}
	render := map[string]func(string) (string, error){"go": schemas.GoStruct, "typescript": schemas.TypeScript}[*opts["--language"]]
	if render == nil {
		usageError(s.Env.Stderr, fmt.Sprintf("argument --language: invalid choice: '%s' (choose from 'go', 'typescript')", *opts["--language"]))
		return ExitUsage
	}
	req := map[string]string{"RegistryName": *opts["--registry-name"], "SchemaName": *opts["--schema-name"]}
	if v := opts["--schema-version"]; v != nil {
		req["SchemaVersion"] = *v
	}
	body, _ := json.Marshal(req)
	resp, err := s.World.Invoke(world.Request{Service: "schemas", Operation: "DescribeSchema", Input: body})
	if err != nil {
		var e *awserr.Error
		if errors.As(err, &e) {
			fmt.Fprintf(s.Env.Stderr, "\nAn error occurred (%s) when calling the DescribeSchema operation: %s\n", e.Code, e.Message)
			return ExitService
		}
		fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	var content string
	if o, ok := resp.(api.Ordered); ok {
		c, _ := o.Get("Content")
		content, _ = c.(string)
	}
	code, err := render(content)
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "telltale: the schema %s cannot be rendered: %v\n", *opts["--schema-name"], err)
		return ExitFailure
	}
	fmt.Fprint(s.Env.Stdout, code)
	return ExitOK
}
