package app

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"github.com/telltale-dev/telltale/core/insights"
)

// insightsBody is the Logs Insights page: log groups and time range, a
// sample query picker, the query editor with MalformedQueryException as it
// is typed, the results table with a chart for stats by bin(), and the
// saved queries.
func insightsBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Insights
	v.init()
	var groups []app.UI
	for _, g := range v.Groups {
		g := g
		groups = append(groups, app.Div().Class("tt-ins-group").DataSet("group", g).Body(
			checkField(g, "tt-ins-group-"+g, v.Picked[g], func(on bool) { s.PickGroup(g, on) })))
	}
	if len(groups) == 0 {
		groups = append(groups, app.P().Class("tt-muted").Text("No log groups yet: create one on the Log groups page or put events from the terminal."))
	}
	samples := append([]Option{{"", "Sample queries…"}}, SampleQueries...)
	return app.Div().Class("tt-insights").Body(
		noticeLine("tt-insights-notice", &v.Notice),
		card("tt-ins-editor", "Query",
			app.Div().Class("tt-ins-groups").ID("tt-ins-groups").Aria("label", "Log groups").Body(groups...),
			rangeBar("tt-ins-range", InsightsRanges, v.Range, func(l string, d time.Duration) { v.Range = l }),
			selectField("Sample queries", "tt-ins-sample", samples, "", func(q string) {
				if q != "" {
					s.UseSample(q)
				}
			}),
			textArea("Query", "tt-ins-query", &v.Query, 5, s.SetInsightsQuery),
			highlighted(v.Query.Value),
			when(v.QueryErr != "", func() app.UI {
				return app.P().Class("tt-invalid").ID("tt-ins-query-error").Body(app.Pre().Text(v.QueryErr))
			}),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Run query", "tt-ins-run", func(ctx app.Context, e app.Event) { s.RunQuery() }).Class("tt-btn tt-btn-primary"),
				textField("Save as", "tt-ins-save-name", v.SaveName, "errors/per-minute", func(x string) { v.SaveName = x }),
				button("Save", "tt-ins-save", func(ctx app.Context, e app.Event) { s.SaveQuery() }),
				textField("Dashboard", "tt-ins-dash-name", v.DashName, "my-dashboard", func(x string) { v.DashName = x }),
				button("Add to dashboard", "tt-ins-dash-add", func(ctx app.Context, e app.Event) { s.AddToDashboard() }),
			),
		),
		when(v.Chart != nil, func() app.UI { return card("tt-ins-chart-card", "Visualization", chartView(v.Chart)) }),
		when(v.QueryID != "", func() app.UI { return insightsResults(v) }),
		card("tt-ins-saved-card", "Saved queries", savedQueries(s, v)),
	)
}

func insightsResults(v *InsightsView) app.UI {
	var rows []app.UI
	for _, r := range v.Rows {
		m := map[string]string{}
		for _, f := range r {
			m[f.Field] = f.Value
		}
		var cells []app.UI
		for _, f := range v.Fields {
			cells = append(cells, app.Td().Class("tt-ins-cell").DataSet("field", f).Text(m[f]))
		}
		rows = append(rows, app.Tr().Class("tt-ins-row").Body(cells...))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(max(1, len(v.Fields)), "No results in this time range."))
	}
	return card("tt-ins-results-card", "Logs ("+strconv.Itoa(len(v.Rows))+")",
		app.P().Class("tt-muted").ID("tt-ins-stats").Text("Status "+v.Status+" · "+
			strconv.FormatFloat(v.Stats.RecordsMatched, 'f', -1, 64)+" records matched · "+
			strconv.FormatFloat(v.Stats.RecordsScanned, 'f', -1, 64)+" records scanned · "+
			strconv.FormatFloat(v.Stats.BytesScanned, 'f', -1, 64)+" bytes scanned"),
		table("tt-ins-results", v.Fields, rows),
	)
}

func savedQueries(s *Session, v *InsightsView) app.UI {
	var rows []app.UI
	for _, q := range v.Saved {
		q := q
		rows = append(rows, app.Tr().Class("tt-ins-saved-row").DataSet("name", q.Name).Body(
			app.Td().Body(app.Button().Type("button").Class("tt-link tt-row-name").Text(q.Name).
				OnClick(func(ctx app.Context, e app.Event) { s.OpenSaved(q.ID) }, q.ID)),
			app.Td().Body(app.Code().Text(q.QueryString)),
			app.Td().Body(small("Delete", "tt-ins-saved-delete-"+q.ID, func(ctx app.Context, e app.Event) { s.DeleteSaved(q.ID) })),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(3, "No saved queries."))
	}
	return table("tt-ins-saved", []string{"Name", "Query", ""}, rows)
}

// tokenColors are the colors of highlighted query tokens.
var tokenColors = map[string]string{
	"command": "#8250df", "keyword": "#0550ae", "function": "#953800", "field": "#116329",
	"string": "#a40e26", "regex": "#bc4c00", "number": "#0a3069", "comment": "#6e7781", "error": "#cf222e",
}

// highlighted shows the query with its syntax highlighted (a preview
// under the editor; core/insights' Tokens).
func highlighted(q string) app.UI {
	if q == "" {
		return nil
	}
	var parts []app.UI
	at := 0
	for _, t := range insights.Tokens(q) {
		if t.Start > at {
			parts = append(parts, app.Text(q[at:t.Start]))
		}
		sp := app.Span().Class("tt-tok-"+t.Kind).Style("color", tokenColors[t.Kind]).Text(q[t.Start:t.End])
		switch t.Kind {
		case "command":
			sp = sp.Style("font-weight", "600")
		case "comment":
			sp = sp.Style("font-style", "italic")
		case "error":
			sp = sp.Style("text-decoration", "underline wavy")
		}
		parts = append(parts, sp)
		at = t.End
	}
	if at < len(q) {
		parts = append(parts, app.Text(q[at:]))
	}
	return app.Pre().Class("tt-ins-highlight").ID("tt-ins-highlight").Aria("label", "Query, highlighted").
		Style("white-space", "pre-wrap").Style("margin", "0.25rem 0").Body(parts...)
}
