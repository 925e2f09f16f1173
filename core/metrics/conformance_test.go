package metrics

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// conformanceFile is a copy of ../shared/conformance/cloudwatch_localstack_metrics_alarms.jsonl.
const conformanceFile = "testdata/conformance/cloudwatch_localstack_metrics_alarms.jsonl"

// confNow is "<now>" of the recorded cases.
var confNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time { return c.t }

type harness struct {
	t     *testing.T
	svc   *Service
	clock *fixedClock
	ops   map[string]api.Handler
}

func newHarness(t *testing.T, now time.Time) *harness {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &fixedClock{now}
	svc := New(Deps{Store: st, Clock: clk, Account: "123456789012", Region: "us-east-1"})
	a, err := svc.API()
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, svc: svc, clock: clk, ops: a.Handlers}
}

// call runs an operation with a request document and returns the response
// as generic JSON, or the AWS error.
func (h *harness) call(op string, req any) (any, *awserr.Error) {
	h.t.Helper()
	b, err := json.Marshal(req)
	if err != nil {
		h.t.Fatal(err)
	}
	out, err := h.ops[op](&api.Call{Service: "cloudwatch", Operation: op, Now: h.clock.Now()}, b)
	if err != nil {
		var e *awserr.Error
		if errors.As(err, &e) {
			return nil, e
		}
		h.t.Fatalf("%s: %v", op, err)
	}
	if out == nil {
		return nil, nil
	}
	ob, _ := json.Marshal(out)
	var v any
	json.Unmarshal(ob, &v)
	return v, nil
}

// confTime turns the recorder's time notation into an RFC 3339 instant; ok is
// false for an omitted timestamp.
func confTime(s string) (string, bool) {
	if strings.HasPrefix(s, "(omitted") {
		return "", false
	}
	s = strings.TrimSuffix(s, " (second call)")
	t := confNow
	rest := strings.TrimPrefix(s, "<now>")
	if rest != "" {
		sign := 1
		if rest[0] == '-' {
			sign = -1
		}
		rest = rest[1:]
		unit := rest[len(rest)-1]
		var n int
		fmt.Sscan(rest[:len(rest)-1], &n)
		d := map[byte]time.Duration{'s': time.Second, 'h': time.Hour, 'd': 24 * time.Hour}[unit]
		t = t.Add(time.Duration(sign*n) * d)
	}
	return t.Format(time.RFC3339), true
}

// fixTimes rewrites every Timestamp/StartTime/EndTime of a request.
func fixTimes(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && (k == "Timestamp" || k == "StartTime" || k == "EndTime") {
				if ts, ok := confTime(s); ok {
					x[k] = ts
				} else {
					delete(x, k)
				}
				continue
			}
			x[k] = fixTimes(val)
		}
	case []any:
		for i := range x {
			x[i] = fixTimes(x[i])
		}
	}
	return v
}

// setNamespace gives every Metric of the queries the test namespace.
func setNamespace(qs []any, ns string) {
	for _, q := range qs {
		if ms, ok := q.(map[string]any)["MetricStat"].(map[string]any); ok {
			ms["Metric"].(map[string]any)["Namespace"] = ns
		}
	}
}

// matches compares our response with AWS's recorded one: "timestamp" and
// "<...>" placeholders match anything, numbers compare as numbers.
func matches(got, want any, path string) error {
	if s, ok := want.(string); ok && (s == "timestamp" || strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">")) {
		return nil
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: got %v, want an object", path, got)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				return fmt.Errorf("%s: unexpected member %s", path, k)
			}
		}
		for k, wv := range w {
			if err := matches(g[k], wv, path+"."+k); err != nil {
				return err
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Errorf("%s: got %v, want %v", path, got, want)
		}
		for i := range w {
			if err := matches(g[i], w[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			return fmt.Errorf("%s: got %v, want %v", path, got, w)
		}
	default:
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("%s: got %v, want %v", path, got, want)
		}
	}
	return nil
}

type confCase struct {
	ID       string                     `json:"id"`
	Kind     string                     `json:"kind"`
	Inputs   map[string]any             `json:"inputs"`
	Recorded map[string]json.RawMessage `json:"aws_recorded"`
}

