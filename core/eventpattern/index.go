package eventpattern

import (
	"bytes"
	"math"
	"sort"
	"unicode/utf8"
)

// fieldIndex holds, for one field name, the postings of the branches that
// require it (see Set): keyed by the values that meet one entry of the
// branch's list, or by presence when some entry cannot key it.
//
// A posting is sufficient when the key it is found by satisfies its entry
// (exact strings, case-sensitive prefix and suffix, numeric ranges,
// equals-ignore-case on ASCII values); otherwise it is only necessary (a
// wildcard's literal prefix or suffix, equals-ignore-case on a value with
// other characters, presence). Every entry's postings are found for every
// value that satisfies the entry, so the index never drops a branch that can
// match; only sufficient postings found by a value outside every array mark
// the field as met for the pre-check.
type fieldIndex struct {
	exact      map[string][]posting
	prefix     map[string][]posting
	prefixLens []int // the distinct key lengths of prefix, ascending
	suffix     map[string][]posting
	suffixLens []int
	// fold: equals-ignore-case on ASCII strings, keyed by the string with
	// ASCII letters lowered; foldAll: the same postings, found (as
	// necessary) by any value with a byte outside ASCII, which may fold to
	// ASCII letters (the Kelvin sign to k, the long s to S).
	fold    map[string][]posting
	foldAll []posting
	// foldPrefix and foldSuffix: prefix and suffix with equals-ignore-case
	// on ASCII strings, keyed likewise (their postings are in foldAll too)
	foldPrefix     map[string][]posting
	foldPrefixLens []int
	foldSuffix     map[string][]posting
	foldSuffixLens []int
	numeric        []numPosting // by lower bound, ascending
	// cidr: IPv4 (0) and IPv6 (1) blocks, by first address, ascending
	cidr     [2][]cidrPosting
	presence []posting
}

type cidrPosting struct {
	r *ipRange
	e posting
}

type numPosting struct {
	lo float64 // the range's lower bound, -Inf when none
	r  *Range
	e  posting
}

