package cloudtrail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// EventVersion is the eventVersion of the records the simulation writes.
const EventVersion = "1.11"

// History is how long the event history keeps events.
const History = 90 * 24 * time.Hour

// Key layout: the lookup fields of an event (stored) under
// cloudtrail/event/<eventTime>/<seq>, newest last, and its record under
// cloudtrail/record/<seq>, so that lookups scan small values and read only
// the records they return.
const (
	eventPrefix  = "cloudtrail/event/"
	recordPrefix = "cloudtrail/record/"
	timeKeyLen   = len("2006-01-02T15:04:05.000000000Z")
)

func recordKey(eventKey string) string {
	return recordPrefix + eventKey[strings.LastIndexByte(eventKey, '/')+1:]
}

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Service is the CloudTrail of a world.
type Service struct {
	store *store.Store
	clock Clock
	seq   uint64
}

// New returns the service over st. Records it finds in st (a restored world) are
// kept.
func New(st *store.Store, clock Clock) (*Service, error) {
	s := &Service{store: st, clock: clock}
	// Continue the sequence after the newest stored event.
	err := st.View(func(tx *store.Tx) error {
		return store.PrefixDesc(tx, eventPrefix, func(k, _ string) bool {
			if i := strings.LastIndexByte(k, '/'); i >= 0 {
				s.seq, _ = strconv.ParseUint(k[i+1:], 10, 64)
			}
			return false
		})
	})
	return s, err
}

// stored is what the store keeps per event: the lookup fields and the record.
type stored struct {
	EventID     string         `json:"id"`
	EventName   string         `json:"name"`
	EventSource string         `json:"source"`
	ReadOnly    bool           `json:"ro"`
	AccessKeyID string         `json:"akid,omitempty"`
	Username    string         `json:"user,omitempty"`
	Time        time.Time      `json:"time"`
	Resources   []resourceJSON `json:"res,omitempty"`
}

// resourceJSON keeps Name, which Resource leaves out of records.
type resourceJSON struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// Put stores a record in the event history, with the resources the call
// concerns (their type and name, for lookups). Only management events are
// kept, as in AWS's event history.
func (s *Service) Put(r *Record, t time.Time, resources []Resource) error {
	if !r.ManagementEvent {
		return nil
	}
	b, err := marshalRecord(r)
	if err != nil {
		return err
	}
	s.seq++
	st := stored{EventID: r.EventID, EventName: r.EventName, EventSource: r.EventSource, ReadOnly: r.ReadOnly,
		AccessKeyID: r.UserIdentity.AccessKeyID, Username: username(r.UserIdentity), Time: t}
	for _, r := range resources {
		st.Resources = append(st.Resources, resourceJSON{r.Type, r.Name})
	}
	key := fmt.Sprintf("%s%s/%012d", eventPrefix, store.TimeKey(t), s.seq)
	return s.store.Update(func(tx *store.Tx) error {
		// Events older than the history window are dropped as new ones come in.
		var old []string
		cut := eventPrefix + store.TimeKey(t.Add(-History))
		store.Prefix(tx, eventPrefix, func(k, _ string) bool {
			if k >= cut {
				return false
			}
			old = append(old, k)
			return true
		})
		for _, k := range old {
			tx.Delete(k)
			tx.Delete(recordKey(k))
		}
		if _, _, err := tx.Set(recordKey(key), string(b), nil); err != nil {
			return err
		}
		return store.SetJSON(tx, key, st)
	})
}

