package app

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

var start = time.Date(2026, 3, 4, 9, 15, 42, 0, time.UTC)

// fakeBrowser records downloads and copies.
type fakeBrowser struct {
	downloads map[string][]byte
	copied    []string
	file      []byte
}

func (b *fakeBrowser) Download(name, mime string, data []byte) error {
	if b.downloads == nil {
		b.downloads = map[string][]byte{}
	}
	b.downloads[name] = append([]byte(nil), data...)
	return nil
}

func (b *fakeBrowser) ReadFileInput(id string) ([]byte, error) { return b.file, nil }

func (b *fakeBrowser) Copy(text string) error {
	b.copied = append(b.copied, text)
	return nil
}

// failingStorage fails every call.
type failingStorage struct{}

func (failingStorage) Load(string) ([]byte, bool, error) { return nil, false, errors.New("blocked") }
func (failingStorage) Save(string, []byte) error         { return errors.New("blocked") }
func (failingStorage) Delete(string) error               { return errors.New("blocked") }

func newTestSession(t *testing.T, st Storage) (*Session, *fakeBrowser) {
	t.Helper()
	if st == nil {
		st = NewMemoryStorage()
	}
	b := &fakeBrowser{}
	s := NewSession(Options{Storage: st, Browser: b, Now: func() time.Time { return start }, Version: "test"})
	t.Cleanup(func() {
		if w := s.World(); w != nil {
			w.Close()
		}
	})
	return s, b
}

func TestFreshSessionIsSaved(t *testing.T) {
	st := NewMemoryStorage()
	s, _ := newTestSession(t, st)
	if s.World() == nil {
		t.Fatalf("no world: %v", s.Broken())
	}
	if got, want := s.World().Now(), start.Truncate(time.Minute); !got.Equal(want) {
		t.Errorf("fresh world starts at %s, want %s", got, want)
	}
	if _, ok, _ := st.Load(WorldKey); !ok {
		t.Errorf("a fresh world is not saved")
	}
}

func TestExec(t *testing.T) {
	tests := []struct {
		name       string
		line       string
		code       int
		stdout     string // a substring
		stderr     string // a substring
		noEntry    bool
		wantSaved  bool
		wantEvents int
	}{
		{name: "identity", line: "aws sts get-caller-identity", stdout: `"Account": "123456789012"`, wantSaved: true},
		{name: "leading telltale", line: "telltale aws sts get-caller-identity", stdout: `"Arn": "arn:aws:iam::123456789012:user/learner"`},
		{name: "service error", line: "aws cloudtrail lookup-events --lookup-attributes AttributeKey=Bogus,AttributeValue=x",
			code: 254, stderr: "An error occurred (InvalidLookupAttributesException)"},
		{name: "usage error", line: "frobnicate", code: 252, stderr: "unknown command"},
		{name: "clock", line: "clock advance 1h", stdout: ""},
		{name: "no local files", line: "run script.txt", code: 1, stderr: "cannot read the script"},
		{name: "unbalanced quote", line: `aws sts "get-caller-identity`, code: 252, stderr: "telltale: error"},
		{name: "blank", line: "   ", noEntry: true},
		{name: "clear", line: "clear", noEntry: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestSession(t, nil)
			s.Exec("version")
			before := len(s.Term.Entries)
			e := s.Exec(tc.line)
			if tc.noEntry {
				if tc.line == "clear" && len(s.Term.Entries) != 0 {
					t.Errorf("clear left %d entries", len(s.Term.Entries))
				}
				if tc.line != "clear" && len(s.Term.Entries) != before {
					t.Errorf("a blank line made an entry")
				}
				return
			}
			if e.Code != tc.code {
				t.Errorf("code %d, want %d (stderr %q)", e.Code, tc.code, e.Stderr)
			}
			if !strings.Contains(e.Stdout, tc.stdout) {
				t.Errorf("stdout %q does not contain %q", e.Stdout, tc.stdout)
			}
			if !strings.Contains(e.Stderr, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", e.Stderr, tc.stderr)
			}
			if got := s.Term.Entries[len(s.Term.Entries)-1]; got.Line != strings.TrimSpace(tc.line) {
				t.Errorf("last entry %q, want %q", got.Line, tc.line)
			}
			if s.Dirty() {
				t.Errorf("the world was not saved after the command")
			}
		})
	}
}

