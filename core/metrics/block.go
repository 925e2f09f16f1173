package metrics

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/store"
)

// cellsPerBlock is how many cells of one interval a stored block holds: a
// block is a minute of 1-second cells, an hour of minutes, 5 hours of
// 5-minute cells or 60 hours of hours. Keeping cells in blocks keeps the
// store (and the snapshot) small: a day of one-minute data is 24 keys.
const cellsPerBlock = 60

func blockLen(interval int64) time.Duration {
	return time.Duration(interval*cellsPerBlock) * time.Second
}

// icell is a cell of a block and its index (the cell of index i starts i
// intervals after the block).
type icell struct {
	i int
	c *cell
}

// block is a decoded block: its cells in ascending index order, each index
// once.
type block []icell

// decodeBlock reads "i|cell;i|cell...". Damaged parts and empty cells are
// skipped; of two parts with one index, the later one counts.
func decodeBlock(s string) block {
	var b block
	sorted := true
	for s != "" {
		var part string
		part, s, _ = strings.Cut(s, ";")
		is, cs, ok := strings.Cut(part, "|")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(is)
		if err != nil || i < 0 || i >= cellsPerBlock {
			continue
		}
		c := decodeCell(cs)
		if c.empty() {
			continue
		}
		if len(b) > 0 && b[len(b)-1].i >= i {
			sorted = false
		}
		b = append(b, icell{i, &c})
	}
	if !sorted {
		sort.SliceStable(b, func(x, y int) bool { return b[x].i < b[y].i })
		out := b[:0]
		for k, ic := range b {
			if k+1 < len(b) && b[k+1].i == ic.i {
				continue
			}
			out = append(out, ic)
		}
		b = out
	}
	return b
}

// find returns the position of index i in b, or where it would go.
func (b block) find(i int) (int, bool) {
	if n := len(b); n == 0 || b[n-1].i < i {
		// After the last (the common case: a new minute).
		return n, false
	}
	pos := sort.Search(len(b), func(k int) bool { return b[k].i >= i })
	return pos, pos < len(b) && b[pos].i == i
}

func (b block) encode() string {
	var sb strings.Builder
	for n, ic := range b {
		if n > 0 {
			sb.WriteByte(';')
		}
		sb.WriteString(strconv.Itoa(ic.i))
		sb.WriteByte('|')
		sb.WriteString(ic.c.encode())
	}
	return sb.String()
}

// blockKey returns the key of the block holding the cell of t and the
// cell's index in it.
func blockKey(id string, unit int, interval int64, t time.Time) (string, int) {
	start := t.Truncate(blockLen(interval))
	idx := int(t.Sub(start) / (time.Duration(interval) * time.Second))
	b := make([]byte, 0, len(dataPrefix)+len(id)+10+30)
	b = appendSeriesPrefix(b, id, unit, interval)
	return string(appendTimeKey(b, start)), idx
}

// parseKeyTime reads the store.TimeKey at the end of a block key.
func parseKeyTime(k string, prefix string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05.000000000Z", k[len(prefix):])
	return t, err == nil
}

// blockWriter merges cells into blocks within one transaction, reading and
// writing each block once. A block's value comes from the cache when it
// holds one for its key, without reading the store: the Set that writes the
// block returns the value it replaces, and when that is not the cached value
// the block is merged again from it. A cell added after the last one of a
// block whose stored value is its encoding is appended to that value instead
// of re-encoding the block. (The check relies on Set returning the value it
// replaces, which buntdb does in a transaction without DeleteAll, as those of
// package metrics.)
type blockWriter struct {
	tx    *store.Tx
	cache *caches
	// list holds the blocks being written, in the order they were first
	// touched (index finds them by key when there are many).
	list  []*wblock
	index map[string]*wblock
	// spare are blocks written and flushed, for reuse.
	spare []*wblock
}

// wblock is a block being written.
type wblock struct {
	key string
	// st is the state of the block's metric.
	st    *seriesState
	cells block
	// owned reports whether cells and the cells they point to belong to the
	// writer; otherwise they are shared with the cache and copied before a
	// change.
	owned bool
	// raw is cells.encode() when canon is set.
	raw   string
	canon bool
	// empties is set when an empty cell may have been added (decoding drops
	// them: the cache keeps the cells without them).
	empties bool
	// guessed is set when the block was taken from the cache without
	// reading the store: expect is the value it assumes stored (exists
	// false: none), adds the cells added since, to merge again into what
	// the store held if that was something else.
	guessed bool
	exists  bool
	expect  string
	adds    []icell
}

func newBlockWriter(tx *store.Tx, c *caches) *blockWriter {
	return &blockWriter{tx: tx, cache: c}
}

