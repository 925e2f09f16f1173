package insights

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// fnSpec is a function of the language: its arity (max -1: any) and its
// implementation. Aggregations (agg) are evaluated by stats, not here.
type fnSpec struct {
	min, max int
	agg      bool
	fn       func(c *ctx, call *Call, a []Value) Value
}

// funcs is the function catalogue of spec §5.4 (a fixed table).
var funcs = buildFuncs()

func num1(f func(float64) float64) func(*ctx, *Call, []Value) Value {
	return func(_ *ctx, _ *Call, a []Value) Value {
		x, ok := a[0].Num()
		if !ok {
			return Value{}
		}
		r := f(x)
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return Value{}
		}
		return NumV(r)
	}
}

func str1(f func(string) Value) func(*ctx, *Call, []Value) Value {
	return func(_ *ctx, _ *Call, a []Value) Value {
		if a[0].K == Null || a[0].K >= ListKind {
			return Value{}
		}
		return f(a[0].String())
	}
}

func ip1(f func(netip.Addr) bool) func(*ctx, *Call, []Value) Value {
	return func(_ *ctx, _ *Call, a []Value) Value {
		if a[0].K == Null {
			return Value{}
		}
		ip, err := netip.ParseAddr(a[0].String())
		if err != nil {
			return BoolV(false)
		}
		return BoolV(f(ip))
	}
}

var aggNames = []string{"count", "count_distinct", "sum", "avg", "min", "max", "pct", "stddev", "earliest", "latest", "sortsfirst", "sortslast"}

