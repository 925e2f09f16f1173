package api

import (
	"regexp"
	"sort"
	"strings"
)

var (
	firstCap    = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	endCap      = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	specialCase = regexp.MustCompile(`[A-Z]{2,}s$`)
)

// CLIName returns the name the AWS CLI gives an operation or a parameter: the
// model name with words joined by hyphens, as botocore's xform_name does
// (LookupEvents -> lookup-events, GatewayARNs -> gateway-arns).
func CLIName(name string) string {
	if strings.Contains(name, "-") {
		return name
	}
	if m := specialCase.FindString(name); m != "" {
		name = name[:len(name)-len(m)] + "-" + strings.ToLower(m)
	}
	s := firstCap.ReplaceAllString(name, "${1}-${2}")
	s = strings.ToLower(endCap.ReplaceAllString(s, "${1}-${2}"))
	s = strings.ReplaceAll(s, "ipv-6", "ipv6")
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
