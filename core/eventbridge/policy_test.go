package eventbridge

import (
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/core/api"
)

func TestPolicyAllows(t *testing.T) {
	caller := api.Identity{ARN: "arn:aws:iam::111122223333:user/partner", AccountID: "111122223333"}
	bus := "arn:aws:events:us-east-1:123456789012:event-bus/default"
	stmt := func(body string) string { return `{"Version":"2012-10-17","Statement":[` + body + `]}` }
	tests := []struct {
		name, policy string
		want         bool
	}{
		{"no policy", "", false},
		{"not JSON", "{", false},
		{"account root", stmt(`{"Sid":"a","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"events:PutEvents","Resource":"` + bus + `"}`), true},
		{"bare account id", stmt(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"events:PutEvents","Resource":"` + bus + `"}`), true},
		{"user arn in a list", stmt(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999999999999:root","arn:aws:iam::111122223333:user/partner"]},"Action":["events:PutEvents"],"Resource":"` + bus + `"}`), true},
		{"other account", stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"events:PutEvents","Resource":"` + bus + `"}`), false},
		{"everyone", stmt(`{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"` + bus + `"}`), true},
		{"action wildcard", stmt(`{"Effect":"Allow","Principal":"*","Action":"events:*","Resource":"` + bus + `"}`), true},
		{"other action", stmt(`{"Effect":"Allow","Principal":"*","Action":"events:PutRule","Resource":"` + bus + `"}`), false},
		{"other bus", stmt(`{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:123456789012:event-bus/orders"}`), false},
		{"resource wildcard", stmt(`{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:123456789012:event-bus/*"}`), true},
		{"explicit deny wins", stmt(`{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"` + bus + `"},{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"events:PutEvents","Resource":"` + bus + `"}`), false},
		{"organization condition never holds", stmt(`{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"` + bus + `","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1234567890"}}}`), false},
		{"principal account condition", stmt(`{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"` + bus + `","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}`), true},
		{"single statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"` + bus + `"}}`, true},
		{"not principal is not simulated", stmt(`{"Effect":"Allow","NotPrincipal":{"AWS":"1"},"Action":"events:PutEvents","Resource":"` + bus + `"}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := policyAllows(tt.policy, caller, "events:PutEvents", bus); got != tt.want {
				t.Errorf("policyAllows = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWildcard(t *testing.T) {
	for _, tt := range []struct {
		p, s string
		want bool
	}{
		{"a*", "a/b/c", true},
		{"a?c", "abc", true},
		{"a[b]", "a[b]", true},
		{"a[b]*", "ab", false},
		{`a\*`, `a\x`, true},
		{"*a*a*a*a*a*a*b", strings.Repeat("a", 5000), false},
		{"*", "", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"abc", "abd", false},
	} {
		if got := wildcard(tt.p, tt.s); got != tt.want {
			t.Errorf("wildcard(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}

// FuzzPolicyAllows feeds bus policies of any shape to the evaluator: it
// answers, never panics.
func FuzzPolicyAllows(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:123456789012:event-bus/default"}]}`, "events:PutEvents")
	f.Add(`{"Statement":{"Effect":"Deny","Principal":{"AWS":["111122223333"]},"Action":["events:*"],"Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:*"}}}}`, "events:PutEvents")
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":5},"Action":"[","Resource":"\\"}]}`, "x")
	f.Add(`{"Statement":[null,1,"s",[]]}`, "")
	f.Fuzz(func(t *testing.T, policy, action string) {
		caller := api.Identity{ARN: "arn:aws:iam::111122223333:user/partner", AccountID: "111122223333"}
		policyAllows(policy, caller, action, "arn:aws:events:us-east-1:123456789012:event-bus/default")
		wildcard(policy, action)
	})
}
