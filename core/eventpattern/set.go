package eventpattern

import (
	"encoding/json"
	"math/bits"
	"sort"
	"strconv"

	"github.com/telltale-dev/telltale/core/jq"
)

// maxSearch bounds the array-consistency search of one branch on one event.
const maxSearch = 100_000

type cfield struct {
	id       int32
	name     string
	matchers []Matcher
	absentOK bool // the list holds {"exists": false}
}

type cbranch struct {
	rule   int32
	branch int32 // index of the branch in its pattern
	fields []cfield
	// need is the number of fields the index requires (at most
	// maxRequired): the fields without {"exists": false}, each required to
	// be present, or to hold one of the exact strings of a list of them.
	need uint8
	bits []uint8 // per field, its bit among the required ones (maxRequired: none)
	// jqFields are the field ids in the order of the branch's jq decision
	// (ordered: exists:false lists last), the order of its input.
	jqFields []int32
}

// Set routes events to many compiled patterns. It is the one matching path
// of EventBridge:
//
//  1. The scan reads, in one pass over the event's bytes and without
//     decoding it, only the values at the paths the patterns name.
//  2. The index requires of each branch (an alternative after $or
//     expansion) every field without {"exists": false}: the field must hold
//     a value that meets one entry of its list, found by key (exact
//     strings, prefixes, suffixes, numeric ranges, CIDR blocks,
//     equals-ignore-case, a wildcard's literal end: see fieldIndex), or,
//     for lists with entries that cannot key it (anything-but, exists,
//     exact numbers, true, false, null, IP addresses), be present. A branch
//     is a candidate for an event only when the event meets all its
//     required fields (branches with none are candidates for every event).
//     Non-candidates cannot match and are never evaluated.
//  3. The pre-check of a candidate branch tests each field's scanned values
//     on their own, natively, with the same per-value tests as the jq
//     conditions (leafMatches). It rejects the branch when some field can
//     hold for no choice of values (no value satisfies it and
//     {"exists": false} cannot hold), which is sound because the jq
//     decision needs every field satisfied. It accepts the branch without
//     jq only when there is no array-element question left: every field is
//     satisfied by a value outside every array (or is absent with
//     {"exists": false}), except at most one field satisfied only inside
//     arrays. Then the values chosen share no array and the jq decision's
//     search succeeds.
//  4. Every other candidate ({"exists": false} on a field present only
//     inside arrays, or two or more fields satisfied only inside arrays: an
//     array-element consistency question) is decided by the jq program of
//     its branch (branchDecision: the same conditions and search as the
//     rule's full program), run on the values at the branch's fields, each
//     field's values converted once per event, on first use.
//
// The pre-check's rejections are sound (a rejected branch cannot match) and
// its acceptances are exact (tests compare Set, the Set that sends every
// candidate to jq and the Set that never accepts natively with the jq
// programs alone on every conformance case, the benchmark workload and the
// fuzz corpus). A rule whose jq program fails (step budget) does not match;
// Match reports the first such error after deciding the other rules. (An
// accepted branch needs no search beyond one choice per field, so jq's
// budget could only fail on it for events of pathological size.)
//
// A Set is not safe for concurrent use: Match reuses internal buffers.
type Set struct {
	native   bool // decide every branch natively (MatchNative, Explain)
	forceJQ  bool // tests: no pre-check, jq decides every candidate
	noAccept bool // tests: the pre-check may reject, never accept
	progs    []*Program
	patterns []*Pattern
	branches []cbranch
	fieldIDs map[string]int32
	names    []string
	trie     *pathTrie
	built    bool

	index      []*fieldIndex // per field id, nil when no branch requires it
	buf        []byte
	always     []int32 // branches requiring no field
	mark       []branchMark
	candidates []int32

	sc      scanner
	seen    []uint32
	hit     []uint32
	epoch   uint32
	pending []int32
	cands   []int32
	spans   [][3]int32
	chosen  []int32
	budget  int

	decoded bool // some values were converted for jq in this event
	// values[f] is field f's list of [value, path] pairs for jq, built on
	// first use in an event (valuesEpoch[f] == epoch)
	values      [][]any
	valuesEpoch []uint32
	empty       []any
	arrayNames  []string
	stats       SetStats
}

