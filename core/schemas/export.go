package schemas

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

const (
	openAPIRef = "#/components/schemas/"
	draft4Ref  = "#/definitions/"
	draft4URI  = "http://json-schema.org/draft-04/schema#"
)

var errNoComponents = errors.New("the schema has no components.schemas")

// toDraft4 converts an OpenAPI 3 schema document into the JSON Schema Draft 4
// document ExportSchema returns: the root component (AWSEvent, else the one
// named like the title, else the first) inlined at the top, the others under
// definitions, every object's keys sorted and references rewritten.
func toDraft4(doc *object) (*object, error) {
	comps := doc.obj("components").obj("schemas")
	if doc.obj("components") == nil || comps == nil || len(comps.keys) == 0 {
		return nil, errNoComponents
	}
	title := doc.obj("info").str("title")
	root := comps.keys[0]
	if _, ok := comps.vals["AWSEvent"]; ok {
		root = "AWSEvent"
	} else if _, ok := comps.vals[title]; ok && title != "" {
		root = title
	}
	out := newObject().set("$schema", draft4URI).set("title", title)
	if title == "" {
		out.set("title", root)
	}
	defs := newObject()
	names := append([]string(nil), comps.keys...)
	sort.SliceStable(names, func(i, j int) bool { return lessJava(names[i], names[j]) })
	for _, name := range names {
		if name != root {
			defs.set(name, sortRewrite(comps.vals[name]))
		}
	}
	if len(defs.keys) > 0 {
		out.set("definitions", defs)
	}
	if r, ok := sortRewrite(comps.vals[root]).(*object); ok {
		for _, k := range r.keys {
			if _, taken := out.vals[k]; !taken {
				out.set(k, r.vals[k])
			}
		}
	}
	return out, nil
}

// sortRewrite copies a value with every object's keys in Java's order and
// OpenAPI component references turned into Draft 4 definition references.
func sortRewrite(v any) any {
	switch t := v.(type) {
	case *object:
		keys := append([]string(nil), t.keys...)
		sort.SliceStable(keys, func(i, j int) bool { return lessJava(keys[i], keys[j]) })
		o := newObject()
		for _, k := range keys {
			val := sortRewrite(t.vals[k])
			if s, ok := val.(string); ok && k == "$ref" && strings.HasPrefix(s, openAPIRef) {
				val = draft4Ref + strings.TrimPrefix(s, openAPIRef)
			}
			o.set(k, val)
		}
		return o
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = sortRewrite(e)
		}
		return out
	case []string:
		return append([]string(nil), t...)
	}
	return v
}

// typeDef is one named object type of a schema document.
type typeDef struct {
	name   string
	schema *object
}

// typeDefs returns the named types of a schema document, OpenAPI 3
// (components.schemas in order) or JSON Schema (the root, named after its
// title, then definitions).
func typeDefs(doc *object) ([]typeDef, error) {
	var out []typeDef
	if comps := doc.obj("components").obj("schemas"); comps != nil {
		for _, k := range comps.keys {
			if o, ok := comps.vals[k].(*object); ok {
				out = append(out, typeDef{k, o})
			}
		}
	} else if _, isJS := doc.vals["$schema"]; isJS || doc.obj("properties") != nil || doc.obj("definitions") != nil {
		defs := doc.obj("definitions")
		name := doc.str("title")
		if _, env := doc.vals["x-amazon-events-source"]; env {
			name = "AWSEvent" // the envelope; the title names its detail
		}
		if name == "" {
			name = "Event"
		}
		for base, i := name, 1; defs != nil && defs.vals[name] != nil; i++ {
			name = base + "_" + strconv.Itoa(i)
		}
		out = append(out, typeDef{name, doc})
		if defs != nil {
			for _, k := range defs.keys {
				if o, ok := defs.vals[k].(*object); ok {
					out = append(out, typeDef{k, o})
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, errNoComponents
	}
	return out, nil
}
