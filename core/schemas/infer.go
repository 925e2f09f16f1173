package schemas

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Kind is the inferred type of a JSON value.
type Kind uint8

// The kinds of inferred values. KindAny is what two incompatible kinds merge
// into (and what null alone infers): the empty schema {}.
const (
	KindNull Kind = iota
	KindBoolean
	KindInteger
	KindNumber
	KindString
	KindDateTime
	KindArray
	KindObject
	KindAny
)

// Shape is the inferred structure of one or more JSON values.
type Shape struct {
	Kind Kind `json:"k"`
	// Keys are an object's keys in the order first seen.
	Keys []string `json:"o,omitempty"`
	// Props are an object's members.
	Props map[string]*Shape `json:"p,omitempty"`
	// Optional lists the keys missing from at least one observed object.
	Optional map[string]bool `json:"r,omitempty"`
	// Items is the merged shape of an array's elements; nil when every
	// observed array was empty.
	Items *Shape `json:"i,omitempty"`
}

// Infer returns the shape of a JSON value as parseOrdered returns it.
func Infer(v any) *Shape {
	switch t := v.(type) {
	case nil:
		return &Shape{Kind: KindNull}
	case bool:
		return &Shape{Kind: KindBoolean}
	case json.Number:
		if strings.ContainsAny(string(t), ".eE") {
			return &Shape{Kind: KindNumber}
		}
		return &Shape{Kind: KindInteger}
	case string:
		if isDateTime(t) {
			return &Shape{Kind: KindDateTime}
		}
		return &Shape{Kind: KindString}
	case []any:
		s := &Shape{Kind: KindArray}
		for _, e := range t {
			s.Items = Merge(s.Items, Infer(e))
		}
		return s
	case *object:
		s := &Shape{Kind: KindObject, Props: map[string]*Shape{}}
		for _, k := range t.keys {
			s.Keys = append(s.Keys, k)
			s.Props[k] = Infer(t.vals[k])
		}
		return s
	}
	return &Shape{Kind: KindAny}
}

