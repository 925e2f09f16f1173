package app

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/cli"
	"github.com/telltale-dev/telltale/core/world"
)

// Keys of the browser storage.
const (
	// WorldKey holds the snapshot of the page's world.
	WorldKey = "telltale.world"
	// UnreadableKey keeps a saved world that could not be read, when the
	// learner starts a fresh one instead.
	UnreadableKey = "telltale.world.unreadable"
)

// Options configure a Session.
type Options struct {
	Storage Storage          // default: a MemoryStorage
	Browser Browser          // default: NoBrowser
	Now     func() time.Time // the wall clock; it starts fresh worlds (default: the Unix epoch)
	Version string           // the build's version, for `version`
	// StorageNote, when set, says why the world is kept in memory only (for
	// example: the browser blocks storage in this frame).
	StorageNote string
	// Seed is the seed of fresh worlds (default 1, as `telltale`).
	Seed uint64
}

// Session is the world of the page and everything around it: the saved copy,
// the terminal, the clock controls and the state of the pages. The page's
// components are thin views over it; it holds no DOM and is tested natively.
//
// A Session is not safe for concurrent use: call it from the UI goroutine
// (event handlers and ctx.Dispatch).
type Session struct {
	opts  Options
	world *world.World

	// broken is a saved world that could not be read; while it is set there
	// is no world and nothing is saved over it.
	broken    []byte
	brokenErr error

	dirty   bool
	saveErr error
	// Message is a one-line status shown under the header (the result of an
	// export, an import, a reset); it is cleared by the learner.
	Message string
	// MessageIsError marks Message as a failure.
	MessageIsError bool

	Term  Terminal
	Clock ClockState
	Trail TrailView
	// The pages of EventBridge and of the services its targets reach.
	Events    EventsView
	Queues    QueuesView
	Topics    TopicsView
	Functions FunctionsView
	// The CloudWatch pages.
	Metrics    MetricsView
	Alarms     AlarmsView
	Dashboards DashboardsView
	// Logs is the state of the Log groups page.
	Logs LogsView
	// Insights is the state of the Logs Insights page.
	Insights InsightsView
	// NavOpen is whether the navigation is shown on a narrow screen.
	NavOpen bool
	// ConfirmReset is whether the reset confirmation is showing.
	ConfirmReset bool
	loading      bool // prerendered: the world is not there yet
}

