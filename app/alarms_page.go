package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// alarmsBody is the CloudWatch Alarms page: the alarms and their states,
// the create and edit form (metric, metric math or composite), and an
// alarm's page with its graph, state timeline and history.
func alarmsBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Alarms
	if w := s.World(); w != nil && v.stale(w.Now()) && s.mayRefresh(&v.lastRefresh) {
		s.AlarmsLoad()
	}
	states := []Option{{"", "All states"}, {"ALARM", "In alarm"}, {"OK", "OK"}, {"INSUFFICIENT_DATA", "Insufficient data"}}
	var rows []app.UI
	for _, a := range v.Alarms {
		a := a
		open := a.AlarmName == v.Open
		kind := "Metric"
		switch {
		case a.Composite:
			kind = "Composite"
		case a.ThresholdMetricId != "":
			kind = "Anomaly band"
		case len(a.Metrics) > 0:
			kind = "Metric math"
		}
		rows = append(rows, app.Tr().Class("tt-alarm-row").DataSet("alarm", a.AlarmName).DataSet("state", a.StateValue).Body(
			app.Td().Body(toggleName(a.AlarmName, open, func(ctx app.Context, e app.Event) { s.OpenAlarm(a.AlarmName) })),
			app.Td().Body(stateBadge(a.StateValue)),
			app.Td().Text(kind),
			app.Td().Class("tt-wrap tt-alarm-cond").Text(condition(a)),
			app.Td().Class("tt-nowrap tt-mono").Text(FormatTime(a.StateUpdatedTimestamp)),
			app.Td().Class("tt-actions-cell").Body(
				app.Button().Type("button").Class("tt-btn tt-btn-small").Text("Edit").
					OnClick(func(ctx app.Context, e app.Event) { s.EditAlarm(a.AlarmName) }, a.AlarmName),
				app.Button().Type("button").Class("tt-btn tt-btn-small").Text("Delete").
					OnClick(func(ctx app.Context, e app.Event) { s.DeleteAlarm(a.AlarmName) }, a.AlarmName),
			),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(6, "No alarms."))
	}
	return app.Div().Class("tt-cw").Body(
		noticeLine("tt-alarms-notice", &v.Notice),
		app.Div().Class("tt-filter").Body(
			selectField("State", "tt-alarms-state", states, v.StateFilter, func(x string) { s.SetAlarmsFilter(x) }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create alarm", "tt-alarm-new", func(ctx app.Context, e app.Event) { s.NewAlarm(KindMetric) }).Class("tt-btn tt-btn-primary"),
				button("Create composite alarm", "tt-alarm-new-composite", func(ctx app.Context, e app.Event) { s.NewAlarm(KindComposite) }),
				button("Refresh", "tt-alarms-refresh", func(ctx app.Context, e app.Event) { s.AlarmsLoad() }),
			),
		),
		when(v.Form.Open, func() app.UI { return alarmForm(s, v) }),
		table("tt-alarms-table", []string{"Name", "State", "Type", "Conditions", "Last state update", ""}, rows),
		when(v.Open != "", func() app.UI { return alarmPage(s, v) }),
	)
}

// stateBadge shows an alarm state.
func stateBadge(state string) app.UI {
	label := map[string]string{"ALARM": "In alarm", "OK": "OK", "INSUFFICIENT_DATA": "Insufficient data"}[state]
	if label == "" {
		label = state
	}
	return app.Span().Class("tt-state tt-state-"+state).DataSet("state", state).Text(label)
}

// condition reads an alarm's condition as the console lists it.
func condition(a Alarm) string {
	if a.Composite {
		return a.AlarmRule
	}
	op := a.ComparisonOperator
	for _, c := range Comparisons {
		if c.Value == op {
			op = strings.TrimSuffix(c.Label, " threshold")
		}
	}
	what := a.MetricName
	if len(a.Metrics) > 0 {
		for _, q := range a.Metrics {
			if q.returns() {
				what = q.Id
				if q.Expression != "" {
					what = q.Expression
				}
			}
		}
	}
	th := "?"
	if a.ThresholdMetricId != "" {
		for _, c := range BandComparisons {
			if c.Value == a.ComparisonOperator {
				op = c.Label
			}
		}
		for _, q := range a.Metrics {
			if q.Id == a.ThresholdMetricId {
				th = q.Expression
			}
		}
		what = "m1"
		m := a.EvaluationPeriods
		if a.DatapointsToAlarm > 0 {
			m = a.DatapointsToAlarm
		}
		return fmt.Sprintf("%s %s %s for %d datapoints within %d", what, op, th, m, a.EvaluationPeriods)
	}
	if a.Threshold != nil {
		th = FormatValue(*a.Threshold)
	} else if a.ThresholdMetricId != "" {
		th = a.ThresholdMetricId
	}
	m := a.EvaluationPeriods
	if a.DatapointsToAlarm > 0 {
		m = a.DatapointsToAlarm
	}
	return fmt.Sprintf("%s %s %s for %d datapoints within %d", what, op, th, m, a.EvaluationPeriods)
}

