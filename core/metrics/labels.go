package metrics

// Dynamic labels of GetMetricData ("Use dynamic labels" in the CloudWatch
// user guide): a query's Label may hold ${...} variables that AWS replaces
// with values of the result it labels:
//
//   - statistical values computed over the datapoints the call returns for
//     the whole time range (before any NextToken cut): ${AVG},
//     ${DATAPOINT_COUNT}, ${FIRST}, ${FIRST_LAST_RANGE},
//     ${FIRST_LAST_TIME_RANGE}, ${FIRST_TIME}, ${FIRST_TIME_RELATIVE},
//     ${LAST}, ${LAST_TIME}, ${LAST_TIME_RELATIVE}, ${MAX}, ${MAX_TIME},
//     ${MAX_TIME_RELATIVE}, ${MIN}, ${MIN_MAX_RANGE}, ${MIN_MAX_TIME_RANGE},
//     ${MIN_TIME}, ${MIN_TIME_RELATIVE}, ${SUM};
//   - ${LABEL}, the default label the result would have without a Label;
//   - properties of the metric: ${PROP('AccountId')},
//     ${PROP('AccountLabel')}, ${PROP('Dim.<name>')} (the name is
//     case-sensitive), ${PROP('MetricName')}, ${PROP('Namespace')},
//     ${PROP('Period')}, ${PROP('Region')}, ${PROP('Stat')}.
//
// The guide adds: a label holds at most five statistical values and
// ${LABEL} at most once; with a SEARCH expression the label applies to every
// metric the search returns; LabelOptions.Timezone ("+0130") sets the time
// zone of the time values. What the guide does not say is marked
// "Unverified" below: what AWS does past the limits, with an unknown
// variable, with a result without datapoints, and the exact formats of
// numbers, times and durations.

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/metricmath"
	"github.com/telltale-dev/telltale/core/store"
)

// maxLabelStats is the number of statistical values a label may hold ("You
// can add up to five dynamic statistical values to a label").
const maxLabelStats = 5

// labelStats are the statistical variables of a dynamic label.
var labelStats = map[string]bool{
	"AVG": true, "DATAPOINT_COUNT": true, "FIRST": true, "FIRST_LAST_RANGE": true,
	"FIRST_LAST_TIME_RANGE": true, "FIRST_TIME": true, "FIRST_TIME_RELATIVE": true,
	"LAST": true, "LAST_TIME": true, "LAST_TIME_RELATIVE": true, "MAX": true,
	"MAX_TIME": true, "MAX_TIME_RELATIVE": true, "MIN": true, "MIN_MAX_RANGE": true,
	"MIN_MAX_TIME_RANGE": true, "MIN_TIME": true, "MIN_TIME_RELATIVE": true, "SUM": true,
}

// labelProps are the properties ${PROP('...')} reads, besides Dim.<name>.
var labelProps = map[string]bool{
	"AccountId": true, "AccountLabel": true, "MetricName": true, "Namespace": true,
	"Period": true, "Region": true, "Stat": true,
}

// labelPart is a piece of a parsed label: literal text, or a variable (Var
// is LABEL, a statistic, or "PROP" with Prop set) with its text as written.
type labelPart struct {
	Text string
	Var  string
	Prop string
}

// parseLabel splits a label into literal text and the variables it names.
// Anything that is not a known variable ("${FOO}", "${PROP('Nope')}", a
// "${" never closed) stays literal text. Unverified: the guide does not say
// whether AWS refuses such a label or how it shows it.
func parseLabel(label string) []labelPart {
	var parts []labelPart
	lit := func(s string) {
		if s == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Var == "" {
			parts[n-1].Text += s
			return
		}
		parts = append(parts, labelPart{Text: s})
	}
	for {
		i := strings.Index(label, "${")
		if i < 0 {
			lit(label)
			return parts
		}
		lit(label[:i])
		rest := label[i:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			lit(rest)
			return parts
		}
		raw, inner := rest[:j+1], rest[2:j]
		switch {
		case inner == "LABEL" || labelStats[inner]:
			parts = append(parts, labelPart{Text: raw, Var: inner})
		case strings.HasPrefix(inner, "PROP('") && strings.HasSuffix(inner, "')") && len(inner) >= len("PROP('')"):
			p := inner[len("PROP('") : len(inner)-len("')")]
			if labelProps[p] || (strings.HasPrefix(p, "Dim.") && len(p) > len("Dim.")) {
				parts = append(parts, labelPart{Text: raw, Var: "PROP", Prop: p})
			} else {
				lit(raw)
			}
		default:
			// Not a variable: keep "${" as text and look for the next
			// one after it (the "}" may close a later variable).
			lit("${")
			label = rest[2:]
			continue
		}
		label = rest[j+1:]
	}
}

