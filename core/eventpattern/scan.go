package eventpattern

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Errors of the event reader.
var (
	// ErrEventJSON is returned for an event that is not valid JSON.
	ErrEventJSON = errors.New("eventpattern: event is not valid JSON")
	// ErrEventDepth is returned for an event nested deeper than MaxEventDepth.
	ErrEventDepth = errors.New("eventpattern: event nested too deeply")
	// ErrEventObject is returned for an event that is not a JSON object.
	ErrEventObject = errors.New("eventpattern: event is not a JSON object")
)

// MaxEventDepth is the deepest nesting of an event the matcher reads (AWS
// processes detail nesting up to 1000 levels).
const MaxEventDepth = 1000

// pathNode is one dot-joined prefix of the field names a set of patterns
// reads. children maps an event key (which may itself hold dots) to the
// node of the longer prefix.
type pathNode struct {
	children map[string]*pathNode
	field    int32 // field id when this prefix is a pattern field, else -1
	// keys and nodes list children as well when there are few (see child)
	keys  []string
	nodes []*pathNode
}

// maxListedChildren is the most children a node lists for a linear search,
// which beats hashing the key for so few.
const maxListedChildren = 8

// child returns the node for an event key, nil when it leads to no field.
func (n *pathNode) child(key []byte) *pathNode {
	if n.keys == nil {
		return n.children[string(key)]
	}
	for i, k := range n.keys {
		if len(k) == len(key) && k == string(key) {
			return n.nodes[i]
		}
	}
	return nil
}

// pathTrie builds the nodes for a list of field names.
type pathTrie struct {
	root  *pathNode
	nodes map[string]*pathNode
}

func newPathTrie() *pathTrie {
	// the root is not the node of the prefix "": a field may be named ""
	return &pathTrie{root: &pathNode{field: -1}, nodes: map[string]*pathNode{}}
}

func (t *pathTrie) node(prefix string) *pathNode {
	n, ok := t.nodes[prefix]
	if !ok {
		n = &pathNode{field: -1}
		t.nodes[prefix] = n
	}
	return n
}

// add registers a field name with its id.
func (t *pathTrie) add(name string, id int32) {
	// every prefix ending before a dot, and the name itself
	cuts := []int{}
	for i := 0; i < len(name); i++ {
		if name[i] == '.' {
			cuts = append(cuts, i)
		}
	}
	cuts = append(cuts, len(name))
	t.node(name).field = id
	// parent prefixes: "" and name[:c] for each cut before the end
	parents := []int{-1}
	parents = append(parents, cuts[:len(cuts)-1]...)
	for _, p := range parents {
		pn, start := t.root, 0
		if p >= 0 {
			pn, start = t.node(name[:p]), p+1
		}
		for _, c := range cuts {
			if c <= p {
				continue
			}
			if pn.children == nil {
				pn.children = map[string]*pathNode{}
			}
			child := t.node(name[:c])
			if _, ok := pn.children[name[start:c]]; !ok {
				pn.keys = append(pn.keys, name[start:c])
				pn.nodes = append(pn.nodes, child)
			}
			pn.children[name[start:c]] = child
		}
	}
}

// done drops the lists of nodes with many children (they use the map).
func (t *pathTrie) done() {
	for _, n := range append([]*pathNode{t.root}, mapValues(t.nodes)...) {
		if len(n.keys) > maxListedChildren {
			n.keys, n.nodes = nil, nil
		}
	}
}

func mapValues(m map[string]*pathNode) []*pathNode {
	out := make([]*pathNode, 0, len(m))
	for _, n := range m {
		out = append(out, n)
	}
	return out
}

// leaf is one scalar of the event at a pattern field's path.
type leaf struct {
	field      int32
	typ        leafType
	text       string // string value (unescaped) or number text
	coordStart int32  // coordinates in scanner.coords: (array id, index) pairs
	coordLen   int32
	next       int32 // next leaf of the same field, -1 at the end
	dead       bool  // replaced by a later occurrence of a key (relink)
	// read lazily by number and ipAddr
	state uint8
	ipLen int8
	num   float64
	ip    [16]byte
}