func topicOptions(v *AlarmsView) []Option {
	out := []Option{{"", "No notification"}}
	for _, t := range v.Topics {
		out = append(out, Option{t, "SNS topic " + topicName(t)})
	}
	return out
}

func alarmForm(s *Session, v *AlarmsView) app.UI {
	f := &v.Form
	title := "Create alarm"
	if f.Editing {
		title = "Edit alarm " + f.Name
	}
	kinds := []Option{{KindMetric, "Metric"}, {KindMath, "Metric math"}, {KindBand, "Anomaly detection band"}}
	var body []app.UI
	if !f.Editing {
		body = append(body, textField("Name", "tt-alarm-name", f.Name, "high-load", func(x string) { f.Name = x }))
	}
	body = append(body, textField("Description", "tt-alarm-desc", f.Desc, "optional", func(x string) { f.Desc = x }))
	if f.Kind == KindComposite {
		children := RuleChildren(f.Rule.Value)
		body = append(body,
			app.Div().Class("tt-editor").Body(textArea("Rule", "tt-alarm-rule", &f.Rule, 3, nil)),
			app.P().Class("tt-muted tt-hint").Text(`ALARM("name"), OK(name), INSUFFICIENT_DATA(arn), TRUE, FALSE with AND, OR, NOT and parentheses. `+
				"Alarms named: "+strings.Join(children, ", ")),
		)
	} else {
		var statOpts, perOpts []Option
		for _, st := range Stats {
			statOpts = append(statOpts, Option{st, st})
		}
		for _, pr := range append([]int{10, 30}, Periods...) {
			perOpts = append(perOpts, Option{fmt.Sprint(pr), periodLabel(pr)})
		}
		body = append(body,
			app.Div().Class("tt-form-row").Body(
				selectField("Type", "tt-alarm-kind", kinds, f.Kind, func(x string) { f.SetKind(x) }),
				textField("Namespace", "tt-alarm-namespace", f.Namespace, "App", func(x string) { f.Namespace = x }),
				textField("Metric name", "tt-alarm-metric", f.MetricName, "Load", func(x string) { f.MetricName = x }),
				textField("Dimensions", "tt-alarm-dims", f.Dimensions, "Host=web-1", func(x string) { f.Dimensions = x }),
			),
			app.Div().Class("tt-form-row").Body(
				selectField("Statistic", "tt-alarm-stat", statOpts, f.Statistic, func(x string) { f.Statistic = x }),
				selectField("Period", "tt-alarm-period", perOpts, f.Period, func(x string) { f.Period = x }),
				when(f.Kind == KindMath, func() app.UI {
					return textField("Expression over m1 (e1)", "tt-alarm-expr", f.Expression, "m1*100", func(x string) { f.Expression = x })
				}),
			),
			app.Div().Class("tt-form-row").Body(
				when(f.Kind != KindBand, func() app.UI {
					return selectField("Condition", "tt-alarm-op", Comparisons, f.Comparison, func(x string) { f.Comparison = x })
				}),
				when(f.Kind != KindBand, func() app.UI {
					return textField("Threshold", "tt-alarm-threshold", f.Threshold, "80", func(x string) { f.Threshold = x })
				}),
				when(f.Kind == KindBand, func() app.UI {
					return selectField("Condition", "tt-alarm-band-op", BandComparisons, f.Comparison, func(x string) { f.Comparison = x })
				}),
				when(f.Kind == KindBand, func() app.UI {
					return textField("Band width (standard deviations)", "tt-alarm-band", f.BandWidth, "2", func(x string) { f.BandWidth = x })
				}),
				textField("Datapoints to alarm (M)", "tt-alarm-m", f.DatapointsToAlarm, "3", func(x string) { f.DatapointsToAlarm = x }),
				textField("Evaluation periods (N)", "tt-alarm-n", f.EvaluationPeriods, "3", func(x string) { f.EvaluationPeriods = x }),
				selectField("Missing data", "tt-alarm-missing", MissingData, f.TreatMissingData, func(x string) { f.TreatMissingData = x }),
			),
		)
	}
	topics := topicOptions(v)
	body = append(body,
		app.Div().Class("tt-form-row").Body(
			selectField("In alarm: notify", "tt-alarm-action", topics, f.AlarmAction, func(x string) { f.AlarmAction = x }),
			selectField("OK: notify", "tt-alarm-ok-action", topics, f.OKAction, func(x string) { f.OKAction = x }),
			selectField("Insufficient data: notify", "tt-alarm-insufficient-action", topics, f.InsufficientAction, func(x string) { f.InsufficientAction = x }),
		),
		when(len(f.KeptActions()) > 0, func() app.UI {
			return app.P().Class("tt-muted tt-hint").ID("tt-alarm-kept").Text("Also kept: " + strings.Join(f.KeptActions(), ", "))
		}),
		when(len(v.Topics) == 0, func() app.UI {
			return app.P().Class("tt-muted tt-hint").Body(
				app.Text("No SNS topics yet: create one on the "), app.A().Href(href("/sns")).Text("SNS page"), app.Text(" to be notified."))
		}),
		app.Div().Class("tt-row").Body(
			button("Save alarm", "tt-alarm-save", func(ctx app.Context, e app.Event) { s.SaveAlarm() }).Class("tt-btn tt-btn-primary"),
			button("Cancel", "tt-alarm-cancel", func(ctx app.Context, e app.Event) { s.CancelAlarm() }),
		),
	)
	return card("tt-alarm-form", title, body...)
}

