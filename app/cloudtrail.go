package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/world"
)

// ConsoleUserAgent is the user agent of the calls the console's pages make, as
// CloudTrail records them.
const ConsoleUserAgent = "AWS Internal"

// TrailPageSize is how many events the event history page asks for at once.
const TrailPageSize = 50

// LookupAttributes are the lookup attributes of the event history filter, in
// the console's order, with its labels.
var LookupAttributes = []struct{ Key, Label string }{
	{"ReadOnly", "Read-only"},
	{"EventName", "Event name"},
	{"Username", "User name"},
	{"ResourceType", "Resource type"},
	{"ResourceName", "Resource name"},
	{"EventSource", "Event source"},
	{"EventId", "Event ID"},
	{"AccessKeyId", "AWS access key"},
}

// TrailRanges are the relative time ranges of the event history filter.
var TrailRanges = []struct {
	Key, Label string
	D          time.Duration
}{
	{"", "Any time (90 days)", 0},
	{"1h", "Last hour", time.Hour},
	{"3h", "Last 3 hours", 3 * time.Hour},
	{"12h", "Last 12 hours", 12 * time.Hour},
	{"1d", "Last day", 24 * time.Hour},
	{"1w", "Last week", 7 * 24 * time.Hour},
	{"custom", "Custom range (UTC)", 0},
}

// TrailView is the state of the CloudTrail event history page.
type TrailView struct {
	Attr, Value string // the lookup attribute (Attr "" for none) and its value
	Range       string // a key of TrailRanges
	From, To    string // a custom range, "2006-01-02T15:04" in UTC
	Events      []TrailEvent
	Next        string // NextToken of the next page, if any
	Open        map[string]bool
	Err         string
	Loaded      bool
}

// TrailEvent is one row of the event history.
type TrailEvent struct {
	ID, Name, Source, User, ReadOnly string
	Time                             time.Time
	Resources                        []struct{ ResourceType, ResourceName string }
	Record                           string // the CloudTrail record, indented
}

const customLayout = "2006-01-02T15:04"

// window returns the StartTime and EndTime of the filter at the virtual now.
func (v *TrailView) window(now time.Time) (start, end time.Time, err error) {
	if v.Range == "custom" {
		if v.From != "" {
			if start, err = time.Parse(customLayout, v.From); err != nil {
				return start, end, fmt.Errorf("the start of the range is not a date and time")
			}
		}
		if v.To != "" {
			if end, err = time.Parse(customLayout, v.To); err != nil {
				return start, end, fmt.Errorf("the end of the range is not a date and time")
			}
		}
		return start, end, nil
	}
	for _, r := range TrailRanges {
		if r.Key == v.Range && r.D > 0 {
			return now.Add(-r.D), time.Time{}, nil
		}
	}
	return start, end, nil
}

// LookupEvents loads the event history through the API (LookupEvents), as the
// console does: the first page of the filter, or the next page when more.
func (s *Session) LookupEvents(more bool) {
	v := &s.Trail
	w := s.World()
	if w == nil {
		return
	}
	v.Loaded, v.Err = true, ""
	if !more {
		v.Events, v.Next, v.Open = nil, "", nil
	}
	req := map[string]any{"MaxResults": TrailPageSize}
	if v.Attr != "" {
		req["LookupAttributes"] = []map[string]string{{"AttributeKey": v.Attr, "AttributeValue": v.Value}}
	}
	start, end, err := v.window(w.Now())
	if err != nil {
		v.Err = err.Error()
		return
	}
	if !start.IsZero() {
		req["StartTime"] = start.Unix()
	}
	if !end.IsZero() {
		req["EndTime"] = end.Unix()
	}
	if more {
		req["NextToken"] = v.Next
	}
	in, _ := json.Marshal(req)
	resp, err := w.Invoke(world.Request{Service: "cloudtrail", Operation: "LookupEvents", Input: in, UserAgent: ConsoleUserAgent})
	s.Save()
	if err != nil {
		var e *awserr.Error
		if errors.As(err, &e) {
			v.Err = e.Code + ": " + e.Message
		} else {
			v.Err = err.Error()
		}
		return
	}
	var out struct {
		Events []struct {
			EventId, EventName, ReadOnly, EventSource, Username, CloudTrailEvent string
			EventTime                                                            time.Time
			Resources                                                            []struct{ ResourceType, ResourceName string }
		}
		NextToken string
	}
	b, _ := json.Marshal(resp)
	if err := json.Unmarshal(b, &out); err != nil && resp != nil {
		v.Err = "the response could not be read: " + err.Error()
		return
	}
	for _, e := range out.Events {
		rec := e.CloudTrailEvent
		var buf bytes.Buffer
		if json.Indent(&buf, []byte(rec), "", "  ") == nil {
			rec = buf.String()
		}
		v.Events = append(v.Events, TrailEvent{
			ID: e.EventId, Name: e.EventName, Source: e.EventSource, User: e.Username, ReadOnly: e.ReadOnly,
			Time: e.EventTime, Resources: e.Resources, Record: rec,
		})
	}
	v.Next = out.NextToken
}

// ToggleEvent expands or folds the record of an event.
func (v *TrailView) ToggleEvent(id string) {
	if v.Open == nil {
		v.Open = map[string]bool{}
	}
	v.Open[id] = !v.Open[id]
}

func trailBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Trail
	return app.Div().Class("tt-trail").Body(
		app.P().Class("tt-muted").Text("Management events of the last 90 days, newest first. "+
			"Filter by one lookup attribute and a time range."),
		trailFilter(s, v),
		when(v.Err != "", func() app.UI {
			return app.P().Class("tt-note tt-error").ID("tt-trail-error").Text(v.Err)
		}),
		app.Div().Class("tt-table-wrap").Body(
			app.Table().Class("tt-table").ID("tt-trail-table").Body(
				app.THead().Body(app.Tr().Body(
					app.Th().Text("Event name"), app.Th().Text("Event time"), app.Th().Text("User name"),
					app.Th().Text("Event source"), app.Th().Text("Resource type"), app.Th().Text("Resource name"),
				)),
				app.TBody().Body(trailRows(s, v)...),
			),
		),
		when(v.Loaded && len(v.Events) == 0 && v.Err == "", func() app.UI {
			return app.P().Class("tt-muted").ID("tt-trail-empty").Text("No events match the filter.")
		}),
		when(v.Next != "", func() app.UI {
			return button("Load more", "tt-trail-more", func(ctx app.Context, e app.Event) { s.LookupEvents(true) })
		}),
	)
}

func trailFilter(s *Session, v *TrailView) app.UI {
	apply := func(ctx app.Context, e app.Event) { s.LookupEvents(false) }
	var value app.UI
	if v.Attr == "ReadOnly" {
		if v.Value != "true" && v.Value != "false" {
			v.Value = "false"
		}
		value = app.Select().ID("tt-trail-value").Aria("label", "Value").Body(
			app.Option().Value("false").Selected(v.Value == "false").Text("false"),
			app.Option().Value("true").Selected(v.Value == "true").Text("true"),
		).OnChange(func(ctx app.Context, e app.Event) { v.Value = ctx.JSSrc().Get("value").String() })
	} else {
		value = app.Input().Type("text").ID("tt-trail-value").Aria("label", "Value").
			Placeholder("Enter a value").Value(v.Value).Disabled(v.Attr == "").
			Attr("spellcheck", "false").Attr("autocapitalize", "off").
			OnChange(func(ctx app.Context, e app.Event) { v.Value = ctx.JSSrc().Get("value").String() }).
			OnKeyDown(func(ctx app.Context, e app.Event) {
				if e.Get("key").String() == "Enter" {
					v.Value = ctx.JSSrc().Get("value").String()
					s.LookupEvents(false)
				}
			})
	}
	return app.Div().Class("tt-filter").Body(
		field("Lookup attribute", app.Select().ID("tt-trail-attr").Body(
			app.Option().Value("").Selected(v.Attr == "").Text("All events"),
			app.Range(LookupAttributes).Slice(func(i int) app.UI {
				a := LookupAttributes[i]
				return app.Option().Value(a.Key).Selected(v.Attr == a.Key).Text(a.Label)
			}),
		).OnChange(func(ctx app.Context, e app.Event) {
			v.Attr = ctx.JSSrc().Get("value").String()
			if v.Attr == "" {
				v.Value = ""
			}
		})),
		field("Value", value),
		field("Time range", app.Select().ID("tt-trail-range").Body(
			app.Range(TrailRanges).Slice(func(i int) app.UI {
				r := TrailRanges[i]
				return app.Option().Value(r.Key).Selected(v.Range == r.Key).Text(r.Label)
			}),
		).OnChange(func(ctx app.Context, e app.Event) { v.Range = ctx.JSSrc().Get("value").String() })),
		when(v.Range == "custom", func() app.UI {
			return app.Div().Class("tt-row").Body(
				field("From", app.Input().Type("datetime-local").ID("tt-trail-from").Value(v.From).
					OnChange(func(ctx app.Context, e app.Event) { v.From = ctx.JSSrc().Get("value").String() })),
				field("To", app.Input().Type("datetime-local").ID("tt-trail-to").Value(v.To).
					OnChange(func(ctx app.Context, e app.Event) { v.To = ctx.JSSrc().Get("value").String() })),
			)
		}),
		app.Div().Class("tt-row tt-filter-actions").Body(
			button("Apply", "tt-trail-apply", apply).Class("tt-btn tt-btn-primary"),
			button("Clear filter", "tt-trail-clear", func(ctx app.Context, e app.Event) {
				s.Trail = TrailView{}
				s.LookupEvents(false)
			}),
			button("Refresh", "tt-trail-refresh", apply).Title("Look the events up again"),
		),
	)
}

func trailRows(s *Session, v *TrailView) []app.UI {
	var rows []app.UI
	for _, e := range v.Events {
		e := e
		var types, names []string
		for _, r := range e.Resources {
			types, names = append(types, r.ResourceType), append(names, r.ResourceName)
		}
		open := v.Open[e.ID]
		rows = append(rows, app.Tr().Class("tt-trail-row").DataSet("event-id", e.ID).Body(
			app.Td().Body(app.Button().Type("button").Class("tt-link tt-trail-name").
				Aria("expanded", open).Title("Show the event record").
				Text(map[bool]string{false: "▸ ", true: "▾ "}[open]+e.Name).
				OnClick(func(ctx app.Context, ev app.Event) { v.ToggleEvent(e.ID) })),
			app.Td().Class("tt-nowrap").Text(FormatTime(e.Time)),
			app.Td().Text(e.User),
			app.Td().Text(e.Source),
			app.Td().Text(orDash(strings.Join(types, ", "))),
			app.Td().Text(orDash(strings.Join(names, ", "))),
		))
		if open {
			rows = append(rows, app.Tr().Class("tt-trail-detail").Body(
				app.Td().ColSpan(6).Body(
					app.Div().Class("tt-row").Body(
						app.Span().Class("tt-muted").Text("Event record · "+e.ID),
						app.Button().Type("button").Class("tt-link").Text("copy").
							OnClick(func(ctx app.Context, ev app.Event) { s.copyText(e.Record) }),
					),
					app.Pre().Class("tt-code tt-record").Text(e.Record),
				),
			))
		}
	}
	return rows
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
