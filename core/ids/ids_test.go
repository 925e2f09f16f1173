package ids

import (
	"regexp"
	"testing"
	"time"
)

func TestSameSeedSameIDs(t *testing.T) {
	a, b := New(7), New(7)
	for i := 0; i < 100; i++ {
		if x, y := a.UUID(), b.UUID(); x != y {
			t.Fatalf("draw %d: %s != %s", i, x, y)
		}
	}
	if New(7).UUID() == New(8).UUID() {
		t.Fatal("different seeds gave the same id")
	}
}

func TestRestoreContinuesTheStream(t *testing.T) {
	a := New(42)
	a.UUID()
	b := Restore(a.Seed(), a.State())
	if a.Hex(20) != b.Hex(20) {
		t.Fatal("restored generator diverged")
	}
}

func TestShapes(t *testing.T) {
	g := New(1)
	cases := []struct {
		name string
		got  string
		re   string
	}{
		{"uuid", g.UUID(), `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`},
		{"hex", g.Hex(17), `^[0-9a-f]{17}$`},
		{"upper", g.Upper(16), `^[A-Z2-7]{16}$`},
		{"alnum", g.Alnum(16), `^[A-Za-z0-9]{16}$`},
		{"trace", g.TraceID(time.Unix(0x5f84c7a8, 0)), `^1-5f84c7a8-[0-9a-f]{24}$`},
	}
	for _, c := range cases {
		if !regexp.MustCompile(c.re).MatchString(c.got) {
			t.Errorf("%s: %q does not match %s", c.name, c.got, c.re)
		}
	}
}
