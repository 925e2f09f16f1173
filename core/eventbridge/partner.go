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

// Partner event sources (simulated SaaS). A SaaS partner offers an event
// source, named aws.partner/<partner>/<...>, to a customer account
// (CreatePartnerEventSource). The customer sees it PENDING (ListEventSources)
// until it creates the matching partner event bus (CreateEventBus with
// EventSourceName, the bus named like the source), which makes it ACTIVE; the
// events the partner then puts (PutPartnerEvents) reach that bus's rules.
// Deactivating puts the source back to PENDING; a source the partner deletes
// while its bus exists becomes DELETED.
//
// Which partner a caller is comes from Deps.PartnerOf. Sources offered to
// accounts other than the world's are kept (the partner lists them) but no
// customer side exists for them.

// Event source states.
const (
	SourcePending = "PENDING"
	SourceActive  = "ACTIVE"
	SourceDeleted = "DELETED"
)

// PendingSourceLifetime is how long a pending source lasts before it expires
// (the API's ExpirationTime; AWS documents two weeks for a deactivated one).
const PendingSourceLifetime = 14 * 24 * time.Hour

const sourcePrefix = "events/source/" // events/source/<name>#<account>

func sourceKey(name, account string) string { return sourcePrefix + name + "#" + account }

// partnerSource is one offer of a source to one account.
type partnerSource struct {
	Name    string
	Account string // the customer
	Partner string // CreatedBy: the partner's name
	Owner   string // the partner's account
	Created time.Time
	State   string
	// Since is when the source last became PENDING: it expires
	// PendingSourceLifetime later.
	Since time.Time
}

func (s *Service) sourceARN(name string) string {
	return "arn:aws:events:" + s.d.Region + "::event-source/" + name
}

// partnerOf returns the SaaS partner name of the caller.
func (s *Service) partnerOf(c *api.Call) string {
	if s.d.PartnerOf == nil {
		return ""
	}
	acct := c.Identity.AccountID
	if acct == "" {
		acct = s.d.Account
	}
	return s.d.PartnerOf(acct)
}

// ownsName reports whether the caller's partner may use a source name.
func (s *Service) ownsName(c *api.Call, name string) bool {
	p := s.partnerOf(c)
	return p != "" && strings.HasPrefix(name, "aws.partner/"+p+"/")
}

func (s *Service) notPartner(c *api.Call, action, name string) error {
	return awserr.BadRequest("AccessDeniedException", "User: "+c.Identity.ARN+" is not authorized to perform: events:"+
		action+" on resource: "+s.sourceARN(name))
}

func sourceNotFound(name string) error { return notFound("Event source " + name + " does not exist.") }

// effective returns a source as it is now: a source PENDING for longer than
// PendingSourceLifetime has expired, which leaves it DELETED when its
// partner bus exists and gone (false) otherwise. Expiry is computed when the
// source is read, so that it needs no clock job.
func (s *Service) effective(tx *store.Tx, ps partnerSource) (partnerSource, bool) {
	if ps.State != SourcePending || s.now().Before(ps.Since.Add(PendingSourceLifetime)) {
		return ps, true
	}
	if ps.Account == s.d.Account && store.Exists(tx, busKey(ps.Name)) {
		ps.State = SourceDeleted
		return ps, true
	}
	return ps, false
}

// getSource reads the live offer of a source to an account.
func (s *Service) getSource(tx *store.Tx, name, account string) (partnerSource, bool) {
	var ps partnerSource
	if store.GetJSON(tx, sourceKey(name, account), &ps) != nil {
		return ps, false
	}
	return s.effective(tx, ps)
}

// sourcesNamed returns the live offers of a source name, by account.
func (s *Service) sourcesNamed(tx *store.Tx, name string) []partnerSource {
	var out []partnerSource
	store.Prefix(tx, sourcePrefix+name+"#", func(_, v string) bool {
		var ps partnerSource
		if json.Unmarshal([]byte(v), &ps) == nil && ps.Name == name {
			if ps, ok := s.effective(tx, ps); ok {
				out = append(out, ps)
			}
		}
		return true
	})
	return out
}

