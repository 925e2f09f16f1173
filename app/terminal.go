package app

import (
	"bytes"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"github.com/telltale-dev/telltale/core/cli"
)

// MaxEntries is how many commands the terminal keeps on screen.
const MaxEntries = 200

// Entry is one command run in the terminal and what it printed.
type Entry struct {
	Line   string
	Stdout string
	Stderr string
	Code   int
	// Follow names the group of an `aws logs tail --follow` whose new
	// events this entry holds (Line is then empty).
	Follow string
	seq    int
}

// Terminal is the state of the terminal panel.
type Terminal struct {
	Open    bool
	Entries []Entry
	history []string
	pos     int // index in history of the line shown; len(history) is the new line
	draft   string
	seq     int
	// follow is the `aws logs tail --follow` in progress, and followSeq the
	// entry its new events go to while it is the last one.
	follow     *cli.Tail
	followSeq  int
	followPoll time.Time // the virtual instant of its last poll
	// scroll asks the next render to scroll the output to its end (the
	// tail printed something outside a command typed in the prompt).
	scroll bool
}

// Following returns the log group an `aws logs tail --follow` follows, or "".
func (t *Terminal) Following() string {
	if t.follow == nil {
		return ""
	}
	return t.follow.Group
}

func (t *Terminal) add(e Entry) {
	t.seq++
	e.seq = t.seq
	t.Entries = append(t.Entries, e)
	if k := len(t.Entries) - MaxEntries; k > 0 {
		t.Entries = t.Entries[k:]
	}
}

func (t *Terminal) remember(line string) {
	if n := len(t.history); n == 0 || t.history[n-1] != line {
		t.history = append(t.history, line)
	}
	if k := len(t.history) - 500; k > 0 {
		t.history = t.history[k:]
	}
	t.pos, t.draft = len(t.history), ""
}

// Prev returns the line before the one shown (up arrow); current is what the
// prompt holds now, kept as the draft when leaving the new line.
func (t *Terminal) Prev(current string) string {
	if t.pos == len(t.history) {
		t.draft = current
	}
	if t.pos > 0 {
		t.pos--
	}
	if t.pos < len(t.history) {
		return t.history[t.pos]
	}
	return current
}

// Next returns the line after the one shown (down arrow), ending at the draft.
func (t *Terminal) Next(current string) string {
	if t.pos >= len(t.history) {
		return current
	}
	t.pos++
	if t.pos == len(t.history) {
		return t.draft
	}
	return t.history[t.pos]
}

// Transcript returns the whole terminal as text, as a shell would show it.
func (t *Terminal) Transcript() string {
	var b strings.Builder
	for _, e := range t.Entries {
		b.WriteString("$ " + e.Line + "\n" + e.Stdout + e.Stderr)
	}
	return b.String()
}

const termInputID = "tt-term-input"

// terminal is the terminal panel. Handlers update the page component that
// holds it.
func terminal(s *Session) app.UI {
	t := &s.Term
	cls := "tt-term"
	if !t.Open {
		cls += " tt-hidden"
	}
	if t.scroll && app.IsClient {
		t.scroll = false
		var f app.Func
		f = app.FuncOf(func(this app.Value, args []app.Value) any {
			defer f.Release()
			if out := app.Window().GetElementByID("tt-term-out"); out.Truthy() {
				out.Set("scrollTop", out.Get("scrollHeight"))
			}
			return nil
		})
		app.Window().Call("setTimeout", f, 0)
	}
	return app.Section().ID("tt-term").Class(cls).Aria("label", "Terminal").Body(
		app.Div().Class("tt-term-grip").Title("Drag to resize").Aria("hidden", "true"),
		app.Div().Class("tt-term-bar").Body(
			app.Span().Class("tt-term-title").Text("Terminal"),
			app.Span().Class("tt-term-hint").Text("telltale commands: aws …, api …, clock …, help"),
			app.Div().Class("tt-spacer"),
			when(t.follow != nil, func() app.UI {
				return button("Stop tail", "tt-term-stop-tail", func(ctx app.Context, e app.Event) { s.StopTail() }).
					Title("Stop aws logs tail --follow of " + t.Following())
			}),
			button("Copy all", "tt-term-copy", func(ctx app.Context, e app.Event) {
				s.copyText(t.Transcript())
			}),
			button("Clear", "tt-term-clear", func(ctx app.Context, e app.Event) { t.Entries = nil }),
			button("Hide", "tt-term-hide", func(ctx app.Context, e app.Event) { t.Open = false }),
		),
		app.Div().ID("tt-term-out").Class("tt-term-out").Body(
			app.Range(t.Entries).Slice(func(i int) app.UI { return termEntry(s, t.Entries[i]) }),
		),
		app.Div().Class("tt-term-prompt").Body(
			app.Span().Class("tt-term-ps").Aria("hidden", "true").Text("$"),
			app.Textarea().ID(termInputID).Class("tt-term-input").Rows(1).
				Aria("label", "Command").
				Attr("spellcheck", "false").Attr("autocapitalize", "off").Attr("autocomplete", "off").
				Placeholder("aws sts get-caller-identity").
				OnKeyDown(func(ctx app.Context, e app.Event) { onTermKey(ctx, e, s) }).
				OnInput(func(ctx app.Context, e app.Event) { onTermInput(ctx, s) }),
		),
	)
}