// SetStats counts the work of a Set since it was built.
type SetStats struct {
	// Events is the number of events matched.
	Events int
	// Candidates is the number of candidate branches the index produced.
	Candidates int
	// Rejected is the number of candidate branches the pre-check rejected.
	Rejected int
	// Accepted is the number of candidate branches accepted without jq.
	Accepted int
	// Decodes is the number of events some of whose scanned values were
	// converted for jq.
	Decodes int
	// JQRuns is the number of jq programs run.
	JQRuns int
	// JQMatches is the number of jq runs that matched.
	JQMatches int
}

// NewSet returns an empty routing set.
func NewSet() *Set {
	return &Set{fieldIDs: map[string]int32{}}
}

// newNativeSet returns an empty set that decides every branch natively: the
// reference matcher of Program.MatchNative and Explain.
func newNativeSet() *Set {
	return &Set{native: true, fieldIDs: map[string]int32{}}
}

// Add adds a compiled pattern and returns its rule id: 0 for the first, then
// 1, 2, ...
func (s *Set) Add(p *Program) int {
	s.progs = append(s.progs, p)
	return s.addPattern(p.pattern)
}

func (s *Set) addPattern(p *Pattern) int {
	id := int32(len(s.patterns))
	s.patterns = append(s.patterns, p)
	for bi, b := range p.Branches {
		cb := cbranch{rule: id, branch: int32(bi)}
		for _, f := range ordered(b.Fields) {
			cb.jqFields = append(cb.jqFields, s.fieldID(f.Name))
		}
		for _, f := range b.Fields {
			fid := s.fieldID(f.Name)
			cf := cfield{id: fid, name: f.Name, matchers: f.Matchers}
			for _, m := range f.Matchers {
				if m.Kind == Exists && !m.Exists {
					cf.absentOK = true
				}
			}
			cb.fields = append(cb.fields, cf)
			cb.bits = append(cb.bits, maxRequired)
		}
		s.branches = append(s.branches, cb)
	}
	s.built = false
	return int(id)
}

// fieldID returns the id of a field name, registering it on first use.
func (s *Set) fieldID(name string) int32 {
	fid, ok := s.fieldIDs[name]
	if !ok {
		fid = int32(len(s.names))
		s.fieldIDs[name] = fid
		s.names = append(s.names, name)
	}
	return fid
}

// Stats returns the work counted since the set was last built.
func (s *Set) Stats() SetStats { return s.stats }

// Len returns the number of patterns in the set.
func (s *Set) Len() int { return len(s.patterns) }

func (s *Set) build() {
	s.trie = newPathTrie()
	for i, n := range s.names {
		s.trie.add(n, int32(i))
	}
	s.trie.done()
	s.index = make([]*fieldIndex, len(s.names))
	s.always = s.always[:0]
	for bi := range s.branches {
		cb := &s.branches[bi]
		cb.need = 0
		for fi := range cb.fields {
			if !cb.fields[fi].absentOK && cb.need < maxRequired {
				cb.need++
			}
		}
		next := uint8(0)
		for fi := range cb.fields {
			f := &cb.fields[fi]
			if f.absentOK || next == maxRequired {
				continue
			}
			bit := next
			next++
			cb.bits[fi] = bit
			e := posting{branch: int32(bi), bit: bit, need: cb.need, sufficient: true}
			if s.index[f.id] == nil {
				s.index[f.id] = &fieldIndex{}
			}
			s.index[f.id].add(f, e)
		}
		if cb.need == 0 {
			s.always = append(s.always, int32(bi))
		}
	}
	for _, x := range s.index {
		if x != nil {
			x.finish()
		}
	}
	s.mark = make([]branchMark, len(s.branches))
	s.seen = make([]uint32, len(s.branches))
	s.hit = make([]uint32, len(s.patterns))
	s.values = make([][]any, len(s.names))
	s.valuesEpoch = make([]uint32, len(s.names))
	s.empty = []any{}
	s.epoch = 0
	s.stats = SetStats{}
	s.built = true
}

