package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserInsights drives the Logs Insights page: JSON events put from
// the Log groups page, a malformed query flagged as it is typed, then a
// stats query by bin() run over the group, with its results table and its
// chart.
func TestBrowserInsights(t *testing.T) {
	e := newE2E(t)
	e.open("/logs/groups")
	e.step("hide the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
	e.setText("tt-group-name", "/app/api")
	e.step("create the group", chromedp.Click(chromedp.ID("tt-group-create")))
	e.waitFor("the group", `document.getElementById("tt-group-panel") !== null`)
	e.step("streams tab", chromedp.Click(chromedp.ID("tt-logs-tab-streams")))
	e.waitFor("the stream form", `document.getElementById("tt-stream-name") !== null`)
	e.step("create a stream", chromedp.SendKeys(chromedp.ID("tt-stream-name"), "i-1"), chromedp.Click(chromedp.ID("tt-stream-create")))
	e.waitFor("the stream", `document.querySelector('#tt-streams-table tr[data-stream="i-1"]') !== null`)
	e.step("events tab", chromedp.Click(chromedp.ID("tt-logs-tab-events")))
	e.waitFor("the put form", `document.getElementById("tt-put-messages") !== null && document.getElementById("tt-put-stream").value === "i-1"`)
	e.setText("tt-put-messages", `{"level": "ERROR", "latency": 250}`+"\n"+`{"level": "INFO", "latency": 20}`+"\n"+`{"level": "ERROR", "latency": 750}`)
	e.step("put the events", chromedp.Click(chromedp.ID("tt-put-send")))
	e.waitFor("the events", `document.querySelectorAll("#tt-log-events .tt-log-event").length === 3`)

	e.open("/logs/insights")
	e.step("hide the terminal again", chromedp.Click(chromedp.ID("tt-term-toggle")))
	e.waitFor("the group, picked", `(document.querySelector('#tt-ins-groups [data-group="/app/api"] input') || {}).checked === true`)
	e.setText("tt-ins-query", `filter level = = "ERROR"`)
	e.waitFor("the query error", `(document.getElementById("tt-ins-query-error") || {textContent: ""}).textContent.startsWith("MalformedQueryException: unexpected symbol found = at line 1 and position 15")`)
	e.setText("tt-ins-query", `filter level = "ERROR" | stats count(*) as errors, avg(latency) as latency by bin(1m)`)
	e.waitFor("no error", `document.getElementById("tt-ins-query-error") === null`)
	e.step("run the query", chromedp.Click(chromedp.ID("tt-ins-run")))
	e.waitFor("the results", `document.querySelectorAll("#tt-ins-results tr.tt-ins-row").length === 1`)
	heads := eval[[]string](e, `[...document.querySelectorAll("#tt-ins-results th")].map(th => th.textContent)`)
	if strings.Join(heads, ",") != "bin(1m),errors,latency" {
		t.Errorf("columns: %q", heads)
	}
	if got := e.text(`#tt-ins-results td[data-field="errors"]`); got != "2" {
		t.Errorf("errors: %q", got)
	}
	if got := e.text(`#tt-ins-results td[data-field="latency"]`); got != "500" {
		t.Errorf("latency: %q", got)
	}
	e.waitFor("the chart", `document.querySelector("#tt-insights-chart-box svg") !== null && `+
		`document.querySelectorAll("#tt-insights-chart-box .tt-chart-key").length === 2`)
	if got := e.text("#tt-ins-stats"); !strings.Contains(got, "2 records matched") || !strings.Contains(got, "3 records scanned") {
		t.Errorf("statistics: %q", got)
	}
	e.step("scroll to the chart", chromedp.Evaluate[chromedp.Void](`document.getElementById("tt-ins-chart-card").scrollIntoView()`))
	e.shot("60-insights-stats-chart")
}