// isDynamic reports whether a label names at least one variable.
func isDynamic(label string) bool {
	for _, p := range parseLabel(label) {
		if p.Var != "" {
			return true
		}
	}
	return false
}

// hasPropVar reports whether a label holds a ${PROP('...')}.
func hasPropVar(label string) bool {
	for _, p := range parseLabel(label) {
		if p.Var == "PROP" {
			return true
		}
	}
	return false
}

// labelData is what a dynamic label reads of the result it labels.
type labelData struct {
	// Default is the label the result has without a Label (${LABEL}).
	Default string
	// Timestamps and Values are the result's datapoints, in any order.
	Timestamps []time.Time
	Values     []float64
	// Now is the time of the call (the *_RELATIVE values).
	Now time.Time
	// Zone is LabelOptions.Timezone (nil is UTC).
	Zone *time.Location
	// Props are the ${PROP('...')} values, Dim.<name> included. A known
	// property absent here (an expression has no metric name) is empty.
	Props map[string]string
}

// expandLabel substitutes the variables of a label with the values of d.
// Past the guide's limits (a sixth statistical value, a second ${LABEL}) the
// variable is kept as written: Unverified.
func expandLabel(label string, d *labelData) string {
	parts := parseLabel(label)
	var st *labelStatsOf
	var b strings.Builder
	nStats, nLabel := 0, 0
	for _, p := range parts {
		switch {
		case p.Var == "":
			b.WriteString(p.Text)
		case p.Var == "LABEL":
			nLabel++
			if nLabel > 1 {
				b.WriteString(p.Text)
				continue
			}
			b.WriteString(d.Default)
		case p.Var == "PROP":
			b.WriteString(d.Props[p.Prop])
		default:
			nStats++
			if nStats > maxLabelStats {
				b.WriteString(p.Text)
				continue
			}
			if st == nil {
				st = statsOf(d.Timestamps, d.Values)
			}
			b.WriteString(st.format(p.Var, d.Now, d.Zone))
		}
	}
	return b.String()
}

// labelStatsOf holds the statistics of a result's datapoints.
type labelStatsOf struct {
	n                          int
	sum, min, max, first, last float64
	tFirst, tLast, tMin, tMax  time.Time
}

// statsOf computes the statistics of datapoints given in any order: first
// and last by timestamp; the time of the minimum and of the maximum is that
// of their oldest datapoint when several hold the value (Unverified).
func statsOf(ts []time.Time, vs []float64) *labelStatsOf {
	n := min(len(ts), len(vs))
	st := &labelStatsOf{n: n}
	if n == 0 {
		return st
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ts[idx[a]].Before(ts[idx[b]]) })
	for k, i := range idx {
		v, t := vs[i], ts[i]
		st.sum += v
		if k == 0 || v < st.min {
			st.min, st.tMin = v, t
		}
		if k == 0 || v > st.max {
			st.max, st.tMax = v, t
		}
	}
	st.first, st.tFirst = vs[idx[0]], ts[idx[0]]
	st.last, st.tLast = vs[idx[n-1]], ts[idx[n-1]]
	return st
}

// format gives the value of a statistical variable. Without datapoints
// ${DATAPOINT_COUNT} is 0 and every other value is empty: Unverified.
func (st *labelStatsOf) format(v string, now time.Time, zone *time.Location) string {
	if v == "DATAPOINT_COUNT" {
		return strconv.Itoa(st.n)
	}
	if st.n == 0 {
		return ""
	}
	switch v {
	case "AVG":
		return labelNumber(st.sum / float64(st.n))
	case "SUM":
		return labelNumber(st.sum)
	case "MIN":
		return labelNumber(st.min)
	case "MAX":
		return labelNumber(st.max)
	case "FIRST":
		return labelNumber(st.first)
	case "LAST":
		return labelNumber(st.last)
	case "FIRST_LAST_RANGE":
		// "The difference between the metric values of the oldest and
		// newest data points": newest minus oldest (sign Unverified).
		return labelNumber(st.last - st.first)
	case "MIN_MAX_RANGE":
		return labelNumber(st.max - st.min)
	case "FIRST_TIME":
		return labelTime(st.tFirst, zone)
	case "LAST_TIME":
		return labelTime(st.tLast, zone)
	case "MIN_TIME":
		return labelTime(st.tMin, zone)
	case "MAX_TIME":
		return labelTime(st.tMax, zone)
	case "FIRST_LAST_TIME_RANGE":
		return labelDuration(st.tLast.Sub(st.tFirst))
	case "MIN_MAX_TIME_RANGE":
		return labelDuration(st.tMax.Sub(st.tMin))
	case "FIRST_TIME_RELATIVE":
		return labelDuration(now.Sub(st.tFirst))
	case "LAST_TIME_RELATIVE":
		return labelDuration(now.Sub(st.tLast))
	case "MIN_TIME_RELATIVE":
		return labelDuration(now.Sub(st.tMin))
	case "MAX_TIME_RELATIVE":
		return labelDuration(now.Sub(st.tMax))
	}
	return ""
}

