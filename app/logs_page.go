package app

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"github.com/telltale-dev/telltale/core/logs"
)

// logsBody is the Log groups page: groups with their retention, and the open
// group's events (with the filter box and the live tail), streams and metric
// filters.
func logsBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Logs
	var rows []app.UI
	for _, g := range v.Groups {
		g := g
		open := g.LogGroupName == v.Group
		rows = append(rows, app.Tr().Class("tt-group-row").DataSet("group", g.LogGroupName).Body(
			app.Td().Body(toggleName(g.LogGroupName, open, func(ctx app.Context, e app.Event) { s.OpenLogGroup(g.LogGroupName) })),
			app.Td().Body(app.Select().Class("tt-retention").Aria("label", "Retention of "+g.LogGroupName).Body(
				app.Range(retentionOptions()).Slice(func(i int) app.UI {
					o := retentionOptions()[i]
					return app.Option().Value(o.Value).Selected(o.Value == retentionValue(g.RetentionInDays)).Text(o.Label)
				}),
			).OnChange(func(ctx app.Context, e app.Event) { s.SetRetention(g.LogGroupName, ctx.JSSrc().Get("value").String()) }, g.LogGroupName)),
			app.Td().Class("tt-num").Text(strconv.Itoa(g.MetricFilterCount)),
			app.Td().Class("tt-num").Text(strconv.FormatInt(g.StoredBytes, 10)),
			app.Td().Class("tt-nowrap").Text(FormatTime(time.UnixMilli(g.CreationTime))),
			app.Td().Body(small("Delete", "tt-group-delete-"+g.LogGroupName, func(ctx app.Context, e app.Event) { s.DeleteLogGroup(g.LogGroupName) })),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(6, "No log groups yet. Lambda functions create /aws/lambda/NAME when they run."))
	}
	return app.Div().Class("tt-logs").Body(
		noticeLine("tt-logs-notice", &v.Notice),
		app.Div().Class("tt-filter").Body(
			textField("New log group name", "tt-group-name", v.NewGroup, "/app/web", func(x string) { v.NewGroup = x }),
			selectField("Retention", "tt-group-retention", retentionOptions(), v.NewRetention, func(x string) { v.NewRetention = x }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create log group", "tt-group-create", func(ctx app.Context, e app.Event) { s.CreateLogGroup() }).Class("tt-btn tt-btn-primary"),
				button("Refresh", "tt-logs-refresh", func(ctx app.Context, e app.Event) { s.LogsLoad() }),
			),
		),
		table("tt-groups-table", []string{"Log group", "Retention", "Metric filters", "Stored bytes", "Created", ""}, rows),
		when(v.Group != "", func() app.UI { return card("tt-group-panel", "Log group "+v.Group, groupDetail(s, v)) }),
	)
}

func retentionValue(days int) string {
	if days == 0 {
		return ""
	}
	return strconv.Itoa(days)
}

func retentionOptions() []Option {
	out := []Option{{"", "Never expire"}}
	for _, d := range logs.RetentionDays {
		label := strconv.Itoa(d) + " days"
		if d == 1 {
			label = "1 day"
		}
		out = append(out, Option{strconv.Itoa(d), label})
	}
	return out
}

func groupDetail(s *Session, v *LogsView) app.UI {
	var body app.UI
	switch v.Tab {
	case LogsTabStreams:
		body = streamsTab(s, v)
	case LogsTabMetrics:
		body = metricFiltersTab(s, v)
	case LogsTabSubs:
		body = subscriptionsTab(s, v)
	case LogsTabExports:
		body = exportsTab(s, v)
	default:
		body = eventsViewer(s, v)
	}
	return app.Div().Class("tt-group-detail").Body(
		tabStrip("tt-logs-tab-", LogsTabs, v.Tab, s.LogsTab),
		body,
	)
}

func streamOptions(v *LogsView, all string) []Option {
	var out []Option
	if all != "" {
		out = append(out, Option{"", all})
	}
	for _, st := range v.Streams {
		out = append(out, Option{st.LogStreamName, st.LogStreamName})
	}
	return out
}

