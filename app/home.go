package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// homeBody is the home page: what the account is and how to start.
func homeBody(p *pageCompo) app.UI {
	w := p.s.World()
	id := w.Identity()
	return app.Div().Class("tt-home").Body(
		app.P().Class("tt-lead").Text("A simulated AWS account for learning monitoring and audit. "+
			"Everything runs in this page: no AWS account, no network."),
		app.Dl().Class("tt-facts").Body(
			app.Dt().Text("Account"), app.Dd().ID("tt-account").Text(w.Account()),
			app.Dt().Text("Region"), app.Dd().Text(w.Region()),
			app.Dt().Text("Caller"), app.Dd().Class("tt-mono").Text(id.ARN),
			app.Dt().Text("Services with an API"), app.Dd().Text(strings.Join(w.Registry().Names(), ", ")),
		),
		app.Div().Class("tt-card").Body(
			app.H2().Text("Start here"),
			app.P().Text("Open the terminal and run a command, as you would with the AWS CLI:"),
			app.Pre().Class("tt-code").Text("aws sts get-caller-identity\naws cloudtrail lookup-events --max-results 5\nclock advance 1h\nhelp"),
			app.P().Body(
				app.Text("Every call is recorded: see it in "),
				app.A().Href(href("/cloudtrail")).Text("CloudTrail event history"),
				app.Text(". The world is saved in this browser after every change; use Export to keep a copy."),
			),
		),
	)
}
