// Package schemas simulates the EventBridge Schema Registry (the AWS service
// "schemas"): registries, schemas and their versions, and discoverers that
// infer OpenAPI 3 schemas from the events seen on an event bus (spec 1.15).
//
// Discovery: world calls Observe for every event that arrives on a bus. For
// each started discoverer on that bus, the event's shape is merged into the
// latest version of the schema <source>@<DetailType> in the registry
// discovered-schemas; when the merged document differs from the latest
// version, a new version is created. Merging is a union: a key is required
// only while every event seen had it, integer and number make number, and
// incompatible kinds make the empty schema {}. AWS documents that "a
// structural change creates a new version" without saying how versions relate;
// merging keeps alternating shapes from creating a version per event.
//
// Inferred documents follow EventBridge's: an AWSEvent component for the
// envelope (detail first, then the other keys in order), one component per
// nested object named after its key, objects inside arrays named after the
// object holding the array with "Item" appended, repeated names numbered
// (Name_1), properties sorted as Java sorts strings and required lists in
// java.util.HashSet order, exactly as AWS's recorded documents show them.
//
// Store layout (see core/store), names path-escaped:
//
//	schemas/registry/<registry>                   a custom registry
//	schemas/schema/<registry>/<schema>            a schema
//	schemas/version/<registry>/<schema>/<%010d>   one version's content
//	schemas/discoverer/<id>                       a discoverer
//
// A Service is not safe for concurrent use.
package schemas

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	Account string
	Region  string
	// Emit, when set, puts an event of AWS's on the default event bus: the
	// service emits "Schema Created" and "Schema Version Created" (source
	// aws.schemas) when discovery creates a schema or a version.
	Emit func(source, detailType string, detail []byte, resources []string)
}

// Service is the Schema Registry of a world.
type Service struct {
	d Deps
}

// New returns the service over the world's store.
func New(d Deps) *Service { return &Service{d: d} }

// The registries AWS provides.
const (
	RegistryAWSEvents  = "aws.events"
	RegistryDiscovered = "discovered-schemas"
)

// Schema types.
const (
	TypeOpenAPI3 = "OpenApi3"
	TypeDraft4   = "JSONSchemaDraft4"
)

const (
	registryPrefix   = "schemas/registry/"
	schemaPrefix     = "schemas/schema/"
	versionPrefix    = "schemas/version/"
	discovererPrefix = "schemas/discoverer/"
)

func esc(s string) string { return url.PathEscape(s) }

func schemaKey(reg, name string) string { return schemaPrefix + esc(reg) + "/" + esc(name) }

func versionKey(reg, name string, v int) string {
	return fmt.Sprintf("%s%s/%s/%010d", versionPrefix, esc(reg), esc(name), v)
}

