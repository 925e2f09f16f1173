package main

import "github.com/telltale-dev/telltale/core/cli"

// hostCommands are the commands only the native binary has.
func hostCommands() map[string]cli.Command {
	return map[string]cli.Command{
		"serve": {Summary: "serve the web app locally [--addr 127.0.0.1:8000]", Run: serve},
		"build": {Summary: "write the static site [--out DIR] [--base /sub/path/]", Run: build},
	}
}
