package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestHelpListsProfiles(t *testing.T) {
	var out bytes.Buffer
	writeHelp(&out, nil, &Env{})
	got := out.String()
	for _, want := range []string{
		"Profiles (aws --profile NAME ...: who makes the call):",
		"  default  ", "the IAM user learner of the world's account",
		"  partner  ", "the IAM user partner of another account, 111122223333 (SaaS partner example.com)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestParseAWSGlobalsProfile(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
		rest string
	}{
		{[]string{"--profile", "partner", "sts", "get-caller-identity"}, "partner", "sts get-caller-identity"},
		{[]string{"sts", "get-caller-identity", "--profile=partner"}, "partner", "sts get-caller-identity"},
		{[]string{"sts", "--prof", "x", "get-caller-identity"}, "x", "sts get-caller-identity"},
		{[]string{"sts", "get-caller-identity"}, "", "sts get-caller-identity"},
	} {
		g, rest, err := parseAWSGlobals(tt.args)
		if err != nil || g.profile != tt.want || strings.Join(rest, " ") != tt.rest {
			t.Errorf("parseAWSGlobals(%q) = %q, %q, %v", tt.args, g.profile, rest, err)
		}
	}
}
