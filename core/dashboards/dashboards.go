// Package dashboards simulates CloudWatch dashboards: PutDashboard (with
// AWS's validation of the dashboard body, see Validate), GetDashboard,
// ListDashboards and DeleteDashboards.
//
// Dashboards are part of the "cloudwatch" service of the CLI: world merges
// these handlers with those of packages metrics and alarms. Dashboards are
// global (not regional): their ARN has no region,
// arn:aws:cloudwatch::<account>:dashboard/<name>.
//
// Storage: dashboards/dashboard/<name> holds a dashboard (body as given,
// last modification time, tags).
//
// A Service is not safe for concurrent use.
package dashboards

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

const dashboardPrefix = "dashboards/dashboard/"

// Limits of the dashboard operations.
const (
	// MaxNameLength is the longest dashboard name.
	MaxNameLength = 255
	// ListPageSize is how many dashboards ListDashboards returns at once.
	ListPageSize = 1000
	// MaxDelete is how many dashboards DeleteDashboards deletes at once.
	MaxDelete = 100
	// MaxTags is how many tags a dashboard may have.
	MaxTags = 50
)

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	Account string
}

// Service is the CloudWatch dashboards of a world.
type Service struct {
	d Deps
}

// New returns the service over the world's store.
func New(d Deps) *Service { return &Service{d: d} }

// API describes the dashboard operations of the cloudwatch service; world
// merges its handlers with those of package metrics.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("cloudwatch")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:           "cloudwatch",
		Model:          m,
		ValidationCode: "ValidationError",
		Handlers: map[string]api.Handler{
			"PutDashboard":     api.Op(s.PutDashboard),
			"GetDashboard":     api.Op(s.GetDashboard),
			"ListDashboards":   api.Op(s.ListDashboards),
			"DeleteDashboards": api.Op(s.DeleteDashboards),
		},
	}, nil
}

// Tag is a key/value pair of a dashboard.
type Tag struct {
	Key   string
	Value string
}

// dashboard is a stored dashboard.
type dashboard struct {
	Name         string    `json:"name"`
	Body         string    `json:"body"`
	LastModified time.Time `json:"modified"`
	Tags         []Tag     `json:"tags,omitempty"`
}

// ARN returns the ARN of a dashboard of account.
func ARN(account, name string) string {
	return fmt.Sprintf("arn:aws:cloudwatch::%s:dashboard/%s", account, name)
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// errInput is DashboardInvalidInputError.
func errInput(msg string) error { return awserr.BadRequest("InvalidParameterInput", msg) }

func errInvalid(format string, args ...any) error {
	return awserr.BadRequest("InvalidParameterValue", fmt.Sprintf(format, args...))
}

// errNotFound is DashboardNotFoundError: "Dashboard <name> does not exist"
// (as GetDashboard answers; the same wording is used for DeleteDashboards,
// unverified there).
func errNotFound(name string) error {
	return awserr.New("ResourceNotFound", 404, "Dashboard "+name+" does not exist")
}

// PutDashboardInput is the request of PutDashboard.
type PutDashboardInput struct {
	DashboardName string
	DashboardBody string
	Tags          []Tag
}

// ValidationMessage is a DashboardValidationMessage.
type ValidationMessage struct {
	DataPath string
	Message  string
}

// PutDashboardOutput is the response of PutDashboard.
type PutDashboardOutput struct {
	DashboardValidationMessages []ValidationMessage
}

// PutDashboard creates or replaces a dashboard. The body must pass
// Validate; tags are kept only when the dashboard is created (as AWS
// ignores them on update). The body is stored as given.
func (s *Service) PutDashboard(c *api.Call, in *PutDashboardInput) (*PutDashboardOutput, error) {
	if in.DashboardName == "" || len(in.DashboardName) > MaxNameLength || !namePattern.MatchString(in.DashboardName) {
		// LocalStack's copy of AWS's message.
		return nil, errInput("The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).\n")
	}
	if len(in.Tags) > MaxTags {
		return nil, errInput(fmt.Sprintf("The collection Tags must not have a size greater than %d.", MaxTags))
	}
	if err := Validate(in.DashboardBody); err != nil {
		return nil, err
	}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		d := dashboard{Name: in.DashboardName, Body: in.DashboardBody, LastModified: c.Now, Tags: in.Tags}
		var old dashboard
		if store.GetJSON(tx, dashboardPrefix+in.DashboardName, &old) == nil {
			d.Tags = old.Tags
		}
		c.AddResource("AWS::CloudWatch::Dashboard", in.DashboardName, ARN(s.d.Account, in.DashboardName))
		return store.SetJSON(tx, dashboardPrefix+in.DashboardName, &d)
	})
	if err != nil {
		return nil, err
	}
	return &PutDashboardOutput{DashboardValidationMessages: []ValidationMessage{}}, nil
}

