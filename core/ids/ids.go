// Package ids makes the identifiers of a world from its seed: request ids, event
// ids, X-Ray trace ids and the random parts of names and ARNs. The same seed and
// the same sequence of calls give the same identifiers, natively and in the
// browser.
//
// A Generator is not safe for concurrent use.
package ids

import (
	"encoding/hex"
	"fmt"
	"time"
)

// Generator draws identifiers from a seeded splitmix64 stream.
type Generator struct {
	seed  uint64
	state uint64
}

// New returns a generator for seed.
func New(seed uint64) *Generator { return &Generator{seed: seed, state: seed} }

// Seed returns the seed the generator was made with.
func (g *Generator) Seed() uint64 { return g.seed }

// State returns the position in the stream, for snapshots.
func (g *Generator) State() uint64 { return g.state }

// Restore returns a generator at a saved position.
func Restore(seed, state uint64) *Generator { return &Generator{seed: seed, state: state} }

// Uint64 returns the next 64 random bits.
func (g *Generator) Uint64() uint64 {
	g.state += 0x9e3779b97f4a7c15
	z := g.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Intn returns a number in [0, n). n must be positive.
func (g *Generator) Intn(n int) int {
	if n <= 0 {
		panic("ids: Intn with n <= 0")
	}
	return int(g.Uint64() % uint64(n))
}

// Float64 returns a number in [0, 1).
func (g *Generator) Float64() float64 { return float64(g.Uint64()>>11) / (1 << 53) }

func (g *Generator) bytes(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := g.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// UUID returns a version 4 UUID in its canonical lower-case form, as AWS uses
// for request ids and event ids.
func (g *Generator) UUID() string {
	b := g.bytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Hex returns n random lower-case hexadecimal digits.
func (g *Generator) Hex(n int) string { return hex.EncodeToString(g.bytes((n + 1) / 2))[:n] }

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// Upper returns n random characters from A-Z and 2-7, the alphabet of AWS access
// key ids and unique ids.
func (g *Generator) Upper(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = upperAlnum[g.Intn(len(upperAlnum))]
	}
	return string(b)
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Alnum returns n random characters from A-Z, a-z and 0-9.
func (g *Generator) Alnum(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.Intn(len(alnum))]
	}
	return string(b)
}

// TraceID returns an X-Ray trace id for a request started at t:
// 1-<8 hex digits of epoch seconds>-<24 random hex digits>.
func (g *Generator) TraceID(t time.Time) string {
	return fmt.Sprintf("1-%08x-%s", t.Unix(), g.Hex(24))
}
