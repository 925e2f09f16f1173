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
	return seriesPrefix(id, unit, interval) + timeKey(start), idx
}

// parseKeyTime reads the store.TimeKey at the end of a block key.
func parseKeyTime(k string, prefix string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05.000000000Z", k[len(prefix):])
	return t, err == nil
}

// blockWriter merges cells into blocks within one transaction, reading and
// writing each block once. Blocks come from the cache when it holds the
// stored value; a cell added after the last one of a block whose stored
// value is its encoding is appended to that value instead of re-encoding
// the block.
type blockWriter struct {
	tx     *store.Tx
	cache  *caches
	blocks map[string]*wblock
	order  []string
}

// wblock is a block being written.
type wblock struct {
	cells block
	// owned reports whether cells and the cells they point to belong to the
	// writer; otherwise they are shared with the cache and copied before a
	// change.
	owned bool
	// raw is cells.encode() when canon is set.
	raw   string
	canon bool
}

func newBlockWriter(tx *store.Tx, c *caches) *blockWriter {
	return &blockWriter{tx: tx, cache: c, blocks: map[string]*wblock{}}
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

// add merges c into the cell of t.
func (w *blockWriter) add(id string, unit int, interval int64, t time.Time, c *cell) {
	key, idx := blockKey(id, unit, interval, t)
	b, ok := w.blocks[key]
	if !ok {
		// A block not stored is empty, and encodes as "".
		b = &wblock{canon: true, owned: true}
		if v, err := w.tx.Get(key); err == nil {
			e := w.cache.block(key, key[:lastSlash(key)+1], v)
			b = &wblock{cells: e.cells, raw: e.raw, canon: e.canon}
		}
		w.blocks[key] = b
		w.order = append(w.order, key)
	}
	pos, found := b.cells.find(idx)
	if found {
		b.own()
		b.cells[pos].c.merge(c)
		b.canon = false
		return
	}
	cc := c.copy()
	if pos == len(b.cells) && b.canon && !cc.empty() {
		if b.raw != "" {
			b.raw += ";"
		}
		b.raw += strconv.Itoa(idx) + "|" + cc.encode()
		// Clipped: never append in place to cells the cache may hold.
		b.cells = append(slices.Clip(b.cells), icell{idx, &cc})
		return
	}
	b.own()
	b.cells = slices.Insert(b.cells, pos, icell{idx, &cc})
	b.canon = false
}

// flush writes the blocks, in the order they were first touched.
func (w *blockWriter) flush() error {
	for _, k := range w.order {
		b := w.blocks[k]
		if !b.canon {
			b.raw = b.cells.encode()
		}
		if _, _, err := w.tx.Set(k, b.raw, nil); err != nil {
			return err
		}
		w.cache.wrote(k, b.raw, b.cells, true)
	}
	w.blocks, w.order = map[string]*wblock{}, nil
	return nil
}
