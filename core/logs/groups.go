package logs

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// CreateLogGroupInput is the request of CreateLogGroup.
type CreateLogGroupInput struct {
	LogGroupName              string
	KmsKeyID                  string `json:"kmsKeyId"`
	Tags                      map[string]string
	LogGroupClass             string
	DeletionProtectionEnabled bool
}

// ClassInfrequentAccess is the log class whose events are read with Logs
// Insights only (FilterLogEvents refuses its groups).
const ClassInfrequentAccess = "INFREQUENT_ACCESS"

// CreateLogGroup creates a log group; names are unique in the region and
// must not start with aws/.
func (s *Service) CreateLogGroup(c *api.Call, in *CreateLogGroupInput) (*struct{}, error) {
	if strings.HasPrefix(in.LogGroupName, "aws/") {
		// Not documented word for word; AWS-style.
		return nil, errInvalid("Log group names starting with 'aws/' are reserved.")
	}
	class := in.LogGroupClass
	if class == "" {
		class = "STANDARD"
	}
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if store.Exists(tx, groupPrefix+in.LogGroupName) {
			return awserr.BadRequest("ResourceAlreadyExistsException", "The specified log group already exists")
		}
		g := group{Name: in.LogGroupName, Created: ms(c.Now), KmsKeyID: in.KmsKeyID, Class: class, Tags: in.Tags}
		c.AddResource("AWS::Logs::LogGroup", in.LogGroupName, s.groupARN(in.LogGroupName))
		return store.SetJSON(tx, groupPrefix+g.Name, g)
	})
}

// LogGroupNameInput is a request naming only a log group.
type LogGroupNameInput struct{ LogGroupName string }

