// Package sts simulates the AWS Security Token Service operations a learner
// needs to see who they are: GetCallerIdentity.
package sts

import (
	"github.com/telltale-dev/telltale/core/api"
)

// Service is the STS of a world. It keeps no state.
type Service struct{}

// New returns the service.
func New() *Service { return &Service{} }

// GetCallerIdentityOutput is the response of GetCallerIdentity.
type GetCallerIdentityOutput struct {
	UserId  string
	Account string
	Arn     string
}

// GetCallerIdentity returns the identity of the caller.
func (s *Service) GetCallerIdentity(c *api.Call, _ *struct{}) (*GetCallerIdentityOutput, error) {
	return &GetCallerIdentityOutput{UserId: c.Identity.PrincipalID, Account: c.Identity.AccountID, Arn: c.Identity.ARN}, nil
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("sts")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:  "sts",
		Model: m,
		Handlers: map[string]api.Handler{
			"GetCallerIdentity": api.Op(s.GetCallerIdentity),
		},
	}, nil
}
