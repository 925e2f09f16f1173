package metricmath

import (
	"errors"
	"fmt"
	"testing"
)

func TestPlan(t *testing.T) {
	qs := []Query{
		{ID: "e3", Expression: "FIRST(e2) * e4", ReturnData: true},
		{ID: "m1"}, {ID: "m2"},
		{ID: "e2", Expression: "SORT([m1, m2], MAX, DESC)"},
		{ID: "e4", Expression: "AVG(m2)"},
		{ID: "e1", Expression: "m1 / m2 * 100", ReturnData: true},
	}
	plan, err := NewPlan(qs)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(plan.Order) != "[e2 e4 e3 e1]" {
		t.Errorf("Order = %v", plan.Order)
	}
	env := testEnv()
	res, err := plan.Eval(env)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for id, v := range res {
		got[id] = show(v)
	}
	want := map[string]string{
		"e1": "TS [0:200 3:500 4:500]",
		"e2": "TS[] m1[0:10 1:20 2:30 3:40 4:50] m2[0:5 1:0 3:8 4:10]",
		"e3": "TS [0:57.5 1:115 2:172.5 3:230 4:287.5]",
		"e4": "S 5.75",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results\n got %v\nwant %v", got, want)
	}
}

func TestPlanErrors(t *testing.T) {
	cases := []struct {
		name string
		qs   []Query
		opts []Option
		id   string
		msg  string
	}{
		{"unknown id", []Query{{ID: "m1"}, {ID: "e1", Expression: "m1 + m9", ReturnData: true}}, nil, "e1", `Unknown metric or expression id "m9".`},
		{"cycle", []Query{{ID: "e1", Expression: "e2 + 1", ReturnData: true}, {ID: "e2", Expression: "e3 * 2"}, {ID: "e3", Expression: "e1"}}, nil, "e1", "Circular reference between expressions: e1 -> e2 -> e3 -> e1."},
		{"self", []Query{{ID: "e1", Expression: "e1 + 1", ReturnData: true}}, nil, "e1", "Circular reference between expressions: e1 -> e1."},
		{"returned scalar", []Query{{ID: "m1"}, {ID: "e1", Expression: "AVG(m1)", ReturnData: true}}, nil, "e1", "The expression must return a time series or an array of time series, not a scalar."},
		{"type from dependency", []Query{{ID: "m1"}, {ID: "e1", Expression: "AVG(m1)"}, {ID: "e2", Expression: "SUM(e1)", ReturnData: true}}, nil, "e2", "Argument 1 of SUM must be a time series or an array of time series, not a scalar."},
		{"syntax", []Query{{ID: "e1", Expression: "1 +", ReturnData: true}}, nil, "e1", "Syntax error: the expression ended unexpectedly."},
		{"alarm array", []Query{{ID: "m1"}, {ID: "e1", Expression: "[m1, m1]", ReturnData: true}}, []Option{ForAlarm()}, "e1", "The expression of an alarm must return a single time series, not an array of time series."},
		{"alarm search", []Query{{ID: "e1", Expression: "SEARCH('{AWS/EC2}', 'Sum')"}, {ID: "e2", Expression: "FIRST(e1)", ReturnData: true}}, []Option{ForAlarm()}, "e1", "SEARCH expressions cannot be used in alarms: an alarm must watch a single time series."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPlan(tc.qs, tc.opts...)
			var me *Error
			if !errors.As(err, &me) || me.ID != tc.id || me.Message != tc.msg {
				t.Fatalf("NewPlan = %#v, want %s: %s", err, tc.id, tc.msg)
			}
		})
	}
	// An anomaly alarm returns the metric and its band.
	if _, err := NewPlan([]Query{{ID: "m1", ReturnData: true}, {ID: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)", ReturnData: true}}, ForAlarm()); err != nil {
		t.Error(err)
	}
	// An alarm may use intermediate arrays.
	if _, err := NewPlan([]Query{{ID: "m1"}, {ID: "e1", Expression: "[m1, m1 * 2]"}, {ID: "e2", Expression: "MAX(e1)", ReturnData: true}}, ForAlarm()); err != nil {
		t.Error(err)
	}
	// Evaluation errors name the expression.
	plan, err := NewPlan([]Query{{ID: "e1", Expression: "SERVICE_QUOTA(m1)", ReturnData: true}, {ID: "m1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = plan.Eval(testEnv())
	var me *Error
	if !errors.As(err, &me) || me.ID != "e1" || !errors.Is(err, err) {
		t.Errorf("Eval = %v", err)
	}
}

// Example shows a GetMetricData-style request: two metrics and an
// expression over them.
func Example() {
	plan, err := NewPlan([]Query{
		{ID: "errors"}, {ID: "requests"},
		{ID: "rate", Expression: "errors / requests * 100", ReturnData: true},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	env := &MapEnv{
		Values: map[string]Value{
			"errors":   TS(Series{Timestamps: []int64{0, 60, 120}, Values: []float64{1, 0, 3}}),
			"requests": TS(Series{Timestamps: []int64{0, 60, 120}, Values: []float64{10, 0, 30}}),
		},
		Metrics: []string{"errors", "requests"},
		Win:     Window{Start: 0, End: 180, Period: 60},
	}
	res, err := plan.Eval(env)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := res["rate"].Series[0]
	fmt.Println(s.Timestamps, s.Values)
	// Output: [0 120] [10 10]
}