// DeleteLogGroup deletes a group with its streams, events and filters.
func (s *Service) DeleteLogGroup(c *api.Call, in *LogGroupNameInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		var keys []string
		for _, p := range []string{streamPrefix, eventPrefix, mfilterPrefix, sfilterPrefix} {
			store.Prefix(tx, p+in.LogGroupName+sep, func(k, _ string) bool {
				keys = append(keys, k)
				return true
			})
		}
		keys = append(keys, groupPrefix+in.LogGroupName)
		for _, k := range keys {
			if _, err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// DescribeLogGroupsInput is the request of DescribeLogGroups.
type DescribeLogGroupsInput struct {
	LogGroupNamePrefix  *string
	LogGroupNamePattern *string
	LogGroupClass       string
	LogGroupIdentifiers []string
	NextToken           *string
	Limit               *int
}

// LogGroupView is a log group as DescribeLogGroups shows it.
type LogGroupView struct {
	LogGroupName      string `json:"logGroupName"`
	CreationTime      int64  `json:"creationTime"`
	RetentionInDays   *int   `json:"retentionInDays,omitempty"`
	MetricFilterCount int    `json:"metricFilterCount"`
	Arn               string `json:"arn"`
	StoredBytes       int64  `json:"storedBytes"`
	KmsKeyID          string `json:"kmsKeyId,omitempty"`
	LogGroupClass     string `json:"logGroupClass"`
	LogGroupArn       string `json:"logGroupArn"`
}

// DescribeLogGroupsOutput is the response of DescribeLogGroups.
type DescribeLogGroupsOutput struct {
	LogGroups []LogGroupView `json:"logGroups"`
	NextToken string         `json:"nextToken,omitempty"`
}

// DescribeLogGroups lists groups in name order, by prefix or by a
// case-insensitive substring pattern, 50 to a page by default.
func (s *Service) DescribeLogGroups(c *api.Call, in *DescribeLogGroupsInput) (*DescribeLogGroupsOutput, error) {
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		// Unverified wording.
		return nil, errInvalid("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.")
	}
	off, err := parseOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := defaultGroupLimit
	if in.Limit != nil {
		limit = *in.Limit
	}
	out := &DescribeLogGroupsOutput{LogGroups: []LogGroupView{}}
	err = s.d.Store.Update(func(tx *store.Tx) error {
		var groups []group
		var ferr error
		store.Prefix(tx, groupPrefix, func(k, v string) bool {
			var g group
			if ferr = jsonUnmarshal(v, &g); ferr != nil {
				return false
			}
			switch {
			case in.LogGroupNamePrefix != nil && !strings.HasPrefix(g.Name, *in.LogGroupNamePrefix):
			case in.LogGroupNamePattern != nil && !strings.Contains(strings.ToLower(g.Name), strings.ToLower(*in.LogGroupNamePattern)):
			case in.LogGroupClass != "" && g.Class != in.LogGroupClass:
			case len(in.LogGroupIdentifiers) > 0 && !slices.Contains(in.LogGroupIdentifiers, g.Name) && !slices.Contains(in.LogGroupIdentifiers, s.groupARN(g.Name)):
			default:
				groups = append(groups, g)
			}
			return true
		})
		if ferr != nil {
			return ferr
		}
		if off > len(groups) {
			off = len(groups)
		}
		end := min(off+limit, len(groups))
		for _, g := range groups[off:end] {
			if err := s.expire(tx, &g); err != nil {
				return err
			}
			v, err := s.view(tx, &g)
			if err != nil {
				return err
			}
			out.LogGroups = append(out.LogGroups, v)
		}
		if end < len(groups) {
			out.NextToken = offsetToken(end)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) view(tx *store.Tx, g *group) (LogGroupView, error) {
	v := LogGroupView{LogGroupName: g.Name, CreationTime: g.Created, Arn: s.groupARN(g.Name) + ":*",
		KmsKeyID: g.KmsKeyID, LogGroupClass: g.Class, LogGroupArn: s.groupARN(g.Name)}
	if g.Retention != 0 {
		r := g.Retention
		v.RetentionInDays = &r
	}
	store.Prefix(tx, mfilterPrefix+g.Name+sep, func(string, string) bool {
		v.MetricFilterCount++
		return true
	})
	var ferr error
	store.Prefix(tx, eventPrefix+g.Name+sep, func(_, val string) bool {
		var e event
		if ferr = jsonUnmarshal(val, &e); ferr != nil {
			return false
		}
		v.StoredBytes += int64(len(e.Message) + EventOverhead)
		return true
	})
	return v, ferr
}

// PutRetentionPolicyInput is the request of PutRetentionPolicy.
type PutRetentionPolicyInput struct {
	LogGroupName    string
	RetentionInDays int
}

// PutRetentionPolicy sets how many days the group keeps events; only the
// values of RetentionDays are allowed.
func (s *Service) PutRetentionPolicy(c *api.Call, in *PutRetentionPolicyInput) (*struct{}, error) {
	if !slices.Contains(RetentionDays, in.RetentionInDays) {
		vals := make([]string, len(RetentionDays))
		for i, d := range RetentionDays {
			vals[i] = itoa(d)
		}
		return nil, errInvalid("1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
			in.RetentionInDays, strings.Join(vals, ", "))
	}
	return nil, s.updateGroup(in.LogGroupName, func(g *group) { g.Retention = in.RetentionInDays })
}

// DeleteRetentionPolicy makes the group keep events forever.
func (s *Service) DeleteRetentionPolicy(c *api.Call, in *LogGroupNameInput) (*struct{}, error) {
	return nil, s.updateGroup(in.LogGroupName, func(g *group) { g.Retention = 0 })
}

func (s *Service) updateGroup(name string, fn func(g *group)) error {
	return s.d.Store.Update(func(tx *store.Tx) error {
		g, err := s.loadGroup(tx, name)
		if err != nil {
			return err
		}
		fn(g)
		return store.SetJSON(tx, groupPrefix+name, g)
	})
}

// TagLogGroupInput is the request of TagLogGroup.
type TagLogGroupInput struct {
	LogGroupName string
	Tags         map[string]string
}

// TagLogGroup adds or replaces tags of a group.
func (s *Service) TagLogGroup(c *api.Call, in *TagLogGroupInput) (*struct{}, error) {
	return nil, s.tagGroup(in.LogGroupName, in.Tags, "InvalidParameterException")
}

// MaxTags is the most tags a log group can have.
const MaxTags = 50

// tagGroup adds or replaces tags of a group; a group left with more than
// MaxTags tags is refused with code (TooManyTagsException from
// TagResource; the older TagLogGroup lists only InvalidParameterException).
func (s *Service) tagGroup(name string, tags map[string]string, code string) error {
	return s.d.Store.Update(func(tx *store.Tx) error {
		g, err := s.loadGroup(tx, name)
		if err != nil {
			return err
		}
		n := len(g.Tags)
		for k := range tags {
			if _, ok := g.Tags[k]; !ok {
				n++
			}
		}
		if n > MaxTags {
			// Unverified wording (the model's description of
			// TooManyTagsException).
			return awserr.BadRequest(code, "A resource can have no more than "+itoa(MaxTags)+" tags.")
		}
		if g.Tags == nil {
			g.Tags = map[string]string{}
		}
		for k, v := range tags {
			g.Tags[k] = v
		}
		return store.SetJSON(tx, groupPrefix+name, g)
	})
}

// UntagLogGroupInput is the request of UntagLogGroup.
type UntagLogGroupInput struct {
	LogGroupName string
	Tags         []string
}

// UntagLogGroup removes tags of a group.
func (s *Service) UntagLogGroup(c *api.Call, in *UntagLogGroupInput) (*struct{}, error) {
	return nil, s.updateGroup(in.LogGroupName, func(g *group) {
		for _, k := range in.Tags {
			delete(g.Tags, k)
		}
	})
}

// TagsOutput is the response of ListTagsLogGroup and ListTagsForResource.
type TagsOutput struct {
	Tags map[string]string `json:"tags"`
}

// ListTagsLogGroup returns the tags of a group.
func (s *Service) ListTagsLogGroup(c *api.Call, in *LogGroupNameInput) (*TagsOutput, error) {
	return s.tags(in.LogGroupName)
}

func (s *Service) tags(name string) (*TagsOutput, error) {
	out := &TagsOutput{Tags: map[string]string{}}
	err := s.d.Store.View(func(tx *store.Tx) error {
		g, err := s.loadGroup(tx, name)
		if err != nil {
			return err
		}
		for k, v := range g.Tags {
			out.Tags[k] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// groupOfARN returns the group an ARN names.
func (s *Service) groupOfARN(arn string) (string, error) {
	name, ok := s.GroupOfARN(arn)
	if !ok {
		return "", awserr.BadRequest("ResourceNotFoundException", "The specified resource does not exist.")
	}
	return name, nil
}

// TagResourceInput is the request of TagResource.
type TagResourceInput struct {
	ResourceArn string
	Tags        map[string]string
}

// TagResource tags a log group by ARN.
func (s *Service) TagResource(c *api.Call, in *TagResourceInput) (*struct{}, error) {
	name, err := s.groupOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return nil, s.tagGroup(name, in.Tags, "TooManyTagsException")
}

// UntagResourceInput is the request of UntagResource.
type UntagResourceInput struct {
	ResourceArn string
	TagKeys     []string
}

// UntagResource removes tags of a log group by ARN.
func (s *Service) UntagResource(c *api.Call, in *UntagResourceInput) (*struct{}, error) {
	name, err := s.groupOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return nil, s.updateGroup(name, func(g *group) {
		for _, k := range in.TagKeys {
			delete(g.Tags, k)
		}
	})
}

// ResourceArnInput is a request naming a resource by ARN.
type ResourceArnInput struct{ ResourceArn string }

// ListTagsForResource returns the tags of a log group by ARN.
func (s *Service) ListTagsForResource(c *api.Call, in *ResourceArnInput) (*TagsOutput, error) {
	name, err := s.groupOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return s.tags(name)
}

// StreamInput is a request naming a log stream of a group.
type StreamInput struct {
	LogGroupName  string
	LogStreamName string
}

// CreateLogStream creates a stream in a group.
func (s *Service) CreateLogStream(c *api.Call, in *StreamInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		k := streamPrefix + in.LogGroupName + sep + in.LogStreamName
		if store.Exists(tx, k) {
			return awserr.BadRequest("ResourceAlreadyExistsException", "The specified log stream already exists")
		}
		return store.SetJSON(tx, k, stream{Name: in.LogStreamName, Created: ms(c.Now)})
	})
}

// DeleteLogStream deletes a stream and its events.
func (s *Service) DeleteLogStream(c *api.Call, in *StreamInput) (*struct{}, error) {
	return nil, s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		if _, err := s.loadStream(tx, in.LogGroupName, in.LogStreamName); err != nil {
			return err
		}
		keys := []string{streamPrefix + in.LogGroupName + sep + in.LogStreamName}
		store.Prefix(tx, eventPrefix+in.LogGroupName+sep+in.LogStreamName+sep, func(k, _ string) bool {
			keys = append(keys, k)
			return true
		})
		for _, k := range keys {
			if _, err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// DescribeLogStreamsInput is the request of DescribeLogStreams.
type DescribeLogStreamsInput struct {
	LogGroupName        string
	LogGroupIdentifier  string
	LogStreamNamePrefix string
	OrderBy             string
	Descending          bool
	NextToken           *string
	Limit               *int
}

// LogStreamView is a stream as DescribeLogStreams shows it.
type LogStreamView struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp *int64 `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  *int64 `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   *int64 `json:"lastIngestionTime,omitempty"`
	UploadSequenceToken string `json:"uploadSequenceToken,omitempty"`
	Arn                 string `json:"arn"`
	StoredBytes         int64  `json:"storedBytes"`
}

// DescribeLogStreamsOutput is the response of DescribeLogStreams.
type DescribeLogStreamsOutput struct {
	LogStreams []LogStreamView `json:"logStreams"`
	NextToken  string          `json:"nextToken,omitempty"`
}

// groupName resolves logGroupName xor logGroupIdentifier (a name or ARN).
func (s *Service) groupName(name, ident string) (string, error) {
	switch {
	case name != "" && ident != "":
		// Unverified wording.
		return "", errInvalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != "":
		return name, nil
	case ident == "":
		return "", errInvalid("Either logGroupName or logGroupIdentifier must be specified.")
	case strings.HasPrefix(ident, "arn:"):
		return s.groupOfARN(ident)
	}
	return ident, nil
}

// DescribeLogStreams lists the streams of a group by name or by last event
// time, 50 to a page by default.
func (s *Service) DescribeLogStreams(c *api.Call, in *DescribeLogStreamsInput) (*DescribeLogStreamsOutput, error) {
	gname, err := s.groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if in.OrderBy == "LastEventTime" && in.LogStreamNamePrefix != "" {
		return nil, errInvalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	off, err := parseOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := defaultGroupLimit
	if in.Limit != nil {
		limit = *in.Limit
	}
	out := &DescribeLogStreamsOutput{LogStreams: []LogStreamView{}}
	err = s.d.Store.Update(func(tx *store.Tx) error {
		g, err := s.loadGroup(tx, gname)
		if err != nil {
			return err
		}
		if err := s.expire(tx, g); err != nil {
			return err
		}
		var sts []stream
		var ferr error
		store.Prefix(tx, streamPrefix+gname+sep+in.LogStreamNamePrefix, func(_, v string) bool {
			var st stream
			if ferr = jsonUnmarshal(v, &st); ferr != nil {
				return false
			}
			sts = append(sts, st)
			return true
		})
		if ferr != nil {
			return ferr
		}
		if in.OrderBy == "LastEventTime" {
			sort.SliceStable(sts, func(i, j int) bool { return sts[i].Last < sts[j].Last })
		}
		if in.Descending {
			slices.Reverse(sts)
		}
		off = min(off, len(sts))
		end := min(off+limit, len(sts))
		for _, st := range sts[off:end] {
			v := LogStreamView{LogStreamName: st.Name, CreationTime: st.Created,
				Arn: s.groupARN(gname) + ":log-stream:" + st.Name}
			if st.HasEvents {
				f, l, i := st.First, st.Last, st.LastIngestion
				v.FirstEventTimestamp, v.LastEventTimestamp, v.LastIngestionTime = &f, &l, &i
				v.UploadSequenceToken = sequenceToken(st.Seq)
			}
			out.LogStreams = append(out.LogStreams, v)
		}
		if end < len(sts) {
			out.NextToken = offsetToken(end)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// KmsKeyInput is the request of AssociateKmsKey and DisassociateKmsKey.
type KmsKeyInput struct {
	LogGroupName       string
	KmsKeyID           string `json:"kmsKeyId"`
	ResourceIdentifier string
}

func (s *Service) kmsGroup(in *KmsKeyInput) (string, error) {
	switch {
	case in.LogGroupName != "" && in.ResourceIdentifier != "":
		// Unverified wording.
		return "", errInvalid("logGroupName and resourceIdentifier are mutually exclusive parameters.")
	case in.LogGroupName != "":
		return in.LogGroupName, nil
	case in.ResourceIdentifier != "":
		return s.groupOfARN(in.ResourceIdentifier)
	}
	return "", errInvalid("Either logGroupName or resourceIdentifier must be specified.")
}

// AssociateKmsKey records the KMS key a group's data is encrypted with (the
// encryption itself is simulated: nothing is encrypted, and the key is not
// checked with KMS beyond the form of its ARN).
func (s *Service) AssociateKmsKey(c *api.Call, in *KmsKeyInput) (*struct{}, error) {
	name, err := s.kmsGroup(in)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(in.KmsKeyID, "arn:aws:kms:") {
		// Unverified wording.
		return nil, errInvalid("Specified KMS key ARN is invalid: %s", in.KmsKeyID)
	}
	return nil, s.updateGroup(name, func(g *group) { g.KmsKeyID = in.KmsKeyID })
}

// DisassociateKmsKey removes the group's KMS key.
func (s *Service) DisassociateKmsKey(c *api.Call, in *KmsKeyInput) (*struct{}, error) {
	name, err := s.kmsGroup(in)
	if err != nil {
		return nil, err
	}
	return nil, s.updateGroup(name, func(g *group) { g.KmsKeyID = "" })
}