// labelNumber formats a value as the console (JavaScript's String(number))
// does: the shortest decimal that reads back as the same double, in
// exponent form below 1e-6 and from 1e21 ("1e+21", "1e-7"). Unverified
// format: the guide shows no number.
func labelNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	case v == 0:
		return "0"
	}
	if a := math.Abs(v); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(v, 'e', -1, 64)
	// Go writes "1e-07" and "1e+21"; JavaScript "1e-7" and "1e+21".
	if i := strings.IndexByte(s, 'e'); i >= 0 && i+2 < len(s) {
		exp := strings.TrimLeft(s[i+2:], "0")
		if exp == "" {
			exp = "0"
		}
		s = s[:i+2] + exp
	}
	return s
}

// labelTime formats a timestamp in the label's time zone, ISO 8601 with the
// offset ("2026-01-02T04:30:00+01:30"). Unverified format: the guide shows
// none.
func labelTime(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Format("2006-01-02T15:04:05-07:00")
}

// labelDuration formats an absolute time difference in days, hours, minutes
// and seconds, leaving out the zero units ("1d 2h 5s", "0s"). Unverified
// format: the guide shows none.
func labelDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	s := int64(d / time.Second)
	if s < 0 { // the absolute value of the smallest Duration
		s = math.MaxInt64 / int64(time.Second)
	}
	units := []struct {
		n      int64
		suffix string
	}{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}}
	var parts []string
	for _, u := range units {
		if q := s / u.n; q > 0 {
			parts = append(parts, strconv.FormatInt(q, 10)+u.suffix)
			s -= q * u.n
		}
	}
	if len(parts) == 0 {
		return "0s"
	}
	return strings.Join(parts, " ")
}

// labelZone parses LabelOptions.Timezone: "+" or "-" and four digits, hours
// then minutes ("+0130"); empty is +0000. The error's wording and the
// bounds (hours up to 23, minutes up to 59) are Unverified.
func labelZone(o *LabelOptions) (*time.Location, error) {
	if o == nil || o.Timezone == "" {
		return time.UTC, nil
	}
	tz := o.Timezone
	bad := errInvalid("The value %s for parameter LabelOptions.Timezone is invalid.", tz)
	if len(tz) != 5 || (tz[0] != '+' && tz[0] != '-') {
		return nil, bad
	}
	for _, c := range tz[1:] {
		if c < '0' || c > '9' {
			return nil, bad
		}
	}
	h, m := int(tz[1]-'0')*10+int(tz[2]-'0'), int(tz[3]-'0')*10+int(tz[4]-'0')
	if h > 23 || m > 59 {
		return nil, bad
	}
	off := h*3600 + m*60
	if tz[0] == '-' {
		off = -off
	}
	if off == 0 {
		return time.UTC, nil
	}
	return time.FixedZone(tz, off), nil
}

// queryProps gives the ${PROP('...')} values of a query: the metric's
// identity, statistic and period for a MetricStat; for an expression only
// what the call knows (account, Region, the query's Period), the metric's
// properties being empty (Unverified). ${PROP('AccountLabel')} is empty:
// there is no cross-account observability here.
func (s *Service) queryProps(c *api.Call, q MetricDataQuery) map[string]string {
	p := map[string]string{"AccountId": c.Account, "Region": c.Region}
	if p["AccountId"] == "" {
		p["AccountId"] = s.account
	}
	if p["Region"] == "" {
		p["Region"] = s.region
	}
	if q.AccountId != "" {
		p["AccountId"] = q.AccountId
	}
	if q.Period != nil {
		p["Period"] = strconv.FormatInt(*q.Period, 10)
	}
	if ms := q.MetricStat; ms != nil {
		if ms.Period != nil {
			p["Period"] = strconv.FormatInt(*ms.Period, 10)
		}
		p["Stat"] = ms.Stat
		if m := ms.Metric; m != nil {
			p["MetricName"] = m.MetricName
			p["Namespace"] = m.Namespace
			for _, d := range m.Dimensions {
				p["Dim."+d.Name] = d.Value
			}
		}
	}
	return p
}

