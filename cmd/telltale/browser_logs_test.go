package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserLogs drives the Log groups page as a learner would: a group
// and a stream made from the page, JSON events put from the form, a JSON
// filter pattern typed in the filter box (AWS's error while it is
// incomplete, then only the matching event with its value highlighted), the
// live tail picking up an event put from the terminal, and a metric filter
// tested and created in the wizard.
func TestBrowserLogs(t *testing.T) {
	e := newE2E(t)
	e.open("/logs/groups")
	e.step("hide the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))

	// A bad name: AWS's error, inline.
	e.step("bad group name", chromedp.SendKeys(chromedp.ID("tt-group-name"), "bad name!"), chromedp.Click(chromedp.ID("tt-group-create")))
	e.waitFor("the error", `(document.getElementById("tt-logs-notice") || {textContent: ""}).textContent.includes("InvalidParameterException")`)

	e.groupWithEvents("/app/web", "web-1",
		`{"level": "ERROR", "msg": "disk full"}`, `{"level": "INFO", "msg": "all good"}`, `{"level": "WARN", "msg": "ERROR budget low"}`)

	// The pattern is checked as it is typed, with AWS's message.
	e.step("type an incomplete pattern", chromedp.SendKeys(chromedp.ID("tt-log-pattern"), `{ $.level = "ERROR"`))
	e.waitFor("the pattern error", `(document.getElementById("tt-log-pattern-error") || {textContent: ""}).textContent.startsWith("InvalidParameterException: ")`)
	e.shot("30-logs-pattern-error")
	e.step("finish the pattern and search", chromedp.SendKeys(chromedp.ID("tt-log-pattern"), " }\r"))
	e.waitFor("the matching event", `document.getElementById("tt-log-pattern-error") === null && `+
		`document.querySelectorAll("#tt-log-events .tt-log-event").length === 1`)
	if got := e.text("#tt-log-events .tt-log-event .tt-log-message"); !strings.Contains(got, "disk full") {
		t.Errorf("the matching event: %q", got)
	}
	if got := eval[[]string](e, `[...document.querySelectorAll("#tt-log-events mark.tt-hl")].map(m => m.textContent)`); len(got) != 1 || got[0] != "ERROR" {
		t.Errorf("highlights: %q", got)
	}
	if got := e.text(`#tt-log-events .tt-kv[data-key="$.level"]`); !strings.Contains(got, "ERROR") {
		t.Errorf("extracted value: %q", got)
	}
	if v := eval[string](e, `document.getElementById("tt-log-pattern").value`); v != `{ $.level = "ERROR" }` {
		t.Errorf("the filter box lost what was typed: %q", v)
	}
	e.shot("31-logs-json-filter")

	// Live tail: an event put from the terminal shows up.
	e.step("live tail", chromedp.Click(chromedp.ID("tt-log-live")))
	e.step("show the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
	e.waitFor("the terminal", `document.getElementById("tt-term-input").offsetParent !== null`)
	at, err := time.Parse(time.RFC3339, eval[string](e, `document.getElementById("tt-clock-time").getAttribute("datetime")`))
	if err != nil {
		t.Fatal(err)
	}
	e.run(fmt.Sprintf(`aws logs put-log-events --log-group-name /app/web --log-stream-name web-1 --log-events '[{"timestamp": %d, "message": "{\"level\": \"ERROR\", \"msg\": \"tailed\"}"}, {"timestamp": %d, "message": "{\"level\": \"INFO\"}"}]'`,
		at.UnixMilli(), at.UnixMilli()))
	e.waitFor("the tailed event", `[...document.querySelectorAll("#tt-log-events .tt-log-new")].some(li => li.textContent.includes("tailed"))`)
	e.step("advance the clock", chromedp.Click(chromedp.ID("tt-adv-1m")))
	e.waitFor("the clock moved", fmt.Sprintf(`document.getElementById("tt-clock-time").getAttribute("datetime") !== %q`, at.Format("2006-01-02T15:04:05Z")))
	if n := eval[int](e, `document.querySelectorAll("#tt-log-events .tt-log-event").length`); n != 2 {
		t.Errorf("events after the live tail: %d, want 2", n)
	}
	e.shot("32-logs-live-tail")

	// The metric filter wizard, from the viewer's pattern.
	e.step("hide the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
	e.step("metric filter from the pattern", chromedp.Click(chromedp.ID("tt-log-to-mf")))
	e.waitFor("the wizard", `document.getElementById("tt-mf-wizard") !== null && document.getElementById("tt-mf-pattern").value === '{ $.level = "ERROR" }'`)
	e.step("sample lines", chromedp.Click(chromedp.ID("tt-mf-sample")))
	e.waitFor("the samples", `document.getElementById("tt-mf-samples").value.includes("disk full")`)
	e.step("test", chromedp.Click(chromedp.ID("tt-mf-test")))
	e.waitFor("the matches", `document.querySelectorAll("#tt-mf-matches .tt-mf-match").length === 2`)
	e.step("name the filter", chromedp.SendKeys(chromedp.ID("tt-mf-name"), "errors"), chromedp.SendKeys(chromedp.ID("tt-mf-metric"), "ErrorCount"))
	e.step("create the filter", chromedp.Click(chromedp.ID("tt-mf-create")))
	e.waitFor("the filter or an error", `document.querySelector('#tt-mf-table tr[data-filter="errors"]') !== null || document.querySelector("#tt-logs-notice.tt-inline-error") !== null`)
	if n := eval[string](e, `(document.querySelector("#tt-logs-notice") || {textContent: ""}).textContent`); !strings.Contains(n, "Created the metric filter errors") {
		t.Fatalf("create metric filter: %q", n)
	}
	e.shot("33-logs-metric-filter")

	// aws logs tail --follow in the terminal: what exists, then what comes.
	e.step("events tab again", chromedp.Click(chromedp.ID("tt-logs-tab-events")))
	e.waitFor("the put form", `document.getElementById("tt-put-messages") !== null`)
	e.step("show the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
	e.waitFor("the terminal", `document.getElementById("tt-term-input").offsetParent !== null`)
	e.run(`aws logs tail /app/web --follow --format short --filter-pattern ERROR`)
	if out := e.lastOutput(); !strings.Contains(out, "disk full") || !strings.Contains(out, "tailed") {
		t.Errorf("tail --follow: %q", out)
	}
	e.setText("tt-put-messages", `ERROR from the page`)
	e.step("put from the page", chromedp.Click(chromedp.ID("tt-put-send")))
	e.waitFor("the followed event", `(() => { const es = document.querySelectorAll(".tt-term-entry"); `+
		`return es[es.length-1].innerText.includes("ERROR from the page"); })()`)
	e.waitFor("the terminal scrolled to the followed event", `(() => { const o = document.getElementById("tt-term-out"); `+
		`return o.scrollTop + o.clientHeight >= o.scrollHeight - 2; })()`)
	e.step("advance the clock", chromedp.Click(chromedp.ID("tt-adv-5m")))
	e.run(`aws logs put-log-events --log-group-name /app/web --log-stream-name web-1 --log-events '[{"timestamp": ` +
		fmt.Sprint(at.Add(6*time.Minute).UnixMilli()) + `, "message": "ERROR after the clock moved"}]'`)
	e.waitFor("the followed event under its own line", `(() => { const es = document.querySelectorAll(".tt-term-entry"); `+
		`const last = es[es.length-1]; return last.innerText.includes("ERROR after the clock moved") && last.innerText.includes("tail /app/web --follow"); })()`)
	e.shot("34-logs-tail-follow")
	e.step("stop the tail", chromedp.Click(chromedp.ID("tt-term-stop-tail")))
	e.waitFor("^C", `document.getElementById("tt-term-stop-tail") === null && `+
		`[...document.querySelectorAll(".tt-term-line")].some(l => l.textContent === "$ ^C")`)

	t.Run("phone", func(t *testing.T) {
		e.t = t
		e.step("phone size", chromedp.EmulateViewport(390, 844))
		e.open("/logs/groups")
		e.step("hide the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
		e.step("open the group", chromedp.Click(chromedp.CSS(`#tt-groups-table tr[data-group="/app/web"] .tt-row-name`)))
		e.waitFor("its events", `document.querySelectorAll("#tt-log-events .tt-log-event").length > 0`)
		e.setText("tt-log-pattern", `{ $.level = "ERROR" }`)
		e.step("search", chromedp.Click(chromedp.ID("tt-log-search")))
		e.waitFor("the extracted values shown", `[...document.querySelectorAll("#tt-log-events .tt-kv")].some(k => k.offsetParent !== null)`)
		e.step("scroll to the events", chromedp.Evaluate[chromedp.Void](`document.getElementById("tt-log-events").scrollIntoView()`))
		e.shot("35-phone-logs")
	})
	e.assertLocalRequests()
}

// groupWithEvents makes a log group and a stream in it from the Log groups
// page (open, the terminal hidden), then puts lines into the stream from the
// events tab's form, one event each.
func (e *e2e) groupWithEvents(group, stream string, lines ...string) {
	e.t.Helper()
	e.setText("tt-group-name", group)
	e.step("create the group", chromedp.Click(chromedp.ID("tt-group-create")))
	e.waitFor("the group", `document.querySelector('#tt-groups-table tr[data-group="`+group+`"]') !== null && `+
		`document.getElementById("tt-group-panel") !== null`)

	e.step("streams tab", chromedp.Click(chromedp.ID("tt-logs-tab-streams")))
	e.waitFor("the stream form", `document.getElementById("tt-stream-name") !== null`)
	e.step("create a stream", chromedp.SendKeys(chromedp.ID("tt-stream-name"), stream), chromedp.Click(chromedp.ID("tt-stream-create")))
	e.waitFor("the stream", `document.querySelector('#tt-streams-table tr[data-stream="`+stream+`"]') !== null`)

	e.step("events tab", chromedp.Click(chromedp.ID("tt-logs-tab-events")))
	e.waitFor("the put form", `document.getElementById("tt-put-messages") !== null && document.getElementById("tt-put-stream").value === "`+stream+`"`)
	e.setText("tt-put-messages", strings.Join(lines, "\n"))
	e.step("put the events", chromedp.Click(chromedp.ID("tt-put-send")))
	e.waitFor("the events", fmt.Sprintf(`document.querySelectorAll("#tt-log-events .tt-log-event").length === %d`, len(lines)))
}
