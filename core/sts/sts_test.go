package sts_test

import (
	"encoding/json"
	"testing"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/sts"
)

func TestGetCallerIdentity(t *testing.T) {
	s := sts.New()
	a, err := s.API()
	if err != nil {
		t.Fatal(err)
	}
	if err := api.NewRegistry().Register(a); err != nil {
		t.Fatal(err)
	}
	if a.ValidationCode != "ValidationError" {
		t.Errorf("STS is a query service: ValidationCode = %q", a.ValidationCode)
	}
	c := &api.Call{Identity: api.Identity{Type: "IAMUser", PrincipalID: "AIDAEXAMPLE", AccountID: "123456789012",
		ARN: "arn:aws:iam::123456789012:user/learner"}}
	out, err := a.Handlers["GetCallerIdentity"](c, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	if want := `{"UserId":"AIDAEXAMPLE","Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/learner"}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	if len(c.Resources) != 0 {
		t.Errorf("GetCallerIdentity concerns no resource in CloudTrail, got %v", c.Resources)
	}
	if got := a.Operations(); len(got) != 1 || got[0] != "GetCallerIdentity" {
		t.Errorf("Operations = %v", got)
	}
}
