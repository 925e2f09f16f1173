package schemas

import (
	"strconv"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/store"
)

// SchemaName is the name discovery gives the schema of the events of a source
// and detail-type: aws.ec2@EC2InstanceStateChangeNotification.
func SchemaName(source, detailType string) string { return source + "@" + TypeName(detailType) }

// Observe discovers an event that arrived on the bus busARN: for each started
// discoverer on that bus (none, or one: a bus has one discoverer), the
// event's shape is merged into its schema in discovered-schemas, creating the
// schema or a new version when the document changes. Events that are not
// EventBridge events, are nested deeper than 255 levels or come from another
// account to a discoverer without cross-account discovery are ignored, as is
// every error: discovery never fails the delivery of an event.
func (s *Service) Observe(busARN string, event []byte) {
	bus, ok := s.busName(busARN)
	if !ok {
		return
	}
	var d *discoverer
	if s.d.Store.View(func(tx *store.Tx) (err error) {
		d, err = s.loadDiscoverer(tx, discovererID(bus))
		return err
	}) != nil || d.State != "STARTED" || d.SourceArn != busARN {
		return
	}
	v, err := parseOrdered(event)
	if err != nil {
		return
	}
	src, dt, env := envelope(v)
	if !env {
		return
	}
	if acct, _ := v.(*object).vals["account"].(string); !d.CrossAccount && acct != s.d.Account {
		return
	}
	name := SchemaName(src, dt)
	shape := Infer(v)
	now := s.d.Clock.Now()
	var created *version
	var first bool
	err = s.d.Store.Update(func(tx *store.Tx) error {
		var sc schema
		key := schemaKey(RegistryDiscovered, name)
		switch err := store.GetJSON(tx, key, &sc); err {
		case nil:
		case store.ErrNotFound:
			sc = schema{Registry: RegistryDiscovered, Name: name}
			first = true
		default:
			return err
		}
		in := &inferred{Source: src, DetailType: dt, Envelope: true}
		if sc.Inferred != nil {
			in.Shape = sc.Inferred.Shape
		}
		in.Shape = Merge(in.Shape, shape)
		content := marshal(in.openAPI())
		if !first {
			var latest version
			if err := store.GetJSON(tx, versionKey(RegistryDiscovered, name, sc.Latest), &latest); err == nil && latest.Content == content {
				return nil
			}
		}
		sc.Latest++
		sc.Versions++
		sc.LastModified = now
		sc.Inferred = in
		created = &version{Version: sc.Latest, Type: TypeOpenAPI3, Content: content, Created: now}
		if err := store.SetJSON(tx, versionKey(RegistryDiscovered, name, created.Version), created); err != nil {
			return err
		}
		return store.SetJSON(tx, key, &sc)
	})
	if err != nil || created == nil || s.d.Emit == nil {
		return
	}
	dtype := "Schema Version Created"
	if first {
		dtype = "Schema Created"
	}
	detail := newObject().set("SchemaName", name).set("SchemaType", TypeOpenAPI3).
		set("RegistryName", RegistryDiscovered).set("CreationDate", created.Created.UTC().Format(time.RFC3339)).
		set("Version", strconv.Itoa(created.Version))
	s.d.Emit("aws.schemas", dtype, []byte(marshal(detail)), []string{s.schemaARN(RegistryDiscovered, name)})
}

// GetDiscoveredSchemaInput is the request of GetDiscoveredSchema.
type GetDiscoveredSchemaInput struct {
	Events []string
	Type   string
}

// GetDiscoveredSchemaOutput is the response of GetDiscoveredSchema.
type GetDiscoveredSchemaOutput struct {
	Content string
}

// GetDiscoveredSchema infers the schema of sample events of one type: an
// EventBridge event gives an AWSEvent document, any other JSON object an
// Event document; JSONSchemaDraft4 gives the Draft 4 rendering.
func (s *Service) GetDiscoveredSchema(c *api.Call, in *GetDiscoveredSchemaInput) (*GetDiscoveredSchemaOutput, error) {
	inf, err := inferEvents(in.Events)
	if err != nil || inf == nil {
		return nil, errBadRequest("Invalid event: each event must be a JSON object nested at most 255 levels deep.")
	}
	doc := inf.openAPI()
	if in.Type == TypeDraft4 {
		if doc, err = toDraft4(doc); err != nil {
			return nil, errBadRequest(err.Error())
		}
	}
	return &GetDiscoveredSchemaOutput{Content: marshal(doc)}, nil
}

// Observes reports whether a started discoverer watches the bus busARN.
func (s *Service) Observes(busARN string) bool {
	bus, ok := s.busName(busARN)
	if !ok {
		return false
	}
	var d *discoverer
	if s.d.Store.View(func(tx *store.Tx) (err error) {
		d, err = s.loadDiscoverer(tx, discovererID(bus))
		return err
	}) != nil {
		return false
	}
	return d.State == "STARTED" && d.SourceArn == busARN
}
