//go:build ignore

// gen writes the trimmed models: for each service in ops.json, the operations
// listed there and the shapes they reach, without documentation, from
// botocore/<service>.json.
package main

import (
	"bytes"
	"encoding/json"
	"log"
	"os"
	"sort"

	"github.com/telltale-dev/telltale/core/api"
)

func main() {
	b, err := os.ReadFile("ops.json")
	if err != nil {
		log.Fatal(err)
	}
	var ops map[string][]string
	if err := json.Unmarshal(b, &ops); err != nil {
		log.Fatal(err)
	}
	names := make([]string, 0, len(ops))
	for n := range ops {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, svc := range names {
		raw, err := os.ReadFile("botocore/" + svc + ".json")
		if err != nil {
			log.Fatal(err)
		}
		m, err := api.ParseModel(raw)
		if err != nil {
			log.Fatal(err)
		}
		t, err := m.Trim(ops[svc])
		if err != nil {
			log.Fatal(err)
		}
		out, err := json.Marshal(t)
		if err != nil {
			log.Fatal(err)
		}
		var pretty bytes.Buffer
		json.Indent(&pretty, out, "", " ")
		pretty.WriteByte('\n')
		if err := os.WriteFile(svc+".json", pretty.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("%s: %d operations, %d shapes, %d bytes", svc, len(t.Operations), len(t.Shapes), pretty.Len())
	}
}
