package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSiteHandler(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"index.html":           "home",
		"cloudtrail.html":      "trail",
		"logs/insights.html":   "insights",
		"app.wasm":             "RAW-WASM",
		"app.wasm.gz":          "GZ",
		"app.wasm.br":          "BR",
		"manifest.webmanifest": "{}",
		"web/telltale.css":     "css",
	})
	h := siteHandler(dir, "/telltale/")
	tests := []struct {
		name, method, path, accept string
		status                     int
		body, encoding, ctype      string
		location                   string
	}{
		{name: "base", path: "/telltale/", status: 200, body: "home"},
		{name: "base without slash", path: "/telltale", status: 301, location: "/telltale/"},
		{name: "page", path: "/telltale/cloudtrail", status: 200, body: "trail"},
		{name: "nested page", path: "/telltale/logs/insights", status: 200, body: "insights"},
		{name: "static", path: "/telltale/web/telltale.css", status: 200, body: "css", ctype: "text/css"},
		{name: "manifest", path: "/telltale/manifest.webmanifest", status: 200, ctype: "application/manifest+json"},
		{name: "wasm brotli", path: "/telltale/app.wasm", accept: "gzip, deflate, br", status: 200, body: "BR", encoding: "br", ctype: "application/wasm"},
		{name: "wasm gzip", path: "/telltale/app.wasm", accept: "gzip", status: 200, body: "GZ", encoding: "gzip"},
		{name: "wasm br refused", path: "/telltale/app.wasm", accept: "br;q=0, gzip", status: 200, body: "GZ", encoding: "gzip"},
		{name: "wasm raw", path: "/telltale/app.wasm", status: 200, body: "RAW-WASM", ctype: "application/wasm"},
		{name: "outside the base", path: "/index.html", status: 404},
		{name: "missing", path: "/telltale/nope", status: 404},
		{name: "escape", path: "/telltale/../../etc/passwd", status: 404},
		{name: "post", method: "POST", path: "/telltale/", status: 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.method
			if m == "" {
				m = "GET"
			}
			r := httptest.NewRequest(m, "http://127.0.0.1"+tc.path, nil)
			if tc.accept != "" {
				r.Header.Set("Accept-Encoding", tc.accept)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			if tc.body != "" && w.Body.String() != tc.body {
				t.Errorf("body %q, want %q", w.Body.String(), tc.body)
			}
			if got := w.Header().Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("encoding %q, want %q", got, tc.encoding)
			}
			if tc.ctype != "" && !strings.HasPrefix(w.Header().Get("Content-Type"), tc.ctype) {
				t.Errorf("content type %q, want %q", w.Header().Get("Content-Type"), tc.ctype)
			}
			if tc.location != "" && w.Header().Get("Location") != tc.location {
				t.Errorf("location %q", w.Header().Get("Location"))
			}
			if tc.path == "/telltale/app.wasm" && w.Header().Get(("X-Telltale-Wasm-Length")) != "8" {
				t.Errorf("wasm length header %q", w.Header().Get("X-Telltale-Wasm-Length"))
			}
		})
	}
	root := siteHandler(dir, "/")
	w := httptest.NewRecorder()
	root.ServeHTTP(w, httptest.NewRequest("GET", "/cloudtrail", nil))
	if w.Code != http.StatusOK || w.Body.String() != "trail" {
		t.Errorf("site at /: %d %q", w.Code, w.Body.String())
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args      []string
		out, base string
		err       string
	}{
		{args: nil, out: "site", base: "/"},
		{args: []string{"--out", "x", "--base", "/a/"}, out: "x", base: "/a/"},
		{args: []string{"--out=x", "--base=/b/"}, out: "x", base: "/b/"},
		{args: []string{"--out"}, err: "--out needs a value"},
		{args: []string{"--frob"}, err: `unknown argument "--frob"`},
	}
	for _, tc := range tests {
		out, base := "site", "/"
		err := parseFlags(tc.args, map[string]*string{"--out": &out, "--base": &base})
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%v: error %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || out != tc.out || base != tc.base {
			t.Errorf("%v: %q %q %v", tc.args, out, base, err)
		}
	}
}

func TestBasePath(t *testing.T) {
	for in, want := range map[string]string{"/": "/", "": "/", "telltale": "/telltale/", "/telltale": "/telltale/", "/a/b/": "/a/b/"} {
		if got := basePath(in); got != want {
			t.Errorf("basePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrepareOut(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other")
	writeFiles(t, other, map[string]string{"notes.txt": "mine"})
	if err := prepareOut(other); err == nil {
		t.Errorf("a directory with other files was accepted")
	}
	site := filepath.Join(dir, "site")
	writeFiles(t, site, map[string]string{"app-worker.js": "", "old.html": ""})
	if err := prepareOut(site); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(site); len(entries) != 0 {
		t.Errorf("an old site was not emptied")
	}
	if err := prepareOut(filepath.Join(dir, "new", "dir")); err != nil {
		t.Errorf("a new directory: %v", err)
	}
}

func TestBuildRefusesBadBase(t *testing.T) {
	_, err := buildSite(siteOptions{Out: t.TempDir(), Base: `/a"b/`})
	if err == nil || !strings.Contains(err.Error(), "not a plain path") {
		t.Errorf("error %v", err)
	}
}

// FuzzSiteHandler throws request paths and Accept-Encoding headers at the
// site handler: it never panics and never serves a file outside the site.
func FuzzSiteHandler(f *testing.F) {
	root := f.TempDir()
	site := filepath.Join(root, "site")
	writeFiles(f, root, map[string]string{
		"secret.txt":       "SECRET",
		"site/index.html":  "home",
		"site/app.wasm":    "RAW",
		"site/app.wasm.br": "BR",
	})
	h := siteHandler(site, "/telltale/")
	f.Add("/telltale/", "br")
	f.Add("/telltale/app.wasm", "gzip;q=0.5, br;q=0")
	f.Add("/telltale/../secret.txt", "")
	f.Fuzz(func(t *testing.T, path, accept string) {
		u := &url.URL{Path: path}
		r := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
		r.URL = u
		r.Header.Set("Accept-Encoding", accept)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if strings.Contains(w.Body.String(), "SECRET") {
			t.Fatalf("%q served a file outside the site", path)
		}
	})
}
