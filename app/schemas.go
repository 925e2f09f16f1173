package app

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"github.com/telltale-dev/telltale/core/schemas"
)

// TabSchemas is the schema registry tab of the EventBridge page.
const TabSchemas = "schemas"

// SchemasView is the state of the schema registry tab.
type SchemasView struct {
	Discoverers []DiscovererRow
	Registries  []string
	Registry    string
	Schemas     []SchemaRow
	// Schema is the open schema, with its latest version's content.
	Schema, Version, Type, Content string
	// Lang is the language of the code shown ("" for the schema itself).
	Lang, Code string
	// Bus is the ARN of the bus of the create-discoverer form.
	Bus string
}

// DiscovererRow is a discoverer as ListDiscoverers returns it.
type DiscovererRow struct{ DiscovererId, SourceArn, State string }

// SchemaRow is a schema as ListSchemas returns it.
type SchemaRow struct {
	SchemaName   string
	VersionCount int
	LastModified time.Time
}

func (s *Session) loadSchemas() {
	v := &s.Events
	sv := &v.Schemas
	if sv.Registry == "" {
		sv.Registry = "discovered-schemas"
	}
	var ds struct{ Discoverers []DiscovererRow }
	if err := s.call("schemas", "ListDiscoverers", map[string]any{}, &ds); err != nil {
		v.Notice.set(err, "")
		return
	}
	sv.Discoverers = ds.Discoverers
	var rs struct {
		Registries []struct{ RegistryName string }
	}
	if err := s.call("schemas", "ListRegistries", map[string]any{}, &rs); err == nil {
		sv.Registries = nil
		for _, r := range rs.Registries {
			sv.Registries = append(sv.Registries, r.RegistryName)
		}
	}
	var ss struct{ Schemas []SchemaRow }
	if err := s.call("schemas", "ListSchemas", map[string]any{"RegistryName": sv.Registry}, &ss); err != nil {
		v.Notice.set(err, "")
	}
	sv.Schemas = ss.Schemas
	open := false
	for _, r := range sv.Schemas {
		open = open || r.SchemaName == sv.Schema
	}
	if !open {
		sv.Schema, sv.Content, sv.Code, sv.Lang = "", "", "", ""
	}
	if sv.Bus == "" && len(v.Buses) > 0 {
		sv.Bus = v.Buses[0].Arn
	}
}

// CreateDiscoverer starts discovering the schemas of a bus's events
// (CreateDiscoverer).
func (s *Session) CreateDiscoverer() {
	v := &s.Events
	v.Notice.set(s.call("schemas", "CreateDiscoverer", map[string]any{"SourceArn": v.Schemas.Bus}, nil),
		"Schema discovery started on "+lastPart(v.Schemas.Bus)+": send events to see their schemas.")
	s.loadSchemas()
}

// SetDiscoverer starts or stops a discoverer (StartDiscoverer,
// StopDiscoverer).
func (s *Session) SetDiscoverer(id string, start bool) {
	op, word := "StopDiscoverer", "Stopped"
	if start {
		op, word = "StartDiscoverer", "Started"
	}
	s.Events.Notice.set(s.call("schemas", op, map[string]any{"DiscovererId": id}, nil), word+" the discoverer "+id+".")
	s.loadSchemas()
}

// OpenSchema shows the latest version of a schema (DescribeSchema), or
// folds it.
func (s *Session) OpenSchema(name string) {
	sv := &s.Events.Schemas
	if sv.Schema == name {
		sv.Schema, sv.Content, sv.Code, sv.Lang = "", "", "", ""
		return
	}
	var out struct{ Content, SchemaVersion, Type string }
	if !s.Events.Notice.set(s.call("schemas", "DescribeSchema", map[string]any{"RegistryName": sv.Registry, "SchemaName": name}, &out), "") {
		return
	}
	sv.Schema, sv.Version, sv.Type, sv.Content, sv.Code, sv.Lang = name, out.SchemaVersion, out.Type, indentJSON(out.Content), "", ""
}

// SchemaCode shows the open schema as Go or TypeScript types (as telltale
// schemas export-code does), or the schema itself for lang "".
func (s *Session) SchemaCode(lang string) {
	sv := &s.Events.Schemas
	sv.Lang, sv.Code = lang, ""
	var code string
	var err error
	switch lang {
	case "go":
		code, err = schemas.GoStruct(sv.Content)
	case "typescript":
		code, err = schemas.TypeScript(sv.Content)
	default:
		return
	}
	if s.Events.Notice.set(err, "") {
		sv.Code = code
	}
}

func schemasTab(s *Session, v *EventsView) app.UI {
	sv := &v.Schemas
	var drows []app.UI
	for _, d := range sv.Discoverers {
		d := d
		started := d.State == "STARTED"
		label := "Start"
		if started {
			label = "Stop"
		}
		drows = append(drows, app.Tr().Body(
			app.Td().Class("tt-mono").Text(d.DiscovererId), app.Td().Text(lastPart(d.SourceArn)), app.Td().Text(d.State),
			app.Td().Body(small(label, "", func(ctx app.Context, e app.Event) { s.SetDiscoverer(d.DiscovererId, !started) })),
		))
	}
	if len(drows) == 0 {
		drows = append(drows, emptyRow(4, "No discoverers: schemas are discovered only on a bus that has one."))
	}
	var regs []Option
	for _, r := range sv.Registries {
		regs = append(regs, Option{r, r})
	}
	var srows []app.UI
	for _, sc := range sv.Schemas {
		sc := sc
		srows = append(srows, app.Tr().Class("tt-schema-row").Body(
			app.Td().Body(toggleName(sc.SchemaName, sc.SchemaName == sv.Schema, func(ctx app.Context, e app.Event) { s.OpenSchema(sc.SchemaName) })),
			app.Td().Class("tt-num").Text(itoa(sc.VersionCount)),
			app.Td().Class("tt-nowrap").Text(FormatTime(sc.LastModified)),
		))
	}
	if len(srows) == 0 {
		srows = append(srows, emptyRow(3, "No schemas in this registry."))
	}
	shown := sv.Content
	if sv.Lang != "" {
		shown = sv.Code
	}
	langs := []Option{{"", "Schema (" + sv.Type + ")"}, {"go", "Go struct"}, {"typescript", "TypeScript interface"}}
	return app.Div().Body(
		app.H3().Text("Discoverers"),
		table("tt-discoverers-table", []string{"Id", "Bus", "State", ""}, drows),
		app.Div().Class("tt-form-row").Body(
			selectField("Discover the events of", "tt-discoverer-bus", busOptions(v, true), sv.Bus, func(b string) { sv.Bus = b }),
			button("Start discovery", "tt-discoverer-create", func(ctx app.Context, e app.Event) { s.CreateDiscoverer() }).Class("tt-btn tt-btn-primary"),
		),
		app.H3().Text("Schemas"),
		app.Div().Class("tt-form-row").Body(
			selectField("Registry", "tt-schema-registry", regs, sv.Registry, func(r string) { sv.Registry = r; s.loadSchemas() }),
		),
		table("tt-schemas-table", []string{"Name", "Versions", "Last modified"}, srows),
		when(sv.Schema != "", func() app.UI {
			return card("tt-schema-panel", sv.Schema+" · version "+sv.Version,
				selectField("Show as", "tt-schema-lang", langs, sv.Lang, func(l string) { s.SchemaCode(l) }),
				app.Pre().Class("tt-code tt-record").ID("tt-schema-content").Text(shown),
			)
		}),
	)
}
