package eventpattern

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ---- IP addresses and CIDR blocks, as Ruler's CIDR class reads them ----

func looksIPv4(s string) bool {
	parts := 0
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			n++
		case c == '.':
			if n == 0 {
				return false
			}
			parts++
			n = 0
		default:
			return false
		}
	}
	return parts == 3 && n > 0
}

func looksIPv6(s string) bool {
	colon := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			colon = true
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return colon
}

// parseIP returns the 4 or 16 bytes of an IP literal; reason is Ruler's
// message when s is not one.
func parseIP(s string) (ip []byte, reason string) {
	var buf [16]byte
	n, reason := parseIPInto(s, &buf)
	if reason != "" {
		return nil, reason
	}
	return append([]byte(nil), buf[:n]...), ""
}

// parseIPInto is parseIP writing the address into buf without allocating:
// it returns the address's length (4 or 16). An IPv4 literal's parts are
// read as Integer.parseInt reads them (leading zeros allowed, at most 255).
func parseIPInto(s string, buf *[16]byte) (int, string) {
	switch {
	case looksIPv4(s):
		part, v := 0, 0
		for i := 0; i < len(s); i++ {
			if s[i] == '.' {
				buf[part] = byte(v)
				part, v = part+1, 0
				continue
			}
			v = v*10 + int(s[i]-'0')
			if v > 255 {
				return 0, "Invalid IP address: " + s
			}
		}
		buf[part] = byte(v)
		return 4, ""
	case looksIPv6(s):
		a, err := netip.ParseAddr(s)
		if err != nil {
			return 0, "Invalid IP address: " + s
		}
		if a.Is4In6() {
			b := a.Unmap().As4()
			copy(buf[:], b[:])
			return 4, ""
		}
		b := a.As16()
		copy(buf[:], b[:])
		return 16, ""
	}
	return 0, "Nonstandard IP address: " + s
}

// parseIPIfPossible is parseIP for values that may or may not be addresses.
func parseIPIfPossible(s string) ([]byte, bool) {
	if !looksIPv4(s) && !looksIPv6(s) {
		return nil, false
	}
	ip, reason := parseIP(s)
	return ip, reason == ""
}

type ipRange struct{ lo, hi []byte }

func (r ipRange) contains(ip []byte) bool {
	return len(ip) == len(r.lo) && bytes.Compare(ip, r.lo) >= 0 && bytes.Compare(ip, r.hi) <= 0
}

// javaSplit splits like Java's String.split with a one-character literal:
// trailing empty strings are dropped.
func javaSplit(s string, sep string) []string {
	parts := strings.Split(s, sep)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// javaParseInt is Integer.parseInt.
func javaParseInt(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	d := s
	if d[0] == '+' || d[0] == '-' {
		d = d[1:]
	}
	if d == "" {
		return 0, false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, false
	}
	return int(v), true
}

// parseCIDR reads a CIDR block as Ruler does (the range runs from the
// address as written to the address with the host bits set).
func parseCIDR(s string) (ipRange, string) {
	parts := javaSplit(s, "/")
	if len(parts) != 2 {
		return ipRange{}, "Malformed CIDR, one '/' required"
	}
	bits, ok := javaParseInt(parts[1])
	if !ok {
		return ipRange{}, "Malformed CIDR, mask bits must be an integer"
	}
	if bits < 0 {
		return ipRange{}, "Malformed CIDR, mask bits must not be negative"
	}
	ip, reason := parseIP(parts[0])
	if reason != "" {
		return ipRange{}, reason
	}
	if len(ip) == 4 && bits > 31 {
		return ipRange{}, "IPv4 mask bits must be < 32"
	}
	if len(ip) == 16 && bits > 127 {
		return ipRange{}, "IPv6 mask bits must be < 128"
	}
	host := len(ip)*8 - bits
	hi := append([]byte(nil), ip...)
	for i := len(hi) - 1; i >= 0 && host > 0; i-- {
		if host >= 8 {
			hi[i] = 0xff
		} else {
			hi[i] |= byte(1<<host - 1)
		}
		host -= 8
	}
	return ipRange{lo: ip, hi: hi}, ""
}

// ---- wildcards ----

// wildPart is a literal run; every part after the first follows a '*'.
type wildPart struct {
	lit  string
	star bool // preceded by a wildcard
}

func compileWildcard(s string) []wildPart {
	var parts []wildPart
	var b strings.Builder
	star := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			b.WriteByte(s[i])
			continue
		}
		if c == '*' {
			parts = append(parts, wildPart{lit: b.String(), star: star})
			b.Reset()
			star = true
			continue
		}
		b.WriteByte(c)
	}
	return append(parts, wildPart{lit: b.String(), star: star})
}

// matchWildcard reports whether v matches the compiled wildcard.
func matchWildcard(parts []wildPart, v string) bool {
	if len(parts) == 1 {
		return v == parts[0].lit
	}
	first, last := parts[0].lit, parts[len(parts)-1].lit
	if len(v) < len(first)+len(last) || !strings.HasPrefix(v, first) || !strings.HasSuffix(v, last) {
		return false
	}
	v = v[len(first) : len(v)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(v, p.lit)
		if i < 0 {
			return false
		}
		v = v[i+len(p.lit):]
	}
	return true
}

// ---- case-insensitive comparisons ----

