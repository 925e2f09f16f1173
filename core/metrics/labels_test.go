package metrics

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/awserr"
)

func TestExpandLabel(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	// Given newest first, as GetMetricData returns them by default.
	ts := []time.Time{base.Add(3 * time.Minute), base.Add(2 * time.Minute), base.Add(time.Minute), base}
	vs := []float64{4, 10, 1, 5}
	d := &labelData{
		Default: "CPUUtilization", Timestamps: ts, Values: vs, Now: base.Add(time.Hour),
		Props: map[string]string{"AccountId": "123456789012", "Region": "us-east-1", "MetricName": "CPUUtilization",
			"Namespace": "AWS/EC2", "Period": "60", "Stat": "Maximum", "Dim.InstanceId": "i-1"},
	}
	tests := []struct{ label, want string }{
		{"plain", "plain"},
		{"", ""},
		{"${AVG}", "5"},
		{"${SUM} ${MIN} ${MAX} ${FIRST} ${LAST}", "20 1 10 5 4"},
		{"${DATAPOINT_COUNT}", "4"},
		{"${FIRST_LAST_RANGE}", "-1"},
		{"${MIN_MAX_RANGE}", "9"},
		{"CPU ${MAX} at ${MAX_TIME}", "CPU 10 at 2026-01-02T03:02:00+00:00"},
		{"${MIN_TIME} ${FIRST_TIME} ${LAST_TIME}", "2026-01-02T03:01:00+00:00 2026-01-02T03:00:00+00:00 2026-01-02T03:03:00+00:00"},
		{"${FIRST_LAST_TIME_RANGE}", "3m"},
		{"${MIN_MAX_TIME_RANGE}", "1m"},
		{"${FIRST_TIME_RELATIVE}|${LAST_TIME_RELATIVE}", "1h|57m"},
		{"${MAX_TIME_RELATIVE}|${MIN_TIME_RELATIVE}", "58m|59m"},
		{"[max: ${MAX} Errors for ${LABEL}]", "[max: 10 Errors for CPUUtilization]"},
		{"${PROP('AccountId')} ${PROP('Region')} ${PROP('Namespace')} ${PROP('MetricName')} ${PROP('Period')} ${PROP('Stat')}",
			"123456789012 us-east-1 AWS/EC2 CPUUtilization 60 Maximum"},
		{"${PROP('Dim.InstanceId')}", "i-1"},
		{"${PROP('Dim.instanceid')}|", "|"}, // case-sensitive: no such dimension
		{"${PROP('AccountLabel')}", ""},
		// Not variables: kept as written.
		{"${NOPE} ${avg} ${PROP('Nope')} ${PROP(\"Region\")} ${PROP('Dim.')}", "${NOPE} ${avg} ${PROP('Nope')} ${PROP(\"Region\")} ${PROP('Dim.')}"},
		{"${MAX", "${MAX"},
		{"$${MAX}}", "$10}"},
		{"${${MAX}", "${10"},
		{"${X}${MAX}", "${X}10"},
		// Limits: five statistical values, one ${LABEL}.
		{"${MIN} ${MAX} ${SUM} ${AVG} ${LAST} ${FIRST}", "1 10 20 5 4 ${FIRST}"},
		{"${LABEL} ${LABEL} ${PROP('Stat')}", "CPUUtilization ${LABEL} Maximum"},
		{"${DATAPOINT_COUNT}${DATAPOINT_COUNT}${DATAPOINT_COUNT}${DATAPOINT_COUNT}${DATAPOINT_COUNT}${DATAPOINT_COUNT}", "44444${DATAPOINT_COUNT}"},
	}
	for _, tt := range tests {
		if got := expandLabel(tt.label, d); got != tt.want {
			t.Errorf("expandLabel(%q) = %q, want %q", tt.label, got, tt.want)
		}
	}
}

func TestExpandLabelNoData(t *testing.T) {
	d := &labelData{Default: "m", Now: time.Unix(0, 0)}
	tests := []struct{ label, want string }{
		{"n=${DATAPOINT_COUNT}", "n=0"},
		{"max=${MAX} t=${MAX_TIME} r=${FIRST_LAST_TIME_RANGE} ${LABEL}", "max= t= r= m"},
		{"${PROP('MetricName')}.", "."},
	}
	for _, tt := range tests {
		if got := expandLabel(tt.label, d); got != tt.want {
			t.Errorf("expandLabel(%q) = %q, want %q", tt.label, got, tt.want)
		}
	}
}

