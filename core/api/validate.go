package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/telltale-dev/telltale/core/awserr"
)

// Violation is one failed constraint, in the words AWS's request validation
// uses: "Value 'x' at 'path' failed to satisfy constraint: Member must ...".
type Violation struct {
	Path       string
	Value      string // already rendered: 'x', or null
	Constraint string
}

func (v Violation) String() string {
	return fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", v.Value, v.Path, v.Constraint)
}

// ValidationMessage joins violations the way AWS does:
// "1 validation error detected: ..." or "N validation errors detected: a; b".
func ValidationMessage(vs []Violation) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.String()
	}
	noun := "errors"
	if len(vs) == 1 {
		noun = "error"
	}
	return fmt.Sprintf("%d validation %s detected: %s", len(vs), noun, strings.Join(parts, "; "))
}

// TypeError is a request value of the wrong JSON type for its shape, which AWS
// rejects before validation (SerializationException for JSON protocols).
type TypeError struct {
	Path     string
	Expected string
	Got      any
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("%s can not be converted to %s", jsonKind(e.Got), e.Expected)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "NULL_VALUE"
	case string:
		return "STRING_VALUE"
	case bool:
		return "BOOLEAN_VALUE"
	case json.Number, float64:
		return "NUMBER_VALUE"
	case []any:
		return "Start of list"
	case map[string]any:
		return "Start of structure or map"
	}
	return "value"
}

// DecodeJSON decodes a request document keeping numbers exact.
func DecodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

// Validator checks requests against a model. Compiled patterns are cached; a
// Validator is not safe for concurrent use.
type Validator struct {
	model    *Model
	patterns map[string]*regexp.Regexp
}

// NewValidator returns a validator for m.
func NewValidator(m *Model) *Validator {
	return &Validator{model: m, patterns: map[string]*regexp.Regexp{}}
}

