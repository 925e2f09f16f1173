//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main is the native stand-in: the browser entry only runs as WebAssembly.
func main() {
	fmt.Fprintln(os.Stderr, "wasm is Telltale's browser entry: build it with GOOS=js GOARCH=wasm, or run telltale build")
	os.Exit(2)
}
