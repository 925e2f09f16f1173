package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// notBuiltBody is the one line of a page that does not exist yet.
func notBuiltBody(p *pageCompo) app.UI {
	line := "This page is not built yet."
	if _, ok := p.s.World().Registry().Service(p.page().API); ok {
		line = "This page is not built yet; the terminal already runs aws " + p.page().API + " commands."
	}
	return app.P().Class("tt-muted").ID("tt-not-built").Text(line)
}
