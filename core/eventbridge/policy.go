package eventbridge

import (
	"encoding/json"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
)

// Cross-account PutEvents: a principal of another account may put events on a
// bus of the world's account only when the bus's resource-based policy allows
// it (spec 1.16). The evaluation is the part of IAM's that bus policies use:
// an explicit Deny wins, then an Allow whose Principal, Action and Resource
// match and whose Condition holds.

// policyAllows reports whether a bus policy lets the caller perform action on
// the resource arn.
func policyAllows(policy string, caller api.Identity, action, arn string) bool {
	if policy == "" {
		return false
	}
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(policy), &doc) != nil {
		return false
	}
	var sts []map[string]any
	if json.Unmarshal(doc.Statement, &sts) != nil {
		var one map[string]any
		if json.Unmarshal(doc.Statement, &one) != nil || one == nil {
			return false
		}
		sts = []map[string]any{one}
	}
	allowed := false
	for _, st := range sts {
		if !statementApplies(st, caller, action, arn) {
			continue
		}
		switch st["Effect"] {
		case "Deny":
			return false
		case "Allow":
			allowed = true
		}
	}
	return allowed
}

func statementApplies(st map[string]any, caller api.Identity, action, arn string) bool {
	if _, ok := st["NotPrincipal"]; ok {
		return false // not simulated: never applies
	}
	if !principalMatches(st["Principal"], caller) {
		return false
	}
	if !anyMatch(st["Action"], func(s string) bool { return wildcard(strings.ToLower(s), strings.ToLower(action)) }) {
		return false
	}
	if r, ok := st["Resource"]; ok && !anyMatch(r, func(s string) bool { return wildcard(s, arn) }) {
		return false
	}
	return conditionHolds(st["Condition"], caller)
}

// principalMatches: "*", {"AWS": "*"}, an account id, an account's root ARN,
// or the caller's own ARN (strings or lists of them).
func principalMatches(p any, caller api.Identity) bool {
	if s, ok := p.(string); ok {
		return s == "*"
	}
	m, ok := p.(map[string]any)
	if !ok {
		return false
	}
	return anyMatch(m["AWS"], func(s string) bool {
		return s == "*" || s == caller.AccountID || s == "arn:aws:iam::"+caller.AccountID+":root" || s == caller.ARN
	})
}

// conditionHolds evaluates the condition keys a simulated caller has:
// aws:PrincipalAccount and aws:PrincipalArn. The callers of the simulation
// belong to no organization, so aws:PrincipalOrgID never matches; any other
// key is absent, so its condition fails.
func conditionHolds(c any, caller api.Identity) bool {
	if c == nil {
		return true
	}
	ops, ok := c.(map[string]any)
	if !ok {
		return false
	}
	keys := map[string]string{"aws:principalaccount": caller.AccountID, "aws:principalarn": caller.ARN}
	for op, body := range ops {
		kv, ok := body.(map[string]any)
		if !ok {
			return false
		}
		for k, want := range kv {
			have, present := keys[strings.ToLower(k)]
			if !present {
				return false
			}
			var match func(string) bool
			switch op {
			case "StringEquals":
				match = func(s string) bool { return s == have }
			case "StringEqualsIgnoreCase":
				match = func(s string) bool { return strings.EqualFold(s, have) }
			case "StringLike", "ArnLike", "ArnEquals":
				match = func(s string) bool { return wildcard(s, have) }
			case "StringNotEquals":
				match = func(s string) bool { return s != have }
			default:
				return false
			}
			if !anyMatch(want, match) {
				return false
			}
		}
	}
	return true
}

// anyMatch applies fn to a string or to each string of a list.
func anyMatch(v any, fn func(string) bool) bool {
	switch x := v.(type) {
	case string:
		return fn(x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && fn(s) {
				return true
			}
		}
	}
	return false
}

// wildcard matches IAM's * (any run of characters, slashes included) and ?
// (one character), in time bounded by the product of the lengths (the
// classic two-pointer match that backtracks only to the last star).
func wildcard(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// accessDenied is the per-entry error of an event another account may not
// put on a bus. The wording is IAM's for a cross-account request that no
// resource-based policy allows.
func accessDenied(caller api.Identity, busARN string) (code, msg string) {
	return "AccessDeniedException", "User: " + caller.ARN + " is not authorized to perform: events:PutEvents on resource: " +
		busARN + " because no resource-based policy allows the events:PutEvents action"
}
