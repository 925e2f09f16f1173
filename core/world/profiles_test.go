package world_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/world"
)

func TestProfiles(t *testing.T) {
	w := newWorld(t)
	ps := w.Profiles()
	if len(ps) != 2 || ps[0].Name != world.DefaultProfile || ps[1].Name != world.PartnerProfile {
		t.Fatalf("profiles = %+v", ps)
	}
	if ps[0].Identity != w.Identity() {
		t.Errorf("default identity = %+v, want the world's %+v", ps[0].Identity, w.Identity())
	}
	p := ps[1].Identity
	if p.AccountID != world.PartnerAccount || p.ARN != "arn:aws:iam::111122223333:user/partner" || p.UserName != "partner" ||
		!strings.HasPrefix(p.PrincipalID, "AIDA") || len(p.PrincipalID) != 21 || !strings.HasPrefix(p.AccessKeyID, "AKIA") {
		t.Errorf("partner identity = %+v", p)
	}
	// Stable, and reading them does not move the world's ids.
	before, _ := w.Snapshot()
	if again := w.Profiles(); again[1].Identity != p {
		t.Errorf("partner identity changed: %+v", again[1].Identity)
	}
	after, _ := w.Snapshot()
	if string(before) != string(after) {
		t.Error("Profiles changed the world")
	}
	// A restored world has the same profiles.
	r, err := world.Restore(after)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Profiles()[1].Identity != p {
		t.Error("restored world has another partner identity")
	}
	// A world whose account is the partner's gets another partner account.
	o, err := world.New(world.Config{Seed: 42, Start: start, Account: world.PartnerAccount})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if got := o.Profiles()[1].Identity.AccountID; got != world.AltPartnerAccount {
		t.Errorf("partner account of world %s = %s", world.PartnerAccount, got)
	}
}

func TestInvokeWithProfile(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name, profile, service, op string
		wantArn                    string
		wantErr                    string
	}{
		{"default", "", "sts", "GetCallerIdentity", "arn:aws:iam::123456789012:user/learner", ""},
		{"default by name", "default", "sts", "GetCallerIdentity", "arn:aws:iam::123456789012:user/learner", ""},
		{"partner", "partner", "sts", "GetCallerIdentity", "arn:aws:iam::111122223333:user/partner", ""},
		{"unknown", "nobody", "sts", "GetCallerIdentity", "", "The config profile (nobody) could not be found"},
		{"partner's own resources", "partner", "events", "ListRules", "", "the profile partner is account 111122223333"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := w.Invoke(world.Request{Service: tt.service, Operation: tt.op, Profile: tt.profile})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				var pe *world.ProfileNotFoundError
				if tt.name == "unknown" && !errors.As(err, &pe) {
					t.Errorf("err is %T", err)
				}
				if tt.name == "partner's own resources" && !errors.Is(err, world.ErrNotSimulated) {
					t.Errorf("err is %T", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if arn, _ := resp.(api.Ordered).Get("Arn"); arn != tt.wantArn {
				t.Errorf("Arn = %v, want %s", arn, tt.wantArn)
			}
		})
	}
	// The partner's own calls are not in the world's event history.
	resp, err := w.Invoke(world.Request{Service: "cloudtrail", Operation: "LookupEvents"})
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := resp.(api.Ordered).Get("Events")
	for _, e := range evs.([]any) {
		if u, _ := e.(api.Ordered).Get("Username"); u == "partner" {
			t.Errorf("partner call recorded: %v", e)
		}
	}
}
