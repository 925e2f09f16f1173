package alarms

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

// Slot marks of Decide: a datapoint that is not breaching, breaching, or
// missing.
const (
	NotBreaching = '0'
	Breaching    = 'X'
	Missing      = '-'
)

// Decision is the outcome of Decide.
type Decision struct {
	// State is the new state, or "" to keep the current one.
	State string
	// Used are the indexes in the range of the real datapoints evaluated.
	Used []int
	// Fillers is how many missing datapoints were filled by TreatMissingData.
	Fillers int
}

// Decide applies the evaluation rules of the user guide's "How alarm state is
// evaluated when data is missing" to an evaluation range (oldest first, each
// slot NotBreaching, Breaching or Missing), N evaluation periods, M datapoints
// to alarm and a TreatMissingData value ("" is missing):
//  1. with at least N real datapoints in the range, the N newest are
//     evaluated (ALARM when at least M breach);
//  2. with none, missing gives INSUFFICIENT_DATA, ignore keeps the state,
//     breaching ALARM and notBreaching OK;
//  3. otherwise the shortfall is filled with breaching or non-breaching
//     datapoints for those treatments; for missing and ignore, M breaching
//     real points alarm, the premature-alarm rule alarms when no real point
//     is good and the oldest breaching point among the last N slots is at
//     least M slots old (for missing only: ignore keeps the state),
//     a good real point gives OK, and anything else keeps the state.
func Decide(slots []byte, n, m int, treat string) Decision {
	real := make([]int, 0, len(slots))
	for i, c := range slots {
		if c != Missing {
			real = append(real, i)
		}
	}
	count := func(idx []int) int {
		k := 0
		for _, i := range idx {
			if slots[i] == Breaching {
				k++
			}
		}
		return k
	}
	stateOf := func(breaching int) string {
		if breaching >= m {
			return StateAlarm
		}
		return StateOK
	}
	if len(real) >= n {
		used := real[len(real)-n:]
		return Decision{State: stateOf(count(used)), Used: used}
	}
	fill := n - len(real)
	if len(real) == 0 {
		switch treat {
		case "breaching":
			return Decision{State: stateOf(n), Fillers: fill}
		case "notBreaching":
			return Decision{State: StateOK, Fillers: fill}
		case "ignore":
			return Decision{}
		}
		return Decision{State: StateInsufficient}
	}
	switch treat {
	case "breaching":
		return Decision{State: stateOf(count(real) + fill), Used: real, Fillers: fill}
	case "notBreaching":
		return Decision{State: stateOf(count(real)), Used: real, Fillers: fill}
	}
	if count(real) >= m {
		return Decision{State: StateAlarm, Used: real}
	}
	good := count(real) < len(real)
	if !good {
		// premature-alarm rule: the oldest breaching point among the last
		// N slots must be at least M slots old.
		oldest := 0
		for i := len(slots) - n; i < len(slots); i++ {
			if i >= 0 && slots[i] == Breaching {
				oldest = len(slots) - i
				break
			}
		}
		if oldest >= m && treat != "ignore" {
			return Decision{State: StateAlarm, Used: real}
		}
		return Decision{}
	}
	return Decision{State: StateOK, Used: real}
}

// point is one slot of an evaluation range.
type point struct {
	start        time.Time
	has          bool
	value        float64
	count        float64
	lower, upper float64 // band operators
}

func (s *Service) periodOf(a *alarm) int64 {
	if a.Period > 0 {
		return a.Period
	}
	for _, q := range a.Metrics {
		if q.MetricStat != nil && q.MetricStat.Period != nil {
			return *q.MetricStat.Period
		}
	}
	for _, q := range a.Metrics {
		if q.Period != nil {
			return *q.Period
		}
	}
	return 60
}

func cadence(period int64) int64 {
	if period < 60 {
		return period
	}
	return 60
}

// schedule (re)creates the evaluation job of a metric alarm.
func (s *Service) schedule(name string) {
	if id, ok := s.jobs[name]; ok {
		s.d.Clock.Cancel(id)
		delete(s.jobs, name)
	}
	a, ok := s.load(name)
	if !ok || a.Type != typeMetric {
		return
	}
	step := time.Duration(cadence(s.periodOf(a))) * time.Second
	now := s.d.Clock.Now()
	first := now.Truncate(step).Add(step)
	s.jobs[name] = s.d.Clock.Every(first, step, "cloudwatch alarm "+name, func(at time.Time) { s.evaluate(name, at) })
}

