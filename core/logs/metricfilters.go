package logs

import (
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/filterpattern"
	"github.com/telltale-dev/telltale/core/store"
)

// MetricTransformation says what a metric filter publishes.
type MetricTransformation struct {
	MetricName      string            `json:"metricName"`
	MetricNamespace string            `json:"metricNamespace"`
	MetricValue     string            `json:"metricValue"`
	DefaultValue    *float64          `json:"defaultValue,omitempty"`
	Dimensions      map[string]string `json:"dimensions,omitempty"`
	Unit            string            `json:"unit,omitempty"`
}

// PutMetricFilterInput is the request of PutMetricFilter.
type PutMetricFilterInput struct {
	LogGroupName          string
	FilterName            string
	FilterPattern         string
	MetricTransformations []MetricTransformation
}

type metricFilter struct {
	Name           string
	Pattern        string
	Transformation MetricTransformation
	Created        int64
}

// compiled is a metric filter ready to run over events.
type compiled struct {
	f     metricFilter
	p     *filterpattern.Pattern
	value *filterpattern.Ref
	dims  map[string]*filterpattern.Ref
}

func patternError(err error) error {
	if fe, ok := err.(*filterpattern.Error); ok {
		return fe.AWS()
	}
	return err
}

func compile(f metricFilter) (*compiled, error) {
	p, err := filterpattern.Parse(f.Pattern)
	if err != nil {
		return nil, patternError(err)
	}
	t := f.Transformation
	if len(t.Dimensions) > 0 && !p.SupportsDimensions() {
		return nil, awserr.BadRequest(filterpattern.ErrorCode, filterpattern.MessageNoDimensions)
	}
	// metricValue is a number or a $ reference to a field of the pattern
	// (a bare word is refused, as CloudFormation users report). Unverified
	// wording.
	if !strings.HasPrefix(t.MetricValue, "$") {
		if _, err := strconv.ParseFloat(strings.TrimSpace(t.MetricValue), 64); err != nil {
			return nil, errInvalid("Invalid metric value: %s. The metric value must be a number or a $ reference to a field of the filter pattern.", t.MetricValue)
		}
	}
	v, err := p.Ref(t.MetricValue)
	if err != nil {
		return nil, patternError(err)
	}
	c := &compiled{f: f, p: p, value: v, dims: map[string]*filterpattern.Ref{}}
	for _, k := range sortedKeys(t.Dimensions) {
		r, err := p.Ref(t.Dimensions[k])
		if err != nil {
			return nil, patternError(err)
		}
		c.dims[k] = r
	}
	return c, nil
}

// datum is what the filter publishes for an ingested event: metricValue on
// a match, defaultValue otherwise (when set).
func (c *compiled) datum(e InputLogEvent) (MetricDatum, bool) {
	t := c.f.Transformation
	d := MetricDatum{Namespace: t.MetricNamespace, MetricName: t.MetricName, Timestamp: time.UnixMilli(e.Timestamp).UTC(), Unit: t.Unit}
	m, ok := c.p.Match(e.Message)
	if !ok {
		if t.DefaultValue == nil {
			return d, false
		}
		d.Value = *t.DefaultValue
		return d, true
	}
	vs, ok := m.Value(c.value)
	if !ok {
		return d, false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(vs), 64)
	if err != nil {
		return d, false
	}
	d.Value = v
	if len(c.dims) > 0 {
		d.Dimensions = map[string]string{}
		for k, r := range c.dims {
			dv, ok := m.Value(r)
			if !ok || dv == "" {
				return d, false
			}
			d.Dimensions[k] = dv
		}
	}
	return d, true
}

func (s *Service) metricFilters(tx *store.Tx, g string) ([]*compiled, error) {
	var out []*compiled
	var ferr error
	store.Prefix(tx, mfilterPrefix+g+sep, func(_, v string) bool {
		var f metricFilter
		if ferr = jsonUnmarshal(v, &f); ferr != nil {
			return false
		}
		c, err := compile(f)
		if err != nil {
			return true // stored filters were valid when put
		}
		out = append(out, c)
		return true
	})
	return out, ferr
}

// PutMetricFilter creates or replaces a metric filter of a group. It is not
// retroactive: only events ingested afterwards publish.
func (s *Service) PutMetricFilter(c *api.Call, in *PutMetricFilterInput) (*struct{}, error) {
	if len(in.MetricTransformations) != 1 {
		return nil, errInvalid("1 validation error detected: Value at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1")
	}
	t := in.MetricTransformations[0]
	if len(t.Dimensions) > MaxDimensions {
		// Unverified wording.
		return nil, errInvalid("A metric filter can have at most %d dimensions.", MaxDimensions)
	}
	if len(t.Dimensions) > 0 && t.DefaultValue != nil {
		// Unverified wording.
		return nil, errInvalid("You cannot specify a default value for a metric filter with dimensions.")
	}
	f := metricFilter{Name: in.FilterName, Pattern: in.FilterPattern, Transformation: t, Created: ms(c.Now)}
	cf, err := compile(f)
	if err != nil {
		return nil, err
	}
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		k := mfilterPrefix + in.LogGroupName + sep + in.FilterName
		var old metricFilter
		exists := store.GetJSON(tx, k, &old) == nil
		if exists {
			f.Created = old.Created
		}
		existing, err := s.metricFilters(tx, in.LogGroupName)
		if err != nil {
			return err
		}
		count, regex := 0, 0
		for _, e := range existing {
			if e.f.Name == in.FilterName {
				continue
			}
			count++
			if e.p.HasRegex() {
				regex++
			}
		}
		if count >= MaxMetricFilters {
			return awserr.BadRequest("LimitExceededException", "Resource limit exceeded.")
		}
		if cf.p.HasRegex() && regex >= MaxRegexFilters {
			// Unverified wording.
			return awserr.BadRequest("LimitExceededException", "A log group can have at most 5 metric filters with regular expressions.")
		}
		return store.SetJSON(tx, k, f)
	})
}

