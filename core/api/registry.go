package api

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/telltale-dev/telltale/core/awserr"
)

// Identity is the caller of an API call, as CloudTrail's userIdentity and STS's
// GetCallerIdentity describe it.
type Identity struct {
	Type        string `json:"type"` // IAMUser, AssumedRole, Root, AWSService
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
	UserName    string `json:"userName,omitempty"`
}

// Call is the context of one API call: who calls, where, and when on the
// virtual clock.
type Call struct {
	Service   string // the CLI's name of the service: sts, cloudtrail
	Operation string // the API's name: GetCallerIdentity
	Now       time.Time
	Account   string
	Region    string
	RequestID string
	Identity  Identity
	UserAgent string
	SourceIP  string
	// Resources collects the resources the call concerns, for CloudTrail.
	Resources []Resource
}

// Resource is a resource an API call concerns: its CloudFormation-style type
// (AWS::CloudTrail::Trail), its name and its ARN.
type Resource struct {
	Type string
	Name string
	ARN  string
}

// AddResource notes that the call concerns a resource.
func (c *Call) AddResource(typ, name, arn string) {
	c.Resources = append(c.Resources, Resource{Type: typ, Name: name, ARN: arn})
}

// Handler runs one operation. input is the validated request JSON (timestamps as
// RFC 3339 strings). The result is marshalled to JSON and shaped by the
// operation's output shape; return nil for an empty response.
type Handler func(c *Call, input []byte) (any, error)

// Op adapts a typed function to a Handler. The request is decoded into In.
func Op[In any, Out any](fn func(c *Call, in *In) (*Out, error)) Handler {
	return func(c *Call, input []byte) (any, error) {
		var in In
		if len(input) > 0 {
			if err := json.Unmarshal(input, &in); err != nil {
				return nil, awserr.BadRequest("SerializationException", err.Error())
			}
		}
		out, err := fn(c, &in)
		if err != nil || out == nil {
			return nil, err
		}
		return out, nil
	}
}

// Service is one simulated AWS service: its model and the operations it
// implements.
type Service struct {
	// Name is the AWS CLI's name of the service (sts, cloudtrail, cloudwatch).
	Name string
	// Model is the service's model.
	Model *Model
	// Handlers holds the implemented operations by API name.
	Handlers map[string]Handler
	// ValidationCode is the error code of a request that fails the model's
	// constraints: ValidationException (JSON protocols) or ValidationError
	// (query protocols) unless the service says otherwise.
	ValidationCode string
	// TranslateValidation, when set, may turn the violations of an operation's
	// request into a service-specific error (CloudTrail answers
	// InvalidMaxResultsException rather than a generic validation error). It
	// returns nil to keep the generic error.
	TranslateValidation func(op string, vs []Violation) *awserr.Error

	validator *Validator
}

// Operations returns the names of the implemented operations, sorted.
func (s *Service) Operations() []string { return sortedKeys(s.Handlers) }

// Validator returns the service's request validator.
func (s *Service) Validator() *Validator {
	if s.validator == nil {
		s.validator = NewValidator(s.Model)
	}
	return s.validator
}

// Registry holds the services of a world by CLI name.
type Registry struct {
	services map[string]*Service
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{services: map[string]*Service{}} }

// Register adds a service. Every handler must name an operation of the model.
func (r *Registry) Register(s *Service) error {
	for name := range s.Handlers {
		if s.Model.Operations[name] == nil {
			return fmt.Errorf("api: %s: the model has no operation %s", s.Name, name)
		}
	}
	if s.ValidationCode == "" {
		s.ValidationCode = "ValidationException"
		if s.Model.Metadata.Protocol == "query" {
			s.ValidationCode = "ValidationError"
		}
	}
	r.services[s.Name] = s
	return nil
}

// Service returns the service called name.
func (r *Registry) Service(name string) (*Service, bool) {
	s, ok := r.services[name]
	return s, ok
}

// Services returns every service, sorted by name.
func (r *Registry) Services() []*Service {
	out := make([]*Service, 0, len(r.services))
	for _, n := range sortedKeys(r.services) {
		out = append(out, r.services[n])
	}
	return out
}

// Names returns the names of the services, sorted.
func (r *Registry) Names() []string {
	names := sortedKeys(r.services)
	sort.Strings(names)
	return names
}