// isDateTime reports whether s is an RFC 3339 date-time (the OpenAPI
// "date-time" format).
func isDateTime(s string) bool {
	if len(s) < 20 || len(s) > 40 || s[4] != '-' || (s[10] != 'T' && s[10] != 't') {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
	return err == nil
}

// Merge returns the shape that covers both a and b (either may be nil): the
// union of an object's keys (a key is required only if every object had it),
// integer and number make number, a date-time and a string make a string,
// null gives way to any other kind, and other mixtures make KindAny. Neither
// argument is modified.
func Merge(a, b *Shape) *Shape {
	switch {
	case a == nil:
		return b.clone()
	case b == nil:
		return a.clone()
	case a.Kind == KindNull:
		return b.clone()
	case b.Kind == KindNull:
		return a.clone()
	case a.Kind == b.Kind:
		switch a.Kind {
		case KindArray:
			return &Shape{Kind: KindArray, Items: Merge(a.Items, b.Items)}
		case KindObject:
			s := &Shape{Kind: KindObject, Props: map[string]*Shape{}}
			for _, k := range a.Keys {
				s.Keys = append(s.Keys, k)
				s.Props[k] = Merge(a.Props[k], b.Props[k])
				if _, inB := b.Props[k]; !inB || a.Optional[k] || b.Optional[k] {
					s.optional(k)
				}
			}
			for _, k := range b.Keys {
				if _, inA := a.Props[k]; inA {
					continue
				}
				s.Keys = append(s.Keys, k)
				s.Props[k] = b.Props[k].clone()
				s.optional(k)
			}
			return s
		}
		return &Shape{Kind: a.Kind}
	case (a.Kind == KindInteger && b.Kind == KindNumber) || (a.Kind == KindNumber && b.Kind == KindInteger):
		return &Shape{Kind: KindNumber}
	case (a.Kind == KindString && b.Kind == KindDateTime) || (a.Kind == KindDateTime && b.Kind == KindString):
		return &Shape{Kind: KindString}
	}
	return &Shape{Kind: KindAny}
}

func (s *Shape) optional(k string) {
	if s.Optional == nil {
		s.Optional = map[string]bool{}
	}
	s.Optional[k] = true
}

func (s *Shape) clone() *Shape {
	if s == nil {
		return nil
	}
	c := &Shape{Kind: s.Kind, Items: s.Items.clone()}
	if s.Props != nil {
		c.Keys = append([]string(nil), s.Keys...)
		c.Props = make(map[string]*Shape, len(s.Props))
		for k, v := range s.Props {
			c.Props[k] = v.clone()
		}
	}
	for k := range s.Optional {
		c.optional(k)
	}
	return c
}

// required returns an object's required keys in AWS's order: the order of a
// java.util.HashSet into which they were added sorted.
func (s *Shape) required() []string {
	var keys []string
	for _, k := range s.sortedKeys("") {
		if !s.Optional[k] {
			keys = append(keys, k)
		}
	}
	return hashSetOrder(keys)
}

// sortedKeys returns an object's keys in Java's String order, with first
// (when present) ahead of the others.
func (s *Shape) sortedKeys(first string) []string {
	keys := make([]string, 0, len(s.Keys))
	for _, k := range s.Keys {
		if k != first {
			keys = append(keys, k)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool { return lessJava(keys[i], keys[j]) })
	if _, ok := s.Props[first]; first != "" && ok {
		keys = append([]string{first}, keys...)
	}
	return keys
}

// TypeName turns free text into the name AWS gives a schema or a type: the
// words (runs of letters and digits) with their first letter upper-cased,
// joined: "EC2 Instance State-change Notification" becomes
// "EC2InstanceStateChangeNotification", "userCreated" becomes "UserCreated".
func TypeName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// envelope tells whether an event is an EventBridge event (a string source
// and detail-type and an object detail) and returns them.
func envelope(v any) (source, detailType string, ok bool) {
	o, isObj := v.(*object)
	if !isObj {
		return "", "", false
	}
	src, ok1 := o.vals["source"].(string)
	dt, ok2 := o.vals["detail-type"].(string)
	_, ok3 := o.vals["detail"].(*object)
	return src, dt, ok1 && ok2 && ok3
}

// inferred is one discovered event type: its shape and, for EventBridge
// events, source and detail-type.
type inferred struct {
	Shape      *Shape `json:"shape"`
	Source     string `json:"source,omitempty"`
	DetailType string `json:"detailType,omitempty"`
	Envelope   bool   `json:"envelope,omitempty"`
}

// title is the schema's title: the detail-type as a type name, or "Event"
// for a plain JSON object.
func (in *inferred) title() string {
	if !in.Envelope {
		return "Event"
	}
	if t := TypeName(in.DetailType); t != "" {
		return t
	}
	return "Event"
}

// namer hands out component names, numbering repeats (Name, Name_1, ...).
type namer struct {
	used  map[string]bool
	names []string
	comps map[string]*object
}

func (n *namer) take(base string) string {
	if base == "" {
		base = "Object"
	}
	name := base
	for i := 1; n.used[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	n.used[name] = true
	return name
}

// OpenAPI renders an inferred event type as EventBridge's discovered OpenAPI 3
// document.
func (in *inferred) openAPI() *object {
	n := &namer{used: map[string]bool{}, comps: map[string]*object{}}
	title := in.title()
	rootName, first := title, ""
	if in.Envelope {
		rootName, first = "AWSEvent", "detail"
	}
	n.take(rootName)
	if in.Envelope {
		n.take(title)
	}
	n.component(rootName, in.Shape, first, title, in)
	schemas := newObject()
	for _, name := range n.names {
		schemas.set(name, n.comps[name])
	}
	return newObject().
		set("openapi", "3.0.0").
		set("info", newObject().set("version", "1.0.0").set("title", title)).
		set("paths", newObject()).
		set("components", newObject().set("schemas", schemas))
}

// component renders an object shape as a named component and, depth first,
// the components it refers to. first is the property listed first and named
// detailName (the envelope's detail).
func (n *namer) component(name string, s *Shape, first, detailName string, in *inferred) {
	c := newObject().set("type", "object")
	n.names = append(n.names, name)
	n.comps[name] = c
	if req := s.required(); len(req) > 0 {
		c.set("required", req)
	}
	if first != "" {
		c.set("x-amazon-events-detail-type", in.DetailType)
		c.set("x-amazon-events-source", in.Source)
	}
	props := newObject()
	c.set("properties", props)
	type pending struct {
		name string
		s    *Shape
	}
	var later []pending
	for _, k := range s.sortedKeys(first) {
		p := s.Props[k]
		var ref string
		if p.Kind == KindObject {
			if k == first {
				ref = detailName
			} else {
				ref = n.take(TypeName(k))
			}
			later = append(later, pending{ref, p})
		}
		inner := p
		for inner.Kind == KindArray && inner.Items != nil {
			inner = inner.Items
		}
		if inner.Kind == KindObject && inner != p {
			// Objects in arrays are named after the object holding the
			// array (AWS's code bindings show RequestParametersItem_1).
			ref = n.take(name + "Item")
			later = append(later, pending{ref, inner})
		}
		props.set(k, openAPIType(p, ref))
	}
	for _, l := range later {
		n.component(l.name, l.s, "", "", in)
	}
}

// openAPIType is the schema of one property; ref names the component of an
// object (or of the objects of an array).
func openAPIType(s *Shape, ref string) *object {
	switch s.Kind {
	case KindBoolean:
		return newObject().set("type", "boolean")
	case KindInteger:
		return newObject().set("type", "integer").set("format", "int64")
	case KindNumber:
		return newObject().set("type", "number").set("format", "double")
	case KindString:
		return newObject().set("type", "string")
	case KindDateTime:
		return newObject().set("type", "string").set("format", "date-time")
	case KindObject:
		return newObject().set("$ref", "#/components/schemas/"+ref)
	case KindArray:
		items := newObject().set("type", "object") // an always-empty array
		if s.Items != nil {
			items = openAPIType(s.Items, ref)
		}
		return newObject().set("type", "array").set("items", items)
	}
	return newObject()
}

var errNotObject = errors.New("an event is not a JSON object")

// inferEvents infers the merged shape of events of one type. Every event
// must be a JSON object.
func inferEvents(events []string) (*inferred, error) {
	var in *inferred
	for _, e := range events {
		v, err := parseOrdered([]byte(e))
		if err != nil {
			return nil, err
		}
		if _, ok := v.(*object); !ok {
			return nil, errNotObject
		}
		src, dt, env := envelope(v)
		if in == nil {
			in = &inferred{Source: src, DetailType: dt, Envelope: env}
		}
		in.Shape = Merge(in.Shape, Infer(v))
	}
	return in, nil
}
