package eventbridge

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// Rule states.
const (
	Enabled             = "ENABLED"
	Disabled            = "DISABLED"
	EnabledAllMgmtEvent = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
)

// rule is a stored rule.
type rule struct {
	Name               string
	Bus                string
	EventPattern       string `json:",omitempty"`
	ScheduleExpression string `json:",omitempty"`
	State              string
	Description        string `json:",omitempty"`
	RoleArn            string `json:",omitempty"`
	// Anchor is when the rule was last put: rate schedules count from it.
	Anchor time.Time
	Tags   []Tag `json:",omitempty"`
}

func (r *rule) enabled() bool { return r.State != Disabled }

// PutRuleInput is the request of PutRule.
type PutRuleInput struct {
	Name               string
	ScheduleExpression *string
	EventPattern       *string
	State              *string
	Description        *string
	RoleArn            *string
	Tags               []Tag
	EventBusName       *string
}

// PutRuleOutput is the response of PutRule.
type PutRuleOutput struct {
	RuleArn string
}

// PutRule creates or replaces a rule (omitted fields are reset; tags of an
// existing rule are kept).
func (s *Service) PutRule(c *api.Call, in *PutRuleInput) (*PutRuleOutput, error) {
	busN := busName(in.EventBusName)
	r := rule{Name: in.Name, Bus: busN, State: Enabled, Anchor: s.now(), Tags: in.Tags}
	if in.State != nil {
		r.State = *in.State
	}
	if in.Description != nil {
		r.Description = *in.Description
	}
	if in.RoleArn != nil {
		r.RoleArn = *in.RoleArn
	}
	hasPattern := in.EventPattern != nil && *in.EventPattern != ""
	hasSchedule := in.ScheduleExpression != nil && *in.ScheduleExpression != ""
	if !hasPattern && !hasSchedule {
		return nil, invalid("Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	if hasPattern {
		if _, err := s.program(*in.EventPattern); err != nil {
			return nil, patternError(err)
		}
		r.EventPattern = *in.EventPattern
	}
	if hasSchedule {
		if busN != DefaultBus {
			return nil, invalid("ScheduleExpression is supported only on the default event bus.")
		}
		if _, err := ParseSchedule(*in.ScheduleExpression); err != nil {
			return nil, invalid(err.Error())
		}
		r.ScheduleExpression = *in.ScheduleExpression
	}
	err := s.update(func(tx *store.Tx) error {
		if _, ok := getBus(tx, busN); !ok {
			return busNotFound(busN)
		}
		var old rule
		if store.GetJSON(tx, ruleKey(busN, in.Name), &old) == nil {
			r.Tags = old.Tags
		} else {
			n := 0
			store.Prefix(tx, rulePrefix+busN+"/", func(k, _ string) bool {
				if !strings.Contains(k[len(rulePrefix+busN+"/"):], "/") {
					n++
				}
				return true
			})
			if n >= MaxRulesPerBus {
				return limitExceeded
			}
		}
		if err := store.SetJSON(tx, ruleKey(busN, in.Name), r); err != nil {
			return err
		}
		return s.reschedule(tx, &r)
	})
	if err != nil {
		return nil, err
	}
	s.arm()
	arn := s.ruleARN(busN, in.Name)
	c.AddResource("AWS::Events::Rule", in.Name, arn)
	return &PutRuleOutput{RuleArn: arn}, nil
}

// ruleRef names a rule in a request.
type ruleRef struct {
	Name         string
	EventBusName *string
}

// DescribeRuleOutput is the response of DescribeRule.
type DescribeRuleOutput struct {
	Name               string
	Arn                string
	EventPattern       string `json:",omitempty"`
	ScheduleExpression string `json:",omitempty"`
	State              string
	Description        string `json:",omitempty"`
	RoleArn            string `json:",omitempty"`
	EventBusName       string
	CreatedBy          string
}

// getRule reads a rule, with AWS's errors for a missing bus or rule.
func getRule(tx *store.Tx, busN, name string) (*rule, error) {
	var r rule
	if err := store.GetJSON(tx, ruleKey(busN, name), &r); err != nil {
		if _, ok := getBus(tx, busN); !ok {
			return nil, busNotFound(busN)
		}
		return nil, ruleNotFound(name, busN)
	}
	return &r, nil
}

// DescribeRule describes a rule.
func (s *Service) DescribeRule(_ *api.Call, in *ruleRef) (*DescribeRuleOutput, error) {
	busN := busName(in.EventBusName)
	var out *DescribeRuleOutput
	err := s.view(func(tx *store.Tx) error {
		r, err := getRule(tx, busN, in.Name)
		if err != nil {
			return err
		}
		out = &DescribeRuleOutput{Name: r.Name, Arn: s.ruleARN(busN, r.Name), EventPattern: r.EventPattern,
			ScheduleExpression: r.ScheduleExpression, State: r.State, Description: r.Description, RoleArn: r.RoleArn,
			EventBusName: busN, CreatedBy: s.d.Account}
		return nil
	})
	return out, err
}

// ListRulesInput is the request of ListRules.
type ListRulesInput struct {
	NamePrefix   *string
	EventBusName *string
	NextToken    *string
	Limit        *int
}

// RuleSummary is a rule in ListRules.
type RuleSummary struct {
	Name               string
	Arn                string
	EventPattern       string `json:",omitempty"`
	State              string
	Description        string `json:",omitempty"`
	ScheduleExpression string `json:",omitempty"`
	RoleArn            string `json:",omitempty"`
	EventBusName       string
}

// ListRulesOutput is the response of ListRules.
type ListRulesOutput struct {
	Rules     []RuleSummary
	NextToken *string `json:",omitempty"`
}

// ListRules lists the rules of a bus by name.
func (s *Service) ListRules(_ *api.Call, in *ListRulesInput) (*ListRulesOutput, error) {
	busN := busName(in.EventBusName)
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListRulesOutput{Rules: []RuleSummary{}}
	limit := limitOf(in.Limit)
	err = s.view(func(tx *store.Tx) error {
		if _, ok := getBus(tx, busN); !ok {
			return busNotFound(busN)
		}
		return store.Prefix(tx, rulePrefix+busN+"/", func(_, v string) bool {
			var r rule
			if json.Unmarshal([]byte(v), &r) != nil || r.Bus != busN {
				return true
			}
			if in.NamePrefix != nil && !strings.HasPrefix(r.Name, *in.NamePrefix) || after != "" && r.Name <= after {
				return true
			}
			if len(out.Rules) == limit {
				out.NextToken = encodeToken(out.Rules[limit-1].Name)
				return false
			}
			out.Rules = append(out.Rules, RuleSummary{Name: r.Name, Arn: s.ruleARN(busN, r.Name), EventPattern: r.EventPattern,
				State: r.State, Description: r.Description, ScheduleExpression: r.ScheduleExpression, RoleArn: r.RoleArn, EventBusName: busN})
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) setState(c *api.Call, in *ruleRef, state string) error {
	busN := busName(in.EventBusName)
	err := s.update(func(tx *store.Tx) error {
		r, err := getRule(tx, busN, in.Name)
		if err != nil {
			return err
		}
		if state == Enabled && r.State != Disabled {
			return nil // ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS stays
		}
		if r.State == state {
			return nil
		}
		r.State = state
		if err := store.SetJSON(tx, ruleKey(busN, in.Name), r); err != nil {
			return err
		}
		return s.reschedule(tx, r)
	})
	if err == nil {
		s.arm()
		c.AddResource("AWS::Events::Rule", in.Name, s.ruleARN(busN, in.Name))
	}
	return err
}

// EnableRule enables a rule.
func (s *Service) EnableRule(c *api.Call, in *ruleRef) (*struct{}, error) {
	return nil, s.setState(c, in, Enabled)
}

// DisableRule disables a rule: it matches nothing and its schedule stops.
func (s *Service) DisableRule(c *api.Call, in *ruleRef) (*struct{}, error) {
	return nil, s.setState(c, in, Disabled)
}

// DeleteRuleInput is the request of DeleteRule.
type DeleteRuleInput struct {
	Name         string
	EventBusName *string
	Force        *bool
}

// DeleteRule deletes a rule without targets. Deleting a rule that does not
// exist on an existing bus succeeds.
func (s *Service) DeleteRule(c *api.Call, in *DeleteRuleInput) (*struct{}, error) {
	busN := busName(in.EventBusName)
	err := s.update(func(tx *store.Tx) error {
		if _, ok := getBus(tx, busN); !ok {
			return busNotFound(busN)
		}
		if !store.Exists(tx, ruleKey(busN, in.Name)) {
			return nil
		}
		has := false
		store.Prefix(tx, targetsPrefix(busN, in.Name), func(string, string) bool { has = true; return false })
		if has {
			return invalid("Rule can't be deleted since it has targets.")
		}
		tx.Delete(ruleKey(busN, in.Name))
		return s.reschedule(tx, &rule{Name: in.Name, Bus: busN, State: Disabled})
	})
	if err != nil {
		return nil, err
	}
	s.arm()
	c.AddResource("AWS::Events::Rule", in.Name, s.ruleARN(busN, in.Name))
	return nil, nil
}

// ListRuleNamesByTargetInput is the request of ListRuleNamesByTarget.
type ListRuleNamesByTargetInput struct {
	TargetArn    string
	EventBusName *string
	NextToken    *string
	Limit        *int
}

// ListRuleNamesByTargetOutput is the response of ListRuleNamesByTarget.
type ListRuleNamesByTargetOutput struct {
	RuleNames []string
	NextToken *string `json:",omitempty"`
}

// ListRuleNamesByTarget lists the rules of a bus that have a target with the
// given ARN.
func (s *Service) ListRuleNamesByTarget(_ *api.Call, in *ListRuleNamesByTargetInput) (*ListRuleNamesByTargetOutput, error) {
	busN := busName(in.EventBusName)
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListRuleNamesByTargetOutput{RuleNames: []string{}}
	limit := limitOf(in.Limit)
	err = s.view(func(tx *store.Tx) error {
		if _, ok := getBus(tx, busN); !ok {
			return busNotFound(busN)
		}
		last := ""
		return store.Prefix(tx, targetPrefix+busN+"/", func(k, v string) bool {
			var t Target
			if json.Unmarshal([]byte(v), &t) != nil || t.Arn != in.TargetArn {
				return true
			}
			rest := strings.TrimPrefix(k, targetPrefix+busN+"/")
			if strings.Count(rest, "/") != 1 {
				return true // a target of a bus whose name continues this one's
			}
			name := rest[:strings.LastIndexByte(rest, '/')]
			if name == last || after != "" && name <= after {
				return true
			}
			if len(out.RuleNames) == limit {
				out.NextToken = encodeToken(last)
				return false
			}
			last = name
			out.RuleNames = append(out.RuleNames, name)
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Target is a target of a rule, as PutTargets takes it. Members this
// simulation does not interpret are kept as they were given.
type Target struct {
	Id               string
	Arn              string
	RoleArn          *string           `json:",omitempty"`
	Input            *string           `json:",omitempty"`
	InputPath        *string           `json:",omitempty"`
	InputTransformer *InputTransformer `json:",omitempty"`
	DeadLetterConfig *DeadLetterConfig `json:",omitempty"`
	RetryPolicy      *RetryPolicy      `json:",omitempty"`
}

// InputTransformer is the InputTransformer of a target.
type InputTransformer struct {
	InputPathsMap map[string]string `json:",omitempty"`
	InputTemplate string
}

// DeadLetterConfig is the dead-letter queue of a target.
type DeadLetterConfig struct {
	Arn *string `json:",omitempty"`
}

// RetryPolicy is the retry policy of a target.
type RetryPolicy struct {
	MaximumRetryAttempts     *int `json:",omitempty"`
	MaximumEventAgeInSeconds *int `json:",omitempty"`
}

// PutTargetsInput is the request of PutTargets.
type PutTargetsInput struct {
	Rule         string
	EventBusName *string
	Targets      []json.RawMessage
}

// TargetResult is a failed entry of PutTargets or RemoveTargets.
type TargetResult struct {
	TargetId     string
	ErrorCode    string
	ErrorMessage string
}

// PutTargetsOutput is the response of PutTargets.
type PutTargetsOutput struct {
	FailedEntryCount int
	FailedEntries    []TargetResult
}

// checkTarget checks a target's input settings (spec 1.11, 1.12).
func checkTarget(t *Target) error {
	n := 0
	for _, set := range []bool{t.Input != nil, t.InputPath != nil, t.InputTransformer != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return invalid("Only one of Input, InputPath, or InputTransformer must be provided for target " + t.Id + ".")
	}
	if t.Input != nil && !json.Valid([]byte(*t.Input)) {
		return invalid("Parameter Input is not valid JSON.")
	}
	if t.InputPath != nil && *t.InputPath != "" {
		if _, err := parsePath(*t.InputPath); err != nil {
			return invalid("Parameter InputPath is not valid.")
		}
	}
	if tr := t.InputTransformer; tr != nil {
		keys := map[string]bool{}
		for k, p := range tr.InputPathsMap {
			if strings.HasPrefix(k, "AWS.") || predefined(k) {
				return invalid("InputPathsMap for target " + t.Id + " contains reserved key " + k + ".")
			}
			if _, err := parsePath(p); err != nil {
				return invalid("Parameter InputPathsMap is not valid for target " + t.Id + ". Reason: " + p + " is not a valid JSON path.")
			}
			keys[k] = true
		}
		if len(tr.InputPathsMap) > 100 {
			return invalid("InputPathsMap for target " + t.Id + " has more than 100 entries.")
		}
		if _, err := parseTemplate(tr.InputTemplate, keys); err != nil {
			return invalid("InputTemplate for target " + t.Id + " contains invalid placeholder " + err.(errPlaceholder).name + ".")
		}
	}
	return nil
}

// PutTargets adds targets to a rule or replaces those with the same Id.
func (s *Service) PutTargets(c *api.Call, in *PutTargetsInput) (*PutTargetsOutput, error) {
	busN := busName(in.EventBusName)
	ts := make([]Target, len(in.Targets))
	for i, raw := range in.Targets {
		if err := json.Unmarshal(raw, &ts[i]); err != nil {
			return nil, awserr.BadRequest("SerializationException", err.Error())
		}
		if err := checkTarget(&ts[i]); err != nil {
			return nil, err
		}
	}
	err := s.update(func(tx *store.Tx) error {
		if _, err := getRule(tx, busN, in.Rule); err != nil {
			return err
		}
		existing := map[string]bool{}
		store.Prefix(tx, targetsPrefix(busN, in.Rule), func(k, _ string) bool {
			existing[k[strings.LastIndexByte(k, '/')+1:]] = true
			return true
		})
		for _, t := range ts {
			existing[t.Id] = true
		}
		if len(existing) > MaxTargetsPerRule {
			return limitExceeded
		}
		for i, t := range ts {
			if _, _, err := tx.Set(targetsPrefix(busN, in.Rule)+t.Id, string(compact(in.Targets[i])), nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::Events::Rule", in.Rule, s.ruleARN(busN, in.Rule))
	return &PutTargetsOutput{FailedEntries: []TargetResult{}}, nil
}

// RemoveTargetsInput is the request of RemoveTargets.
type RemoveTargetsInput struct {
	Rule         string
	EventBusName *string
	Ids          []string
	Force        *bool
}

// RemoveTargetsOutput is the response of RemoveTargets.
type RemoveTargetsOutput struct {
	FailedEntryCount int
	FailedEntries    []TargetResult
}

// RemoveTargets removes targets from a rule; ids it does not have are ignored.
func (s *Service) RemoveTargets(c *api.Call, in *RemoveTargetsInput) (*RemoveTargetsOutput, error) {
	busN := busName(in.EventBusName)
	err := s.update(func(tx *store.Tx) error {
		if _, err := getRule(tx, busN, in.Rule); err != nil {
			return err
		}
		for _, id := range in.Ids {
			tx.Delete(targetsPrefix(busN, in.Rule) + id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::Events::Rule", in.Rule, s.ruleARN(busN, in.Rule))
	return &RemoveTargetsOutput{FailedEntries: []TargetResult{}}, nil
}

// ListTargetsByRuleInput is the request of ListTargetsByRule.
type ListTargetsByRuleInput struct {
	Rule         string
	EventBusName *string
	NextToken    *string
	Limit        *int
}

// ListTargetsByRuleOutput is the response of ListTargetsByRule.
type ListTargetsByRuleOutput struct {
	Targets   []json.RawMessage
	NextToken *string `json:",omitempty"`
}

// ListTargetsByRule lists the targets of a rule by Id.
func (s *Service) ListTargetsByRule(_ *api.Call, in *ListTargetsByRuleInput) (*ListTargetsByRuleOutput, error) {
	busN := busName(in.EventBusName)
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListTargetsByRuleOutput{Targets: []json.RawMessage{}}
	limit := limitOf(in.Limit)
	last := ""
	err = s.view(func(tx *store.Tx) error {
		if _, err := getRule(tx, busN, in.Rule); err != nil {
			return err
		}
		return store.Prefix(tx, targetsPrefix(busN, in.Rule), func(k, v string) bool {
			id := k[strings.LastIndexByte(k, '/')+1:]
			if after != "" && id <= after {
				return true
			}
			if len(out.Targets) == limit {
				out.NextToken = encodeToken(last)
				return false
			}
			last = id
			out.Targets = append(out.Targets, json.RawMessage(v))
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// compact removes insignificant space from JSON.
func compact(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return b
	}
	return out.Bytes()
}
