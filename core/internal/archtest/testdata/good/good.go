// Package good follows every purity rule.
package good

import "time"

// Later uses the time package without reading the wall clock.
func Later(t time.Time) time.Time { return t.Add(time.Hour).Truncate(time.Minute) }

// init as a method name is fine.
type T struct{}

func (T) init() {}