// alarmPage is an alarm's page: its facts, graph, state timeline, children
// (composite) and history.
func alarmPage(s *Session, v *AlarmsView) app.UI {
	a, ok := v.find(v.Open)
	if !ok {
		return nil
	}
	facts := []app.UI{
		app.Dt().Text("State"), app.Dd().Body(stateBadge(a.StateValue)),
		app.Dt().Text("Reason"), app.Dd().ID("tt-alarm-reason").Text(a.StateReason),
		app.Dt().Text("Condition"), app.Dd().Text(condition(a)),
		app.Dt().Text("ARN"), app.Dd().Class("tt-mono").Text(a.AlarmArn),
	}
	if !a.Composite {
		md := a.TreatMissingData
		if md == "" {
			md = "missing"
		}
		facts = append(facts, app.Dt().Text("Missing data"), app.Dd().Text(md))
	}
	var acts []string
	for _, x := range [][2]any{{"ALARM", a.AlarmActions}, {"OK", a.OKActions}, {"INSUFFICIENT_DATA", a.InsufficientDataActions}} {
		for _, arn := range x[1].([]string) {
			acts = append(acts, x[0].(string)+" → "+arn)
		}
	}
	if len(acts) > 0 {
		facts = append(facts, app.Dt().Text("Actions"), app.Dd().Class("tt-mono").Text(strings.Join(acts, "\n")))
	}
	var hist []app.UI
	for _, h := range v.History {
		hist = append(hist, app.Tr().Class("tt-history-row").DataSet("type", h.HistoryItemType).Body(
			app.Td().Class("tt-nowrap tt-mono").Text(FormatTime(h.Timestamp)),
			app.Td().Text(h.HistoryItemType),
			app.Td().Class("tt-wrap").Text(h.HistorySummary),
		))
	}
	if len(hist) == 0 {
		hist = append(hist, emptyRow(3, "No history."))
	}
	return card("tt-alarm-detail", "Alarm "+a.AlarmName,
		app.Dl().Class("tt-facts").Body(facts...),
		field("Time range", rangeBar("tt-alarm-range", TimeRanges, v.Window.Range, func(l string, d time.Duration) { s.SetAlarmsWindow(l, d) })),
		when(v.DetailErr != "", func() app.UI {
			return app.Div().Class("tt-invalid").ID("tt-alarm-detail-error").Body(app.Pre().Text(v.DetailErr))
		}),
		when(!a.Composite && v.Chart != nil, func() app.UI { return chartView(v.Chart) }),
		when(a.Composite, func() app.UI { return compositeChildren(s, v, a) }),
		app.H3().Text("State timeline"),
		when(v.Chart != nil, func() app.UI { return timelineView(v.Timeline, v.Chart.Start, v.Chart.End) }),
		app.H3().Text("History"),
		table("tt-alarm-history", []string{"Time", "Type", "Summary"}, hist),
	)
}

func compositeChildren(s *Session, v *AlarmsView, a Alarm) app.UI {
	var rows []app.UI
	for _, name := range RuleChildren(a.AlarmRule) {
		name := name
		c, ok := v.find(name)
		state := app.UI(app.Span().Class("tt-muted").Text("no such alarm"))
		if ok {
			state = stateBadge(c.StateValue)
		}
		rows = append(rows, app.Tr().Class("tt-child-row").DataSet("alarm", name).Body(
			app.Td().Body(app.Button().Type("button").Class("tt-link").Text(name).
				OnClick(func(ctx app.Context, e app.Event) { s.OpenAlarm(name) }, name)),
			app.Td().Body(state),
		))
	}
	return app.Div().Body(
		app.H3().Text("Rule"),
		app.Pre().Class("tt-code").ID("tt-alarm-rule-text").Text(a.AlarmRule),
		app.H3().Text("Alarms in the rule"),
		table("tt-alarm-children", []string{"Alarm", "State"}, rows),
	)
}

// timelineView draws the state spans as a bar.
func timelineView(spans []StateSpan, start, end time.Time) app.UI {
	total := end.Sub(start).Seconds()
	var segs []app.UI
	for _, sp := range spans {
		pct := 0.0
		if total > 0 {
			pct = 100 * sp.End.Sub(sp.Start).Seconds() / total
		}
		segs = append(segs, app.Div().Class("tt-timeline-seg tt-state-"+sp.State).DataSet("state", sp.State).
			Style("width", fmt.Sprintf("%.3f%%", pct)).
			Title(sp.State+": "+FormatTime(sp.Start)+" – "+FormatTime(sp.End)))
	}
	return app.Div().Class("tt-timeline-wrap").Body(
		app.Div().Class("tt-timeline").ID("tt-alarm-timeline").Body(segs...),
		app.Div().Class("tt-timeline-axis").Body(
			app.Span().Text(FormatTime(start)), app.Span().Text(FormatTime(end)),
		),
	)
}
