package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// functionsBody is the Lambda page: functions and their recorded
// invocations.
func functionsBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Functions
	var rows []app.UI
	for _, f := range v.Functions {
		f := f
		open := f.FunctionName == v.Function
		rows = append(rows, app.Tr().Class("tt-function-row").DataSet("function", f.FunctionName).Body(
			app.Td().Body(toggleName(f.FunctionName, open, func(ctx app.Context, e app.Event) { s.OpenFunction(f.FunctionName) })),
			app.Td().Text(f.Runtime),
			app.Td().Class("tt-mono").Text(f.Handler),
			app.Td().Class("tt-num").Text(itoa(f.MemorySize)+" MB"),
			app.Td().Class("tt-nowrap").Text(f.LastModified),
			app.Td().Body(small("Delete", "", func(ctx app.Context, e app.Event) { s.DeleteFunction(f.FunctionName) })),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(6, "No functions yet."))
	}
	var rts []Option
	for _, r := range LambdaRuntimes {
		rts = append(rts, Option{r.Runtime, r.Runtime})
	}
	return app.Div().Class("tt-lambda").Body(
		noticeLine("tt-lambda-notice", &v.Notice),
		app.P().Class("tt-muted").Text("Functions are simulated: no code runs. Each invocation is recorded with the event it received; "+
			"a synchronous call answers {\"statusCode\": 200, \"body\": <the event>}."),
		app.Div().Class("tt-filter").Body(
			textField("New function name", "tt-fn-name", v.NewName, "order-handler", func(x string) { v.NewName = x }),
			selectField("Runtime", "tt-fn-runtime", rts, v.Runtime, func(x string) { v.Runtime = x }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create function", "tt-fn-create", func(ctx app.Context, e app.Event) { s.CreateFunction() }).Class("tt-btn tt-btn-primary"),
				button("Refresh", "tt-fn-refresh", func(ctx app.Context, e app.Event) { s.FunctionsLoad() }),
			),
		),
		table("tt-functions-table", []string{"Name", "Runtime", "Handler", "Memory", "Last modified", ""}, rows),
		openFunction(s, v),
	)
}

// openFunction is the panel of the open function, under the table.
func openFunction(s *Session, v *FunctionsView) app.UI {
	for _, f := range v.Functions {
		if f.FunctionName == v.Function {
			return card("tt-function-panel", "Function "+f.FunctionName, functionDetail(s, v, f))
		}
	}
	return nil
}

func functionDetail(s *Session, v *FunctionsView, f FunctionRow) app.UI {
	var rows []app.UI
	for _, inv := range v.Invocations {
		inv := inv
		open := v.OpenInv == inv.Seq
		rows = append(rows, app.Tr().Class("tt-invocation-row").Body(
			app.Td().Body(toggleName(FormatTime(inv.At), open, func(ctx app.Context, e app.Event) {
				if v.OpenInv == inv.Seq {
					v.OpenInv = 0
				} else {
					v.OpenInv = inv.Seq
				}
			})),
			app.Td().Text(inv.Type),
			app.Td().Text(map[string]string{"api": "Invoke", "delivery": "another service"}[inv.Source]),
			app.Td().Class("tt-num").Text(itoa(inv.StatusCode)),
			app.Td().Class("tt-mono").Text(inv.RequestID),
		))
		if open {
			rows = append(rows, app.Tr().Class("tt-detail-row").Body(app.Td().ColSpan(5).Body(
				app.P().Class("tt-muted").Text("Event"),
				app.Pre().Class("tt-code tt-msg-body").Text(indentJSON(inv.Payload)),
				when(inv.Decoded != "", func() app.UI {
					return app.Div().Body(app.P().Class("tt-muted").Text("awslogs.data decoded (base64, gunzip)"),
						app.Pre().Class("tt-code tt-msg-body tt-decoded").Text(indentJSON(inv.Decoded)))
				}),
				when(inv.Response != "", func() app.UI {
					return app.Div().Body(app.P().Class("tt-muted").Text("Response"), app.Pre().Class("tt-code tt-msg-body").Text(indentJSON(inv.Response)))
				}),
			)))
		}
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(5, "No invocations yet."))
	}
	return app.Div().Class("tt-function-detail").ID("tt-function-detail").Body(
		app.P().Class("tt-mono tt-muted tt-wrap").Text(f.FunctionArn),
		app.Div().Class("tt-subform").Body(
			app.H3().Text("Invoke"),
			app.Div().Class("tt-editor").Body(textArea("Event (JSON)", "tt-fn-payload", &v.Payload, 4, nil)),
			button("Invoke", "tt-fn-invoke", func(ctx app.Context, e app.Event) { s.InvokeFunction() }).Class("tt-btn tt-btn-primary"),
			when(v.Response != "", func() app.UI { return app.Pre().Class("tt-code tt-msg-body").ID("tt-fn-response").Text(v.Response) }),
		),
		app.H3().Text("Invocations, newest first"),
		app.P().Class("tt-muted tt-hint").Text("Recorded by the simulation (AWS shows these through the function's logs and metrics)."),
		table("tt-invocations-table", []string{"Time", "Type", "Invoked by", "Status", "Request ID"}, rows),
	)
}