// keyable reports whether an entry of a list can key the index.
func keyable(m *Matcher) bool {
	switch m.Kind {
	case Exact:
		return m.Value.Type == String && m.ip == nil
	case Prefix, Suffix:
		return !m.IgnoreCase || isASCII(m.Str)
	case Numeric, CIDR:
		return true
	case EqualsIgnoreCase:
		return isASCII(m.Str)
	case Wildcard:
		first, last := m.wild[0].lit, m.wild[len(m.wild)-1].lit
		return len(m.wild) == 1 || first != "" || last != ""
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerASCII appends s with ASCII letters lowered to dst.
func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// add posts a required field of a branch.
func (x *fieldIndex) add(f *cfield, e posting) {
	all := true
	for i := range f.matchers {
		all = all && keyable(&f.matchers[i])
	}
	if !all {
		x.presence = append(x.presence, e)
		return
	}
	for i := range f.matchers {
		m := &f.matchers[i]
		switch m.Kind {
		case Exact:
			x.exact = addPosting(x.exact, m.Value.Text, e)
		case Prefix:
			if m.IgnoreCase {
				x.foldPrefix = addPosting(x.foldPrefix, string(lowerASCII(nil, m.Str)), e)
				x.foldAll = append(x.foldAll, e)
				continue
			}
			x.prefix = addPosting(x.prefix, m.Str, e)
		case Suffix:
			if m.IgnoreCase {
				x.foldSuffix = addPosting(x.foldSuffix, string(lowerASCII(nil, m.Str)), e)
				x.foldAll = append(x.foldAll, e)
				continue
			}
			x.suffix = addPosting(x.suffix, m.Str, e)
		case Numeric:
			lo := math.Inf(-1)
			if m.Range.HasLo {
				lo = m.Range.Lo
			}
			x.numeric = append(x.numeric, numPosting{lo: lo, r: &m.Range, e: e})
		case CIDR:
			v := 0
			if len(m.cidr.lo) == 16 {
				v = 1
			}
			x.cidr[v] = append(x.cidr[v], cidrPosting{r: &m.cidr, e: e})
		case EqualsIgnoreCase:
			x.fold = addPosting(x.fold, string(lowerASCII(nil, m.Str)), e)
			x.foldAll = append(x.foldAll, e)
		case Wildcard:
			if len(m.wild) == 1 {
				x.exact = addPosting(x.exact, m.wild[0].lit, e)
				continue
			}
			n := e
			n.sufficient = false
			first, last := m.wild[0].lit, m.wild[len(m.wild)-1].lit
			if len(first) >= len(last) {
				x.prefix = addPosting(x.prefix, first, n)
			} else {
				x.suffix = addPosting(x.suffix, last, n)
			}
		}
	}
}

func addPosting(m map[string][]posting, key string, e posting) map[string][]posting {
	if m == nil {
		m = map[string][]posting{}
	}
	for i := range m[key] {
		o := &m[key][i]
		if o.branch == e.branch && o.bit == e.bit {
			o.sufficient = o.sufficient || e.sufficient
			return m
		}
	}
	m[key] = append(m[key], e)
	return m
}

// finish sorts what the lookups walk in order.
func (x *fieldIndex) finish() {
	x.prefixLens = keyLens(x.prefix)
	x.suffixLens = keyLens(x.suffix)
	x.foldPrefixLens = keyLens(x.foldPrefix)
	x.foldSuffixLens = keyLens(x.foldSuffix)
	sort.SliceStable(x.numeric, func(i, j int) bool { return x.numeric[i].lo < x.numeric[j].lo })
	for _, c := range x.cidr {
		sort.SliceStable(c, func(i, j int) bool { return bytes.Compare(c[i].r.lo, c[j].r.lo) < 0 })
	}
}

func keyLens(m map[string][]posting) []int {
	seen := map[int]bool{}
	var out []int
	for k := range m {
		if !seen[len(k)] {
			seen[len(k)] = true
			out = append(out, len(k))
		}
	}
	sort.Ints(out)
	return out
}

// lookup finds the postings a field's leaves meet.
func (s *Set) lookup(x *fieldIndex, f int32) {
	for _, e := range x.presence {
		s.require(e, false)
	}
	sc := &s.sc
	for li := sc.heads[f]; li >= 0; li = sc.leaves[li].next {
		l := &sc.leaves[li]
		free := l.coordLen == 0
		switch l.typ {
		case lString:
			t := l.text
			if len(x.cidr[0])+len(x.cidr[1]) > 0 {
				if ip, ok := l.ipAddr(); ok {
					c := x.cidr[0]
					if len(ip) == 16 {
						c = x.cidr[1]
					}
					for i := range c {
						if bytes.Compare(c[i].r.lo, ip) > 0 {
							break
						}
						if c[i].r.contains(ip) {
							s.require(c[i].e, free)
						}
					}
				}
			}
			if x.exact != nil {
				for _, e := range x.exact[t] {
					s.require(e, free)
				}
			}
			for _, n := range x.prefixLens {
				if n > len(t) {
					break
				}
				for _, e := range x.prefix[t[:n]] {
					s.require(e, free)
				}
			}
			for _, n := range x.suffixLens {
				if n > len(t) {
					break
				}
				for _, e := range x.suffix[t[len(t)-n:]] {
					s.require(e, free)
				}
			}
			if x.foldAll != nil {
				if isASCII(t) {
					s.buf = lowerASCII(s.buf[:0], t)
					b := s.buf
					for _, e := range x.fold[string(b)] {
						s.require(e, free)
					}
					for _, n := range x.foldPrefixLens {
						if n > len(b) {
							break
						}
						for _, e := range x.foldPrefix[string(b[:n])] {
							s.require(e, free)
						}
					}
					for _, n := range x.foldSuffixLens {
						if n > len(b) {
							break
						}
						for _, e := range x.foldSuffix[string(b[len(b)-n:])] {
							s.require(e, free)
						}
					}
				} else {
					for _, e := range x.foldAll {
						s.require(e, false)
					}
				}
			}
		case lNumber:
			if len(x.numeric) == 0 {
				continue
			}
			v, ok := l.number()
			if !ok {
				continue
			}
			for i := range x.numeric {
				p := &x.numeric[i]
				if p.lo > v {
					break
				}
				if p.r.contains(v) {
					s.require(p.e, free)
				}
			}
		}
	}
}