// Match returns the ids of the patterns that match the event, ascending,
// appended to dst[:0]. The event must be a JSON object.
func (s *Set) Match(event []byte, dst []int) ([]int, error) {
	dst = dst[:0]
	if !s.built {
		s.build()
	}
	s.sc.reset(event, len(s.names))
	if err := s.sc.scan(s.trie.root); err != nil {
		return dst, err
	}
	s.epoch++
	if s.epoch == 0 {
		clear(s.seen)
		clear(s.hit)
		clear(s.valuesEpoch)
		clear(s.mark)
		s.epoch = 1
	}
	s.stats.Events++
	s.pending = s.pending[:0]
	s.decoded = false
	s.candidates = s.candidates[:0]
	for _, f := range s.sc.touched {
		if x := s.index[f]; x != nil {
			s.lookup(x, f)
		}
	}
	for _, b := range s.candidates {
		dst = s.try(b, s.mark[b].free, dst)
	}
	for _, b := range s.always {
		dst = s.try(b, 0, dst)
	}
	var firstErr error
	for _, b := range s.pending {
		r := s.branches[b].rule
		if s.hit[r] == s.epoch {
			continue
		}
		ok, err := s.runJQ(b)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if ok {
			s.hit[r] = s.epoch
			dst = append(dst, int(r))
		}
	}
	sortIDs(dst)
	return dst, firstErr
}

// runJQ decides a branch with its jq program on the values the scan read at
// the branch's fields, converted to jq values on first use in the event.
func (s *Set) runJQ(b int32) (bool, error) {
	if !s.decoded {
		s.decoded = true
		s.stats.Decodes++
	}
	br := &s.branches[b]
	in := make([]any, len(br.jqFields))
	for i, f := range br.jqFields {
		in[i] = s.jqValues(f)
	}
	s.stats.JQRuns++
	ok, err := s.progs[br.rule].matchBranch(int(br.branch), in)
	if ok {
		s.stats.JQMatches++
	}
	return ok, err
}

// jqValues converts the scan's values at a field to the input of the jq
// decisions: the list of the field's [value, path] pairs. A path is the list
// of (array, index) pairs of the arrays the value sits in, outermost first,
// the array as a string naming it within the event: two values are in the
// same element of an array exactly when their paths agree on that array's
// pair, as with the key and index paths of the full program. The list is
// built once per event and field; it is never modified.
func (s *Set) jqValues(f int32) []any {
	if s.valuesEpoch[f] == s.epoch {
		return s.values[f]
	}
	sc := &s.sc
	vals := s.empty
	if sc.heads[f] >= 0 {
		vals = nil
	}
	for li := sc.heads[f]; li >= 0; li = sc.leaves[li].next {
		l := &sc.leaves[li]
		var v any
		switch l.typ {
		case lString:
			v = l.text
		case lNumber:
			v = jq.Normalize(json.Number(l.text))
		case lTrue:
			v = true
		case lFalse:
			v = false
		}
		path := s.empty
		if l.coordLen > 0 {
			path = make([]any, l.coordLen)
			for i := int32(0); i < l.coordLen; i += 2 {
				path[i] = s.arrayName(sc.coords[l.coordStart+i])
				path[i+1] = int(sc.coords[l.coordStart+i+1])
			}
		}
		vals = append(vals, []any{v, path})
	}
	s.values[f], s.valuesEpoch[f] = vals, s.epoch
	return vals
}

// arrayName returns the string naming the array with the scan's id.
func (s *Set) arrayName(id int32) string {
	for int(id) >= len(s.arrayNames) {
		s.arrayNames = append(s.arrayNames, "a"+strconv.Itoa(len(s.arrayNames)))
	}
	return s.arrayNames[id]
}

// maxRequired is the most fields of a branch the index requires.
const maxRequired = 64

// posting is one required field of a branch in the index: bit is the
// field's position among the branch's required fields.
type posting struct {
	branch     int32
	bit        uint8
	need       uint8 // the branch's need
	sufficient bool  // see fieldIndex
}

// branchMark is the index's state of a branch in one event.
type branchMark struct {
	epoch uint32
	met   uint64 // required fields present (with one of the exact values)
	free  uint64 // fields met by a value outside every array (sufficient)
}

// require records that an event meets one required field of a branch; the
// branch becomes a candidate when it meets all of them. free reports that
// the value was outside every array: with a sufficient posting, the field
// is met for the pre-check.
func (s *Set) require(e posting, free bool) {
	m := &s.mark[e.branch]
	if m.epoch != s.epoch {
		*m = branchMark{epoch: s.epoch}
	}
	bit := uint64(1) << e.bit
	if free && e.sufficient {
		m.free |= bit
	}
	if m.met&bit != 0 {
		return
	}
	m.met |= bit
	if bits.OnesCount64(m.met) == int(e.need) {
		s.candidates = append(s.candidates, e.branch)
	}
}

