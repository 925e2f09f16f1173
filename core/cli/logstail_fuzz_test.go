package cli

import (
	"testing"
	"time"
)

// FuzzTailSince checks that aws logs tail's --since parser never panics,
// and that a relative time is never after now nor before Python's year 1.
func FuzzTailSince(f *testing.F) {
	for _, s := range []string{"10m", "1h", "3d", "2w", "0s", "20000w", "1099511627776w", "99999999999999999999s",
		"2026-01-10T02:55:00Z", "1960-01-01T00:00:00Z", "2026-01-10 02:55", "5", "", "1x", "-1h"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := tailSince(s, now)
		if err != nil || !tailRelative.MatchString(s) {
			return
		}
		if ms > now.UnixMilli() || ms < pyMinMillis {
			t.Fatalf("tailSince(%q) = %d, outside [year 1, now]", s, ms)
		}
	})
}