// resultLabel gives the label of one result of GetMetricData, r holding its
// datapoints (all of them, before any NextToken cut) and the label the
// result has without dynamic labels. A MetricStat result's default label
// (${LABEL}) is its metric's; an expression's is its Id, or for each series
// of an array (SEARCH) the series' own label. A dynamic Label replaces the
// series' label (a static one is followed by it): the guide's example
// "[max: ${MAX} Errors for Function Name ${LABEL}]" gives "[max: number
// Errors for Function Name Name]"; without ${LABEL} nothing is appended
// either (Unverified), so that ${PROP('Dim.FunctionName')} alone names each
// metric of a search.
func (s *Service) resultLabel(c *api.Call, q MetricDataQuery, r *MetricDataResult, def string, zone *time.Location) string {
	if q.Label == nil || !isDynamic(*q.Label) {
		return r.Label
	}
	label := *q.Label
	d := &labelData{Default: def, Timestamps: r.Timestamps, Values: r.Values, Now: c.Now, Zone: zone, Props: s.queryProps(c, q)}
	if q.Expression == nil {
		return expandLabel(label, d)
	}
	// An expression: r.Label is the Label, or the Label, a space and the
	// series' label for a series of an array.
	series := ""
	if r.Label != label {
		series = strings.TrimPrefix(r.Label, label+" ")
	}
	if series == "" {
		d.Default = q.Id
		return expandLabel(label, d)
	}
	d.Default = series
	if hasPropVar(label) {
		s.searchProps(c.Now, q, series, d.Props)
	}
	return expandLabel(label, d)
}

// searchProps sets the properties of the metric behind one series of a
// SEARCH expression ("the dynamic label applies to every metric returned by
// the search"): the first SEARCH of the expression that finds a metric whose
// search label (its name and dimension values) is the series' label gives
// its namespace, name, dimensions, the search's statistic and its period
// (the query's Period when the search names none). It reads the catalogue
// as search does, and only for a label with ${PROP('...')}.
func (s *Service) searchProps(now time.Time, q MetricDataQuery, series string, props map[string]string) {
	p, err := s.compile(*q.Expression, nil, true)
	if err != nil {
		return
	}
	for _, sq := range p.Refs().Searches {
		var found *metric
		s.store.View(func(tx *store.Tx) error {
			return store.Prefix(tx, metricPrefix, func(_, v string) bool {
				var m metric
				if jsonUnmarshal(v, &m) != nil || now.Sub(m.LastReceived) > ListWindow {
					return true
				}
				mm := metricmath.Metric{Namespace: m.Namespace, MetricName: m.MetricName}
				parts := []string{m.MetricName}
				for _, d := range m.Dimensions {
					mm.Dimensions = append(mm.Dimensions, metricmath.Dimension{Name: d.Name, Value: d.Value})
					parts = append(parts, d.Value)
				}
				if strings.Join(parts, " ") != series || !sq.Match(mm) {
					return true
				}
				if found == nil || sortKey(m.identity()) < sortKey(found.identity()) {
					found = &m
				}
				return true
			})
		})
		if found == nil {
			continue
		}
		props["Namespace"], props["MetricName"], props["Stat"] = found.Namespace, found.MetricName, sq.Stat
		for _, d := range found.Dimensions {
			props["Dim."+d.Name] = d.Value
		}
		if sq.Period > 0 {
			props["Period"] = strconv.FormatInt(sq.Period, 10)
		}
		return
	}
}

// exprResultLabel gives the label of one series of an Expression query. An
// expression without a Label that returns the series of MetricStat queries
// (METRICS(), [m1, m2]) labels each with its query's Label: a dynamic one
// is substituted as that query's, over the expression's datapoints
// (Unverified).
func (s *Service) exprResultLabel(c *api.Call, qs []MetricDataQuery, q MetricDataQuery, r *MetricDataResult, defaults map[string]string, zone *time.Location) string {
	if (q.Label == nil || *q.Label == "") && isDynamic(r.Label) {
		for _, m := range qs {
			if m.MetricStat != nil && m.Label != nil && *m.Label == r.Label {
				d := &labelData{Default: defaults[m.Id], Timestamps: r.Timestamps, Values: r.Values, Now: c.Now, Zone: zone, Props: s.queryProps(c, m)}
				return expandLabel(r.Label, d)
			}
		}
	}
	return s.resultLabel(c, q, r, defaults[q.Id], zone)
}
