package app

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Register routes every page of the console to a component over s. Call it
// before app.RunWhenOnBrowser in the browser, and before generating the
// static site (with a Prerender session).
func Register(s *Session) {
	for _, pg := range Pages {
		pg := pg
		app.RouteFunc(pg.Path, func() app.Composer { return newPage(s, pg) })
	}
}

// pageCompo is the component of every route: the console's frame around the
// body of one page. Its handlers change the Session, then the page renders
// again from it. Every route shares this one type: go-app navigates between
// routes by updating the mounted component with the new one's exported
// fields, so the route is the exported Path, and the page's data loads in
// OnNav, which runs on every navigation (OnMount runs only once).
type pageCompo struct {
	app.Compo
	Path string
	s    *Session
	ctx  app.Context // the mounted component's context, for the clock's loops
}

func newPage(s *Session, pg Page) *pageCompo { return &pageCompo{s: s, Path: pg.Path} }

// page returns the page of the route.
func (p *pageCompo) page() Page {
	for _, pg := range Pages {
		if pg.Path == p.Path {
			return pg
		}
	}
	return Page{Path: p.Path, Name: "Not found"}
}

func (p *pageCompo) body() app.UI {
	switch p.Path {
	case "/":
		return homeBody(p)
	case "/cloudtrail":
		return trailBody(p)
	case "/eventbridge":
		return eventsBody(p)
	case "/sqs":
		return queuesBody(p)
	case "/sns":
		return topicsBody(p)
	case "/lambda":
		return functionsBody(p)
	case "/cloudwatch/metrics":
		return metricsBody(p)
	case "/cloudwatch/alarms":
		return alarmsBody(p)
	case "/cloudwatch/dashboards":
		return dashboardsBody(p)
	case "/logs/groups":
		return logsBody(p)
	case "/logs/insights":
		return insightsBody(p)
	}
	return notBuiltBody(p)
}

// OnMount resumes the clock's loops.
func (p *pageCompo) OnMount(ctx app.Context) {
	p.ctx = ctx
	if app.IsServer || p.s.loading {
		return
	}
	if p.s.Clock.Playing {
		p.startPlay()
	}
	if p.s.Advancing() {
		p.runAdvance()
	}
}

// OnNav loads the data of the page navigated to.
func (p *pageCompo) OnNav(ctx app.Context) {
	if app.IsServer || p.s.loading || p.s.World() == nil {
		return
	}
	switch p.Path { // as the console does on every visit
	case "/cloudtrail":
		p.s.LookupEvents(false)
	case "/eventbridge":
		p.s.EventsLoad()
	case "/sqs":
		p.s.QueuesLoad()
	case "/sns":
		p.s.TopicsLoad()
	case "/lambda":
		p.s.FunctionsLoad()
	case "/cloudwatch/metrics":
		p.s.MetricsLoad()
	case "/cloudwatch/alarms":
		p.s.AlarmsLoad()
	case "/cloudwatch/dashboards":
		p.s.DashboardsLoad()
	case "/logs/groups":
		p.s.LogsLoad()
		p.s.SearchLogs()
	case "/logs/insights":
		p.s.InsightsLoad()
	}
}

// OnAppUpdate says that a new version of the site is ready.
func (p *pageCompo) OnAppUpdate(ctx app.Context) {
	p.s.say("A new version of Telltale is ready: reload the page to use it.")
}

// Render draws the frame and the page's body.
func (p *pageCompo) Render() app.UI { return frame(p) }

// PlayInterval is how often a playing clock moves.
const PlayInterval = 250 * time.Millisecond

// startPlay runs the play loop until the clock stops, a newer loop starts or
// the page goes away. It saves the world every few seconds of play.
func (p *pageCompo) startPlay() {
	s := p.s
	s.Clock.gen++
	gen := s.Clock.gen
	last := time.Now()
	lastSave := last
	var tick func(ctx app.Context)
	tick = func(ctx app.Context) {
		if !s.Clock.Playing || s.Clock.gen != gen {
			return
		}
		now := time.Now()
		save := now.Sub(lastSave) >= 2*time.Second
		if save {
			lastSave = now
		}
		if err := s.Tick(now.Sub(last), save); err != nil {
			s.SetPlaying(false)
			s.fail("The clock stopped: %v", err)
			return
		}
		last = now
		ctx.After(PlayInterval, tick)
	}
	p.ctx.After(PlayInterval, tick)
}

// runAdvance makes the move of the clock in progress in slices of about 30
// ms, letting the browser draw the progress in between.
func (p *pageCompo) runAdvance() {
	s := p.s
	var step func(ctx app.Context)
	step = func(ctx app.Context) {
		if !s.Advancing() {
			return
		}
		start := time.Now()
		done, err := s.Step(func() bool { return time.Since(start) > 30*time.Millisecond })
		if err != nil {
			s.fail("The clock could not move: %v", err)
		}
		if !done {
			ctx.After(4*time.Millisecond, step)
		}
	}
	p.ctx.After(time.Millisecond, step)
}
