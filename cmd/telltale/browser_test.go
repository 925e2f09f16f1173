package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests build the static site with base /telltale/, serve it
// from 127.0.0.1 under /telltale/, and drive headless Chromium through it.
// They run with TELLTALE_E2E=1 (make test-e2e sets it; plain go test skips
// them, saying so); without a browser they fail under CI=true and are skipped
// otherwise, saying why.

const e2eBase = "/telltale/"

// findChromium returns the browser to drive, or ends the test.
func findChromium(t *testing.T) string {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	if os.Getenv("TELLTALE_E2E") != "1" {
		t.Skip("browser tests run with TELLTALE_E2E=1: make test-e2e")
	}
	for _, p := range []string{os.Getenv("TELLTALE_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if ci {
		t.Fatal("no Chromium for the browser tests: install it (apt-get install -y chromium) or set TELLTALE_CHROMIUM")
	}
	t.Skip("SKIPPED: no Chromium for the browser tests; install it with apt-get install -y chromium, or set TELLTALE_CHROMIUM")
	return ""
}

// e2eSite builds the site once per test binary.
var e2eSite struct {
	once sync.Once
	dir  string
	err  error
}

func builtSite(t *testing.T) string {
	t.Helper()
	e2eSite.once.Do(func() {
		dir, err := os.MkdirTemp("", "telltale-e2e-site-")
		if err != nil {
			e2eSite.err = err
			return
		}
		e2eSite.dir = dir
		_, e2eSite.err = buildSite(siteOptions{Out: dir, Base: e2eBase, Version: "e2e", Fast: true})
	})
	if e2eSite.err != nil {
		t.Fatalf("building the site: %v", e2eSite.err)
	}
	return e2eSite.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if e2eSite.dir != "" {
		os.RemoveAll(e2eSite.dir)
	}
	os.Exit(code)
}

// siteServer serves the built site on 127.0.0.1 and can be stopped, to take
// the page offline.
type siteServer struct {
	srv  *http.Server
	base string // http://127.0.0.1:PORT/telltale/
	host string
}

func startServer(t *testing.T, dir string) *siteServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &siteServer{srv: &http.Server{Handler: siteHandler(dir, e2eBase)}, host: ln.Addr().String()}
	s.base = "http://" + s.host + e2eBase
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// e2e is one browser on one served site.
type e2e struct {
	t        *testing.T
	ctx      context.Context
	server   *siteServer
	shots    string
	mu       sync.Mutex
	requests []string
	console  []string
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	chromium := findChromium(t)
	site := builtSite(t)
	e := &e2e{t: t, server: startServer(t, site)}
	e.shots = os.Getenv("TELLTALE_SCREENSHOTS")
	if e.shots == "" {
		e.shots = filepath.Join(os.TempDir(), "telltale-e2e-screenshots")
	}
	os.MkdirAll(e.shots, 0o755)
	ctx, cancel := chromedp.NewContext(context.Background(), chromedp.WithAllocatorOptions(
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
		// No name resolves: a request to another host could not leave the
		// machine even if the page made one (the test also fails on it).
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
	))
	t.Cleanup(cancel)
	e.ctx = ctx
	// Record every request of the page.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	reqs := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range reqs {
			if err != nil {
				return
			}
			e.mu.Lock()
			e.requests = append(e.requests, ev.Request.URL)
			e.mu.Unlock()
		}
	}()
	logs := chromedp.Events(ctx, runtime.ConsoleAPICalled)
	go func() {
		for ev, err := range logs {
			if err != nil {
				return
			}
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			e.mu.Lock()
			e.console = append(e.console, string(ev.Type)+": "+strings.Join(parts, " "))
			e.mu.Unlock()
		}
	}()
	exc := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exc {
			if err != nil {
				return
			}
			e.mu.Lock()
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			e.console = append(e.console, "exception: "+msg)
			e.mu.Unlock()
		}
	}()
	return e
}