func buildFuncs() map[string]fnSpec {
	m := map[string]fnSpec{
		// numeric
		"abs":   {1, 1, false, num1(math.Abs)},
		"ceil":  {1, 1, false, num1(math.Ceil)},
		"floor": {1, 1, false, num1(math.Floor)},
		"log":   {1, 1, false, num1(math.Log)},
		"sqrt":  {1, 1, false, num1(math.Sqrt)},
		"greatest": {1, -1, false, func(_ *ctx, _ *Call, a []Value) Value {
			return extreme(a, 1)
		}},
		"least": {1, -1, false, func(_ *ctx, _ *Call, a []Value) Value {
			return extreme(a, -1)
		}},
		"round": {1, 2, false, func(_ *ctx, _ *Call, a []Value) Value {
			x, ok := a[0].Num()
			if !ok {
				return Value{}
			}
			d := 0.0
			if len(a) > 1 {
				if d, ok = a[1].Num(); !ok {
					return Value{}
				}
			}
			p := math.Pow(10, math.Trunc(d))
			if p == 0 {
				// Rounded to a power of ten beyond any double.
				return NumV(0)
			}
			if math.IsInf(p, 0) || math.IsInf(x*p, 0) {
				// More decimals than a double holds: the value as it is.
				return NumV(x)
			}
			r := math.Round(x*p) / p
			if math.IsNaN(r) || math.IsInf(r, 0) {
				return Value{}
			}
			return NumV(r)
		}},
		"haversine": {4, 4, false, func(_ *ctx, _ *Call, a []Value) Value {
			var v [4]float64
			for i := range v {
				x, ok := a[i].Num()
				if !ok {
					return Value{}
				}
				v[i] = x * math.Pi / 180
			}
			dlat, dlon := v[2]-v[0], v[3]-v[1]
			h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(v[0])*math.Cos(v[2])*math.Sin(dlon/2)*math.Sin(dlon/2)
			return NumV(2 * 6371 * math.Asin(math.Sqrt(h)))
		}},
		"tonumber": {1, 1, false, num1(func(x float64) float64 { return x })},
		"todouble": {1, 1, false, num1(func(x float64) float64 { return x })},
		"toint": {1, 1, false, num1(func(x float64) float64 {
			if x > math.MaxInt32 || x < math.MinInt32 {
				return math.NaN()
			}
			return math.Trunc(x)
		})},
		"tolong": {1, 1, false, num1(func(x float64) float64 {
			if x > math.MaxInt64 || x < math.MinInt64 {
				return math.NaN()
			}
			return math.Trunc(x)
		})},

		// general
		"ispresent": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value { return BoolV(a[0].K != Null) }},
		"coalesce": {1, -1, false, func(_ *ctx, _ *Call, a []Value) Value {
			for _, v := range a {
				if v.K != Null {
					return v
				}
			}
			return Value{}
		}},
		"case": {2, 2*MaxCaseArgs + 1, false, nil}, // lazy: see ctx.call
		"if":   {3, 3, false, nil},                 // lazy
		"isnumeric": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			_, ok := a[0].Num()
			return BoolV(ok && a[0].K != Null)
		}},
		"messagesize": {0, 1, false, func(c *ctx, _ *Call, a []Value) Value {
			if len(a) == 0 {
				if c.r.ev == nil {
					return Value{}
				}
				return NumV(float64(len(c.r.ev.Message)))
			}
			if a[0].K == Null {
				return Value{}
			}
			return NumV(float64(len(a[0].String())))
		}},
		"querystarttime": {0, 0, false, func(c *ctx, _ *Call, _ []Value) Value { return NumV(float64(c.o.Start)) }},
		"queryendtime":   {0, 0, false, func(c *ctx, _ *Call, _ []Value) Value { return NumV(float64(c.o.End)) }},
		"querytimerange": {0, 0, false, func(c *ctx, _ *Call, _ []Value) Value { return NumV(float64(c.o.End - c.o.Start)) }},

		// string
		"isempty": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			return BoolV(a[0].K == Null || (a[0].K == Str && a[0].S == ""))
		}},
		"isblank": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			return BoolV(a[0].K == Null || (a[0].K == Str && strings.TrimSpace(a[0].S) == ""))
		}},
		"concat": {1, -1, false, func(_ *ctx, _ *Call, a []Value) Value {
			var b strings.Builder
			for _, v := range a {
				if v.K < ListKind {
					b.WriteString(v.String())
				}
			}
			return StrV(b.String())
		}},
		"ltrim": {1, 2, false, trimFn(strings.TrimLeftFunc, strings.TrimLeft)},
		"rtrim": {1, 2, false, trimFn(strings.TrimRightFunc, strings.TrimRight)},
		"trim": {1, 2, false, trimFn(strings.TrimFunc, func(s, c string) string {
			return strings.Trim(s, c)
		})},
		"strlen":  {1, 1, false, str1(func(s string) Value { return NumV(float64(utf8.RuneCountInString(s))) })},
		"toupper": {1, 1, false, str1(func(s string) Value { return StrV(strings.ToUpper(s)) })},
		"tolower": {1, 1, false, str1(func(s string) Value { return StrV(strings.ToLower(s)) })},
		"substr": {2, 3, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K == Null || a[0].K >= ListKind {
				return Value{}
			}
			r := []rune(a[0].String())
			st, ok := a[1].Num()
			if !ok {
				return Value{}
			}
			s := clampInt(st, 0, len(r))
			e := len(r)
			if len(a) == 3 {
				n, ok := a[2].Num()
				if !ok {
					return Value{}
				}
				e = clampInt(float64(s)+n, s, len(r))
			}
			return StrV(string(r[s:e]))
		}},
		"replace": {3, 3, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K == Null || a[0].K >= ListKind {
				return Value{}
			}
			if a[1].String() == "" {
				return a[0]
			}
			return StrV(strings.ReplaceAll(a[0].String(), a[1].String(), a[2].String()))
		}},
		"regexreplace": {3, 3, false, func(c *ctx, call *Call, a []Value) Value {
			if a[0].K == Null || a[0].K >= ListKind {
				return Value{}
			}
			var re *regexp.Regexp
			if rl, ok := call.Args[1].(*RegexLit); ok {
				re = rl.Re
			} else {
				var err error
				if re, err = c.regex(a[1].String()); err != nil {
					return Value{}
				}
			}
			return StrV(re.ReplaceAllString(a[0].String(), a[2].String()))
		}},
		"strcontains": {2, 3, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K == Null || a[1].K == Null {
				return Value{}
			}
			s, t := a[0].String(), a[1].String()
			if len(a) == 3 && a[2].Truth() {
				s, t = strings.ToLower(s), strings.ToLower(t)
			}
			return BoolV(strings.Contains(s, t))
		}},
		"startswith": {2, 2, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K == Null || a[1].K == Null {
				return Value{}
			}
			return BoolV(strings.HasPrefix(a[0].String(), a[1].String()))
		}},
		"endswith": {2, 2, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K == Null || a[1].K == Null {
				return Value{}
			}
			return BoolV(strings.HasSuffix(a[0].String(), a[1].String()))
		}},
		"urlencode": {1, 1, false, str1(func(s string) Value { return StrV(url.QueryEscape(s)) })},
		"urldecode": {1, 1, false, str1(func(s string) Value {
			d, err := url.QueryUnescape(s)
			if err != nil {
				return Value{}
			}
			return StrV(d)
		})},
		"base64encode": {1, 1, false, str1(func(s string) Value { return StrV(base64.StdEncoding.EncodeToString([]byte(s))) })},
		"base64decode": {1, 1, false, str1(func(s string) Value {
			d, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return Value{}
			}
			return StrV(string(d))
		})},
		"split": {2, 2, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K == Null || a[0].K >= ListKind || a[1].K == Null {
				return Value{}
			}
			parts := strings.Split(a[0].String(), a[1].String())
			l := make([]Value, len(parts))
			for i, p := range parts {
				l[i] = StrV(p)
			}
			return Value{K: ListKind, L: l}
		}},
		"hextoascii": {1, 1, false, str1(func(s string) Value {
			d, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"))
			if err != nil {
				return Value{}
			}
			return StrV(string(d))
		})},
		"hextodec": {1, 1, false, str1(func(s string) Value {
			neg := strings.HasPrefix(s, "-")
			s = strings.TrimPrefix(s, "-")
			s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
			n, err := strconv.ParseUint(s, 16, 64)
			if err != nil {
				return Value{}
			}
			if neg {
				return NumV(-float64(n))
			}
			return NumV(float64(n))
		})},
		"dectohex": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			x, ok := a[0].Num()
			if !ok || math.Abs(x) > 1<<62 {
				return Value{}
			}
			n := int64(math.Trunc(x))
			if n < 0 {
				return StrV("-0x" + strconv.FormatInt(-n, 16))
			}
			return StrV("0x" + strconv.FormatInt(n, 16))
		}},

		// datetime
		"bin": {1, 1, false, func(c *ctx, call *Call, _ []Value) Value {
			p, ok := call.Args[0].(*Period)
			if !ok {
				return Value{}
			}
			ts, ok := c.r.get("@timestamp", c.q.refs).Num()
			if !ok {
				return Value{}
			}
			return TimeV(floorTime(int64(ts), p))
		}},
		"datefloor": {2, 2, false, func(_ *ctx, call *Call, a []Value) Value {
			p, ok := call.Args[1].(*Period)
			ts, ok2 := toTime(a[0])
			if !ok || !ok2 {
				return Value{}
			}
			return TimeV(floorTime(ts, p))
		}},
		"dateceil": {2, 2, false, func(_ *ctx, call *Call, a []Value) Value {
			p, ok := call.Args[1].(*Period)
			ts, ok2 := toTime(a[0])
			if !ok || !ok2 {
				return Value{}
			}
			f := floorTime(ts, p)
			if f == ts {
				return TimeV(ts)
			}
			return TimeV(addPeriod(f, p))
		}},
		"frommillis": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			x, ok := a[0].Num()
			if !ok {
				return Value{}
			}
			return TimeV(int64(x))
		}},
		"tomillis": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			ts, ok := toTime(a[0])
			if !ok {
				return Value{}
			}
			return NumV(float64(ts))
		}},
		"now": {0, 0, false, func(c *ctx, _ *Call, _ []Value) Value { return NumV(float64(c.o.Now / 1000)) }},
		"parsedate": {2, 3, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K == Null || a[1].K == Null {
				return Value{}
			}
			loc := time.UTC
			if len(a) == 3 {
				if l, ok := zone(a[2].String()); ok {
					loc = l
				} else {
					return Value{}
				}
			}
			t, err := time.ParseInLocation(javaLayout(a[1].String()), a[0].String(), loc)
			if err != nil {
				return Value{}
			}
			return NumV(float64(t.UnixMilli()))
		}},
		"formatdate": {2, 3, false, formatDate},
		"strftime":   {2, 3, false, formatDate},

		// IP addresses
		"isvalidip":   {1, 1, false, ip1(func(netip.Addr) bool { return true })},
		"isvalidipv4": {1, 1, false, ip1(func(a netip.Addr) bool { return a.Is4() })},
		"isvalidipv6": {1, 1, false, ip1(func(a netip.Addr) bool { return a.Is6() && !a.Is4In6() })},
		"isipinsubnet": {2, 2, false, func(_ *ctx, _ *Call, a []Value) Value {
			return inSubnet(a, func(netip.Addr) bool { return true })
		}},
		"isipv4insubnet": {2, 2, false, func(_ *ctx, _ *Call, a []Value) Value {
			return inSubnet(a, func(x netip.Addr) bool { return x.Is4() })
		}},
		"isipv6insubnet": {2, 2, false, func(_ *ctx, _ *Call, a []Value) Value {
			return inSubnet(a, func(x netip.Addr) bool { return x.Is6() })
		}},
		"ipv4tonumber": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			ip, err := netip.ParseAddr(a[0].String())
			if a[0].K == Null || err != nil || !ip.Is4() {
				return Value{}
			}
			b := ip.As4()
			return NumV(float64(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])))
		}},
		"isprivateip":  {1, 1, false, ip1(isPrivate)},
		"isreservedip": {1, 1, false, ip1(isReserved)},
		"ispublicip": {1, 1, false, ip1(func(a netip.Addr) bool {
			return !isPrivate(a) && !isReserved(a)
		})},

		// JSON and structures
		"jsonparse": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K != Str {
				return Value{}
			}
			var x any
			d := json.NewDecoder(strings.NewReader(a[0].S))
			d.UseNumber()
			if err := d.Decode(&x); err != nil {
				return Value{K: MapKind, M: map[string]Value{}}
			}
			v := fromJSON(x, 0)
			if v.K != MapKind && v.K != ListKind {
				return Value{K: MapKind, M: map[string]Value{}}
			}
			return v
		}},
		"jsonstringify": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K == Null {
				return Value{}
			}
			return StrV(jsonStringify(a[0]))
		}},
		"jsonarraysize": {1, 1, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K != ListKind {
				return Value{}
			}
			return NumV(float64(len(a[0].L)))
		}},
		"jsonarraycontains": {2, 2, false, func(_ *ctx, _ *Call, a []Value) Value {
			if a[0].K != ListKind {
				return BoolV(false)
			}
			for _, x := range a[0].L {
				if x.K == a[1].K && x.String() == a[1].String() || (x.K < ListKind && a[1].K < ListKind && x.String() == a[1].String()) {
					return BoolV(true)
				}
			}
			return BoolV(false)
		}},
	}
	for _, n := range aggNames {
		s := fnSpec{1, 1, true, nil}
		switch n {
		case "count":
			s.min = 0
		case "pct":
			s.min, s.max = 2, 2
		}
		m[n] = s
	}
	return m
}

