package clock_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/clock"
)

// BenchmarkClockAdvance advances an hour over 1,000 jobs that each run every
// minute: 60,000 job runs per operation.
func BenchmarkClockAdvance(b *testing.B) {
	start := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	c := clock.New(start)
	runs := 0
	for i := 0; i < 1000; i++ {
		c.Every(start.Add(time.Duration(i)*time.Millisecond), time.Minute, fmt.Sprint("job", i), func(time.Time) { runs++ })
	}
	for b.Loop() {
		if err := c.Advance(time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	if runs == 0 {
		b.Fatal("no job ran")
	}
}
