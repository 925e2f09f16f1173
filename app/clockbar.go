package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// clockBar shows the virtual time and moves it: play/pause, speed, and
// "advance by" buttons.
func clockBar(p *pageCompo) app.UI {
	s := p.s
	w := s.World()
	if w == nil {
		return app.Div().Class("tt-clock").Body(app.Span().Class("tt-clock-time").ID("tt-clock-time").Text("—"))
	}
	busy := s.Advancing()
	playLabel, playTitle := "▶ Play", "Let the virtual clock run"
	if s.Clock.Playing {
		playLabel, playTitle = "❚❚ Pause", "Stop the virtual clock"
	}
	return app.Div().Class("tt-clock").Aria("label", "Virtual clock").Body(
		app.Span().Class("tt-clock-label").Text("Virtual time"),
		app.Time().Class("tt-clock-time").ID("tt-clock-time").
			Attr("datetime", w.Now().UTC().Format("2006-01-02T15:04:05Z")).Text(FormatTime(w.Now())),
		app.Div().Class("tt-clock-group").Body(
			button(playLabel, "tt-clock-play", func(ctx app.Context, e app.Event) {
				s.SetPlaying(!s.Clock.Playing)
				if s.Clock.Playing {
					p.startPlay()
				}
			}).Title(playTitle).Disabled(busy),
			app.Div().Class("tt-seg").Aria("label", "Speed").Body(
				app.Range(Speeds).Slice(func(i int) app.UI {
					n := Speeds[i]
					cls := "tt-seg-btn"
					if s.Clock.Speed == n {
						cls += " tt-on"
					}
					return app.Button().Type("button").Class(cls).ID(fmt.Sprintf("tt-speed-%d", n)).
						Aria("pressed", s.Clock.Speed == n).Text(fmt.Sprintf("%dx", n)).
						OnClick(func(ctx app.Context, e app.Event) { s.SetSpeed(n) })
				}),
			),
		),
		app.Div().Class("tt-clock-group").Body(
			app.Span().Class("tt-clock-label").Text("Advance"),
			app.Range(Steps).Slice(func(i int) app.UI {
				st := Steps[i]
				return button("+"+st.Label, "tt-adv-"+st.Label, func(ctx app.Context, e app.Event) {
					if err := s.StartAdvance(st.D); err != nil {
						s.fail("%v", err)
						return
					}
					p.runAdvance()
				}).Title("Move the clock forward by " + st.Label).Disabled(busy)
			}),
		),
		app.If(busy, app.Div().Class("tt-progress").ID("tt-clock-progress").Body(
			app.Progress().Max(100).Value(fmt.Sprintf("%.0f", 100*s.Progress())),
			app.Span().Text(fmt.Sprintf("%.0f%%", 100*s.Progress())),
		)),
	)
}