// DescribeMetricFiltersInput is the request of DescribeMetricFilters.
type DescribeMetricFiltersInput struct {
	LogGroupName     string
	FilterNamePrefix string
	NextToken        *string
	Limit            *int
	MetricName       string
	MetricNamespace  string
}

// MetricFilterView is a metric filter as DescribeMetricFilters shows it.
type MetricFilterView struct {
	FilterName            string                 `json:"filterName"`
	FilterPattern         string                 `json:"filterPattern"`
	MetricTransformations []MetricTransformation `json:"metricTransformations"`
	CreationTime          int64                  `json:"creationTime"`
	LogGroupName          string                 `json:"logGroupName"`
	ApplyOnTransformed    bool                   `json:"applyOnTransformedLogs"`
}

// DescribeMetricFiltersOutput is the response of DescribeMetricFilters.
type DescribeMetricFiltersOutput struct {
	MetricFilters []MetricFilterView `json:"metricFilters"`
	NextToken     string             `json:"nextToken,omitempty"`
}

// DescribeMetricFilters lists metric filters of a group (or of all groups),
// by filter name prefix or by metric, in group then filter name order, 50
// to a page by default.
func (s *Service) DescribeMetricFilters(c *api.Call, in *DescribeMetricFiltersInput) (*DescribeMetricFiltersOutput, error) {
	if (in.MetricName == "") != (in.MetricNamespace == "") {
		// Unverified wording.
		return nil, errInvalid("metricName and metricNamespace must be specified together.")
	}
	if in.FilterNamePrefix != "" && in.LogGroupName == "" {
		// Unverified wording.
		return nil, errInvalid("logGroupName is required when filterNamePrefix is specified.")
	}
	off, err := parseOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := defaultGroupLimit
	if in.Limit != nil {
		limit = *in.Limit
	}
	var all []MetricFilterView
	err = s.d.Store.View(func(tx *store.Tx) error {
		prefix := mfilterPrefix
		if in.LogGroupName != "" {
			if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
				return err
			}
			prefix += in.LogGroupName + sep + in.FilterNamePrefix
		}
		var ferr error
		store.Prefix(tx, prefix, func(k, v string) bool {
			var f metricFilter
			if ferr = jsonUnmarshal(v, &f); ferr != nil {
				return false
			}
			rest := strings.TrimPrefix(k, mfilterPrefix)
			g := rest[:len(rest)-len(f.Name)-len(sep)]
			t := f.Transformation
			if in.MetricName != "" && (t.MetricName != in.MetricName || t.MetricNamespace != in.MetricNamespace) {
				return true
			}
			all = append(all, MetricFilterView{FilterName: f.Name, FilterPattern: f.Pattern,
				MetricTransformations: []MetricTransformation{t}, CreationTime: f.Created, LogGroupName: g})
			return true
		})
		return ferr
	})
	if err != nil {
		return nil, err
	}
	out := &DescribeMetricFiltersOutput{MetricFilters: []MetricFilterView{}}
	items, next := page(all, off, limit)
	out.MetricFilters, out.NextToken = append(out.MetricFilters, items...), next
	return out, nil
}

// DeleteMetricFilterInput is the request of DeleteMetricFilter.
type DeleteMetricFilterInput struct {
	LogGroupName string
	FilterName   string
}

// DeleteMetricFilter deletes a metric filter.
func (s *Service) DeleteMetricFilter(c *api.Call, in *DeleteMetricFilterInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		k := mfilterPrefix + in.LogGroupName + sep + in.FilterName
		if !store.Exists(tx, k) {
			return awserr.BadRequest("ResourceNotFoundException", "The specified metric filter does not exist.")
		}
		_, err := tx.Delete(k)
		return err
	})
}

// TestMetricFilterInput is the request of TestMetricFilter.
type TestMetricFilterInput struct {
	FilterPattern    string
	LogEventMessages []string
}

// MetricFilterMatchRecord is a matching message of TestMetricFilter.
type MetricFilterMatchRecord struct {
	EventNumber     int               `json:"eventNumber"`
	EventMessage    string            `json:"eventMessage"`
	ExtractedValues map[string]string `json:"extractedValues"`
}

// TestMetricFilterOutput is the response of TestMetricFilter.
type TestMetricFilterOutput struct {
	Matches []MetricFilterMatchRecord `json:"matches"`
}

// TestMetricFilter returns the messages the pattern matches, numbered from 1
// in the order given, with the values the pattern extracts.
func (s *Service) TestMetricFilter(c *api.Call, in *TestMetricFilterInput) (*TestMetricFilterOutput, error) {
	p, err := filterpattern.Parse(in.FilterPattern)
	if err != nil {
		return nil, patternError(err)
	}
	out := &TestMetricFilterOutput{Matches: []MetricFilterMatchRecord{}}
	for i, msg := range in.LogEventMessages {
		if m, ok := p.Match(msg); ok {
			out.Matches = append(out.Matches, MetricFilterMatchRecord{i + 1, msg, m.ExtractedValues()})
		}
	}
	return out, nil
}
