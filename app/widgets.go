package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// button is a plain button with an id for tests and a click handler.
func button(label, id string, onClick app.EventHandler) app.HTMLButton {
	// The scope makes go-app replace the handler when a reused element
	// changes buttons: it compares handlers by their code, not their closure.
	b := app.Button().Type("button").Class("tt-btn").Text(label).OnClick(onClick, label, id)
	if id != "" {
		b = b.ID(id)
	}
	return b
}

// href returns the link to a route of the site, under the site's base path.
func href(path string) string {
	return strings.TrimSuffix(app.Getenv("GOAPP_ROOT_PREFIX"), "/") + path
}

// field is a labelled form control.
func field(label string, control app.UI) app.UI {
	return app.Label().Class("tt-field").Body(app.Span().Class("tt-field-label").Text(label), control)
}

// when returns f's element if cond holds, and nothing otherwise (f is not
// called, unlike the arguments of app.If).
func when(cond bool, f func() app.UI) app.UI {
	if !cond {
		return nil
	}
	return f()
}

// tabStrip is a row of tabs, one button per tab with the id idPrefix+its
// value; on is the value of the tab shown, and set is called with the value
// of a tab clicked.
func tabStrip(idPrefix string, tabs []Option, on string, set func(string)) app.UI {
	return app.Div().Class("tt-tabs").Aria("role", "tablist").Body(
		app.Range(tabs).Slice(func(i int) app.UI {
			t := tabs[i]
			cls := "tt-tab"
			if t.Value == on {
				cls += " tt-on"
			}
			return app.Button().Type("button").Class(cls).ID(idPrefix+t.Value).Aria("role", "tab").
				Aria("selected", t.Value == on).Text(t.Label).
				OnClick(func(ctx app.Context, e app.Event) { set(t.Value) }, t.Value)
		}),
	)
}
