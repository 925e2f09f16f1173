package main

import (
	"fmt"

	"github.com/telltale-dev/telltale/core/cli"
)

func serve(env *cli.Env, args []string) int {
	fmt.Fprintln(env.Stderr, "telltale serve: not built yet")
	return 1
}

func build(env *cli.Env, args []string) int {
	fmt.Fprintln(env.Stderr, "telltale build: not built yet")
	return 1
}
