package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// choose picks an option of a select and fires its change event.
func (e *e2e) choose(id, value string) {
	e.t.Helper()
	e.step("choose "+value+" in "+id, chromedp.SetValue(chromedp.ID(id), value),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).dispatchEvent(new Event("change", {bubbles: true}))`, id)))
}

// scrollTo brings an element into view, for a screenshot.
func (e *e2e) scrollTo(id string) {
	e.t.Helper()
	eval[bool](e, fmt.Sprintf(`new Promise(ok => { document.getElementById(%q).scrollIntoView({block: "center"}); `+
		`requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => ok(true), 100))); })`, id))
}

// TestBrowserCloudWatch drives the CloudWatch console as a learner would: a
// topic with a confirmed email subscription on the SNS page, an alarm made
// in the Alarms page's form with the topic as its action, data pushed from
// the terminal while the clock bar moves the clock, the alarm turning ALARM
// in the list and on its graph (breaching points, read by hovering), the
// notification in the inbox, and the Metrics page's math editor.
func TestBrowserCloudWatch(t *testing.T) {
	e := newE2E(t)
	e.open("/sns")
	e.step("create a topic", chromedp.SendKeys(chromedp.ID("tt-topic-name"), "alerts"), chromedp.Click(chromedp.ID("tt-topic-create")))
	e.waitFor("the topic", `document.querySelector('#tt-topics-table tr[data-topic="alerts"]') !== null && document.getElementById("tt-sub-create") !== null`)
	e.setText("tt-sub-endpoint", "oncall@example.com")
	e.step("subscribe", chromedp.Click(chromedp.ID("tt-sub-create")))
	e.waitFor("the confirmation email", `document.querySelector('.tt-mail[data-kind="SubscriptionConfirmation"] .tt-btn') !== null`)
	e.step("confirm", chromedp.Click(chromedp.CSS(`.tt-mail[data-kind="SubscriptionConfirmation"] .tt-btn`)))
	e.waitFor("the confirmed subscription", `document.getElementById("tt-sns-notice") !== null && document.getElementById("tt-sns-notice").textContent.includes("Confirmed")`)

	// The alarm, from the Alarms page's form.
	e.step("open Alarms", chromedp.Click(chromedp.CSS(`a.tt-nav-link[href="/telltale/cloudwatch/alarms"]`)))
	e.waitFor("the alarms", `document.getElementById("tt-alarms-table") !== null`)
	e.step("new alarm", chromedp.Click(chromedp.ID("tt-alarm-new")))
	e.waitFor("the form", `document.getElementById("tt-alarm-name") !== null`)
	e.setText("tt-alarm-name", "high-load")
	e.setText("tt-alarm-namespace", "App")
	e.setText("tt-alarm-metric", "Load")
	e.choose("tt-alarm-stat", "Average")
	e.choose("tt-alarm-period", "60")
	e.choose("tt-alarm-op", "GreaterThanThreshold")
	e.setText("tt-alarm-threshold", "80")
	e.setText("tt-alarm-m", "3")
	e.setText("tt-alarm-n", "3")
	e.choose("tt-alarm-action", "arn:aws:sns:us-east-1:123456789012:alerts")
	e.shot("cw-01-alarm-form")
	e.step("save the alarm", chromedp.Click(chromedp.ID("tt-alarm-save")))
	e.waitFor("the new alarm", `document.querySelector('#tt-alarms-table tr[data-alarm="high-load"][data-state="INSUFFICIENT_DATA"]') !== null && `+
		`document.getElementById("tt-alarm-chart") !== null`)
	if got := e.text(`#tt-alarms-table tr[data-alarm="high-load"] .tt-alarm-cond`); got != "Load > 80 for 3 datapoints within 3" {
		t.Errorf("condition: %q", got)
	}

	// Data from the terminal, the clock from the clock bar.
	for i := 0; i < 3; i++ {
		e.run("aws cloudwatch put-metric-data --namespace App --metric-name Load --value 9" + fmt.Sprint(i))
		before := e.clock()
		e.step("advance 1m", chromedp.Click(chromedp.ID("tt-adv-1m")))
		e.waitFor("the clock to move", fmt.Sprintf(`document.getElementById("tt-clock-time").textContent !== %q && document.getElementById("tt-clock-progress") === null`, before))
	}
	e.waitFor("the alarm in ALARM", `document.querySelector('#tt-alarms-table tr[data-alarm="high-load"][data-state="ALARM"]') !== null`)
	if got := e.text("#tt-alarm-reason"); !strings.HasPrefix(got, "Threshold Crossed: 3 datapoints [92.0 (") || !strings.HasSuffix(got, "were greater than the threshold (80.0).") {
		t.Errorf("state reason: %q", got)
	}
	// The graph: the threshold line and three breaching points.
	e.waitFor("the breaching points", `document.querySelector("#tt-alarm-chart .tt-chart-breach") !== null && `+
		`document.querySelector("#tt-alarm-chart .tt-chart-threshold") !== null && `+
		`(document.querySelector("#tt-alarm-chart .tt-chart-breach").getAttribute("d").match(/M/g) || []).length === 3`)
	if n := eval[int](e, `document.querySelectorAll('#tt-alarm-timeline .tt-timeline-seg[data-state="ALARM"]').length`); n != 1 {
		t.Errorf("ALARM spans on the timeline: %d", n)
	}
	if n := eval[int](e, `document.querySelectorAll('#tt-alarm-history tr[data-type="StateUpdate"]').length`); n != 1 {
		t.Errorf("state updates in the history: %d", n)
	}
	// Hovering near the last point shows its value, marked as breaching.
	e.step("hover", chromedp.Evaluate[chromedp.Void](`(() => { const svg = document.querySelector("#tt-alarm-chart .tt-chart-svg"); `+
		`const r = svg.getBoundingClientRect(); const p = document.querySelector("#tt-alarm-chart .tt-chart-breach").getAttribute("d").match(/M([\d.]+) ([\d.]+)h0$/); `+
		`const x = r.left + parseFloat(p[1]) * r.width / 800; `+
		`svg.dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: r.top + r.height / 2, bubbles: true})); })()`))
	e.waitFor("the tooltip", `!document.getElementById("tt-alarm-chart-tip").hidden && `+
		`document.getElementById("tt-alarm-chart-tip").textContent.includes("92 ▲ breaching") && `+
		`document.getElementById("tt-alarm-chart-cursor").getAttribute("visibility") === "visible"`)
	e.scrollTo("tt-alarm-chart-box")
	e.shot("cw-02-alarm")
	// The page still answers clicks after hovering.
	e.step("edit", chromedp.Click(chromedp.CSS(`#tt-alarms-table tr[data-alarm="high-load"] .tt-actions-cell .tt-btn`)))
	e.waitFor("the edit form", `document.getElementById("tt-alarm-form") !== null && document.getElementById("tt-alarm-threshold").value === "80"`)
	e.step("cancel", chromedp.Click(chromedp.ID("tt-alarm-cancel")))
	e.waitFor("no form", `document.getElementById("tt-alarm-form") === null`)

	// The notification, in the inbox.
	e.step("open SNS", chromedp.Click(chromedp.CSS(`a.tt-nav-link[href="/telltale/sns"]`)))
	e.waitFor("the notification", `[...document.querySelectorAll(".tt-mail .tt-row-name")].some(b => b.textContent.includes('ALARM: "high-load"'))`)
	e.step("open it", chromedp.Click(chromedp.CSS(`.tt-mail[data-kind="Notification"] .tt-row-name`)))
	e.waitFor("the body", `document.querySelector(".tt-msg-body") !== null && document.querySelector(".tt-msg-body").textContent.includes('"NewStateValue":"ALARM"')`)
	e.shot("cw-03-inbox")

	// The Metrics page: graph the metric, then a math expression with AWS's errors.
	e.step("open Metrics", chromedp.Click(chromedp.CSS(`a.tt-nav-link[href="/telltale/cloudwatch/metrics"]`)))
	e.waitFor("the metric", `document.querySelector('#tt-mx-metrics tr[data-metric="Load"] .tt-btn') !== null`)
	e.step("graph it", chromedp.Click(chromedp.CSS(`#tt-mx-metrics tr[data-metric="Load"] .tt-btn`)))
	e.waitFor("the line", `document.querySelector("#tt-metrics-chart .tt-chart-line") !== null`)
	e.setText("tt-mx-expr", "m1*")
	e.waitFor("the expression error", `(document.getElementById("tt-mx-expr-status") || {textContent: ""}).textContent.startsWith("ValidationError: Error in expression e1")`)
	e.setText("tt-mx-expr", "m1*2")
	e.waitFor("the expression's line", `(document.getElementById("tt-mx-expr-status") || {textContent: ""}).textContent.includes("e1 is graphed") && `+
		`document.querySelectorAll("#tt-metrics-chart .tt-chart-line").length === 2`)
	e.step("range 3h", chromedp.Click(chromedp.ID("tt-mx-range-3h")))
	e.waitFor("the 3h range", `document.getElementById("tt-mx-range-3h").classList.contains("tt-on")`)
	e.scrollTo("tt-metrics-chart-box")
	e.shot("cw-04-metrics")
	// Dragging across the chart zooms in; the range bar offers the way back.
	e.step("drag", chromedp.Evaluate[chromedp.Void](`(() => { const svg = document.querySelector("#tt-metrics-chart .tt-chart-svg"); `+
		`const r = svg.getBoundingClientRect(); const y = r.top + r.height / 2; `+
		`const ev = (type, f) => svg.dispatchEvent(new MouseEvent(type, {clientX: r.left + f * r.width, clientY: y, bubbles: true})); `+
		`ev("mousedown", 0.5); ev("mousemove", 0.7); ev("mousemove", 0.9); ev("mouseup", 0.9); })()`))
	e.waitFor("the zoomed range", `document.getElementById("tt-mx-range-custom") !== null && !document.getElementById("tt-mx-range-3h").classList.contains("tt-on")`)
	e.step("back to 1h", chromedp.Click(chromedp.ID("tt-mx-range-custom")))
	e.waitFor("the 1h range", `document.getElementById("tt-mx-range-custom") === null && document.getElementById("tt-mx-range-1h").classList.contains("tt-on")`)

	// A dashboard: made from the template, its widgets drawn.
	e.step("open Dashboards", chromedp.Click(chromedp.CSS(`a.tt-nav-link[href="/telltale/cloudwatch/dashboards"]`)))
	e.waitFor("the dashboards", `document.getElementById("tt-dash-table") !== null`)
	e.setText("tt-dash-name", "ops")
	e.step("create the dashboard", chromedp.Click(chromedp.ID("tt-dash-create")))
	e.waitFor("the widgets", `document.querySelector('.tt-dash-widget[data-type="metric"] .tt-chart-line') !== null && `+
		`document.querySelector('.tt-dash-widget[data-view="singleValue"] .tt-dash-value') !== null && `+
		`document.getElementById("tt-dash-body") !== null`)
	if got := e.text(`.tt-dash-widget[data-view="singleValue"] .tt-dash-value`); got != "92" {
		t.Errorf("single value: %q", got)
	}
	// A body AWS refuses: its error, the body kept.
	e.setText("tt-dash-body", `{"widgets": [{"type": "metric"}]}`)
	e.step("save", chromedp.Click(chromedp.ID("tt-dash-save")))
	e.waitFor("the error", `(document.getElementById("tt-dash-notice") || {textContent: ""}).textContent.includes("InvalidParameterInput: The dashboard body is invalid")`)
	e.scrollTo("tt-dash-grid")
	e.shot("cw-05-dashboard")

	t.Run("phone", func(t *testing.T) {
		e.t = t
		e.step("phone size", chromedp.EmulateViewport(390, 844))
		e.open("/cloudwatch/alarms")
		e.step("hide the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
		e.waitFor("the alarm", `document.querySelector('#tt-alarms-table tr[data-alarm="high-load"] .tt-row-name') !== null`)
		if !eval[bool](e, `document.getElementById("tt-alarm-chart") !== null`) {
			e.step("open the alarm", chromedp.Click(chromedp.CSS(`#tt-alarms-table tr[data-alarm="high-load"] .tt-row-name`)))
		}
		e.waitFor("the graph", `document.querySelector("#tt-alarm-chart .tt-chart-breach") !== null`)
		e.scrollTo("tt-alarm-chart-box")
		e.shot("cw-06-phone-alarm")
		if w := eval[float64](e, `document.querySelector("#tt-alarm-chart .tt-chart-svg").getBoundingClientRect().width`); w > 390 {
			t.Errorf("the chart is wider than the phone: %g", w)
		}
		e.open("/cloudwatch/dashboards")
		e.step("hide the terminal", chromedp.Click(chromedp.ID("tt-term-toggle")))
		e.waitFor("the dashboard", `document.querySelector('#tt-dash-table tr[data-dashboard="ops"] .tt-row-name') !== null`)
		e.step("open it", chromedp.Click(chromedp.CSS(`#tt-dash-table tr[data-dashboard="ops"] .tt-row-name`)))
		e.waitFor("the widgets", `document.querySelector('.tt-dash-widget[data-type="metric"] .tt-chart-line') !== null`)
		e.scrollTo("tt-dash-grid")
		e.shot("cw-07-phone-dashboard")
	})
	e.assertLocalRequests()
}
