package schemas

import (
	"strings"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/store"
)

// DiscovererOutput describes a discoverer (CreateDiscoverer,
// DescribeDiscoverer, UpdateDiscoverer and the items of ListDiscoverers).
type DiscovererOutput struct {
	Description   string `json:",omitempty"`
	DiscovererArn string
	DiscovererId  string
	SourceArn     string
	State         string
	CrossAccount  bool
	Tags          map[string]string
}

func (s *Service) discovererOut(d *discoverer) *DiscovererOutput {
	return &DiscovererOutput{Description: d.Description, DiscovererArn: s.arn("discoverer", d.ID),
		DiscovererId: d.ID, SourceArn: d.SourceArn, State: d.State, CrossAccount: d.CrossAccount, Tags: tagsOf(d.Tags)}
}

// busName returns the name of the bus an ARN of this account and region
// names: arn:aws:events:REGION:ACCOUNT:event-bus/NAME.
func (s *Service) busName(arn string) (string, bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[2] != "events" || p[3] != s.d.Region || p[4] != s.d.Account ||
		!strings.HasPrefix(p[5], "event-bus/") {
		return "", false
	}
	name := strings.TrimPrefix(p[5], "event-bus/")
	return name, name != ""
}

// discovererID is the id AWS gives the discoverer of a bus.
func discovererID(bus string) string { return "events-event-bus-" + bus }

// CreateDiscovererInput is the request of CreateDiscoverer.
type CreateDiscovererInput struct {
	Description  *string
	SourceArn    string
	CrossAccount *bool
	Tags         map[string]string
}

// CreateDiscoverer starts discovering the schemas of the events on a bus.
// The discoverer is STARTED and its id is events-event-bus-<bus name>.
func (s *Service) CreateDiscoverer(c *api.Call, in *CreateDiscovererInput) (*DiscovererOutput, error) {
	bus, ok := s.busName(in.SourceArn)
	if !ok {
		return nil, errBadRequest("SourceArn " + in.SourceArn + " is not the ARN of an event bus of this account and region.")
	}
	d := &discoverer{ID: discovererID(bus), SourceArn: in.SourceArn, State: "STARTED", CrossAccount: true, Tags: in.Tags}
	if in.Description != nil {
		d.Description = *in.Description
	}
	if in.CrossAccount != nil {
		d.CrossAccount = *in.CrossAccount
	}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if store.Exists(tx, discovererPrefix+esc(d.ID)) {
			return errConflict("Discoverer with id " + d.ID + " already exists.")
		}
		return store.SetJSON(tx, discovererPrefix+esc(d.ID), d)
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Discoverer", d.ID, s.arn("discoverer", d.ID))
	return s.discovererOut(d), nil
}

// DiscovererInput is a request naming a discoverer.
type DiscovererInput struct {
	DiscovererId string
}

func (s *Service) loadDiscoverer(tx *store.Tx, id string) (*discoverer, error) {
	var d discoverer
	if err := store.GetJSON(tx, discovererPrefix+esc(id), &d); err != nil {
		if err == store.ErrNotFound {
			return nil, errNotFound("Discoverer with id " + id + " does not exist.")
		}
		return nil, err
	}
	return &d, nil
}

// DescribeDiscoverer describes a discoverer.
func (s *Service) DescribeDiscoverer(c *api.Call, in *DiscovererInput) (*DiscovererOutput, error) {
	var d *discoverer
	err := s.d.Store.View(func(tx *store.Tx) (err error) {
		d, err = s.loadDiscoverer(tx, in.DiscovererId)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.discovererOut(d), nil
}

// UpdateDiscovererInput is the request of UpdateDiscoverer.
type UpdateDiscovererInput struct {
	DiscovererId string
	Description  *string
	CrossAccount *bool
}

// UpdateDiscoverer changes a discoverer's description or cross-account
// setting.
func (s *Service) UpdateDiscoverer(c *api.Call, in *UpdateDiscovererInput) (*DiscovererOutput, error) {
	return s.modify(c, in.DiscovererId, func(d *discoverer) {
		if in.Description != nil {
			d.Description = *in.Description
		}
		if in.CrossAccount != nil {
			d.CrossAccount = *in.CrossAccount
		}
	})
}

func (s *Service) modify(c *api.Call, id string, fn func(d *discoverer)) (*DiscovererOutput, error) {
	var d *discoverer
	err := s.d.Store.Update(func(tx *store.Tx) (err error) {
		if d, err = s.loadDiscoverer(tx, id); err != nil {
			return err
		}
		fn(d)
		return store.SetJSON(tx, discovererPrefix+esc(id), d)
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Discoverer", d.ID, s.arn("discoverer", d.ID))
	return s.discovererOut(d), nil
}

// StateOutput is the response of StartDiscoverer and StopDiscoverer.
type StateOutput struct {
	DiscovererId string
	State        string
}

// StartDiscoverer starts a discoverer.
func (s *Service) StartDiscoverer(c *api.Call, in *DiscovererInput) (*StateOutput, error) {
	d, err := s.modify(c, in.DiscovererId, func(d *discoverer) { d.State = "STARTED" })
	if err != nil {
		return nil, err
	}
	return &StateOutput{d.DiscovererId, d.State}, nil
}

// StopDiscoverer stops a discoverer: events on its bus are no longer
// discovered. Discovered schemas are kept.
func (s *Service) StopDiscoverer(c *api.Call, in *DiscovererInput) (*StateOutput, error) {
	d, err := s.modify(c, in.DiscovererId, func(d *discoverer) { d.State = "STOPPED" })
	if err != nil {
		return nil, err
	}
	return &StateOutput{d.DiscovererId, d.State}, nil
}

// DeleteDiscoverer deletes a discoverer; the schemas it discovered stay in
// discovered-schemas.
func (s *Service) DeleteDiscoverer(c *api.Call, in *DiscovererInput) (*struct{}, error) {
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.loadDiscoverer(tx, in.DiscovererId); err != nil {
			return err
		}
		_, err := tx.Delete(discovererPrefix + esc(in.DiscovererId))
		return err
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Discoverer", in.DiscovererId, s.arn("discoverer", in.DiscovererId))
	return nil, nil
}

// ListDiscoverersInput is the request of ListDiscoverers.
type ListDiscoverersInput struct {
	DiscovererIdPrefix *string
	SourceArnPrefix    *string
	Limit              *int
	NextToken          *string
}

// ListDiscoverersOutput is the response of ListDiscoverers.
type ListDiscoverersOutput struct {
	Discoverers []*DiscovererOutput
	NextToken   *string `json:",omitempty"`
}

// ListDiscoverers lists the discoverers by id.
func (s *Service) ListDiscoverers(c *api.Call, in *ListDiscoverersInput) (*ListDiscoverersOutput, error) {
	var all []*DiscovererOutput
	err := s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, discovererPrefix, func(_, v string) bool {
			var d discoverer
			if jsonUnmarshal(v, &d) != nil {
				return true
			}
			if in.DiscovererIdPrefix != nil && !strings.HasPrefix(d.ID, *in.DiscovererIdPrefix) {
				return true
			}
			if in.SourceArnPrefix != nil && !strings.HasPrefix(d.SourceArn, *in.SourceArnPrefix) {
				return true
			}
			o := s.discovererOut(&d)
			o.Description = ""
			all = append(all, o)
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	items, next, err := page(all, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ListDiscoverersOutput{Discoverers: items, NextToken: next}, nil
}
