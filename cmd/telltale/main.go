// Command telltale is the native face of the Telltale simulation: the AWS CLI
// skin over a simulated account (aws, api, clock, run), and the web app's
// server and static-site builder (serve, build). See core/cli.
package main

import (
	"os"
	"time"

	"github.com/telltale-dev/telltale/core/cli"
)

// version is set by the build: -ldflags "-X main.version=<git commit>".
var version = "dev"

func main() {
	env := &cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		FS:        osFS{},
		WallClock: time.Now,
		Version:   version,
		Commands:  hostCommands(),
	}
	os.Exit(cli.Main(env, os.Args[1:]))
}