func streamsTab(s *Session, v *LogsView) app.UI {
	var rows []app.UI
	for _, st := range v.Streams {
		st := st
		rows = append(rows, app.Tr().Class("tt-stream-row").DataSet("stream", st.LogStreamName).Body(
			app.Td().Body(app.Button().Type("button").Class("tt-link tt-row-name").Text(st.LogStreamName).
				OnClick(func(ctx app.Context, e app.Event) { s.ViewStream(st.LogStreamName) }, st.LogStreamName)),
			app.Td().Class("tt-nowrap").Text(msTime(st.LastEventTimestamp)),
			app.Td().Class("tt-nowrap").Text(msTime(st.FirstEventTimestamp)),
			app.Td().Class("tt-nowrap").Text(msTime(st.CreationTime)),
			app.Td().Body(small("Delete", "tt-stream-delete-"+st.LogStreamName, func(ctx app.Context, e app.Event) { s.DeleteLogStream(st.LogStreamName) })),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(5, "No log streams."))
	}
	return app.Div().Body(
		app.Div().Class("tt-filter").Body(
			textField("New log stream name", "tt-stream-name", v.NewStream, "web-1", func(x string) { v.NewStream = x }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create log stream", "tt-stream-create", func(ctx app.Context, e app.Event) { s.CreateLogStream() }).Class("tt-btn tt-btn-primary"),
			),
			selectField("Order by", "tt-stream-order", []Option{{"LogStreamName", "Name"}, {"LastEventTime", "Last event time (newest first)"}},
				v.OrderBy, func(x string) { s.SetStreamOrder(x) }),
		),
		table("tt-streams-table", []string{"Log stream", "Last event", "First event", "Created", ""}, rows),
	)
}

func msTime(ms int64) string {
	if ms == 0 {
		return "-"
	}
	return FormatTime(time.UnixMilli(ms))
}

// patternInput is a one-line input over a TextBox: what is typed goes to
// onInput and is never written back; Enter runs onEnter.
func patternInput(label, id string, b *TextBox, placeholder string, onInput func(string), onEnter func()) app.UI {
	syncTextArea(id, b)
	return field(label, app.Input().Type("text").ID(id).Class("tt-pattern-input").Value(b.shown).Placeholder(placeholder).
		Attr("spellcheck", "false").Attr("autocapitalize", "off").Attr("autocomplete", "off").
		OnInput(func(ctx app.Context, e app.Event) { onInput(ctx.JSSrc().Get("value").String()) }, id).
		OnKeyDown(func(ctx app.Context, e app.Event) {
			if e.Get("key").String() == "Enter" && onEnter != nil {
				onInput(ctx.JSSrc().Get("value").String())
				onEnter()
			}
		}, id))
}

func patternStatus(id, problem string) app.UI {
	if problem == "" {
		return nil
	}
	return app.Div().Class("tt-invalid").ID(id).Aria("live", "polite").Body(app.Pre().Text(problem))
}

var rangeOptions = func() []Option {
	var out []Option
	for _, r := range LogRanges {
		out = append(out, Option{r.Key, r.Label})
	}
	return out
}()

func eventsViewer(s *Session, v *LogsView) app.UI {
	var items []app.UI
	for _, e := range v.Events {
		e := e
		cls := "tt-log-event"
		if e.New {
			cls += " tt-log-new"
		}
		items = append(items, app.Li().Class(cls).DataSet("id", e.ID).Body(
			app.Div().Class("tt-log-meta").Body(
				app.Time().Class("tt-nowrap").Text(FormatTime(e.Timestamp)),
				app.Span().Class("tt-muted").Text(e.Stream),
			),
			messageParts(e.Parts),
			when(len(e.Extracted) > 0, func() app.UI { return extracted(e.Extracted) }),
		))
	}
	var result app.UI
	switch {
	case !v.Searched:
	case len(items) == 0 && v.PatternErr == "":
		result = app.P().Class("tt-muted").ID("tt-log-none").Text("No events match.")
	case len(items) > 0:
		result = app.Ul().Class("tt-list tt-log-events").ID("tt-log-events").Body(items...)
	}
	return app.Div().Body(
		app.Div().Class("tt-form-row tt-log-filter").Body(
			selectField("Log stream", "tt-log-stream", streamOptions(v, "All streams"), v.Stream, func(x string) { s.ViewStream(x) }),
			selectField("Time range", "tt-log-range", rangeOptions, v.Range, func(x string) { v.Range = x; s.SearchLogs() }),
		),
		app.Div().Class("tt-form-row tt-grow").Body(
			patternInput("Filter pattern", "tt-log-pattern", &v.Pattern, `ERROR -DEBUG   { $.level = "ERROR" }   [ip, user, status = 5*]`,
				v.SetLogPattern, s.SearchLogs),
		),
		patternStatus("tt-log-pattern-error", v.PatternErr),
		app.Div().Class("tt-row").Body(
			button("Search", "tt-log-search", func(ctx app.Context, e app.Event) { s.SearchLogs() }).Class("tt-btn tt-btn-primary"),
			checkField("Live tail (follows new events as the clock moves)", "tt-log-live", v.Live, func(b bool) { s.SetLive(b) }),
			button("Create metric filter from pattern", "tt-log-to-mf", func(ctx app.Context, e app.Event) { s.NewMetricFilter() }),
		),
		when(v.Truncated, func() app.UI {
			return app.P().Class("tt-muted tt-hint").Text("Showing the newest " + strconv.Itoa(MaxLogRows) + " matching events.")
		}),
		result,
		app.Div().Class("tt-subform").ID("tt-put-form").Body(
			app.H3().Text("Put log events"),
			app.P().Class("tt-muted tt-hint").Text("PutLogEvents: one event a line, stamped with the virtual time. "+
				`Try JSON lines such as {"level": "ERROR", "msg": "disk full"}.`),
			app.Div().Class("tt-form-row").Body(
				when(len(v.Streams) > 0, func() app.UI {
					return selectField("Into log stream", "tt-put-stream", streamOptions(v, ""), v.PutStream, func(x string) { v.PutStream = x })
				}),
				when(len(v.Streams) == 0, func() app.UI {
					return textField("Into log stream", "tt-put-stream-name", v.PutStream, "create it on the Log streams tab",
						func(x string) { v.PutStream = x })
				}),
			),
			app.Div().Class("tt-editor").Body(textArea("Messages", "tt-put-messages", &v.PutMessages, 4, nil)),
			button("Put events", "tt-put-send", func(ctx app.Context, e app.Event) { s.PutLogEvents() }).Class("tt-btn tt-btn-primary"),
		),
	)
}

// messageParts is a message with its matched parts marked.
func messageParts(parts []TextPart) app.UI {
	return app.Pre().Class("tt-log-message").Body(
		app.Range(parts).Slice(func(i int) app.UI {
			if parts[i].Mark {
				return app.Mark().Class("tt-hl").Text(parts[i].Text)
			}
			return app.Span().Text(parts[i].Text)
		}),
	)
}

func extracted(kv []KeyValue) app.UI {
	return app.Div().Class("tt-extracted").Body(
		app.Range(kv).Slice(func(i int) app.UI {
			return app.Span().Class("tt-chip tt-kv").DataSet("key", kv[i].Key).Body(
				app.Span().Class("tt-kv-key").Text(kv[i].Key),
				app.Span().Class("tt-kv-value").Text(kv[i].Value),
			)
		}),
	)
}

func metricFiltersTab(s *Session, v *LogsView) app.UI {
	var rows []app.UI
	for _, f := range v.Filters {
		f := f
		t := logs.MetricTransformation{}
		if len(f.MetricTransformations) > 0 {
			t = f.MetricTransformations[0]
		}
		dflt := "-"
		if t.DefaultValue != nil {
			dflt = strconv.FormatFloat(*t.DefaultValue, 'g', -1, 64)
		}
		dims := ""
		for _, k := range slices.Sorted(maps.Keys(t.Dimensions)) {
			if dims != "" {
				dims += ", "
			}
			dims += k + "=" + t.Dimensions[k]
		}
		rows = append(rows, app.Tr().Class("tt-mf-row").DataSet("filter", f.FilterName).Body(
			app.Td().Text(f.FilterName),
			app.Td().Class("tt-mono tt-wrap").Text(f.FilterPattern),
			app.Td().Class("tt-mono").Text(t.MetricNamespace+" / "+t.MetricName),
			app.Td().Class("tt-mono").Text(t.MetricValue),
			app.Td().Text(dflt),
			app.Td().Class("tt-mono tt-wrap").Text(orDash(dims)),
			app.Td().Text(orDash(t.Unit)),
			app.Td().Body(small("Delete", "tt-mf-delete-"+f.FilterName, func(ctx app.Context, e app.Event) { s.DeleteMetricFilter(f.FilterName) })),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(8, "No metric filters."))
	}
	return app.Div().Body(
		app.P().Class("tt-muted tt-hint").Text("A metric filter publishes a CloudWatch metric for every matching event ingested after it exists (it is not retroactive). "+
			"Alarms on the metric then follow the logs."),
		table("tt-mf-table", []string{"Name", "Pattern", "Metric", "Value", "Default", "Dimensions", "Unit", ""}, rows),
		when(!v.MF.Open, func() app.UI {
			return app.Div().Class("tt-row").Body(
				button("Create metric filter", "tt-mf-new", func(ctx app.Context, e app.Event) { s.NewMetricFilter() }).Class("tt-btn tt-btn-primary"))
		}),
		when(v.MF.Open, func() app.UI { return metricFilterWizard(s, v) }),
	)
}

func unitOptions() []Option {
	out := []Option{}
	for _, u := range MetricUnits {
		label := u
		if u == "" {
			label = "(none)"
		}
		out = append(out, Option{u, label})
	}
	return out
}

func metricFilterWizard(s *Session, v *LogsView) app.UI {
	f := &v.MF
	var test app.UI
	switch {
	case !f.Tested && f.TestErr == "":
	case f.TestErr != "":
		test = app.Div().Class("tt-result tt-result-error").ID("tt-mf-test-result").Body(app.Pre().Text(f.TestErr))
	case len(f.Matches) == 0:
		test = app.Div().Class("tt-result tt-result-no").ID("tt-mf-test-result").Body(
			app.Strong().Text("No match"), app.Span().Class("tt-muted").Text(" TestMetricFilter returned no matches."))
	default:
		var rows []app.UI
		for _, m := range f.Matches {
			m := m
			rows = append(rows, app.Tr().Class("tt-mf-match").Body(
				app.Td().Class("tt-num").Text(strconv.Itoa(m.EventNumber)),
				app.Td().Body(messageParts(m.Parts)),
				app.Td().Body(extracted(m.Extracted)),
			))
		}
		test = app.Div().Class("tt-result tt-result-yes").ID("tt-mf-test-result").Body(
			app.Strong().Text(matchesText(len(f.Matches))+" "),
			app.Span().Class("tt-muted").Text("TestMetricFilter: eventNumber, eventMessage and extractedValues"),
			table("tt-mf-matches", []string{"#", "Message", "Extracted values"}, rows),
		)
	}
	return card("tt-mf-wizard", "Create a metric filter on "+v.Group,
		app.H3().Text("1. Pattern"),
		app.Div().Class("tt-form-row tt-grow").Body(
			patternInput("Filter pattern", "tt-mf-pattern", &f.Pattern, `{ $.level = "ERROR" }`, f.SetPattern, nil),
		),
		patternStatus("tt-mf-pattern-error", f.PatternErr),
		app.Div().Class("tt-editor").Body(textArea("Test against log lines (one a line)", "tt-mf-samples", &f.Samples, 5, nil)),
		app.Div().Class("tt-row").Body(
			button("Use the group's recent events", "tt-mf-sample", func(ctx app.Context, e app.Event) { s.SampleLines() }),
			button("Test pattern", "tt-mf-test", func(ctx app.Context, e app.Event) { s.TestMetricFilterForm() }).Class("tt-btn tt-btn-primary"),
		),
		test,
		app.H3().Text("2. Metric"),
		app.Div().Class("tt-form-row").Body(
			textField("Filter name", "tt-mf-name", f.Name, "errors", func(x string) { f.Name = x }),
			textField("Metric namespace", "tt-mf-namespace", f.Namespace, "LogMetrics", func(x string) { f.Namespace = x }),
			textField("Metric name", "tt-mf-metric", f.Metric, "ErrorCount", func(x string) { f.Metric = x }),
		),
		app.Div().Class("tt-form-row").Body(
			textField("Metric value (a number, $.field or $name)", "tt-mf-value", f.Value, "1", func(x string) { f.Value = x }),
			textField("Default value (optional)", "tt-mf-default", f.Default, "0", func(x string) { f.Default = x }),
			selectField("Unit", "tt-mf-unit", unitOptions(), f.Unit, func(x string) { f.Unit = x }),
		),
		app.Div().Class("tt-editor").Body(textArea("Dimensions (optional, up to 3: Name=$.field a line; JSON and space-delimited patterns only)",
			"tt-mf-dims", &f.Dimensions, 2, nil)),
		app.Div().Class("tt-row").Body(
			button("Create metric filter", "tt-mf-create", func(ctx app.Context, e app.Event) { s.CreateMetricFilter() }).Class("tt-btn tt-btn-primary"),
			button("Cancel", "tt-mf-cancel", func(ctx app.Context, e app.Event) { v.MF = MetricFilterForm{} }),
		),
	)
}

func matchesText(n int) string {
	if n == 1 {
		return "1 match"
	}
	return itoa(n) + " matches"
}