// fromStored returns the block being written over v, the stored value of key
// (exists false: none), a block of the metric whose state is st.
func (w *blockWriter) fromStored(st *seriesState, key, v string, exists bool) *wblock {
	if !exists {
		// A block not stored is empty, and encodes as "".
		return w.newBlock(wblock{key: key, st: st, canon: true, owned: true})
	}
	e := w.cache.block(st, key, key[:strings.LastIndexByte(key, '/')+1], v)
	return w.newBlock(wblock{key: key, st: st, cells: e.cells, raw: e.raw, canon: e.canon, exists: true, expect: v})
}

// newBlock returns a block being written set to init, a spare one if
// there is one.
func (w *blockWriter) newBlock(init wblock) *wblock {
	n := len(w.spare)
	if n == 0 {
		b := new(wblock)
		*b = init
		return b
	}
	b := w.spare[n-1]
	w.spare = w.spare[:n-1]
	adds := b.adds[:0]
	*b = init
	b.adds = adds
	return b
}

// find returns the block being written at key, or nil.
func (w *blockWriter) find(key string) *wblock {
	if w.index != nil {
		return w.index[key]
	}
	for _, b := range w.list {
		if b.key == key {
			return b
		}
	}
	return nil
}

func (w *blockWriter) keep(b *wblock) {
	w.list = append(w.list, b)
	switch {
	case w.index != nil:
		w.index[b.key] = b
	case len(w.list) > 8:
		w.index = make(map[string]*wblock, 2*len(w.list))
		for _, x := range w.list {
			w.index[x.key] = x
		}
	}
}

// own makes the cells of b the writer's.
func (b *wblock) own() {
	if b.owned {
		return
	}
	cells := make(block, len(b.cells))
	for k, ic := range b.cells {
		cc := ic.c.copy()
		cells[k] = icell{ic.i, &cc}
	}
	b.cells, b.owned = cells, true
}

// add merges c into the cell of t. c must not change until flush.
func (w *blockWriter) add(id string, unit int, interval int64, t time.Time, c *cell) {
	w.addTo(w.cache.state(id), id, unit, interval, t, c)
}

// addTo is add for the metric id whose state is st.
func (w *blockWriter) addTo(st *seriesState, id string, unit int, interval int64, t time.Time, c *cell) {
	key, idx := w.cache.blockKeyOf(st, id, unit, interval, t)
	b := w.find(key)
	if b == nil {
		e := st.blk
		if e == nil || e.key != key {
			e = w.cache.blocks[key]
		}
		if e != nil {
			b = w.newBlock(wblock{key: key, st: st, cells: e.cells, raw: e.raw, canon: e.canon, guessed: true, exists: true, expect: e.raw})
		} else {
			v, err := w.tx.Get(key)
			b = w.fromStored(st, key, v, err == nil)
		}
		w.keep(b)
	}
	if b.guessed {
		b.adds = append(b.adds, icell{idx, c})
	}
	b.add(idx, c, w.cache)
}

// add merges c into the cell of index idx (sc lends its scratch buffer).
func (b *wblock) add(idx int, c *cell, sc *caches) {
	pos, found := b.cells.find(idx)
	if found {
		b.own()
		b.cells[pos].c.merge(c)
		b.canon = false
		b.empties = b.empties || b.cells[pos].c.empty()
		return
	}
	cc := sc.newCell(c)
	b.empties = b.empties || cc.empty()
	if pos == len(b.cells) && b.canon && !cc.empty() {
		sep := ";"
		if b.raw == "" {
			sep = ""
		}
		buf := cc.appendTo(sc.scratch[:0])
		sc.scratch = buf
		b.raw = b.raw + sep + strconv.Itoa(idx) + "|" + string(buf)
		// This may append in place to the array of cells the cache holds:
		// the cells before the new one, all that any holder of the cached
		// slice sees, do not change. Two writers never extend the same
		// cached slice and both survive: the cache then holds the slice of
		// the one that flushed, and the other's work is dropped.
		b.cells = append(b.cells, icell{idx, cc})
		return
	}
	b.own()
	b.cells = slices.Insert(b.cells, pos, icell{idx, cc})
	b.canon = false
}

func (b *wblock) value() string {
	if !b.canon {
		b.raw, b.canon = b.cells.encode(), true
	}
	return b.raw
}

// flush writes the blocks, in the order they were first touched.
func (w *blockWriter) flush() error {
	for _, b := range w.list {
		k := b.key
		prev, replaced, err := w.tx.Set(k, b.value(), nil)
		if err != nil {
			return err
		}
		if b.guessed && (replaced != b.exists || prev != b.expect) {
			// The cache was behind the store: merge into what it held.
			nb := w.fromStored(b.st, k, prev, replaced)
			for _, a := range b.adds {
				nb.add(a.i, a.c, w.cache)
			}
			b = nb
			if _, _, err := w.tx.Set(k, b.value(), nil); err != nil {
				return err
			}
		}
		w.cache.wrote(b.st, k, b.raw, b.cells, b.empties)
	}
	// Nothing keeps the blocks flushed (the cache took copies of their
	// fields): they are reused.
	w.spare = append(w.spare, w.list...)
	clear(w.list)
	w.list, w.index = w.list[:0], nil
	return nil
}
