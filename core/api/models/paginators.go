package models

import (
	"embed"
	"fmt"
)

// paginatorFiles holds botocore's paginators-1.json of each service (with
// the paginators-1.sdk-extras.json merged in where botocore has one), copied
// verbatim from botocore 1.43.11.
//
//go:embed paginators/*.json
var paginatorFiles embed.FS

// Paginators returns botocore's paginator definitions of a service by its CLI
// name, as the AWS CLI reads them to paginate automatically.
func Paginators(service string) ([]byte, error) {
	b, err := paginatorFiles.ReadFile("paginators/" + service + ".json")
	if err != nil {
		return nil, fmt.Errorf("models: no paginators for service %q", service)
	}
	return b, nil
}