// try decides a candidate branch; free holds the bits of the required
// fields whose lists of exact strings the index found met by a value outside
// every array (the pre-check need not read them).
func (s *Set) try(b int32, free uint64, dst []int) []int {
	if s.seen[b] == s.epoch {
		return dst
	}
	s.seen[b] = s.epoch
	r := s.branches[b].rule
	if s.hit[r] == s.epoch {
		return dst
	}
	if s.native {
		if s.evalBranch(&s.branches[b]) {
			s.hit[r] = s.epoch
			dst = append(dst, int(r))
		}
		return dst
	}
	s.stats.Candidates++
	switch s.precheck(&s.branches[b], free) {
	case reject:
		s.stats.Rejected++
	case accept:
		s.stats.Accepted++
		s.hit[r] = s.epoch
		dst = append(dst, int(r))
	default:
		s.pending = append(s.pending, b)
	}
	return dst
}

type verdict uint8

const (
	undecided verdict = iota
	reject
	accept
)

// precheck decides a candidate branch natively where the answer is certain
// (see Set): reject, accept, or undecided (jq decides).
//
// It reads each field's scanned values once and classifies the field:
//
//   - unsatisfiable: no value satisfies any entry other than
//     {"exists": false} (absent, or every value fails every entry), and
//     {"exists": false} cannot hold either (not in the list, or some value
//     of the field sits outside every array, so it sits with any choice).
//     The branch is rejected.
//   - free: some value outside every array satisfies an entry, or the
//     field is absent and its list holds {"exists": false}. The jq
//     decision can choose it (an empty path is consistent with every other
//     choice), so the field neither constrains nor is constrained.
//   - in arrays: the satisfying values all sit inside arrays.
//   - open: the list holds {"exists": false} and the field is present only
//     inside arrays, with no free satisfying value: whether it sits with the
//     values chosen for the other fields is an array-element question.
//
// The branch is accepted when no field is open and at most one field is in
// arrays: the jq decision then succeeds (it chooses the in-array field's
// value and free values for the others; no two of them share an array), so
// it answers true. Otherwise jq decides.
//
// Every per-value test here is leafMatches, which answers exactly what the
// field's jq condition answers on the same value; see leafMatches for the
// argument, operator by operator.
func (s *Set) precheck(b *cbranch, freeBits uint64) verdict {
	if s.forceJQ {
		return undecided
	}
	sc := &s.sc
	inArrays := 0
	open := false
	for fi := range b.fields {
		f := &b.fields[fi]
		if !f.absentOK && b.bits[fi] < maxRequired && freeBits&(1<<b.bits[fi]) != 0 {
			continue // free
		}
		head := sc.heads[f.id]
		if head < 0 {
			if f.absentOK {
				continue // free: {"exists": false} holds
			}
			return reject
		}
		found, free, anyFree := false, false, false
		for li := head; li >= 0; li = sc.leaves[li].next {
			l := &sc.leaves[li]
			top := l.coordLen == 0
			anyFree = anyFree || top
			if (top || !found) && leafMatches(f.matchers, l) {
				found = true
				if top {
					free = true
					break
				}
			}
		}
		switch {
		case free:
		case f.absentOK && !anyFree:
			open = true
		case !found:
			return reject
		default:
			inArrays++
		}
	}
	if open || inArrays > 1 || s.noAccept {
		return undecided
	}
	return accept
}