func clampInt(f float64, lo, hi int) int {
	switch {
	case f < float64(lo):
		return lo
	case f > float64(hi):
		return hi
	}
	return int(f)
}

func extreme(a []Value, sign int) Value {
	var best Value
	for _, v := range a {
		if _, ok := v.Num(); !ok {
			continue
		}
		if best.K == Null {
			best = v
			continue
		}
		c, _ := order(v, best)
		if c*sign > 0 {
			best = v
		}
	}
	return best
}

func trimFn(ws func(string, func(rune) bool) string, chars func(string, string) string) func(*ctx, *Call, []Value) Value {
	return func(_ *ctx, _ *Call, a []Value) Value {
		if a[0].K == Null || a[0].K >= ListKind {
			return Value{}
		}
		if len(a) == 2 && a[1].K != Null {
			return StrV(chars(a[0].String(), a[1].String()))
		}
		return StrV(ws(a[0].String(), unicode.IsSpace))
	}
}

func inSubnet(a []Value, fam func(netip.Addr) bool) Value {
	if a[0].K == Null || a[1].K == Null {
		return Value{}
	}
	ip, err := netip.ParseAddr(a[0].String())
	if err != nil || !fam(ip) {
		return BoolV(false)
	}
	p, err := netip.ParsePrefix(a[1].String())
	if err != nil {
		return BoolV(false)
	}
	return BoolV(p.Contains(ip))
}

