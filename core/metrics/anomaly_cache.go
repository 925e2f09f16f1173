package metrics

import (
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/store"
)

// A band alarm reads its band at every evaluation (every minute), and
// training on two weeks of history is the costly part. Trained models are
// kept in memory, keyed by what they were trained from: the metric, unit,
// statistic, period, training window and configuration; an entry also
// holds the stored blocks (keys and values) of the training window it was
// trained on and is reused only when the store holds exactly those blocks
// now, so the cache cannot disagree with the store (a put into the training
// window, a restore or a rolled back transaction just misses) and a restored
// world answers with the same bands. Comparing the blocks is cheap: an
// unchanged value is the very string the store handed out before.

// maxModels bounds the cache; it is emptied when it grows past it.
const maxModels = 256

type modelCache struct {
	entries map[string]modelEntry
}

type modelEntry struct {
	// blocks are the keys and values of the training data, interleaved.
	blocks []string
	model  *bandModel
	ok     bool
}

func (s *Service) models() *modelCache {
	if s.anomaly == nil {
		s.anomaly = &modelCache{entries: map[string]modelEntry{}}
	}
	return s.anomaly
}

// trained returns the cached model of key if it was trained on blocks.
func (s *Service) trained(key string, blocks []string) (modelEntry, bool) {
	e, ok := s.models().entries[key]
	if !ok || len(e.blocks) != len(blocks) {
		return modelEntry{}, false
	}
	for i := range blocks {
		if e.blocks[i] != blocks[i] {
			return modelEntry{}, false
		}
	}
	return e, true
}

func (s *Service) keep(key string, blocks []string, m *bandModel, ok bool) {
	c := s.models()
	if len(c.entries) >= maxModels {
		c.entries = map[string]modelEntry{}
	}
	c.entries[key] = modelEntry{blocks: blocks, model: m, ok: ok}
}

// trainingBlocks returns the stored blocks of the metrics ids (every unit
// and storage interval) that hold cells of [from, to): keys and values,
// interleaved, each metric's list preceded by its id.
func (s *Service) trainingBlocks(ids []string, from, to time.Time) []string {
	var out []string
	end := store.TimeKey(to)
	s.store.View(func(tx *store.Tx) error {
		for _, id := range ids {
			out = append(out, id)
			prefix := dataPrefix + id + "/"
			store.Prefix(tx, prefix, func(k, v string) bool {
				// <unit>/<interval>/<start>
				parts := strings.SplitN(k[len(prefix):], "/", 3)
				if len(parts) != 3 {
					return true
				}
				iv, err := strconv.ParseInt(parts[1], 10, 64)
				if err != nil || iv <= 0 {
					return true
				}
				if parts[2] < store.TimeKey(from.Truncate(blockLen(iv))) || parts[2] >= end {
					return true
				}
				out = append(out, k, v)
				return true
			})
		}
		return nil
	})
	return out
}
