package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Option is one choice of a select.
type Option struct{ Value, Label string }

// textField is a labelled one-line input. Its value is taken when it changes
// (on leaving it or pressing Enter), never written back while typing.
//
// The handlers of the form controls are scoped by id: go-app compares event
// handlers by their code, not by what their closures hold, so an element it
// reuses for another control would otherwise keep the old control's handler.
func textField(label, id, value, placeholder string, set func(string)) app.UI {
	return field(label, app.Input().Type("text").ID(id).Value(value).Placeholder(placeholder).
		Attr("spellcheck", "false").Attr("autocapitalize", "off").Attr("autocomplete", "off").
		OnChange(func(ctx app.Context, e app.Event) { set(ctx.JSSrc().Get("value").String()) }, id))
}

// textArea is a labelled textarea over a TextBox. What is typed goes to
// onInput; the page writes into it only through TextBox.set.
//
// go-app trims attribute values, and writes one whenever it differs from
// the last render's: bound to what is typed, the textarea would lose a
// trailing newline as it is typed. So the element's value attribute only
// changes when the page sets the text, and, once the DOM is updated, the
// text is put in the element as it is (untrimmed) when the element is new
// (go-app made it, possibly with an older text) or the page set it.
func textArea(label, id string, b *TextBox, rows int, onInput func(string)) app.UI {
	syncTextArea(id, b)
	return field(label, app.Textarea().ID(id).Class("tt-textarea").Rows(rows).Text(b.shown).
		Attr("spellcheck", "false").Attr("autocapitalize", "off").Attr("autocomplete", "off").
		OnInput(func(ctx app.Context, e app.Event) {
			v := ctx.JSSrc().Get("value").String()
			if onInput != nil {
				onInput(v)
			} else {
				b.Value = v
			}
		}, id))
}

// syncTextArea puts b's text in the textarea id after go-app has updated
// the DOM, if the element is new or the page set the text since.
func syncTextArea(id string, b *TextBox) {
	if !app.IsClient {
		return
	}
	var f app.Func
	f = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer f.Release()
		el := app.Window().GetElementByID(id)
		if !el.Truthy() {
			return nil
		}
		if b.pending || !el.Get("ttSynced").Truthy() {
			if el.Get("value").String() != b.Value {
				el.Set("value", b.Value)
			}
			el.Set("ttSynced", true)
			b.pending = false
		}
		return nil
	})
	app.Window().Call("setTimeout", f, 0)
}

// selectField is a labelled select.
func selectField(label, id string, opts []Option, selected string, set func(string)) app.UI {
	return field(label, app.Select().ID(id).Body(
		app.Range(opts).Slice(func(i int) app.UI {
			return app.Option().Value(opts[i].Value).Selected(opts[i].Value == selected).Text(opts[i].Label)
		}),
	).OnChange(func(ctx app.Context, e app.Event) { set(ctx.JSSrc().Get("value").String()) }, id))
}

// checkField is a labelled checkbox.
func checkField(label, id string, on bool, set func(bool)) app.UI {
	return app.Label().Class("tt-check").Body(
		app.Input().Type("checkbox").ID(id).Checked(on).
			OnChange(func(ctx app.Context, e app.Event) { set(ctx.JSSrc().Get("checked").Bool()) }, id),
		app.Span().Text(label),
	)
}

// noticeLine shows the outcome of a page's last action.
func noticeLine(id string, n *Notice) app.UI {
	if n.Text == "" {
		return nil
	}
	cls := "tt-inline-note"
	if n.Err {
		cls += " tt-inline-error"
	}
	return app.Div().Class(cls).ID(id).Aria("live", "polite").Body(
		app.Pre().Class("tt-note-text").Text(n.Text),
		app.Button().Type("button").Class("tt-link").Aria("label", "Dismiss").Text("✕").
			OnClick(func(ctx app.Context, e app.Event) { *n = Notice{} }),
	)
}

// small is a small secondary button.
func small(label, id string, onClick app.EventHandler) app.HTMLButton {
	return button(label, id, onClick).Class("tt-btn tt-btn-small")
}

// toggleName is the button in a table row that opens the row's details.
func toggleName(name string, open bool, onClick app.EventHandler) app.UI {
	mark := "▸ "
	if open {
		mark = "▾ "
	}
	return app.Button().Type("button").Class("tt-link tt-row-name").Aria("expanded", open).
		DataSet("name", name).Text(mark+name).OnClick(onClick, name)
}

// table is a table with a header row.
func table(id string, heads []string, rows []app.UI) app.UI {
	return app.Div().Class("tt-table-wrap").Body(
		app.Table().Class("tt-table").ID(id).Body(
			app.THead().Body(app.Tr().Body(app.Range(heads).Slice(func(i int) app.UI { return app.Th().Text(heads[i]) }))),
			app.TBody().Body(rows...),
		),
	)
}

// emptyRow is the one row of an empty table.
func emptyRow(cols int, text string) app.UI {
	return app.Tr().Body(app.Td().ColSpan(cols).Class("tt-muted").Text(text))
}

// card is a titled panel.
func card(id, title string, body ...app.UI) app.UI {
	return app.Section().Class("tt-card tt-panel").ID(id).Body(
		append([]app.UI{app.H2().Text(title)}, body...)...,
	)
}
