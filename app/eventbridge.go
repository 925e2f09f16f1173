package app

import (
	"sort"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// eventsBody is the EventBridge page: buses, rules and targets, the
// sandbox, sending events, archives and replays.
func eventsBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Events
	v.init()
	var body app.UI
	switch v.Tab {
	case TabBuses:
		body = busesTab(s, v)
	case TabSandbox:
		body = sandboxTab(s, v)
	case TabSend:
		body = sendTab(s, v)
	case TabArchives:
		body = archivesTab(s, v)
	case TabSchemas:
		body = schemasTab(s, v)
	default:
		body = rulesTab(s, v)
	}
	return app.Div().Class("tt-eb").Body(
		tabStrip("tt-eb-tab-", EventsTabs, v.Tab, s.EventsTab),
		noticeLine("tt-eb-notice", &v.Notice),
		body,
	)
}

func busOptions(v *EventsView, arn bool) []Option {
	var out []Option
	for _, b := range v.Buses {
		val := b.Name
		if arn {
			val = b.Arn
		}
		out = append(out, Option{val, b.Name})
	}
	if len(out) == 0 {
		out = append(out, Option{"default", "default"})
	}
	return out
}

func rulesTab(s *Session, v *EventsView) app.UI {
	var rows []app.UI
	for _, r := range v.Rules {
		r := r
		open := r.Name == v.Rule
		kind := "Event pattern"
		if r.ScheduleExpression != "" {
			kind = "Schedule"
		}
		enabled := r.State != "DISABLED"
		state := app.Span().Class("tt-badge tt-badge-off").Text("Disabled")
		if enabled {
			state = app.Span().Class("tt-badge tt-badge-on").Text("Enabled")
		}
		toggleLabel := "Enable"
		if enabled {
			toggleLabel = "Disable"
		}
		rows = append(rows, app.Tr().Class("tt-rule-row").DataSet("rule", r.Name).Body(
			app.Td().Body(toggleName(r.Name, open, func(ctx app.Context, e app.Event) { s.OpenRule(r.Name) })),
			app.Td().Text(kind),
			app.Td().Body(state),
			app.Td().Text(orDash(r.Description)),
			app.Td().Class("tt-actions-cell").Body(
				small("Edit", "", func(ctx app.Context, e app.Event) { s.EditRule(r.Name) }),
				small(toggleLabel, "", func(ctx app.Context, e app.Event) { s.SetRuleState(r.Name, !enabled) }),
				small("Delete", "", func(ctx app.Context, e app.Event) { s.DeleteRule(r.Name) }),
			),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(5, "No rules on this bus yet."))
	}
	return app.Div().Body(
		app.Div().Class("tt-filter").Body(
			selectField("Event bus", "tt-eb-bus", busOptions(v, false), v.Bus, func(b string) { s.SelectBus(b) }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create rule", "tt-eb-new-rule", func(ctx app.Context, e app.Event) { s.NewRule() }).Class("tt-btn tt-btn-primary"),
				button("Refresh", "tt-eb-refresh", func(ctx app.Context, e app.Event) { s.EventsLoad() }),
			),
		),
		when(v.Edit != nil, func() app.UI { return ruleEditor(s, v) }),
		table("tt-rules-table", []string{"Name", "Type", "State", "Description", ""}, rows),
		openRule(s, v),
	)
}

func ruleEditor(s *Session, v *EventsView) app.UI {
	f := v.Edit
	title := "Edit rule " + f.Name
	if f.New {
		title = "Create a rule on " + v.Bus
	}
	status := app.P().Class("tt-valid").ID("tt-rule-pattern-status").Text("✓ The pattern is valid.")
	if f.PatternErr != "" {
		status = app.P().Class("tt-invalid").ID("tt-rule-pattern-status").Body(app.Pre().Text(f.PatternErr))
	}
	return card("tt-rule-editor", title,
		app.Div().Class("tt-form-row").Body(
			field("Name", app.Input().Type("text").ID("tt-rule-name").Value(f.Name).Disabled(!f.New).
				Placeholder("my-rule").Attr("spellcheck", "false").Attr("autocapitalize", "off").
				OnChange(func(ctx app.Context, e app.Event) { f.Name = ctx.JSSrc().Get("value").String() })),
			textField("Description (optional)", "tt-rule-desc", f.Description, "", func(x string) { f.Description = x }),
		),
		app.Div().Class("tt-seg tt-seg-form").Body(
			app.Button().Type("button").ID("tt-rule-kind-pattern").Class(segClass(!f.Schedule)).Text("Event pattern").
				OnClick(func(ctx app.Context, e app.Event) { f.Schedule = false }),
			app.Button().Type("button").ID("tt-rule-kind-schedule").Class(segClass(f.Schedule)).Text("Schedule").
				OnClick(func(ctx app.Context, e app.Event) { f.Schedule = true }),
		),
		when(!f.Schedule, func() app.UI {
			return app.Div().Class("tt-editor").Body(
				textArea("Event pattern (JSON)", "tt-rule-pattern", &f.Pattern, 8, f.SetRulePattern),
				status,
			)
		}),
		when(f.Schedule, func() app.UI {
			return app.Div().Body(
				textField("Schedule expression", "tt-rule-schedule", f.Expression, "rate(5 minutes) or cron(0 12 * * ? *)",
					func(x string) { f.Expression = x }),
				app.P().Class("tt-muted tt-hint").Text("Schedules run on the virtual clock, on the default bus only. "+
					"Each firing sends a \"Scheduled Event\" to the rule's targets."),
			)
		}),
		checkField("Enabled", "tt-rule-enabled", f.Enabled, func(b bool) { f.Enabled = b }),
		app.Div().Class("tt-row").Body(
			button("Save rule", "tt-rule-save", func(ctx app.Context, e app.Event) { s.SaveRule() }).
				Class("tt-btn tt-btn-primary").Disabled(!f.Schedule && f.PatternErr != ""),
			button("Cancel", "tt-rule-cancel", func(ctx app.Context, e app.Event) { v.Edit = nil }),
		),
	)
}

func segClass(on bool) string {
	if on {
		return "tt-seg-btn tt-on"
	}
	return "tt-seg-btn"
}

// openRule is the panel of the open rule, under the table.
func openRule(s *Session, v *EventsView) app.UI {
	for _, r := range v.Rules {
		if r.Name == v.Rule {
			return card("tt-rule-panel", "Rule "+r.Name, ruleDetail(s, v, r))
		}
	}
	return nil
}

func ruleDetail(s *Session, v *EventsView, r RuleRow) app.UI {
	var trows []app.UI
	for _, t := range v.Targets {
		t := t
		input := "Matched event"
		switch {
		case t.Input != "":
			input = "Constant: " + t.Input
		case t.InputPath != "":
			input = "Path: " + t.InputPath
		case t.InputTransformer != nil:
			var keys []string
			for k, p := range t.InputTransformer.InputPathsMap {
				keys = append(keys, k+"="+p)
			}
			sort.Strings(keys)
			input = "Transformer: " + strings.Join(keys, ", ") + " → " + t.InputTransformer.InputTemplate
		}
		trows = append(trows, app.Tr().Class("tt-target-row").DataSet("target", t.Id).Body(
			app.Td().Text(t.Id),
			app.Td().Text(arnKind(t.Arn)),
			app.Td().Class("tt-mono tt-wrap").Text(t.Arn),
			app.Td().Class("tt-mono tt-wrap").Text(input),
			app.Td().Body(small("Remove", "", func(ctx app.Context, e app.Event) { s.RemoveTarget(t.Id) })),
		))
	}
	if len(trows) == 0 {
		trows = append(trows, emptyRow(5, "No targets: matching events go nowhere."))
	}
	what := app.Pre().Class("tt-code").Text(indentJSON(r.EventPattern))
	if r.ScheduleExpression != "" {
		what = app.Pre().Class("tt-code").Text(r.ScheduleExpression)
	}
	return app.Div().Class("tt-rule-detail").ID("tt-rule-detail").Body(
		app.P().Class("tt-mono tt-muted tt-wrap").Text(r.Arn),
		what,
		app.H3().Text("Targets"),
		table("tt-targets-table", []string{"Id", "Type", "ARN", "Input", ""}, trows),
		targetForm(s, v),
	)
}

// arnKind names the service of a target ARN.
func arnKind(arn string) string {
	p := strings.Split(arn, ":")
	if len(p) < 3 {
		return "-"
	}
	switch p[2] {
	case "sqs":
		return "SQS queue"
	case "sns":
		return "SNS topic"
	case "lambda":
		return "Lambda function"
	case "events":
		return "Event bus"
	case "logs":
		return "Log group"
	}
	return p[2]
}

var targetKinds = []Option{{TargetSQS, "SQS queue"}, {TargetSNS, "SNS topic"}, {TargetLambda, "Lambda function"}, {TargetBus, "Event bus"}}

var inputModes = []Option{{InputEvent, "Matched event"}, {InputConstant, "Constant (JSON text)"},
	{InputPathMode, "Part of the matched event (InputPath)"}, {InputTransformed, "Input transformer"}}

func targetForm(s *Session, v *EventsView) app.UI {
	f := &v.Target
	choices := v.TargetChoices()
	opts := []Option{{"", "Choose…"}}
	for _, c := range choices {
		opts = append(opts, Option{c.Arn, c.Name})
	}
	page := map[string]string{TargetSQS: "/sqs", TargetSNS: "/sns", TargetLambda: "/lambda", TargetBus: ""}[f.Kind]
	return app.Div().Class("tt-subform").ID("tt-target-form").Body(
		app.H3().Text("Add a target"),
		app.Div().Class("tt-form-row").Body(
			selectField("Target type", "tt-target-kind", targetKinds, f.Kind, func(k string) { f.Kind, f.Arn = k, "" }),
			selectField("Resource", "tt-target-arn", opts, f.Arn, func(a string) { f.Arn = a }),
			textField("Target Id", "tt-target-id", f.Id, "from the name", func(x string) { f.Id = x }),
			selectField("Input", "tt-target-mode", inputModes, f.Mode, func(m string) { f.Mode = m }),
		),
		when(len(choices) == 0 && page != "", func() app.UI {
			return app.P().Class("tt-muted tt-hint").Body(
				app.Text("There is none yet: create one on the "),
				app.A().Href(href(page)).Text(targetKindLabel(f.Kind)+" page"),
				app.Text(" or in the terminal, then come back."),
			)
		}),
		when(f.Mode == InputConstant, func() app.UI {
			return textArea("Input (JSON sent instead of the event)", "tt-target-input", &f.Input, 3, nil)
		}),
		when(f.Mode == InputPathMode, func() app.UI {
			return textField("InputPath", "tt-target-path", f.Path, "$.detail", func(x string) { f.Path = x })
		}),
		when(f.Mode == InputTransformed, func() app.UI {
			return app.Div().Class("tt-form-row tt-grow").Body(
				textArea("InputPathsMap (JSON)", "tt-target-paths", &f.PathsMap, 4, nil),
				textArea("InputTemplate", "tt-target-template", &f.Template, 4, nil),
			)
		}),
		app.Div().Class("tt-row").Body(
			button("Add target", "tt-target-add", func(ctx app.Context, e app.Event) { s.AddTarget() }).
				Class("tt-btn tt-btn-primary").Disabled(f.Arn == ""),
		),
	)
}

func targetKindLabel(k string) string {
	for _, o := range targetKinds {
		if o.Value == k {
			return o.Label
		}
	}
	return k
}

func busesTab(s *Session, v *EventsView) app.UI {
	var rows []app.UI
	for _, b := range v.Buses {
		b := b
		rows = append(rows, app.Tr().Class("tt-bus-row").DataSet("bus", b.Name).Body(
			app.Td().Text(b.Name),
			app.Td().Class("tt-mono tt-wrap").Text(b.Arn),
			app.Td().Body(
				small("Rules", "", func(ctx app.Context, e app.Event) { v.Bus = b.Name; s.EventsTab(TabRules) }),
				when(b.Name != "default", func() app.UI {
					return small("Delete", "", func(ctx app.Context, e app.Event) { s.DeleteBus(b.Name) })
				}),
			),
		))
	}
	return app.Div().Body(
		app.Div().Class("tt-filter").Body(
			textField("New event bus name", "tt-bus-name", v.NewBus, "orders", func(x string) { v.NewBus = x }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create event bus", "tt-bus-create", func(ctx app.Context, e app.Event) { s.CreateBus(v.NewBus) }).Class("tt-btn tt-btn-primary"),
			),
		),
		table("tt-buses-table", []string{"Name", "ARN", ""}, rows),
		app.P().Class("tt-muted tt-hint").Text("The default bus also receives an \"AWS API Call via CloudTrail\" event for each write call of the account."),
	)
}

func sandboxTab(s *Session, v *EventsView) app.UI {
	sb := &v.Sandbox
	opts := []Option{{"", "Your own event"}}
	for _, e := range SampleEvents {
		opts = append(opts, Option{e.Name, e.Name})
	}
	status := app.P().Class("tt-valid").ID("tt-sb-pattern-status").Text("✓ The pattern is valid.")
	if sb.PatternErr != "" {
		status = app.P().Class("tt-invalid").ID("tt-sb-pattern-status").Body(app.Pre().Text(sb.PatternErr))
	}
	var result app.UI
	switch {
	case !sb.Tested:
	case sb.Err != "":
		result = app.Div().Class("tt-result tt-result-error").ID("tt-sb-result").Body(app.Pre().Text(sb.Err))
	default:
		head, cls := "✗ No match", "tt-result tt-result-no"
		if sb.Result {
			head, cls = "✓ Match", "tt-result tt-result-yes"
		}
		result = app.Div().Class(cls).ID("tt-sb-result").Body(
			app.Strong().Text(head),
			app.Span().Class("tt-muted").Text(` TestEventPattern returned {"Result": `+boolText(sb.Result)+`}`),
			when(sb.Explanation != "", func() app.UI { return app.Pre().Class("tt-explain").Text(sb.Explanation) }),
		)
	}
	return app.Div().Body(
		app.P().Class("tt-muted").Text("Try a pattern against an event: TestEventPattern gives the answer, and the pattern engine explains a non-match field by field."),
		app.Div().Class("tt-split").Body(
			app.Div().Class("tt-editor").Body(
				textArea("Event pattern", "tt-sb-pattern", &sb.Pattern, 12, v.SetSandboxPattern),
				status,
			),
			app.Div().Class("tt-editor").Body(
				selectField("Sample event", "tt-sb-sample", opts, sb.Sample, func(n string) { v.PickSample(n, true) }),
				textArea("Event", "tt-sb-event", &sb.Event, 12, func(x string) { sb.Event.Value, sb.Sample, sb.Tested = x, "", false }),
			),
		),
		app.Div().Class("tt-row").Body(
			button("Test pattern", "tt-sb-test", func(ctx app.Context, e app.Event) { s.TestPattern() }).Class("tt-btn tt-btn-primary"),
		),
		result,
	)
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func sendTab(s *Session, v *EventsView) app.UI {
	f := &v.Send
	return app.Div().Body(
		app.P().Class("tt-muted").Text("PutEvents puts one event on a bus; the bus's matching rules deliver it to their targets at once."),
		app.Div().Class("tt-form-row").Body(
			selectField("Event bus", "tt-send-bus", busOptions(v, false), f.Bus, func(b string) { f.Bus = b }),
			textField("Source", "tt-send-source", f.Source, "com.example.orders", func(x string) { f.Source = x }),
			textField("Detail type", "tt-send-type", f.DetailType, "Order Placed", func(x string) { f.DetailType = x }),
			textField("Resources (optional, comma-separated ARNs)", "tt-send-resources", f.Resources, "", func(x string) { f.Resources = x }),
		),
		app.Div().Class("tt-editor").Body(textArea("Detail (JSON)", "tt-send-detail", &f.Detail, 7, nil)),
		app.Div().Class("tt-row").Body(
			button("Send event", "tt-send", func(ctx app.Context, e app.Event) { s.SendEvent() }).Class("tt-btn tt-btn-primary"),
		),
		when(len(f.Results) > 0, func() app.UI {
			return app.Div().Body(
				app.H3().Text("Sent from this page"),
				app.Ul().Class("tt-list tt-mono").ID("tt-send-results").Body(
					app.Range(f.Results).Slice(func(i int) app.UI { return app.Li().Text(f.Results[i]) }),
				),
			)
		}),
	)
}

func archivesTab(s *Session, v *EventsView) app.UI {
	var arows []app.UI
	for _, a := range v.Archives {
		ret := "forever"
		if a.RetentionDays > 0 {
			ret = itoa(a.RetentionDays) + " days"
		}
		arows = append(arows, app.Tr().Body(
			app.Td().Text(a.ArchiveName), app.Td().Text(lastPart(a.EventSourceArn)), app.Td().Text(a.State),
			app.Td().Text(ret), app.Td().Text(itoa(int(a.EventCount))), app.Td().Class("tt-nowrap").Text(FormatTime(a.CreationTime)),
		))
	}
	if len(arows) == 0 {
		arows = append(arows, emptyRow(6, "No archives."))
	}
	var rrows []app.UI
	for _, r := range v.Replays {
		r := r
		end := "-"
		if !r.ReplayEndTime.IsZero() {
			end = FormatTime(r.ReplayEndTime)
		}
		rrows = append(rrows, app.Tr().Body(
			app.Td().Text(r.ReplayName), app.Td().Text(lastPart(r.EventSourceArn)),
			app.Td().Text(r.State+map[bool]string{true: " (" + r.StateReason + ")", false: ""}[r.StateReason != ""]),
			app.Td().Class("tt-nowrap").Text(FormatTime(r.EventStartTime)+" – "+FormatTime(r.EventEndTime)),
			app.Td().Class("tt-nowrap").Text(end),
			app.Td().Body(when(r.State == "STARTING" || r.State == "RUNNING", func() app.UI {
				return small("Cancel", "", func(ctx app.Context, e app.Event) { s.CancelReplay(r.ReplayName) })
			})),
		))
	}
	if len(rrows) == 0 {
		rrows = append(rrows, emptyRow(6, "No replays."))
	}
	var archiveOpts []Option
	for _, a := range v.Archives {
		archiveOpts = append(archiveOpts, Option{a.ArchiveName, a.ArchiveName})
	}
	af, rf := &v.Archive, &v.Replay
	return app.Div().Body(
		app.H3().Text("Archives"),
		table("tt-archives-table", []string{"Name", "Source bus", "State", "Retention", "Events", "Created"}, arows),
		app.Div().Class("tt-subform").Body(
			app.H3().Text("Create an archive"),
			app.Div().Class("tt-form-row").Body(
				textField("Name", "tt-archive-name", af.Name, "all-orders", func(x string) { af.Name = x }),
				selectField("Source bus", "tt-archive-bus", busOptions(v, true), af.Bus, func(b string) { af.Bus = b }),
				textField("Retention days (0: forever)", "tt-archive-retention", af.Retention, "0", func(x string) { af.Retention = x }),
			),
			app.Div().Class("tt-editor").Body(textArea("Event pattern (optional: archive only matching events)", "tt-archive-pattern", &af.Pattern, 3, nil)),
			button("Create archive", "tt-archive-create", func(ctx app.Context, e app.Event) { s.CreateArchive() }).Class("tt-btn tt-btn-primary"),
		),
		app.H3().Text("Replays"),
		table("tt-replays-table", []string{"Name", "Archive", "State", "Events from", "Ended", ""}, rrows),
		when(len(v.Archives) > 0, func() app.UI {
			return app.Div().Class("tt-subform").Body(
				app.H3().Text("Start a replay"),
				app.P().Class("tt-muted tt-hint").Text("The archive's events in the window go back to its bus, to every rule (each carries a replay-name field). Times are UTC on the virtual clock."),
				app.Div().Class("tt-form-row").Body(
					textField("Name", "tt-replay-name", rf.Name, "replay-1", func(x string) { rf.Name = x }),
					selectField("Archive", "tt-replay-archive", archiveOpts, rf.Archive, func(a string) { rf.Archive = a }),
					field("From (UTC)", app.Input().Type("datetime-local").ID("tt-replay-from").Value(rf.From).
						OnChange(func(ctx app.Context, e app.Event) { rf.From = ctx.JSSrc().Get("value").String() })),
					field("To (UTC)", app.Input().Type("datetime-local").ID("tt-replay-to").Value(rf.To).
						OnChange(func(ctx app.Context, e app.Event) { rf.To = ctx.JSSrc().Get("value").String() })),
				),
				button("Start replay", "tt-replay-start", func(ctx app.Context, e app.Event) { s.StartReplay() }).Class("tt-btn tt-btn-primary"),
			)
		}),
	)
}

// lastPart is the name at the end of an ARN.
func lastPart(arn string) string { return arn[strings.LastIndexAny(arn, ":/")+1:] }