// Check validates the input of op, given as a decoded JSON value (nil for an
// empty request). It returns the input with timestamps normalised to RFC 3339
// strings (so services can decode them into time.Time), the violations found,
// and a type error when a value has the wrong JSON type.
func (v *Validator) Check(op *Operation, input any) (any, []Violation, error) {
	if input == nil {
		input = map[string]any{}
	}
	if op.Input == nil {
		return input, nil, nil
	}
	var vs []Violation
	out, err := v.check(v.model.Shape(op.Input), input, "", &vs)
	return out, vs, err
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func joinPath(base, name string) string {
	if base == "" {
		return lowerFirst(name)
	}
	return base + "." + lowerFirst(name)
}

func (v *Validator) check(s *Shape, val any, path string, vs *[]Violation) (any, error) {
	if s == nil {
		return val, nil
	}
	if val == nil {
		return nil, nil
	}
	switch s.Type {
	case "structure":
		obj, ok := val.(map[string]any)
		if !ok {
			return nil, &TypeError{path, "a structure", val}
		}
		for _, r := range s.Required {
			if x, ok := obj[r]; !ok || x == nil {
				*vs = append(*vs, Violation{joinPath(path, r), "null", "Member must not be null"})
			}
		}
		out := make(map[string]any, len(obj))
		for _, m := range s.Members {
			x, ok := obj[m.Name]
			if !ok || x == nil {
				continue
			}
			ms := v.model.Shapes[m.Ref.Shape]
			nx, err := v.check(ms, x, joinPath(path, m.Name), vs)
			if err != nil {
				return nil, err
			}
			out[m.Name] = nx
		}
		return out, nil
	case "list":
		arr, ok := val.([]any)
		if !ok {
			return nil, &TypeError{path, "a list", val}
		}
		v.length(s, len(arr), renderValue(v.model, s, val), path, vs)
		es := v.model.Shape(s.Member)
		out := make([]any, len(arr))
		for i, x := range arr {
			nx, err := v.check(es, x, fmt.Sprintf("%s.%d.member", path, i+1), vs)
			if err != nil {
				return nil, err
			}
			out[i] = nx
		}
		return out, nil
	case "map":
		obj, ok := val.(map[string]any)
		if !ok {
			return nil, &TypeError{path, "a map", val}
		}
		v.length(s, len(obj), renderValue(v.model, s, val), path, vs)
		ks, vsh := v.model.Shape(s.Key), v.model.Shape(s.Value)
		out := make(map[string]any, len(obj))
		for _, k := range sortedKeys(obj) {
			if _, err := v.check(ks, k, path+".key", vs); err != nil {
				return nil, err
			}
			nx, err := v.check(vsh, obj[k], path+".value", vs)
			if err != nil {
				return nil, err
			}
			out[k] = nx
		}
		return out, nil
	case "string":
		str, ok := val.(string)
		if !ok {
			return nil, &TypeError{path, "a String", val}
		}
		rendered := "'" + str + "'"
		if s.Sensitive {
			rendered = "'***'" // AWS hides sensitive values in validation messages
		}
		v.length(s, len(utf16.Encode([]rune(str))), rendered, path, vs)
		if len(s.Enum) > 0 && !contains(s.Enum, str) {
			*vs = append(*vs, Violation{path, rendered, "Member must satisfy enum value set: [" + strings.Join(s.Enum, ", ") + "]"})
		}
		if s.Pattern != "" {
			if re := v.pattern(s.Pattern); re != nil && !re.MatchString(str) {
				*vs = append(*vs, Violation{path, rendered, "Member must satisfy regular expression pattern: " + s.Pattern})
			}
		}
		return str, nil
	case "integer", "long":
		n, ok := val.(json.Number)
		if !ok {
			return nil, &TypeError{path, "an Integer", val}
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || (s.Type == "integer" && (i > math.MaxInt32 || i < math.MinInt32)) {
			return nil, &TypeError{path, "an Integer", val}
		}
		v.rangeCheck(s, float64(i), string(n), path, vs)
		return n, nil
	case "float", "double":
		n, ok := val.(json.Number)
		if !ok {
			return nil, &TypeError{path, "a Double", val}
		}
		f, err := n.Float64()
		if err != nil {
			return nil, &TypeError{path, "a Double", val}
		}
		v.rangeCheck(s, f, string(n), path, vs)
		return n, nil
	case "boolean":
		if _, ok := val.(bool); !ok {
			return nil, &TypeError{path, "a Boolean", val}
		}
		return val, nil
	case "timestamp":
		t, err := ParseTimestamp(val)
		if err != nil {
			return nil, &TypeError{path, "a Timestamp", val}
		}
		return t.Format(time.RFC3339Nano), nil
	case "blob":
		str, ok := val.(string)
		if !ok {
			return nil, &TypeError{path, "a Blob", val}
		}
		if _, err := base64.StdEncoding.DecodeString(str); err != nil {
			return nil, &TypeError{path, "a Blob", val}
		}
		v.length(s, base64.StdEncoding.DecodedLen(len(str)), "'"+str+"'", path, vs)
		return str, nil
	}
	return val, nil
}

func (v *Validator) length(s *Shape, n int, rendered, path string, vs *[]Violation) {
	if s.Min != nil && float64(n) < *s.Min {
		*vs = append(*vs, Violation{path, rendered, fmt.Sprintf("Member must have length greater than or equal to %s", num(*s.Min))})
	}
	if s.Max != nil && float64(n) > *s.Max {
		*vs = append(*vs, Violation{path, rendered, fmt.Sprintf("Member must have length less than or equal to %s", num(*s.Max))})
	}
}

func (v *Validator) rangeCheck(s *Shape, f float64, text, path string, vs *[]Violation) {
	if s.Min != nil && f < *s.Min {
		*vs = append(*vs, Violation{path, "'" + text + "'", fmt.Sprintf("Member must have value greater than or equal to %s", num(*s.Min))})
	}
	if s.Max != nil && f > *s.Max {
		*vs = append(*vs, Violation{path, "'" + text + "'", fmt.Sprintf("Member must have value less than or equal to %s", num(*s.Max))})
	}
}

func (v *Validator) pattern(p string) *regexp.Regexp {
	if re, ok := v.patterns[p]; ok {
		return re
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		re = nil // a Java-only construct: the check is left to the service
	}
	v.patterns[p] = re
	return re
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// renderValue renders a list or map value the way AWS's Java validation prints
// it in messages: [a, b] and {k=v}.
func renderValue(m *Model, s *Shape, val any) string {
	return "'" + javaString(val) + "'"
}

func javaString(val any) string {
	switch x := val.(type) {
	case nil:
		return "null"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = javaString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := sortedKeys(x)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = lowerFirst(k) + "=" + javaString(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprint(x)
	}
}

// ParseTimestamp reads a timestamp as AWS accepts it: epoch seconds (a JSON
// number or a numeric string, fractions allowed) or ISO 8601.
func ParseTimestamp(val any) (time.Time, error) {
	switch x := val.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return time.Time{}, err
		}
		return epoch(f)
	case float64:
		return epoch(x)
	case string:
		if epochString.MatchString(x) {
			f, err := strconv.ParseFloat(x, 64)
			if err != nil {
				return time.Time{}, err
			}
			return epoch(f)
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02 15:04:05Z07:00"} {
			if t, err := time.Parse(layout, x); err == nil {
				if t = t.UTC(); t.Year() < 1 || t.Year() > 9999 {
					return time.Time{}, fmt.Errorf("timestamp out of range: %s", x)
				}
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %v", val)
}

// epochString is a timestamp given as decimal epoch seconds in a string.
var epochString = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// The range of timestamps accepted as epoch seconds: years 0001 to 9999.
const (
	minEpoch = -62135596800
	maxEpoch = 253402300799
)

func epoch(f float64) (time.Time, error) {
	if math.IsNaN(f) || f < minEpoch || f > maxEpoch {
		return time.Time{}, fmt.Errorf("timestamp out of range: %v", f)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), nil
}

// ValidationError turns violations into the service's validation error.
func ValidationError(code string, vs []Violation) *awserr.Error {
	return awserr.BadRequest(code, ValidationMessage(vs))
}
