package eventpattern

import (
	"sort"
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
	fields []cfield
}

// Set matches events against many patterns natively: it reads only the
// fields the patterns name, in one pass over the event's bytes, and
// evaluates only the branches whose indexed exact value occurs in the event.
// It agrees with the jq program of every pattern (tests check both on every
// conformance case and on the benchmark workload). A Set is not safe for
// concurrent use: Match reuses internal buffers.
type Set struct {
	patterns []*Pattern
	branches []cbranch
	fieldIDs map[string]int32
	names    []string
	trie     *pathTrie
	built    bool

	index   map[int32]map[string][]int32
	indexed []bool
	always  []int32

	sc      scanner
	seen    []uint32
	hit     []uint32
	epoch   uint32
	cands   []int32
	spans   [][3]int32
	chosen  []int32
	budget  int
	matched []int
}

// NewSet returns an empty set.
func NewSet() *Set {
	return &Set{fieldIDs: map[string]int32{}}
}

// Add adds a checked pattern and returns its rule id: 0 for the first, then
// 1, 2, ...
func (s *Set) Add(p *Pattern) int {
	id := int32(len(s.patterns))
	s.patterns = append(s.patterns, p)
	for _, b := range p.Branches {
		cb := cbranch{rule: id}
		for _, f := range b.Fields {
			fid, ok := s.fieldIDs[f.Name]
			if !ok {
				fid = int32(len(s.names))
				s.fieldIDs[f.Name] = fid
				s.names = append(s.names, f.Name)
			}
			cf := cfield{id: fid, name: f.Name, matchers: f.Matchers}
			for _, m := range f.Matchers {
				if m.Kind == Exists && !m.Exists {
					cf.absentOK = true
				}
			}
			cb.fields = append(cb.fields, cf)
		}
		s.branches = append(s.branches, cb)
	}
	s.built = false
	return int(id)
}

// Len returns the number of patterns in the set.
func (s *Set) Len() int { return len(s.patterns) }

// indexable reports whether a field matches only exact strings that are
// compared as text, so that its values can key the index.
func indexable(f *cfield) bool {
	if f.absentOK {
		return false
	}
	for _, m := range f.matchers {
		if m.Kind != Exact || m.Value.Type != String || m.ip != nil {
			return false
		}
	}
	return true
}

func (s *Set) build() {
	s.trie = newPathTrie()
	for i, n := range s.names {
		s.trie.add(n, int32(i))
	}
	count := map[int32]map[string]int{}
	for bi := range s.branches {
		for fi := range s.branches[bi].fields {
			f := &s.branches[bi].fields[fi]
			if !indexable(f) {
				continue
			}
			if count[f.id] == nil {
				count[f.id] = map[string]int{}
			}
			for _, m := range f.matchers {
				count[f.id][m.Value.Text]++
			}
		}
	}
	s.index = map[int32]map[string][]int32{}
	s.indexed = make([]bool, len(s.names))
	s.always = s.always[:0]
	for bi := range s.branches {
		best, bestCost := -1, 0
		for fi := range s.branches[bi].fields {
			f := &s.branches[bi].fields[fi]
			if !indexable(f) {
				continue
			}
			cost := 0
			for _, m := range f.matchers {
				cost += count[f.id][m.Value.Text]
			}
			if best < 0 || cost < bestCost {
				best, bestCost = fi, cost
			}
		}
		if best < 0 {
			s.always = append(s.always, int32(bi))
			continue
		}
		f := &s.branches[bi].fields[best]
		if s.index[f.id] == nil {
			s.index[f.id] = map[string][]int32{}
		}
		done := map[string]bool{}
		for _, m := range f.matchers {
			if !done[m.Value.Text] {
				done[m.Value.Text] = true
				s.index[f.id][m.Value.Text] = append(s.index[f.id][m.Value.Text], int32(bi))
			}
		}
		s.indexed[f.id] = true
	}
	s.seen = make([]uint32, len(s.branches))
	s.hit = make([]uint32, len(s.patterns))
	s.epoch = 0
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
		s.epoch = 1
	}
	for _, f := range s.sc.touched {
		if !s.indexed[f] {
			continue
		}
		post := s.index[f]
		for li := s.sc.heads[f]; li >= 0; li = s.sc.leaves[li].next {
			l := &s.sc.leaves[li]
			if l.typ != lString {
				continue
			}
			for _, b := range post[l.text] {
				dst = s.try(b, dst)
			}
		}
	}
	for _, b := range s.always {
		dst = s.try(b, dst)
	}
	sort.Ints(dst)
	return dst, nil
}

func (s *Set) try(b int32, dst []int) []int {
	if s.seen[b] == s.epoch {
		return dst
	}
	s.seen[b] = s.epoch
	r := s.branches[b].rule
	if s.hit[r] == s.epoch {
		return dst
	}
	if s.evalBranch(&s.branches[b]) {
		s.hit[r] = s.epoch
		dst = append(dst, int(r))
	}
	return dst
}

// leafMatches reports whether a leaf satisfies any entry of the list other
// than exists:false.
func leafMatches(ms []Matcher, l *leaf) bool {
	for i := range ms {
		m := &ms[i]
		if m.Kind == Exists && !m.Exists {
			continue
		}
		if m.matchValue(l.typ, l.text) {
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