func TestLabelFormats(t *testing.T) {
	numbers := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-2.5, "-2.5"}, {1.0 / 3, "0.3333333333333333"},
		{123456789, "123456789"}, {1e20, "100000000000000000000"}, {1e21, "1e+21"}, {1.5e300, "1.5e+300"},
		{0.000001, "0.000001"}, {1e-7, "1e-7"}, {-2.5e-10, "-2.5e-10"},
		{math.NaN(), "NaN"}, {math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"},
	}
	for _, tt := range numbers {
		if got := labelNumber(tt.v); got != tt.want {
			t.Errorf("labelNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	durations := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {time.Second, "1s"}, {-90 * time.Second, "1m 30s"}, {500 * time.Millisecond, "0s"},
		{26*time.Hour + 5*time.Second, "1d 2h 5s"}, {math.MinInt64, "106751d 23h 47m 16s"},
	}
	for _, tt := range durations {
		if got := labelDuration(tt.d); got != tt.want {
			t.Errorf("labelDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestLabelZone(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		tz, want string // want: the time in that zone, or "error"
	}{
		{"", "2026-01-02T03:04:05+00:00"},
		{"+0000", "2026-01-02T03:04:05+00:00"},
		{"-0000", "2026-01-02T03:04:05+00:00"},
		{"+0130", "2026-01-02T04:34:05+01:30"},
		{"-0800", "2026-01-01T19:04:05-08:00"},
		{"+2359", "2026-01-03T03:03:05+23:59"},
		{"+2400", "error"},
		{"+0160", "error"},
		{"0130", "error"},
		{"+130", "error"},
		{"+01:30", "error"},
		{"UTC", "error"},
		{"+01a0", "error"},
		{"+０１３０", "error"},
	}
	for _, tt := range tests {
		zone, err := labelZone(&LabelOptions{Timezone: tt.tz})
		if tt.want == "error" {
			e, ok := err.(*awserr.Error)
			if !ok || e.Code != "InvalidParameterValue" || e.Message != "The value "+tt.tz+" for parameter LabelOptions.Timezone is invalid." {
				t.Errorf("labelZone(%q): got %v, want InvalidParameterValue", tt.tz, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("labelZone(%q): %v", tt.tz, err)
			continue
		}
		if got := labelTime(at, zone); got != tt.want {
			t.Errorf("labelZone(%q): %s, want %s", tt.tz, got, tt.want)
		}
	}
	if z, err := labelZone(nil); err != nil || z != time.UTC {
		t.Errorf("labelZone(nil) = %v %v", z, err)
	}
}

func TestGetMetricDataDynamicLabels(t *testing.T) {
	now := t0.Add(10 * time.Minute)
	h := newHarness(t, now)
	for i, v := range []float64{5, 10, 20, 7} {
		ts := t0.Add(time.Duration(i) * time.Minute)
		h.put("ns", at("errors", ts, v))
		h.put("ns", MetricDatum{MetricName: "latency", Timestamp: tm(ts), Value: f(v / 10), Dimensions: []Dimension{{Name: "Service", Value: "api"}}})
	}
	latency := func(id string) MetricDataQuery {
		return MetricDataQuery{Id: id, MetricStat: &MetricStat{Metric: &Metric{Namespace: "ns", MetricName: "latency",
			Dimensions: []Dimension{{Name: "Service", Value: "api"}}}, Period: i64(60), Stat: "Average"}}
	}
	withLabel := func(q MetricDataQuery, l string) MetricDataQuery {
		q.Label = str(l)
		return q
	}
	no := false
	tests := []struct {
		name   string
		qs     []MetricDataQuery
		tz     *LabelOptions
		scan   string
		labels []string
	}{
		{"static and default labels unchanged",
			[]MetricDataQuery{withLabel(metricStat("m1", "errors", 60, "Sum"), "errors $ {MAX}"), metricStat("m2", "errors", 60, "Maximum")},
			nil, "", []string{"errors $ {MAX}", "errors Maximum"}},
		{"statistics over the whole range",
			[]MetricDataQuery{withLabel(metricStat("m1", "errors", 60, "Sum"), "CPU ${MAX} at ${MAX_TIME}, avg ${AVG}, n ${DATAPOINT_COUNT}")},
			nil, "", []string{"CPU 20 at 2026-03-04T10:02:00+00:00, avg 10.5, n 4"}},
		{"same values ascending",
			[]MetricDataQuery{withLabel(metricStat("m1", "errors", 60, "Sum"), "${FIRST}->${LAST} (${FIRST_LAST_RANGE}) since ${FIRST_TIME_RELATIVE}")},
			nil, "TimestampAscending", []string{"5->7 (2) since 10m"}},
		{"time zone",
			[]MetricDataQuery{withLabel(metricStat("m1", "errors", 60, "Sum"), "${MIN_TIME} ${LAST_TIME}")},
			&LabelOptions{Timezone: "+0130"}, "", []string{"2026-03-04T11:30:00+01:30 2026-03-04T11:33:00+01:30"}},
		{"default label in ${LABEL}",
			[]MetricDataQuery{withLabel(metricStat("m1", "errors", 60, "Sum"), "${LABEL} (max ${MAX})"), metricStat("m2", "errors", 60, "Maximum")},
			nil, "", []string{"errors Sum (max 20)", "errors Maximum"}},
		{"properties",
			[]MetricDataQuery{withLabel(latency("l1"), "${PROP('Namespace')}/${PROP('MetricName')} ${PROP('Dim.Service')} ${PROP('Stat')} ${PROP('Period')}s ${PROP('Region')} ${PROP('AccountId')}")},
			nil, "", []string{"ns/latency api Average 60s us-east-1 123456789012"}},
		{"expression",
			[]MetricDataQuery{{Id: "m1", MetricStat: metricStat("m1", "errors", 60, "Sum").MetricStat, ReturnData: &no},
				{Id: "e1", Expression: str("m1 * 2"), Label: str("${LABEL}: ${MAX} ${PROP('MetricName')}|")}},
			nil, "", []string{"e1: 40 |"}},
		{"metric series of an expression",
			[]MetricDataQuery{withLabel(metricStat("m1", "errors", 60, "Sum"), "${LABEL} ${MAX} ${PROP('Stat')}"), withLabel(latency("m2"), "static"),
				{Id: "e1", Expression: str("[m1 * 2, m2]")}},
			nil, "", []string{"errors Sum 20 Sum", "static", "errors Sum 40 Sum", "static"}},
		{"expression default label",
			[]MetricDataQuery{{Id: "m1", MetricStat: metricStat("m1", "errors", 60, "Sum").MetricStat, ReturnData: &no},
				{Id: "e1", Expression: str("m1 * 2")}},
			nil, "", []string{"e1"}},
		{"search with ${LABEL}",
			[]MetricDataQuery{{Id: "s1", Expression: str(`SEARCH('{ns,Service} MetricName="latency"', 'Sum', 60)`), Label: str("[max: ${MAX} for ${LABEL}]")}},
			nil, "", []string{"[max: 2 for latency api]"}},
		{"search with properties",
			[]MetricDataQuery{{Id: "s1", Expression: str(`SEARCH('{ns,Service} MetricName="latency"', 'Maximum', 120)`),
				Label: str("${PROP('Namespace')}/${PROP('MetricName')} ${PROP('Dim.Service')} ${PROP('Stat')} ${PROP('Period')} ${PROP('Region')}")}},
			nil, "", []string{"ns/latency api Maximum 120 us-east-1"}},
		{"search without a metric's properties",
			[]MetricDataQuery{{Id: "s1", Expression: str(`SUM(SEARCH('{ns,Service} MetricName="latency"', 'Maximum', 60))`), Period: i64(60),
				Label: str("${PROP('MetricName')}|${PROP('Dim.Service')}|${PROP('Period')}")}},
			nil, "", []string{"||60"}},
		{"search without ${LABEL}",
			[]MetricDataQuery{{Id: "s1", Expression: str(`SEARCH('{ns} MetricName="errors"', 'Sum', 60)`), Label: str("max ${MAX}")}},
			nil, "", []string{"max 20"}},
		{"search with a static label",
			[]MetricDataQuery{{Id: "s1", Expression: str(`SEARCH('{ns} MetricName="errors"', 'Sum', 60)`), Label: str("all")}},
			nil, "", []string{"all errors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := h.svc.GetMetricData(h.c(), &GetMetricDataInput{MetricDataQueries: tt.qs, StartTime: tm(t0), EndTime: tm(t0.Add(5 * time.Minute)),
				LabelOptions: tt.tz, ScanBy: tt.scan})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range out.MetricDataResults {
				got = append(got, r.Label)
			}
			if !reflect.DeepEqual(got, tt.labels) {
				t.Errorf("labels %q, want %q", got, tt.labels)
			}
		})
	}
	// The values cover the whole range even when NextToken cuts it: the
	// label is the same on every page.
	q := withLabel(metricStat("m1", "errors", 60, "Sum"), "max ${MAX} of ${DATAPOINT_COUNT}")
	in := &GetMetricDataInput{MetricDataQueries: []MetricDataQuery{q}, StartTime: tm(t0), EndTime: tm(t0.Add(5 * time.Minute)), MaxDatapoints: i64(2)}
	for page := 0; page < 2; page++ {
		out, err := h.svc.GetMetricData(h.c(), in)
		if err != nil || len(out.MetricDataResults) != 1 || out.MetricDataResults[0].Label != "max 20 of 4" || len(out.MetricDataResults[0].Values) != 2 {
			t.Fatalf("page %d: %+v %v", page, out, err)
		}
		in.NextToken = str(out.NextToken)
	}
	// A bad time zone is refused.
	_, err := h.svc.GetMetricData(h.c(), &GetMetricDataInput{MetricDataQueries: []MetricDataQuery{q}, StartTime: tm(t0), EndTime: tm(t0.Add(5 * time.Minute)),
		LabelOptions: &LabelOptions{Timezone: "+25:00"}})
	if e := awsErr(t, err); e.Code != "InvalidParameterValue" || e.Message != "The value +25:00 for parameter LabelOptions.Timezone is invalid." {
		t.Errorf("got %v", e)
	}
}

// FuzzDynamicLabel substitutes arbitrary labels: never a panic, a label
// without "${" comes back unchanged, the result is valid UTF-8 when the label
// is, and substitution is deterministic.
func FuzzDynamicLabel(f *testing.F) {
	for _, s := range []string{
		"CPU ${MAX} at ${MAX_TIME}", "${LABEL} ${LABEL}", "${PROP('Dim.InstanceId')}", "${PROP('", "${", "}${",
		"${${${MAX}}}", "${MIN} ${MAX} ${SUM} ${AVG} ${LAST} ${FIRST}", "${PROP('')}", "plain", "",
	} {
		f.Add(s, int64(1767322800), 1.5, "+0130")
	}
	f.Fuzz(func(t *testing.T, label string, unix int64, v float64, tz string) {
		if len(label) > 4096 {
			return
		}
		zone, err := labelZone(&LabelOptions{Timezone: tz})
		if err != nil {
			zone = time.UTC
		}
		at := time.Unix(unix%(1<<40), 0).UTC()
		d := &labelData{Default: "m", Timestamps: []time.Time{at, at.Add(time.Minute), at.Add(-time.Hour)},
			Values: []float64{v, -v, v * 2}, Now: at.Add(time.Hour), Zone: zone,
			Props: map[string]string{"MetricName": "m", "Dim.a": "b"}}
		got := expandLabel(label, d)
		if !strings.Contains(label, "${") && got != label {
			t.Fatalf("expandLabel(%q) = %q", label, got)
		}
		if utf8.ValidString(label) && !utf8.ValidString(got) {
			t.Fatalf("expandLabel(%q) = %q: not UTF-8", label, got)
		}
		if again := expandLabel(label, d); again != got {
			t.Fatalf("not deterministic: %q, %q", got, again)
		}
	})
}
