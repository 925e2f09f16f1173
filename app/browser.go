package app

import "errors"

// Browser is what the page needs from the browser besides storage: files in
// and out, and the clipboard. The browser's implementation is in wasm/;
// NoBrowser stands in where there is none (prerendering, native tests).
type Browser interface {
	// Download offers data to the user as a file called name.
	Download(name, mimeType string, data []byte) error
	// ReadFileInput returns the content of the file chosen in the
	// <input type="file"> element with the given id. It blocks until the
	// browser has read it: call it from ctx.Async, never from a handler.
	ReadFileInput(id string) ([]byte, error)
	// Copy puts text on the clipboard.
	Copy(text string) error
}

// ErrNoBrowser is returned by NoBrowser.
var ErrNoBrowser = errors.New("not available outside the browser")

// NoBrowser is the Browser of a place without one: every call fails.
type NoBrowser struct{}

// Download fails.
func (NoBrowser) Download(string, string, []byte) error { return ErrNoBrowser }

// ReadFileInput fails.
func (NoBrowser) ReadFileInput(string) ([]byte, error) { return nil, ErrNoBrowser }

// Copy fails.
func (NoBrowser) Copy(string) error { return ErrNoBrowser }
