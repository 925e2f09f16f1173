package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// WasmLengthHeader is the response header that tells the loader the size of
// app.wasm when it is served compressed (its progress counts raw bytes).
const WasmLengthHeader = "X-Telltale-Wasm-Length"

// Prefix returns the site's base path without its trailing slash: "" for "/",
// "/telltale" for "/telltale/".
func Prefix(base string) string {
	base = "/" + strings.Trim(base, "/")
	return strings.TrimSuffix(base, "/")
}

// Handler returns the go-app handler of the site served under base (a path
// such as "/" or "/telltale/"), at version. The files it names are all local:
// the page makes no request beyond its own site.
func Handler(base, version string) *app.Handler {
	prefix := Prefix(base)
	// The service worker pre-caches every page, and the base path with its
	// trailing slash, which is what the browser asks for (go-app caches the
	// base without it): the site then loads offline from a sub-path too.
	cache := []string{prefix + "/", "/web/icon.svg"}
	for _, p := range Pages {
		if p.Path != "/" {
			cache = append(cache, prefix+p.Path)
		}
	}
	return &app.Handler{
		Name:        "Telltale",
		ShortName:   "Telltale",
		Title:       "Telltale · AWS monitoring and audit playground",
		Description: "A simulated AWS account in the browser: CloudWatch, CloudTrail, EventBridge and more, with a terminal that speaks the AWS CLI.",
		Lang:        "en",
		Icon: app.Icon{
			Default:    "/web/icon-192.png",
			Large:      "/web/icon-512.png",
			SVG:        "/web/icon.svg",
			AppleTouch: "/web/icon-192.png",
		},
		BackgroundColor:         "#f6f7f9",
		ThemeColor:              "#0f5c63",
		LoadingLabel:            "Loading Telltale… {progress}%",
		Styles:                  []string{"/web/telltale.css", "/web/cloudwatch.css"},
		Scripts:                 []string{"/web/telltale.js"},
		RawHeaders:              []string{storageShim},
		CacheableResources:      cache,
		Resources:               sitePaths{prefix: prefix},
		Version:                 version,
		WasmContentLengthHeader: WasmLengthHeader,
	}
}

// sitePaths puts go-app's files and app.wasm at the root of the site, and
// public/ under web/, all below the base path.
type sitePaths struct{ prefix string }

// Package returns where go-app's own files are: the base path.
func (p sitePaths) Package() string { return p.prefix }

// Static returns where web/ is: under the base path.
func (p sitePaths) Static() string { return p.prefix }

// AppWASM returns the path of app.wasm: at the root of the site.
func (p sitePaths) AppWASM() string { return p.prefix + "/app.wasm" }

// storageShim gives the page an in-memory localStorage and sessionStorage
// when the browser refuses them (a cross-origin iframe with third-party
// storage blocked): go-app reads localStorage as it starts, and would
// otherwise stop there.
const storageShim = `<script>(function(){
function mem(){var m={};return{getItem:function(k){return Object.prototype.hasOwnProperty.call(m,k)?m[k]:null},
setItem:function(k,v){m[k]=String(v)},removeItem:function(k){delete m[k]},clear:function(){m={}},
key:function(i){return Object.keys(m)[i]||null},get length(){return Object.keys(m).length}}}
["localStorage","sessionStorage"].forEach(function(n){try{var s=window[n];s.setItem("telltale.probe","1");s.removeItem("telltale.probe")}
catch(e){try{Object.defineProperty(window,n,{value:mem(),configurable:true})}catch(e2){}}});
})();</script>`
