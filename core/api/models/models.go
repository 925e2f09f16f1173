// Package models embeds the trimmed AWS service models the simulation uses.
//
// Each <service>.json is generated from botocore's service-2.json (kept in
// botocore/, with their sources in botocore/SOURCES.md) by gen.go, which keeps
// the operations listed in ops.json and the shapes they reach, and drops the
// documentation. Run `go generate ./core/api/models` after changing ops.json.
package models

import (
	"embed"
	"fmt"
)

//go:generate go run gen.go

//go:embed *.json
var files embed.FS

// Load returns the trimmed model of a service by its CLI name (sts,
// cloudtrail, ...).
func Load(service string) ([]byte, error) {
	b, err := files.ReadFile(service + ".json")
	if err != nil {
		return nil, fmt.Errorf("models: no model for service %q", service)
	}
	return b, nil
}
