package metricmath

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// start is Monday 2026-01-05 09:00:00 UTC.
var start = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC).Unix()

const period = 60

// ser builds a series on the test grid: nil entries are missing points.
func ser(id string, vals ...any) Series {
	s := Series{ID: id, Label: id}
	for i, v := range vals {
		if v == nil {
			continue
		}
		var f float64
		switch x := v.(type) {
		case int:
			f = float64(x)
		case float64:
			f = x
		}
		s.Timestamps = append(s.Timestamps, start+int64(i)*period)
		s.Values = append(s.Values, f)
	}
	return s
}

// testEnv holds the fixed series of the table.
func testEnv() *MapEnv {
	series := []Series{
		ser("m1", 10, 20, 30, 40, 50),
		ser("m2", 5, 0, nil, 8, 10),
		ser("m3", nil, 4, nil, nil, 2),
		// spec §3.2's comparison example
		ser("metric1", 30, 20, 0, 0),
		ser("metric2", 20, nil, 20, nil),
		// spec §3.4's IF examples
		ser("c", 1, 1, 0, 0, nil),
		ser("t", 30, nil, 0, 0, 30),
		ser("f", 0, 0, 20, nil, 20),
		ser("errors4xx", 1, 2, 3, 4, 5),
		ser("errors5xx", 0, 1, 0, 1, 0),
		ser("empty"),
		ser("neg", -1.5, 2.5, -3, 0, 1),
	}
	env := &MapEnv{Values: map[string]Value{}, Win: Window{Start: start, End: start + 5*period, Period: period}}
	for _, s := range series {
		env.Values[s.ID] = TS(s)
		env.Metrics = append(env.Metrics, s.ID)
	}
	env.Periods = map[string]int64{"m3": 300}
	env.Values["arr"] = Array(ser("a1", 1, 2), ser("a2", 3, nil, 5))
	env.Values["sc"] = Scalar(7)
	env.SearchFunc = func(q *SearchQuery) ([]Series, error) {
		cat := []Metric{
			{Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: []Dimension{{"InstanceId", "i-1"}}},
			{Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: []Dimension{{"InstanceId", "i-2"}}},
			{Namespace: "AWS/EC2", MetricName: "NetworkIn", Dimensions: []Dimension{{"InstanceId", "i-1"}}},
			{Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: []Dimension{{"AutoScalingGroupName", "web"}}},
		}
		var out []Series
		for i, m := range cat {
			if q.Match(m) {
				out = append(out, ser(fmt.Sprintf("s%d", i), i, i+1))
			}
		}
		return out, nil
	}
	env.BandFunc = func(id string, s Series, w float64) (Series, Series, error) {
		up := mapSeries(s, func(v float64) float64 { return v + w })
		lo := mapSeries(s, func(v float64) float64 { return v - w })
		up.Label, lo.Label = id+" upper", id+" lower"
		return up, lo, nil
	}
	return env
}

