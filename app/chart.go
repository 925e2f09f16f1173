package app

import (
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The chart widget: an SVG drawn from Go, as one string (go-app inserts it
// as raw HTML, so thousands of points cost one DOM update, not thousands of
// nodes). Series are decimated to the plot's pixel width first. Hovering
// and dragging are handled by native listeners on the document, which move
// the cursor, the tooltip and the selection in the DOM directly, without
// rendering the page again (see chartView).

// Series is one line of a chart: points in time order.
type Series struct {
	Label  string
	Times  []time.Time
	Values []float64
	// Color is the stroke's CSS color; empty picks one from ChartColors.
	Color string
}

// ChartColors are the colors series take in turn.
var ChartColors = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"}

// Chart is a time series chart.
type Chart struct {
	ID         string // the element id of the plot; its parts are ID-cursor, ID-tip, ID-sel
	Series     []Series
	Start, End time.Time // the time axis
	// Threshold draws a horizontal line at Threshold.Value; the points of
	// the series that breach it (by Threshold.Comparison, one of
	// CloudWatch's comparison operators) are marked.
	Threshold *Threshold
	// Band, when set, is an anomaly detection band drawn as a shaded area;
	// the points outside it (by Band.Comparison) are marked.
	Band *Band
	// Width and Height are the size of the drawing in SVG units (default
	// 800 × 260); it scales to the width of its box.
	Width, Height int
	// OnZoom, when set, is called with the range a drag selected.
	OnZoom func(start, end time.Time)

	svg   string // memoized drawing
	key   string
	frame plotFrame
	dragX float64 // the x where a drag started
}

// Band is an anomaly detection band: its bounds at each instant.
type Band struct {
	Times        []time.Time
	Lower, Upper []float64
	// Comparison is one of the band operators of alarms:
	// LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold,
	// GreaterThanUpperThreshold.
	Comparison string
}

// At returns the band's bounds at t, if it has a point there.
func (b *Band) At(t time.Time) (lo, hi float64, ok bool) {
	if b == nil {
		return 0, 0, false
	}
	i := Nearest(b.Times, t)
	if i < 0 || !b.Times[i].Equal(t) || i >= len(b.Lower) || i >= len(b.Upper) {
		return 0, 0, false
	}
	return b.Lower[i], b.Upper[i], true
}

// Breaches reports whether v at t is on the alarm side of the band.
func (b *Band) Breaches(t time.Time, v float64) bool {
	lo, hi, ok := b.At(t)
	if !ok {
		return false
	}
	switch b.Comparison {
	case "LessThanLowerOrGreaterThanUpperThreshold":
		return v < lo || v > hi
	case "LessThanLowerThreshold":
		return v < lo
	case "GreaterThanUpperThreshold":
		return v > hi
	}
	return false
}

// breaches reports whether a point of a series breaches the threshold or
// the band.
func (c *Chart) breaches(t time.Time, v float64) bool {
	return c.Threshold.Breaches(v) || c.Band.Breaches(t, v)
}

// Threshold is the line of an alarm's threshold.
type Threshold struct {
	Value      float64
	Comparison string
}

// Breaches reports whether v is on the alarm side of the threshold.
func (t *Threshold) Breaches(v float64) bool {
	if t == nil {
		return false
	}
	switch t.Comparison {
	case "GreaterThanThreshold":
		return v > t.Value
	case "GreaterThanOrEqualToThreshold":
		return v >= t.Value
	case "LessThanThreshold":
		return v < t.Value
	case "LessThanOrEqualToThreshold":
		return v <= t.Value
	}
	return false
}

// Layout of the drawing, in SVG units.
const (
	chartPadLeft   = 58
	chartPadRight  = 12
	chartPadTop    = 12
	chartPadBottom = 26
)

// plotFrame maps data to the drawing.
type plotFrame struct {
	x, y           Scale
	left, right    float64
	top, bottom    float64
	width, height  float64
	start, end     time.Time
	yTicks         []float64
	xTicks         []time.Time
	xFormat        string
	seriesColors   []string
	seriesLabels   []string
	seriesTimes    [][]time.Time
	seriesValues   [][]float64
	thresholdValue *Threshold
	band           *Band
}

// Scale maps a domain [D0, D1] linearly onto a range [R0, R1].
type Scale struct{ D0, D1, R0, R1 float64 }

// At maps v from the domain to the range.
func (s Scale) At(v float64) float64 {
	if s.D1 == s.D0 {
		return (s.R0 + s.R1) / 2
	}
	return s.R0 + (v-s.D0)*(s.R1-s.R0)/(s.D1-s.D0)
}

// Invert maps r from the range back to the domain.
func (s Scale) Invert(r float64) float64 {
	if s.R1 == s.R0 {
		return s.D0
	}
	return s.D0 + (r-s.R0)*(s.D1-s.D0)/(s.R1-s.R0)
}

// NiceTicks returns about n round values (1, 2 or 5 times a power of ten
// apart) covering [lo, hi]: the first is at or below lo, the last at or
// above hi.
func NiceTicks(lo, hi float64, n int) []float64 {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return []float64{0, 1}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if n < 2 {
		n = 2
	}
	if lo == hi {
		d := math.Abs(lo) / 2
		if d == 0 {
			d = 1
		}
		lo, hi = lo-d, hi+d
	}
	step := niceStep((hi - lo) / float64(n-1))
	first := math.Floor(lo/step) * step
	last := math.Ceil(hi/step) * step
	var out []float64
	for i := 0; ; i++ {
		v := first + float64(i)*step
		v = roundTo(v, step)
		out = append(out, v)
		if v >= last-step/1e9 || i > 1000 {
			break
		}
	}
	return out
}

// roundTo rounds v to the decimals of step, dropping the float noise of
// the multiplications (0.30000000000000004 is 0.3).
func roundTo(v, step float64) float64 {
	dec := 0
	if step < 1 {
		dec = int(math.Ceil(-math.Log10(step))) + 1
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', dec, 64), 64)
	if err != nil || r == 0 {
		return 0
	}
	return r
}

// niceStep rounds a step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// timeSteps are the steps of the time axis, with how their labels read.
var timeSteps = []struct {
	d      time.Duration
	format string
}{
	{10 * time.Second, "15:04:05"}, {30 * time.Second, "15:04:05"},
	{time.Minute, "15:04"}, {5 * time.Minute, "15:04"}, {10 * time.Minute, "15:04"}, {15 * time.Minute, "15:04"},
	{30 * time.Minute, "15:04"}, {time.Hour, "15:04"}, {3 * time.Hour, "01-02 15:04"}, {6 * time.Hour, "01-02 15:04"},
	{12 * time.Hour, "01-02 15:04"}, {24 * time.Hour, "01-02"}, {2 * 24 * time.Hour, "01-02"}, {7 * 24 * time.Hour, "01-02"},
	{14 * 24 * time.Hour, "01-02"}, {30 * 24 * time.Hour, "2006-01-02"},
}

// TimeTicks returns at most n instants on round UTC boundaries within
// [start, end], and the layout their labels use.
func TimeTicks(start, end time.Time, n int) ([]time.Time, string) {
	if n < 1 {
		n = 1
	}
	if !end.After(start) {
		return []time.Time{start}, "15:04"
	}
	span := end.Sub(start)
	i := 0
	for i < len(timeSteps)-1 && span/timeSteps[i].d > time.Duration(n) {
		i++
	}
	st := timeSteps[i]
	// Round up to the step on the UTC day (steps of a day or more from the
	// Unix epoch's midnights).
	var t time.Time
	if st.d < 24*time.Hour {
		day := start.UTC().Truncate(24 * time.Hour)
		t = day.Add(((start.Sub(day) + st.d - 1) / st.d) * st.d)
	} else {
		t = start.UTC().Truncate(24 * time.Hour)
		for t.Before(start) {
			t = t.Add(24 * time.Hour)
		}
		days := int64(st.d / (24 * time.Hour))
		for (t.Unix()/86400)%days != 0 {
			t = t.Add(24 * time.Hour)
		}
	}
	var out []time.Time
	for ; !t.After(end) && len(out) <= 2*n; t = t.Add(st.d) {
		out = append(out, t)
	}
	return out, st.format
}

// Decimate reduces a series to what width pixel columns can show: for every
// column of the time axis (x maps times to columns) it keeps the first, the
// lowest, the highest and the last point, in time order. The drawn line
// looks the same as with every point. It returns the indexes kept.
func Decimate(times []time.Time, values []float64, x Scale, width int) []int {
	n := len(times)
	if len(values) < n {
		n = len(values)
	}
	if width <= 0 || n <= 4*width {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	var out []int
	col := math.MinInt
	var first, lo, hi, last int
	flush := func() {
		if col == math.MinInt {
			return
		}
		idx := []int{first, lo, hi, last}
		sort.Ints(idx)
		for j, k := range idx {
			if j > 0 && k == idx[j-1] {
				continue
			}
			out = append(out, k)
		}
	}
	for i := 0; i < n; i++ {
		c := int(math.Floor(x.At(float64(times[i].UnixMilli()))))
		if c != col {
			flush()
			col, first, lo, hi = c, i, i, i
		}
		if values[i] < values[lo] {
			lo = i
		}
		if values[i] > values[hi] {
			hi = i
		}
		last = i
	}
	flush()
	return out
}

// Nearest returns the index of the instant of times (sorted) nearest to t,
// or -1 when times is empty.
func Nearest(times []time.Time, t time.Time) int {
	if len(times) == 0 {
		return -1
	}
	i := sort.Search(len(times), func(i int) bool { return !times[i].Before(t) })
	if i == len(times) {
		return i - 1
	}
	if i > 0 && t.Sub(times[i-1]) < times[i].Sub(t) {
		return i - 1
	}
	return i
}

// FormatValue is how the chart prints a value: short, without float noise.
func FormatValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return trimZeros(strconv.FormatFloat(v/1e9, 'f', 2, 64)) + "G"
	case a >= 1e6:
		return trimZeros(strconv.FormatFloat(v/1e6, 'f', 2, 64)) + "M"
	case a >= 1e4:
		return trimZeros(strconv.FormatFloat(v/1e3, 'f', 2, 64)) + "k"
	case a == 0 || a >= 0.01:
		return trimZeros(strconv.FormatFloat(v, 'f', 2, 64))
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// valueDomain is the value axis' range: every value in the time window and
// the threshold, from 0 when every value is positive.
func (c *Chart) valueDomain() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for i, v := range s.Values {
			if i >= len(s.Times) || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if s.Times[i].Before(c.Start) || s.Times[i].After(c.End) {
				continue
			}
			lo, hi, ok = math.Min(lo, v), math.Max(hi, v), true
		}
	}
	if c.Threshold != nil {
		lo, hi, ok = math.Min(lo, c.Threshold.Value), math.Max(hi, c.Threshold.Value), true
	}
	if b := c.Band; b != nil {
		for i, t := range b.Times {
			if i >= len(b.Lower) || i >= len(b.Upper) || t.Before(c.Start) || t.After(c.End) {
				continue
			}
			for _, v := range []float64{b.Lower[i], b.Upper[i]} {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					lo, hi, ok = math.Min(lo, v), math.Max(hi, v), true
				}
			}
		}
	}
	if !ok {
		return 0, 1, false
	}
	if lo > 0 {
		lo = 0
	}
	return lo, hi, true
}

// layout computes the frame of the drawing.
func (c *Chart) layout() plotFrame {
	w, h := float64(c.Width), float64(c.Height)
	if w <= 0 {
		w = 800
	}
	if h <= 0 {
		h = 260
	}
	f := plotFrame{width: w, height: h, left: chartPadLeft, right: w - chartPadRight, top: chartPadTop, bottom: h - chartPadBottom,
		start: c.Start, end: c.End, thresholdValue: c.Threshold, band: c.Band}
	lo, hi, _ := c.valueDomain()
	f.yTicks = NiceTicks(lo, hi, 5)
	f.y = Scale{D0: f.yTicks[0], D1: f.yTicks[len(f.yTicks)-1], R0: f.bottom, R1: f.top}
	f.x = Scale{D0: float64(c.Start.UnixMilli()), D1: float64(c.End.UnixMilli()), R0: f.left, R1: f.right}
	f.xTicks, f.xFormat = TimeTicks(c.Start, c.End, int((f.right-f.left)/90))
	for i, s := range c.Series {
		col := s.Color
		if col == "" {
			col = ChartColors[i%len(ChartColors)]
		}
		f.seriesColors = append(f.seriesColors, col)
		f.seriesLabels = append(f.seriesLabels, s.Label)
		f.seriesTimes = append(f.seriesTimes, s.Times)
		f.seriesValues = append(f.seriesValues, s.Values)
	}
	return f
}

// dataKey identifies what the drawing shows. Series are identified by
// their slices, not their values: give a chart new slices to change its
// data, never change them in place.
func (c *Chart) dataKey() string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%d|%d|%dx%d|", c.ID, c.Start.UnixMilli(), c.End.UnixMilli(), c.Width, c.Height)
	if c.Threshold != nil {
		fmt.Fprintf(h, "t%g%s|", c.Threshold.Value, c.Threshold.Comparison)
	}
	for _, s := range c.Series {
		fmt.Fprintf(h, "%s|%s|%d|%d|%p|%p|", s.Label, s.Color, len(s.Values), len(s.Times), s.Values, s.Times)
	}
	if b := c.Band; b != nil {
		fmt.Fprintf(h, "band|%s|%d|%p|%p|%p|", b.Comparison, len(b.Times), b.Times, b.Lower, b.Upper)
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// SVG returns the drawing (memoized until the data changes).
func (c *Chart) SVG() string {
	k := c.dataKey()
	if c.svg != "" && c.key == k {
		return c.svg
	}
	c.key = k
	c.frame = c.layout()
	c.svg = c.draw(c.frame)
	return c.svg
}

func fx(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// draw writes the SVG of the frame.
func (c *Chart) draw(f plotFrame) string {
	var b strings.Builder
	id := html.EscapeString(c.ID)
	fmt.Fprintf(&b, `<div class="tt-chart-plot" id="%s"><svg class="tt-chart-svg" viewBox="0 0 %s %s" role="img" aria-label="chart">`,
		id, fx(f.width), fx(f.height))
	// Value axis: grid lines and labels.
	for _, v := range f.yTicks {
		y := f.y.At(v)
		fmt.Fprintf(&b, `<line class="tt-chart-grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, fx(f.left), fx(f.right), fx(y), fx(y))
		fmt.Fprintf(&b, `<text class="tt-chart-ylabel" x="%s" y="%s" text-anchor="end">%s</text>`, fx(f.left-6), fx(y+4), FormatValue(v))
	}
	// Time axis.
	fmt.Fprintf(&b, `<line class="tt-chart-axis" x1="%s" x2="%s" y1="%s" y2="%s"/>`, fx(f.left), fx(f.right), fx(f.bottom), fx(f.bottom))
	for _, t := range f.xTicks {
		x := f.x.At(float64(t.UnixMilli()))
		fmt.Fprintf(&b, `<line class="tt-chart-tick" x1="%s" x2="%s" y1="%s" y2="%s"/>`, fx(x), fx(x), fx(f.bottom), fx(f.bottom+4))
		anchor := "middle" // labels at the ends stay inside the drawing
		if x > f.right-30 {
			anchor = "end"
		} else if x < f.left+10 {
			anchor = "start"
		}
		fmt.Fprintf(&b, `<text class="tt-chart-xlabel" x="%s" y="%s" text-anchor="%s">%s</text>`, fx(x), fx(f.bottom+17), anchor, t.UTC().Format(f.xFormat))
	}
	// Series: one path each for the line, the points and the breaching points.
	fmt.Fprintf(&b, `<clipPath id="%s-clip"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath><g clip-path="url(#%s-clip)">`,
		id, fx(f.left), fx(f.top-4), fx(f.right-f.left), fx(f.bottom-f.top+8), id)
	if c.Threshold != nil {
		y := f.y.At(c.Threshold.Value)
		fmt.Fprintf(&b, `<line class="tt-chart-threshold" x1="%s" x2="%s" y1="%s" y2="%s"/>`, fx(f.left), fx(f.right), fx(y), fx(y))
	}
	width := int(f.right - f.left)
	if bd := c.Band; bd != nil {
		n := len(bd.Times)
		if len(bd.Lower) < n {
			n = len(bd.Lower)
		}
		if len(bd.Upper) < n {
			n = len(bd.Upper)
		}
		keep := Decimate(bd.Times[:n], bd.Upper[:n], f.x, width)
		var up, down []string
		for _, i := range keep {
			lo, hi := bd.Lower[i], bd.Upper[i]
			if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
				continue
			}
			x := fx(f.x.At(float64(bd.Times[i].UnixMilli())))
			up = append(up, x+" "+fx(f.y.At(hi)))
			down = append(down, x+" "+fx(f.y.At(lo)))
		}
		if len(up) > 0 {
			for i, j := 0, len(down)-1; i < j; i, j = i+1, j-1 {
				down[i], down[j] = down[j], down[i]
			}
			fmt.Fprintf(&b, `<path class="tt-chart-band" d="M%sL%sZ"/>`, strings.Join(up, "L"), strings.Join(down, "L"))
		}
	}
	for si, s := range c.Series {
		keep := Decimate(s.Times, s.Values, f.x, width)
		var line, dots, bad strings.Builder
		for _, i := range keep {
			v := s.Values[i]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			x, y := f.x.At(float64(s.Times[i].UnixMilli())), f.y.At(v)
			if line.Len() == 0 {
				line.WriteString("M")
			} else {
				line.WriteString("L")
			}
			line.WriteString(fx(x) + " " + fx(y))
			if len(keep) <= 120 {
				fmt.Fprintf(&dots, "M%s %sh0", fx(x), fx(y))
			}
			if c.breaches(s.Times[i], v) {
				fmt.Fprintf(&bad, "M%s %sh0", fx(x), fx(y))
			}
		}
		col := html.EscapeString(f.seriesColors[si])
		if line.Len() > 0 {
			fmt.Fprintf(&b, `<path class="tt-chart-line" d="%s" stroke="%s"/>`, line.String(), col)
		}
		if dots.Len() > 0 {
			fmt.Fprintf(&b, `<path class="tt-chart-dots" d="%s" stroke="%s"/>`, dots.String(), col)
		}
		if bad.Len() > 0 {
			fmt.Fprintf(&b, `<path class="tt-chart-breach" d="%s"/>`, bad.String())
		}
	}
	b.WriteString(`</g>`)
	fmt.Fprintf(&b, `<line id="%s-cursor" class="tt-chart-cursor" x1="0" x2="0" y1="%s" y2="%s" visibility="hidden"/>`, id, fx(f.top), fx(f.bottom))
	fmt.Fprintf(&b, `<rect id="%s-sel" class="tt-chart-sel" x="0" y="%s" width="0" height="%s" visibility="hidden"/>`, id, fx(f.top), fx(f.bottom-f.top))
	b.WriteString(`</svg>`)
	fmt.Fprintf(&b, `<div id="%s-tip" class="tt-chart-tip" hidden></div></div>`, id)
	return b.String()
}

// hover returns the tooltip of the instant under the drawing's x: the time
// and each series' nearest value, and the x of that instant.
func (f *plotFrame) hover(x float64) (lines []string, at float64, ok bool) {
	if x < f.left || x > f.right || len(f.seriesTimes) == 0 {
		return nil, 0, false
	}
	t := time.UnixMilli(int64(f.x.Invert(x))).UTC()
	var best time.Time
	found := false
	for _, ts := range f.seriesTimes {
		if i := Nearest(ts, t); i >= 0 {
			if !found || absDur(ts[i].Sub(t)) < absDur(best.Sub(t)) {
				best, found = ts[i], true
			}
		}
	}
	if !found {
		return nil, 0, false
	}
	lines = append(lines, FormatTime(best))
	for si, ts := range f.seriesTimes {
		i := Nearest(ts, best)
		if i < 0 || !ts[i].Equal(best) || i >= len(f.seriesValues[si]) {
			continue
		}
		v := f.seriesValues[si][i]
		mark := ""
		if f.thresholdValue.Breaches(v) || f.band.Breaches(best, v) {
			mark = " ▲ breaching"
		}
		lines = append(lines, fmt.Sprintf("%s: %s%s", f.seriesLabels[si], strconv.FormatFloat(v, 'g', 10, 64), mark))
	}
	if lo, hi, ok := f.band.At(best); ok {
		lines = append(lines, fmt.Sprintf("band: %s – %s", strconv.FormatFloat(lo, 'g', 6, 64), strconv.FormatFloat(hi, 'g', 6, 64)))
	}
	return lines, f.x.At(float64(best.UnixMilli())), true
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// chartView is the chart's element: the drawing, its legend, and a hidden
// button that carries a zoom chosen by dragging to the page.
//
// Hovering and dragging are handled by native listeners on the document
// (see installChartEvents), not by go-app handlers: a go-app handler would
// render the whole page again at every mouse move, and ctx.PreventUpdate
// would stop the page's next click from rendering it (go-app v9.8.0 keeps
// the component marked "no update" until it next renders by other means).
func chartView(c *Chart) app.UI {
	if app.IsClient && c.Width == 0 {
		// A narrow screen gets a narrower drawing, so that its text stays
		// readable once scaled to the width.
		if w := app.Window().Get("innerWidth").Int(); w > 0 && w < 720 {
			c.Width, c.Height = 440, 260
		}
	}
	svg := c.SVG()
	registerChart(c)
	key := fmt.Sprintf("%p/%s", c, c.key) // handlers are replaced when the chart or its data changes
	var legend []app.UI
	for i, s := range c.Series {
		legend = append(legend, app.Span().Class("tt-chart-key").Body(
			app.Span().Class("tt-chart-swatch").Style("background", c.frame.seriesColors[i]),
			app.Span().Text(s.Label),
		))
	}
	if c.Threshold != nil {
		legend = append(legend, app.Span().Class("tt-chart-key").Body(
			app.Span().Class("tt-chart-swatch tt-chart-swatch-threshold"),
			app.Span().Text("Threshold "+FormatValue(c.Threshold.Value)),
		))
	}
	if c.Band != nil {
		legend = append(legend, app.Span().Class("tt-chart-key").Body(
			app.Span().Class("tt-chart-swatch tt-chart-swatch-band"),
			app.Span().Text("Anomaly band"),
		))
	}
	empty := true
	for _, s := range c.Series {
		if len(s.Values) > 0 {
			empty = false
		}
	}
	return app.Div().Class("tt-chart").ID(c.ID+"-box").Body(
		app.Div().Class("tt-chart-area").Body(app.Raw(svg)),
		when(c.OnZoom != nil, func() app.UI {
			return app.Button().Type("button").ID(c.ID+"-zoom").Class("tt-file").Aria("hidden", true).TabIndex(-1).
				OnClick(func(ctx app.Context, e app.Event) {
					ds := ctx.JSSrc().Get("dataset")
					a, errA := strconv.ParseInt(ds.Get("start").String(), 10, 64)
					b, errB := strconv.ParseInt(ds.Get("end").String(), 10, 64)
					if errA == nil && errB == nil && b > a {
						c.OnZoom(time.UnixMilli(a).UTC(), time.UnixMilli(b).UTC())
					}
				}, key)
		}),
		when(empty, func() app.UI {
			return app.P().Class("tt-muted tt-chart-empty").Text("No data points in this time range.")
		}),
		app.Div().Class("tt-chart-legend").Body(legend...),
	)
}

// The charts on the page by element id, as last rendered, and the state of
// the pointer over them. Only the browser uses them (one UI thread).
var chartEvents struct {
	once     sync.Once
	charts   map[string]*Chart
	hover    *Chart // the chart showing its cursor
	dragging *Chart // the chart a drag started on
}

// registerChart makes a rendered chart answer the pointer.
func registerChart(c *Chart) {
	if !app.IsClient {
		return
	}
	chartEvents.once.Do(installChartEvents)
	chartEvents.charts[c.ID] = c
}

// installChartEvents listens to the pointer on the document, once: moves
// show the cursor and the tooltip of the chart under it, a drag selects a
// range.
func installChartEvents() {
	chartEvents.charts = map[string]*Chart{}
	doc := app.Window().Get("document")
	on := func(name string, f func(ev app.Value)) {
		doc.Call("addEventListener", name, app.FuncOf(func(this app.Value, args []app.Value) any {
			if len(args) > 0 {
				f(args[0])
			}
			return nil
		}))
	}
	on("mousemove", func(ev app.Value) {
		c := chartAt(ev)
		if h := chartEvents.hover; h != nil && h != c {
			h.hideHover()
			chartEvents.hover = nil
		}
		if c != nil {
			chartEvents.hover = c
			c.showHover(ev)
		}
		if d := chartEvents.dragging; d != nil {
			d.showDrag(ev)
		}
	})
	on("mousedown", func(ev app.Value) {
		c := chartAt(ev)
		if c == nil || c.OnZoom == nil {
			return
		}
		if x, ok := c.svgX(ev); ok && x >= c.frame.left && x <= c.frame.right {
			ev.Call("preventDefault")
			c.dragX = x
			chartEvents.dragging = c
		}
	})
	on("mouseup", func(ev app.Value) {
		c := chartEvents.dragging
		chartEvents.dragging = nil
		if c != nil {
			c.endDrag(ev)
		}
	})
}

// chartAt returns the chart under a pointer event, or nil.
func chartAt(ev app.Value) *Chart {
	t := ev.Get("target")
	if !t.Truthy() || !t.Get("closest").Truthy() {
		return nil
	}
	el := t.Call("closest", ".tt-chart-plot")
	if !el.Truthy() {
		return nil
	}
	return chartEvents.charts[el.Get("id").String()]
}

// svgX is the x of a pointer event in the drawing's units.
func (c *Chart) svgX(ev app.Value) (float64, bool) {
	plot := app.Window().GetElementByID(c.ID)
	if !plot.Truthy() {
		return 0, false
	}
	r := plot.Call("getBoundingClientRect")
	w := r.Get("width").Float()
	if w <= 0 {
		return 0, false
	}
	return (ev.Get("clientX").Float() - r.Get("left").Float()) * c.frame.width / w, true
}

func (c *Chart) part(name string) app.Value { return app.Window().GetElementByID(c.ID + "-" + name) }

// showHover moves the cursor and the tooltip to the point under the pointer.
func (c *Chart) showHover(ev app.Value) {
	x, ok := c.svgX(ev)
	cur, tip := c.part("cursor"), c.part("tip")
	if !ok || !cur.Truthy() || !tip.Truthy() {
		return
	}
	lines, at, ok := c.frame.hover(x)
	if !ok {
		c.hideHover()
		return
	}
	cur.Call("setAttribute", "x1", fx(at))
	cur.Call("setAttribute", "x2", fx(at))
	cur.Call("setAttribute", "visibility", "visible")
	tip.Set("textContent", strings.Join(lines, "\n"))
	tip.Set("hidden", false)
	pct := 100 * at / c.frame.width
	if pct > 60 {
		tip.Get("style").Set("left", "")
		tip.Get("style").Set("right", fmt.Sprintf("%.2f%%", 100-pct+1))
	} else {
		tip.Get("style").Set("right", "")
		tip.Get("style").Set("left", fmt.Sprintf("%.2f%%", pct+1))
	}
}

func (c *Chart) hideHover() {
	if el := c.part("cursor"); el.Truthy() {
		el.Call("setAttribute", "visibility", "hidden")
	}
	if tip := c.part("tip"); tip.Truthy() {
		tip.Set("hidden", true)
	}
}

// showDrag draws the range being selected.
func (c *Chart) showDrag(ev app.Value) {
	x, ok := c.svgX(ev)
	sel := c.part("sel")
	if !ok || !sel.Truthy() {
		return
	}
	x0, x1 := math.Min(c.dragX, x), math.Max(c.dragX, x)
	x0, x1 = math.Max(x0, c.frame.left), math.Min(x1, c.frame.right)
	sel.Call("setAttribute", "x", fx(x0))
	sel.Call("setAttribute", "width", fx(math.Max(0, x1-x0)))
	sel.Call("setAttribute", "visibility", "visible")
}

// endDrag ends a drag: a range wider than a few units is handed to the
// page through the zoom button.
func (c *Chart) endDrag(ev app.Value) {
	if sel := c.part("sel"); sel.Truthy() {
		sel.Call("setAttribute", "visibility", "hidden")
	}
	x, ok := c.svgX(ev)
	if !ok || math.Abs(x-c.dragX) < 6 {
		return
	}
	t0, t1 := c.ZoomRange(c.dragX, x)
	btn := c.part("zoom")
	if !t1.After(t0) || !btn.Truthy() {
		return
	}
	btn.Get("dataset").Set("start", strconv.FormatInt(t0.UnixMilli(), 10))
	btn.Get("dataset").Set("end", strconv.FormatInt(t1.UnixMilli(), 10))
	btn.Call("click")
}

// ZoomRange returns the time range between two x of the drawing, clamped to
// the plot and rounded to the minute.
func (c *Chart) ZoomRange(x0, x1 float64) (time.Time, time.Time) {
	if c.svg == "" {
		c.SVG()
	}
	f := c.frame
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	x0, x1 = math.Max(x0, f.left), math.Min(x1, f.right)
	t0 := time.UnixMilli(int64(f.x.Invert(x0))).UTC().Truncate(time.Minute)
	t1 := time.UnixMilli(int64(f.x.Invert(x1))).UTC().Add(time.Minute - 1).Truncate(time.Minute)
	return t0, t1
}

// TimeRange is a range button: its label and the length of time it shows.
type TimeRange struct {
	Label string
	D     time.Duration
}

// TimeRanges are the range buttons of charts.
var TimeRanges = []TimeRange{{"1h", time.Hour}, {"3h", 3 * time.Hour}, {"12h", 12 * time.Hour}, {"1d", 24 * time.Hour}, {"1w", 7 * 24 * time.Hour}}

// rangeBar is the row of buttons of ranges (TimeRanges for charts);
// current is the range's label, or "" for a range chosen by dragging (shown
// with a reset button).
func rangeBar(id string, ranges []TimeRange, current string, set func(label string, d time.Duration)) app.UI {
	return app.Div().Class("tt-seg tt-range").ID(id).Aria("label", "Time range").Body(
		app.Range(ranges).Slice(func(i int) app.UI {
			r := ranges[i]
			cls := "tt-seg-btn"
			if r.Label == current {
				cls += " tt-on"
			}
			return app.Button().Type("button").Class(cls).ID(id+"-"+r.Label).Aria("pressed", r.Label == current).Text(r.Label).
				OnClick(func(ctx app.Context, e app.Event) { set(r.Label, r.D) }, id, r.Label)
		}),
		when(current == "", func() app.UI {
			return app.Button().Type("button").Class("tt-seg-btn tt-on").ID(id+"-custom").Text("zoomed ✕").
				Title("Back to the last hour").OnClick(func(ctx app.Context, e app.Event) { set("1h", time.Hour) }, id)
		}),
	)
}
