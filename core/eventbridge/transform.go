package eventbridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Predefined variables of input templates (spec 1.12).
const (
	varRuleARN       = "aws.events.rule-arn"
	varRuleName      = "aws.events.rule-name"
	varIngestionTime = "aws.events.event.ingestion-time"
	varEvent         = "aws.events.event"
	varEventJSON     = "aws.events.event.json"
)

func predefined(name string) bool {
	switch name {
	case varRuleARN, varRuleName, varIngestionTime, varEvent, varEventJSON:
		return true
	}
	return false
}

// jsonPath is a parsed path of InputPath or InputPathsMap: $ followed by
// .name and [index] steps.
type jsonPath []pathStep

type pathStep struct {
	name  string
	index int // -1 for a name
}

var errPath = errors.New("invalid JSON path")

// parsePath reads a path such as $.detail.state or $.resources[0].
func parsePath(p string) (jsonPath, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, errPath
	}
	rest := p[1:]
	var out jsonPath
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			i := strings.IndexAny(rest, ".[")
			if i < 0 {
				i = len(rest)
			}
			name := rest[:i]
			if name == "" || strings.ContainsAny(name, "]*'\"") {
				return nil, errPath
			}
			out = append(out, pathStep{name: name, index: -1})
			rest = rest[i:]
		case '[':
			j := strings.IndexByte(rest, ']')
			if j < 0 {
				return nil, errPath
			}
			inner := rest[1:j]
			if len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0] {
				out = append(out, pathStep{name: inner[1 : len(inner)-1], index: -1})
			} else {
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 || len(inner) > 9 {
					return nil, errPath
				}
				out = append(out, pathStep{index: n})
			}
			rest = rest[j+1:]
		default:
			return nil, errPath
		}
	}
	return out, nil
}

// eval returns the raw JSON at the path in doc, or nil when there is none.
func (p jsonPath) eval(doc []byte) []byte {
	cur := json.RawMessage(doc)
	for _, s := range p {
		if s.index >= 0 {
			var arr []json.RawMessage
			if json.Unmarshal(cur, &arr) != nil || s.index >= len(arr) {
				return nil
			}
			cur = arr[s.index]
			continue
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(cur, &obj) != nil || obj == nil {
			return nil
		}
		v, ok := obj[s.name]
		if !ok {
			return nil
		}
		cur = v
	}
	var buf bytes.Buffer
	if json.Compact(&buf, cur) != nil {
		return nil
	}
	return buf.Bytes()
}

// template is a checked input template: its text split at placeholders.
type template struct {
	text  string
	parts []tplPart
	json  bool // an object or array template: the result must be JSON
}

type tplPart struct {
	lit      string // literal text before the placeholder
	name     string // placeholder name; "" for the tail
	inString bool   // the placeholder sits inside a JSON string of the template
}

// errPlaceholder reports a placeholder that is neither a key of InputPathsMap
// nor predefined.
type errPlaceholder struct{ name string }

func (e errPlaceholder) Error() string { return "invalid placeholder " + e.name }

// parseTemplate splits a template at its <name> placeholders and checks them
// against the keys of InputPathsMap and the predefined variables.
func parseTemplate(text string, keys map[string]bool) (*template, error) {
	t := &template{text: text}
	trim := strings.TrimSpace(text)
	t.json = strings.HasPrefix(trim, "{") || strings.HasPrefix(trim, "[")
	inString, escaped := false, false
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case escaped:
			escaped = false
		case c == '\\' && inString:
			escaped = true
		case c == '"':
			inString = !inString
		case c == '<':
			j := strings.IndexByte(text[i+1:], '>')
			if j < 0 {
				continue
			}
			name := text[i+1 : i+1+j]
			if strings.ContainsRune(name, '<') {
				continue
			}
			if !keys[name] && !predefined(name) {
				return nil, errPlaceholder{name}
			}
			if inString && (name == varEvent || name == varEventJSON) {
				return nil, errPlaceholder{name}
			}
			t.parts = append(t.parts, tplPart{lit: text[start:i], name: name, inString: inString})
			i += j + 1
			start = i + 1
		}
	}
	t.parts = append(t.parts, tplPart{lit: text[start:]})
	return t, nil
}

// render fills the template. values holds the raw JSON of each placeholder
// (nil when its path found nothing). ok is false when a JSON template does not
// render to valid JSON: AWS then silently drops the event.
func (t *template) render(values map[string][]byte) (out string, ok bool) {
	var b strings.Builder
	for _, p := range t.parts {
		b.WriteString(p.lit)
		if p.name == "" {
			continue
		}
		v := values[p.name]
		switch {
		case t.json && p.inString && v != nil && (v[0] == '{' || v[0] == '['):
			// Objects and lists keep their JSON inside a string of a JSON
			// template, which then is not JSON: AWS drops the event.
			b.Write(v)
		case p.inString || !t.json:
			if v != nil {
				writeRaw(&b, v)
			}
		case v == nil:
			b.WriteString(`""`)
		default:
			b.Write(v)
		}
	}
	out = b.String()
	if t.json && !json.Valid([]byte(out)) {
		return out, false
	}
	return out, true
}

// writeRaw writes a JSON value the way AWS inserts it inside a string: a
// string without quotes or escapes, a list as [a,b], an object as {k:v}.
func writeRaw(b *strings.Builder, v []byte) {
	if !json.Valid(v) {
		b.Write(v)
		return
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	writeRawValue(b, dec)
}

func writeRawValue(b *strings.Builder, dec *json.Decoder) {
	tok, err := dec.Token()
	if err != nil {
		return
	}
	switch x := tok.(type) {
	case json.Delim:
		if x == '[' {
			b.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				writeRawValue(b, dec)
			}
			dec.Token()
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		for i := 0; dec.More(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := dec.Token()
			fmt.Fprint(b, k)
			b.WriteByte(':')
			writeRawValue(b, dec)
		}
		dec.Token()
		b.WriteByte('}')
	case string:
		b.WriteString(x)
	case json.Number:
		b.WriteString(x.String())
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case nil:
		b.WriteString("null")
	}
}

func jsonValid(b []byte) bool { return json.Valid(b) }
