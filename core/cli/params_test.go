package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/core/api"
)

// A made-up model with one shape of each kind, to check that parameter
// parsing is driven by the model alone.
const testModel = `{
 "metadata": {"protocol": "json", "serviceId": "Test"},
 "operations": {"PutThing": {"name": "PutThing", "input": {"shape": "PutThingInput"}}},
 "shapes": {
  "PutThingInput": {"type": "structure", "required": ["Name"], "members": {
   "Name": {"shape": "NameString"},
   "Enabled": {"shape": "Bool"},
   "Count": {"shape": "Count"},
   "Ratio": {"shape": "Double"},
   "Tags": {"shape": "TagMap"},
   "Dimensions": {"shape": "Dimensions"},
   "Names": {"shape": "Names"},
   "Config": {"shape": "Config"},
   "When": {"shape": "Time"},
   "Data": {"shape": "Blob"},
   "Single": {"shape": "Single"},
   "Matrix": {"shape": "Matrix"}
  }},
  "NameString": {"type": "string", "min": 1},
  "Str": {"type": "string"},
  "Bool": {"type": "boolean"},
  "Count": {"type": "integer", "min": 0},
  "Long": {"type": "long"},
  "Double": {"type": "double"},
  "Time": {"type": "timestamp"},
  "Blob": {"type": "blob"},
  "Mode": {"type": "string", "enum": ["fast", "slow"]},
  "TagMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}},
  "Dimension": {"type": "structure", "required": ["Name"], "members": {"Name": {"shape": "Str"}, "Value": {"shape": "Str"}}},
  "Dimensions": {"type": "list", "member": {"shape": "Dimension"}, "min": 1},
  "Names": {"type": "list", "member": {"shape": "Str"}},
  "Nested": {"type": "structure", "members": {"Flag": {"shape": "Bool"}, "Size": {"shape": "Long"}, "Weights": {"shape": "Doubles"}}},
  "Doubles": {"type": "list", "member": {"shape": "Double"}},
  "Config": {"type": "structure", "members": {"Mode": {"shape": "Mode"}, "Nested": {"shape": "Nested"}, "Items": {"shape": "Names"}}},
  "Single": {"type": "structure", "members": {"Value": {"shape": "Str"}}},
  "Matrix": {"type": "list", "member": {"shape": "Names"}}
 }
}`

type mapFS map[string]string

func (m mapFS) ReadFile(name string) ([]byte, error) {
	s, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("no file %s", name)
	}
	return []byte(s), nil
}
func (m mapFS) WriteFileAtomic(string, []byte) error { return ErrNoFS }
func (m mapFS) Exists(name string) (bool, error)     { _, ok := m[name]; return ok, nil }

