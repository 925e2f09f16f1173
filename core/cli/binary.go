package cli

import (
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
)

// This file ports the AWS CLI v2's --cli-binary-format
// (awscli/customizations/binaryformat.py). With the default, base64, every
// text value of a blob parameter must be base64 and is decoded before the
// call (the provide-client-params hook, so before parameter validation);
// with raw-in-base64-out, the text is sent as its UTF-8 bytes. fileb:// values
// are bytes already and pass through both. Blobs in responses print as base64
// either way.

// binaryFormats are the values --cli-binary-format takes.
const (
	binaryBase64 = "base64"
	binaryRaw    = "raw-in-base64-out"
)

// applyBinaryFormat is Base64DecodeVisitor (for base64) or botocore's
// serializer (for raw-in-base64-out): it turns the text values of blob
// members of params into bytes.
func applyBinaryFormat(m *api.Model, in *api.Shape, params *pyDict, format string) error {
	if in == nil {
		return nil
	}
	var err error
	var visit func(sh *api.Shape, v any, set func(any))
	visit = func(sh *api.Shape, v any, set func(any)) {
		if err != nil || sh == nil || v == nil {
			return
		}
		switch sh.Type {
		case "structure":
			d, ok := v.(*pyDict)
			if !ok || sh.Document {
				return
			}
			for _, mem := range sh.Members {
				x, ok := d.get(mem.Name)
				if !ok {
					continue
				}
				name := mem.Name
				visit(m.Shapes[mem.Ref.Shape], x, func(nv any) { d.set(name, nv) })
			}
		case "list":
			l, ok := v.([]any)
			if !ok {
				return
			}
			es := m.Shape(sh.Member)
			for i, e := range l {
				i := i
				visit(es, e, func(nv any) { l[i] = nv })
			}
		case "map":
			d, ok := v.(*pyDict)
			if !ok {
				return
			}
			vs := m.Shape(sh.Value)
			for _, k := range append([]string(nil), d.keys...) {
				k := k
				visit(vs, d.vals[k], func(nv any) { d.set(k, nv) })
			}
		case "blob":
			s, ok := v.(string)
			if !ok {
				return
			}
			if format == binaryRaw {
				set(blobValue(s))
				return
			}
			b, e := pyB64Decode(s)
			if e != nil {
				err = e
				return
			}
			set(blobValue(b))
		}
	}
	visit(in, params, func(any) {})
	return err
}

// errNotASCII is the ValueError base64.b64decode raises for a str with
// characters beyond ASCII; the CLI lets it through (exit 255).
var errNotASCII = &paramErr{"string argument should contain only ASCII characters"}

// pyB64Decode is Python's base64.b64decode(s) (binascii.a2b_base64 without
// strict mode): characters outside the alphabet are skipped, a complete pad
// ends the input, and a last quad of one character or without its padding
// is an error, which the CLI words as `Invalid base64: "s"` (exit 255).
func pyB64Decode(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return nil, errNotASCII
		}
	}
	out := make([]byte, 0, len(s)*3/4)
	quad, pads := 0, 0
	var left byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			if quad >= 2 {
				pads++
				if quad+pads >= 4 {
					return out, nil
				}
			}
			continue
		}
		v, ok := b64Value(c)
		if !ok {
			continue
		}
		pads = 0
		switch quad {
		case 0:
			quad, left = 1, v
		case 1:
			out = append(out, left<<2|v>>4)
			quad, left = 2, v&0x0f
		case 2:
			out = append(out, left<<4|v>>2)
			quad, left = 3, v&0x03
		case 3:
			out = append(out, left<<6|v)
			quad, left = 0, 0
		}
	}
	if quad != 0 {
		return nil, &paramErr{fmt.Sprintf("Invalid base64: \"%s\"", s)}
	}
	return out, nil
}

func b64Value(c byte) (byte, bool) {
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A', true
	case c >= 'a' && c <= 'z':
		return c - 'a' + 26, true
	case c >= '0' && c <= '9':
		return c - '0' + 52, true
	case c == '+':
		return 62, true
	case c == '/':
		return 63, true
	}
	return 0, false
}

// pyBytesRepr is Python's repr() of a bytes value.
func pyBytesRepr(b []byte) string {
	q := byte('\'')
	if strings.IndexByte(string(b), '\'') >= 0 && strings.IndexByte(string(b), '"') < 0 {
		q = '"'
	}
	var sb strings.Builder
	sb.WriteString("b")
	sb.WriteByte(q)
	for _, c := range b {
		switch {
		case c == q || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(q)
	return sb.String()
}
