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
	e.groupWithEvents("/app/api", "i-1", `{"level": "ERROR", "latency": 250}`, `{"level": "INFO", "latency": 20}`, `{"level": "ERROR", "latency": 750}`)

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
