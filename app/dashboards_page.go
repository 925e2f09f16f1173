package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// dashboardsBody is the CloudWatch Dashboards page: the dashboards, one
// rendered (metric, text, alarm and single value widgets), its body in an
// editor.
func dashboardsBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Dashboards
	if w := s.World(); w != nil && v.Open != "" && !v.Edit && v.stale(w.Now()) && s.mayRefresh(&v.lastRefresh) {
		s.DashboardsLoad()
	}
	var rows []app.UI
	for _, d := range v.List {
		d := d
		open := d.DashboardName == v.Open
		rows = append(rows, app.Tr().Class("tt-dash-row").DataSet("dashboard", d.DashboardName).Body(
			app.Td().Body(toggleName(d.DashboardName, open, func(ctx app.Context, e app.Event) { s.OpenDashboard(d.DashboardName) })),
			app.Td().Class("tt-nowrap tt-mono").Text(FormatTime(d.LastModified)),
			app.Td().Class("tt-num").Text(fmt.Sprint(d.Size)),
			app.Td().Body(app.Button().Type("button").Class("tt-btn tt-btn-small").Text("Delete").
				OnClick(func(ctx app.Context, e app.Event) { s.DeleteDashboard(d.DashboardName) }, d.DashboardName)),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(4, "No dashboards yet."))
	}
	return app.Div().Class("tt-cw").Body(
		noticeLine("tt-dash-notice", &v.Notice),
		app.Div().Class("tt-filter").Body(
			textField("New dashboard name", "tt-dash-name", v.NewName, "my-dashboard", func(x string) { v.NewName = x }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create dashboard", "tt-dash-create", func(ctx app.Context, e app.Event) { s.CreateDashboard() }).Class("tt-btn tt-btn-primary"),
				button("Refresh", "tt-dash-refresh", func(ctx app.Context, e app.Event) { s.DashboardsLoad() }),
			),
		),
		table("tt-dash-table", []string{"Name", "Last modified", "Size", ""}, rows),
		when(v.Open != "", func() app.UI { return dashboardView(s, v) }),
	)
}

func dashboardView(s *Session, v *DashboardsView) app.UI {
	var warn []app.UI
	for _, w := range v.Warnings {
		warn = append(warn, app.Li().Text(w))
	}
	editLabel := "Edit the body"
	if v.Edit {
		editLabel = "Close the editor"
	}
	return card("tt-dash-panel", "Dashboard "+v.Open,
		app.Div().Class("tt-form-row").Body(
			field("Time range", rangeBar("tt-dash-range", TimeRanges, v.Window.Range, func(l string, d time.Duration) { s.SetDashboardWindow(l, d) })),
			button(editLabel, "tt-dash-edit", func(ctx app.Context, e app.Event) {
				v.Edit = !v.Edit
				if !v.Edit {
					s.DashboardsLoad()
				}
			}),
		),
		when(v.Edit, func() app.UI {
			return app.Div().Class("tt-editor").Body(
				textArea("Dashboard body (JSON)", "tt-dash-body", &v.Body, 14, nil),
				app.Div().Class("tt-row").Body(
					button("Save", "tt-dash-save", func(ctx app.Context, e app.Event) { s.SaveDashboard() }).Class("tt-btn tt-btn-primary"),
				),
			)
		}),
		when(len(warn) > 0, func() app.UI {
			return app.Ul().Class("tt-list tt-dash-warnings").ID("tt-dash-warnings").Body(warn...)
		}),
		when(v.BodyErr != "", func() app.UI { return app.Div().Class("tt-invalid").Body(app.Pre().Text(v.BodyErr)) }),
		when(v.BodyErr == "" && len(v.Widgets) == 0, func() app.UI {
			return app.P().Class("tt-muted").Text("This dashboard has no widgets.")
		}),
		app.Div().Class("tt-dash-grid").ID("tt-dash-grid").Body(dashWidgets(v)...),
	)
}

func dashWidgets(v *DashboardsView) []app.UI {
	var out []app.UI
	for i := range v.Widgets {
		wd := &v.Widgets[i]
		var body app.UI
		switch {
		case wd.Err != "":
			body = app.Div().Class("tt-invalid").Body(app.Pre().Text(wd.Err))
		case wd.Type == "text":
			body = markdownView(wd.Markdown)
		case wd.Type == "alarm":
			body = alarmList(v, wd.Alarms)
		case wd.Type == "metric" && wd.View == "singleValue":
			body = singleValues(wd)
		case wd.Type == "metric" && wd.Chart != nil:
			body = app.Div().Body(
				chartView(wd.Chart),
				when(len(wd.Alarms) > 0, func() app.UI { return alarmList(v, wd.Alarms) }),
			)
		default:
			body = app.P().Class("tt-muted").Text("The " + wd.Type + " widget is not drawn here.")
		}
		out = append(out, app.Div().Class("tt-dash-widget").DataSet("type", wd.Type).DataSet("view", wd.View).
			Style("grid-column", fmt.Sprintf("%d / span %d", wd.X+1, wd.Width)).
			Body(
				when(wd.Title != "", func() app.UI { return app.H3().Text(wd.Title) }),
				body,
			))
	}
	return out
}

// singleValues shows the newest value of each series.
func singleValues(wd *DashWidget) app.UI {
	var items []app.UI
	for _, r := range wd.Results {
		r := r
		val, at, ok := lastValue(r)
		text, when := "—", "no data"
		if ok {
			text, when = FormatValue(val), FormatTime(at)
		}
		items = append(items, app.Div().Class("tt-dash-single").Body(
			app.Div().Class("tt-muted").Text(r.Label),
			app.Div().Class("tt-dash-value").Text(text),
			app.Div().Class("tt-muted tt-mono").Style("font-size", "12px").Text(when),
		))
	}
	return app.Div().Class("tt-row").Body(items...)
}

func alarmList(v *DashboardsView, names []string) app.UI {
	var items []app.UI
	for _, n := range names {
		st, ok := v.States[n]
		state := app.UI(app.Span().Class("tt-muted").Text("no such alarm"))
		if ok {
			state = stateBadge(st)
		}
		items = append(items, app.Li().Class("tt-dash-alarm").DataSet("alarm", n).Body(state, app.Text(" "+n)))
	}
	return app.Ul().Class("tt-list").Body(items...)
}

// markdownView shows markdown as plain text with headings and list items:
// enough to read a dashboard's notes (links show their text).
func markdownView(md string) app.UI {
	var out []app.UI
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimSpace(line)
		t = stripLinks(t)
		switch {
		case t == "":
			continue
		case strings.HasPrefix(t, "#"):
			out = append(out, app.H4().Style("margin", "4px 0").Text(strings.TrimSpace(strings.TrimLeft(t, "#"))))
		case strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "- "):
			out = append(out, app.Div().Text("• "+strings.TrimSpace(t[2:])))
		default:
			out = append(out, app.P().Style("margin", "2px 0").Text(strings.NewReplacer("**", "", "__", "", "`", "").Replace(t)))
		}
	}
	return app.Div().Class("tt-dash-text").Body(out...)
}

// stripLinks turns [text](url) into text.
func stripLinks(s string) string {
	for {
		i := strings.Index(s, "](")
		if i < 0 {
			return s
		}
		open := strings.LastIndex(s[:i], "[")
		end := strings.Index(s[i:], ")")
		if open < 0 || end < 0 {
			return s
		}
		s = s[:open] + s[open+1:i] + s[i+end+1:]
	}
}