// dumpConsole logs what the page wrote to its console.
func (e *e2e) dumpConsole() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range e.console {
		e.t.Log("console " + l)
	}
	e.console = nil
}

// step runs actions with a deadline.
func (e *e2e) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		e.shot("failed-" + regexp.MustCompile(`\W+`).ReplaceAllString(what, "-"))
		e.dumpConsole()
		e.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the text of the first element matching css.
func (e *e2e) text(css string) string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		e.t.Fatalf("reading %s: %v", css, err)
	}
	return s
}

// eval evaluates a JavaScript expression (awaiting a promise).
func eval[T any](e *e2e, js string) T {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		e.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it holds.
func (e *e2e) waitFor(what, predicate string) {
	e.t.Helper()
	e.step(what, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingInterval(50*time.Millisecond),
			chromedp.WithPollingTimeout(45*time.Second))(ctx, t)
		return err
	}))
}

func (e *e2e) shot(name string) {
	ctx, cancel := context.WithTimeout(e.ctx, 20*time.Second)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		e.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(e.shots, name+".png")
	if err := os.WriteFile(p, b, 0o644); err == nil {
		e.t.Logf("screenshot: %s", p)
	}
}

// open loads a page of the site and waits for the app to run.
func (e *e2e) open(path string) {
	e.t.Helper()
	e.step("open "+path, chromedp.Navigate(e.server.base+strings.TrimPrefix(path, "/")))
	e.ready()
}

func (e *e2e) ready() {
	e.t.Helper()
	e.step("wait for the app", chromedp.WaitVisible(chromedp.ID("tt-term-input")))
}

func (e *e2e) reload() {
	e.t.Helper()
	e.step("reload", chromedp.Reload())
	e.ready()
}

// run types a command line in the terminal and waits for its entry.
func (e *e2e) run(line string) {
	e.t.Helper()
	n := eval[int](e, `document.querySelectorAll(".tt-term-entry").length`)
	e.step("type "+line, chromedp.SendKeys(chromedp.ID("tt-term-input"), line+"\r"))
	e.waitFor("the output of "+line, fmt.Sprintf(`document.querySelectorAll(".tt-term-entry").length > %d`, n))
}

// lastOutput is the output of the last terminal entry.
func (e *e2e) lastOutput() string {
	return eval[string](e, `(() => { const es = document.querySelectorAll(".tt-term-entry"); `+
		`const last = es[es.length-1]; return last ? last.innerText : ""; })()`)
}

func (e *e2e) clock() string { return e.text("#tt-clock-time") }

func (e *e2e) assertLocalRequests() {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.requests) == 0 {
		e.t.Fatalf("no requests were recorded")
	}
	for _, r := range e.requests {
		u, err := url.Parse(r)
		if err != nil {
			e.t.Errorf("request to %q", r)
			continue
		}
		switch u.Scheme {
		case "blob", "data":
			continue
		}
		if u.Host != e.server.host {
			e.t.Errorf("request to another origin: %s", r)
		}
	}
}

