package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

const importInputID = "tt-import-file"

// frame is the console around a page: the header, the clock bar, the status
// lines, the navigation, the page, and the terminal.
func frame(p *pageCompo) app.UI {
	s := p.s
	cls := "tt-app"
	if s.NavOpen {
		cls += " tt-nav-open"
	}
	return app.Div().Class(cls).Body(
		header(p),
		clockBar(p),
		status(s),
		app.Div().Class("tt-body").Body(
			nav(p),
			app.Main().Class("tt-main").ID("tt-main").Body(
				app.H1().Class("tt-title").Text(p.page().Title()),
				content(p),
			),
		),
		app.If(!s.loading, terminal(s)),
	)
}

func header(p *pageCompo) app.UI {
	s := p.s
	w := s.World()
	return app.Header().Class("tt-top").Body(
		app.Button().Type("button").Class("tt-menu").ID("tt-menu").Aria("label", "Menu").Text("☰").
			OnClick(func(ctx app.Context, e app.Event) { s.NavOpen = !s.NavOpen }),
		app.A().Class("tt-brand").Href(href("/")).Body(
			app.Img().Src("/web/icon.svg").Alt("").Width(22).Height(22),
			app.Span().Text("Telltale"),
		),
		when(w != nil, func() app.UI {
			return app.Span().Class("tt-chip").Title("Account and region of the simulated world").
				Text(w.Account() + " · " + w.Region())
		}),
		app.Div().Class("tt-spacer"),
		when(!s.loading, func() app.UI {
			return app.Div().Class("tt-actions").Body(
				button("Export", "tt-export", func(ctx app.Context, e app.Event) { s.Export() }).
					Title("Download the world as a JSON file").Disabled(w == nil),
				app.Label().Class("tt-btn").For(importInputID).Title("Replace the world with an exported one").Text("Import"),
				app.Input().Type("file").ID(importInputID).Class("tt-file").Accept("application/json,.json").
					OnChange(func(ctx app.Context, e app.Event) { onImport(ctx, s) }),
				button("Reset", "tt-reset", func(ctx app.Context, e app.Event) { s.ConfirmReset = true }).
					Title("Start a fresh world").Disabled(w == nil),
				button(termToggleLabel(s), "tt-term-toggle", func(ctx app.Context, e app.Event) {
					s.Term.Open = !s.Term.Open
					if s.Term.Open {
						ctx.Defer(func(app.Context) { focusTerm() })
					}
				}).Class("tt-btn tt-btn-primary"),
			)
		}),
	)
}

func termToggleLabel(s *Session) string {
	if s.Term.Open {
		return "Hide terminal"
	}
	return "Terminal"
}

func focusTerm() {
	if in := app.Window().GetElementByID(termInputID); in.Truthy() {
		in.Call("focus")
	}
}

// onImport reads the chosen file off the UI goroutine, then imports it.
func onImport(ctx app.Context, s *Session) {
	src := ctx.JSSrc()
	name := "the file"
	if f := src.Get("files").Index(0); f.Truthy() {
		name = f.Get("name").String()
	}
	ctx.Async(func() {
		data, err := s.opts.Browser.ReadFileInput(importInputID)
		ctx.Dispatch(func(ctx app.Context) {
			src.Set("value", "")
			if err != nil {
				s.fail("%s could not be read: %v", name, err)
				return
			}
			s.Import(name, data)
		})
	})
}

func status(s *Session) app.UI {
	return app.Div().Class("tt-status").Aria("live", "polite").Body(
		when(s.loading, func() app.UI {
			return app.P().Class("tt-note").Text("Starting the simulation…")
		}),
		when(s.StorageNote() != "", func() app.UI {
			return app.P().Class("tt-note tt-warn").ID("tt-storage-note").Text(s.StorageNote())
		}),
		when(s.SaveError() != nil, func() app.UI {
			return app.P().Class("tt-note tt-error").ID("tt-save-error").Text(s.SaveError().Error())
		}),
		when(s.Message != "", func() app.UI {
			cls := "tt-note"
			if s.MessageIsError {
				cls += " tt-error"
			}
			return app.P().Class(cls).ID("tt-message").Body(
				app.Span().Text(s.Message),
				app.Button().Type("button").Class("tt-link").Aria("label", "Dismiss").Text("✕").
					OnClick(func(ctx app.Context, e app.Event) { s.ClearMessage() }),
			)
		}),
		when(s.ConfirmReset, func() app.UI {
			return app.Div().Class("tt-note tt-confirm").ID("tt-reset-confirm").Body(
				app.Span().Text("Reset the world? Everything in it — resources, CloudTrail events, the clock — is deleted. Export it first to keep a copy."),
				button("Reset the world", "tt-reset-yes", func(ctx app.Context, e app.Event) { s.Reset() }).
					Class("tt-btn tt-btn-danger"),
				button("Cancel", "tt-reset-no", func(ctx app.Context, e app.Event) { s.ConfirmReset = false }),
			)
		}),
	)
}

func nav(p *pageCompo) app.UI {
	var items []app.UI
	group := ""
	for _, pg := range Pages {
		if pg.Group != group && pg.Group != "" {
			group = pg.Group
			items = append(items, app.Li().Class("tt-nav-group").Text(group))
		}
		cls := "tt-nav-link"
		if pg.Path == p.Path {
			cls += " tt-active"
		}
		if !pg.Built {
			cls += " tt-soon"
		}
		pg := pg
		items = append(items, app.Li().Body(
			app.A().Class(cls).Href(href(pg.Path)).Text(pg.Name).
				OnClick(func(ctx app.Context, e app.Event) { p.s.NavOpen = false }),
		))
	}
	return app.Nav().Class("tt-nav").Aria("label", "Services").Body(app.Ul().Body(items...))
}

// content is the page's body, or what replaces it: the loading note, or the
// recovery panel of a saved world that cannot be read.
func content(p *pageCompo) app.UI {
	s := p.s
	switch {
	case s.loading:
		return app.P().Class("tt-muted").Text("Loading the simulated account…")
	case s.World() == nil:
		return recovery(s)
	}
	return p.body()
}

func recovery(s *Session) app.UI {
	return app.Div().Class("tt-card tt-recovery").ID("tt-recovery").Body(
		app.H2().Text("The saved world could not be read"),
		app.P().Text(s.Broken().Error()),
		app.P().Text("Nothing has been changed. Download the saved data to keep it, then start a fresh world. "+
			"The unreadable data is also kept aside in the browser when you start again."),
		app.Div().Class("tt-row").Body(
			when(s.broken != nil, func() app.UI {
				return button("Download the saved data", "tt-recovery-export", func(ctx app.Context, e app.Event) { s.ExportBroken() })
			}),
			button("Start a fresh world", "tt-recovery-fresh", func(ctx app.Context, e app.Event) { s.Reset() }).
				Class("tt-btn tt-btn-primary"),
		),
	)
}
