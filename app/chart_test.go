package app

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 100, 5, []float64{0, 25, 50, 75, 100}},
		{0, 90, 5, []float64{0, 25, 50, 75, 100}},
		{0, 1, 5, []float64{0, 0.25, 0.5, 0.75, 1}},
		{-3, 7, 6, []float64{-4, -2, 0, 2, 4, 6, 8}},
		{0.1, 0.35, 5, []float64{0.1, 0.2, 0.3, 0.4}},
		{5, 5, 5, []float64{2, 4, 6, 8}},
		{0, 0, 5, []float64{-1, -0.5, 0, 0.5, 1}},
		{100, 0, 3, []float64{0, 50, 100}},
		{math.NaN(), 1, 5, []float64{0, 1}},
		{0, math.Inf(1), 5, []float64{0, 1}},
		{0, 1234567, 5, []float64{0, 500000, 1000000, 1500000}},
		{0, 0.003, 4, []float64{0, 0.001, 0.002, 0.003}},
	}
	for _, tt := range tests {
		got := NiceTicks(tt.lo, tt.hi, tt.n)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("NiceTicks(%g, %g, %d) = %v, want %v", tt.lo, tt.hi, tt.n, got, tt.want)
		}
	}
}

func TestNiceStep(t *testing.T) {
	for raw, want := range map[float64]float64{0.3: 0.5, 1: 1, 1.1: 2, 2.5: 2.5, 2.6: 5, 7: 10, 23: 25, 26: 50, 0: 1, -1: 1} {
		if got := niceStep(raw); math.Abs(got-want) > 1e-12 {
			t.Errorf("niceStep(%g) = %g, want %g", raw, got, want)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		span   time.Duration
		n      int
		first  string
		step   time.Duration
		format string
	}{
		{time.Hour, 8, "2026-01-02T03:10:00Z", 10 * time.Minute, "15:04"},
		{3 * time.Hour, 8, "2026-01-02T03:30:00Z", 30 * time.Minute, "15:04"},
		{24 * time.Hour, 8, "2026-01-02T06:00:00Z", 3 * time.Hour, "01-02 15:04"},
		{24 * time.Hour, 4, "2026-01-02T06:00:00Z", 6 * time.Hour, "01-02 15:04"},
		{7 * 24 * time.Hour, 8, "2026-01-03T00:00:00Z", 24 * time.Hour, "01-02"},
		{5 * time.Minute, 8, "2026-01-02T03:05:00Z", time.Minute, "15:04"},
	}
	for _, tt := range tests {
		got, format := TimeTicks(base, base.Add(tt.span), tt.n)
		if len(got) == 0 || got[0].Format(time.RFC3339) != tt.first || format != tt.format {
			t.Errorf("TimeTicks(%v): %v %q", tt.span, got, format)
			continue
		}
		if len(got) > tt.n+1 {
			t.Errorf("TimeTicks(%v): %d ticks for %d", tt.span, len(got), tt.n)
		}
		for i := 1; i < len(got); i++ {
			if got[i].Sub(got[i-1]) != tt.step {
				t.Errorf("TimeTicks(%v): step %v", tt.span, got[i].Sub(got[i-1]))
			}
		}
		if got[len(got)-1].After(base.Add(tt.span)) {
			t.Errorf("TimeTicks(%v): past the end", tt.span)
		}
	}
	if got, _ := TimeTicks(base, base, 5); len(got) != 1 {
		t.Errorf("empty range: %v", got)
	}
	// Weekly ticks fall on the same days whatever the start.
	a, _ := TimeTicks(base, base.Add(60*24*time.Hour), 8)
	b, _ := TimeTicks(base.Add(24*time.Hour), base.Add(61*24*time.Hour), 8)
	if a[1] != b[0] && a[0] != b[0] {
		t.Errorf("weekly ticks moved: %v %v", a[:2], b[:2])
	}
}

func TestScale(t *testing.T) {
	s := Scale{D0: 0, D1: 100, R0: 200, R1: 0}
	for _, c := range []struct{ d, r float64 }{{0, 200}, {100, 0}, {25, 150}, {-50, 300}} {
		if got := s.At(c.d); got != c.r {
			t.Errorf("At(%g) = %g", c.d, got)
		}
		if got := s.Invert(c.r); got != c.d {
			t.Errorf("Invert(%g) = %g", c.r, got)
		}
	}
	if got := (Scale{D0: 5, D1: 5, R0: 0, R1: 10}).At(7); got != 5 {
		t.Errorf("flat domain: %g", got)
	}
	if got := (Scale{D0: 0, D1: 1, R0: 3, R1: 3}).Invert(3); got != 0 {
		t.Errorf("flat range: %g", got)
	}
}

func series(n int, step time.Duration, f func(i int) float64) ([]time.Time, []float64) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ts := make([]time.Time, n)
	vs := make([]float64, n)
	for i := range ts {
		ts[i], vs[i] = t0.Add(time.Duration(i)*step), f(i)
	}
	return ts, vs
}

