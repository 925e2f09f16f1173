//go:build js && wasm

package main

import (
	"errors"
	"time"

	"github.com/hack-pad/safejs"
)

// browser is the app.Browser of the page.
type browser struct{}

// Download hands data to the browser as a file download, through a blob:
// URL (no network).
func (browser) Download(name, mimeType string, data []byte) error {
	u8c, err := global("Uint8Array")
	if err != nil {
		return err
	}
	u8, err := u8c.New(len(data))
	if err != nil {
		return err
	}
	if _, err := safejs.CopyBytesToJS(u8, data); err != nil {
		return err
	}
	blobc, err := global("Blob")
	if err != nil {
		return err
	}
	opts, err := safejs.ValueOf(map[string]any{"type": mimeType})
	if err != nil {
		return err
	}
	parts, err := safejs.ValueOf([]any{safejs.Unsafe(u8)})
	if err != nil {
		return err
	}
	blob, err := blobc.New(parts, opts)
	if err != nil {
		return err
	}
	urlc, err := global("URL")
	if err != nil {
		return err
	}
	href, err := urlc.Call("createObjectURL", blob)
	if err != nil {
		return err
	}
	doc, err := global("document")
	if err != nil {
		return err
	}
	a, err := doc.Call("createElement", "a")
	if err != nil {
		return err
	}
	a.Set("href", href)
	a.Set("download", name)
	// A detached link: go-app's click handler on window never sees it.
	if _, err := a.Call("click"); err != nil {
		return err
	}
	go func() {
		time.Sleep(time.Minute)
		urlc.Call("revokeObjectURL", href)
	}()
	return nil
}

// ReadFileInput reads the first file chosen in the file input id.
func (browser) ReadFileInput(id string) ([]byte, error) {
	doc, err := global("document")
	if err != nil {
		return nil, err
	}
	in, err := doc.Call("getElementById", id)
	if err != nil {
		return nil, err
	}
	if in.IsNull() {
		return nil, errors.New("no file input")
	}
	files, err := in.Get("files")
	if err != nil {
		return nil, err
	}
	f, err := files.Index(0)
	if err != nil || f.IsUndefined() || f.IsNull() {
		return nil, errors.New("no file was chosen")
	}
	p, err := f.Call("text")
	if err != nil {
		return nil, err
	}
	v, err := await(p, time.Minute)
	if err != nil {
		return nil, err
	}
	s, err := v.String()
	return []byte(s), err
}

// Copy writes text to the clipboard.
func (browser) Copy(text string) error {
	nav, err := global("navigator")
	if err != nil {
		return err
	}
	cb, err := nav.Get("clipboard")
	if err != nil || cb.IsUndefined() || cb.IsNull() {
		return errors.New("the clipboard is not available here")
	}
	p, err := cb.Call("writeText", text)
	if err != nil {
		return err
	}
	go await(p, 10*time.Second)
	return nil
}
