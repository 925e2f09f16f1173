package schemas

import (
	"encoding/json"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/store"
)

func jsonUnmarshal(v string, out any) error { return json.Unmarshal([]byte(v), out) }

// RegistryOutput describes a registry (CreateRegistry, DescribeRegistry,
// UpdateRegistry and the items of ListRegistries).
type RegistryOutput struct {
	Description  string `json:",omitempty"`
	RegistryArn  string
	RegistryName string
	Tags         map[string]string
}

func (s *Service) registryOut(r *registry) *RegistryOutput {
	return &RegistryOutput{Description: r.Description, RegistryArn: s.registryARN(r.Name), RegistryName: r.Name, Tags: tagsOf(r.Tags)}
}

func builtinRegistry(name string) *registry {
	if builtin(name) {
		return &registry{Name: name}
	}
	return nil
}

func loadRegistry(tx *store.Tx, name string) (*registry, error) {
	if r := builtinRegistry(name); r != nil {
		return r, nil
	}
	var r registry
	if err := store.GetJSON(tx, registryPrefix+esc(name), &r); err != nil {
		if err == store.ErrNotFound {
			return nil, errNoRegistry(name)
		}
		return nil, err
	}
	return &r, nil
}

// CreateRegistryInput is the request of CreateRegistry.
type CreateRegistryInput struct {
	RegistryName string
	Description  *string
	Tags         map[string]string
}

// CreateRegistry creates a custom registry.
func (s *Service) CreateRegistry(c *api.Call, in *CreateRegistryInput) (*RegistryOutput, error) {
	r := &registry{Name: in.RegistryName, Tags: in.Tags}
	if in.Description != nil {
		r.Description = *in.Description
	}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if registryExists(tx, r.Name) {
			return errConflict("Registry with name " + r.Name + " already exists.")
		}
		return store.SetJSON(tx, registryPrefix+esc(r.Name), r)
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Registry", r.Name, s.registryARN(r.Name))
	return s.registryOut(r), nil
}

// RegistryInput is a request naming a registry.
type RegistryInput struct {
	RegistryName string
}

// DescribeRegistry describes a registry.
func (s *Service) DescribeRegistry(c *api.Call, in *RegistryInput) (*RegistryOutput, error) {
	var r *registry
	err := s.d.Store.View(func(tx *store.Tx) (err error) {
		r, err = loadRegistry(tx, in.RegistryName)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.registryOut(r), nil
}

// UpdateRegistryInput is the request of UpdateRegistry.
type UpdateRegistryInput struct {
	RegistryName string
	Description  *string
}

// UpdateRegistry changes a custom registry's description.
func (s *Service) UpdateRegistry(c *api.Call, in *UpdateRegistryInput) (*RegistryOutput, error) {
	var r *registry
	err := s.d.Store.Update(func(tx *store.Tx) (err error) {
		if builtin(in.RegistryName) {
			return errForbidden("Registry " + in.RegistryName + " is managed by AWS and cannot be changed.")
		}
		if r, err = loadRegistry(tx, in.RegistryName); err != nil {
			return err
		}
		if in.Description != nil {
			r.Description = *in.Description
		}
		return store.SetJSON(tx, registryPrefix+esc(r.Name), r)
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Registry", r.Name, s.registryARN(r.Name))
	return s.registryOut(r), nil
}

// DeleteRegistry deletes a custom registry and its schemas.
func (s *Service) DeleteRegistry(c *api.Call, in *RegistryInput) (*struct{}, error) {
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if builtin(in.RegistryName) {
			return errForbidden("Registry " + in.RegistryName + " is managed by AWS and cannot be deleted.")
		}
		if _, err := loadRegistry(tx, in.RegistryName); err != nil {
			return err
		}
		var keys []string
		for _, p := range []string{schemaPrefix, versionPrefix} {
			store.Prefix(tx, p+esc(in.RegistryName)+"/", func(k, _ string) bool {
				keys = append(keys, k)
				return true
			})
		}
		keys = append(keys, registryPrefix+esc(in.RegistryName))
		for _, k := range keys {
			if _, err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::EventSchemas::Registry", in.RegistryName, s.registryARN(in.RegistryName))
	return nil, nil
}

// ListRegistriesInput is the request of ListRegistries.
type ListRegistriesInput struct {
	RegistryNamePrefix *string
	Scope              *string
	Limit              *int
	NextToken          *string
}

// ListRegistriesOutput is the response of ListRegistries.
type ListRegistriesOutput struct {
	Registries []*RegistryOutput
	NextToken  *string `json:",omitempty"`
}

// ListRegistries lists the registries by name: aws.events and
// discovered-schemas, which AWS provides, and the custom ones. Scope AWS
// keeps aws.events, LOCAL the others.
func (s *Service) ListRegistries(c *api.Call, in *ListRegistriesInput) (*ListRegistriesOutput, error) {
	var all []*RegistryOutput
	err := s.d.Store.View(func(tx *store.Tx) error {
		regs := []*registry{builtinRegistry(RegistryAWSEvents), builtinRegistry(RegistryDiscovered)}
		store.Prefix(tx, registryPrefix, func(_, v string) bool {
			var r registry
			if jsonUnmarshal(v, &r) == nil {
				regs = append(regs, &r)
			}
			return true
		})
		names := make([]string, 0, len(regs))
		byName := map[string]*registry{}
		for _, r := range regs {
			names = append(names, r.Name)
			byName[r.Name] = r
		}
		sortStrings(names)
		for _, n := range names {
			if in.RegistryNamePrefix != nil && !strings.HasPrefix(n, *in.RegistryNamePrefix) {
				continue
			}
			if in.Scope != nil && *in.Scope != "" {
				aws := n == RegistryAWSEvents
				if (*in.Scope == "AWS") != aws {
					continue
				}
			}
			o := s.registryOut(byName[n])
			o.Description = ""
			all = append(all, o)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	items, next, err := page(all, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ListRegistriesOutput{Registries: items, NextToken: next}, nil
}