func TestBrowserWebApp(t *testing.T) {
	e := newE2E(t)
	e.open("/")
	e.shot("01-home")

	t.Run("terminal", func(t *testing.T) {
		e.t = t
		e.run("aws sts get-caller-identity")
		out := e.lastOutput()
		for _, want := range []string{`"UserId": "AIDA`, `"Account": "123456789012"`, `"Arn": "arn:aws:iam::123456789012:user/learner"`} {
			if !strings.Contains(out, want) {
				t.Errorf("output %q does not contain %q", out, want)
			}
		}
		e.run("aws cloudtrail lookup-events --lookup-attributes AttributeKey=Nope,AttributeValue=x")
		if out := e.lastOutput(); !strings.Contains(out, "An error occurred (InvalidLookupAttributesException) when calling the LookupEvents operation") {
			t.Errorf("the error is not shown as the CLI shows it: %q", out)
		}
		// Multi-line paste: every line runs.
		n := eval[int](e, `document.querySelectorAll(".tt-term-entry").length`)
		e.step("paste", chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById("tt-term-input"); `+
			`i.value = "aws sts get-caller-identity --query Account\nclock now\n"; i.dispatchEvent(new Event("input", {bubbles: true})); })()`))
		e.waitFor("the pasted lines", fmt.Sprintf(`document.querySelectorAll(".tt-term-entry").length >= %d`, n+2))
		// History: up brings back the last command, then the one before.
		e.step("history up", chromedp.SendKeys(chromedp.ID("tt-term-input"), kb.ArrowUp))
		e.waitFor("the last command", `document.getElementById("tt-term-input").value === "clock now"`)
		e.step("history up again", chromedp.SendKeys(chromedp.ID("tt-term-input"), kb.ArrowUp))
		e.waitFor("the command before", `document.getElementById("tt-term-input").value === "aws sts get-caller-identity --query Account"`)
		e.step("history down", chromedp.SendKeys(chromedp.ID("tt-term-input"), kb.ArrowDown+kb.ArrowDown))
		e.waitFor("the empty prompt", `document.getElementById("tt-term-input").value === ""`)
		e.shot("02-terminal")
	})

	t.Run("clock", func(t *testing.T) {
		e.t = t
		before := e.clock()
		t0, err := time.Parse("2006-01-02 15:04:05 MST", before)
		if err != nil {
			t.Fatalf("clock %q: %v", before, err)
		}
		e.step("advance 1h", chromedp.Click(chromedp.ID("tt-adv-1h")))
		want := t0.Add(time.Hour).Format("2006-01-02 15:04:05 UTC")
		e.waitFor("the clock to move 1h", fmt.Sprintf(`document.getElementById("tt-clock-time").textContent === %q`, want))
		e.step("advance 1d", chromedp.Click(chromedp.ID("tt-adv-1d")))
		want = t0.Add(25 * time.Hour).Format("2006-01-02 15:04:05 UTC")
		e.waitFor("the clock to move 1d", fmt.Sprintf(`document.getElementById("tt-clock-time").textContent === %q`, want))
		// Play at 600x until the clock moves, then pause.
		e.step("play", chromedp.Click(chromedp.ID("tt-speed-600")), chromedp.Click(chromedp.ID("tt-clock-play")))
		e.waitFor("the clock to run", fmt.Sprintf(`document.getElementById("tt-clock-time").textContent !== %q`, want))
		e.step("pause", chromedp.Click(chromedp.ID("tt-clock-play")))
		e.waitFor("the pause", `document.getElementById("tt-clock-play").textContent.includes("Play")`)
		e.shot("03-clock")
	})

	t.Run("reload keeps the world", func(t *testing.T) {
		e.t = t
		e.run("aws sts get-caller-identity --query Arn")
		before := e.clock()
		e.reload()
		e.waitFor("the saved clock", fmt.Sprintf(`document.getElementById("tt-clock-time").textContent === %q`, before))
		// The CloudTrail page lists the calls, newest first, through LookupEvents.
		e.step("open the event history", chromedp.Click(chromedp.CSS(`a.tt-nav-link[href="/telltale/cloudtrail"]`)))
		e.waitFor("the events", `document.querySelectorAll("#tt-trail-table .tt-trail-row").length >= 4`)
		names := eval[[]string](e, `[...document.querySelectorAll("#tt-trail-table .tt-trail-name")].map(b => b.textContent.slice(2))`)
		got := strings.Join(names, ",")
		if !strings.HasPrefix(got, "GetCallerIdentity,GetCallerIdentity,LookupEvents,GetCallerIdentity") {
			t.Errorf("events, newest first: %s", got)
		}
		e.step("expand an event", chromedp.Click(chromedp.CSS(`#tt-trail-table .tt-trail-name`)))
		e.waitFor("the record", `document.querySelector(".tt-record") !== null`)
		var rec map[string]any
		if err := json.Unmarshal([]byte(e.text(".tt-record")), &rec); err != nil {
			t.Fatalf("the record is not JSON: %v", err)
		}
		for _, k := range []string{"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "requestID", "eventID", "readOnly", "managementEvent"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("the record has no %s", k)
			}
		}
		// Filter by one attribute.
		e.step("filter", chromedp.SetValue(chromedp.ID("tt-trail-attr"), "EventName"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("tt-trail-attr").dispatchEvent(new Event("change", {bubbles: true}))`))
		e.waitFor("the value field", `!document.getElementById("tt-trail-value").disabled`)
		e.step("filter value", chromedp.SendKeys(chromedp.ID("tt-trail-value"), "LookupEvents\r"))
		e.waitFor("the filtered events", `[...document.querySelectorAll("#tt-trail-table .tt-trail-name")].length > 0 && `+
			`[...document.querySelectorAll("#tt-trail-table .tt-trail-name")].every(b => b.textContent.endsWith("LookupEvents"))`)
		e.shot("04-cloudtrail")
		// The page was reloaded under the service worker: it controls the page now.
		e.waitFor("the service worker", `navigator.serviceWorker.controller !== null`)
	})

	t.Run("export and import", func(t *testing.T) {
		e.t = t
		dl := t.TempDir()
		if _, err := chromedp.CallBrowser(e.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl,
		}); err != nil {
			t.Fatal(err)
		}
		e.open("/")
		exported := e.clock()
		e.step("export", chromedp.Click(chromedp.ID("tt-export")))
		var file string
		deadline := time.Now().Add(30 * time.Second)
		for file == "" && time.Now().Before(deadline) {
			m, _ := filepath.Glob(filepath.Join(dl, "telltale-world-*.json"))
			if len(m) == 1 {
				file = m[0]
			} else {
				time.Sleep(100 * time.Millisecond)
			}
		}
		if file == "" {
			t.Fatal("the export was not downloaded")
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Format string `json:"format"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || doc.Format != "telltale-world" {
			t.Fatalf("the export is not a world: %v %q", err, doc.Format)
		}
		e.run("clock advance 3d")
		if e.clock() == exported {
			t.Fatal("the clock did not move")
		}
		e.step("import", chromedp.SetUploadFiles(chromedp.ID("tt-import-file"), []string{file}))
		e.waitFor("the import", fmt.Sprintf(`document.getElementById("tt-clock-time").textContent === %q && `+
			`(document.getElementById("tt-message") || {textContent: ""}).textContent.startsWith("Imported")`, exported))
		// A file that is not a world is refused, and the world is kept.
		bad := filepath.Join(t.TempDir(), "bad.json")
		os.WriteFile(bad, []byte(`{"format":"something else"}`), 0o644)
		e.step("import a bad file", chromedp.SetUploadFiles(chromedp.ID("tt-import-file"), []string{bad}))
		e.waitFor("the refusal", `(document.getElementById("tt-message") || {textContent: ""}).textContent.includes("could not be imported")`)
		if got := e.clock(); got != exported {
			t.Errorf("a bad import changed the world: %s", got)
		}
		e.shot("05-import")
	})

	t.Run("offline", func(t *testing.T) {
		e.t = t
		before := e.clock()
		e.server.srv.Close()
		if _, err := http.Get(e.server.base); err == nil {
			t.Fatal("the server still answers")
		}
		e.reload()
		e.waitFor("the saved clock offline", fmt.Sprintf(`document.getElementById("tt-clock-time").textContent === %q`, before))
		e.run("aws sts get-caller-identity")
		if out := e.lastOutput(); !strings.Contains(out, `"Account": "123456789012"`) {
			t.Errorf("offline output: %q", out)
		}
		e.open("/cloudtrail")
		e.waitFor("the events offline", `document.querySelectorAll("#tt-trail-table .tt-trail-row").length > 0`)
		e.shot("06-offline")
	})

	t.Run("unreadable save", func(t *testing.T) {
		e.t = t
		eval[bool](e, `new Promise((ok, fail) => { const r = indexedDB.open("telltale", 1); r.onerror = () => fail(r.error); `+
			`r.onsuccess = () => { const tx = r.result.transaction("kv", "readwrite"); tx.objectStore("kv").put("{\"format\":\"telltale-world\",\"vers", "telltale.world"); `+
			`tx.oncomplete = () => { r.result.close(); ok(true); }; tx.onerror = () => fail(tx.error); }; })`)
		e.step("reload", chromedp.Reload())
		e.step("the recovery panel", chromedp.WaitVisible(chromedp.ID("tt-recovery")))
		if got := e.text("#tt-recovery"); !strings.Contains(got, "could not be read") {
			t.Errorf("recovery panel: %q", got)
		}
		e.shot("07-recovery")
		e.step("start fresh", chromedp.Click(chromedp.ID("tt-recovery-fresh")))
		e.ready()
		e.run("aws sts get-caller-identity --query Account")
		if out := e.lastOutput(); !strings.Contains(out, `"123456789012"`) {
			t.Errorf("after a fresh start: %q", out)
		}
	})

	t.Run("phone", func(t *testing.T) {
		e.t = t
		e.step("phone size", chromedp.EmulateViewport(390, 844))
		e.open("/cloudtrail")
		e.shot("08-phone")
		e.step("open the menu", chromedp.Click(chromedp.ID("tt-menu")))
		e.waitFor("the menu", `getComputedStyle(document.querySelector(".tt-nav")).display !== "none"`)
		e.shot("09-phone-menu")
	})

	t.Run("no other origin", func(t *testing.T) {
		e.t = t
		e.assertLocalRequests()
		worker, err := os.ReadFile(filepath.Join(builtSite(t), "app-worker.js"))
		if err != nil {
			t.Fatal(err)
		}
		if m := regexp.MustCompile(`https?://`).FindAll(worker, -1); len(m) > 0 {
			t.Errorf("the service worker caches remote URLs")
		}
	})
}