// NewSession opens the saved world, or starts a fresh one when there is none.
// A saved world that cannot be read leaves the session broken (see Broken)
// rather than replacing it.
func NewSession(o Options) *Session {
	if o.Storage == nil {
		o.Storage = NewMemoryStorage()
	}
	if o.Browser == nil {
		o.Browser = NoBrowser{}
	}
	if o.Now == nil {
		o.Now = func() time.Time { return time.Unix(0, 0) }
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	s := &Session{opts: o, Term: Terminal{Open: true}, Clock: ClockState{Speed: 1}}
	data, ok, err := o.Storage.Load(WorldKey)
	switch {
	case err != nil:
		s.brokenErr = fmt.Errorf("the browser storage could not be read: %v", err)
	case ok:
		w, err := world.Restore(data)
		if err != nil {
			s.broken, s.brokenErr = data, err
			break
		}
		s.adopt(w)
	default:
		if err := s.fresh(); err != nil {
			s.brokenErr = err
		}
	}
	return s
}

// World returns the page's world, or nil while the session is broken.
func (s *Session) World() *world.World { return s.world }

// Version returns the build's version.
func (s *Session) Version() string { return s.opts.Version }

// StorageNote says why the world lives in memory only, or is empty.
func (s *Session) StorageNote() string { return s.opts.StorageNote }

// Broken returns why the saved world could not be read, or nil.
func (s *Session) Broken() error {
	if s.world != nil || s.loading {
		return nil
	}
	if s.brokenErr == nil {
		return errors.New("there is no world")
	}
	return s.brokenErr
}

// SaveError returns the error of the last save, or nil.
func (s *Session) SaveError() error { return s.saveErr }

func (s *Session) adopt(w *world.World) {
	if s.world != nil && s.world != w {
		s.world.Close()
	}
	s.world = w
	s.broken, s.brokenErr = nil, nil
	s.Trail = TrailView{}
	s.Events, s.Queues, s.Topics, s.Functions = EventsView{}, QueuesView{}, TopicsView{}, FunctionsView{}
	s.Metrics, s.Alarms = MetricsView{}, AlarmsView{}
	s.Dashboards = DashboardsView{}
	s.Logs, s.Insights = LogsView{}, InsightsView{}
	s.Term.follow = nil
	s.Clock.Playing = false
	s.Clock.adv = nil
	w.OnChange(func() { s.dirty = true })
}

// fresh replaces the world with a fresh one starting at the wall clock.
func (s *Session) fresh() error {
	w, err := world.New(world.Config{Seed: s.opts.Seed, Start: s.opts.Now().UTC().Truncate(time.Minute)})
	if err != nil {
		return err
	}
	s.adopt(w)
	s.dirty = true
	return s.Save()
}

// Save writes the world to storage if it changed since the last save.
func (s *Session) Save() error {
	if s.world == nil || !s.dirty {
		return s.saveErr
	}
	b, err := s.world.Snapshot()
	if err == nil {
		err = s.opts.Storage.Save(WorldKey, b)
	}
	if err != nil {
		s.saveErr = fmt.Errorf("the world could not be saved in the browser: %v", err)
		return s.saveErr
	}
	s.dirty, s.saveErr = false, nil
	return nil
}

// Dirty reports whether the world changed since the last save.
func (s *Session) Dirty() bool { return s.dirty }

// Snapshot returns the world as a snapshot document, for export.
func (s *Session) Snapshot() ([]byte, error) {
	if s.world == nil {
		return nil, s.Broken()
	}
	return s.world.Snapshot()
}

// ExportName returns the file name of an export of the world.
func (s *Session) ExportName() string {
	if s.world == nil {
		return "telltale-world-unreadable.json"
	}
	return "telltale-world-" + s.world.Now().UTC().Format("2006-01-02T1504Z") + ".json"
}

// Export offers the world as a JSON file download.
func (s *Session) Export() {
	b, err := s.Snapshot()
	if err == nil {
		err = s.opts.Browser.Download(s.ExportName(), "application/json", b)
	}
	if err != nil {
		s.fail("The world could not be exported: %v", err)
		return
	}
	s.say("The world was exported to %s.", s.ExportName())
}

// ExportBroken offers the unreadable saved data as a file, untouched.
func (s *Session) ExportBroken() {
	if s.broken == nil {
		s.fail("There is no saved data to export.")
		return
	}
	if err := s.opts.Browser.Download("telltale-world-unreadable.json", "application/json", s.broken); err != nil {
		s.fail("The saved data could not be exported: %v", err)
		return
	}
	s.say("The saved data was exported to telltale-world-unreadable.json.")
}

// Import replaces the world with the one in data (an export). A document that
// is not a world leaves the current world as it was.
func (s *Session) Import(name string, data []byte) {
	w, err := world.Restore(data)
	if err != nil {
		s.fail("%s could not be imported: %v. The current world was kept.", name, err)
		return
	}
	s.adopt(w)
	s.dirty = true
	if err := s.Save(); err != nil {
		s.fail("%v", err)
		return
	}
	s.say("Imported %s: the world is now at %s.", name, FormatTime(w.Now()))
}

// Reset replaces the world with a fresh one. A saved world that could not be
// read is kept under UnreadableKey first.
func (s *Session) Reset() {
	s.ConfirmReset = false
	if s.broken != nil {
		if err := s.opts.Storage.Save(UnreadableKey, s.broken); err != nil {
			s.fail("The unreadable saved data could not be set aside, so nothing was changed: %v", err)
			return
		}
	}
	if err := s.fresh(); err != nil {
		s.fail("%v", err)
		return
	}
	s.Term.Entries = nil
	s.say("A fresh world started at %s.", FormatTime(s.world.Now()))
}

// ClearMessage removes the status message.
func (s *Session) ClearMessage() { s.Message, s.MessageIsError = "", false }

func (s *Session) say(format string, args ...any) {
	s.Message, s.MessageIsError = fmt.Sprintf(format, args...), false
}

func (s *Session) fail(format string, args ...any) {
	s.Message, s.MessageIsError = fmt.Sprintf(format, args...), true
}

// Exec runs one command line as `telltale` would (without the leading
// `telltale`), records it in the terminal and saves the world.
func (s *Session) Exec(line string) Entry {
	line = strings.TrimSpace(line)
	if line == "" {
		return Entry{}
	}
	s.Term.remember(line)
	if line == "clear" {
		s.Term.Entries = nil
		return Entry{}
	}
	var out, errb bytes.Buffer
	e := Entry{Line: line}
	before := s.Term.follow
	if s.world == nil {
		errb.WriteString("telltale: there is no world: the saved one could not be read. Export it or start a fresh one first.\n")
		e.Code = cli.ExitFailure
	} else {
		env := &cli.Env{
			Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, FS: cli.NoFS{},
			WallClock: s.opts.Now, Version: s.opts.Version,
			// An `aws logs tail --follow` goes on in the terminal.
			Follow: func(t *cli.Tail) { s.Term.follow, s.Term.followPoll = t, s.world.Now() },
		}
		e.Code = (&cli.Session{World: s.world, Env: env}).ExecLine(line)
	}
	e.Stdout, e.Stderr = out.String(), errb.String()
	s.Term.add(e)
	if s.Term.follow != before {
		s.Term.followSeq = s.Term.seq // the new tail's events go under it
	}
	s.afterClock(true)
	s.Save()
	return e
}

// ExecText runs every command of a pasted text: one per line, with the
// script rules for comments, quotes and backslash continuations.
func (s *Session) ExecText(text string) {
	lines, err := cli.ScriptLines(text)
	if err != nil {
		s.Term.add(Entry{Line: strings.TrimSpace(text), Stderr: "telltale: " + err.Error() + "\n", Code: cli.ExitUsage})
		return
	}
	for _, l := range lines {
		s.Exec(l.Text)
	}
}

// FormatTime is how the page shows an instant: 2026-01-02 03:04:05 UTC.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// Prerender returns the session of the prerendered pages: no world yet, a
// note that the simulation is starting.
func Prerender() *Session {
	return &Session{opts: Options{Storage: NewMemoryStorage(), Browser: NoBrowser{}}, loading: true,
		Term: Terminal{Open: true}, Clock: ClockState{Speed: 1}}
}
