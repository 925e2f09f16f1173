package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
	ui "github.com/telltale-dev/telltale/app"
	"github.com/telltale-dev/telltale/core/cli"
)

const modulePath = "github.com/telltale-dev/telltale"

// siteOptions describe a build of the static site.
type siteOptions struct {
	Out     string    // the directory to write
	Base    string    // the path the site is served from: "/" or "/telltale/"
	Src     string    // the module's source tree; found from the working directory when empty
	Version string    // the build's version; a hash of app.wasm when empty or "dev"
	Log     io.Writer // progress lines
	// Fast compresses app.wasm.br at brotli quality 9 (about 2 s) instead of
	// 11 (about 25 s, 10% smaller): for a site served locally.
	Fast bool
}

// siteResult describes a built site.
type siteResult struct {
	Version           string
	Raw, Gzip, Brotli int64
}

// flagValue reads "--name value" or "--name=value" at args[i]; it returns the
// value, the number of arguments used, and whether args[i] is that flag.
func flagValue(args []string, i int, name string) (string, int, bool, error) {
	a := args[i]
	if a == name {
		if i+1 >= len(args) {
			return "", 0, true, fmt.Errorf("%s needs a value", name)
		}
		return args[i+1], 2, true, nil
	}
	if v, ok := strings.CutPrefix(a, name+"="); ok {
		return v, 1, true, nil
	}
	return "", 0, false, nil
}

// parseFlags reads the named flags; anything else is an error.
func parseFlags(args []string, vals map[string]*string) error {
	for i := 0; i < len(args); {
		matched := false
		for name, dst := range vals {
			v, n, ok, err := flagValue(args, i, name)
			if err != nil {
				return err
			}
			if ok {
				*dst, i, matched = v, i+n, true
				break
			}
		}
		if !matched {
			return fmt.Errorf("unknown argument %q", args[i])
		}
	}
	return nil
}

const buildHelp = `usage: telltale build [--out DIR] [--base /sub/path/] [--src DIR]

Writes the static site: index.html and a page per route (prerendered),
app.wasm with app.wasm.gz and app.wasm.br, wasm_exec.js, the service worker,
the manifest, icons and CSS. --base is the path the site is served from (for
GitHub Pages, /REPOSITORY/). The build compiles app.wasm from the Telltale
source tree (--src, default: found from the working directory) and so needs
the Go toolchain.
`

func build(env *cli.Env, args []string) int {
	o := siteOptions{Out: "site", Base: "/", Version: env.Version, Log: env.Stderr}
	if len(args) == 1 && (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
		fmt.Fprint(env.Stdout, buildHelp)
		return cli.ExitOK
	}
	if err := parseFlags(args, map[string]*string{"--out": &o.Out, "--base": &o.Base, "--src": &o.Src}); err != nil {
		fmt.Fprintf(env.Stderr, "%stelltale build: %v\n", buildHelp, err)
		return cli.ExitUsage
	}
	res, err := buildSite(o)
	if err != nil {
		fmt.Fprintf(env.Stderr, "telltale build: %v\n", err)
		return cli.ExitFailure
	}
	fmt.Fprintf(env.Stdout, "wrote the site to %s (base %s, version %s)\n%s\n", o.Out, basePath(o.Base), res.Version, res.sizes())
	return cli.ExitOK
}