func loadConformance(t *testing.T) []confCase {
	f, err := os.Open(conformanceFile)
	if err != nil {
		t.Fatalf("conformance corpus: %v", err)
	}
	defer f.Close()
	var out []confCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var c confCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// notYet lists the cases of the corpus that are not about metrics alone:
// they need alarms, SNS and SQS together and run in core/world
// (TestAlarmConformance).
var notYet = map[string]string{
	"MetricAlarm evaluation":                          "runs in core/world TestAlarmConformance",
	"MetricAlarm evaluation (missing data)":           "runs in core/world TestAlarmConformance",
	"CompositeAlarm evaluation":                       "runs in core/world TestAlarmConformance",
	"SetAlarmState + describe":                        "runs in core/world TestAlarmConformance",
	"MetricAlarm evaluation (AWS/SQS service metric)": "runs in core/world TestAlarmConformance",
}

func TestConformance(t *testing.T) {
	const ns = "conformance-ns"
	ran, later := 0, 0
	for _, c := range loadConformance(t) {
		if why, ok := notYet[c.Kind]; ok {
			later++
			t.Logf("alarm case: %s (%s): %s", c.ID, c.Kind, why)
			continue
		}
		ran++
		t.Run(strings.TrimPrefix(c.ID, "localstack-cw-"), func(t *testing.T) {
			h := newHarness(t, confNow)
			in := fixTimes(c.Inputs).(map[string]any)
			if pd, ok := in["put_metric_data"].([]any); ok {
				for _, d := range pd {
					if _, e := h.call("PutMetricData", map[string]any{"Namespace": ns, "MetricData": []any{d}}); e != nil {
						t.Fatalf("PutMetricData: %v", e)
					}
				}
			}
			check := func(name string, got any, e *awserr.Error, fix func(any)) {
				t.Helper()
				var want any
				if err := json.Unmarshal(c.Recorded[name], &want); err != nil {
					t.Fatalf("recorded %s: %v", name, err)
				}
				if wm, ok := want.(map[string]any); ok {
					if we, ok := wm["Error"].(map[string]any); ok {
						if e == nil {
							t.Fatalf("%s: got %v, want error %v", name, got, we)
						}
						if e.Code != we["Code"] || e.Message != we["Message"] {
							t.Fatalf("%s: got %s: %s\nwant %s: %s", name, e.Code, e.Message, we["Code"], we["Message"])
						}
						return
					}
				}
				if e != nil {
					t.Fatalf("%s: unexpected error %v", name, e)
				}
				if fix != nil {
					fix(got)
				}
				if err := matches(got, want, name); err != nil {
					t.Fatal(err)
				}
			}
			switch c.Kind {
			case "GetMetricStatistics":
				req := in["get_metric_statistics"].(map[string]any)
				req["Namespace"] = ns
				got, e := h.call("GetMetricStatistics", req)
				for name := range c.Recorded {
					check(name, got, e, func(g any) {
						// The recording test sorted the datapoints by Average, descending.
						dps := g.(map[string]any)["Datapoints"].([]any)
						sort.SliceStable(dps, func(i, j int) bool {
							a, _ := dps[i].(map[string]any)["Average"].(float64)
							b, _ := dps[j].(map[string]any)["Average"].(float64)
							return a > b
						})
					})
				}
			case "GetMetricData", "GetMetricData + ListMetrics":
				qs := in["queries"].([]any)
				setNamespace(qs, ns)
				req := map[string]any{"MetricDataQueries": qs, "StartTime": in["StartTime"], "EndTime": in["EndTime"]}
				if m, ok := in["MaxDatapoints"]; ok {
					req["MaxDatapoints"] = m
				}
				got, e := h.call("GetMetricData", req)
				for name := range c.Recorded {
					if name == "list-metrics" {
						lm, e := h.call("ListMetrics", map[string]any{"Namespace": ns})
						check(name, lm, e, nil)
						continue
					}
					check(name, got, e, nil)
				}
			case "PutMetricData validation":
				for _, call := range in["calls"].([]any) {
					cm := call.(map[string]any)
					label := cm["label"].(string)
					_, e := h.call("PutMetricData", map[string]any{"Namespace": ns, "MetricData": cm["MetricData"]})
					if _, ok := c.Recorded[label]; !ok {
						if e != nil {
							t.Fatalf("%s: AWS accepts it, got %v", label, e)
						}
						continue
					}
					check(label, nil, e, nil)
				}
			case "GetMetricStatistics validation":
				for _, call := range in["calls"].([]any) {
					cm := call.(map[string]any)
					label := cm["label"].(string)
					req := map[string]any{"Namespace": ns, "MetricName": "metric_name"}
					for k, v := range cm {
						if k != "label" && k != "Namespace" {
							req[k] = v
						}
					}
					if cm["Namespace"] != nil {
						req["Namespace"] = "fresh-namespace"
					}
					got, e := h.call("GetMetricStatistics", req)
					check(label, got, e, nil)
				}
			default:
				t.Fatalf("unknown kind %q", c.Kind)
			}
		})
	}
	t.Logf("conformance: %d metric cases run here, %d alarm cases run in core/world", ran, later)
	if ran == 0 {
		t.Fatal("no case ran")
	}
}
