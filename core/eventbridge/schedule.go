package eventbridge

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// errSchedule is the one error of an invalid schedule expression; AWS gives the
// same message for every fault.
var errSchedule = errors.New("Parameter ScheduleExpression is not valid.")

// Schedule is a parsed schedule expression: rate(...) or cron(...).
type Schedule struct {
	// Rate is the period of a rate expression (zero for cron).
	Rate time.Duration
	cron *cronExpr
}

// maxScheduleSearch bounds the search for the next cron instant: a cron
// expression that matches nothing within it (31 FEB, a past year) never fires.
const maxScheduleYear = 2199

// ParseSchedule checks a schedule expression with AWS's rules (spec 1.10) and
// returns it, or the error "Parameter ScheduleExpression is not valid.".
func ParseSchedule(s string) (*Schedule, error) {
	switch {
	case strings.HasPrefix(s, "rate(") && strings.HasSuffix(s, ")"):
		d, err := parseRate(s[len("rate(") : len(s)-1])
		if err != nil {
			return nil, err
		}
		return &Schedule{Rate: d}, nil
	case strings.HasPrefix(s, "cron(") && strings.HasSuffix(s, ")"):
		c, err := parseCron(s[len("cron(") : len(s)-1])
		if err != nil {
			return nil, err
		}
		return &Schedule{cron: c}, nil
	}
	return nil, errSchedule
}