var privateNets = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

var reservedNets = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("192.88.99.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/128"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
	netip.MustParsePrefix("2001:db8::/32"),
}

func isPrivate(a netip.Addr) bool { return inNets(a, privateNets) }

func isReserved(a netip.Addr) bool { return inNets(a, reservedNets) }

// inNets reports whether a (an IPv4 address mapped into IPv6 as itself) is
// in one of nets.
func inNets(a netip.Addr, nets []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range nets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func fromJSON(x any, depth int) Value {
	if depth > maxJSONDepth {
		return Value{}
	}
	switch v := x.(type) {
	case string:
		return StrV(v)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return StrV(v.String())
		}
		return NumV(f)
	case bool:
		return StrV(strconv.FormatBool(v))
	case []any:
		l := make([]Value, len(v))
		for i, e := range v {
			l[i] = fromJSON(e, depth+1)
		}
		return Value{K: ListKind, L: l}
	case map[string]any:
		m := make(map[string]Value, len(v))
		for k, e := range v {
			m[k] = fromJSON(e, depth+1)
		}
		return Value{K: MapKind, M: m}
	}
	return Value{}
}

// toTime reads a timestamp: a timestamp value, epoch milliseconds, or an
// ISO 8601 string.
func toTime(v Value) (int64, bool) {
	switch v.K {
	case Time, Num:
		return int64(v.N), true
	case Str:
		if n, ok := parseNum(v.S); ok {
			return int64(n), true
		}
		return parseISO(v.S)
	}
	return 0, false
}

