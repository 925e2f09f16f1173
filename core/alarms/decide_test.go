package alarms

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestMissingDataConformance runs the two tables of the user guide's "How
// alarm state is evaluated when data is missing"
// (testdata/conformance/cloudwatch_alarm_missing_data_awsdocs.jsonl, a copy
// of ../shared/conformance).
func TestMissingDataConformance(t *testing.T) {
	f, err := os.Open("testdata/conformance/cloudwatch_alarm_missing_data_awsdocs.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	cases, checks := 0, 0
	for sc.Scan() {
		var c struct {
			ID     string            `json:"id"`
			M      int               `json:"datapoints_to_alarm"`
			N      int               `json:"evaluation_periods"`
			Range  int               `json:"evaluation_range"`
			Points []string          `json:"datapoints_oldest_to_newest"`
			Fill   int               `json:"fill_count"`
			Expect map[string]string `json:"expect_state_by_treat_missing_data"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		cases++
		slots := []byte(strings.Join(c.Points, ""))
		if len(slots) != c.Range {
			t.Fatalf("%s: range %d, %d points", c.ID, c.Range, len(slots))
		}
		for treat, want := range c.Expect {
			for _, current := range []string{StateOK, StateAlarm, StateInsufficient} {
				d := Decide(slots, c.N, c.M, treat)
				got := d.State
				if got == "" {
					got = current
				}
				w := want
				if w == "RETAIN_CURRENT_STATE" {
					w = current
				}
				if got != w {
					t.Errorf("%s %s (current %s): %s, want %s", c.ID, treat, current, got, w)
				}
				if (treat == "breaching" || treat == "notBreaching") && d.State != "" && d.Fillers != c.Fill {
					t.Errorf("%s %s: %d fillers, want %d", c.ID, treat, d.Fillers, c.Fill)
				}
				checks++
			}
		}
	}
	if cases != 10 {
		t.Fatalf("%d cases, want 10", cases)
	}
	t.Logf("conformance: %d missing-data cases, %d checks", cases, checks)
}

func TestDecideEdges(t *testing.T) {
	for _, c := range []struct {
		slots  string
		n, m   int
		treat  string
		want   string
		filler int
	}{
		{"XXX--", 3, 3, "", StateAlarm, 0},
		{"----X", 3, 3, "missing", "", 0},
		{"---X-", 3, 3, "missing", "", 0},
		{"--X--", 3, 3, "ignore", "", 0},
		{"--X--", 3, 3, "missing", StateAlarm, 0},
		{"00000", 3, 3, "breaching", StateOK, 0},
		{"-----", 1, 1, "breaching", StateAlarm, 1},
		{"---", 1, 1, "notBreaching", StateOK, 1},
		{"-X-0-", 3, 1, "missing", StateAlarm, 0},
	} {
		d := Decide([]byte(c.slots), c.n, c.m, c.treat)
		if d.State != c.want {
			t.Errorf("%s %d/%d %s: %q, want %q", c.slots, c.m, c.n, c.treat, d.State, c.want)
		}
	}
}

func TestJavaDouble(t *testing.T) {
	for f, want := range map[float64]string{80: "80.0", 21.5: "21.5", 0: "0.0", -3: "-3.0",
		99.50160229693434: "99.50160229693434", 1e7: "1.0E7", 1.5e-5: "1.5E-5", 123456789: "1.23456789E8"} {
		if got := javaDouble(f); got != want {
			t.Errorf("javaDouble(%v) = %s, want %s", f, got, want)
		}
	}
}