func parseRate(body string) (time.Duration, error) {
	num, unit, ok := strings.Cut(body, " ")
	if !ok || num == "" || len(num) > 9 {
		return 0, errSchedule
	}
	for _, c := range num {
		if c < '0' || c > '9' {
			return 0, errSchedule
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return 0, errSchedule
	}
	var per time.Duration
	switch unit {
	case "minute", "minutes":
		per = time.Minute
	case "hour", "hours":
		per = time.Hour
	case "day", "days":
		per = 24 * time.Hour
	default:
		return 0, errSchedule
	}
	if (n == 1) != !strings.HasSuffix(unit, "s") {
		return 0, errSchedule
	}
	// A period beyond a century would overflow nothing but is useless; AWS's
	// limit is unpublished, so only overflow is refused.
	if time.Duration(n) > (1<<62)/per {
		return 0, errSchedule
	}
	return time.Duration(n) * per, nil
}

// cronExpr is cron(m h dom mon dow yr) as sets of allowed values, with the
// special day forms.
type cronExpr struct {
	minutes, hours, months [64]bool
	years                  map[int]bool // nil: every year
	yearLo, yearHi         int
	// day of month: dom set, or last day (L), or nearest weekday (nW), or
	// any (?).
	domAny  bool
	dom     [32]bool
	domLast bool
	domW    int
	// day of week (1 = SUN): set, last weekday of month (nL), nth (n#k), any (?).
	dowAny  bool
	dow     [8]bool
	dowLast int
	dowNth  [2]int
}

var monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
var dayNames = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

func parseCron(body string) (*cronExpr, error) {
	fields := strings.Split(body, " ")
	if len(fields) != 6 {
		return nil, errSchedule
	}
	for _, f := range fields {
		if f == "" {
			return nil, errSchedule
		}
	}
	c := &cronExpr{}
	if err := parseField(fields[0], 0, 59, nil, c.minutes[:]); err != nil {
		return nil, err
	}
	if err := parseField(fields[1], 0, 23, nil, c.hours[:]); err != nil {
		return nil, err
	}
	if err := parseField(fields[3], 1, 12, monthNames, c.months[:]); err != nil {
		return nil, err
	}
	domQ, dowQ := fields[2] == "?", fields[4] == "?"
	if domQ == dowQ {
		// Exactly one of day-of-month and day-of-week must be "?".
		return nil, errSchedule
	}
	if domQ {
		c.domAny = true
		if err := c.parseDow(fields[4]); err != nil {
			return nil, err
		}
	} else {
		c.dowAny = true
		if err := c.parseDom(fields[2]); err != nil {
			return nil, err
		}
	}
	if fields[5] == "*" {
		c.yearLo, c.yearHi = 1970, maxScheduleYear
	} else {
		years := make([]bool, maxScheduleYear+1)
		if err := parseField(fields[5], 1970, maxScheduleYear, nil, years); err != nil {
			return nil, err
		}
		c.years = map[int]bool{}
		c.yearLo, c.yearHi = maxScheduleYear+1, 0
		for y := 1970; y <= maxScheduleYear; y++ {
			if years[y] {
				c.years[y] = true
				c.yearLo, c.yearHi = min(c.yearLo, y), max(c.yearHi, y)
			}
		}
	}
	return c, nil
}

func (c *cronExpr) parseDom(f string) error {
	switch {
	case f == "L":
		c.domLast = true
		return nil
	case strings.HasSuffix(f, "W"):
		n, ok := number(f[:len(f)-1], nil, 1)
		if !ok || n < 1 || n > 31 {
			return errSchedule
		}
		c.domW = n
		return nil
	}
	return parseField(f, 1, 31, nil, c.dom[:])
}

func (c *cronExpr) parseDow(f string) error {
	switch {
	case strings.Contains(f, "#"):
		a, b, _ := strings.Cut(f, "#")
		d, ok := number(a, dayNames, 1)
		k, ok2 := number(b, nil, 1)
		if !ok || !ok2 || d < 1 || d > 7 || k < 1 || k > 5 {
			return errSchedule
		}
		c.dowNth = [2]int{d, k}
		return nil
	case f == "L":
		c.dowLast = 7
		return nil
	case strings.HasSuffix(f, "L"):
		d, ok := number(f[:len(f)-1], dayNames, 1)
		if !ok || d < 1 || d > 7 {
			return errSchedule
		}
		c.dowLast = d
		return nil
	}
	return parseField(f, 1, 7, dayNames, c.dow[:])
}

// number reads a decimal number or a name (names[i] is base+i).
func number(s string, names []string, base int) (int, bool) {
	if s == "" {
		return 0, false
	}
	for i, n := range names {
		if s == n {
			return base + i, true
		}
	}
	if len(s) > 4 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// parseField reads a comma list of *, n, a-b, */k, n/k, a-b/k into set.
func parseField(f string, lo, hi int, names []string, set []bool) error {
	for _, part := range strings.Split(f, ",") {
		if part == "" {
			return errSchedule
		}
		rng, stepText, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			s, ok := number(stepText, nil, 0)
			if !ok || s < 1 || s > hi-lo+1 {
				return errSchedule
			}
			step = s
		}
		var a, b int
		switch {
		case rng == "*":
			a, b = lo, hi
		case strings.Contains(rng, "-"):
			x, y, _ := strings.Cut(rng, "-")
			var ok1, ok2 bool
			a, ok1 = number(x, names, lo)
			b, ok2 = number(y, names, lo)
			if !ok1 || !ok2 {
				return errSchedule
			}
		default:
			var ok bool
			a, ok = number(rng, names, lo)
			if !ok {
				return errSchedule
			}
			b = a
			if hasStep {
				b = hi
			}
		}
		if a < lo || a > hi || b < lo || b > hi {
			return errSchedule
		}
		if a <= b {
			for v := a; v <= b; v += step {
				set[v] = true
			}
		} else {
			// A wrapping range (FRI-MON, 22-2) runs through the end.
			n := hi - lo + 1
			for i := 0; i <= (b-a+n)%n; i += step {
				set[lo+(a-lo+i)%n] = true
			}
		}
	}
	return nil
}

// Next returns the first instant strictly after t at which the schedule
// fires, for a rate schedule counted from anchor. ok is false when a cron
// expression never fires again.
func (s *Schedule) Next(anchor, t time.Time) (next time.Time, ok bool) {
	if s.Rate > 0 {
		if t.Before(anchor) {
			return anchor.Add(s.Rate), true
		}
		k := t.Sub(anchor)/s.Rate + 1
		return anchor.Add(k * s.Rate), true
	}
	return s.cron.next(t)
}

func (c *cronExpr) next(t time.Time) (time.Time, bool) {
	t = t.UTC().Truncate(time.Minute).Add(time.Minute)
	for y := max(t.Year(), c.yearLo); y <= c.yearHi; y++ {
		if c.years != nil && !c.years[y] {
			continue
		}
		for m := 1; m <= 12; m++ {
			if !c.months[m] {
				continue
			}
			first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			if first.AddDate(0, 1, 0).Before(t) || first.AddDate(0, 1, 0).Equal(t) {
				continue
			}
			last := first.AddDate(0, 1, -1).Day()
			for d := 1; d <= last; d++ {
				day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
				if day.Add(24*time.Hour).Before(t) || day.Add(24*time.Hour).Equal(t) {
					continue
				}
				if !c.dayMatches(day, last) {
					continue
				}
				for h := 0; h < 24; h++ {
					if !c.hours[h] {
						continue
					}
					for mi := 0; mi < 60; mi++ {
						if !c.minutes[mi] {
							continue
						}
						at := day.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute)
						if !at.Before(t) {
							return at, true
						}
					}
				}
			}
		}
	}
	return time.Time{}, false
}

func (c *cronExpr) dayMatches(day time.Time, last int) bool {
	d := day.Day()
	wd := int(day.Weekday()) + 1 // 1 = SUN
	if c.dowAny {
		switch {
		case c.domLast:
			return d == last
		case c.domW > 0:
			return d == nearestWeekday(day.Year(), day.Month(), c.domW, last)
		}
		return c.dom[d]
	}
	switch {
	case c.dowLast > 0:
		return wd == c.dowLast && d+7 > last
	case c.dowNth[0] > 0:
		return wd == c.dowNth[0] && (d-1)/7+1 == c.dowNth[1]
	}
	return c.dow[wd]
}

// nearestWeekday is the weekday nearest to day n of the month, not leaving
// the month (Quartz's W).
func nearestWeekday(y int, m time.Month, n, last int) int {
	if n > last {
		n = last
	}
	t := time.Date(y, m, n, 0, 0, 0, 0, time.UTC)
	switch t.Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}
