package cloudtrail_test

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkLookupEvents looks up one attribute among 1,000 stored events (one
// in ten matches; a full page of 50 is returned).
func BenchmarkLookupEvents(b *testing.B) {
	tr := newTrail(b)
	for i := 0; i < 1000; i++ {
		name := "GetCallerIdentity"
		if i%10 == 0 {
			name = "CreateTrail"
		}
		tr.put(b, event{id: fmt.Sprintf("e%04d", i), name: name, source: "sts.amazonaws.com", user: "learner",
			akid: "AKIAEXAMPLE", at: t0.Add(time.Duration(i) * time.Second)})
	}
	tr.now = t0.Add(time.Hour)
	in := attr("EventName", "CreateTrail")
	for b.Loop() {
		p, err := tr.lookup(in)
		if err != nil || len(p.Events) != 50 {
			b.Fatal(err)
		}
	}
}
