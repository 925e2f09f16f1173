package world

import (
	"errors"
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/ids"
)

// Profiles: a world knows a small fixed set of principals, selected per call
// the way the AWS CLI selects credentials (--profile NAME).
const (
	// DefaultProfile is the learner, an IAM user of the world's account.
	DefaultProfile = "default"
	// PartnerProfile is an IAM user of a second account: another company
	// that sends events to the world's buses, or a SaaS partner that owns
	// partner event sources.
	PartnerProfile = "partner"
	// PartnerAccount is the account of PartnerProfile (AltPartnerAccount when
	// the world itself is PartnerAccount).
	PartnerAccount    = "111122223333"
	AltPartnerAccount = "444455556666"
	// PartnerUser is the user name of PartnerProfile.
	PartnerUser = "partner"
	// PartnerName is the SaaS partner name of PartnerProfile: its partner
	// event sources are named aws.partner/PartnerName/...
	PartnerName = "example.com"
	// BuiltinPartnerName is the simulated SaaS partner the learner may act
	// as without switching profiles.
	BuiltinPartnerName = "saas.telltale.dev"
)

// Profile is one principal a call can be made as.
type Profile struct {
	Name     string
	Identity api.Identity
	// Partner is the SaaS partner name the principal owns partner event
	// sources under (aws.partner/Partner/...).
	Partner string
	// Summary says who it is, for help.
	Summary string
}

// ProfileNotFoundError is the AWS CLI's (botocore's ProfileNotFound) error
// for a --profile the world does not know.
type ProfileNotFoundError struct{ Name string }

func (e *ProfileNotFoundError) Error() string {
	return fmt.Sprintf("The config profile (%s) could not be found", e.Name)
}

// ErrNotSimulated is returned by Invoke when a call made with another
// account's profile would act on that account's own resources, which the
// world does not simulate. It is not an AWS error.
var ErrNotSimulated = errors.New("telltale: not simulated")

// partnerAccount returns the account of the partner profile of a world.
func partnerAccount(worldAccount string) string {
	if worldAccount == PartnerAccount {
		return AltPartnerAccount
	}
	return PartnerAccount
}

// Profiles returns the profiles of the world, the default first.
func (w *World) Profiles() []Profile {
	acct := partnerAccount(w.account)
	// The partner's ids come from their own stream of the world's seed, so
	// that they are stable and do not move the world's id sequence.
	g := ids.New(w.ids.Seed() ^ 0x7061727472656e31)
	partner := api.Identity{
		Type:        "IAMUser",
		PrincipalID: "AIDA" + g.Upper(17),
		ARN:         fmt.Sprintf("arn:aws:iam::%s:user/%s", acct, PartnerUser),
		AccountID:   acct,
		AccessKeyID: "AKIA" + g.Upper(16),
		UserName:    PartnerUser,
	}
	return []Profile{
		{Name: DefaultProfile, Identity: w.identity, Partner: BuiltinPartnerName,
			Summary: fmt.Sprintf("the IAM user %s of the world's account (built-in SaaS partner %s)", w.identity.UserName, BuiltinPartnerName)},
		{Name: PartnerProfile, Identity: partner, Partner: PartnerName,
			Summary: fmt.Sprintf("the IAM user %s of another account, %s (SaaS partner %s)", PartnerUser, acct, PartnerName)},
	}
}

// Profile returns the profile called name ("" is the default).
func (w *World) Profile(name string) (Profile, error) {
	if name == "" {
		name = DefaultProfile
	}
	for _, p := range w.Profiles() {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, &ProfileNotFoundError{Name: name}
}

// crossAccountOps are the calls another account's principal can make that
// concern the world's account: its own identity, events it sends to the
// world's buses (the bus policy decides), and the partner side of partner
// event sources.
var crossAccountOps = map[string][]string{
	"sts": {"GetCallerIdentity"},
	"events": {"PutEvents", "CreatePartnerEventSource", "DeletePartnerEventSource", "DescribePartnerEventSource",
		"ListPartnerEventSources", "ListPartnerEventSourceAccounts", "PutPartnerEvents"},
}

// checkCrossAccount refuses a call of another account's principal that the
// world cannot simulate.
func (w *World) checkCrossAccount(p Profile, service, op string) error {
	if p.Identity.AccountID == w.account {
		return nil
	}
	for _, o := range crossAccountOps[service] {
		if o == op {
			return nil
		}
	}
	var allowed []string
	for _, svc := range sortedKeys(crossAccountOps) {
		for _, o := range crossAccountOps[svc] {
			allowed = append(allowed, svc+" "+api.CLIName(o))
		}
	}
	return fmt.Errorf("%w: the profile %s is account %s, whose own resources this world does not simulate "+
		"(it simulates account %s); with --profile %s you can call: %s", ErrNotSimulated, p.Name,
		p.Identity.AccountID, w.account, p.Name, strings.Join(allowed, ", "))
}