func (r siteResult) sizes() string {
	mb := func(n int64) string { return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB" }
	return fmt.Sprintf("app.wasm %s raw, %s gzip, %s brotli", mb(r.Raw), mb(r.Gzip), mb(r.Brotli))
}

// basePath normalizes a base path to "/" or "/a/b/".
func basePath(b string) string {
	p := ui.Prefix(b)
	return p + "/"
}

// buildSite writes the static site.
func buildSite(o siteOptions) (siteResult, error) {
	var res siteResult
	if o.Log == nil {
		o.Log = io.Discard
	}
	base := basePath(o.Base)
	if strings.ContainsAny(base, " \"'<>?#\\") || strings.Contains(base, "//") || strings.Contains(base, "/../") {
		return res, fmt.Errorf("--base %q is not a plain path like /telltale/", o.Base)
	}
	src, err := sourceTree(o.Src)
	if err != nil {
		return res, err
	}
	goBin, err := goTool()
	if err != nil {
		return res, err
	}
	if err := prepareOut(o.Out); err != nil {
		return res, err
	}
	wasmFile := filepath.Join(o.Out, "app.wasm")
	version := o.Version
	ldVersion := version
	if ldVersion == "" {
		ldVersion = "dev"
	}
	fmt.Fprintf(o.Log, "compiling app.wasm (GOOS=js GOARCH=wasm go build ./wasm)...\n")
	cmd := exec.Command(goBin, "build", "-trimpath", "-ldflags", "-s -w -X main.version="+ldVersion, "-o", wasmFile, "./wasm")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = o.Log, &stderr
	if err := cmd.Run(); err != nil {
		return res, fmt.Errorf("compiling app.wasm failed: %v\n%s", err, stderr.String())
	}
	wasm, err := os.ReadFile(wasmFile)
	if err != nil {
		return res, err
	}
	if version == "" || version == "dev" {
		sum := sha256.Sum256(wasm)
		version = "wasm-" + hex.EncodeToString(sum[:6])
	}
	res.Version, res.Raw = version, int64(len(wasm))

	if err := copyDir(filepath.Join(src, "public"), filepath.Join(o.Out, "web")); err != nil {
		return res, fmt.Errorf("copying public/: %v", err)
	}
	ui.Register(ui.Prerender())
	h := ui.Handler(base, version)
	if err := app.GenerateStaticWebsite(o.Out, h, ui.PagePaths()...); err != nil {
		return res, fmt.Errorf("generating the pages: %v", err)
	}
	// go-app's wasm_exec.js is older than the toolchain: use the one that
	// matches the compiler of app.wasm.
	if err := copyWasmExec(goBin, filepath.Join(o.Out, "wasm_exec.js")); err != nil {
		return res, err
	}
	if err := dropServerURL(o.Out); err != nil {
		return res, err
	}
	quality := brotli.BestCompression
	if o.Fast {
		quality = 9
	}
	fmt.Fprintf(o.Log, "compressing app.wasm (gzip -9, brotli -q %d)...\n", quality)
	var wg sync.WaitGroup
	var gzErr, brErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		res.Gzip, gzErr = writeCompressed(wasmFile+".gz", wasm, func(w io.Writer) io.WriteCloser {
			z, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
			return z
		})
	}()
	go func() {
		defer wg.Done()
		res.Brotli, brErr = writeCompressed(wasmFile+".br", wasm, func(w io.Writer) io.WriteCloser {
			return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: quality, LGWin: 24})
		})
	}()
	wg.Wait()
	if err := errors.Join(gzErr, brErr); err != nil {
		return res, err
	}
	return res, nil
}

// ogURL is the og:url meta tag go-app writes with the address of the
// temporary server that rendered the pages.
var ogURL = regexp.MustCompile(`<meta[^>]*"og:url"[^>]*>\n?`)

// dropServerURL removes the og:url tag from the pages: it names the build's
// temporary server, not the site.
func dropServerURL(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(p, ogURL.ReplaceAll(b, nil), 0o644)
	})
}

func writeCompressed(name string, data []byte, newWriter func(io.Writer) io.WriteCloser) (int64, error) {
	var buf bytes.Buffer
	w := newWriter(&buf)
	if _, err := w.Write(data); err != nil {
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return int64(buf.Len()), os.WriteFile(name, buf.Bytes(), 0o644)
}

// sourceTree returns dir, or the directory above the working directory that
// holds Telltale's go.mod.
func sourceTree(dir string) (string, error) {
	isTree := func(d string) bool {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err != nil {
			return false
		}
		first, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimSpace(first) == "module "+modulePath
	}
	if dir != "" {
		if !isTree(dir) {
			return "", fmt.Errorf("%s is not the Telltale source tree (no go.mod of %s)", dir, modulePath)
		}
		return dir, nil
	}
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if isTree(d) {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("the Telltale source tree was not found above the working directory: run from a clone, or give --src DIR")
		}
		d = parent
	}
}

// goTool finds the go command: on PATH, or in the toolchain that built this
// program.
func goTool() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return "", errors.New("the go command was not found: building app.wasm needs the Go toolchain (https://go.dev/dl/)")
}