// floorTime floors epoch ms to a period: fixed periods from the epoch,
// months, quarters and years by the UTC calendar.
func floorTime(ms int64, p *Period) int64 {
	if p.D > 0 {
		d := p.D.Milliseconds()
		f := ms - ms%d
		if ms < 0 && ms%d != 0 {
			f -= d
		}
		return f
	}
	t := time.UnixMilli(ms).UTC()
	n := int(p.N)
	switch p.Unit {
	case "mo":
		m := (int(t.Month()) - 1) / n * n
		return time.Date(t.Year(), time.Month(m+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	case "q":
		m := (int(t.Month()) - 1) / (3 * n) * (3 * n)
		return time.Date(t.Year(), time.Month(m+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	}
	y := t.Year() / n * n
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
}

func addPeriod(ms int64, p *Period) int64 {
	if p.D > 0 {
		return ms + p.D.Milliseconds()
	}
	t := time.UnixMilli(ms).UTC()
	n := int(p.N)
	switch p.Unit {
	case "mo":
		return t.AddDate(0, n, 0).UnixMilli()
	case "q":
		return t.AddDate(0, 3*n, 0).UnixMilli()
	}
	return t.AddDate(n, 0, 0).UnixMilli()
}

func zone(s string) (*time.Location, bool) {
	if s == "UTC" || s == "Z" || s == "GMT" {
		return time.UTC, true
	}
	// Offsets such as +05:30 or -0800 (no time zone database is loaded in
	// the browser).
	t, err := time.Parse("-07:00", s)
	if err != nil {
		t, err = time.Parse("-0700", s)
	}
	if err != nil {
		t, err = time.Parse("-07", s)
	}
	if err != nil {
		return nil, false
	}
	_, off := t.Zone()
	return time.FixedZone(s, off), true
}

// javaLayout converts a java.time pattern (yyyy-MM-dd'T'HH:mm:ss.SSSZ) to a
// Go layout.
func javaLayout(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); {
		c := p[i]
		j := i
		for j < len(p) && p[j] == c {
			j++
		}
		n := j - i
		if c == '\'' {
			e := strings.IndexByte(p[i+1:], '\'')
			if e < 0 {
				b.WriteString(p[i+1:])
				return b.String()
			}
			b.WriteString(p[i+1 : i+1+e])
			i += e + 2
			continue
		}
		switch c {
		case 'y', 'u':
			if n == 2 {
				b.WriteString("06")
			} else {
				b.WriteString("2006")
			}
		case 'M':
			switch {
			case n >= 4:
				b.WriteString("January")
			case n == 3:
				b.WriteString("Jan")
			case n == 2:
				b.WriteString("01")
			default:
				b.WriteString("1")
			}
		case 'd':
			b.WriteString(map[bool]string{true: "02", false: "2"}[n >= 2])
		case 'H':
			b.WriteString("15")
		case 'h':
			b.WriteString(map[bool]string{true: "03", false: "3"}[n >= 2])
		case 'm':
			b.WriteString(map[bool]string{true: "04", false: "4"}[n >= 2])
		case 's':
			b.WriteString(map[bool]string{true: "05", false: "5"}[n >= 2])
		case 'S':
			b.WriteString(strings.Repeat("0", n))
		case 'a':
			b.WriteString("PM")
		case 'E':
			b.WriteString(map[bool]string{true: "Monday", false: "Mon"}[n >= 4])
		case 'Z':
			b.WriteString("-0700")
		case 'X', 'x':
			b.WriteString("Z07:00")
		case 'z':
			b.WriteString("MST")
		default:
			b.WriteString(p[i:j])
		}
		i = j
	}
	return b.String()
}

// strftimeLayouts are the Go layouts of the strftime directives that map
// to one.
var strftimeLayouts = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2",
	'H': "15", 'I': "03", 'M': "04", 'S': "05", 'p': "PM",
	'a': "Mon", 'A': "Monday", 'b': "Jan", 'h': "Jan", 'B': "January",
	'z': "-0700", 'Z': "MST", 'F': "2006-01-02", 'T': "15:04:05",
}

// formatDate formats a timestamp with strftime directives.
func formatDate(_ *ctx, _ *Call, a []Value) Value {
	ts, ok := toTime(a[0])
	if !ok || a[1].K == Null {
		return Value{}
	}
	loc := time.UTC
	if len(a) == 3 {
		if loc, ok = zone(a[2].String()); !ok {
			return Value{}
		}
	}
	t := time.UnixMilli(ts).In(loc)
	f := a[1].String()
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		if layout, ok := strftimeLayouts[f[i]]; ok {
			b.WriteString(t.Format(layout))
			continue
		}
		switch f[i] {
		case 'L', 'f':
			b.WriteString(t.Format(".000")[1:])
		case 'j':
			b.WriteString(strconv.Itoa(t.YearDay()))
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return StrV(b.String())
}

// isoRe reads ISO 8601 date-times leniently: the seconds may have up to
// three digits, as in the documentation's toMillis example
// (2022-01-14T13:18:031.000-08:00 is 1642195111000).
var isoRe = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,3}))?(\.\d{1,9})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$`)

func parseISO(s string) (int64, bool) {
	m := isoRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	n := func(i int) int {
		x, _ := strconv.Atoi(m[i])
		return x
	}
	ms := 0
	if m[7] != "" {
		f, _ := strconv.ParseFloat("0"+m[7], 64)
		ms = int(math.Round(f * 1000))
	}
	loc := time.UTC
	if z := m[8]; z != "" && z != "Z" {
		l, ok := zone(z)
		if !ok {
			return 0, false
		}
		loc = l
	}
	t := time.Date(n(1), time.Month(n(2)), n(3), n(4), n(5), n(6), ms*int(time.Millisecond), loc)
	return t.UnixMilli(), true
}
