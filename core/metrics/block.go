package metrics

import (
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

// block is a stored block: its cells by index (the cell of index i starts i
// intervals after the block).
type block map[int]*cell

// decodeBlock reads "i|cell;i|cell...". Damaged parts are skipped.
func decodeBlock(s string) block {
	b := block{}
	for _, part := range strings.Split(s, ";") {
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
		b[i] = &c
	}
	return b
}

func (b block) indexes() []int {
	idx := make([]int, 0, len(b))
	for i := range b {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	return idx
}

func (b block) encode() string {
	var sb strings.Builder
	for n, i := range b.indexes() {
		if n > 0 {
			sb.WriteByte(';')
		}
		sb.WriteString(strconv.Itoa(i))
		sb.WriteByte('|')
		sb.WriteString(b[i].encode())
	}
	return sb.String()
}

// blockKey returns the key of the block holding the cell of t and the
// cell's index in it.
func blockKey(id string, unit int, interval int64, t time.Time) (string, int) {
	start := t.Truncate(blockLen(interval))
	idx := int(t.Sub(start) / (time.Duration(interval) * time.Second))
	return seriesPrefix(id, unit, interval) + store.TimeKey(start), idx
}

// parseKeyTime reads the store.TimeKey at the end of a block key.
func parseKeyTime(k string, prefix string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05.000000000Z", k[len(prefix):])
	return t, err == nil
}

// blockWriter merges cells into blocks within one transaction, reading and
// writing each block once.
type blockWriter struct {
	tx     *store.Tx
	blocks map[string]block
	order  []string
}

func newBlockWriter(tx *store.Tx) *blockWriter {
	return &blockWriter{tx: tx, blocks: map[string]block{}}
}

// add merges c into the cell of t.
func (w *blockWriter) add(id string, unit int, interval int64, t time.Time, c *cell) {
	key, idx := blockKey(id, unit, interval, t)
	b, ok := w.blocks[key]
	if !ok {
		b = block{}
		if v, err := w.tx.Get(key); err == nil {
			b = decodeBlock(v)
		}
		w.blocks[key] = b
		w.order = append(w.order, key)
	}
	if old := b[idx]; old != nil {
		old.merge(c)
		return
	}
	cc := *c
	cc.dist = append([]valueCount(nil), c.dist...)
	b[idx] = &cc
}

// flush writes the blocks, in the order they were first touched.
func (w *blockWriter) flush() error {
	for _, k := range w.order {
		if _, _, err := w.tx.Set(k, w.blocks[k].encode(), nil); err != nil {
			return err
		}
	}
	w.blocks, w.order = map[string]block{}, nil
	return nil
}
