// Package api is the front door of a world's services: the AWS service models
// (botocore's service-2.json, trimmed), request validation against them with
// AWS's messages, the names the AWS CLI derives from them, and the registry of
// implemented operations that the dispatcher, the CLI and help all read.
package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/telltale-dev/telltale/core/api/models"
	"sort"
)

// Model is one AWS service model, in botocore's service-2.json format.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`
}

// Metadata is the metadata block of a service model.
type Metadata struct {
	APIVersion       string `json:"apiVersion"`
	EndpointPrefix   string `json:"endpointPrefix"`
	JSONVersion      string `json:"jsonVersion,omitempty"`
	Protocol         string `json:"protocol"`
	ServiceFullName  string `json:"serviceFullName"`
	ServiceID        string `json:"serviceId"`
	SignatureVersion string `json:"signatureVersion,omitempty"`
	SigningName      string `json:"signingName,omitempty"`
	TargetPrefix     string `json:"targetPrefix,omitempty"`
	UID              string `json:"uid,omitempty"`
	XMLNamespace     string `json:"xmlNamespace,omitempty"`
	GlobalEndpoint   string `json:"globalEndpoint,omitempty"`
}

// Operation is one operation of a model.
type Operation struct {
	Name   string     `json:"name"`
	HTTP   *HTTP      `json:"http,omitempty"`
	Input  *ShapeRef  `json:"input,omitempty"`
	Output *ShapeRef  `json:"output,omitempty"`
	Errors []ShapeRef `json:"errors,omitempty"`
}

// HTTP is the HTTP binding of an operation.
type HTTP struct {
	Method       string `json:"method"`
	RequestURI   string `json:"requestUri"`
	ResponseCode int    `json:"responseCode,omitempty"`
}

// ShapeRef refers to a shape, with the member-level traits botocore puts on it.
type ShapeRef struct {
	Shape           string `json:"shape"`
	LocationName    string `json:"locationName,omitempty"`
	ResultWrapper   string `json:"resultWrapper,omitempty"`
	Location        string `json:"location,omitempty"`
	Deprecated      bool   `json:"deprecated,omitempty"`
	IdempotencyTok  bool   `json:"idempotencyToken,omitempty"`
	TimestampFormat string `json:"timestampFormat,omitempty"`
	Flattened       bool   `json:"flattened,omitempty"`
	XMLNamespace    any    `json:"xmlNamespace,omitempty"`
	JSONValue       bool   `json:"jsonvalue,omitempty"`
}

// Shape is a type of a model.
type Shape struct {
	Type            string     `json:"type"`
	Required        []string   `json:"required,omitempty"`
	Members         Members    `json:"members,omitempty"`
	Member          *ShapeRef  `json:"member,omitempty"`
	Key             *ShapeRef  `json:"key,omitempty"`
	Value           *ShapeRef  `json:"value,omitempty"`
	Min             *float64   `json:"min,omitempty"`
	Max             *float64   `json:"max,omitempty"`
	Pattern         string     `json:"pattern,omitempty"`
	Enum            []string   `json:"enum,omitempty"`
	Exception       bool       `json:"exception,omitempty"`
	Fault           bool       `json:"fault,omitempty"`
	Error           *ErrorInfo `json:"error,omitempty"`
	TimestampFormat string     `json:"timestampFormat,omitempty"`
	Flattened       bool       `json:"flattened,omitempty"`
	Sensitive       bool       `json:"sensitive,omitempty"`
	Deprecated      bool       `json:"deprecated,omitempty"`
	Union           bool       `json:"union,omitempty"`
	Box             bool       `json:"box,omitempty"`
	Document        bool       `json:"document,omitempty"`
}

// ErrorInfo is the error trait of an exception shape.
type ErrorInfo struct {
	Code           string `json:"code,omitempty"`
	HTTPStatusCode int    `json:"httpStatusCode,omitempty"`
	SenderFault    bool   `json:"senderFault,omitempty"`
}

// Member is one member of a structure, in model order.
type Member struct {
	Name string
	Ref  ShapeRef
}

// Members are the members of a structure in the order the model lists them,
// which is the order the AWS CLI prints them in.
type Members []Member

// Get returns the member called name.
func (ms Members) Get(name string) (*Member, bool) {
	for i := range ms {
		if ms[i].Name == name {
			return &ms[i], true
		}
	}
	return nil, false
}

// UnmarshalJSON reads a JSON object keeping its key order.
func (ms *Members) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("api: members must be an object")
	}
	*ms = nil
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := t.(string)
		var ref ShapeRef
		if err := dec.Decode(&ref); err != nil {
			return err
		}
		*ms = append(*ms, Member{Name: name, Ref: ref})
	}
	_, err = dec.Token()
	return err
}

// MarshalJSON writes the members as a JSON object in model order.
func (ms Members) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(m.Name)
		v, err := json.Marshal(m.Ref)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// ParseModel reads a model in botocore's service-2.json format.
func ParseModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("api: model: %w", err)
	}
	for name, op := range m.Operations {
		if op.Name == "" {
			op.Name = name
		}
		for _, ref := range []*ShapeRef{op.Input, op.Output} {
			if ref != nil && m.Shapes[ref.Shape] == nil {
				return nil, fmt.Errorf("api: model %s: operation %s refers to missing shape %s", m.Metadata.ServiceID, name, ref.Shape)
			}
		}
	}
	return &m, nil
}

// Shape returns the shape a reference points at.
func (m *Model) Shape(ref *ShapeRef) *Shape {
	if ref == nil {
		return nil
	}
	return m.Shapes[ref.Shape]
}

// Trim returns a copy of the model that keeps only the named operations and the
// shapes they reach, without documentation. It is what the generator embeds.
func (m *Model) Trim(ops []string) (*Model, error) {
	out := &Model{Metadata: m.Metadata, Operations: map[string]*Operation{}, Shapes: map[string]*Shape{}}
	var visit func(name string)
	visit = func(name string) {
		if _, seen := out.Shapes[name]; seen {
			return
		}
		s := m.Shapes[name]
		if s == nil {
			return
		}
		out.Shapes[name] = s
		for _, mem := range s.Members {
			visit(mem.Ref.Shape)
		}
		for _, r := range []*ShapeRef{s.Member, s.Key, s.Value} {
			if r != nil {
				visit(r.Shape)
			}
		}
	}
	sort.Strings(ops)
	for _, name := range ops {
		op := m.Operations[name]
		if op == nil {
			return nil, fmt.Errorf("api: model %s has no operation %s", m.Metadata.ServiceID, name)
		}
		out.Operations[name] = op
		for _, r := range []*ShapeRef{op.Input, op.Output} {
			if r != nil {
				visit(r.Shape)
			}
		}
		for _, r := range op.Errors {
			visit(r.Shape)
		}
	}
	return out, nil
}

// LoadModel parses the embedded trimmed model of a service, by its CLI name.
func LoadModel(service string) (*Model, error) {
	b, err := models.Load(service)
	if err != nil {
		return nil, err
	}
	return ParseModel(b)
}
