package metricmath

import (
	"strings"
)

// fnClass groups the functions that share argument and result rules.
type fnClass uint8

const (
	clsPerPoint  fnClass = iota + 1 // TS→TS, TS[]→TS[]
	clsAggregate                    // TS→S, TS[]→TS
	clsDateTime                     // TS→TS
	clsOther                        // checked one by one
)

// catalogue is every function of metric math (spec §3.3, SEARCH of §2.6).
var catalogue = map[string]fnClass{
	"ABS": clsPerPoint, "CEIL": clsPerPoint, "FLOOR": clsPerPoint, "LOG": clsPerPoint, "LOG10": clsPerPoint,
	"DIFF": clsPerPoint, "DIFF_TIME": clsPerPoint, "RATE": clsPerPoint, "RUNNING_SUM": clsPerPoint,
	"AVG": clsAggregate, "MAX": clsAggregate, "MIN": clsAggregate, "SUM": clsAggregate, "STDDEV": clsAggregate,
	"DATAPOINT_COUNT": clsAggregate,
	"MINUTE":          clsDateTime, "HOUR": clsDateTime, "DAY": clsDateTime, "DATE": clsDateTime, "MONTH": clsDateTime,
	"YEAR": clsDateTime, "EPOCH": clsDateTime,
	"ANOMALY_DETECTION_BAND": clsOther, "FILL": clsOther, "FIRST": clsOther, "LAST": clsOther, "IF": clsOther,
	"INSIGHT_RULE_METRIC": clsOther, "METRIC_COUNT": clsOther, "METRICS": clsOther, "PERIOD": clsOther,
	"REMOVE_EMPTY": clsOther, "SEARCH": clsOther, "SERVICE_QUOTA": clsOther, "SLICE": clsOther, "SORT": clsOther,
	"TIME_SERIES": clsOther, "DB_PERF_INSIGHTS": clsOther,
}

// Refs is what an expression needs from the caller before it can be
// evaluated.
type Refs struct {
	// IDs are the metric and expression ids the expression names, in order of
	// first appearance.
	IDs []string
	// Metrics reports whether METRICS() is used; MetricsFilters are its
	// filter strings ("" for the unfiltered form), in order, without
	// duplicates. METRICS() reads every metric query of the request.
	Metrics        bool
	MetricsFilters []string
	// Searches are the SEARCH calls, in order.
	Searches []*SearchQuery
	// AnomalyBands is the number of ANOMALY_DETECTION_BAND calls.
	AnomalyBands int
	// InsightRules, ServiceQuota and PerfInsights report the use of sources
	// of other services (INSIGHT_RULE_METRIC, SERVICE_QUOTA,
	// DB_PERF_INSIGHTS).
	InsightRules, ServiceQuota, PerfInsights bool
}

// checker assigns a Kind to every node and collects the Refs.
type checker struct {
	src  string
	cfg  *config
	refs Refs
	seen map[string]bool
}

func (c *checker) errf(n *node, format string, args ...any) *Error {
	return errf(c.src, n.pos, format, args...)
}

func (c *checker) check(n *node) *Error {
	switch n.op {
	case nNum:
		n.kind = KindScalar
	case nStr:
		n.kind = KindString
	case nKeyword:
		if _, ok := catalogue[n.text]; ok {
			n.kind = kindKeyword
			return nil
		}
		switch n.text {
		case "REPEAT", "LINEAR", "ASC", "DESC":
			n.kind = kindKeyword
			return nil
		}
		return c.errf(n, "Unrecognized keyword or identifier %q: metric and expression ids start with a lower-case letter.", n.text)
	case nIdent:
		kind := KindSeries
		if c.cfg.ids != nil {
			k, ok := c.cfg.ids[n.text]
			if !ok {
				return c.errf(n, "Unknown metric or expression id %q.", n.text)
			}
			kind = k
		}
		if kind != KindScalar && kind != KindSeries && kind != KindArray {
			return c.errf(n, "The id %q does not name a metric or an expression.", n.text)
		}
		n.kind = kind
		if !c.seen[n.text] {
			c.seen[n.text] = true
			c.refs.IDs = append(c.refs.IDs, n.text)
		}
	case nArray:
		if len(n.args) == 0 {
			return c.errf(n, "An array must contain at least one time series.")
		}
		for _, a := range n.args {
			if err := c.check(a); err != nil {
				return err
			}
			if a.kind != KindSeries && a.kind != KindArray {
				return c.errf(a, "An array can contain only time series and arrays of time series, not %s.", article(a.kind))
			}
		}
		n.kind = KindArray
	case nUnary:
		x := n.args[0]
		if err := c.check(x); err != nil {
			return err
		}
		if !numeric(x.kind) {
			return c.errf(x, "The operator %s cannot be applied to %s.", n.text, article(x.kind))
		}
		n.kind = x.kind
	case nBinary:
		a, b := n.args[0], n.args[1]
		if err := c.check(a); err != nil {
			return err
		}
		if err := c.check(b); err != nil {
			return err
		}
		for _, x := range []*node{a, b} {
			if !numeric(x.kind) {
				return c.errf(x, "The operator %s cannot be applied to %s.", opName(n.text), article(x.kind))
			}
		}
		switch {
		case a.kind == KindArray && b.kind == KindArray:
			return c.errf(n, "The operator %s cannot be applied to two arrays of time series.", opName(n.text))
		case a.kind == KindArray || b.kind == KindArray:
			n.kind = KindArray
		case a.kind == KindSeries || b.kind == KindSeries:
			n.kind = KindSeries
		default:
			n.kind = KindScalar
		}
	case nCall:
		return c.call(n)
	}
	return nil
}