// registry is a stored custom registry.
type registry struct {
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// schema is a stored schema.
type schema struct {
	Registry     string            `json:"registry"`
	Name         string            `json:"name"`
	Description  string            `json:"description,omitempty"`
	Tags         map[string]string `json:"tags,omitempty"`
	LastModified time.Time         `json:"lastModified"`
	Latest       int               `json:"latest"`
	Versions     int               `json:"versions"`
	// Inferred is the merged shape of the events discovered (discovered
	// schemas only).
	Inferred *inferred `json:"inferred,omitempty"`
}

// version is one stored version of a schema.
type version struct {
	Version int       `json:"version"`
	Type    string    `json:"type"`
	Content string    `json:"content"`
	Created time.Time `json:"created"`
}

// discoverer is a stored discoverer.
type discoverer struct {
	ID           string            `json:"id"`
	SourceArn    string            `json:"sourceArn"`
	Description  string            `json:"description,omitempty"`
	State        string            `json:"state"`
	CrossAccount bool              `json:"crossAccount"`
	Tags         map[string]string `json:"tags,omitempty"`
}

func (s *Service) arn(kind, name string) string {
	return fmt.Sprintf("arn:aws:schemas:%s:%s:%s/%s", s.d.Region, s.d.Account, kind, name)
}

func (s *Service) registryARN(name string) string { return s.arn("registry", name) }

func (s *Service) schemaARN(reg, name string) string { return s.arn("schema", reg+"/"+name) }

func errNotFound(msg string) error { return awserr.New("NotFoundException", 404, msg) }

func errConflict(msg string) error { return awserr.New("ConflictException", 409, msg) }

func errBadRequest(msg string) error { return awserr.BadRequest("BadRequestException", msg) }

func errForbidden(msg string) error { return awserr.New("ForbiddenException", 403, msg) }

func errNoRegistry(name string) error {
	return errNotFound("Registry with name " + name + " does not exist.")
}

func errNoSchema(name string) error {
	return errNotFound("Schema with name " + name + " does not exist.")
}

func builtin(name string) bool { return name == RegistryAWSEvents || name == RegistryDiscovered }

// registryExists reports whether a registry exists (the built-in ones always
// do).
func registryExists(tx *store.Tx, name string) bool {
	return builtin(name) || store.Exists(tx, registryPrefix+esc(name))
}

func loadSchema(tx *store.Tx, reg, name string) (*schema, error) {
	if !registryExists(tx, reg) {
		return nil, errNoRegistry(reg)
	}
	var sc schema
	if err := store.GetJSON(tx, schemaKey(reg, name), &sc); err != nil {
		if err == store.ErrNotFound {
			return nil, errNoSchema(name)
		}
		return nil, err
	}
	return &sc, nil
}

// loadVersion returns a version of a schema: v "" is the latest.
func loadVersion(tx *store.Tx, sc *schema, v *string) (*version, error) {
	n := sc.Latest
	if v != nil && *v != "" {
		i, err := strconv.Atoi(*v)
		if err != nil || i < 1 {
			return nil, errNotFound("Schema version " + *v + " of schema " + sc.Name + " does not exist.")
		}
		n = i
	}
	var ver version
	if err := store.GetJSON(tx, versionKey(sc.Registry, sc.Name, n), &ver); err != nil {
		if err == store.ErrNotFound {
			return nil, errNotFound("Schema version " + strconv.Itoa(n) + " of schema " + sc.Name + " does not exist.")
		}
		return nil, err
	}
	return &ver, nil
}

func tagsOf(t map[string]string) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

// page cuts a list for Limit and NextToken: the token is the position of the
// next item, opaque to callers.
func page[T any](items []T, limit *int, token *string) ([]T, *string, error) {
	if items == nil {
		items = []T{} // an empty list is [], never null
	}
	start := 0
	if token != nil && *token != "" {
		b, err := base64.RawURLEncoding.DecodeString(*token)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "p"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(b), "p") || n < 0 || n > len(items) {
			return nil, nil, errBadRequest("Invalid NextToken")
		}
		start = n
	}
	size := 100
	if limit != nil && *limit > 0 && *limit < size {
		size = *limit
	}
	end := start + size
	if end >= len(items) {
		return items[start:], nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte("p" + strconv.Itoa(end)))
	return items[start:end], &next, nil
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("schemas")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:  "schemas",
		Model: m,
		Handlers: map[string]api.Handler{
			"CreateDiscoverer":    api.Op(s.CreateDiscoverer),
			"DescribeDiscoverer":  api.Op(s.DescribeDiscoverer),
			"ListDiscoverers":     api.Op(s.ListDiscoverers),
			"UpdateDiscoverer":    api.Op(s.UpdateDiscoverer),
			"DeleteDiscoverer":    api.Op(s.DeleteDiscoverer),
			"StartDiscoverer":     api.Op(s.StartDiscoverer),
			"StopDiscoverer":      api.Op(s.StopDiscoverer),
			"ListRegistries":      api.Op(s.ListRegistries),
			"CreateRegistry":      api.Op(s.CreateRegistry),
			"DescribeRegistry":    api.Op(s.DescribeRegistry),
			"UpdateRegistry":      api.Op(s.UpdateRegistry),
			"DeleteRegistry":      api.Op(s.DeleteRegistry),
			"ListSchemas":         api.Op(s.ListSchemas),
			"DescribeSchema":      api.Op(s.DescribeSchema),
			"ListSchemaVersions":  api.Op(s.ListSchemaVersions),
			"ExportSchema":        api.Op(s.ExportSchema),
			"CreateSchema":        api.Op(s.CreateSchema),
			"UpdateSchema":        api.Op(s.UpdateSchema),
			"DeleteSchema":        api.Op(s.DeleteSchema),
			"SearchSchemas":       api.Op(s.SearchSchemas),
			"GetDiscoveredSchema": api.Op(s.GetDiscoveredSchema),
		},
	}, nil
}

// sortStrings sorts in Java's order (AWS lists come out sorted by name).
func sortStrings(a []string) {
	sort.SliceStable(a, func(i, j int) bool { return lessJava(a[i], a[j]) })
}
