package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// metricsBody is the CloudWatch Metrics page: browse the metrics, graph
// some with a statistic, a period and a time range, a metric math
// expression over them, and a form that publishes a datapoint.
func metricsBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Metrics
	v.init()
	if w := s.World(); w != nil && v.stale(w.Now()) && s.mayRefresh(&v.lastRefresh) {
		s.MetricsGraph()
	}
	var nsOpts []Option
	for _, n := range v.Namespaces {
		nsOpts = append(nsOpts, Option{n, n})
	}
	var rows []app.UI
	for _, m := range v.Browsed() {
		m := m
		on := v.IsGraphed(m)
		label := "Graph"
		if on {
			label = "Remove"
		}
		rows = append(rows, app.Tr().Class("tt-metric-row").DataSet("metric", m.MetricName).DataSet("dims", m.DimsText()).Body(
			app.Td().Class("tt-mono").Text(m.MetricName),
			app.Td().Class("tt-mono tt-wrap").Text(m.DimsText()),
			app.Td().Body(app.Button().Type("button").Class("tt-btn tt-btn-small").Text(label).Aria("pressed", on).
				OnClick(func(ctx app.Context, e app.Event) { s.ToggleGraph(m) }, m.Key())),
		))
	}
	if len(rows) == 0 {
		text := "No metrics yet: publish a datapoint below, or run `aws cloudwatch put-metric-data` in the terminal."
		if len(v.All) > 0 {
			text = "No metric matches."
		}
		rows = append(rows, emptyRow(3, text))
	}
	return app.Div().Class("tt-cw").Body(
		noticeLine("tt-mx-notice", &v.Notice),
		app.Div().Class("tt-filter").Body(
			when(len(nsOpts) > 0, func() app.UI {
				return selectField("Namespace", "tt-mx-namespace", nsOpts, v.Namespace, func(x string) { v.Namespace, v.DimSet = x, "" })
			}),
			when(len(v.DimSets()) > 1, func() app.UI {
				opts := []Option{{"", "All dimensions"}}
				for _, d := range v.DimSets() {
					opts = append(opts, Option{d, d})
				}
				return selectField("Dimensions", "tt-mx-dimset", opts, v.DimSet, func(x string) { v.DimSet = x })
			}),
			textField("Search", "tt-mx-search", v.Search, "metric or dimension", func(x string) { v.Search = x }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Refresh", "tt-mx-refresh", func(ctx app.Context, e app.Event) { s.MetricsLoad() }),
			),
		),
		table("tt-mx-metrics", []string{"Metric", "Dimensions", ""}, rows),
		card("tt-mx-graph", "Graph", graphPanel(s, v)),
		card("tt-mx-put", "Publish a datapoint", putPanel(s, v)),
	)
}

func graphPanel(s *Session, v *MetricsView) app.UI {
	var statOpts []Option
	for _, st := range Stats {
		statOpts = append(statOpts, Option{st, st})
	}
	perOpts := []Option{{"0", "Auto"}}
	for _, pr := range Periods {
		perOpts = append(perOpts, Option{strconv.Itoa(pr), periodLabel(pr)})
	}
	var graphed []app.UI
	for _, g := range v.Graphed {
		g := g
		graphed = append(graphed, app.Li().Class("tt-graphed").DataSet("id", g.Id).Body(
			app.Span().Class("tt-mono").Text(g.Id+" "),
			app.Span().Text(g.Metric.Namespace+" · "+g.Metric.MetricName+" "),
			app.Span().Class("tt-muted tt-mono").Text(g.Metric.DimsText()),
			app.Button().Type("button").Class("tt-btn tt-btn-small").Text("✕").Title("Remove from the graph").
				OnClick(func(ctx app.Context, e app.Event) { s.ToggleGraph(g.Metric) }, g.Metric.Key()),
		))
	}
	var status app.UI
	switch {
	case strings.TrimSpace(v.Expr.Value) == "":
		status = app.P().Class("tt-muted tt-hint").Text("An expression over the ids above, as in GetMetricData: m1*2, SUM([m1, m2]), FILL(m1, 0), RATE(m1), ANOMALY_DETECTION_BAND(m1, 2)…")
	case v.ExprErr != "":
		status = app.Div().Class("tt-invalid").ID("tt-mx-expr-status").Body(app.Pre().Text(v.ExprErr))
	default:
		status = app.P().Class("tt-valid").ID("tt-mx-expr-status").Text("✓ e1 is graphed")
	}
	var msgs []app.UI
	for _, r := range v.Results {
		if r.StatusCode != "" && r.StatusCode != "Complete" || len(r.Messages) > 0 {
			text := r.Id + ": " + r.StatusCode
			for _, m := range r.Messages {
				text += " · " + m.Code + ": " + m.Value
			}
			msgs = append(msgs, app.Li().Text(text))
		}
	}
	for _, m := range v.Messages {
		msgs = append(msgs, app.Li().Text(m.Code+": "+m.Value))
	}
	return app.Div().Body(
		when(len(graphed) == 0, func() app.UI {
			return app.P().Class("tt-muted").Text("Choose metrics above with Graph.")
		}),
		app.Ul().Class("tt-list tt-graphed-list").Body(graphed...),
		app.Div().Class("tt-form-row").Body(
			selectField("Statistic", "tt-mx-stat", statOpts, v.Stat, func(x string) { v.Stat = x; s.MetricsGraph() }),
			selectField("Period", "tt-mx-period", perOpts, strconv.Itoa(v.Period), func(x string) {
				v.Period, _ = strconv.Atoi(x)
				s.MetricsGraph()
			}),
			field("Time range", rangeBar("tt-mx-range", TimeRanges, v.Window.Range, func(l string, d time.Duration) { v.Window.set(l, d); s.MetricsGraph() })),
		),
		app.Div().Class("tt-form-row tt-grow").Body(
			app.Div().Class("tt-editor").Body(textArea("Metric math (e1)", "tt-mx-expr", &v.Expr, 2, func(x string) { s.SetExpr(x) })),
			textField("Label of e1", "tt-mx-expr-label", v.ExprLabel, "optional", func(x string) { v.ExprLabel = x; s.MetricsGraph() }),
		),
		status,
		when(v.Chart != nil, func() app.UI { return chartView(v.Chart) }),
		when(len(msgs) > 0, func() app.UI { return app.Ul().Class("tt-list tt-mx-messages").ID("tt-mx-messages").Body(msgs...) }),
		app.P().Class("tt-muted tt-hint").Text("Hover to read values; drag across the chart to zoom in."),
	)
}

func putPanel(s *Session, v *MetricsView) app.UI {
	f := &v.Put
	return app.Div().Body(
		app.P().Class("tt-muted tt-hint").Text("PutMetricData with one value at the virtual clock's time."),
		app.Div().Class("tt-form-row").Body(
			textField("Namespace", "tt-put-namespace", f.Namespace, "App", func(x string) { f.Namespace = x }),
			textField("Metric name", "tt-put-metric", f.MetricName, "Load", func(x string) { f.MetricName = x }),
			textField("Dimensions", "tt-put-dims", f.Dimensions, "Host=web-1, Az=a", func(x string) { f.Dimensions = x }),
			textField("Value", "tt-put-value", f.Value, "90", func(x string) { f.Value = x }),
			textField("Unit", "tt-put-unit", f.Unit, "Percent", func(x string) { f.Unit = x }),
		),
		button("Publish", "tt-put-send", func(ctx app.Context, e app.Event) { s.PutData() }).Class("tt-btn tt-btn-primary"),
	)
}