func TestBrowserSiteFiles(t *testing.T) {
	findChromium(t)
	dir := builtSite(t)
	for _, f := range []string{"index.html", "cloudtrail.html", "app.wasm", "app.wasm.gz", "app.wasm.br", "wasm_exec.js",
		"app-worker.js", "manifest.webmanifest", "app.css", "web/telltale.css", "web/icon-192.png", "web/icon-512.png", "web/icon.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the site has no %s", f)
		}
	}
	worker, _ := os.ReadFile(filepath.Join(dir, "app-worker.js"))
	for _, want := range []string{`"/telltale/"`, `"/telltale/app.wasm"`, `"/telltale/cloudtrail"`, `"/telltale/web/icon.svg"`, `app-" + "e2e"`} {
		if !strings.Contains(string(worker), want) {
			t.Errorf("app-worker.js does not cache %s", want)
		}
	}
	index, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if regexp.MustCompile(`(src|href)="https?://`).Match(index) || strings.Contains(string(index), "127.0.0.1") {
		t.Errorf("index.html refers to another origin")
	}
}

// TestBrowserStorageBlocked loads the site in a page whose storage throws, as
// in a cross-origin iframe with third-party storage blocked: the app runs
// with its world in memory and says so.
func TestBrowserStorageBlocked(t *testing.T) {
	e := newE2E(t)
	const block = `(() => {
  const deny = () => { throw new DOMException("The operation is insecure.", "SecurityError"); };
  for (const n of ["localStorage", "sessionStorage", "indexedDB"]) {
    Object.defineProperty(window, n, { get: deny, configurable: true });
  }
})();`
	if _, err := chromedp.Call(e.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: block}); err != nil {
		t.Fatal(err)
	}
	e.open("/")
	if got := e.text("#tt-storage-note"); !strings.Contains(got, "this world lasts only while the tab is open") {
		t.Errorf("storage note: %q", got)
	}
	e.run("aws sts get-caller-identity --query Account")
	if out := e.lastOutput(); !strings.Contains(out, `"123456789012"`) {
		t.Errorf("output without storage: %q", out)
	}
	e.shot("10-storage-blocked")
	e.assertLocalRequests()
}

