package schemas

import (
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/store"
)

// SchemaOutput describes one version of a schema (DescribeSchema,
// CreateSchema, UpdateSchema).
type SchemaOutput struct {
	Content            string `json:",omitempty"`
	Description        string `json:",omitempty"`
	LastModified       time.Time
	SchemaArn          string
	SchemaName         string
	SchemaVersion      string
	Tags               map[string]string
	Type               string
	VersionCreatedDate time.Time
}

func (s *Service) schemaOut(sc *schema, v *version, content bool) *SchemaOutput {
	o := &SchemaOutput{Description: sc.Description, LastModified: sc.LastModified,
		SchemaArn: s.schemaARN(sc.Registry, sc.Name), SchemaName: sc.Name, SchemaVersion: strconv.Itoa(v.Version),
		Tags: tagsOf(sc.Tags), Type: v.Type, VersionCreatedDate: v.Created}
	if content {
		o.Content = v.Content
	}
	return o
}

// checkContent checks the content of a schema of a type: a JSON object, with
// an openapi member for OpenApi3.
func checkContent(typ, content string) error {
	v, err := parseOrdered([]byte(content))
	if err != nil {
		return errBadRequest("Invalid content: the schema content is not valid JSON.")
	}
	o, ok := v.(*object)
	if !ok {
		return errBadRequest("Invalid content: the schema content is not a JSON object.")
	}
	if _, has := o.vals["openapi"]; typ == TypeOpenAPI3 && !has {
		return errBadRequest("Invalid content: an OpenApi3 schema needs an openapi member.")
	}
	return nil
}

func readOnly(reg string) error {
	if builtin(reg) {
		return errForbidden("Registry " + reg + " is managed by AWS: its schemas cannot be changed.")
	}
	return nil
}

// CreateSchemaInput is the request of CreateSchema.
type CreateSchemaInput struct {
	RegistryName string
	SchemaName   string
	Content      string
	Description  *string
	Tags         map[string]string
	Type         string
}

// CreateSchema creates a schema (version 1) in a custom registry.
func (s *Service) CreateSchema(c *api.Call, in *CreateSchemaInput) (*SchemaOutput, error) {
	if err := readOnly(in.RegistryName); err != nil {
		return nil, err
	}
	if err := checkContent(in.Type, in.Content); err != nil {
		return nil, err
	}
	sc := &schema{Registry: in.RegistryName, Name: in.SchemaName, Tags: in.Tags, LastModified: c.Now, Latest: 1, Versions: 1}
	if in.Description != nil {
		sc.Description = *in.Description
	}
	v := &version{Version: 1, Type: in.Type, Content: in.Content, Created: c.Now}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if !registryExists(tx, in.RegistryName) {
			return errNoRegistry(in.RegistryName)
		}
		if store.Exists(tx, schemaKey(sc.Registry, sc.Name)) {
			return errConflict("Schema with name " + sc.Name + " already exists.")
		}
		if err := store.SetJSON(tx, schemaKey(sc.Registry, sc.Name), sc); err != nil {
			return err
		}
		return store.SetJSON(tx, versionKey(sc.Registry, sc.Name, 1), v)
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Schema", sc.Name, s.schemaARN(sc.Registry, sc.Name))
	return s.schemaOut(sc, v, false), nil
}

// UpdateSchemaInput is the request of UpdateSchema.
type UpdateSchemaInput struct {
	RegistryName  string
	SchemaName    string
	ClientTokenId *string
	Content       *string
	Description   *string
	Type          *string
}