// scanner reads the leaves of an event that a trie asks for, skipping
// everything else without decoding it. It reuses its buffers.
type scanner struct {
	data    []byte
	pos     int
	leaves  []leaf
	coords  []int32
	stack   []int32 // open arrays: (id, index) pairs
	arrayID int32
	heads   []int32 // first leaf per field
	tails   []int32
	touched []int32
	buf     []byte
	// keys are the keys read so far of the objects being read that lead to
	// pattern fields, with the leaves of their values (see objectKey).
	keys []objectKey
	dead bool // some leaves belong to a key repeated later in its object
}

// objectKey is a key of an object being read that leads to pattern fields,
// and the range of leaves its value produced. A later occurrence of the same
// key in the same object replaces the value, as jq.Decode (encoding/json)
// reads it: the earlier leaves are marked dead and dropped after the scan.
type objectKey struct {
	key        []byte // aliases the event, or a copy the string reader made
	start, end int32
}

// maxLinearKeys is the number of keys of one object compared one by one
// before an index of them is built.
const maxLinearKeys = 16

func (s *scanner) reset(data []byte, fields int) {
	s.data, s.pos = data, 0
	s.leaves = s.leaves[:0]
	s.coords = s.coords[:0]
	s.stack = s.stack[:0]
	s.arrayID = 0
	for _, f := range s.touched {
		s.heads[f] = -1
	}
	s.touched = s.touched[:0]
	s.keys = s.keys[:0]
	s.dead = false
	for len(s.heads) < fields {
		s.heads = append(s.heads, -1)
		s.tails = append(s.tails, -1)
	}
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// scan reads an event object rooted at trie.
func (s *scanner) scan(root *pathNode) error {
	s.ws()
	if s.pos >= len(s.data) || s.data[s.pos] != '{' {
		if s.pos < len(s.data) && s.skipValue(0) == nil {
			s.ws()
			if s.pos == len(s.data) {
				return ErrEventObject
			}
		}
		return ErrEventJSON
	}
	if err := s.value(root, 0); err != nil {
		return err
	}
	s.ws()
	if s.pos != len(s.data) {
		return ErrEventJSON
	}
	if s.dead {
		s.relink()
	}
	return nil
}

// relink rebuilds the per-field lists of leaves without the dead ones.
func (s *scanner) relink() {
	for _, f := range s.touched {
		s.heads[f] = -1
	}
	s.touched = s.touched[:0]
	for i := range s.leaves {
		l := &s.leaves[i]
		if l.dead {
			continue
		}
		l.next = -1
		idx := int32(i)
		if s.heads[l.field] < 0 {
			s.heads[l.field] = idx
			s.touched = append(s.touched, l.field)
		} else {
			s.leaves[s.tails[l.field]].next = idx
		}
		s.tails[l.field] = idx
	}
}

// repeated marks dead the leaves of an earlier occurrence of key among the
// keys of the current object (s.keys[first:]); index is that object's index
// of keys, built when it has many.
func (s *scanner) repeated(key []byte, first int, index *map[string]int) {
	n := len(s.keys) - first
	prev := -1
	if *index != nil {
		if i, ok := (*index)[string(key)]; ok {
			prev = i
		}
	} else {
		for i := len(s.keys) - 1; i >= first; i-- {
			if string(s.keys[i].key) == string(key) {
				prev = i // the latest occurrence: earlier ones are dead
				break
			}
		}
		if n >= maxLinearKeys {
			*index = make(map[string]int, 2*n)
			for i := first; i < len(s.keys); i++ {
				(*index)[string(s.keys[i].key)] = i
			}
		}
	}
	if prev < 0 {
		return
	}
	k := &s.keys[prev]
	for i := k.start; i < k.end; i++ {
		s.leaves[i].dead = true
		s.dead = true
	}
	k.start, k.end = 0, 0
}

func (s *scanner) addLeaf(n *pathNode, t leafType, text string) {
	id := n.field
	l := leaf{field: id, typ: t, text: text, coordStart: int32(len(s.coords)), coordLen: int32(len(s.stack)), next: -1}
	s.coords = append(s.coords, s.stack...)
	idx := int32(len(s.leaves))
	s.leaves = append(s.leaves, l)
	if s.heads[id] < 0 {
		s.heads[id] = idx
		s.touched = append(s.touched, id)
	} else {
		s.leaves[s.tails[id]].next = idx
	}
	s.tails[id] = idx
}

// value reads the value at pos for node n (nil: skip it).
func (s *scanner) value(n *pathNode, depth int) error {
	if depth > MaxEventDepth {
		return ErrEventDepth
	}
	if n == nil {
		return s.skipValue(depth)
	}
	s.ws()
	if s.pos >= len(s.data) {
		return ErrEventJSON
	}
	switch c := s.data[s.pos]; c {
	case '{':
		if n.children == nil {
			return s.skipValue(depth)
		}
		s.pos++
		s.ws()
		if s.pos < len(s.data) && s.data[s.pos] == '}' {
			s.pos++
			return nil
		}
		first := len(s.keys)
		var index map[string]int
		for {
			s.ws()
			if s.pos >= len(s.data) || s.data[s.pos] != '"' {
				return ErrEventJSON
			}
			key, err := s.strBytes()
			if err != nil {
				return err
			}
			s.ws()
			if s.pos >= len(s.data) || s.data[s.pos] != ':' {
				return ErrEventJSON
			}
			s.pos++
			child := n.child(key)
			start := int32(len(s.leaves))
			if err := s.value(child, depth+1); err != nil {
				return err
			}
			if child != nil {
				s.repeated(key, first, &index)
				if index != nil {
					index[string(key)] = len(s.keys)
				}
				s.keys = append(s.keys, objectKey{key: key, start: start, end: int32(len(s.leaves))})
			}
			s.ws()
			if s.pos >= len(s.data) {
				return ErrEventJSON
			}
			if s.data[s.pos] == ',' {
				s.pos++
				continue
			}
			if s.data[s.pos] == '}' {
				s.pos++
				s.keys = s.keys[:first]
				return nil
			}
			return ErrEventJSON
		}
	case '[':
		s.pos++
		s.arrayID++
		s.stack = append(s.stack, s.arrayID, 0)
		top := len(s.stack) - 1
		s.ws()
		if s.pos < len(s.data) && s.data[s.pos] == ']' {
			s.pos++
			s.stack = s.stack[:top-1]
			return nil
		}
		for {
			if err := s.value(n, depth+1); err != nil {
				return err
			}
			s.ws()
			if s.pos >= len(s.data) {
				return ErrEventJSON
			}
			if s.data[s.pos] == ',' {
				s.pos++
				s.stack[top]++
				continue
			}
			if s.data[s.pos] == ']' {
				s.pos++
				s.stack = s.stack[:top-1]
				return nil
			}
			return ErrEventJSON
		}
	case '"':
		v, err := s.str()
		if err != nil {
			return err
		}
		if n.field >= 0 {
			s.addLeaf(n, lString, v)
		}
		return nil
	case 't', 'f', 'n':
		word, t := "true", lTrue
		if c == 'f' {
			word, t = "false", lFalse
		} else if c == 'n' {
			word, t = "null", lNull
		}
		if !strings.HasPrefix(string(s.data[s.pos:min(len(s.data), s.pos+len(word))]), word) {
			return ErrEventJSON
		}
		s.pos += len(word)
		if n.field >= 0 {
			s.addLeaf(n, t, word)
		}
		return nil
	default:
		start := s.pos
		if !s.number() {
			return ErrEventJSON
		}
		if n.field >= 0 {
			s.addLeaf(n, lNumber, string(s.data[start:s.pos]))
		}
		return nil
	}
}

func (s *scanner) number() bool {
	d := s.data
	i := s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	st := i
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	if i == st || (d[st] == '0' && i-st > 1) {
		return false
	}
	if i < len(d) && d[i] == '.' {
		i++
		st = i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == st {
			return false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		st = i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == st {
			return false
		}
	}
	s.pos = i
	return true
}

// str reads a string at pos (on its opening quote) and returns its value.
// Strings without escapes are returned without copying the bytes' meaning
// (one string conversion).
func (s *scanner) str() (string, error) {
	d := s.data
	i := s.pos + 1
	start := i
	var hi byte
	for i < len(d) {
		c := d[i]
		hi |= c
		if c == '"' {
			s.pos = i + 1
			if hi >= utf8.RuneSelf && !utf8.Valid(d[start:i]) {
				return string(validUTF8(nil, d[start:i])), nil
			}
			return string(d[start:i]), nil
		}
		if c == '\\' {
			return s.strSlow(start)
		}
		if c < 0x20 {
			return "", ErrEventJSON
		}
		i++
	}
	return "", ErrEventJSON
}

// strBytes is str without the string allocation when the string has no
// escapes (the bytes alias the event or the scanner's buffer).
func (s *scanner) strBytes() ([]byte, error) {
	d := s.data
	var hi byte
	for i := s.pos + 1; i < len(d); i++ {
		c := d[i]
		hi |= c
		if c == '"' {
			start := s.pos + 1
			s.pos = i + 1
			if hi >= utf8.RuneSelf && !utf8.Valid(d[start:i]) {
				return validUTF8(nil, d[start:i]), nil
			}
			return d[start:i], nil
		}
		if c == '\\' {
			v, err := s.strSlow(s.pos + 1)
			return []byte(v), err
		}
		if c < 0x20 {
			return nil, ErrEventJSON
		}
	}
	return nil, ErrEventJSON
}

func (s *scanner) strSlow(start int) (string, error) {
	d := s.data
	b := s.buf[:0]
	i := start
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			s.pos = i + 1
			s.buf = b
			if !utf8.Valid(b) {
				return string(validUTF8(nil, b)), nil
			}
			return string(b), nil
		case c < 0x20:
			return "", ErrEventJSON
		case c != '\\':
			b = append(b, c)
			i++
			continue
		}
		i++
		if i >= len(d) {
			return "", ErrEventJSON
		}
		switch e := d[i]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			if i+4 >= len(d) {
				return "", ErrEventJSON
			}
			v, err := strconv.ParseUint(string(d[i+1:i+5]), 16, 32)
			if err != nil {
				return "", ErrEventJSON
			}
			i += 4
			r := rune(v)
			if utf16.IsSurrogate(r) && i+6 < len(d) && d[i+1] == '\\' && d[i+2] == 'u' {
				if v2, err := strconv.ParseUint(string(d[i+3:i+7]), 16, 32); err == nil {
					if r2 := utf16.DecodeRune(r, rune(v2)); r2 != utf8.RuneError {
						r = r2
						i += 6
					}
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", ErrEventJSON
		}
		i++
	}
	return "", ErrEventJSON
}

// skipValue skips the value at pos, checking its syntax.
func (s *scanner) skipValue(depth int) error {
	if depth > MaxEventDepth {
		return ErrEventDepth
	}
	s.ws()
	if s.pos >= len(s.data) {
		return ErrEventJSON
	}
	d := s.data
	switch c := d[s.pos]; c {
	case '{', '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		s.pos++
		s.ws()
		if s.pos < len(d) && d[s.pos] == closer {
			s.pos++
			return nil
		}
		for {
			if c == '{' {
				s.ws()
				if s.pos >= len(d) || d[s.pos] != '"' {
					return ErrEventJSON
				}
				if err := s.skipString(); err != nil {
					return err
				}
				s.ws()
				if s.pos >= len(d) || d[s.pos] != ':' {
					return ErrEventJSON
				}
				s.pos++
			}
			if err := s.skipValue(depth + 1); err != nil {
				return err
			}
			s.ws()
			if s.pos >= len(d) {
				return ErrEventJSON
			}
			if d[s.pos] == ',' {
				s.pos++
				continue
			}
			if d[s.pos] == closer {
				s.pos++
				return nil
			}
			return ErrEventJSON
		}
	case '"':
		return s.skipString()
	case 't', 'f', 'n':
		word := "true"
		if c == 'f' {
			word = "false"
		} else if c == 'n' {
			word = "null"
		}
		if len(d)-s.pos < len(word) || string(d[s.pos:s.pos+len(word)]) != word {
			return ErrEventJSON
		}
		s.pos += len(word)
		return nil
	}
	if !s.number() {
		return ErrEventJSON
	}
	return nil
}

// validUTF8 appends b to dst with each byte that is not part of valid UTF-8
// replaced by U+FFFD, as encoding/json (and so jq.Decode) reads strings.
func validUTF8(dst, b []byte) []byte {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, b[:n]...)
		}
		b = b[n:]
	}
	return dst
}

func (s *scanner) skipString() error {
	d := s.data
	i := s.pos + 1
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return nil
		case c == '\\':
			i += 2
			continue
		case c < 0x20:
			return ErrEventJSON
		}
		i++
	}
	return ErrEventJSON
}
