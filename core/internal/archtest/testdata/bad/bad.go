// Package bad breaks every purity rule once; archtest's negative test expects
// each violation to be reported.
package bad

import (
	"math/rand"
	"net/http"
	"os"
	tm "time"

	"github.com/hack-pad/safejs"
)

var _ = safejs.Value{}

func init() { os.Exit(0) }

// Work breaks the time and goroutine rules.
func Work() {
	go http.Get("http://example.com")
	tm.Sleep(tm.Second)
	_ = tm.Now()
	f := tm.Since
	_ = f
	_ = rand.Int()
	<-tm.After(1)
}

// Method is not an init function even when called init.
type T struct{}

func (T) init() {}