// leafMatches reports whether a leaf satisfies any entry of the list other
// than exists:false.
//
// It answers what the field's jq condition (cond in compile.go) answers on
// the value jqInput builds from the same leaf (the same string; a number
// as jq.Normalize reads its text), operator by operator:
//
//   - exact strings, prefix, suffix, anything-but on strings: byte equality,
//     strings.HasPrefix and strings.HasSuffix on both sides (gojq's ==,
//     startswith and endswith are these), with the same type tests.
//   - equals-ignore-case, prefix/suffix with equals-ignore-case, wildcard,
//     cidr, exact IP addresses: the jq condition calls the same Go
//     functions (equalFold, hasPrefixFold, hasSuffixFold, matchWildcard on
//     compileWildcard, parseCIDR and contains, parseIPIfPossible) that the
//     parser used to build the matcher.
//   - numbers (exact, numeric, anything-but numbers): gojq compares an int,
//     a *big.Int or a float64 with the pattern's literal, which Literal
//     writes as an int below 1e6 (exact in float64) and as a float64
//     otherwise. Compared with a float64, gojq converts an int by float64()
//     and a *big.Int by ParseFloat of its digits: both the correctly
//     rounded value of the text, which is what numValue reads. Compared with
//     an int literal, the exact comparison and the rounded one agree
//     because the literal is exactly representable and rounding is
//     monotonic.
//   - true, false, null: type equality.
func leafMatches(ms []Matcher, l *leaf) bool {
	for i := range ms {
		m := &ms[i]
		if m.Kind == Exists && !m.Exists {
			continue
		}
		if m.matchValue(l) {
			return true
		}
	}
	return false
}

// evalBranch reports whether every field of the branch is satisfied by leaves
// that are pairwise consistent (from the same element of any array they
// share). A field whose list holds exists:false is also satisfied when none
// of its leaves is consistent with the leaves chosen for the other fields;
// such fields are decided last.
func (s *Set) evalBranch(b *cbranch) bool {
	sc := &s.sc
	s.cands = s.cands[:0]
	s.spans = s.spans[:0]
	for pass := 0; pass < 2; pass++ {
		for fi := range b.fields {
			f := &b.fields[fi]
			if f.absentOK != (pass == 1) {
				continue
			}
			head := sc.heads[f.id]
			if head < 0 {
				if f.absentOK {
					continue
				}
				return false
			}
			start := int32(len(s.cands))
			free := false
			for li := head; li >= 0; li = sc.leaves[li].next {
				l := &sc.leaves[li]
				if leafMatches(f.matchers, l) {
					if l.coordLen == 0 {
						free = true
						break
					}
					s.cands = append(s.cands, li)
				}
			}
			if free {
				s.cands = s.cands[:start]
				continue
			}
			if int32(len(s.cands)) == start && !f.absentOK {
				return false
			}
			absent := int32(-1)
			if f.absentOK {
				absent = f.id
			}
			s.spans = append(s.spans, [3]int32{start, int32(len(s.cands)), absent})
		}
	}
	if len(s.spans) == 0 || (len(s.spans) == 1 && s.spans[0][2] < 0) {
		return true
	}
	s.chosen = s.chosen[:0]
	s.budget = maxSearch
	return s.search(0)
}

func (s *Set) search(k int) bool {
	if k == len(s.spans) {
		return true
	}
	sp := s.spans[k]
	for _, c := range s.cands[sp[0]:sp[1]] {
		s.budget--
		if s.budget < 0 {
			return false
		}
		if !s.fits(c) {
			continue
		}
		s.chosen = append(s.chosen, c)
		if s.search(k + 1) {
			return true
		}
		s.chosen = s.chosen[:len(s.chosen)-1]
	}
	if sp[2] >= 0 {
		// exists:false: no leaf of the field may sit with the chosen ones
		for li := s.sc.heads[sp[2]]; li >= 0; li = s.sc.leaves[li].next {
			s.budget--
			if s.fits(li) {
				return false
			}
		}
		return s.budget >= 0 && s.search(k+1)
	}
	return false
}

// fits reports whether leaf c is consistent with every chosen leaf.
func (s *Set) fits(c int32) bool {
	for _, o := range s.chosen {
		if !s.sc.consistent(c, o) {
			return false
		}
	}
	return true
}

// consistent reports whether two leaves come from the same element of every
// array they both sit in.
func (sc *scanner) consistent(a, b int32) bool {
	la, lb := &sc.leaves[a], &sc.leaves[b]
	n := min(la.coordLen, lb.coordLen)
	for i := int32(0); i < n; i += 2 {
		if sc.coords[la.coordStart+i] != sc.coords[lb.coordStart+i] {
			return true
		}
		if sc.coords[la.coordStart+i+1] != sc.coords[lb.coordStart+i+1] {
			return false
		}
	}
	return true
}

// sortIDs sorts a short list of rule ids (insertion sort: the lists are a
// few ids long).
func sortIDs(ids []int) {
	if len(ids) > 32 {
		sort.Ints(ids)
		return
	}
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
