package insights

import "strings"

// check applies the rules that span commands (spec §5.3): at most two
// stats, sort and limit only after the last stats, only limit after
// dedup, aggregations only in stats, no aggregation inside another, bin()
// with a period; and it collects the fields the query reads.
func check(q *Query) error {
	nstats := 0
	for _, c := range q.Commands {
		if _, ok := c.(*StatsCmd); ok {
			nstats++
		}
	}
	q.stats = nstats
	if nstats > MaxStats {
		n := 0
		for i, c := range q.Commands {
			if _, ok := c.(*StatsCmd); ok {
				if n++; n > MaxStats {
					return errAt(q.Text, q.cmdPos[i].start, q.cmdPos[i].end, "a query can contain at most %d stats commands", MaxStats)
				}
			}
		}
	}
	seenStats, dedup := 0, false
	var sortBeforeStats bool
	for i, c := range q.Commands {
		at := q.cmdPos[i]
		if dedup {
			if _, ok := c.(*LimitCmd); !ok {
				return errAt(q.Text, at.start, at.end, "only the limit command can follow the dedup command")
			}
		}
		switch c := c.(type) {
		case *StatsCmd:
			seenStats++
			if sortBeforeStats {
				return errAt(q.Text, at.start, at.end, "sort and limit must come after the last stats command")
			}
			for _, it := range c.Aggs {
				if err := q.walk(it.X, inStats); err != nil {
					return err
				}
			}
			for _, it := range c.By {
				if err := q.walk(it.X, inBy); err != nil {
					return err
				}
			}
		case *SortCmd:
			if seenStats < nstats {
				sortBeforeStats = true
			}
			for _, k := range c.Keys {
				if err := q.walk(k.X, 0); err != nil {
					return err
				}
			}
		case *LimitCmd:
			if seenStats < nstats {
				sortBeforeStats = true
			}
		case *DedupCmd:
			dedup = true
			for _, x := range c.Fields {
				if err := q.walk(x, 0); err != nil {
					return err
				}
			}
		case *FieldsCmd:
			for _, it := range c.Items {
				if err := q.walk(it.X, 0); err != nil {
					return err
				}
			}
		case *DisplayCmd:
			for _, it := range c.Items {
				if err := q.walk(it.X, 0); err != nil {
					return err
				}
			}
		case *FilterCmd:
			if err := q.walk(c.Cond, 0); err != nil {
				return err
			}
		case *FilterIndexCmd:
			if err := q.walk(c.Cond, 0); err != nil {
				return err
			}
		case *ParseCmd:
			if err := q.walk(c.Src, 0); err != nil {
				return err
			}
		case *PatternCmd:
			if err := q.walk(c.X, 0); err != nil {
				return err
			}
		case *UnnestCmd:
			if err := q.walk(c.X, 0); err != nil {
				return err
			}
		}
	}
	if len(q.Commands) == 0 || needsDefaultColumns(q) {
		q.refs["@timestamp"], q.refs["@message"] = true, true
	}
	return nil
}

func needsDefaultColumns(q *Query) bool {
	for _, c := range q.Commands {
		switch c.(type) {
		case *FieldsCmd, *DisplayCmd, *StatsCmd, *PatternCmd:
			return false
		}
	}
	return true
}

const (
	inStats = 1 << iota
	inBy
	inAgg
)

func (q *Query) walk(x Expr, where int) error {
	switch x := x.(type) {
	case *Field:
		q.refs[x.Name] = true
		for i := strings.IndexByte(x.Name, '.'); i > 0; {
			q.refs[x.Name[:i]] = true
			j := strings.IndexByte(x.Name[i+1:], '.')
			if j < 0 {
				break
			}
			i += j + 1
		}
	case *Unary:
		return q.walk(x.X, where)
	case *Binary:
		if err := q.walk(x.L, where); err != nil {
			return err
		}
		return q.walk(x.R, where)
	case *Like:
		if err := q.walk(x.X, where); err != nil {
			return err
		}
		return q.walk(x.Pat, where)
	case *In:
		if err := q.walk(x.X, where); err != nil {
			return err
		}
		for _, e := range x.List {
			if err := q.walk(e, where); err != nil {
				return err
			}
		}
	case *List:
		for _, e := range x.Items {
			if err := q.walk(e, where); err != nil {
				return err
			}
		}
	case *Index:
		if err := q.walk(x.X, where); err != nil {
			return err
		}
		return q.walk(x.I, where)
	case *Period:
		return errAt(q.Text, x.start, x.end, "a time period is only valid as an argument of bin, datefloor or dateceil")
	case *Call:
		spec := funcs[x.Name]
		if spec.agg {
			if where&inStats == 0 {
				return errAt(q.Text, x.start, x.end, "the aggregation function %s can only be used in stats", x.Name)
			}
			if where&inAgg != 0 {
				return errAt(q.Text, x.start, x.end, "aggregation functions cannot be nested")
			}
			where |= inAgg
		}
		switch x.Name {
		case "bin":
			if _, ok := x.Args[0].(*Period); !ok {
				s, e := x.Args[0].span()
				return errAt(q.Text, s, e, "bin expects a time period such as 5m")
			}
			q.refs["@timestamp"] = true
			return nil
		case "datefloor", "dateceil":
			if _, ok := x.Args[1].(*Period); !ok {
				s, e := x.Args[1].span()
				return errAt(q.Text, s, e, "%s expects a time period such as 5m", x.Name)
			}
			return q.walk(x.Args[0], where)
		case "earliest", "latest":
			q.refs["@timestamp"] = true
		case "messagesize":
			if len(x.Args) == 0 {
				q.refs["@message"] = true
			}
		case "case":
			if len(x.Args) > 2*MaxCaseArgs+1 {
				return errAt(q.Text, x.start, x.end, "case accepts at most %d conditions", MaxCaseArgs)
			}
		}
		for _, a := range x.Args {
			if err := q.walk(a, where); err != nil {
				return err
			}
		}
	}
	return nil
}
