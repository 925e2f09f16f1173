package main

import "github.com/telltale-dev/telltale/core/cli"

// hostCommands are the commands only the native binary has.
func hostCommands() map[string]cli.Command {
	return map[string]cli.Command{
		"serve": {Summary: "build the web app and serve it locally [--addr 127.0.0.1:8000] (needs the Go toolchain)", Run: serve},
		"build": {Summary: "write the static site [--out DIR] [--base /sub/path/] (needs the Go toolchain: it compiles app.wasm)", Run: build},
	}
}