// setText puts text in a form control as if pasted and fires its input and
// change events.
func (e *e2e) setText(id, text string) {
	e.t.Helper()
	b, _ := json.Marshal(text)
	e.step("set "+id, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.value = %s; `+
		`el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); })()`, id, b)))
}

// TestBrowserEventBridge drives the EventBridge console: a queue made on
// the SQS page, a rule with a pattern typed in the editor and the queue as
// its target, an event sent from the page, and the message seen on the SQS
// page and from the terminal.
func TestBrowserEventBridge(t *testing.T) {
	e := newE2E(t)
	e.open("/sqs")
	// The page needs the room; the terminal comes back at the end.
	e.step("hide the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))

	e.step("create a queue", chromedp.SendKeys(chromedp.ID("tt-queue-name"), "orders"), chromedp.Click(chromedp.ID("tt-queue-create")))
	e.waitFor("the queue", `document.querySelector('#tt-queues-table tr[data-queue="orders"]') !== null`)

	e.step("open EventBridge", chromedp.Click(chromedp.CSS(`a.tt-nav-link[href="/telltale/eventbridge"]`)))
	e.waitFor("the rules", `document.getElementById("tt-rules-table") !== null`)
	e.step("new rule", chromedp.Click(chromedp.ID("tt-eb-new-rule")))
	e.waitFor("the editor", `document.getElementById("tt-rule-pattern") !== null`)
	e.step("name the rule", chromedp.SendKeys(chromedp.ID("tt-rule-name"), "to-orders"))
	// The pattern is checked as it is typed, with AWS's message.
	e.setText("tt-rule-pattern", `{"source": ["com.example.orders"], "detail": {"status": ["PLACED"]}`)
	e.waitFor("the pattern error", `document.querySelector("#tt-rule-pattern-status pre") !== null && `+
		`document.querySelector("#tt-rule-pattern-status pre").textContent.startsWith("InvalidEventPatternException: Event pattern is not valid. Reason: ")`)
	if !eval[bool](e, `document.getElementById("tt-rule-save").disabled`) {
		t.Errorf("an invalid pattern can be saved")
	}
	e.shot("11-eventbridge-invalid-pattern")
	e.step("finish the pattern", chromedp.SendKeys(chromedp.ID("tt-rule-pattern"), kb.End+"\n}"))
	e.waitFor("the valid pattern", `document.getElementById("tt-rule-pattern-status").textContent.includes("valid") && `+
		`!document.getElementById("tt-rule-save").disabled`)
	e.step("save the rule", chromedp.Click(chromedp.ID("tt-rule-save")))
	e.waitFor("the rule and its targets", `document.querySelector('#tt-rules-table tr[data-rule="to-orders"]') !== null && `+
		`document.getElementById("tt-target-form") !== null`)

	// The queue as the target, with an input transformer.
	e.step("choose the queue", chromedp.SetValue(chromedp.ID("tt-target-arn"), "arn:aws:sqs:us-east-1:123456789012:orders"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("tt-target-arn").dispatchEvent(new Event("change", {bubbles: true}))`))
	e.step("transformer", chromedp.SetValue(chromedp.ID("tt-target-mode"), "transformer"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("tt-target-mode").dispatchEvent(new Event("change", {bubbles: true}))`))
	e.waitFor("the transformer fields", `document.getElementById("tt-target-template") !== null`)
	e.setText("tt-target-paths", `{"order": "$.detail.orderId"}`)
	e.setText("tt-target-template", `{"text": "order <order> placed"}`)
	e.step("add the target", chromedp.Click(chromedp.ID("tt-target-add")))
	e.waitFor("the target", `document.querySelector('#tt-targets-table tr[data-target="orders"]') !== null`)
	e.shot("12-eventbridge-rule")

	// Send an event from the page.
	e.step("send tab", chromedp.Click(chromedp.ID("tt-eb-tab-send")))
	e.waitFor("the send form", `document.getElementById("tt-send-detail") !== null`)
	e.setText("tt-send-detail", `{"orderId": "A-17", "status": "PLACED"}`)
	e.step("send", chromedp.Click(chromedp.ID("tt-send")))
	e.waitFor("the sent event", `document.querySelectorAll("#tt-send-results li").length === 1`)
	// The page changed around the form (a notice, the results): the detail keeps what was typed.
	e.waitFor("the detail kept", `document.getElementById("tt-send-detail").value === '{"orderId": "A-17", "status": "PLACED"}'`)
	e.shot("13-eventbridge-send")

	// The sandbox: a sample event, TestEventPattern and the explanation.
	e.step("sandbox tab", chromedp.Click(chromedp.ID("tt-eb-tab-sandbox")))
	e.waitFor("the sandbox", `document.getElementById("tt-sb-event") !== null`)
	e.step("pick S3", chromedp.SetValue(chromedp.ID("tt-sb-sample"), "S3 Object Created"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("tt-sb-sample").dispatchEvent(new Event("change", {bubbles: true}))`))
	e.waitFor("the sample", `document.getElementById("tt-sb-event").value.includes("aws.s3")`)
	e.setText("tt-sb-pattern", `{"source": ["aws.s3"], "detail": {"object": {"size": [{"numeric": [">", 100]}]}}}`)
	e.step("test", chromedp.Click(chromedp.ID("tt-sb-test")))
	e.waitFor("the explanation", `(document.getElementById("tt-sb-result") || {textContent: ""}).textContent.includes("detail.object.size")`)
	if got := e.text("#tt-sb-result"); !strings.Contains(got, "No match") {
		t.Errorf("sandbox result: %q", got)
	}
	e.shot("14-eventbridge-sandbox")

	// The message is in the queue: on the SQS page, without receiving it...
	e.step("open SQS", chromedp.Click(chromedp.CSS(`a.tt-nav-link[href="/telltale/sqs"]`)))
	e.waitFor("the message", `[...document.querySelectorAll("#tt-messages-table .tt-message-row")].some(r => r.textContent.includes("order A-17 placed"))`)
	e.shot("15-sqs-messages")
	e.step("show the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
	e.waitFor("the terminal", `getComputedStyle(document.getElementById("tt-term-input")).display !== "none" && document.getElementById("tt-term-input").offsetParent !== null`)
	// ... and from the terminal, through the same API.
	e.run("aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/orders")
	if out := e.lastOutput(); !strings.Contains(out, `order A-17 placed`) {
		t.Errorf("receive-message: %q", out)
	}
	// The page's calls are in CloudTrail like the terminal's.
	e.run("aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=PutTargets --query Events[0].Username")
	if out := e.lastOutput(); !strings.Contains(out, `"learner"`) {
		t.Errorf("PutTargets by the page is not in CloudTrail: %q", out)
	}

	t.Run("phone", func(t *testing.T) {
		e.t = t
		e.step("phone size", chromedp.EmulateViewport(390, 844))
		e.open("/eventbridge")
		e.waitFor("the rules", `document.querySelector('#tt-rules-table tr[data-rule="to-orders"]') !== null`)
		e.step("hide the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
		e.waitFor("the terminal hidden", `document.getElementById("tt-term-input").offsetParent === null`)
		e.step("open the rule", chromedp.Click(chromedp.CSS(`#tt-rules-table tr[data-rule="to-orders"] .tt-row-name`)))
		e.waitFor("the targets", `document.getElementById("tt-targets-table") !== null`)
		e.shot("16-phone-eventbridge")
		e.step("sandbox tab", chromedp.Click(chromedp.ID("tt-eb-tab-sandbox")))
		e.waitFor("the sandbox", `document.getElementById("tt-sb-event") !== null`)
		e.shot("17-phone-sandbox")
		e.open("/sqs")
		e.waitFor("the queue", `document.querySelector('#tt-queues-table tr[data-queue="orders"]') !== null`)
		e.shot("18-phone-sqs")
	})
	e.assertLocalRequests()
}