// marshalRecord encodes a record as CloudTrail writes it: members in order,
// no HTML escaping.
func marshalRecord(r *Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func username(u UserIdentity) string {
	if u.UserName != "" {
		return u.UserName
	}
	if u.Type == "AssumedRole" {
		if i := strings.LastIndexByte(u.ARN, '/'); i >= 0 {
			return u.ARN[i+1:]
		}
	}
	return ""
}

// LookupAttribute is one attribute of LookupEvents.
type LookupAttribute struct {
	AttributeKey   string
	AttributeValue string
}

// LookupEventsInput is the request of LookupEvents.
type LookupEventsInput struct {
	LookupAttributes []LookupAttribute
	StartTime        *time.Time
	EndTime          *time.Time
	EventCategory    *string
	MaxResults       *int
	NextToken        *string
}

// EventResource is a resource in a LookupEvents result.
type EventResource struct {
	ResourceType string `json:"ResourceType,omitempty"`
	ResourceName string `json:"ResourceName,omitempty"`
}

// Event is one event in a LookupEvents result.
type Event struct {
	EventId         string
	EventName       string
	ReadOnly        string
	AccessKeyId     string `json:",omitempty"`
	EventTime       time.Time
	EventSource     string
	Username        string `json:",omitempty"`
	Resources       []EventResource
	CloudTrailEvent string
}

// LookupEventsOutput is the response of LookupEvents.
type LookupEventsOutput struct {
	Events    []Event
	NextToken *string `json:",omitempty"`
}

// LookupEvents looks up management events of the last 90 days, newest first.
func (s *Service) LookupEvents(c *api.Call, in *LookupEventsInput) (*LookupEventsOutput, error) {
	if len(in.LookupAttributes) > 1 {
		return nil, awserr.BadRequest("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.")
	}
	var attr *LookupAttribute
	if len(in.LookupAttributes) == 1 {
		attr = &in.LookupAttributes[0]
		if attr.AttributeKey == "ReadOnly" && attr.AttributeValue != "true" && attr.AttributeValue != "false" {
			return nil, awserr.BadRequest("InvalidLookupAttributesException", "ReadOnly attribute value must be either true or false.")
		}
	}
	if in.EventCategory != nil && *in.EventCategory != "insight" {
		return nil, awserr.BadRequest("InvalidEventCategoryException", "Event category is not valid.")
	}
	if in.StartTime != nil && in.EndTime != nil && in.StartTime.After(*in.EndTime) {
		return nil, awserr.BadRequest("InvalidTimeRangeException", "Start time must be before end time.")
	}
	max := 50
	if in.MaxResults != nil {
		max = *in.MaxResults
	}
	now := c.Now
	start, end := now.Add(-History), now
	if in.StartTime != nil && in.StartTime.After(start) {
		start = *in.StartTime
	}
	if in.EndTime != nil && in.EndTime.Before(end) {
		end = *in.EndTime
	}
	fp := fingerprint(in)
	from := ""
	if in.NextToken != nil {
		k, ok := parseToken(*in.NextToken, fp)
		if !ok {
			return nil, awserr.BadRequest("InvalidNextTokenException", "Invalid NextToken.")
		}
		from = k
	}
	out := &LookupEventsOutput{Events: []Event{}}
	if in.EventCategory != nil {
		return out, nil // no Insights events are simulated yet
	}
	var last string
	more := false
	// Scan newest first from the end of the range (or from where the
	// previous page stopped) down to its start.
	pivot := eventPrefix + store.TimeKey(end) + "/\xff"
	if from != "" && from < pivot {
		pivot = from
	}
	startKey := store.TimeKey(start)
	err := s.store.View(func(tx *store.Tx) error {
		return tx.DescendLessOrEqual("", pivot, func(k, v string) bool {
			if !strings.HasPrefix(k, eventPrefix) || len(k) < len(eventPrefix)+timeKeyLen {
				return false
			}
			if k == from {
				return true
			}
			if k[len(eventPrefix):len(eventPrefix)+timeKeyLen] < startKey {
				return false
			}
			var e stored
			if json.Unmarshal([]byte(v), &e) != nil {
				return true
			}
			if attr != nil && !matches(&e, attr) {
				return true
			}
			if len(out.Events) == max {
				more = true
				return false
			}
			rec, err := tx.Get(recordKey(k))
			if err != nil {
				return true
			}
			out.Events = append(out.Events, toEvent(&e, rec))
			last = k
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	if more {
		tok := makeToken(last, fp)
		out.NextToken = &tok
	}
	return out, nil
}

func matches(e *stored, a *LookupAttribute) bool {
	v := a.AttributeValue
	switch a.AttributeKey {
	case "EventId":
		return e.EventID == v
	case "EventName":
		return e.EventName == v
	case "ReadOnly":
		return strconv.FormatBool(e.ReadOnly) == v
	case "Username":
		return e.Username == v
	case "EventSource":
		return e.EventSource == v
	case "AccessKeyId":
		return e.AccessKeyID == v
	case "ResourceType":
		for _, r := range e.Resources {
			if r.Type == v {
				return true
			}
		}
	case "ResourceName":
		for _, r := range e.Resources {
			if r.Name == v {
				return true
			}
		}
	}
	return false
}

func toEvent(e *stored, record string) Event {
	ev := Event{EventId: e.EventID, EventName: e.EventName, ReadOnly: strconv.FormatBool(e.ReadOnly),
		AccessKeyId: e.AccessKeyID, EventTime: e.Time, EventSource: e.EventSource, Username: e.Username,
		Resources: []EventResource{}, CloudTrailEvent: record}
	for _, r := range e.Resources {
		ev.Resources = append(ev.Resources, EventResource{ResourceType: r.Type, ResourceName: r.Name})
	}
	return ev
}

// fingerprint ties a NextToken to the parameters it was issued for: AWS
// requires the same parameters with a token.
func fingerprint(in *LookupEventsInput) string {
	h := sha256.New()
	for _, a := range in.LookupAttributes {
		fmt.Fprintf(h, "%s=%s;", a.AttributeKey, a.AttributeValue)
	}
	if in.StartTime != nil {
		fmt.Fprintf(h, "s=%d;", in.StartTime.UnixMilli())
	}
	if in.EndTime != nil {
		fmt.Fprintf(h, "e=%d;", in.EndTime.UnixMilli())
	}
	if in.EventCategory != nil {
		fmt.Fprintf(h, "c=%s;", *in.EventCategory)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func makeToken(key, fp string) string {
	return base64.StdEncoding.EncodeToString([]byte(fp + "|" + strings.TrimPrefix(key, eventPrefix)))
}

func parseToken(tok, fp string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	f, k, ok := strings.Cut(string(b), "|")
	if !ok || f != fp || k == "" {
		return "", false
	}
	return eventPrefix + k, true
}

// translateValidation turns model violations into CloudTrail's own errors.
func translateValidation(op string, vs []api.Violation) *awserr.Error {
	if op != "LookupEvents" {
		return nil
	}
	for _, v := range vs {
		switch {
		case strings.HasPrefix(v.Path, "lookupAttributes"):
			return awserr.BadRequest("InvalidLookupAttributesException", api.ValidationMessage(vs))
		case v.Path == "maxResults":
			return awserr.BadRequest("InvalidMaxResultsException", api.ValidationMessage(vs))
		case v.Path == "eventCategory":
			return awserr.BadRequest("InvalidEventCategoryException", api.ValidationMessage(vs))
		}
	}
	return nil
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("cloudtrail")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:                "cloudtrail",
		Model:               m,
		Handlers:            map[string]api.Handler{"LookupEvents": api.Op(s.LookupEvents)},
		TranslateValidation: translateValidation,
	}, nil
}