func (s *Service) unschedule(name string) {
	if id, ok := s.jobs[name]; ok {
		s.d.Clock.Cancel(id)
		delete(s.jobs, name)
	}
}

// rangeSize is the number of periods an evaluation looks at.
func rangeSize(n int64) int64 { return n + 2 }

// fetch reads the evaluation range of a metric alarm ending at end.
func (s *Service) fetch(a *alarm, end time.Time) ([]point, error) {
	p := s.periodOf(a)
	r := rangeSize(a.EvaluationPeriods)
	start := end.Add(-time.Duration(r*p) * time.Second)
	pts := make([]point, r)
	for i := range pts {
		pts[i].start = start.Add(time.Duration(int64(i)*p) * time.Second)
	}
	put := func(ts time.Time, f func(*point)) {
		d := ts.Sub(start)
		if d < 0 {
			return
		}
		i := int64(d/time.Second) / p
		if i < r {
			f(&pts[i])
		}
	}
	if len(a.Metrics) == 0 {
		stat := a.Statistic
		if stat == "" {
			stat = a.ExtendedStatistic
		}
		if s.d.Metrics == nil {
			return pts, nil
		}
		dps, err := s.d.Metrics.Statistics(metricdata.Query{Namespace: a.Namespace, MetricName: a.MetricName,
			Dimensions: a.Dimensions, Unit: a.Unit, Start: start, End: end, Period: p, Stat: stat})
		if err != nil {
			return nil, err
		}
		for _, dp := range dps {
			put(dp.Timestamp, func(pt *point) { pt.has, pt.value, pt.count = true, dp.Value, dp.SampleCount })
		}
		return pts, nil
	}
	if s.d.Metrics == nil {
		return pts, nil
	}
	out, err := s.d.Metrics.GetMetricData(&api.Call{Service: "cloudwatch", Operation: "GetMetricData", Now: end,
		Account: s.d.Account, Region: s.d.Region},
		&metricdata.GetMetricDataInput{MetricDataQueries: a.Metrics, StartTime: &start, EndTime: &end, ScanBy: "TimestampAscending"})
	if err != nil {
		return nil, err
	}
	var value *metricdata.MetricDataResult
	var band []*metricdata.MetricDataResult
	for i := range out.MetricDataResults {
		r := &out.MetricDataResults[i]
		if a.ThresholdMetricId != "" && r.Id == a.ThresholdMetricId {
			band = append(band, r)
		} else if value == nil {
			value = r
		}
	}
	if value == nil {
		return pts, nil
	}
	for i, ts := range value.Timestamps {
		v := value.Values[i]
		put(ts, func(pt *point) { pt.has, pt.value, pt.count = true, v, 1 })
	}
	if a.ThresholdMetricId != "" {
		// The band is two series (lower and upper, in that order, as
		// GetMetricData returns ANOMALY_DETECTION_BAND); a point without
		// both bounds is missing.
		bounds := map[int64][2]float64{}
		seen := map[int64]int{}
		for k, r := range band {
			if k > 1 {
				break
			}
			for i, ts := range r.Timestamps {
				b := bounds[ts.Unix()]
				b[k] = r.Values[i]
				bounds[ts.Unix()] = b
				seen[ts.Unix()]++
			}
		}
		for i := range pts {
			b, ok := bounds[pts[i].start.Unix()]
			if !ok || seen[pts[i].start.Unix()] < 2 {
				pts[i].has = false
				continue
			}
			pts[i].lower, pts[i].upper = math.Min(b[0], b[1]), math.Max(b[0], b[1])
		}
	}
	return pts, nil
}

func breaches(a *alarm, pt point) bool {
	t := 0.0
	if a.Threshold != nil {
		t = *a.Threshold
	}
	v := pt.value
	switch a.ComparisonOperator {
	case "GreaterThanOrEqualToThreshold":
		return v >= t
	case "GreaterThanThreshold":
		return v > t
	case "LessThanThreshold":
		return v < t
	case "LessThanOrEqualToThreshold":
		return v <= t
	case "LessThanLowerOrGreaterThanUpperThreshold":
		return v < pt.lower || v > pt.upper
	case "LessThanLowerThreshold":
		return v < pt.lower
	case "GreaterThanUpperThreshold":
		return v > pt.upper
	}
	return false
}

// lowSamples reports whether a percentile datapoint has too few samples:
// under 10/(1-p) for p >= 0.5, under 10/p below.
func lowSamples(stat string, count float64) bool {
	if !strings.HasPrefix(stat, "p") {
		return false
	}
	p, err := strconv.ParseFloat(stat[1:], 64)
	if err != nil || p <= 0 || p >= 100 {
		return false
	}
	p /= 100
	if p >= 0.5 {
		return count < 10/(1-p)
	}
	return count < 10/p
}