func termEntry(s *Session, e Entry) app.UI {
	out := e.Stdout + e.Stderr
	line := "$ " + e.Line
	if e.Follow != "" {
		line = "… aws logs tail " + e.Follow + " --follow"
	}
	return app.Div().Class("tt-term-entry").Body(
		app.Div().Class("tt-term-cmd").Body(
			app.Span().Class("tt-term-line").Text(line),
			app.If(out != "", app.Button().Class("tt-link tt-term-copy1").Title("Copy the output").Text("copy").
				OnClick(func(ctx app.Context, ev app.Event) { s.copyText(out) })),
		),
		app.If(e.Stdout != "", app.Pre().Class("tt-term-stdout").Text(e.Stdout)),
		app.If(e.Stderr != "", app.Pre().Class("tt-term-stderr").Text(e.Stderr)),
	)
}

func (s *Session) copyText(text string) {
	if err := s.opts.Browser.Copy(text); err != nil {
		s.fail("Could not copy: %v", err)
	}
}

// onTermKey runs the prompt on Enter (public/telltale.js stops the newline)
// and walks the history on the arrows.
func onTermKey(ctx app.Context, e app.Event, s *Session) {
	src := ctx.JSSrc()
	switch e.Get("key").String() {
	case "c":
		if e.Get("ctrlKey").Bool() && src.Get("value").String() == "" && s.Term.follow != nil {
			s.StopTail()
			scrollTerm(ctx)
		}
	case "Enter":
		if e.Get("shiftKey").Bool() {
			return
		}
		text := src.Get("value").String()
		src.Set("value", "")
		s.ExecText(text)
		scrollTerm(ctx)
	case "ArrowUp":
		if v := src.Get("value").String(); !strings.Contains(v, "\n") {
			src.Set("value", s.Term.Prev(v))
		}
	case "ArrowDown":
		if v := src.Get("value").String(); !strings.Contains(v, "\n") {
			src.Set("value", s.Term.Next(v))
		}
	}
}

// onTermInput runs the complete lines of a multi-line paste and leaves the
// last, unfinished one at the prompt.
func onTermInput(ctx app.Context, s *Session) {
	src := ctx.JSSrc()
	v := src.Get("value").String()
	i := strings.LastIndexByte(v, '\n')
	if i < 0 {
		return
	}
	src.Set("value", v[i+1:])
	s.ExecText(v[:i])
	scrollTerm(ctx)
}

func scrollTerm(ctx app.Context) {
	ctx.Defer(func(app.Context) {
		out := app.Window().GetElementByID("tt-term-out")
		if out.Truthy() {
			out.Set("scrollTop", out.Get("scrollHeight"))
		}
	})
}

// TailEvery is how far the virtual clock moves between two polls of an
// `aws logs tail --follow` while it plays (the AWS CLI polls every 5 s).
const TailEvery = 5 * time.Second

// pollTail prints the new events of the terminal's `aws logs tail
// --follow`: after every command (force) and as the clock moves.
func (s *Session) pollTail(force bool) {
	t := &s.Term
	w := s.world
	if t.follow == nil || w == nil {
		return
	}
	if !force && w.Now().Sub(t.followPoll) < TailEvery {
		return
	}
	t.followPoll = w.Now()
	var out, errb bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, FS: cli.NoFS{}, WallClock: s.opts.Now, Version: s.opts.Version}
	code := t.follow.Poll(&cli.Session{World: w, Env: env})
	group := t.follow.Group
	if code != cli.ExitOK {
		t.follow = nil
	}
	if out.Len() == 0 && errb.Len() == 0 {
		return
	}
	t.scroll = true
	if n := len(t.Entries); n > 0 && t.Entries[n-1].seq == t.followSeq {
		last := &t.Entries[n-1]
		last.Stdout += out.String()
		last.Stderr += errb.String()
		if code != cli.ExitOK {
			last.Code = code
		}
		return
	}
	t.add(Entry{Follow: group, Stdout: out.String(), Stderr: errb.String(), Code: code})
	t.followSeq = t.seq
}

// StopTail stops the terminal's `aws logs tail --follow`, as Ctrl-C does.
func (s *Session) StopTail() {
	if s.Term.follow == nil {
		return
	}
	s.Term.add(Entry{Line: "^C"})
	s.Term.follow = nil
}
