package schemas

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time { return c.t }

const bus = "arn:aws:events:us-east-1:123456789012:event-bus/default"

type emitted struct{ source, detailType, detail string }

func newService(t *testing.T) (*Service, *testClock, *[]emitted) {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &testClock{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	var ev []emitted
	s := New(Deps{Store: st, Clock: clk, Account: "123456789012", Region: "us-east-1",
		Emit: func(source, dt string, detail []byte, _ []string) {
			ev = append(ev, emitted{source, dt, string(detail)})
		}})
	return s, clk, &ev
}

func call(clk *testClock) *api.Call { return &api.Call{Now: clk.t} }

func event(detailType, detail string) []byte {
	return []byte(fmt.Sprintf(`{"version":"0","id":"1","detail-type":%q,"source":"shop","account":"123456789012","time":"2026-01-02T03:04:05Z","region":"us-east-1","resources":[],"detail":%s}`, detailType, detail))
}

func versions(t *testing.T, s *Service, clk *testClock, name string) []string {
	t.Helper()
	out, err := s.ListSchemaVersions(call(clk), &ListSchemaVersionsInput{RegistryName: RegistryDiscovered, SchemaName: name})
	if err != nil {
		t.Fatal(err)
	}
	var vs []string
	for _, v := range out.SchemaVersions {
		vs = append(vs, v.SchemaVersion)
	}
	return vs
}

func TestDiscoveryVersions(t *testing.T) {
	s, clk, ev := newService(t)
	// No discoverer: nothing is discovered.
	s.Observe(bus, event("Order Placed", `{"id":"1"}`))
	if _, err := s.CreateDiscoverer(call(clk), &CreateDiscovererInput{SourceArn: bus}); err != nil {
		t.Fatal(err)
	}
	const name = "shop@OrderPlaced"
	steps := []struct {
		detail string
		want   string // versions after the event
	}{
		{`{"id":"1"}`, "1"},
		{`{"id":"2"}`, "1"},                 // same shape
		{`{"id":"3","total":9}`, "1,2"},     // a new key, optional
		{`{"id":"4"}`, "1,2"},               // covered: total is optional since event 0
		{`{"id":"5","total":9.5}`, "1,2,3"}, // integer widens to number
		{`{"id":"6","total":1}`, "1,2,3"},   // covered by number
	}
	for i, st := range steps {
		clk.t = clk.t.Add(time.Minute)
		s.Observe(bus, event("Order Placed", st.detail))
		if got := strings.Join(versions(t, s, clk, name), ","); got != st.want {
			t.Fatalf("after event %d: versions %s, want %s", i, got, st.want)
		}
	}
	got := versions(t, s, clk, name)
	if strings.Join(got, ",") != "1,2,3" {
		t.Fatalf("versions %v, want 1..3", got)
	}
	d, err := s.DescribeSchema(call(clk), &SchemaInput{RegistryName: RegistryDiscovered, SchemaName: name})
	if err != nil {
		t.Fatal(err)
	}
	if d.SchemaVersion != "3" || d.Type != TypeOpenAPI3 || !strings.Contains(d.Content, `"OrderPlaced":{"type":"object","required":["id"],"properties":{"id":{"type":"string"},"total":{"type":"number","format":"double"}}}`) {
		t.Errorf("latest: %+v", d)
	}
	v1 := "1"
	d1, err := s.DescribeSchema(call(clk), &SchemaInput{RegistryName: RegistryDiscovered, SchemaName: name, SchemaVersion: &v1})
	if err != nil || !strings.Contains(d1.Content, `"OrderPlaced":{"type":"object","required":["id"],"properties":{"id":{"type":"string"}}}`) {
		t.Errorf("version 1: %+v %v", d1, err)
	}
	if len(*ev) != 3 || (*ev)[0].detailType != "Schema Created" || (*ev)[2].detailType != "Schema Version Created" ||
		(*ev)[2].detail != `{"SchemaName":"shop@OrderPlaced","SchemaType":"OpenApi3","RegistryName":"discovered-schemas","CreationDate":"2026-01-02T03:09:05Z","Version":"3"}` {
		t.Errorf("emitted %+v", *ev)
	}

	// A stopped discoverer discovers nothing; a started one again.
	id := "events-event-bus-default"
	if out, err := s.StopDiscoverer(call(clk), &DiscovererInput{id}); err != nil || out.State != "STOPPED" {
		t.Fatal(out, err)
	}
	s.Observe(bus, event("Order Shipped", `{"id":"1"}`))
	s.Observe(bus, []byte(`not json`))
	s.Observe(bus, []byte(`{"source":"x"}`))
	s.Observe("arn:aws:events:us-east-1:123456789012:event-bus/other", event("Order Shipped", `{"id":"1"}`))
	list, _ := s.ListSchemas(call(clk), &ListSchemasInput{RegistryName: RegistryDiscovered})
	if len(list.Schemas) != 1 || list.Schemas[0].VersionCount != 3 {
		t.Errorf("schemas while stopped: %+v", list.Schemas)
	}
	s.StartDiscoverer(call(clk), &DiscovererInput{id})
	s.Observe(bus, event("Order Shipped", `{"id":"1"}`))
	// Cross-account events are discovered only with CrossAccount.
	f := false
	s.UpdateDiscoverer(call(clk), &UpdateDiscovererInput{DiscovererId: id, CrossAccount: &f})
	s.Observe(bus, []byte(strings.Replace(string(event("Refund", `{}`)), "123456789012", "999999999999", 1)))
	list, _ = s.ListSchemas(call(clk), &ListSchemasInput{RegistryName: RegistryDiscovered})
	var names []string
	for _, sc := range list.Schemas {
		names = append(names, sc.SchemaName)
	}
	if strings.Join(names, ",") != "shop@OrderPlaced,shop@OrderShipped" {
		t.Errorf("schemas: %v", names)
	}
	// Export as Draft 4.
	ex, err := s.ExportSchema(call(clk), &ExportSchemaInput{RegistryName: RegistryDiscovered, SchemaName: "shop@OrderShipped", Type: TypeDraft4})
	if err != nil || !strings.HasPrefix(ex.Content, `{"$schema":"http://json-schema.org/draft-04/schema#","title":"OrderShipped","definitions":{"OrderShipped":`) {
		t.Errorf("export: %+v %v", ex, err)
	}
}

func code(err error) string {
	var e *awserr.Error
	if errors.As(err, &e) {
		return fmt.Sprintf("%s %d: %s", e.Code, e.Status, e.Message)
	}
	return fmt.Sprint(err)
}

func TestAPIErrors(t *testing.T) {
	s, clk, _ := newService(t)
	c := call(clk)
	str := func(s string) *string { return &s }
	content := `{"openapi":"3.0.0","info":{"version":"1.0.0","title":"Event"},"paths":{},"components":{"schemas":{"Event":{"type":"object","properties":{"a":{"type":"string"}}}}}}`
	if _, err := s.CreateRegistry(c, &CreateRegistryInput{RegistryName: "custom"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSchema(c, &CreateSchemaInput{RegistryName: "custom", SchemaName: "s", Type: TypeOpenAPI3, Content: content}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"registry exists", second(s.CreateRegistry(c, &CreateRegistryInput{RegistryName: "custom"})), "ConflictException 409: Registry with name custom already exists."},
		{"built-in registry exists", second(s.CreateRegistry(c, &CreateRegistryInput{RegistryName: "aws.events"})), "ConflictException 409: Registry with name aws.events already exists."},
		{"no registry", second(s.DescribeRegistry(c, &RegistryInput{"nope"})), "NotFoundException 404: Registry with name nope does not exist."},
		{"delete built-in", second(s.DeleteRegistry(c, &RegistryInput{"discovered-schemas"})), "ForbiddenException 403: Registry discovered-schemas is managed by AWS and cannot be deleted."},
		{"schema exists", second(s.CreateSchema(c, &CreateSchemaInput{RegistryName: "custom", SchemaName: "s", Type: TypeOpenAPI3, Content: content})), "ConflictException 409: Schema with name s already exists."},
		{"schema in missing registry", second(s.CreateSchema(c, &CreateSchemaInput{RegistryName: "nope", SchemaName: "s", Type: TypeOpenAPI3, Content: content})), "NotFoundException 404: Registry with name nope does not exist."},
		{"schema in aws.events", second(s.CreateSchema(c, &CreateSchemaInput{RegistryName: "aws.events", SchemaName: "s", Type: TypeOpenAPI3, Content: content})), "ForbiddenException 403: Registry aws.events is managed by AWS: its schemas cannot be changed."},
		{"bad content", second(s.CreateSchema(c, &CreateSchemaInput{RegistryName: "custom", SchemaName: "t", Type: TypeOpenAPI3, Content: `{`})), "BadRequestException 400: Invalid content: the schema content is not valid JSON."},
		{"no openapi member", second(s.CreateSchema(c, &CreateSchemaInput{RegistryName: "custom", SchemaName: "t", Type: TypeOpenAPI3, Content: `{}`})), "BadRequestException 400: Invalid content: an OpenApi3 schema needs an openapi member."},
		{"no schema", second(s.DescribeSchema(c, &SchemaInput{RegistryName: "custom", SchemaName: "nope"})), "NotFoundException 404: Schema with name nope does not exist."},
		{"no version", second(s.DescribeSchema(c, &SchemaInput{RegistryName: "custom", SchemaName: "s", SchemaVersion: str("7")})), "NotFoundException 404: Schema version 7 of schema s does not exist."},
		{"bad version", second(s.DescribeSchema(c, &SchemaInput{RegistryName: "custom", SchemaName: "s", SchemaVersion: str("x")})), "NotFoundException 404: Schema version x of schema s does not exist."},
		{"export type", second(s.ExportSchema(c, &ExportSchemaInput{RegistryName: "custom", SchemaName: "s", Type: TypeOpenAPI3})), "BadRequestException 400: Invalid type OpenApi3. Schemas can only be exported as JSONSchemaDraft4."},
		{"discoverer source", second(s.CreateDiscoverer(c, &CreateDiscovererInput{SourceArn: "arn:aws:sqs:us-east-1:123456789012:q"})), "BadRequestException 400: SourceArn arn:aws:sqs:us-east-1:123456789012:q is not the ARN of an event bus of this account and region."},
		{"discoverer other account", second(s.CreateDiscoverer(c, &CreateDiscovererInput{SourceArn: "arn:aws:events:us-east-1:999999999999:event-bus/default"})), "BadRequestException 400: SourceArn arn:aws:events:us-east-1:999999999999:event-bus/default is not the ARN of an event bus of this account and region."},
		{"no discoverer", second(s.DescribeDiscoverer(c, &DiscovererInput{"nope"})), "NotFoundException 404: Discoverer with id nope does not exist."},
		{"bad token", second(s.ListRegistries(c, &ListRegistriesInput{NextToken: str("zzz")})), "BadRequestException 400: Invalid NextToken"},
		{"bad event", second(s.GetDiscoveredSchema(c, &GetDiscoveredSchemaInput{Events: []string{"[1]"}, Type: TypeOpenAPI3})), "BadRequestException 400: Invalid event: each event must be a JSON object nested at most 255 levels deep."},
	} {
		if got := code(tc.err); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := s.CreateDiscoverer(c, &CreateDiscovererInput{SourceArn: bus}); err != nil {
		t.Fatal(err)
	}
	if got := code(second(s.CreateDiscoverer(c, &CreateDiscovererInput{SourceArn: bus}))); got != "ConflictException 409: Discoverer with id events-event-bus-default already exists." {
		t.Errorf("second discoverer: %s", got)
	}
}

func second[T any](_ T, err error) error { return err }

func TestCustomSchemaLifecycle(t *testing.T) {
	s, clk, _ := newService(t)
	c := call(clk)
	s.CreateRegistry(c, &CreateRegistryInput{RegistryName: "custom", Description: strp("mine")})
	a := `{"openapi":"3.0.0","info":{"version":"1.0.0","title":"Event"},"paths":{},"components":{"schemas":{"Event":{"type":"object","properties":{"a":{"type":"string"}}}}}}`
	b := strings.Replace(a, `"string"`, `"integer"`, 1)
	s.CreateSchema(c, &CreateSchemaInput{RegistryName: "custom", SchemaName: "s", Type: TypeOpenAPI3, Content: a})
	clk.t = clk.t.Add(time.Hour)
	u, err := s.UpdateSchema(c, &UpdateSchemaInput{RegistryName: "custom", SchemaName: "s", Content: &a, Description: strp("d")})
	if err != nil || u.SchemaVersion != "1" || u.Description != "d" {
		t.Fatalf("same content: %+v %v", u, err)
	}
	u, err = s.UpdateSchema(call(clk), &UpdateSchemaInput{RegistryName: "custom", SchemaName: "s", Content: &b})
	if err != nil || u.SchemaVersion != "2" || !u.VersionCreatedDate.Equal(clk.t) {
		t.Fatalf("new content: %+v %v", u, err)
	}
	ex, err := s.ExportSchema(c, &ExportSchemaInput{RegistryName: "custom", SchemaName: "s", Type: TypeDraft4})
	if err != nil || ex.Content != `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Event","properties":{"a":{"type":"integer"}},"type":"object"}` {
		t.Errorf("export: %+v %v", ex, err)
	}
	sr, _ := s.SearchSchemas(c, &SearchSchemasInput{RegistryName: "custom", Keywords: "S"})
	if b, _ := json.Marshal(sr); string(b) != `{"Schemas":[{"RegistryName":"custom","SchemaArn":"arn:aws:schemas:us-east-1:123456789012:schema/custom/s","SchemaName":"s","SchemaVersions":[{"CreatedDate":"2026-01-02T03:04:05Z","SchemaVersion":"1","Type":"OpenApi3"},{"CreatedDate":"2026-01-02T04:04:05Z","SchemaVersion":"2","Type":"OpenApi3"}]}]}` {
		t.Errorf("search: %s", b)
	}
	if _, err := s.DeleteRegistry(c, &RegistryInput{"custom"}); err != nil {
		t.Fatal(err)
	}
	s.CreateRegistry(c, &CreateRegistryInput{RegistryName: "custom"})
	if l, _ := s.ListSchemas(c, &ListSchemasInput{RegistryName: "custom"}); len(l.Schemas) != 0 {
		t.Errorf("schemas survived their registry: %+v", l.Schemas)
	}
	// Paging.
	for i := 0; i < 5; i++ {
		s.CreateRegistry(c, &CreateRegistryInput{RegistryName: fmt.Sprintf("r%d", i)})
	}
	lim := 3
	var all []string
	var tok *string
	for {
		out, err := s.ListRegistries(c, &ListRegistriesInput{Limit: &lim, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.Registries {
			all = append(all, r.RegistryName)
		}
		if tok = out.NextToken; tok == nil {
			break
		}
	}
	if strings.Join(all, ",") != "aws.events,custom,discovered-schemas,r0,r1,r2,r3,r4" {
		t.Errorf("registries: %v", all)
	}
	local := "LOCAL"
	out, _ := s.ListRegistries(c, &ListRegistriesInput{Scope: &local, RegistryNamePrefix: strp("d")})
	if len(out.Registries) != 1 || out.Registries[0].RegistryName != "discovered-schemas" {
		t.Errorf("scoped: %+v", out.Registries)
	}
}

func strp(s string) *string { return &s }