func (a *alarm) m() int {
	if a.DatapointsToAlarm != nil {
		return int(*a.DatapointsToAlarm)
	}
	return int(a.EvaluationPeriods)
}

// evaluate is the clock job of a metric alarm.
func (s *Service) evaluate(name string, at time.Time) {
	// a is shared with the cache until it changes state.
	var a *alarm
	var ok bool
	s.d.Store.View(func(tx *store.Tx) error {
		a, ok = s.shared(tx, name)
		return nil
	})
	if !ok || a.Type != typeMetric {
		s.unschedule(name)
		return
	}
	pts, err := s.fetch(a, at)
	if err != nil {
		return
	}
	n, m := int(a.EvaluationPeriods), a.m()
	slots := make([]byte, len(pts))
	for i, pt := range pts {
		switch {
		case !pt.has:
			slots[i] = Missing
		case breaches(a, pt):
			slots[i] = Breaching
		default:
			slots[i] = NotBreaching
		}
	}
	d := Decide(slots, n, m, a.TreatMissingData)
	if a.EvaluateLowSampleCountPercentile == "ignore" {
		for _, i := range d.Used {
			if lowSamples(a.ExtendedStatistic, pts[i].count) {
				return
			}
		}
	}
	if d.State == "" {
		s.repeatScaling(a, at)
		return
	}
	if len(d.Used) == 0 && d.Fillers > 0 {
		// no data at all: wait until N whole periods passed since creation.
		if at.Sub(a.Created) < time.Duration(int64(n)*s.periodOf(a))*time.Second {
			return
		}
	}
	if d.State == a.StateValue {
		s.repeatScaling(a, at)
		return
	}
	reason, data := s.reason(a, d, pts, slots, at)
	s.changeState(a.clone(), d.State, reason, data, at)
}

// javaDouble formats a float as Java's Double.toString does (AWS's
// notation: 80.0, 21.5, 1.0E7).
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	abs := math.Abs(f)
	if f == 0 || abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if exp[0] == '+' {
		exp = exp[1:]
	}
	exp = strings.TrimLeft(exp, "0")
	if strings.HasPrefix(exp, "-") {
		exp = "-" + strings.TrimLeft(exp[1:], "0")
	}
	return mant + "E" + exp
}