// CreatePartnerEventSourceInput is the request of CreatePartnerEventSource.
type CreatePartnerEventSourceInput struct {
	Name    string
	Account string
}

// CreatePartnerEventSourceOutput is the response of CreatePartnerEventSource.
type CreatePartnerEventSourceOutput struct {
	EventSourceArn string
}

// CreatePartnerEventSource offers a source of the caller's partner to an
// account. A name is offered to one account only.
func (s *Service) CreatePartnerEventSource(c *api.Call, in *CreatePartnerEventSourceInput) (*CreatePartnerEventSourceOutput, error) {
	if !s.ownsName(c, in.Name) {
		return nil, s.notPartner(c, "CreatePartnerEventSource", in.Name)
	}
	err := s.update(func(tx *store.Tx) error {
		// A partner makes one source per customer account: a name is
		// offered to one account.
		if len(s.sourcesNamed(tx, in.Name)) > 0 {
			return awserr.BadRequest("ResourceAlreadyExistsException", "Event source "+in.Name+" already exists.")
		}
		return store.SetJSON(tx, sourceKey(in.Name, in.Account), partnerSource{Name: in.Name, Account: in.Account,
			Partner: s.partnerOf(c), Owner: c.Identity.AccountID, Created: s.now(), State: SourcePending, Since: s.now()})
	})
	if err != nil {
		return nil, err
	}
	if in.Account == s.d.Account {
		c.AddResource("AWS::Events::EventSource", in.Name, s.sourceARN(in.Name))
	}
	return &CreatePartnerEventSourceOutput{EventSourceArn: s.sourceARN(in.Name)}, nil
}

// DeletePartnerEventSourceInput is the request of DeletePartnerEventSource.
type DeletePartnerEventSourceInput struct {
	Name    string
	Account string
}

