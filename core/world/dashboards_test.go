package world

import (
	"testing"
	"time"
)

// TestDashboardsInWorld checks that the dashboard operations answer through
// the cloudwatch service, are recorded as management events, and survive a
// snapshot.
func TestDashboardsInWorld(t *testing.T) {
	w, err := New(Config{Seed: 5, Start: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	h := &alarmHarness{t: t, w: w}
	body := `{"widgets":[{"type":"text","properties":{"markdown":"# Ops"}}]}`
	out := h.call("cloudwatch", "PutDashboard", map[string]any{"DashboardName": "ops", "DashboardBody": body}).(map[string]any)
	if msgs, ok := out["DashboardValidationMessages"].([]any); !ok || len(msgs) != 0 {
		t.Errorf("PutDashboard: %v", out)
	}
	snap, err := w.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Restore(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h2 := &alarmHarness{t: t, w: r}
	got := h2.call("cloudwatch", "GetDashboard", map[string]any{"DashboardName": "ops"}).(map[string]any)
	if got["DashboardBody"] != body || got["DashboardArn"] != "arn:aws:cloudwatch::123456789012:dashboard/ops" {
		t.Errorf("GetDashboard after restore: %v", got)
	}
	events := h2.call("cloudtrail", "LookupEvents", map[string]any{}).(map[string]any)["Events"].([]any)
	found := false
	for _, e := range events {
		if e.(map[string]any)["EventName"] == "PutDashboard" {
			found = true
		}
	}
	if !found {
		t.Errorf("PutDashboard is not a management event in the event history: %v", events)
	}
}