func TestDecimate(t *testing.T) {
	ts, vs := series(10000, time.Second, func(i int) float64 { return math.Sin(float64(i) / 50) })
	x := Scale{D0: float64(ts[0].UnixMilli()), D1: float64(ts[len(ts)-1].UnixMilli()), R0: 0, R1: 100}
	keep := Decimate(ts, vs, x, 100)
	if len(keep) > 4*101 || len(keep) < 100 {
		t.Fatalf("kept %d points", len(keep))
	}
	for i := 1; i < len(keep); i++ {
		if keep[i] <= keep[i-1] {
			t.Fatalf("indexes not increasing at %d: %v", i, keep[i-1:i+1])
		}
	}
	if keep[0] != 0 || keep[len(keep)-1] != len(ts)-1 {
		t.Errorf("first or last point lost: %d %d", keep[0], keep[len(keep)-1])
	}
	// Every column keeps its extremes.
	cols := map[int][2]float64{}
	for i, tm := range ts {
		c := int(math.Floor(x.At(float64(tm.UnixMilli()))))
		m, ok := cols[c]
		if !ok {
			m = [2]float64{vs[i], vs[i]}
		}
		cols[c] = [2]float64{math.Min(m[0], vs[i]), math.Max(m[1], vs[i])}
	}
	got := map[int][2]float64{}
	for _, i := range keep {
		c := int(math.Floor(x.At(float64(ts[i].UnixMilli()))))
		m, ok := got[c]
		if !ok {
			m = [2]float64{vs[i], vs[i]}
		}
		got[c] = [2]float64{math.Min(m[0], vs[i]), math.Max(m[1], vs[i])}
	}
	if !reflect.DeepEqual(cols, got) {
		t.Errorf("column extremes differ")
	}
	// A spike of one point survives.
	vs[5003] = 100
	found := false
	for _, i := range Decimate(ts, vs, x, 100) {
		found = found || i == 5003
	}
	if !found {
		t.Errorf("the spike was dropped")
	}
	// Few points: all kept.
	if got := Decimate(ts[:10], vs[:10], x, 100); len(got) != 10 {
		t.Errorf("short series: %v", got)
	}
	if got := Decimate(ts, vs[:3], x, 100); len(got) != 3 {
		t.Errorf("mismatched lengths: %v", got)
	}
	if got := Decimate(nil, nil, x, 100); len(got) != 0 {
		t.Errorf("empty: %v", got)
	}
}

func TestNearest(t *testing.T) {
	ts, _ := series(5, time.Minute, func(int) float64 { return 0 })
	tests := []struct {
		at   time.Duration
		want int
	}{{-time.Hour, 0}, {0, 0}, {29 * time.Second, 0}, {31 * time.Second, 1}, {2 * time.Minute, 2}, {time.Hour, 4}}
	for _, tt := range tests {
		if got := Nearest(ts, ts[0].Add(tt.at)); got != tt.want {
			t.Errorf("Nearest(+%v) = %d, want %d", tt.at, got, tt.want)
		}
	}
	if Nearest(nil, ts[0]) != -1 {
		t.Errorf("empty")
	}
}

func TestFormatValue(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 80: "80", 0.5: "0.5", 12.345: "12.35", 25000: "25k", 3.5e6: "3.5M", 2e9: "2G",
		0.00123: "0.00123", -40: "-40", math.NaN(): "NaN"} {
		if got := FormatValue(v); got != want {
			t.Errorf("FormatValue(%g) = %q, want %q", v, got, want)
		}
	}
}

func TestThresholdBreaches(t *testing.T) {
	tests := []struct {
		op   string
		v    float64
		want bool
	}{
		{"GreaterThanThreshold", 80, false}, {"GreaterThanThreshold", 81, true},
		{"GreaterThanOrEqualToThreshold", 80, true}, {"LessThanThreshold", 80, false},
		{"LessThanThreshold", 79, true}, {"LessThanOrEqualToThreshold", 80, true}, {"Nope", 100, false},
	}
	for _, tt := range tests {
		th := &Threshold{Value: 80, Comparison: tt.op}
		if got := th.Breaches(tt.v); got != tt.want {
			t.Errorf("%s %g: %v", tt.op, tt.v, got)
		}
	}
	var none *Threshold
	if none.Breaches(1) {
		t.Errorf("no threshold breaches")
	}
}

