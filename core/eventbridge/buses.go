package eventbridge

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// CreateEventBusInput is the request of CreateEventBus.
type CreateEventBusInput struct {
	Name            string
	EventSourceName *string
	Description     *string
	Tags            []Tag
}

// CreateEventBusOutput is the response of CreateEventBus.
type CreateEventBusOutput struct {
	EventBusArn string
	Description *string `json:",omitempty"`
}

// CreateEventBus creates a custom event bus.
func (s *Service) CreateEventBus(c *api.Call, in *CreateEventBusInput) (*CreateEventBusOutput, error) {
	if in.Name == DefaultBus {
		return nil, awserr.BadRequest("ResourceAlreadyExistsException", "Event bus default already exists.")
	}
	partner := in.EventSourceName != nil
	if partner && *in.EventSourceName != in.Name {
		return nil, invalid("Event bus name must match the event source name " + *in.EventSourceName + ".")
	}
	if strings.Contains(in.Name, "/") && !partner {
		return nil, invalid("Event bus name must not contain '/'.")
	}
	if strings.HasPrefix(in.Name, "aws.") && !partner {
		return nil, invalid("Event bus name must not start with 'aws.'.")
	}
	now := s.now()
	b := bus{Name: in.Name, Created: now, Modified: now, Tags: in.Tags}
	if in.Description != nil {
		b.Description = *in.Description
	}
	err := s.update(func(tx *store.Tx) error {
		if store.Exists(tx, busKey(in.Name)) {
			return awserr.BadRequest("ResourceAlreadyExistsException", "Event bus "+in.Name+" already exists.")
		}
		n := 1
		store.Prefix(tx, busPrefix, func(string, string) bool { n++; return true })
		if n >= MaxBuses {
			return limitExceeded
		}
		if partner {
			if err := s.attachPartnerBus(tx, in.Name); err != nil {
				return err
			}
		}
		return store.SetJSON(tx, busKey(in.Name), b)
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::Events::EventBus", in.Name, s.busARN(in.Name))
	return &CreateEventBusOutput{EventBusArn: s.busARN(in.Name), Description: in.Description}, nil
}

// DescribeEventBusInput is the request of DescribeEventBus.
type DescribeEventBusInput struct {
	Name *string
}

// EventBus describes a bus in responses.
type EventBus struct {
	Name             string
	Arn              string
	Description      string     `json:",omitempty"`
	Policy           string     `json:",omitempty"`
	CreationTime     *time.Time `json:",omitempty"`
	LastModifiedTime *time.Time `json:",omitempty"`
}

func (s *Service) describeBus(b *bus) EventBus {
	out := EventBus{Name: b.Name, Arn: s.busARN(b.Name), Description: b.Description, Policy: b.Policy}
	if !b.Created.IsZero() {
		c, m := b.Created, b.Modified
		out.CreationTime, out.LastModifiedTime = &c, &m
	}
	return out
}

// DescribeEventBus describes a bus (the default bus when no name is given).
func (s *Service) DescribeEventBus(_ *api.Call, in *DescribeEventBusInput) (*EventBus, error) {
	name := busName(in.Name)
	var out EventBus
	err := s.view(func(tx *store.Tx) error {
		b, ok := getBus(tx, name)
		if !ok {
			return busNotFound(name)
		}
		out = s.describeBus(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListEventBusesInput is the request of ListEventBuses.
type ListEventBusesInput struct {
	NamePrefix *string
	NextToken  *string
	Limit      *int
}

// ListEventBusesOutput is the response of ListEventBuses.
type ListEventBusesOutput struct {
	EventBuses []EventBus
	NextToken  *string `json:",omitempty"`
}

// ListEventBuses lists the buses by name.
func (s *Service) ListEventBuses(_ *api.Call, in *ListEventBusesInput) (*ListEventBusesOutput, error) {
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	var all []*bus
	s.view(func(tx *store.Tx) error {
		seenDefault := false
		store.Prefix(tx, busPrefix, func(k, v string) bool {
			var b bus
			if json.Unmarshal([]byte(v), &b) == nil {
				all = append(all, &b)
				seenDefault = seenDefault || b.Name == DefaultBus
			}
			return true
		})
		if !seenDefault {
			all = append(all, &bus{Name: DefaultBus})
		}
		return nil
	})
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	out := &ListEventBusesOutput{EventBuses: []EventBus{}}
	limit := limitOf(in.Limit)
	for _, b := range all {
		if in.NamePrefix != nil && !strings.HasPrefix(b.Name, *in.NamePrefix) || b.Name <= after && after != "" {
			continue
		}
		if len(out.EventBuses) == limit {
			out.NextToken = encodeToken(out.EventBuses[limit-1].Name)
			break
		}
		out.EventBuses = append(out.EventBuses, s.describeBus(b))
	}
	return out, nil
}

// DeleteEventBusInput is the request of DeleteEventBus.
type DeleteEventBusInput struct {
	Name string
}

// DeleteEventBus deletes a custom bus with its rules and their targets.
// Deleting a bus that does not exist succeeds.
func (s *Service) DeleteEventBus(c *api.Call, in *DeleteEventBusInput) (*struct{}, error) {
	if in.Name == DefaultBus {
		return nil, invalid("Cannot delete event bus default.")
	}
	var rules []string
	err := s.update(func(tx *store.Tx) error {
		var keys []string
		for _, p := range []string{rulePrefix + in.Name + "/", targetPrefix + in.Name + "/", schedPrefix + in.Name + "/"} {
			// A partner bus name has slashes: keys of a bus whose name
			// continues this one's (a/b and a/b/c) are not its own. A rule
			// or schedule key has one more segment, a target key two.
			segs := 1
			if strings.HasPrefix(p, targetPrefix) {
				segs = 2
			}
			store.Prefix(tx, p, func(k, _ string) bool {
				if strings.Count(k[len(p):], "/") == segs-1 {
					keys = append(keys, k)
				}
				return true
			})
		}
		for _, k := range keys {
			if strings.HasPrefix(k, rulePrefix) {
				rules = append(rules, k[strings.LastIndexByte(k, '/')+1:])
			}
			if strings.HasPrefix(k, schedPrefix) {
				if due, err := tx.Get(k); err == nil {
					tx.Delete(due)
				}
			}
			tx.Delete(k)
		}
		if store.Exists(tx, busKey(in.Name)) {
			s.detachPartnerBus(tx, in.Name)
		}
		tx.Delete(busKey(in.Name))
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.arm()
	c.AddResource("AWS::Events::EventBus", in.Name, s.busARN(in.Name))
	return nil, nil
}

// Condition is the condition of PutPermission.
type Condition struct {
	Type  string
	Key   string
	Value string
}

// PutPermissionInput is the request of PutPermission.
type PutPermissionInput struct {
	EventBusName *string
	Action       *string
	Principal    *string
	StatementId  *string
	Condition    *Condition
	Policy       *string
}

type policyDoc struct {
	Version   string
	Statement []map[string]any
}

// PutPermission adds a statement to a bus's resource policy, or replaces the
// policy when Policy is given.
func (s *Service) PutPermission(_ *api.Call, in *PutPermissionInput) (*struct{}, error) {
	name := busName(in.EventBusName)
	return nil, s.update(func(tx *store.Tx) error {
		b, ok := getBus(tx, name)
		if !ok {
			return busNotFound(name)
		}
		if in.Policy != nil {
			var doc map[string]any
			if json.Unmarshal([]byte(*in.Policy), &doc) != nil || doc == nil {
				return awserr.BadRequest("MalformedPolicyDocumentException", "Policy document is not valid JSON.")
			}
			b.Policy = string(marshal(doc))
		} else {
			if in.Action == nil || in.Principal == nil || in.StatementId == nil {
				missing := "StatementId"
				switch {
				case in.Action == nil:
					missing = "Action"
				case in.Principal == nil:
					missing = "Principal"
				}
				return invalid("Parameter " + missing + " is not valid. Reason: " + missing + " is a required argument.")
			}
			var doc policyDoc
			if b.Policy == "" || json.Unmarshal([]byte(b.Policy), &doc) != nil {
				doc = policyDoc{Version: "2012-10-17"}
			}
			st := map[string]any{"Sid": *in.StatementId, "Effect": "Allow"}
			if *in.Principal == "*" {
				st["Principal"] = "*"
			} else {
				st["Principal"] = map[string]any{"AWS": "arn:aws:iam::" + *in.Principal + ":root"}
			}
			st["Action"] = *in.Action
			st["Resource"] = s.busARN(name)
			if in.Condition != nil {
				st["Condition"] = map[string]any{in.Condition.Type: map[string]any{in.Condition.Key: in.Condition.Value}}
			}
			kept := doc.Statement[:0]
			for _, x := range doc.Statement {
				if x["Sid"] != *in.StatementId {
					kept = append(kept, x)
				}
			}
			doc.Statement = append(kept, st)
			b.Policy = string(policyJSON(doc))
		}
		if len(b.Policy) > 10240 {
			return awserr.BadRequest("PolicyLengthExceededException", "The event bus policy is too long.")
		}
		b.Modified = s.now()
		return store.SetJSON(tx, busKey(name), b)
	})
}

// policyJSON writes a policy with its statement members in AWS's order.
func policyJSON(doc policyDoc) []byte {
	var sb strings.Builder
	sb.WriteString(`{"Version":"` + doc.Version + `","Statement":[`)
	for i, st := range doc.Statement {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('{')
		first := true
		for _, k := range []string{"Sid", "Effect", "Principal", "Action", "Resource", "Condition"} {
			v, ok := st[k]
			if !ok {
				continue
			}
			if !first {
				sb.WriteByte(',')
			}
			first = false
			sb.Write(marshal(k))
			sb.WriteByte(':')
			sb.Write(marshal(v))
		}
		sb.WriteByte('}')
	}
	sb.WriteString("]}")
	return []byte(sb.String())
}

// RemovePermissionInput is the request of RemovePermission.
type RemovePermissionInput struct {
	StatementId          *string
	RemoveAllPermissions *bool
	EventBusName         *string
}

// RemovePermission removes a statement (or the whole policy) of a bus.
func (s *Service) RemovePermission(_ *api.Call, in *RemovePermissionInput) (*struct{}, error) {
	name := busName(in.EventBusName)
	return nil, s.update(func(tx *store.Tx) error {
		b, ok := getBus(tx, name)
		if !ok {
			return busNotFound(name)
		}
		gone := notFound("Statement with the provided id does not exist.")
		if in.RemoveAllPermissions != nil && *in.RemoveAllPermissions {
			b.Policy = ""
		} else {
			if in.StatementId == nil {
				return invalid("Parameter StatementId is not valid. Reason: StatementId is a required argument.")
			}
			var doc policyDoc
			if b.Policy == "" || json.Unmarshal([]byte(b.Policy), &doc) != nil {
				return gone
			}
			kept := doc.Statement[:0]
			for _, x := range doc.Statement {
				if x["Sid"] != *in.StatementId {
					kept = append(kept, x)
				}
			}
			if len(kept) == len(doc.Statement) {
				return gone
			}
			doc.Statement = kept
			b.Policy = ""
			if len(kept) > 0 {
				b.Policy = string(policyJSON(doc))
			}
		}
		b.Modified = s.now()
		return store.SetJSON(tx, busKey(name), b)
	})
}

// Tagging: rules and buses carry tags.

// TagResourceInput is the request of TagResource.
type TagResourceInput struct {
	ResourceARN string
	Tags        []Tag
}

// UntagResourceInput is the request of UntagResource.
type UntagResourceInput struct {
	ResourceARN string
	TagKeys     []string
}

// ListTagsForResourceInput is the request of ListTagsForResource.
type ListTagsForResourceInput struct {
	ResourceARN string
}

// ListTagsForResourceOutput is the response of ListTagsForResource.
type ListTagsForResourceOutput struct {
	Tags []Tag
}

// withTags reads, changes and writes the tags of the resource an ARN names.
func (s *Service) withTags(arn string, fn func([]Tag) []Tag) ([]Tag, error) {
	prefix := s.arn("")
	var out []Tag
	err := s.update(func(tx *store.Tx) error {
		if !strings.HasPrefix(arn, prefix) {
			return invalid("Parameter ResourceARN is not valid.")
		}
		res := arn[len(prefix):]
		switch {
		case strings.HasPrefix(res, "event-bus/"):
			name := res[len("event-bus/"):]
			b, ok := getBus(tx, name)
			if !ok {
				return busNotFound(name)
			}
			b.Tags = fn(b.Tags)
			out = b.Tags
			if name == DefaultBus && len(b.Tags) == 0 && b.Policy == "" && !store.Exists(tx, busKey(name)) {
				return nil
			}
			return store.SetJSON(tx, busKey(name), b)
		case strings.HasPrefix(res, "rule/"):
			busN, name := DefaultBus, res[len("rule/"):]
			if i := strings.LastIndexByte(name, '/'); i >= 0 {
				busN, name = name[:i], name[i+1:]
			}
			var r rule
			if store.GetJSON(tx, ruleKey(busN, name), &r) != nil {
				return ruleNotFound(name, busN)
			}
			r.Tags = fn(r.Tags)
			out = r.Tags
			return store.SetJSON(tx, ruleKey(busN, name), r)
		}
		return invalid("Parameter ResourceARN is not valid.")
	})
	return out, err
}

// TagResource adds or replaces tags of a rule or a bus.
func (s *Service) TagResource(_ *api.Call, in *TagResourceInput) (*struct{}, error) {
	_, err := s.withTags(in.ResourceARN, func(tags []Tag) []Tag {
		for _, t := range in.Tags {
			replaced := false
			for i := range tags {
				if tags[i].Key == t.Key {
					tags[i].Value, replaced = t.Value, true
				}
			}
			if !replaced {
				tags = append(tags, t)
			}
		}
		return tags
	})
	return nil, err
}

// UntagResource removes tags of a rule or a bus.
func (s *Service) UntagResource(_ *api.Call, in *UntagResourceInput) (*struct{}, error) {
	_, err := s.withTags(in.ResourceARN, func(tags []Tag) []Tag {
		kept := tags[:0]
		for _, t := range tags {
			drop := false
			for _, k := range in.TagKeys {
				drop = drop || k == t.Key
			}
			if !drop {
				kept = append(kept, t)
			}
		}
		return kept
	})
	return nil, err
}

// ListTagsForResource lists the tags of a rule or a bus.
func (s *Service) ListTagsForResource(_ *api.Call, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	tags, err := s.withTags(in.ResourceARN, func(t []Tag) []Tag { return t })
	if err != nil {
		return nil, err
	}
	if tags == nil {
		tags = []Tag{}
	}
	return &ListTagsForResourceOutput{Tags: tags}, nil
}