// DeletePartnerEventSource withdraws a source from an account: it is gone,
// or DELETED while the customer's partner bus exists. Deleting a source that
// does not exist succeeds.
func (s *Service) DeletePartnerEventSource(c *api.Call, in *DeletePartnerEventSourceInput) (*struct{}, error) {
	if !s.ownsName(c, in.Name) {
		return nil, s.notPartner(c, "DeletePartnerEventSource", in.Name)
	}
	err := s.update(func(tx *store.Tx) error {
		ps, ok := s.getSource(tx, in.Name, in.Account)
		if !ok {
			tx.Delete(sourceKey(in.Name, in.Account))
			return nil
		}
		if in.Account == s.d.Account && store.Exists(tx, busKey(in.Name)) {
			ps.State = SourceDeleted
			return store.SetJSON(tx, sourceKey(in.Name, in.Account), ps)
		}
		tx.Delete(sourceKey(in.Name, in.Account))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if in.Account == s.d.Account {
		c.AddResource("AWS::Events::EventSource", in.Name, s.sourceARN(in.Name))
	}
	return nil, nil
}

// DescribePartnerEventSourceInput is the request of DescribePartnerEventSource.
type DescribePartnerEventSourceInput struct {
	Name string
}

// PartnerEventSource is a source as its partner sees it.
type PartnerEventSource struct {
	Arn  string
	Name string
}

// DescribePartnerEventSource describes a source of the caller's partner.
func (s *Service) DescribePartnerEventSource(c *api.Call, in *DescribePartnerEventSourceInput) (*PartnerEventSource, error) {
	if !s.ownsName(c, in.Name) {
		return nil, s.notPartner(c, "DescribePartnerEventSource", in.Name)
	}
	var n int
	s.view(func(tx *store.Tx) error { n = len(s.sourcesNamed(tx, in.Name)); return nil })
	if n == 0 {
		return nil, sourceNotFound(in.Name)
	}
	return &PartnerEventSource{Arn: s.sourceARN(in.Name), Name: in.Name}, nil
}

// ListPartnerEventSourcesInput is the request of ListPartnerEventSources.
type ListPartnerEventSourcesInput struct {
	NamePrefix string
	NextToken  *string
	Limit      *int
}

// ListPartnerEventSourcesOutput is the response of ListPartnerEventSources.
type ListPartnerEventSourcesOutput struct {
	PartnerEventSources []PartnerEventSource
	NextToken           *string `json:",omitempty"`
}

// ListPartnerEventSources lists the caller's partner's sources by name.
func (s *Service) ListPartnerEventSources(c *api.Call, in *ListPartnerEventSourcesInput) (*ListPartnerEventSourcesOutput, error) {
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	s.view(func(tx *store.Tx) error {
		store.Prefix(tx, sourcePrefix, func(_, v string) bool {
			var ps partnerSource
			if json.Unmarshal([]byte(v), &ps) == nil && s.ownsName(c, ps.Name) && strings.HasPrefix(ps.Name, in.NamePrefix) {
				if _, ok := s.effective(tx, ps); ok {
					names[ps.Name] = true
				}
			}
			return true
		})
		return nil
	})
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	out := &ListPartnerEventSourcesOutput{PartnerEventSources: []PartnerEventSource{}}
	limit := limitOf(in.Limit)
	for _, n := range sorted {
		if after != "" && n <= after {
			continue
		}
		if len(out.PartnerEventSources) == limit {
			out.NextToken = encodeToken(out.PartnerEventSources[limit-1].Name)
			break
		}
		out.PartnerEventSources = append(out.PartnerEventSources, PartnerEventSource{Arn: s.sourceARN(n), Name: n})
	}
	return out, nil
}

// ListPartnerEventSourceAccountsInput is the request of
// ListPartnerEventSourceAccounts.
type ListPartnerEventSourceAccountsInput struct {
	EventSourceName string
	NextToken       *string
	Limit           *int
}

// PartnerEventSourceAccount is an account a source is offered to.
type PartnerEventSourceAccount struct {
	Account        string
	CreationTime   time.Time
	ExpirationTime *time.Time `json:",omitempty"`
	State          string
}

// ListPartnerEventSourceAccountsOutput is the response of
// ListPartnerEventSourceAccounts.
type ListPartnerEventSourceAccountsOutput struct {
	PartnerEventSourceAccounts []PartnerEventSourceAccount
	NextToken                  *string `json:",omitempty"`
}

// ListPartnerEventSourceAccounts lists the accounts a source of the caller's
// partner is offered to.
func (s *Service) ListPartnerEventSourceAccounts(c *api.Call, in *ListPartnerEventSourceAccountsInput) (*ListPartnerEventSourceAccountsOutput, error) {
	if !s.ownsName(c, in.EventSourceName) {
		return nil, s.notPartner(c, "ListPartnerEventSourceAccounts", in.EventSourceName)
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	var all []partnerSource
	s.view(func(tx *store.Tx) error { all = s.sourcesNamed(tx, in.EventSourceName); return nil })
	if len(all) == 0 {
		return nil, sourceNotFound(in.EventSourceName)
	}
	out := &ListPartnerEventSourceAccountsOutput{PartnerEventSourceAccounts: []PartnerEventSourceAccount{}}
	limit := limitOf(in.Limit)
	for _, ps := range all {
		if after != "" && ps.Account <= after {
			continue
		}
		if len(out.PartnerEventSourceAccounts) == limit {
			out.NextToken = encodeToken(out.PartnerEventSourceAccounts[limit-1].Account)
			break
		}
		out.PartnerEventSourceAccounts = append(out.PartnerEventSourceAccounts, PartnerEventSourceAccount{
			Account: ps.Account, CreationTime: ps.Created, ExpirationTime: expiration(ps), State: ps.State})
	}
	return out, nil
}

func expiration(ps partnerSource) *time.Time {
	if ps.State != SourcePending {
		return nil
	}
	t := ps.Since.Add(PendingSourceLifetime)
	return &t
}

// PutPartnerEventsRequestEntry is one entry of PutPartnerEvents.
type PutPartnerEventsRequestEntry struct {
	Time       *time.Time
	Source     *string
	Resources  []string
	DetailType *string
	Detail     *string
}

// PutPartnerEventsInput is the request of PutPartnerEvents.
type PutPartnerEventsInput struct {
	Entries []PutPartnerEventsRequestEntry
}

// PutPartnerEvents puts a partner's events on the partner buses of the
// accounts its sources are active in. An entry for a source of another
// partner fails; one for a source that is not active anywhere in the world
// is accepted and dropped.
func (s *Service) PutPartnerEvents(c *api.Call, in *PutPartnerEventsInput) (*PutEventsOutput, error) {
	total := 0
	for i := range in.Entries {
		e := &in.Entries[i]
		total += EntrySize(&PutEventsRequestEntry{Time: e.Time, Source: e.Source, Resources: e.Resources, DetailType: e.DetailType, Detail: e.Detail})
	}
	if total > MaxEntriesSize {
		return nil, invalid("Total size of the entries in the request is over the limit.")
	}
	out := &PutEventsOutput{Entries: make([]PutEventsResultEntry, len(in.Entries))}
	for i := range in.Entries {
		e := &in.Entries[i]
		code, msg := checkEntry(&PutEventsRequestEntry{Source: e.Source, DetailType: e.DetailType, Detail: e.Detail})
		if code == "" && !s.ownsName(c, *e.Source) {
			code, msg = "NotAuthorizedForSourceException", "Not authorized for the source."
		}
		if code != "" {
			out.Entries[i] = PutEventsResultEntry{ErrorCode: code, ErrorMessage: msg}
			out.FailedEntryCount++
			continue
		}
		env := &envelope{ID: s.d.IDs.UUID(), DetailType: *e.DetailType, Source: *e.Source, Time: c.Now,
			Resources: e.Resources, Detail: compact([]byte(*e.Detail))}
		if e.Time != nil {
			env.Time = *e.Time
		}
		out.Entries[i] = PutEventsResultEntry{EventId: env.ID}
		active := false
		s.view(func(tx *store.Tx) error {
			ps, ok := s.getSource(tx, *e.Source, s.d.Account)
			active = ok && ps.State == SourceActive && store.Exists(tx, busKey(*e.Source))
			return nil
		})
		if active {
			s.dispatch(*e.Source, env, dispatchOpts{})
		}
	}
	return out, nil
}

// Customer side: the world's account.

// EventSource is a partner event source as the customer sees it.
type EventSource struct {
	Arn            string
	CreatedBy      string
	CreationTime   time.Time
	ExpirationTime *time.Time `json:",omitempty"`
	Name           string
	State          string
}

func (s *Service) eventSource(ps partnerSource) EventSource {
	return EventSource{Arn: s.sourceARN(ps.Name), CreatedBy: ps.Partner, CreationTime: ps.Created,
		ExpirationTime: expiration(ps), Name: ps.Name, State: ps.State}
}

// ListEventSourcesInput is the request of ListEventSources.
type ListEventSourcesInput struct {
	NamePrefix *string
	NextToken  *string
	Limit      *int
}

// ListEventSourcesOutput is the response of ListEventSources.
type ListEventSourcesOutput struct {
	EventSources []EventSource
	NextToken    *string `json:",omitempty"`
}

// ListEventSources lists the partner event sources offered to the account.
func (s *Service) ListEventSources(_ *api.Call, in *ListEventSourcesInput) (*ListEventSourcesOutput, error) {
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	var all []partnerSource
	s.view(func(tx *store.Tx) error {
		store.Prefix(tx, sourcePrefix, func(_, v string) bool {
			var ps partnerSource
			if json.Unmarshal([]byte(v), &ps) == nil && ps.Account == s.d.Account {
				if ps, ok := s.effective(tx, ps); ok {
					all = append(all, ps)
				}
			}
			return true
		})
		return nil
	})
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	out := &ListEventSourcesOutput{EventSources: []EventSource{}}
	limit := limitOf(in.Limit)
	for _, ps := range all {
		if in.NamePrefix != nil && !strings.HasPrefix(ps.Name, *in.NamePrefix) || after != "" && ps.Name <= after {
			continue
		}
		if len(out.EventSources) == limit {
			out.NextToken = encodeToken(out.EventSources[limit-1].Name)
			break
		}
		out.EventSources = append(out.EventSources, s.eventSource(ps))
	}
	return out, nil
}

// EventSourceNameInput is the request of DescribeEventSource,
// ActivateEventSource and DeactivateEventSource.
type EventSourceNameInput struct {
	Name string
}

// DescribeEventSource describes a partner event source offered to the
// account.
func (s *Service) DescribeEventSource(_ *api.Call, in *EventSourceNameInput) (*EventSource, error) {
	var out EventSource
	err := s.view(func(tx *store.Tx) error {
		ps, ok := s.getSource(tx, in.Name, s.d.Account)
		if !ok {
			return sourceNotFound(in.Name)
		}
		out = s.eventSource(ps)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ActivateEventSource makes a deactivated source, whose partner bus exists,
// ACTIVE again.
func (s *Service) ActivateEventSource(c *api.Call, in *EventSourceNameInput) (*struct{}, error) {
	return nil, s.setSourceState(c, in.Name, SourceActive)
}

// DeactivateEventSource stops an ACTIVE source's events (PENDING); its bus
// is kept.
func (s *Service) DeactivateEventSource(c *api.Call, in *EventSourceNameInput) (*struct{}, error) {
	return nil, s.setSourceState(c, in.Name, SourcePending)
}

func (s *Service) setSourceState(c *api.Call, name, to string) error {
	err := s.update(func(tx *store.Tx) error {
		ps, ok := s.getSource(tx, name, s.d.Account)
		if !ok {
			return sourceNotFound(name)
		}
		bad := awserr.BadRequest("InvalidStateException", "Event source "+name+" is in state "+ps.State+".")
		switch {
		case to == SourceActive && (ps.State == SourceDeleted || !store.Exists(tx, busKey(name))):
			return bad
		case to == SourcePending && ps.State == SourceDeleted:
			return bad
		}
		if to == SourcePending && ps.State != SourcePending {
			ps.Since = s.now()
		}
		ps.State = to
		return store.SetJSON(tx, sourceKey(name, s.d.Account), ps)
	})
	if err == nil {
		c.AddResource("AWS::Events::EventSource", name, s.sourceARN(name))
	}
	return err
}

// attachPartnerBus and detachPartnerBus keep a source's state with its
// bus: creating the bus activates a pending source; deleting it leaves the
// source pending (or removes one the partner deleted).
func (s *Service) attachPartnerBus(tx *store.Tx, name string) error {
	ps, ok := s.getSource(tx, name, s.d.Account)
	if !ok {
		return sourceNotFound(name)
	}
	if ps.State != SourcePending {
		return awserr.BadRequest("InvalidStateException", "Event source "+name+" is in state "+ps.State+".")
	}
	ps.State = SourceActive
	return store.SetJSON(tx, sourceKey(name, s.d.Account), ps)
}

func (s *Service) detachPartnerBus(tx *store.Tx, name string) {
	var ps partnerSource
	if store.GetJSON(tx, sourceKey(name, s.d.Account), &ps) != nil {
		return
	}
	if ps.State == SourceDeleted {
		tx.Delete(sourceKey(name, s.d.Account))
		return
	}
	if ps.State != SourcePending {
		ps.State, ps.Since = SourcePending, s.now()
	}
	_ = store.SetJSON(tx, sourceKey(name, s.d.Account), ps)
}