func copyWasmExec(goBin, dst string) error {
	out, err := exec.Command(goBin, "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %v", err)
	}
	root := strings.TrimSpace(string(out))
	for _, rel := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err == nil {
			return os.WriteFile(dst, b, 0o644)
		}
	}
	return fmt.Errorf("wasm_exec.js was not found in %s", root)
}

// prepareOut empties dir if it holds a previous site, and refuses a directory
// with other things in it.
func prepareOut(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "app-worker.js")); err != nil {
		return fmt.Errorf("%s is not empty and does not hold a Telltale site: choose another --out", dir)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

const serveHelp = `usage: telltale serve [--addr 127.0.0.1:8000] [--base /] [--dir SITE]

Builds the static site into a temporary directory (see telltale build; this
needs the Go toolchain) and serves it, or serves an already built SITE.
`

func serve(env *cli.Env, args []string) int {
	addr, base, dir, src := "127.0.0.1:8000", "/", "", ""
	if len(args) == 1 && (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
		fmt.Fprint(env.Stdout, serveHelp)
		return cli.ExitOK
	}
	if err := parseFlags(args, map[string]*string{"--addr": &addr, "--base": &base, "--dir": &dir, "--src": &src}); err != nil {
		fmt.Fprintf(env.Stderr, "%stelltale serve: %v\n", serveHelp, err)
		return cli.ExitUsage
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "telltale-site-")
		if err != nil {
			fmt.Fprintf(env.Stderr, "telltale serve: %v\n", err)
			return cli.ExitFailure
		}
		defer os.RemoveAll(tmp)
		res, err := buildSite(siteOptions{Out: tmp, Base: base, Src: src, Version: env.Version, Log: env.Stderr, Fast: true})
		if err != nil {
			fmt.Fprintf(env.Stderr, "telltale serve: %v\n", err)
			return cli.ExitFailure
		}
		fmt.Fprintf(env.Stderr, "built the site (version %s): %s\n", res.Version, res.sizes())
		dir = tmp
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "telltale serve: %v\n", err)
		return cli.ExitFailure
	}
	srv := &http.Server{Handler: siteHandler(dir, base)}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Fprintf(env.Stdout, "Telltale is running at http://%s%s (Ctrl-C stops it)\n", ln.Addr(), basePath(base))
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(env.Stderr, "telltale serve: %v\n", err)
		return cli.ExitFailure
	}
	return cli.ExitOK
}

// siteHandler serves a built site under base as GitHub Pages does (a path
// without an extension finds PATH.html, a directory its index.html), and
// app.wasm pre-compressed when the browser accepts it.
func siteHandler(dir, base string) http.Handler {
	prefix := ui.Prefix(base)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if prefix != "" && r.URL.Path == prefix {
			http.Redirect(w, r, prefix+"/", http.StatusMovedPermanently)
			return
		}
		rel, ok := strings.CutPrefix(r.URL.Path, prefix+"/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		rel = path.Clean("/" + rel)
		w.Header().Set("Cache-Control", "no-cache")
		if rel == "/app.wasm" {
			serveWasm(w, r, dir)
			return
		}
		name := filepath.Join(dir, filepath.FromSlash(rel))
		if fi, err := os.Stat(name); err == nil && fi.IsDir() {
			name = filepath.Join(name, "index.html")
		} else if err != nil && path.Ext(rel) == "" {
			name += ".html"
		}
		f, err := os.Open(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || fi.IsDir() {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(name, ".webmanifest") {
			w.Header().Set("Content-Type", "application/manifest+json")
		}
		http.ServeContent(w, r, name, fi.ModTime(), f)
	})
}

func serveWasm(w http.ResponseWriter, r *http.Request, dir string) {
	name := filepath.Join(dir, "app.wasm")
	fi, err := os.Stat(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/wasm")
	h.Set("Vary", "Accept-Encoding")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set(ui.WasmLengthHeader, strconv.FormatInt(fi.Size(), 10))
	accept := r.Header.Get("Accept-Encoding")
	for _, enc := range []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !acceptsEncoding(accept, enc.name) {
			continue
		}
		if f, err := os.Open(name + enc.ext); err == nil {
			defer f.Close()
			cfi, err := f.Stat()
			if err == nil {
				h.Set("Content-Encoding", enc.name)
				http.ServeContent(w, r, "app.wasm", cfi.ModTime(), f)
				return
			}
		}
	}
	http.ServeFile(w, r, name)
}

func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) != enc {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}