func TestChartSVG(t *testing.T) {
	ts, vs := series(5000, time.Minute, func(i int) float64 { return float64(i % 100) })
	c := &Chart{ID: "c1", Start: ts[0], End: ts[len(ts)-1], Threshold: &Threshold{Value: 90, Comparison: "GreaterThanThreshold"},
		Series: []Series{{Label: "m1", Times: ts, Values: vs}, {Label: "m2 <b>", Times: ts[:3], Values: []float64{1, 2, math.NaN()}}}}
	svg := c.SVG()
	for _, want := range []string{`id="c1"`, `class="tt-chart-threshold"`, `class="tt-chart-breach"`, `id="c1-cursor"`, `id="c1-tip"`,
		`class="tt-chart-line"`, `stroke="#1f77b4"`, `stroke="#ff7f0e"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the drawing has no %s", want)
		}
	}
	if strings.Contains(svg, "NaN") || strings.Contains(svg, "<b>") {
		t.Errorf("NaN or unescaped text in the drawing")
	}
	if n := strings.Count(svg, "L"); n > 4*800*2 {
		t.Errorf("not decimated: %d segments", n)
	}
	if c.SVG() != svg {
		t.Errorf("memoized drawing changed")
	}
	c.Series[0].Values = append([]float64(nil), vs...)
	c.Series[0].Values[10] = 1000
	if c.SVG() == svg {
		t.Errorf("the drawing did not follow the data")
	}
	// Hover reads the nearest point and says if it breaches.
	x := c.frame.x.At(float64(ts[95].UnixMilli()))
	lines, at, ok := c.frame.hover(x + 0.01)
	if !ok || at != x || len(lines) != 2 || lines[0] != FormatTime(ts[95]) || lines[1] != "m1: 95 ▲ breaching" {
		t.Errorf("hover: %v %v %v", lines, at, ok)
	}
	if _, _, ok := c.frame.hover(1); ok {
		t.Errorf("hover left of the plot")
	}
	// Zooming by dragging gives a minute-rounded range inside the axis.
	t0, t1 := c.ZoomRange(c.frame.right+50, c.frame.left+100)
	if t0.Before(c.Start) || t1.After(c.End.Add(time.Minute)) || !t1.After(t0) || t0.Second() != 0 {
		t.Errorf("zoom %v %v", t0, t1)
	}
	// An empty chart still draws its axes.
	e := &Chart{ID: "e", Start: ts[0], End: ts[60]}
	if s := e.SVG(); !strings.Contains(s, "tt-chart-ylabel") || strings.Contains(s, "tt-chart-line") {
		t.Errorf("empty chart: %s", s)
	}
}

func BenchmarkChartSVG(b *testing.B) {
	var ss []Series
	for k := 0; k < 5; k++ {
		ts, vs := series(10080, time.Minute, func(i int) float64 { return float64((i * (k + 3)) % 97) })
		ss = append(ss, Series{Label: fmt.Sprint("m", k), Times: ts, Values: vs})
	}
	for i := 0; i < b.N; i++ {
		c := &Chart{ID: "b", Series: ss, Start: ss[0].Times[0], End: ss[0].Times[10079], Threshold: &Threshold{Value: 50, Comparison: "GreaterThanThreshold"}}
		c.SVG()
	}
}

func TestBand(t *testing.T) {
	ts, _ := series(3, time.Minute, func(int) float64 { return 0 })
	b := &Band{Times: ts, Lower: []float64{10, 10, 10}, Upper: []float64{20, 20, 20}, Comparison: "LessThanLowerOrGreaterThanUpperThreshold"}
	tests := []struct {
		op   string
		v    float64
		want bool
	}{
		{"LessThanLowerOrGreaterThanUpperThreshold", 5, true}, {"LessThanLowerOrGreaterThanUpperThreshold", 25, true},
		{"LessThanLowerOrGreaterThanUpperThreshold", 15, false}, {"GreaterThanUpperThreshold", 5, false},
		{"GreaterThanUpperThreshold", 25, true}, {"LessThanLowerThreshold", 5, true}, {"LessThanLowerThreshold", 25, false},
	}
	for _, tt := range tests {
		b.Comparison = tt.op
		if got := b.Breaches(ts[1], tt.v); got != tt.want {
			t.Errorf("%s %g: %v", tt.op, tt.v, got)
		}
	}
	if b.Breaches(ts[1].Add(time.Second), 100) {
		t.Errorf("a point between the band's instants breaches")
	}
	var none *Band
	if _, _, ok := none.At(ts[0]); ok || none.Breaches(ts[0], 1) {
		t.Errorf("no band")
	}
	b.Comparison = "GreaterThanUpperThreshold"
	c := &Chart{ID: "b", Start: ts[0], End: ts[2], Band: b, Series: []Series{{Label: "m1", Times: ts, Values: []float64{15, 30, 15}}}}
	svg := c.SVG()
	if !strings.Contains(svg, "tt-chart-band") || !strings.Contains(svg, "tt-chart-breach") {
		t.Errorf("band drawing: %s", svg)
	}
	lines, _, ok := c.frame.hover(c.frame.x.At(float64(ts[1].UnixMilli())))
	if !ok || len(lines) != 3 || lines[2] != "band: 10 – 20" || !strings.HasSuffix(lines[1], "breaching") {
		t.Errorf("hover %v", lines)
	}
}