var opWords = map[string]string{
	"GreaterThanOrEqualToThreshold": "greater than or equal to",
	"GreaterThanThreshold":          "greater than",
	"LessThanThreshold":             "less than",
	"LessThanOrEqualToThreshold":    "less than or equal to",
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// awsTime is the timestamp notation of reason data and notifications.
func awsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

// reason builds the StateReason and StateReasonData of an evaluation.
func (s *Service) reason(a *alarm, d Decision, pts []point, slots []byte, at time.Time) (string, string) {
	n := int(a.EvaluationPeriods)
	m := a.m()
	band := a.ThresholdMetricId != ""
	thr := 0.0
	if a.Threshold != nil {
		thr = *a.Threshold
	}
	// the datapoints that support the new state, newest first
	var support []int
	for k := len(d.Used) - 1; k >= 0; k-- {
		i := d.Used[k]
		if (slots[i] == Breaching) == (d.State == StateAlarm) {
			support = append(support, i)
		}
	}
	var list []string
	for _, i := range support {
		list = append(list, fmt.Sprintf("%s (%s)", javaDouble(pts[i].value), pts[i].start.UTC().Format("02/01/06 15:04:05")))
	}
	neg := ""
	if d.State != StateAlarm {
		neg = "not "
	}
	verb := plural(len(support), "was", "were")
	var text string
	switch {
	case d.State == StateInsufficient:
		text = fmt.Sprintf("Insufficient Data: %d %s %s unknown.", n, plural(n, "datapoint", "datapoints"), plural(n, "was", "were"))
	case len(d.Used) == 0:
		kind := "Breaching"
		if d.State == StateOK {
			kind = "NonBreaching"
		}
		text = fmt.Sprintf("Threshold Crossed: no datapoints were received for %d %s and %d missing %s treated as [%s].",
			n, plural(n, "period", "periods"), d.Fillers, plural(d.Fillers, "datapoint was", "datapoints were"), kind)
	default:
		var cmp string
		if band {
			var lo, hi []string
			for _, i := range support {
				lo = append(lo, javaDouble(pts[i].lower))
				hi = append(hi, javaDouble(pts[i].upper))
			}
			switch a.ComparisonOperator {
			case "LessThanLowerThreshold":
				cmp = fmt.Sprintf("%sless than the lower thresholds [%s]", neg, strings.Join(lo, ", "))
			case "GreaterThanUpperThreshold":
				cmp = fmt.Sprintf("%sgreater than the upper thresholds [%s]", neg, strings.Join(hi, ", "))
			default:
				cmp = fmt.Sprintf("%sless than the lower thresholds [%s] or %sgreater than the upper thresholds [%s]",
					neg, strings.Join(lo, ", "), neg, strings.Join(hi, ", "))
			}
		} else {
			cmp = fmt.Sprintf("%s%s the threshold (%s)", neg, opWords[a.ComparisonOperator], javaDouble(thr))
		}
		head := "Threshold Crossed"
		if band {
			head = "Thresholds Crossed"
		}
		fillText := ""
		if d.Fillers > 0 {
			kind := "Breaching"
			if a.TreatMissingData == "notBreaching" {
				kind = "NonBreaching"
			}
			fillText = fmt.Sprintf(" and %d missing %s treated as [%s]", d.Fillers, plural(d.Fillers, "datapoint was", "datapoints were"), kind)
		}
		if a.StateValue == StateInsufficient {
			text = fmt.Sprintf("%s: %d %s [%s] %s %s%s.", head, len(support), plural(len(support), "datapoint", "datapoints"),
				strings.Join(list, ", "), verb, cmp, fillText)
		} else {
			min := m
			if d.State == StateOK {
				min = n - m + 1
			}
			text = fmt.Sprintf("%s: %d out of the last %d datapoints [%s] %s %s%s (minimum %d %s for %s -> %s transition).",
				head, len(support), len(d.Used)+d.Fillers, strings.Join(list, ", "), verb, cmp, fillText,
				min, plural(min, "datapoint", "datapoints"), a.StateValue, d.State)
		}
	}
	// StateReasonData
	var b strings.Builder
	b.WriteString(`{"version":"1.0","queryDate":"` + awsTime(at) + `"`)
	if len(d.Used) > 0 {
		b.WriteString(`,"startDate":"` + awsTime(pts[d.Used[0]].start) + `"`)
	}
	if a.Unit != "" {
		b.WriteString(`,"unit":"` + a.Unit + `"`)
	}
	if len(a.Metrics) == 0 {
		stat := a.Statistic
		if stat == "" {
			stat = a.ExtendedStatistic
		}
		b.WriteString(`,"statistic":"` + stat + `"`)
	}
	b.WriteString(`,"period":` + strconv.FormatInt(s.periodOf(a), 10))
	b.WriteString(`,"recentDatapoints":[`)
	for k, i := range d.Used {
		if k > 0 {
			b.WriteByte(',')
		}
		b.WriteString(javaDouble(pts[i].value))
	}
	b.WriteString("]")
	if band {
		var lo, hi []string
		for _, i := range d.Used {
			lo = append(lo, javaDouble(pts[i].lower))
			hi = append(hi, javaDouble(pts[i].upper))
		}
		b.WriteString(`,"recentLowerThresholds":[` + strings.Join(lo, ",") + `],"recentUpperThresholds":[` + strings.Join(hi, ",") + `]`)
	} else {
		b.WriteString(`,"threshold":` + javaDouble(thr))
	}
	// evaluated datapoints: the N newest slots considered, newest first
	var eval []int
	if len(d.Used) >= n || d.Fillers == 0 {
		for k := len(d.Used) - 1; k >= 0; k-- {
			eval = append(eval, d.Used[k])
		}
	} else {
		for i := len(pts) - 1; i >= 0 && len(eval) < n; i-- {
			eval = append(eval, i)
		}
		for k := len(d.Used) - 1; k >= 0; k-- {
			if d.Used[k] < len(pts)-n {
				eval = append(eval, d.Used[k])
			}
		}
	}
	if d.State != StateInsufficient {
		b.WriteString(`,"evaluatedDatapoints":[`)
		for k, i := range eval {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"timestamp":"` + awsTime(pts[i].start) + `"`)
			if pts[i].has {
				b.WriteString(`,"sampleCount":` + javaDouble(pts[i].count) + `,"value":` + javaDouble(pts[i].value))
			}
			b.WriteString("}")
		}
		b.WriteString("]")
	}
	b.WriteString("}")
	return text, b.String()
}
