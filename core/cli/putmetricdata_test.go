package cli

import (
	"reflect"
	"testing"
)

func TestSplitOnCommas(t *testing.T) {
	tests := map[string][]string{
		"a=1,b=2":         {"a=1", "b=2"},
		"a=1":             {"a=1"},
		`a="1,2",b=3`:     {"a=1,2", "b=3"},
		`a='x,y'`:         {"a=x,y"},
		`a=1\,2,b=3`:      {"a=1,2", "b=3"},
		"":                {""},
		"InstanceId=i-1,": {"InstanceId=i-1", ""},
	}
	for in, want := range tests {
		if got := splitOnCommas(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitOnCommas(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPyDecimal(t *testing.T) {
	for in, want := range map[string]float64{"1": 1, " 2.5 ": 2.5, "1e3": 1000, "-0.5": -0.5, "1_000": 1000} {
		if got, err := pyDecimal(in); err != nil || got != want {
			t.Errorf("pyDecimal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1-2", "e", "0x10", "--1"} {
		if _, err := pyDecimal(in); err == nil {
			t.Errorf("pyDecimal(%q) accepted", in)
		}
	}
}

// FuzzPutMetricArgs feeds put-metric-data's promoted options any value:
// each is stored or refused with the AWS CLI's error, never a panic.
func FuzzPutMetricArgs(f *testing.F) {
	for _, s := range []string{"a=1,b=2", `a="1,2"`, "Sum=1,Minimum=1,Maximum=1,SampleCount=1", "1.5", "x", `\`, "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, name := range putMetricArgs {
			params := newDict()
			if err := addPutMetricArg(params, &cliArg{name: name, member: "MetricData", kind: argPutMetric}, v); err != nil {
				if _, ok := err.(*generalErr); !ok {
					t.Fatalf("%s %q: %T %v", name, v, err, err)
				}
			}
		}
	})
}
