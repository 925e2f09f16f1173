//go:build js && wasm

// Command wasm is the browser entry of Telltale: it opens the browser's
// storage, starts the page's Session (app/) and hands it to go-app. The
// bridges to the browser (storage, files, clipboard) are in this directory,
// through safejs; everything else is natively tested in app/ and core/.
package main

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	ui "github.com/telltale-dev/telltale/app"
)

// version is set by the build: -ldflags "-X main.version=<git commit>".
var version = "dev"

func main() {
	if version == "dev" {
		if v := app.Getenv("GOAPP_VERSION"); v != "" {
			version = v
		}
	}
	st, note := openStorage()
	s := ui.NewSession(ui.Options{
		Storage: st, Browser: browser{}, Now: time.Now, Version: version, StorageNote: note,
	})
	ui.Register(s)
	app.RunWhenOnBrowser()
}

// openStorage opens IndexedDB, or falls back to memory with a note saying
// why (a cross-origin frame with storage blocked, a private window).
func openStorage() (ui.Storage, string) {
	db, err := openIDB("telltale", "kv", 5*time.Second)
	if err != nil {
		return ui.NewMemoryStorage(), "Browser storage is not available here (" + err.Error() +
			"): this world lasts only while the tab is open. Use Export to keep it."
	}
	return db, ""
}