// GetDashboardInput is the request of GetDashboard.
type GetDashboardInput struct {
	DashboardName string
}

// GetDashboardOutput is the response of GetDashboard.
type GetDashboardOutput struct {
	DashboardArn  string
	DashboardBody string
	DashboardName string
}

func (s *Service) get(name string) (*dashboard, bool) {
	var d dashboard
	ok := false
	s.d.Store.View(func(tx *store.Tx) error {
		ok = store.GetJSON(tx, dashboardPrefix+name, &d) == nil
		return nil
	})
	return &d, ok
}

// GetDashboard returns a dashboard's body as it was put.
func (s *Service) GetDashboard(c *api.Call, in *GetDashboardInput) (*GetDashboardOutput, error) {
	if in.DashboardName == "" {
		return nil, errInvalid("The parameter DashboardName is required.")
	}
	d, ok := s.get(in.DashboardName)
	if !ok {
		return nil, errNotFound(in.DashboardName)
	}
	return &GetDashboardOutput{DashboardArn: ARN(s.d.Account, d.Name), DashboardBody: d.Body, DashboardName: d.Name}, nil
}

// ListDashboardsInput is the request of ListDashboards.
type ListDashboardsInput struct {
	DashboardNamePrefix string
	NextToken           *string
}

// DashboardEntry is a dashboard in ListDashboards.
type DashboardEntry struct {
	DashboardName string
	DashboardArn  string
	LastModified  time.Time
	Size          int64
}

// ListDashboardsOutput is the response of ListDashboards.
type ListDashboardsOutput struct {
	DashboardEntries []DashboardEntry
	NextToken        string `json:",omitempty"`
}

// ListDashboards lists the dashboards whose name starts with the prefix, in
// name order, 1,000 at a time. Size is the body's length in bytes.
func (s *Service) ListDashboards(c *api.Call, in *ListDashboardsInput) (*ListDashboardsOutput, error) {
	after := ""
	if in.NextToken != nil && *in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		if err != nil || len(b) == 0 {
			return nil, errInvalid("The value %s for parameter NextToken is invalid.", *in.NextToken)
		}
		after = string(b)
	}
	out := &ListDashboardsOutput{DashboardEntries: []DashboardEntry{}}
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, dashboardPrefix+in.DashboardNamePrefix, func(_, v string) bool {
			var d dashboard
			if json.Unmarshal([]byte(v), &d) != nil || after != "" && d.Name <= after {
				return true
			}
			if len(out.DashboardEntries) == ListPageSize {
				out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(out.DashboardEntries[ListPageSize-1].DashboardName))
				return false
			}
			out.DashboardEntries = append(out.DashboardEntries, DashboardEntry{DashboardName: d.Name,
				DashboardArn: ARN(s.d.Account, d.Name), LastModified: d.LastModified, Size: int64(len(d.Body))})
			return true
		})
	})
	sort.SliceStable(out.DashboardEntries, func(i, j int) bool {
		return out.DashboardEntries[i].DashboardName < out.DashboardEntries[j].DashboardName
	})
	return out, nil
}

// DeleteDashboardsInput is the request of DeleteDashboards.
type DeleteDashboardsInput struct {
	DashboardNames []string
}

// DeleteDashboards deletes up to 100 dashboards. As AWS, it deletes as many
// as it can: the dashboards that exist are deleted, and a name that does
// not exist answers ResourceNotFound for the first such name.
func (s *Service) DeleteDashboards(c *api.Call, in *DeleteDashboardsInput) (*struct{}, error) {
	if len(in.DashboardNames) == 0 {
		return nil, errInvalid("The parameter DashboardNames is required.")
	}
	if len(in.DashboardNames) > MaxDelete {
		return nil, errInvalid("The collection DashboardNames must not have a size greater than %d.", MaxDelete)
	}
	var missing []string
	err := s.d.Store.Update(func(tx *store.Tx) error {
		var done []string
		for _, n := range in.DashboardNames {
			if containsString(done, n) {
				continue
			}
			done = append(done, n)
			if _, err := tx.Delete(dashboardPrefix + n); err != nil {
				missing = append(missing, n)
				continue
			}
			c.AddResource("AWS::CloudWatch::Dashboard", n, ARN(s.d.Account, n))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, errNotFound(missing[0])
	}
	return &struct{}{}, nil
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
