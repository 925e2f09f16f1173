package logs

import (
	"slices"
	"testing"
)

// TestPage: pages of a list by offset and limit, the token naming the next
// offset, none on the last page, an offset past the end giving nothing.
func TestPage(t *testing.T) {
	all := []int{1, 2, 3, 4, 5}
	for _, c := range []struct {
		off, limit int
		want       []int
		next       string
	}{
		{0, 2, []int{1, 2}, offsetToken(2)},
		{2, 2, []int{3, 4}, offsetToken(4)},
		{4, 2, []int{5}, ""},
		{0, 5, []int{1, 2, 3, 4, 5}, ""},
		{7, 2, []int{}, ""},
	} {
		got, next := page(all, c.off, c.limit)
		if !slices.Equal(got, c.want) || next != c.next {
			t.Errorf("page(%d, %d) = %v %q, want %v %q", c.off, c.limit, got, next, c.want, c.next)
		}
		if c.next != "" {
			if n, err := parseOffset(&next); err != nil || n != c.off+c.limit {
				t.Errorf("token %q reads as %d %v", next, n, err)
			}
		}
	}
}