func numeric(k Kind) bool { return k == KindScalar || k == KindSeries || k == KindArray }

func opName(op string) string {
	switch op {
	case "&&":
		return "AND"
	case "||":
		return "OR"
	}
	return op
}

// arity checks the number of arguments.
func (c *checker) arity(n *node, min, max int) *Error {
	if len(n.args) < min || len(n.args) > max {
		want := ""
		switch {
		case min == max && min == 1:
			want = "1 argument"
		case min == max:
			want = itoa(min) + " arguments"
		default:
			want = itoa(min) + " to " + itoa(max) + " arguments"
		}
		return c.errf(n, "The function %s takes %s, but %d were given.", n.text, want, len(n.args))
	}
	return nil
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// want checks that argument i has one of the kinds.
func (c *checker) want(n *node, i int, kinds ...Kind) *Error {
	a := n.args[i]
	for _, k := range kinds {
		if a.kind == k {
			return nil
		}
	}
	names := make([]string, len(kinds))
	for j, k := range kinds {
		names[j] = article(k)
	}
	got := article(a.kind)
	if a.kind == kindKeyword {
		got = "the keyword " + a.text
	}
	return c.errf(a, "Argument %d of %s must be %s, not %s.", i+1, n.text, strings.Join(names, " or "), got)
}

// article returns the kind with its indefinite article.
func article(k Kind) string {
	if k == KindArray {
		return "an " + k.String()
	}
	return "a " + k.String()
}

// keyword checks that argument i is one of the keywords.
func (c *checker) keyword(n *node, i int, words ...string) *Error {
	a := n.args[i]
	if a.op == nKeyword {
		for _, w := range words {
			if a.text == w {
				return nil
			}
		}
	}
	return c.errf(a, "Argument %d of %s must be one of %s.", i+1, n.text, strings.Join(words, ", "))
}

func (c *checker) call(n *node) *Error {
	cls, ok := catalogue[n.text]
	if !ok {
		return c.errf(n, "Unknown function %q.", n.text)
	}
	for _, a := range n.args {
		if err := c.check(a); err != nil {
			return err
		}
	}
	switch cls {
	case clsPerPoint:
		if err := c.arity(n, 1, 1); err != nil {
			return err
		}
		if err := c.want(n, 0, KindSeries, KindArray); err != nil {
			return err
		}
		n.kind = n.args[0].kind
		return nil
	case clsAggregate:
		if err := c.arity(n, 1, 1); err != nil {
			return err
		}
		if err := c.want(n, 0, KindSeries, KindArray); err != nil {
			return err
		}
		n.kind = KindScalar
		if n.args[0].kind == KindArray {
			n.kind = KindSeries
		}
		return nil
	case clsDateTime:
		if err := c.arity(n, 1, 1); err != nil {
			return err
		}
		if err := c.want(n, 0, KindSeries); err != nil {
			return err
		}
		n.kind = KindSeries
		return nil
	}
	switch n.text {
	case "ANOMALY_DETECTION_BAND":
		if err := c.arity(n, 1, 2); err != nil {
			return err
		}
		if err := c.want(n, 0, KindSeries); err != nil {
			return err
		}
		if len(n.args) == 2 {
			if err := c.want(n, 1, KindScalar); err != nil {
				return err
			}
		}
		c.refs.AnomalyBands++
		n.kind = KindArray
	case "FILL":
		if err := c.arity(n, 2, 2); err != nil {
			return err
		}
		if err := c.want(n, 0, KindSeries, KindArray); err != nil {
			return err
		}
		if n.args[1].op == nKeyword {
			if err := c.keyword(n, 1, "REPEAT", "LINEAR"); err != nil {
				return err
			}
		} else if err := c.want(n, 1, KindScalar, KindSeries); err != nil {
			return err
		}
		n.kind = n.args[0].kind
	case "FIRST", "LAST", "METRIC_COUNT", "REMOVE_EMPTY":
		if err := c.arity(n, 1, 1); err != nil {
			return err
		}
		if err := c.want(n, 0, KindArray); err != nil {
			return err
		}
		n.kind = map[string]Kind{"FIRST": KindSeries, "LAST": KindSeries, "METRIC_COUNT": KindScalar, "REMOVE_EMPTY": KindArray}[n.text]
	case "IF":
		if err := c.arity(n, 2, 3); err != nil {
			return err
		}
		if err := c.want(n, 0, KindScalar, KindSeries); err != nil {
			return err
		}
		for i := 1; i < len(n.args); i++ {
			if n.args[0].kind == KindScalar {
				if err := c.want(n, i, KindSeries); err != nil {
					return err
				}
			} else if err := c.want(n, i, KindScalar, KindSeries); err != nil {
				return err
			}
		}
		n.kind = KindSeries
	case "INSIGHT_RULE_METRIC":
		if err := c.arity(n, 2, 2); err != nil {
			return err
		}
		for i := range n.args {
			if err := c.want(n, i, KindString); err != nil {
				return err
			}
		}
		c.refs.InsightRules = true
		n.kind = KindSeries
	case "DB_PERF_INSIGHTS":
		if err := c.arity(n, 3, 3); err != nil {
			return err
		}
		for i := range n.args {
			if err := c.want(n, i, KindString); err != nil {
				return err
			}
		}
		c.refs.PerfInsights = true
		n.kind = KindSeries
	case "SERVICE_QUOTA":
		if err := c.arity(n, 1, 1); err != nil {
			return err
		}
		if err := c.want(n, 0, KindSeries); err != nil {
			return err
		}
		c.refs.ServiceQuota = true
		n.kind = KindSeries
	case "METRICS":
		if err := c.arity(n, 0, 1); err != nil {
			return err
		}
		filter := ""
		if len(n.args) == 1 {
			if err := c.want(n, 0, KindString); err != nil {
				return err
			}
			filter = n.args[0].text
		}
		c.refs.Metrics = true
		dup := false
		for _, f := range c.refs.MetricsFilters {
			dup = dup || f == filter
		}
		if !dup {
			c.refs.MetricsFilters = append(c.refs.MetricsFilters, filter)
		}
		n.kind = KindArray
	case "PERIOD":
		if err := c.arity(n, 1, 1); err != nil {
			return err
		}
		if n.args[0].op != nIdent || n.args[0].kind != KindSeries {
			return c.errf(n.args[0], "PERIOD can be applied only to a metric, not to an expression or a function result.")
		}
		n.kind = KindScalar
	case "SLICE":
		if err := c.arity(n, 2, 3); err != nil {
			return err
		}
		if err := c.want(n, 0, KindArray); err != nil {
			return err
		}
		for i := 1; i < len(n.args); i++ {
			if err := c.want(n, i, KindScalar); err != nil {
				return err
			}
		}
		n.kind = KindArray
	case "SORT":
		if err := c.arity(n, 3, 4); err != nil {
			return err
		}
		if err := c.want(n, 0, KindArray); err != nil {
			return err
		}
		if err := c.keyword(n, 1, "AVG", "MIN", "MAX", "SUM"); err != nil {
			return err
		}
		if err := c.keyword(n, 2, "ASC", "DESC"); err != nil {
			return err
		}
		if len(n.args) == 4 {
			if err := c.want(n, 3, KindScalar); err != nil {
				return err
			}
		}
		n.kind = KindArray
	case "TIME_SERIES":
		if err := c.arity(n, 1, 1); err != nil {
			return err
		}
		if err := c.want(n, 0, KindScalar); err != nil {
			return err
		}
		n.kind = KindSeries
	case "SEARCH":
		if err := c.arity(n, 2, 3); err != nil {
			return err
		}
		if err := c.want(n, 0, KindString); err != nil {
			return err
		}
		if err := c.want(n, 1, KindString); err != nil {
			return err
		}
		q, err := ParseSearch(n.args[0].text)
		if err != nil {
			err.Offset += n.args[0].pos + 1
			err.Source = c.src
			return err
		}
		if !validStat(n.args[1].text) {
			return c.errf(n.args[1], "The statistic %q of SEARCH is not a valid statistic.", n.args[1].text)
		}
		q.Stat = n.args[1].text
		if len(n.args) == 3 {
			p := n.args[2]
			if p.op != nNum || p.num <= 0 || p.num != float64(int64(p.num)) || p.num > 1e9 {
				return c.errf(p, "The period of SEARCH must be a positive whole number of seconds.")
			}
			q.Period = int64(p.num)
		}
		if c.cfg.noSearch {
			return c.errf(n, "SEARCH expressions cannot be used in alarms: an alarm must watch a single time series.")
		}
		n.search = q
		c.refs.Searches = append(c.refs.Searches, q)
		n.kind = KindArray
	}
	return nil
}

// validStat reports whether s is a statistic CloudWatch accepts: the five
// basic ones or an extended statistic (spec §2.4).
func validStat(s string) bool {
	switch s {
	case "SampleCount", "Average", "Sum", "Minimum", "Maximum", "IQM":
		return true
	}
	return statPattern.MatchString(s)
}