// UpdateSchema changes a schema of a custom registry: new content (or a new
// type) makes a new version; a description alone changes the schema.
func (s *Service) UpdateSchema(c *api.Call, in *UpdateSchemaInput) (*SchemaOutput, error) {
	if err := readOnly(in.RegistryName); err != nil {
		return nil, err
	}
	var sc *schema
	var v *version
	err := s.d.Store.Update(func(tx *store.Tx) (err error) {
		if sc, err = loadSchema(tx, in.RegistryName, in.SchemaName); err != nil {
			return err
		}
		if v, err = loadVersion(tx, sc, nil); err != nil {
			return err
		}
		content, typ := v.Content, v.Type
		if in.Content != nil {
			content = *in.Content
		}
		if in.Type != nil {
			typ = *in.Type
		}
		if in.Content != nil || in.Type != nil {
			if err := checkContent(typ, content); err != nil {
				return err
			}
		}
		if content != v.Content || typ != v.Type {
			sc.Latest++
			sc.Versions++
			v = &version{Version: sc.Latest, Type: typ, Content: content, Created: c.Now}
			if err := store.SetJSON(tx, versionKey(sc.Registry, sc.Name, v.Version), v); err != nil {
				return err
			}
		}
		if in.Description != nil {
			sc.Description = *in.Description
		}
		sc.LastModified = c.Now
		return store.SetJSON(tx, schemaKey(sc.Registry, sc.Name), sc)
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Schema", sc.Name, s.schemaARN(sc.Registry, sc.Name))
	return s.schemaOut(sc, v, false), nil
}

// SchemaInput is a request naming a schema.
type SchemaInput struct {
	RegistryName  string
	SchemaName    string
	SchemaVersion *string
}

// DescribeSchema returns a version of a schema (the latest by default) with
// its content.
func (s *Service) DescribeSchema(c *api.Call, in *SchemaInput) (*SchemaOutput, error) {
	var sc *schema
	var v *version
	err := s.d.Store.View(func(tx *store.Tx) (err error) {
		if sc, err = loadSchema(tx, in.RegistryName, in.SchemaName); err != nil {
			return err
		}
		v, err = loadVersion(tx, sc, in.SchemaVersion)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.schemaOut(sc, v, true), nil
}

// DeleteSchema deletes a schema and its versions. Discovered schemas may be
// deleted; aws.events ones may not.
func (s *Service) DeleteSchema(c *api.Call, in *SchemaInput) (*struct{}, error) {
	if in.RegistryName == RegistryAWSEvents {
		return nil, readOnly(in.RegistryName)
	}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := loadSchema(tx, in.RegistryName, in.SchemaName); err != nil {
			return err
		}
		var keys []string
		store.Prefix(tx, versionPrefix+esc(in.RegistryName)+"/"+esc(in.SchemaName)+"/", func(k, _ string) bool {
			keys = append(keys, k)
			return true
		})
		keys = append(keys, schemaKey(in.RegistryName, in.SchemaName))
		for _, k := range keys {
			if _, err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Schema", in.SchemaName, s.schemaARN(in.RegistryName, in.SchemaName))
	return nil, nil
}

// ExportSchemaInput is the request of ExportSchema.
type ExportSchemaInput struct {
	RegistryName  string
	SchemaName    string
	SchemaVersion *string
	Type          string
}

// ExportSchemaOutput is the response of ExportSchema (AWS's has no
// SchemaArn in practice, though the model allows one).
type ExportSchemaOutput struct {
	Content       string
	SchemaName    string
	SchemaVersion string
	Type          string
}

// ExportSchema returns a version of a schema as JSON Schema Draft 4, the only
// export type.
func (s *Service) ExportSchema(c *api.Call, in *ExportSchemaInput) (*ExportSchemaOutput, error) {
	if in.Type != TypeDraft4 {
		return nil, errBadRequest("Invalid type " + in.Type + ". Schemas can only be exported as " + TypeDraft4 + ".")
	}
	d, err := s.DescribeSchema(c, &SchemaInput{RegistryName: in.RegistryName, SchemaName: in.SchemaName, SchemaVersion: in.SchemaVersion})
	if err != nil {
		return nil, err
	}
	content := d.Content
	if d.Type == TypeOpenAPI3 {
		v, perr := parseOrdered([]byte(d.Content))
		doc, ok := v.(*object)
		var out *object
		if perr == nil && ok {
			out, perr = toDraft4(doc)
		}
		if perr != nil || !ok {
			return nil, errBadRequest("The schema " + in.SchemaName + " cannot be exported: its content has no components.schemas.")
		}
		content = marshal(out)
	}
	return &ExportSchemaOutput{Content: content, SchemaName: d.SchemaName, SchemaVersion: d.SchemaVersion, Type: TypeDraft4}, nil
}

// ListSchemasInput is the request of ListSchemas.
type ListSchemasInput struct {
	RegistryName     string
	SchemaNamePrefix *string
	Limit            *int
	NextToken        *string
}

// SchemaSummary is an item of ListSchemas.
type SchemaSummary struct {
	LastModified time.Time
	SchemaArn    string
	SchemaName   string
	Tags         map[string]string
	VersionCount int64
}

// ListSchemasOutput is the response of ListSchemas.
type ListSchemasOutput struct {
	NextToken *string `json:",omitempty"`
	Schemas   []*SchemaSummary
}

// schemasOf returns the schemas of a registry sorted by name.
func schemasOf(tx *store.Tx, reg string) ([]*schema, error) {
	if !registryExists(tx, reg) {
		return nil, errNoRegistry(reg)
	}
	var out []*schema
	store.Prefix(tx, schemaPrefix+esc(reg)+"/", func(_, v string) bool {
		var sc schema
		if jsonUnmarshal(v, &sc) == nil {
			out = append(out, &sc)
		}
		return true
	})
	names := make([]string, len(out))
	by := map[string]*schema{}
	for i, sc := range out {
		names[i] = sc.Name
		by[sc.Name] = sc
	}
	sortStrings(names)
	for i, n := range names {
		out[i] = by[n]
	}
	return out, nil
}

// ListSchemas lists the schemas of a registry by name.
func (s *Service) ListSchemas(c *api.Call, in *ListSchemasInput) (*ListSchemasOutput, error) {
	var all []*SchemaSummary
	err := s.d.Store.View(func(tx *store.Tx) error {
		scs, err := schemasOf(tx, in.RegistryName)
		for _, sc := range scs {
			if in.SchemaNamePrefix != nil && !strings.HasPrefix(sc.Name, *in.SchemaNamePrefix) {
				continue
			}
			all = append(all, &SchemaSummary{LastModified: sc.LastModified, SchemaArn: s.schemaARN(sc.Registry, sc.Name),
				SchemaName: sc.Name, Tags: tagsOf(sc.Tags), VersionCount: int64(sc.Versions)})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	items, next, err := page(all, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ListSchemasOutput{Schemas: items, NextToken: next}, nil
}

// ListSchemaVersionsInput is the request of ListSchemaVersions.
type ListSchemaVersionsInput struct {
	RegistryName string
	SchemaName   string
	Limit        *int
	NextToken    *string
}

// SchemaVersionSummary is an item of ListSchemaVersions.
type SchemaVersionSummary struct {
	SchemaArn     string
	SchemaName    string
	SchemaVersion string
	Type          string
}

// ListSchemaVersionsOutput is the response of ListSchemaVersions.
type ListSchemaVersionsOutput struct {
	NextToken      *string `json:",omitempty"`
	SchemaVersions []*SchemaVersionSummary
}

func versionsOf(tx *store.Tx, sc *schema) []*version {
	var out []*version
	store.Prefix(tx, versionPrefix+esc(sc.Registry)+"/"+esc(sc.Name)+"/", func(_, v string) bool {
		var ver version
		if jsonUnmarshal(v, &ver) == nil {
			out = append(out, &ver)
		}
		return true
	})
	return out
}

// ListSchemaVersions lists the versions of a schema, oldest first.
func (s *Service) ListSchemaVersions(c *api.Call, in *ListSchemaVersionsInput) (*ListSchemaVersionsOutput, error) {
	var all []*SchemaVersionSummary
	err := s.d.Store.View(func(tx *store.Tx) error {
		sc, err := loadSchema(tx, in.RegistryName, in.SchemaName)
		if err != nil {
			return err
		}
		for _, v := range versionsOf(tx, sc) {
			all = append(all, &SchemaVersionSummary{SchemaArn: s.schemaARN(sc.Registry, sc.Name), SchemaName: sc.Name,
				SchemaVersion: strconv.Itoa(v.Version), Type: v.Type})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	items, next, err := page(all, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ListSchemaVersionsOutput{SchemaVersions: items, NextToken: next}, nil
}

// SearchSchemasInput is the request of SearchSchemas.
type SearchSchemasInput struct {
	RegistryName string
	Keywords     string
	Limit        *int
	NextToken    *string
}

// SearchSchemaVersionSummary is a version in a SearchSchemas result.
type SearchSchemaVersionSummary struct {
	CreatedDate   time.Time
	SchemaVersion string
	Type          string
}

// SearchSchemaSummary is an item of SearchSchemas.
type SearchSchemaSummary struct {
	RegistryName   string
	SchemaArn      string
	SchemaName     string
	SchemaVersions []*SearchSchemaVersionSummary
}

// SearchSchemasOutput is the response of SearchSchemas.
type SearchSchemasOutput struct {
	NextToken *string `json:",omitempty"`
	Schemas   []*SearchSchemaSummary
}

// SearchSchemas finds the schemas of a registry whose name contains the
// keywords (ignoring case).
func (s *Service) SearchSchemas(c *api.Call, in *SearchSchemasInput) (*SearchSchemasOutput, error) {
	kw := strings.ToLower(in.Keywords)
	var all []*SearchSchemaSummary
	err := s.d.Store.View(func(tx *store.Tx) error {
		scs, err := schemasOf(tx, in.RegistryName)
		for _, sc := range scs {
			if !strings.Contains(strings.ToLower(sc.Name), kw) {
				continue
			}
			item := &SearchSchemaSummary{RegistryName: sc.Registry, SchemaArn: s.schemaARN(sc.Registry, sc.Name), SchemaName: sc.Name}
			for _, v := range versionsOf(tx, sc) {
				item.SchemaVersions = append(item.SchemaVersions, &SearchSchemaVersionSummary{CreatedDate: v.Created,
					SchemaVersion: strconv.Itoa(v.Version), Type: v.Type})
			}
			all = append(all, item)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	items, next, err := page(all, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &SearchSchemasOutput{Schemas: items, NextToken: next}, nil
}