func TestExecTextRunsEveryLine(t *testing.T) {
	s, _ := newTestSession(t, nil)
	s.ExecText("aws sts get-caller-identity\n# a comment\n\nclock advance 5m\naws sts \\\n  get-caller-identity\n")
	var lines []string
	for _, e := range s.Term.Entries {
		lines = append(lines, e.Line)
	}
	want := []string{"aws sts get-caller-identity", "clock advance 5m", "aws sts \\\n  get-caller-identity"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("ran %q, want %q", lines, want)
	}
	if got := s.World().Now(); !got.Equal(start.Truncate(time.Minute).Add(5 * time.Minute)) {
		t.Errorf("clock at %s", got)
	}
}

func TestHistory(t *testing.T) {
	var term Terminal
	for _, l := range []string{"a", "b", "b", "c"} {
		term.remember(l)
	}
	steps := []struct {
		up   bool
		cur  string
		want string
	}{
		{true, "draft", "c"}, {true, "c", "b"}, {true, "b", "a"}, {true, "a", "a"},
		{false, "a", "b"}, {false, "b", "c"}, {false, "c", "draft"}, {false, "draft", "draft"},
	}
	for i, st := range steps {
		var got string
		if st.up {
			got = term.Prev(st.cur)
		} else {
			got = term.Next(st.cur)
		}
		if got != st.want {
			t.Errorf("step %d: got %q, want %q", i, got, st.want)
		}
	}
}

func TestReloadKeepsTheWorld(t *testing.T) {
	st := NewMemoryStorage()
	s, _ := newTestSession(t, st)
	s.Exec("aws sts get-caller-identity")
	s.Exec("clock advance 2h")
	s.Exec("aws sts get-caller-identity")
	now := s.World().Now()

	r, _ := newTestSession(t, st)
	if r.World() == nil {
		t.Fatalf("reload: %v", r.Broken())
	}
	if !r.World().Now().Equal(now) {
		t.Errorf("reloaded clock %s, want %s", r.World().Now(), now)
	}
	r.LookupEvents(false)
	if r.Trail.Err != "" {
		t.Fatal(r.Trail.Err)
	}
	var names []string
	for _, e := range r.Trail.Events {
		names = append(names, e.Name)
	}
	if strings.Join(names, ",") != "GetCallerIdentity,GetCallerIdentity" {
		t.Errorf("events after reload: %v", names)
	}
	if !r.Trail.Events[0].Time.After(r.Trail.Events[1].Time) {
		t.Errorf("events not newest first")
	}
}

func TestBrokenSaveIsKept(t *testing.T) {
	st := NewMemoryStorage()
	raw := []byte(`{"format":"telltale-world","version":1,"store":[`)
	st.Save(WorldKey, raw)
	s, b := newTestSession(t, st)
	if s.World() != nil || s.Broken() == nil {
		t.Fatalf("a truncated save was accepted")
	}
	if e := s.Exec("aws sts get-caller-identity"); e.Code == 0 || !strings.Contains(e.Stderr, "no world") {
		t.Errorf("command without a world: %+v", e)
	}
	if got, _, _ := st.Load(WorldKey); string(got) != string(raw) {
		t.Errorf("the unreadable save was overwritten")
	}
	s.ExportBroken()
	if string(b.downloads["telltale-world-unreadable.json"]) != string(raw) {
		t.Errorf("export of the raw data: %q", b.downloads)
	}
	s.Reset()
	if s.World() == nil {
		t.Fatalf("reset did not start a world: %v", s.Broken())
	}
	if got, _, _ := st.Load(UnreadableKey); string(got) != string(raw) {
		t.Errorf("the unreadable data was not set aside: %q", got)
	}
}