func foldEq(a, b rune) bool {
	if a == b {
		return true
	}
	return unicode.ToLower(a) == unicode.ToLower(b) || unicode.ToUpper(a) == unicode.ToUpper(b)
}

func equalFold(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if !foldEq(ra, rb) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b == ""
}

func hasPrefixFold(v, p string) bool {
	for p != "" {
		if v == "" {
			return false
		}
		ra, na := utf8.DecodeRuneInString(v)
		rb, nb := utf8.DecodeRuneInString(p)
		if !foldEq(ra, rb) {
			return false
		}
		v, p = v[na:], p[nb:]
	}
	return true
}

func hasSuffixFold(v, s string) bool {
	for s != "" {
		if v == "" {
			return false
		}
		ra, na := utf8.DecodeLastRuneInString(v)
		rb, nb := utf8.DecodeLastRuneInString(s)
		if !foldEq(ra, rb) {
			return false
		}
		v, s = v[:len(v)-na], s[:len(s)-nb]
	}
	return true
}

// ---- matching one event value ----

// leafType is the JSON type of an event leaf.
type leafType uint8

const (
	lString leafType = iota
	lNumber
	lTrue
	lFalse
	lNull
)

// numValue parses a JSON number's text.
func numValue(text string) (float64, bool) {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func (r *Range) contains(f float64) bool {
	if r.HasLo {
		if f < r.Lo || (r.LoOpen && f == r.Lo) {
			return false
		}
	}
	if r.HasHi {
		if f > r.Hi || (r.HiOpen && f == r.Hi) {
			return false
		}
	}
	return true
}

// matchValue reports whether one event leaf satisfies the matcher (Exists
// matchers are handled by the caller: a present leaf satisfies exists:true).
// A number's value and a string's IP address are read once per leaf.
func (m *Matcher) matchValue(l *leaf) bool {
	t, text := l.typ, l.text
	switch m.Kind {
	case Exact:
		switch m.Value.Type {
		case String:
			if t != lString {
				return false
			}
			if m.ip != nil {
				ip, ok := l.ipAddr()
				return (ok && bytes.Equal(ip, m.ip)) || text == m.Value.Text
			}
			return text == m.Value.Text
		case Number:
			if t != lNumber {
				return false
			}
			if text == m.Value.Text {
				return true
			}
			f, ok := l.number()
			return ok && f == m.Value.Num
		case True:
			return t == lTrue
		case False:
			return t == lFalse
		default:
			return t == lNull
		}
	case Prefix:
		if t != lString {
			return false
		}
		if m.IgnoreCase {
			return hasPrefixFold(text, m.Str)
		}
		return strings.HasPrefix(text, m.Str)
	case Suffix:
		if t != lString {
			return false
		}
		if m.IgnoreCase {
			return hasSuffixFold(text, m.Str)
		}
		return strings.HasSuffix(text, m.Str)
	case EqualsIgnoreCase:
		return t == lString && equalFold(text, m.Str)
	case Wildcard:
		return t == lString && matchWildcard(m.wild, text)
	case Numeric:
		if t != lNumber {
			return false
		}
		f, ok := l.number()
		return ok && m.Range.contains(f)
	case CIDR:
		if t != lString {
			return false
		}
		ip, ok := l.ipAddr()
		return ok && m.cidr.contains(ip)
	case Exists:
		return m.Exists
	case AnythingBut:
		return m.But.allows(l)
	}
	return false
}

// allows reports whether anything-but lets the leaf through.
func (e *Exclusion) allows(l *leaf) bool {
	t, text := l.typ, l.text
	switch e.Kind {
	case Exact:
		if e.IsNumber {
			if t != lNumber {
				return true
			}
			f, ok := l.number()
			if !ok {
				return true
			}
			for _, n := range e.Numbers {
				if f == n {
					return false
				}
			}
			return true
		}
		if t != lString {
			return true
		}
		for _, s := range e.Strings {
			if text == s {
				return false
			}
		}
		return true
	case Prefix, Suffix, EqualsIgnoreCase, Wildcard:
		if t != lString {
			return true
		}
		for i, s := range e.Strings {
			var hit bool
			switch e.Kind {
			case Prefix:
				hit = strings.HasPrefix(text, s)
			case Suffix:
				hit = strings.HasSuffix(text, s)
			case EqualsIgnoreCase:
				hit = equalFold(text, s)
			default:
				hit = matchWildcard(e.wild[i], text)
			}
			if hit {
				return false
			}
		}
		return true
	}
	return true
}

// number returns the value of a number leaf's text (numValue), read once.
func (l *leaf) number() (float64, bool) {
	if l.state&numRead == 0 {
		l.state |= numRead
		if f, ok := numValue(l.text); ok {
			l.num = f
			l.state |= numOK
		}
	}
	return l.num, l.state&numOK != 0
}

// ipAddr returns the address a string leaf spells, if it is one
// (parseIPIfPossible), read once.
func (l *leaf) ipAddr() ([]byte, bool) {
	if l.state&ipRead == 0 {
		l.state |= ipRead
		if looksIPv4(l.text) || looksIPv6(l.text) {
			if n, reason := parseIPInto(l.text, &l.ip); reason == "" {
				l.ipLen = int8(n)
			}
		}
	}
	return l.ip[:l.ipLen], l.ipLen > 0
}

// Bits of leaf.state.
const (
	numRead uint8 = 1 << iota
	numOK
	ipRead
)