// show prints a value compactly: points as index:value on the test grid.
func show(v Value) string {
	one := func(s Series) string {
		parts := make([]string, len(s.Timestamps))
		for i, t := range s.Timestamps {
			idx := strconv.FormatInt((t-start)/period, 10)
			if (t-start)%period != 0 {
				idx = strconv.FormatInt(t-start, 10) + "s"
			}
			parts[i] = idx + ":" + strconv.FormatFloat(s.Values[i], 'g', 6, 64)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	switch v.Kind {
	case KindScalar:
		return "S " + strconv.FormatFloat(v.Scalar, 'g', 6, 64)
	case KindSeries:
		return "TS " + one(v.Series[0])
	}
	parts := make([]string, len(v.Series))
	for i, s := range v.Series {
		parts[i] = s.ID + one(s)
	}
	return "TS[] " + strings.Join(parts, " ")
}

func TestEval(t *testing.T) {
	cases := []struct {
		expr, want string
	}{
		// the acceptance expressions
		{"m1/m2*100", "TS [0:200 3:500 4:500]"},
		{"FILL(m1, 0)", "TS [0:10 1:20 2:30 3:40 4:50]"},
		{"FILL(m2, 0)", "TS [0:5 1:0 2:0 3:8 4:10]"},
		// arithmetic: missing counts as 0, division by zero dropped
		{"m1 + m3", "TS [0:10 1:24 2:30 3:40 4:52]"},
		{"m3 - m1", "TS [0:-10 1:-16 2:-30 3:-40 4:-48]"},
		{"m3 * 2", "TS [1:8 4:4]"},
		{"2 ^ m3", "TS [1:16 4:4]"},
		{"m1 / 0", "TS []"},
		{"-m3", "TS [1:-4 4:-2]"},
		{"+m3", "TS [1:4 4:2]"},
		{"m1 - AVG(m1)", "TS [0:-20 1:-10 2:0 3:10 4:20]"},
		{"2 + 3 * 4 ^ 2 / 8", "S 8"},
		{"2 ^ 3 ^ 2", "S 512"},
		{"-2 ^ 2", "S -4"},
		{"(1 + 2) * m3", "TS [1:12 4:6]"},
		{"1e-36 + m3", "TS [1:4 4:2]"},
		{"m1 * 1e308 * 10", "TS []"},
		{"METRICS('errors') * 100", "TS[] errors4xx[0:100 1:200 2:300 3:400 4:500] errors5xx[0:0 1:100 2:0 3:100 4:0]"},
		{"SUM(100 / [m2, m3])", "TS [0:20 1:25 3:12.5 4:60]"},
		{"[m3, m2] + m3", "TS[] m3[1:8 4:4] m2[0:5 1:4 3:8 4:12]"},
		{"m3 - [m3]", "TS[] m3[1:0 4:0]"},
		{"-METRICS('5xx')", "TS[] errors5xx[0:-0 1:-1 2:-0 3:-1 4:-0]"},
		// comparison and logical (spec §3.2's example)
		{"metric1 < metric2", "TS [0:0 1:0 2:1 3:0]"},
		{"metric1 >= 30", "TS [0:1 1:0 2:0 3:0]"},
		{"metric1 > 15 AND metric2 > 15", "TS [0:1 1:0 2:0 3:0]"},
		{"metric1 > 15 && metric2 > 15", "TS [0:1 1:0 2:0 3:0]"},
		{"metric1 > 25 OR metric2 > 15", "TS [0:1 1:0 2:1 3:0]"},
		{"metric1 > 25 || metric2 > 15", "TS [0:1 1:0 2:1 3:0]"},
		{"metric1 == 0", "TS [0:0 1:0 2:1 3:1]"},
		{"metric1 != 0", "TS [0:1 1:1 2:0 3:0]"},
		{"metric1 <= 20", "TS [0:0 1:1 2:1 3:1]"},
		{"1 < 2", "S 1"},
		// IF (spec §3.4)
		{"IF(c, t, f)", "TS [0:30 1:0 2:20]"},
		{"IF(c, 5, f)", "TS [0:5 1:5 2:20]"},
		{"IF(c, t, 5)", "TS [0:30 1:0 2:5 3:5]"},
		{"IF(c, t)", "TS [0:30 1:0]"},
		{"IF(1, t, f)", "TS [0:30 2:0 3:0 4:30]"},
		{"IF(0, t, f)", "TS [0:0 1:0 2:20 4:20]"},
		{"IF(0, t)", "TS []"},
		{"IF(m1 < 35, m1)", "TS [0:10 1:20 2:30]"},
		{"IF(m1 < 35, 10, 2)", "TS [0:10 1:10 2:10 3:2 4:2]"},
		{"IF(neg, 1, 0)", "TS [0:1 1:1 2:1 3:0 4:1]"},
		{"IF(DAY(m1) < 6 AND (HOUR(m1) >= 9 AND HOUR(m1) < 17), m1)", "TS [0:10 1:20 2:30 3:40 4:50]"},
		{"IF(MONTH(m1) == 4, m1)", "TS []"},
		// per-point functions
		{"ABS(neg)", "TS [0:1.5 1:2.5 2:3 3:0 4:1]"},
		{"ABS([neg, m3])", "TS[] neg[0:1.5 1:2.5 2:3 3:0 4:1] m3[1:4 4:2]"},
		{"CEIL(neg)", "TS [0:-1 1:3 2:-3 3:0 4:1]"},
		{"FLOOR(neg)", "TS [0:-2 1:2 2:-3 3:0 4:1]"},
		{"LOG(m3)", "TS [1:1.38629 4:0.693147]"},
		{"LOG(neg)", "TS [1:0.916291 4:0]"},
		{"LOG10(m1)", "TS [0:1 1:1.30103 2:1.47712 3:1.60206 4:1.69897]"},
		{"DIFF(m1)", "TS [1:10 2:10 3:10 4:10]"},
		{"DIFF(m3)", "TS [4:-2]"},
		{"DIFF_TIME(m3)", "TS [4:180]"},
		{"RATE(m3)", "TS [4:-0.0111111]"},
		{"RATE(m1)", "TS [1:0.166667 2:0.166667 3:0.166667 4:0.166667]"},
		{"RUNNING_SUM(m1)", "TS [0:10 1:30 2:60 3:100 4:150]"},
		{"RUNNING_SUM([m3])", "TS[] m3[1:4 4:6]"},
		// aggregates
		{"AVG(m1) * m3", "TS [1:120 4:60]"},
		{"TIME_SERIES(AVG(m1))", "TS [0:30 1:30 2:30 3:30 4:30]"},
		{"TIME_SERIES(MAX(m1) + MIN(m1))", "TS [0:60 1:60 2:60 3:60 4:60]"},
		{"TIME_SERIES(SUM(m1))", "TS [0:150 1:150 2:150 3:150 4:150]"},
		{"TIME_SERIES(STDDEV(m1))", "TS [0:14.1421 1:14.1421 2:14.1421 3:14.1421 4:14.1421]"},
		{"TIME_SERIES(DATAPOINT_COUNT(m2))", "TS [0:4 1:4 2:4 3:4 4:4]"},
		{"TIME_SERIES(AVG(empty))", "TS []"},
		{"AVG([m2, m3])", "TS [0:2.5 1:2 3:4 4:6]"},
		{"SUM([m2, m3])", "TS [0:5 1:4 3:8 4:12]"},
		{"MAX([m2, m3])", "TS [0:5 1:4 3:8 4:10]"},
		{"MIN([m2, m3])", "TS [0:5 1:0 3:8 4:2]"},
		{"STDDEV([m1, m1])", "TS [0:0 1:0 2:0 3:0 4:0]"},
		{"STDDEV([m2, m3])", "TS [0:0 1:2 3:0 4:4]"},
		{"DATAPOINT_COUNT([m2, m3, empty])", "TS [0:1 1:2 3:1 4:2]"},
		{"SUM([METRICS('4xx'), METRICS('5xx')])", "TS [0:1 1:3 2:3 3:5 4:5]"},
		// arrays
		{"FIRST([m3, m2])", "TS [1:4 4:2]"},
		{"LAST([m3, m2])", "TS [0:5 1:0 3:8 4:10]"},
		{"TIME_SERIES(METRIC_COUNT(METRICS()))", "TS [0:12 1:12 2:12 3:12 4:12]"},
		{"TIME_SERIES(METRIC_COUNT(METRICS('nothing')))", "TS [0:0 1:0 2:0 3:0 4:0]"},
		{"METRICS('m')", "TS[] m1[0:10 1:20 2:30 3:40 4:50] m2[0:5 1:0 3:8 4:10] m3[1:4 4:2] metric1[0:30 1:20 2:0 3:0] metric2[0:20 2:20] empty[]"},
		{"REMOVE_EMPTY([empty, m3, empty])", "TS[] m3[1:4 4:2]"},
		{"SLICE(METRICS('m'), 1, 3)", "TS[] m2[0:5 1:0 3:8 4:10] m3[1:4 4:2]"},
		{"SLICE(METRICS('m'), 3, 5)", "TS[] metric1[0:30 1:20 2:0 3:0] metric2[0:20 2:20]"},
		{"SLICE(METRICS('m'), 3)", "TS[] metric1[0:30 1:20 2:0 3:0] metric2[0:20 2:20] empty[]"},
		{"SLICE(METRICS('m'), 4, 2)", "TS[] "},
		{"SLICE(METRICS('m'), -5, 100)", "TS[] m1[0:10 1:20 2:30 3:40 4:50] m2[0:5 1:0 3:8 4:10] m3[1:4 4:2] metric1[0:30 1:20 2:0 3:0] metric2[0:20 2:20] empty[]"},
		{"SORT([m2, m1, m3, empty], AVG, DESC)", "TS[] m1[0:10 1:20 2:30 3:40 4:50] m2[0:5 1:0 3:8 4:10] m3[1:4 4:2] empty[]"},
		{"SORT([m2, m1, m3, empty], MAX, ASC, 2)", "TS[] m3[1:4 4:2] m2[0:5 1:0 3:8 4:10]"},
		{"SORT([m2, m1, m3], SUM, ASC, 0)", "TS[] "},
		{"SORT([m2, m1, m3], MIN, DESC)", "TS[] m1[0:10 1:20 2:30 3:40 4:50] m3[1:4 4:2] m2[0:5 1:0 3:8 4:10]"},
		{"arr * 2", "TS[] a1[0:2 1:4] a2[0:6 2:10]"},
		{"m3 * sc", "TS [1:28 4:14]"},
		// FILL
		{"FILL(m3, REPEAT)", "TS [1:4 2:4 3:4 4:2]"},
		{"FILL(m3, LINEAR)", "TS [1:4 2:3.33333 3:2.66667 4:2]"},
		{"FILL(m3, m1)", "TS [0:10 1:4 2:30 3:40 4:2]"},
		{"FILL(m3, -1)", "TS [0:-1 1:4 2:-1 3:-1 4:2]"},
		{"FILL([m2, m3], 0)", "TS[] m2[0:5 1:0 2:0 3:8 4:10] m3[0:0 1:4 2:0 3:0 4:2]"},
		{"FILL(METRICS('m3'), m1)", "TS[] m3[0:10 1:4 2:30 3:40 4:2]"},
		{"FILL(empty, REPEAT)", "TS []"},
		// time functions (Monday 09:00 UTC)
		{"MINUTE(m1)", "TS [0:0 1:1 2:2 3:3 4:4]"},
		{"MINUTE(m3)", "TS [0:0]"},
		{"MINUTE(m3 + 0)", "TS [0:0 1:1 2:2 3:3 4:4]"},
		{"HOUR(m1)", "TS [0:9 1:9 2:9 3:9 4:9]"},
		{"DAY(m1)", "TS [0:1 1:1 2:1 3:1 4:1]"},
		{"DATE(m1)", "TS [0:5 1:5 2:5 3:5 4:5]"},
		{"MONTH(m1)", "TS [0:1 1:1 2:1 3:1 4:1]"},
		{"YEAR(m1)", "TS [0:2026 1:2026 2:2026 3:2026 4:2026]"},
		{"EPOCH(m1) - EPOCH(m2)", "TS [0:0 1:0 2:0 3:0 4:0]"},
		{"TIME_SERIES(42)", "TS [0:42 1:42 2:42 3:42 4:42]"},
		{"m1 / PERIOD(m1)", "TS [0:0.166667 1:0.333333 2:0.5 3:0.666667 4:0.833333]"},
		{"m3 / PERIOD(m3)", "TS [1:0.0133333 4:0.00666667]"},
		// SEARCH over the Env's catalogue
		{`SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average', 300)`, "TS[] s0[0:0 1:1] s1[0:1 1:2]"},
		{`SEARCH('{AWS/EC2,InstanceId} NetworkIn OR CPU', 'Sum')`, "TS[] s0[0:0 1:1] s1[0:1 1:2] s2[0:2 1:3]"},
		{`SEARCH('CPUUtilization NOT InstanceId=i-1', 'p99')`, "TS[] s1[0:1 1:2] s3[0:3 1:4]"},
		{`SUM(SEARCH('{AWS/EC2,AutoScalingGroupName}', 'Maximum'))`, "TS [0:3 1:4]"},
		{`SEARCH('Namespace="AWS/Lambda"', 'Sum')`, "TS[] "},
		// anomaly band through the Env
		{"ANOMALY_DETECTION_BAND(m3)", "TS[] m3[1:6 4:4] m3[1:2 4:0]"},
		{"LAST(ANOMALY_DETECTION_BAND(m3, 1))", "TS [1:3 4:1]"},
		{"FIRST(ANOMALY_DETECTION_BAND(m3 * 2, 1))", "TS [1:9 4:5]"},
	}
	env := testEnv()
	kinds := map[string]Kind{}
	for id, v := range env.Values {
		kinds[id] = v.Kind
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			p, err := Compile(tc.expr, IDs(kinds), AllowScalar())
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got, err := p.Eval(env)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if s := show(got); s != tc.want {
				t.Errorf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestAcceptanceTimestamps(t *testing.T) {
	// m1/m2*100 and FILL(m1, 0) with real timestamps, as get-metric-data
	// returns them.
	env := testEnv()
	p, err := Compile("m1/m2*100")
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Eval(env)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{start, start + 180, start + 240}
	if fmt.Sprint(r.Series[0].Timestamps) != fmt.Sprint(want) || fmt.Sprint(r.Series[0].Values) != "[200 500 500]" {
		t.Errorf("m1/m2*100 = %v %v", r.Series[0].Timestamps, r.Series[0].Values)
	}
	p, _ = Compile("FILL(m1, 0)")
	env.Values["m1"] = TS(ser("m1", nil, 1, nil, nil, 4))
	r, _ = p.Eval(env)
	if fmt.Sprint(r.Series[0].Values) != "[0 1 0 0 4]" || r.Series[0].Timestamps[0] != start || r.Series[0].Timestamps[4] != start+240 {
		t.Errorf("FILL(m1, 0) = %v %v", r.Series[0].Timestamps, r.Series[0].Values)
	}
}

// compileErrors are the messages of invalid expressions. AWS does not
// document its metric math messages; these are this package's, in AWS's
// style.
var compileErrors = []struct {
	expr, msg string
	off       int
}{
	{"", "The expression is empty.", 0},
	{"   ", "The expression is empty.", 0},
	{"avg(m1)", `Unknown function "avg": function names must be upper case (AVG).`, 0},
	{"foo(m1)", `Unknown function "foo".`, 0},
	{"FOO(m1)", `Unknown function "FOO".`, 0},
	{"M1 + 1", `Unrecognized keyword or identifier "M1": metric and expression ids start with a lower-case letter.`, 0},
	{"_x", `Unrecognized keyword or identifier "_x": metric and expression ids start with a lower-case letter.`, 0},
	{"AVG(m1)", "The expression must return a time series or an array of time series, not a scalar.", 0},
	{"1 + 2", "The expression must return a time series or an array of time series, not a scalar.", 0},
	{"'text'", "The expression must return a time series or an array of time series, not a string.", 0},
	{"m1 +", "Syntax error: the expression ended unexpectedly.", 4},
	{"m1 + )", `Syntax error: unexpected ")" at position 5.`, 5},
	{"(m1", "Syntax error: the expression ended unexpectedly.", 3},
	{"m1 m2", `Syntax error: unexpected "m2" at position 3.`, 3},
	{"m1 $ m2", `Unexpected character '$' at position 3.`, 3},
	{"m1 + 'abc", "Unterminated string starting at position 5.", 5},
	{"1e999 * m1", "The number 1e999 is out of range.", 0},
	{"1.2.3 * m1", `Invalid number "1.2.3".`, 0},
	{"2x", `Unexpected character 'x' after the number 2.`, 1},
	{"[]", "An array must contain at least one time series.", 0},
	{"[m1, 1]", "An array can contain only time series and arrays of time series, not a scalar.", 5},
	{"METRICS() + METRICS()", "The operator + cannot be applied to two arrays of time series.", 10},
	{"m1 + 'a'", "The operator + cannot be applied to a string.", 5},
	{"-'a'", "The operator - cannot be applied to a string.", 1},
	{"ABS(1)", "Argument 1 of ABS must be a time series or an array of time series, not a scalar.", 4},
	{"ABS(m1, m2)", "The function ABS takes 1 argument, but 2 were given.", 0},
	{"SUM(m1, m2)", "The function SUM takes 1 argument, but 2 were given.", 0},
	{"FIRST(m1)", "Argument 1 of FIRST must be an array of time series, not a time series.", 6},
	{"FILL(m1)", "The function FILL takes 2 arguments, but 1 were given.", 0},
	{"FILL(m1, ASC)", "Argument 2 of FILL must be one of REPEAT, LINEAR.", 9},
	{"FILL(m1, METRICS())", "Argument 2 of FILL must be a scalar or a time series, not an array of time series.", 9},
	{"SORT(METRICS(), AVERAGE, DESC)", `Unrecognized keyword or identifier "AVERAGE": metric and expression ids start with a lower-case letter.`, 16},
	{"SORT(METRICS(), SUM, UP)", `Unrecognized keyword or identifier "UP": metric and expression ids start with a lower-case letter.`, 21},
	{"SORT(METRICS(), SUM, REPEAT)", "Argument 3 of SORT must be one of ASC, DESC.", 21},
	{"SORT(METRICS(), AVG)", "The function SORT takes 3 to 4 arguments, but 2 were given.", 0},
	{"SLICE(METRICS(), m1)", "Argument 2 of SLICE must be a scalar, not a time series.", 17},
	{"IF(m1)", "The function IF takes 2 to 3 arguments, but 1 were given.", 0},
	{"IF(1, 2, 3)", "Argument 2 of IF must be a time series, not a scalar.", 6},
	{"IF(METRICS(), m1)", "Argument 1 of IF must be a scalar or a time series, not an array of time series.", 3},
	{"PERIOD(m1 * 2)", "PERIOD can be applied only to a metric, not to an expression or a function result.", 10},
	{"TIME_SERIES(m1)", "Argument 1 of TIME_SERIES must be a scalar, not a time series.", 12},
	{"METRICS(m1)", "Argument 1 of METRICS must be a string, not a time series.", 8},
	{"METRICS('a', 'b')", "The function METRICS takes 0 to 1 arguments, but 2 were given.", 0},
	{"MINUTE(METRICS())", "Argument 1 of MINUTE must be a time series, not an array of time series.", 7},
	{"ANOMALY_DETECTION_BAND(METRICS())", "Argument 1 of ANOMALY_DETECTION_BAND must be a time series, not an array of time series.", 23},
	{"INSIGHT_RULE_METRIC(rule, 'Sum')", "Argument 1 of INSIGHT_RULE_METRIC must be a string, not a time series.", 20},
	{"SEARCH('', 'Sum')", "The search expression is empty: give a schema, a search term, or both.", 8},
	{"SEARCH('{AWS/EC2', 'Sum')", "The schema of the search expression is missing its closing brace.", 16},
	{"SEARCH('{AWS/EC2}', 'Average2')", `The statistic "Average2" of SEARCH is not a valid statistic.`, 20},
	{"SEARCH('{AWS/EC2}', 'Sum', 0)", "The period of SEARCH must be a positive whole number of seconds.", 27},
	{"SEARCH('{AWS/EC2}', 'Sum', 61.5)", "The period of SEARCH must be a positive whole number of seconds.", 27},
	{"SEARCH('(a', 'Sum')", "Unbalanced parenthesis in the search expression at position 0.", 8},
	{"SEARCH('a \"b', 'Sum')", "Unterminated quoted term in the search expression at position 2.", 10},
	{"SEARCH('x', 'Sum', p)", "The period of SEARCH must be a positive whole number of seconds.", 19},
	{"SEARCH('x', 'Sum', 1 + 1)", "The period of SEARCH must be a positive whole number of seconds.", 21},
	{"AND", `Syntax error: unexpected "AND" at position 0.`, 0},
	{"m1 AND", "Syntax error: the expression ended unexpectedly.", 6},
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range compileErrors {
		t.Run(tc.expr, func(t *testing.T) {
			_, err := Compile(tc.expr)
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("Compile(%q) = %v, want *Error", tc.expr, err)
			}
			if me.Message != tc.msg {
				t.Errorf("message\n got %s\nwant %s", me.Message, tc.msg)
			}
			if tc.off != 0 && me.Offset != tc.off {
				t.Errorf("offset %d, want %d\n%s", me.Offset, tc.off, me.Caret())
			}
			if me.For("e1") != "Error in expression e1: "+tc.msg {
				t.Errorf("For = %q", me.For("e1"))
			}
		})
	}
}

func TestOptions(t *testing.T) {
	ids := IDs(map[string]Kind{"m1": KindSeries, "e1": KindArray, "e2": KindScalar})
	ok := []string{"SUM(e1)", "m1 * e2", "e1 * 2", "FIRST(e1)"}
	for _, e := range ok {
		if _, err := Compile(e, ids); err != nil {
			t.Errorf("Compile(%q): %v", e, err)
		}
	}
	bad := map[string]string{
		"m9 + 1":    `Unknown metric or expression id "m9".`,
		"SUM(e2)":   "Argument 1 of SUM must be a time series or an array of time series, not a scalar.",
		"e1 + e1":   "The operator + cannot be applied to two arrays of time series.",
		"AVG(m1)":   "The expression must return a time series or an array of time series, not a scalar.",
		"FIRST(m1)": "Argument 1 of FIRST must be an array of time series, not a time series.",
	}
	for e, msg := range bad {
		if _, err := Compile(e, ids); err == nil || err.Error() != msg {
			t.Errorf("Compile(%q) = %v, want %s", e, err, msg)
		}
	}
	if p, err := Compile("AVG(m1)", AllowScalar()); err != nil || p.Kind() != KindScalar {
		t.Errorf("AllowScalar: %v", err)
	}
	alarm := map[string]string{
		"METRICS()":                       "The expression of an alarm must return a single time series, not an array of time series.",
		"SUM(SEARCH('{AWS/EC2}', 'Sum'))": "SEARCH expressions cannot be used in alarms: an alarm must watch a single time series.",
		"AVG(m1)":                         "The expression of an alarm must return a single time series, not a scalar.",
	}
	for e, msg := range alarm {
		if _, err := Compile(e, ForAlarm()); err == nil || err.Error() != msg {
			t.Errorf("Compile(%q, ForAlarm()) = %v, want %s", e, err, msg)
		}
	}
	for _, e := range []string{"m1 * 100", "ANOMALY_DETECTION_BAND(m1, 2)", "ANOMALY_DETECTION_BAND(m1)", "IF(m1 > 0, m1)"} {
		if _, err := Compile(e, ForAlarm()); err != nil {
			t.Errorf("Compile(%q, ForAlarm()): %v", e, err)
		}
	}
	if _, err := Compile("LAST(ANOMALY_DETECTION_BAND(m1)) + FIRST(ANOMALY_DETECTION_BAND(m1))", ForAlarm()); err == nil || err.Error() != "An expression can contain only one ANOMALY_DETECTION_BAND function." {
		t.Errorf("two bands: %v", err)
	}
	if _, err := Compile("m1 + m1 + m1", MaxLength(5)); err == nil || err.Error() != "The expression is longer than 5 characters." {
		t.Errorf("MaxLength: %v", err)
	}
}

func TestRefs(t *testing.T) {
	p, err := Compile(`m1 + SUM([METRICS(), METRICS('err'), METRICS()]) + e2 * m1 + FIRST(SEARCH('{AWS/EC2,InstanceId} CPU', 'Average', 300)) + LAST(ANOMALY_DETECTION_BAND(m1)) + SERVICE_QUOTA(m1) + INSIGHT_RULE_METRIC('r', 'Sum') + DB_PERF_INSIGHTS('RDS', 'db-1', 'db.load.avg')`)
	if err != nil {
		t.Fatal(err)
	}
	r := p.Refs()
	got := fmt.Sprintf("%v %v %q %d %v %v %v", r.IDs, r.Metrics, r.MetricsFilters, r.AnomalyBands, r.InsightRules, r.ServiceQuota, r.PerfInsights)
	if want := `[m1 e2] true ["" "err"] 1 true true true`; got != want {
		t.Errorf("Refs = %s, want %s", got, want)
	}
	if len(r.Searches) != 1 {
		t.Fatalf("Searches = %v", r.Searches)
	}
	q := r.Searches[0]
	if q.Text != "{AWS/EC2,InstanceId} CPU" || q.Stat != "Average" || q.Period != 300 || !q.HasSchema || q.Namespace != "AWS/EC2" || fmt.Sprint(q.DimensionNames) != "[InstanceId]" {
		t.Errorf("search = %+v", q)
	}
}

func TestEvalErrors(t *testing.T) {
	cases := []struct{ expr, msg string }{
		{"nosuch * 2", `Unknown metric or expression id "nosuch".`},
		{"INSIGHT_RULE_METRIC('myRule', 'Sum')", `The Contributor Insights rule "myRule" does not exist or is not available in this account.`},
		{"SERVICE_QUOTA(m1)", "SERVICE_QUOTA is not available: no service quota is associated with this usage metric."},
		{"DB_PERF_INSIGHTS('RDS', 'db-ABC', 'db.load.avg')", "DB_PERF_INSIGHTS is not available: Performance Insights data for RDS/db-ABC/db.load.avg is not accessible."},
		{"ANOMALY_DETECTION_BAND(m1, 0)", "The band width of ANOMALY_DETECTION_BAND must be a positive number of standard deviations."},
		{"ANOMALY_DETECTION_BAND(m1, -1)", "The band width of ANOMALY_DETECTION_BAND must be a positive number of standard deviations."},
		{"SORT(METRICS(), AVG, ASC, -1)", "The limit of SORT must not be negative."},
		{"SLICE(METRICS(), 1/0)", "The arguments of SLICE must be finite numbers."},
		{"m1 / PERIOD(e1)", "PERIOD can be applied only to a metric, and e1 is not a metric."},
		{"arr + 1", "The id arr is an array of time series, but the expression was compiled for a time series."},
	}
	env := testEnv()
	env.BandFunc = nil
	env.Values["e1"] = TS(ser("e1", 1))
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			p, err := Compile(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Eval(env)
			var me *Error
			if !errors.As(err, &me) || me.Message != tc.msg {
				t.Fatalf("Eval = %v, want %s", err, tc.msg)
			}
		})
	}
	p, _ := Compile("ANOMALY_DETECTION_BAND(m1)")
	if _, err := p.Eval(env); !errors.Is(err, ErrUnavailable) && err.Error() != "ANOMALY_DETECTION_BAND is not available: no anomaly detection model can be trained for this metric." {
		t.Errorf("band without model: %v", err)
	}
}

func TestSearchMatch(t *testing.T) {
	m := func(ns, name string, dims ...string) Metric {
		out := Metric{Namespace: ns, MetricName: name}
		for i := 0; i+1 < len(dims); i += 2 {
			out.Dimensions = append(out.Dimensions, Dimension{dims[i], dims[i+1]})
		}
		return out
	}
	cc := m("Custom", "CustomCount1")
	cases := []struct {
		query  string
		metric Metric
		want   bool
	}{
		// spec §2.6's token rules
		{"count", cc, true}, {"Count", cc, true}, {"COUNT", cc, true}, {"couNT", cc, false},
		{"CustomCount", cc, true}, {"Count1", cc, true}, {"customcount", cc, false}, {"count1", cc, false},
		{"customcount1", cc, true}, {"custom", cc, true}, {"1", cc, true},
		{"sdb", m("X", "SDBFailure"), true}, {"failure", m("X", "SDBFailure"), true}, {"sdbfailure", m("X", "SDBFailure"), true},
		{"trial", m("X", "Project2-trial333"), true}, {"333", m("X", "Project2-trial333"), true},
		{"project2trial333", m("X", "Project2-trial333"), true}, {"2", m("X", "Project2-trial333"), true},
		{`"CustomCount1"`, cc, true}, {`"CustomCount"`, cc, false},
		{"MetricName=count", cc, true}, {"Namespace=count", cc, false}, {`MetricName="CustomCount1"`, cc, true},
		{"{Custom} count", cc, true}, {"{Custom,Host} count", cc, false}, {"{Other} count", cc, false},
		{`{"Custom"}`, cc, true},
		{"count AND custom", cc, true}, {"count custom", cc, true}, {"count nothing", cc, false},
		{"nothing OR count", cc, true}, {"NOT nothing", cc, true}, {"NOT count", cc, false},
		{"(nothing OR count) AND NOT (x OR y)", cc, true},
		{"Host=web", m("N", "Latency", "Host", "web-1"), true},
		{"Host=api", m("N", "Latency", "Host", "web-1"), false},
		{`Host="web-1"`, m("N", "Latency", "Host", "web-1"), true},
		{"web", m("N", "Latency", "Host", "web-1"), true},
		{"{N,Host} Latency", m("N", "Latency", "Host", "web-1"), true},
		{"{N,Host,Az} Latency", m("N", "Latency", "Host", "web-1"), false},
		{`"a\"b"`, m("N", `a"b`), true},
	}
	for _, tc := range cases {
		q, err := ParseSearch(tc.query)
		if err != nil {
			t.Errorf("ParseSearch(%q): %v", tc.query, err)
			continue
		}
		if got := q.Match(tc.metric); got != tc.want {
			t.Errorf("%q matches %+v = %v, want %v", tc.query, tc.metric, got, tc.want)
		}
	}
	if _, err := ParseSearch(strings.Repeat("a", 1025)); err == nil || err.Message != "The search expression is longer than 1024 characters." {
		t.Errorf("long search: %v", err)
	}
	if _, err := ParseSearch(strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100)); err == nil || err.Message != "The search expression is nested too deeply." {
		t.Errorf("deep search: %v", err)
	}
}

func TestHostile(t *testing.T) {
	long := strings.Repeat("m1+", 20000) + "m1"
	deep := strings.Repeat("(", 5000) + "m1" + strings.Repeat(")", 5000)
	deepFn := strings.Repeat("ABS(", 5000) + "m1" + strings.Repeat(")", 5000)
	deepNeg := strings.Repeat("-", 5000) + "m1"
	deepPow := strings.Repeat("m1^", 500) + "m1"
	cases := []struct {
		expr string
		opts []Option
		msg  string
	}{
		{long, nil, "The expression is longer than 2048 characters."},
		{long, []Option{MaxLength(1 << 20)}, "The expression is too complex: it has more than 1000 elements."},
		{deep, []Option{MaxLength(1 << 20)}, "The expression is nested too deeply: at most 64 levels are allowed."},
		{deepFn, []Option{MaxLength(1 << 20)}, "The expression is nested too deeply: at most 64 levels are allowed."},
		{deepNeg, []Option{MaxLength(1 << 20)}, "The expression is nested too deeply: at most 64 levels are allowed."},
		{deepPow, []Option{MaxLength(1 << 20)}, "The expression is nested too deeply: at most 64 levels are allowed."},
		{"m1 * 1" + strings.Repeat("0", 400), nil, "The number 1" + strings.Repeat("0", 400) + " is out of range."},
		{"[" + strings.Repeat("[", 100) + "m1" + strings.Repeat("]", 101), nil, "The expression is nested too deeply: at most 64 levels are allowed."},
		{"SEARCH('" + strings.Repeat("x", 1025) + "', 'Sum')", []Option{MaxLength(4096)}, "The search expression is longer than 1024 characters."},
	}
	for i, tc := range cases {
		_, err := Compile(tc.expr, tc.opts...)
		if err == nil || err.Error() != tc.msg {
			t.Errorf("case %d: %.60v, want %s", i, err, tc.msg)
		}
	}
	// Huge values: results out of range are dropped, never Inf.
	env := testEnv()
	p, _ := Compile("m1 * 1e308 * 1e308 + 10 ^ 400 + LOG(m1 - m1)")
	r, err := p.Eval(env)
	if err != nil || len(r.Series[0].Timestamps) != 0 {
		t.Errorf("huge: %v %v", show(r), err)
	}
	// A window with too many points is refused.
	env.Win = Window{Start: 0, End: 1 << 40, Period: 1}
	p, _ = Compile("TIME_SERIES(1)")
	if _, err := p.Eval(env); err == nil || err.Error() != "The time range holds more than 100800 datapoints at a period of 1 seconds." {
		t.Errorf("big window: %v", err)
	}
	// Input series are bounded.
	env = testEnv()
	big := Series{Timestamps: make([]int64, 200), Values: make([]float64, 200)}
	for i := range big.Timestamps {
		big.Timestamps[i] = int64(i)
	}
	env.Values["m1"] = TS(big)
	p, _ = Compile("m1 * 2", MaxPoints(100))
	if _, err := p.Eval(env); err == nil || err.Error() != "The time series of m1 has more than 100 datapoints." {
		t.Errorf("big series: %v", err)
	}
	// Arrays are bounded.
	p, _ = Compile("METRICS() * 2", MaxSeries(3))
	if _, err := p.Eval(env); err == nil || err.Error() != "METRICS() returns more than 3 time series." {
		t.Errorf("big array: %v", err)
	}
	// Work is bounded.
	p, _ = Compile("RUNNING_SUM(RUNNING_SUM(RUNNING_SUM(m1)))", MaxWork(500))
	if _, err := p.Eval(env); err == nil || err.Error() != "The expression is too expensive to evaluate: it computes more than 500 datapoints." {
		t.Errorf("work: %v", err)
	}
	// Unsorted input with duplicates and NaN is normalized.
	env.Values["m1"] = TS(Series{Timestamps: []int64{120, 0, 60, 60}, Values: []float64{3, 1, 2, 5}})
	env.Values["m2"] = TS(Series{Timestamps: []int64{0, 60}, Values: []float64{math.NaN(), math.Inf(1)}})
	p, _ = Compile("m1 + m2")
	r, err = p.Eval(env)
	if err != nil || fmt.Sprint(r.Series[0].Timestamps, r.Series[0].Values) != "[0 60 120] [1 5 3]" {
		t.Errorf("normalize: %v %v", r, err)
	}
}

// brokenEnv returns values of the wrong shape.
type brokenEnv struct{ MapEnv }

func (brokenEnv) Data(id string) (Value, error) {
	switch id {
	case "m1":
		return Value{Kind: KindSeries}, nil
	case "m2":
		return Value{}, nil
	}
	return Value{Kind: KindSeries, Series: []Series{{Timestamps: []int64{1, 2}, Values: []float64{1}}}}, nil
}

func TestBrokenEnv(t *testing.T) {
	for e, msg := range map[string]string{
		"m1 + 1": "The data of m1 is not a single time series.",
		"m2 + 1": "No data is available for m2.",
	} {
		p, _ := Compile(e)
		if _, err := p.Eval(&brokenEnv{}); err == nil || err.Error() != msg {
			t.Errorf("%s: %v", e, err)
		}
	}
	p, _ := Compile("m3 + 1")
	if r, err := p.Eval(&brokenEnv{}); err != nil || fmt.Sprint(r.Series[0].Timestamps, r.Series[0].Values) != "[1] [2]" {
		t.Errorf("short values: %v %v", r, err)
	}
}
