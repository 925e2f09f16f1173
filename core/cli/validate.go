package cli

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
)

// This file ports botocore/validate.py: the client-side validation the AWS
// CLI runs before it sends a request (required members, types, min length and
// min value), reported as a ParamValidationError.

type paramValidator struct {
	m    *api.Model
	errs []string
}

// validateParams validates params against the input shape and returns the
// report, or "" when the request is valid.
func validateParams(m *api.Model, shape *api.Shape, params *pyDict) string {
	v := &paramValidator{m: m}
	if shape == nil {
		if params.len() > 0 {
			// botocore validates against an empty structure.
			shape = &api.Shape{Type: "structure"}
		} else {
			return ""
		}
	}
	v.validate(params, shape, "")
	if len(v.errs) == 0 {
		return ""
	}
	return "Parameter validation failed:\n" + strings.Join(v.errs, "\n")
}

func displayName(name string) string {
	if name == "" {
		return "input"
	}
	return strings.TrimPrefix(name, ".")
}

func (v *paramValidator) report(format string, args ...any) {
	v.errs = append(v.errs, fmt.Sprintf(format, args...))
}

func (v *paramValidator) invalidType(name string, param any, valid ...string) {
	v.report("Invalid type for parameter %s, value: %s, type: %s, valid types: %s", displayName(name), pyStr(param), pyTypeName(param), strings.Join(valid, ", "))
}

const (
	pyTypeStr   = "<class 'str'>"
	pyTypeInt   = "<class 'int'>"
	pyTypeFloat = "<class 'float'>"
	pyTypeDec   = "<class 'decimal.Decimal'>"
	pyTypeBool  = "<class 'bool'>"
	pyTypeDict  = "<class 'dict'>"
	pyTypeList  = "<class 'list'>"
	pyTypeTuple = "<class 'tuple'>"
)

func isPyInt(x any) bool {
	switch x.(type) {
	case *big.Int, int64, int, bool: // bool is a subclass of int
		return true
	}
	return false
}

func isPyNumber(x any) bool {
	_, f := x.(float64)
	return f || isPyInt(x)
}

func (v *paramValidator) validate(param any, s *api.Shape, name string) {
	if s == nil {
		return
	}
	if s.Document {
		return
	}
	switch s.Type {
	case "structure":
		d, ok := param.(*pyDict)
		if !ok {
			v.invalidType(name, param, pyTypeDict)
			return
		}
		if s.Union {
			names := make([]string, len(s.Members))
			for i, m := range s.Members {
				names[i] = m.Name
			}
			switch {
			case d.len() == 0:
				v.report("Must set one of the following keys for tagged unionstructure %s: %s.", displayName(name), strings.Join(names, ", "))
			case d.len() > 1:
				v.report("Invalid number of parameters set for tagged union structure %s. Can only set one of the following keys: %s.", displayName(name), strings.Join(names, ", "))
			}
		}
		for _, r := range s.Required {
			if _, ok := d.get(r); !ok {
				v.report("Missing required parameter in %s: \"%s\"", displayName(name), r)
			}
		}
		var known []string
		for _, k := range d.keys {
			if _, ok := s.Members.Get(k); !ok {
				names := make([]string, len(s.Members))
				for i, m := range s.Members {
					names[i] = m.Name
				}
				v.report("Unknown parameter in %s: \"%s\", must be one of: %s", displayName(name), k, strings.Join(names, ", "))
				continue
			}
			known = append(known, k)
		}
		for _, k := range known {
			m, _ := s.Members.Get(k)
			v.validate(d.vals[k], v.m.Shapes[m.Ref.Shape], name+"."+k)
		}
	case "string":
		str, ok := param.(string)
		if !ok {
			v.invalidType(name, param, pyTypeStr)
			return
		}
		v.rangeCheck(name, int64(len([]rune(str))), s, "length")
	case "list":
		l, ok := param.([]any)
		if !ok {
			v.invalidType(name, param, pyTypeList, pyTypeTuple)
			return
		}
		v.rangeCheck(name, int64(len(l)), s, "length")
		ms := v.m.Shape(s.Member)
		if ms == nil {
			return
		}
		scalarTypes := map[string][]string{
			"float": {pyTypeFloat, pyTypeDec, pyTypeInt}, "double": {pyTypeFloat, pyTypeDec, pyTypeInt},
			"integer": {pyTypeInt}, "long": {pyTypeInt}, "boolean": {pyTypeBool}, "string": {pyTypeStr},
		}
		if valid, ok := scalarTypes[ms.Type]; ok && len(ms.Required) == 0 && ms.Min == nil && !ms.Document && !ms.Union {
			for i, item := range l {
				if !scalarOK(ms.Type, item) {
					v.invalidType(fmt.Sprintf("%s[%d]", name, i), item, valid...)
				}
			}
			return
		}
		for i, item := range l {
			v.validate(item, ms, fmt.Sprintf("%s[%d]", name, i))
		}
	case "map":
		d, ok := param.(*pyDict)
		if !ok {
			v.invalidType(name, param, pyTypeDict)
			return
		}
		ks, vs := v.m.Shape(s.Key), v.m.Shape(s.Value)
		for _, k := range d.keys {
			v.validate(k, ks, fmt.Sprintf("%s (key: %s)", name, k))
			v.validate(d.vals[k], vs, name+"."+k)
		}
	case "integer", "long":
		if !scalarOK(s.Type, param) {
			v.invalidType(name, param, pyTypeInt)
			return
		}
		v.rangeCheckNum(name, param, s)
	case "float", "double":
		if !scalarOK(s.Type, param) {
			v.invalidType(name, param, pyTypeFloat, pyTypeDec, pyTypeInt)
			return
		}
		v.rangeCheckNum(name, param, s)
	case "boolean":
		if !scalarOK(s.Type, param) {
			v.invalidType(name, param, pyTypeBool)
		}
	case "blob":
		if _, ok := param.(string); !ok {
			if _, ok := param.(blobValue); !ok {
				v.invalidType(name, param, "<class 'bytes'>", "<class 'bytearray'>", "file-like object")
			}
		}
	case "timestamp":
		if _, err := parseCLITimestamp(param); err != nil {
			v.invalidType(name, param, "<class 'datetime.datetime'>", "timestamp-string")
		}
	}
}

func scalarOK(typ string, x any) bool {
	switch typ {
	case "integer", "long":
		return isPyInt(x)
	case "float", "double":
		return isPyNumber(x)
	case "boolean":
		_, ok := x.(bool)
		return ok
	case "string":
		_, ok := x.(string)
		return ok
	}
	return true
}

func (v *paramValidator) rangeCheck(name string, n int64, s *api.Shape, what string) {
	if s.Min != nil && float64(n) < *s.Min {
		v.report("Invalid %s for parameter %s, value: %d, valid min %s: %s", what, displayName(name), n, what, num(*s.Min))
	}
}

func (v *paramValidator) rangeCheckNum(name string, param any, s *api.Shape) {
	if s.Min == nil {
		return
	}
	var f float64
	switch x := param.(type) {
	case *big.Int:
		f, _ = new(big.Float).SetInt(x).Float64()
	case int64:
		f = float64(x)
	case float64:
		f = x
	case bool:
		if x {
			f = 1
		}
	}
	if f < *s.Min {
		v.report("Invalid value for parameter %s, value: %s, valid min value: %s", displayName(name), pyStr(param), num(*s.Min))
	}
}

// num prints a model bound as Python prints the number the model holds (the
// models write bounds as integers).
func num(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprintf("%d", int64(f))
	}
	return pyFloat(f)
}

// blobValue is the content of a fileb:// value.
type blobValue []byte