func TestStorageFailures(t *testing.T) {
	s, _ := newTestSession(t, failingStorage{})
	if s.Broken() == nil || !strings.Contains(s.Broken().Error(), "blocked") {
		t.Errorf("a storage that cannot be read: %v", s.Broken())
	}
	s.Reset()
	if s.World() == nil {
		t.Fatal("no world after reset")
	}
	if s.SaveError() == nil {
		t.Errorf("a failing save is not reported")
	}
}

func TestExportImport(t *testing.T) {
	s, b := newTestSession(t, nil)
	s.Exec("clock advance 1d")
	s.Exec("aws sts get-caller-identity")
	s.Export()
	name := s.ExportName()
	data, ok := b.downloads[name]
	if !ok || name != "telltale-world-2026-03-05T0915Z.json" {
		t.Fatalf("export: %q %v", name, b.downloads)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil || doc["format"] != "telltale-world" {
		t.Fatalf("export is not a world document: %v", err)
	}

	other, _ := newTestSession(t, nil)
	other.Import("bad.json", []byte(`{"hello":1}`))
	if !other.MessageIsError || !strings.Contains(other.Message, "current world was kept") {
		t.Errorf("bad import message: %q", other.Message)
	}
	other.Import(name, data)
	if other.MessageIsError {
		t.Fatal(other.Message)
	}
	if !other.World().Now().Equal(s.World().Now()) {
		t.Errorf("imported clock %s, want %s", other.World().Now(), s.World().Now())
	}
}

func TestReset(t *testing.T) {
	s, _ := newTestSession(t, nil)
	s.Exec("clock advance 3d")
	s.ConfirmReset = true
	s.Reset()
	if s.ConfirmReset || !s.World().Now().Equal(start.Truncate(time.Minute)) || len(s.Term.Entries) != 0 {
		t.Errorf("reset: confirm %v, now %s, %d entries", s.ConfirmReset, s.World().Now(), len(s.Term.Entries))
	}
}

func TestPlayTicks(t *testing.T) {
	s, _ := newTestSession(t, nil)
	t0 := s.World().Now()
	s.Tick(time.Second, false) // not playing
	if !s.World().Now().Equal(t0) {
		t.Fatal("a paused clock moved")
	}
	s.SetSpeed(60)
	s.SetSpeed(7) // ignored
	s.SetPlaying(true)
	s.Tick(time.Second, false)
	s.Tick(time.Hour, true) // capped at MaxTick
	want := t0.Add(time.Minute + 2*time.Minute)
	if !s.World().Now().Equal(want) {
		t.Errorf("clock %s, want %s", s.World().Now(), want)
	}
	if s.Dirty() {
		t.Errorf("not saved on a save tick")
	}
}

func TestAdvanceInSteps(t *testing.T) {
	s, _ := newTestSession(t, nil)
	t0 := s.World().Now()
	if err := s.StartAdvance(24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.StartAdvance(time.Hour); !errors.Is(err, ErrBusy) {
		t.Errorf("second advance: %v", err)
	}
	if !s.Advancing() || s.Progress() != 0 {
		t.Errorf("advancing %v progress %v", s.Advancing(), s.Progress())
	}
	done, err := s.Step(func() bool { return true })
	if err != nil || !done {
		t.Fatalf("step: %v %v", done, err)
	}
	if s.Advancing() || !s.World().Now().Equal(t0.Add(24*time.Hour)) || s.Dirty() {
		t.Errorf("after the advance: advancing %v, now %s, dirty %v", s.Advancing(), s.World().Now(), s.Dirty())
	}
	// The terminal moving the clock past the end of an advance ends it.
	s.StartAdvance(time.Minute)
	s.Exec("clock advance 1h")
	if done, err := s.Step(func() bool { return true }); !done || err != nil {
		t.Errorf("overtaken advance: %v %v", done, err)
	}
}

func TestLookupFilters(t *testing.T) {
	s, _ := newTestSession(t, nil)
	s.Exec("aws sts get-caller-identity")
	s.Exec("clock advance 2h")
	s.Exec("aws sts get-caller-identity")
	tests := []struct {
		name  string
		view  TrailView
		names string
		err   string
	}{
		{name: "all", names: "GetCallerIdentity,GetCallerIdentity"},
		{name: "by name", view: TrailView{Attr: "EventName", Value: "GetCallerIdentity"}, names: "GetCallerIdentity,GetCallerIdentity"},
		{name: "last hour", view: TrailView{Range: "1h"}, names: "GetCallerIdentity"},
		{name: "read-only false", view: TrailView{Attr: "ReadOnly", Value: "false"}, names: ""},
		{name: "bad read-only", view: TrailView{Attr: "ReadOnly", Value: "maybe"}, err: "InvalidLookupAttributesException"},
		{name: "custom", view: TrailView{Range: "custom", From: "2026-03-04T09:00", To: "2026-03-04T10:00"}, names: "GetCallerIdentity"},
		{name: "bad custom", view: TrailView{Range: "custom", From: "yesterday"}, err: "not a date and time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.Trail = tc.view
			s.LookupEvents(false)
			if tc.err != "" {
				if !strings.Contains(s.Trail.Err, tc.err) {
					t.Errorf("error %q, want %q", s.Trail.Err, tc.err)
				}
				return
			}
			if s.Trail.Err != "" {
				t.Fatal(s.Trail.Err)
			}
			var names []string
			for _, e := range s.Trail.Events {
				// The console's own lookups are recorded too, as in AWS.
				if e.Name != "LookupEvents" {
					names = append(names, e.Name)
				}
			}
			got := strings.Join(names, ",")
			if got != tc.names {
				t.Errorf("events %q, want %q", got, tc.names)
			}
			for _, e := range s.Trail.Events {
				if !strings.Contains(e.Record, `"eventName": "`+e.Name+`"`) {
					t.Errorf("record of %s is not indented JSON: %s", e.Name, e.Record)
				}
			}
		})
	}
	s.Trail.ToggleEvent("x")
	if !s.Trail.Open["x"] {
		t.Errorf("toggle")
	}
}

func TestPagesRender(t *testing.T) {
	s, _ := newTestSession(t, nil)
	s.Exec("aws sts get-caller-identity")
	broken := NewMemoryStorage()
	broken.Save(WorldKey, []byte("not json"))
	b, _ := newTestSession(t, broken)
	for _, sess := range []struct {
		name string
		s    *Session
		want string
	}{{"live", s, "tt-term-input"}, {"broken", b, "could not be read"}, {"prerender", Prerender(), "Starting the simulation"}} {
		for _, pg := range Pages {
			t.Run(sess.name+pg.Path, func(t *testing.T) {
				p := newPage(sess.s, pg)
				d := app.NewServerTester(p)
				defer d.Close()
				html := app.HTMLString(p)
				if !strings.Contains(html, sess.want) {
					t.Errorf("page %s does not contain %q", pg.Path, sess.want)
				}
				if sess.name == "live" && !pg.Built && !strings.Contains(html, "not built yet") {
					t.Errorf("page %s does not say it is not built", pg.Path)
				}
			})
		}
	}
}

// TestPagePathsAreFiles checks that every route can be a file of a static
// site: no route is the directory of another (GitHub Pages would serve the
// directory, not ROUTE.html).
func TestPagePathsAreFiles(t *testing.T) {
	for _, a := range Pages {
		for _, b := range Pages {
			if a.Path != "/" && strings.HasPrefix(b.Path, a.Path+"/") {
				t.Errorf("route %s is the directory of %s", a.Path, b.Path)
			}
		}
	}
}