// TestParamsByModel parses command lines against the made-up model and
// checks the request (as Python's json.dumps prints it) or the error.
func TestParamsByModel(t *testing.T) {
	m, err := api.ParseModel([]byte(testModel))
	if err != nil {
		t.Fatal(err)
	}
	op := m.Operations["PutThing"]
	s := &Session{Env: &Env{FS: mapFS{"tags.json": `{"a": "b"}`, "bin": "\x00\x01"}}}
	// An args starting with "raw: " is parsed with --cli-binary-format
	// raw-in-base64-out; the others with the default, base64.
	cases := []struct {
		args string
		want string // the request, or the error
	}{
		{`--name x`, `{"Name": "x"}`},
		{`--name x --enabled`, `{"Name": "x", "Enabled": true}`},
		{`--name x --no-enabled`, `{"Name": "x", "Enabled": false}`},
		{`--name x --enabled --no-enabled`, `{"Name": "x", "Enabled": false}`},
		{`--name x --enabled=yes`, `usage: argument --enabled: ignored explicit argument 'yes'`},
		{`--name x --enabled true`, `unknown: Unknown options: true`},
		{`--name x --count 3 --ratio 1`, `{"Name": "x", "Count": 3, "Ratio": 1.0}`},
		{`--name x --count 1e3`, `param: invalid literal for int() with base 10: '1e3'`},
		{`--name x --ratio abc`, `param: could not convert string to float: 'abc'`},
		{`--name x --tags a=b,c=d`, `{"Name": "x", "Tags": {"a": "b", "c": "d"}}`},
		{`--name x --tags file://tags.json`, `{"Name": "x", "Tags": {"a": "b"}}`},
		{`--name x --tags '{"k": 1}'`, "validation: Parameter validation failed:\nInvalid type for parameter Tags.k, value: 1, type: <class 'int'>, valid types: <class 'str'>"},
		{`--name x --dimensions Name=a,Value=b Name=c`, `{"Name": "x", "Dimensions": [{"Name": "a", "Value": "b"}, {"Name": "c"}]}`},
		{`--name x --dimensions Value=b`, "validation: Parameter validation failed:\nMissing required parameter in Dimensions[0]: \"Name\""},
		{`--name x --dimensions`, "validation: Parameter validation failed:\nInvalid length for parameter Dimensions, value: 0, valid min length: 1"},
		{`--name x --names a b c`, `{"Name": "x", "Names": ["a", "b", "c"]}`},
		{`--name x --names '["a", "b"]'`, `{"Name": "x", "Names": ["a", "b"]}`},
		{`--name x --config Mode=fast,Nested={Flag=true,Size=5,Weights=[1,2.5]},Items=a,b`, `{"Name": "x", "Config": {"Mode": "fast", "Nested": {"Flag": true, "Size": 5, "Weights": [1.0, 2.5]}, "Items": ["a", "b"]}}`},
		{`--name x --config Items=a`, `{"Name": "x", "Config": {"Items": ["a"]}}`},
		{`--name x --config Nested={Flag=maybe}`, "validation: Parameter validation failed:\nInvalid type for parameter Config.Nested.Flag, value: maybe, type: <class 'str'>, valid types: <class 'bool'>"},
		{`--name x --config Nested={Size=big}`, `param: Error parsing parameter '--config': invalid literal for int() with base 10: 'big'`},
		{`--name x --config Mode=fast Items=a`, `unknown: Unknown options: Items=a`},
		{`--name x --config Bogus=1`, "validation: Parameter validation failed:\nUnknown parameter in Config: \"Bogus\", must be one of: Mode, Nested, Items"},
		{`--name x --config nope`, "param: Error parsing parameter '--config': Expected: '=', received: 'EOF' for input:\nnope\n    ^"},
		{`--name x --when 2026-01-02T03:04:05Z`, `{"Name": "x", "When": "2026-01-02T03:04:05Z"}`},
		{`--name x --when 1767323045`, `{"Name": "x", "When": "2026-01-02T03:04:05Z"}`},
		{`--name x --when soon`, "validation: Parameter validation failed:\nInvalid type for parameter When, value: soon, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string"},
		{`--name x --data fileb://bin`, `{"Name": "x", "Data": "AAE="}`},
		{`--name x --data AAE=`, `{"Name": "x", "Data": "AAE="}`},
		{`--name x --data 'AA E='`, `{"Name": "x", "Data": "AAE="}`},
		{`--name x --data hello`, `param: Invalid base64: "hello"`},
		{`raw: --name x --data hello`, `{"Name": "x", "Data": "aGVsbG8="}`},
		{`raw: --name x --data fileb://bin`, `{"Name": "x", "Data": "AAE="}`},
		{`--name x --cli-input-json '{"Data": "AAE="}'`, `{"Name": "x", "Data": "AAE="}`},
		{`--name x --cli-input-json '{"Data": 5}'`, "validation: Parameter validation failed:\nInvalid type for parameter Data, value: 5, type: <class 'int'>, valid types: <class 'bytes'>, <class 'bytearray'>, file-like object"},
		{`--name fileb://bin`, "validation: Parameter validation failed:\nInvalid type for parameter Name, value: b'\\x00\\x01', type: <class 'bytes'>, valid types: <class 'str'>"},
		{`--name x --single hello`, `{"Name": "x", "Single": {"Value": "hello"}}`},
		{`--name x --single Value=a=b`, `{"Name": "x", "Single": {"Value": "a=b"}}`},
		{`--name x --matrix '[["a"], ["b", "c"]]'`, `{"Name": "x", "Matrix": [["a"], ["b", "c"]]}`},
		{`--name ''`, "validation: Parameter validation failed:\nInvalid length for parameter Name, value: 0, valid min length: 1"},
		{`--count 1`, `usage: the following arguments are required: --name`},
		{`--name`, `usage: argument --name: expected one argument`},
		{`--name x --name y`, `{"Name": "y"}`},
		{`--name x --count -5`, "validation: Parameter validation failed:\nInvalid value for parameter Count, value: -5, valid min value: 0"},
		{`--nam x`, `usage: ambiguous option: --nam could match --name, --names`},
		{`--name x --rat 2`, `{"Name": "x", "Ratio": 2.0}`},
		{`--name x extra`, `unknown: Unknown options: extra`},
		{`--name x --cli-input-json '{"Count": 2, "Name": "ignored"}'`, `{"Name": "x", "Count": 2}`},
		{`--cli-input-json '{"Name": "from-json", "Ratio": 2}'`, `{"Name": "from-json", "Ratio": 2}`},
		{`--name x --ratio 1e16`, `{"Name": "x", "Ratio": 1e+16}`},
		{`--cli-input-json '{}'`, "validation: Parameter validation failed:\nMissing required parameter in input: \"Name\""},
	}
	for _, c := range cases {
		format := binaryBase64
		line := c.args
		if rest, ok := strings.CutPrefix(line, "raw: "); ok {
			format, line = binaryRaw, rest
		}
		args, err := SplitLine(line)
		if err != nil {
			t.Fatal(err)
		}
		got := func() string {
			table := newOpArgs(m, op, nil)
			p, err := table.parse(args)
			if err != nil {
				return errString(err)
			}
			params, err := s.buildParams(m, table, p)
			if err != nil {
				return errString(err)
			}
			if raw, ok := p.vals[table.byOpt["cli-input-json"]]; ok {
				if err := s.mergeCLIInput(params, raw[0]); err != nil {
					return errString(err)
				}
			}
			if err := applyBinaryFormat(m, m.Shape(op.Input), params, format); err != nil {
				return errString(err)
			}
			if rep := validateParams(m, m.Shape(op.Input), params); rep != "" {
				return "validation: " + rep
			}
			b, err := requestJSON(m, m.Shape(op.Input), params)
			if err != nil {
				return err.Error()
			}
			v, err := pyJSONLoads(string(b), false)
			if err != nil {
				return err.Error()
			}
			return pyJSONDumps(v)
		}()
		if got != c.want {
			t.Errorf("%s:\nwant %s\ngot  %s", c.args, c.want, got)
		}
	}
}

func errString(err error) string {
	switch e := err.(type) {
	case *usageErr:
		return "usage: " + e.msg
	case *unknownErr:
		return "unknown: " + e.msg
	case *paramErr:
		return "param: " + e.msg
	case *generalErr:
		return "general: " + e.msg
	}
	return "other: " + strings.TrimSpace(err.Error())
}
