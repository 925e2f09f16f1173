package eventbridge

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/store"
)

// archive is a stored archive.
type archive struct {
	Name          string
	Bus           string
	Description   string `json:",omitempty"`
	EventPattern  string `json:",omitempty"`
	RetentionDays int
	State         string
	SizeBytes     int64
	EventCount    int64
	Created       time.Time
}

// archivedEvent is an event kept by an archive.
type archivedEvent struct {
	Time  time.Time
	Event string
}

func (s *Service) archiveARN(name string) string { return s.arn("archive/" + name) }
func (s *Service) replayARN(name string) string  { return s.arn("replay/" + name) }

// busOfARN returns the bus name of a bus ARN of this account and region.
func (s *Service) busOfARN(arn string) (string, bool) {
	prefix := s.arn("event-bus/")
	if !strings.HasPrefix(arn, prefix) || len(arn) == len(prefix) {
		return "", false
	}
	return arn[len(prefix):], true
}

// archiveEvent keeps an event in an archive when its pattern matches; events
// older than the retention are dropped as new ones come in.
func (s *Service) archiveEvent(a *archive, env *envelope, event []byte) {
	if a.EventPattern != "" {
		prog, err := s.program(a.EventPattern)
		if err != nil {
			return
		}
		if ok, err := prog.Match(event); err != nil || !ok {
			return
		}
	}
	now := s.now()
	s.update(func(tx *store.Tx) error {
		var cur archive
		if store.GetJSON(tx, archivePrefix+a.Name, &cur) != nil {
			return nil
		}
		prefix := storedPrefix + a.Name + "/"
		if cur.RetentionDays > 0 {
			cut := prefix + store.TimeKey(now.AddDate(0, 0, -cur.RetentionDays))
			var old []string
			store.Prefix(tx, prefix, func(k, v string) bool {
				if k >= cut {
					return false
				}
				old = append(old, k)
				cur.EventCount--
				cur.SizeBytes -= int64(len(v))
				return true
			})
			for _, k := range old {
				tx.Delete(k)
			}
		}
		rec := marshal(archivedEvent{Time: env.Time, Event: string(event)})
		key := fmt.Sprintf("%s%s/%012d", prefix, store.TimeKey(env.Time), nextSeq(tx))
		if _, _, err := tx.Set(key, string(rec), nil); err != nil {
			return err
		}
		cur.EventCount++
		cur.SizeBytes += int64(len(event))
		return store.SetJSON(tx, archivePrefix+a.Name, cur)
	})
}

// CreateArchiveInput is the request of CreateArchive.
type CreateArchiveInput struct {
	ArchiveName    string
	EventSourceArn string
	Description    *string
	EventPattern   *string
	RetentionDays  *int
}

// ArchiveOutput is the response of CreateArchive and UpdateArchive.
type ArchiveOutput struct {
	ArchiveArn   string
	State        string
	CreationTime time.Time
}

// CreateArchive creates an archive of the events of a bus.
func (s *Service) CreateArchive(c *api.Call, in *CreateArchiveInput) (*ArchiveOutput, error) {
	busN, ok := s.busOfARN(in.EventSourceArn)
	if !ok {
		return nil, invalid("Parameter EventSourceArn is not valid.")
	}
	a := archive{Name: in.ArchiveName, Bus: busN, State: "ENABLED", Created: s.now()}
	if in.Description != nil {
		a.Description = *in.Description
	}
	if in.EventPattern != nil && *in.EventPattern != "" {
		if _, err := s.program(*in.EventPattern); err != nil {
			return nil, patternError(err)
		}
		a.EventPattern = *in.EventPattern
	}
	if in.RetentionDays != nil {
		a.RetentionDays = *in.RetentionDays
	}
	err := s.update(func(tx *store.Tx) error {
		if store.Exists(tx, archivePrefix+in.ArchiveName) {
			return awserr.BadRequest("ResourceAlreadyExistsException", "Archive "+in.ArchiveName+" already exists.")
		}
		if _, ok := getBus(tx, busN); !ok {
			return busNotFound(busN)
		}
		return store.SetJSON(tx, archivePrefix+in.ArchiveName, a)
	})
	if err != nil {
		return nil, err
	}
	c.AddResource("AWS::Events::Archive", in.ArchiveName, s.archiveARN(in.ArchiveName))
	return &ArchiveOutput{ArchiveArn: s.archiveARN(a.Name), State: a.State, CreationTime: a.Created}, nil
}

// archiveName names an archive in a request.
type archiveName struct {
	ArchiveName string
}

// DescribeArchiveOutput is the response of DescribeArchive.
type DescribeArchiveOutput struct {
	ArchiveArn     string
	ArchiveName    string
	EventSourceArn string
	Description    string `json:",omitempty"`
	EventPattern   string `json:",omitempty"`
	State          string
	RetentionDays  int
	SizeBytes      int64
	EventCount     int64
	CreationTime   time.Time
}

func getArchive(tx *store.Tx, name string) (*archive, error) {
	var a archive
	if store.GetJSON(tx, archivePrefix+name, &a) != nil {
		return nil, notFound("Archive " + name + " does not exist.")
	}
	return &a, nil
}

// DescribeArchive describes an archive.
func (s *Service) DescribeArchive(_ *api.Call, in *archiveName) (*DescribeArchiveOutput, error) {
	var out *DescribeArchiveOutput
	err := s.view(func(tx *store.Tx) error {
		a, err := getArchive(tx, in.ArchiveName)
		if err != nil {
			return err
		}
		out = &DescribeArchiveOutput{ArchiveArn: s.archiveARN(a.Name), ArchiveName: a.Name, EventSourceArn: s.busARN(a.Bus),
			Description: a.Description, EventPattern: a.EventPattern, State: a.State, RetentionDays: a.RetentionDays,
			SizeBytes: a.SizeBytes, EventCount: a.EventCount, CreationTime: a.Created}
		return nil
	})
	return out, err
}

// ListArchivesInput is the request of ListArchives.
type ListArchivesInput struct {
	NamePrefix     *string
	EventSourceArn *string
	State          *string
	NextToken      *string
	Limit          *int
}

// ArchiveSummary is an archive in ListArchives.
type ArchiveSummary struct {
	ArchiveName    string
	EventSourceArn string
	State          string
	RetentionDays  int
	SizeBytes      int64
	EventCount     int64
	CreationTime   time.Time
}

// ListArchivesOutput is the response of ListArchives.
type ListArchivesOutput struct {
	Archives  []ArchiveSummary
	NextToken *string `json:",omitempty"`
}

// ListArchives lists archives by name.
func (s *Service) ListArchives(_ *api.Call, in *ListArchivesInput) (*ListArchivesOutput, error) {
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListArchivesOutput{Archives: []ArchiveSummary{}}
	limit := limitOf(in.Limit)
	s.view(func(tx *store.Tx) error {
		return store.Prefix(tx, archivePrefix, func(_, v string) bool {
			var a archive
			if json.Unmarshal([]byte(v), &a) != nil {
				return true
			}
			if in.NamePrefix != nil && !strings.HasPrefix(a.Name, *in.NamePrefix) ||
				in.EventSourceArn != nil && *in.EventSourceArn != s.busARN(a.Bus) ||
				in.State != nil && *in.State != a.State || after != "" && a.Name <= after {
				return true
			}
			if len(out.Archives) == limit {
				out.NextToken = encodeToken(out.Archives[limit-1].ArchiveName)
				return false
			}
			out.Archives = append(out.Archives, ArchiveSummary{ArchiveName: a.Name, EventSourceArn: s.busARN(a.Bus), State: a.State,
				RetentionDays: a.RetentionDays, SizeBytes: a.SizeBytes, EventCount: a.EventCount, CreationTime: a.Created})
			return true
		})
	})
	return out, nil
}

// UpdateArchiveInput is the request of UpdateArchive.
type UpdateArchiveInput struct {
	ArchiveName   string
	Description   *string
	EventPattern  *string
	RetentionDays *int
}

// UpdateArchive changes an archive's description, pattern or retention.
func (s *Service) UpdateArchive(_ *api.Call, in *UpdateArchiveInput) (*ArchiveOutput, error) {
	if in.Description == nil && in.EventPattern == nil && in.RetentionDays == nil {
		return nil, invalid("At least one of EventPattern, RetentionDays or Description must be provided.")
	}
	if in.EventPattern != nil && *in.EventPattern != "" {
		if _, err := s.program(*in.EventPattern); err != nil {
			return nil, patternError(err)
		}
	}
	var out *ArchiveOutput
	err := s.update(func(tx *store.Tx) error {
		a, err := getArchive(tx, in.ArchiveName)
		if err != nil {
			return err
		}
		if in.Description != nil {
			a.Description = *in.Description
		}
		if in.EventPattern != nil {
			a.EventPattern = *in.EventPattern
		}
		if in.RetentionDays != nil {
			a.RetentionDays = *in.RetentionDays
		}
		out = &ArchiveOutput{ArchiveArn: s.archiveARN(a.Name), State: a.State, CreationTime: a.Created}
		return store.SetJSON(tx, archivePrefix+a.Name, a)
	})
	return out, err
}

// DeleteArchive deletes an archive and its events.
func (s *Service) DeleteArchive(_ *api.Call, in *archiveName) (*struct{}, error) {
	return nil, s.update(func(tx *store.Tx) error {
		if _, err := getArchive(tx, in.ArchiveName); err != nil {
			return err
		}
		var keys []string
		store.Prefix(tx, storedPrefix+in.ArchiveName+"/", func(k, _ string) bool { keys = append(keys, k); return true })
		for _, k := range keys {
			tx.Delete(k)
		}
		tx.Delete(archivePrefix + in.ArchiveName)
		return nil
	})
}

// replay is a stored replay.
type replay struct {
	Name        string
	Description string `json:",omitempty"`
	Archive     string
	State       string
	StateReason string `json:",omitempty"`
	Destination ReplayDestination
	Start, End  time.Time
	LastEvent   *time.Time `json:",omitempty"`
	Started     time.Time
	Ended       *time.Time `json:",omitempty"`
}

// ReplayDestination is where a replay sends events.
type ReplayDestination struct {
	Arn        string
	FilterArns []string `json:",omitempty"`
}

// StartReplayInput is the request of StartReplay.
type StartReplayInput struct {
	ReplayName     string
	Description    *string
	EventSourceArn string
	EventStartTime time.Time
	EventEndTime   time.Time
	Destination    ReplayDestination
}

// StartReplayOutput is the response of StartReplay.
type StartReplayOutput struct {
	ReplayArn       string
	State           string
	ReplayStartTime time.Time
}

// replayDelay is how long a replay takes to start and run in the
// simulation: it completes one minute after StartReplay.
const replayDelay = time.Minute

// StartReplay replays the archived events of a time window to the archive's
// bus: after replayDelay on the clock, each event goes (with "replay-name") to
// the bus's rules, or to the rules in FilterArns.
func (s *Service) StartReplay(c *api.Call, in *StartReplayInput) (*StartReplayOutput, error) {
	prefix := s.arn("archive/")
	if !strings.HasPrefix(in.EventSourceArn, prefix) {
		return nil, invalid("Parameter EventSourceArn is not valid.")
	}
	archName := in.EventSourceArn[len(prefix):]
	if !in.EventStartTime.Before(in.EventEndTime) {
		return nil, invalid("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.")
	}
	now := s.now()
	r := replay{Name: in.ReplayName, Archive: archName, State: "STARTING", Destination: in.Destination,
		Start: in.EventStartTime, End: in.EventEndTime, Started: now}
	if in.Description != nil {
		r.Description = *in.Description
	}
	err := s.update(func(tx *store.Tx) error {
		if store.Exists(tx, replayPrefix+in.ReplayName) {
			return awserr.BadRequest("ResourceAlreadyExistsException", "Replay "+in.ReplayName+" already exists.")
		}
		var a archive
		if store.GetJSON(tx, archivePrefix+archName, &a) != nil {
			return invalid("Parameter EventSourceArn is not valid. Reason: Archive " + archName + " does not exist.")
		}
		if in.Destination.Arn != s.busARN(a.Bus) {
			return invalid("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.")
		}
		active := 0
		store.Prefix(tx, replayPrefix, func(_, v string) bool {
			var x replay
			if json.Unmarshal([]byte(v), &x) == nil && (x.State == "STARTING" || x.State == "RUNNING") {
				active++
			}
			return true
		})
		if active >= MaxActiveReplays {
			return limitExceeded
		}
		if err := store.SetJSON(tx, replayPrefix+in.ReplayName, r); err != nil {
			return err
		}
		return s.addDue(tx, now.Add(replayDelay), dueItem{Kind: "replay", Replay: in.ReplayName})
	})
	if err != nil {
		return nil, err
	}
	s.arm()
	c.AddResource("AWS::Events::Replay", in.ReplayName, s.replayARN(in.ReplayName))
	return &StartReplayOutput{ReplayArn: s.replayARN(in.ReplayName), State: r.State, ReplayStartTime: now}, nil
}

// runReplay re-delivers the events of a replay.
func (s *Service) runReplay(at time.Time, name string) {
	var r replay
	var events []archivedEvent
	var busN string
	err := s.view(func(tx *store.Tx) error {
		if err := store.GetJSON(tx, replayPrefix+name, &r); err != nil {
			return err
		}
		var a archive
		if store.GetJSON(tx, archivePrefix+r.Archive, &a) == nil {
			busN = a.Bus
		}
		if r.State != "STARTING" {
			return nil
		}
		lo := storedPrefix + r.Archive + "/" + store.TimeKey(r.Start)
		hi := storedPrefix + r.Archive + "/" + store.TimeKey(r.End)
		return store.Prefix(tx, storedPrefix+r.Archive+"/", func(k, v string) bool {
			if k < lo {
				return true
			}
			if k >= hi {
				return false
			}
			var e archivedEvent
			if json.Unmarshal([]byte(v), &e) == nil {
				events = append(events, e)
			}
			return true
		})
	})
	if err != nil {
		return
	}
	end := at
	r.Ended = &end
	switch {
	case r.State == "CANCELLING":
		r.State = "CANCELLED"
		s.d.Notify(at, "events: replay %s cancelled", name)
	case busN == "":
		r.State, r.StateReason = "FAILED", "Archive "+r.Archive+" does not exist."
		s.d.Notify(at, "events: replay %s failed: %s", name, r.StateReason)
	default:
		var only map[string]bool
		if len(r.Destination.FilterArns) > 0 {
			only = map[string]bool{}
			for _, a := range r.Destination.FilterArns {
				only[a] = true
			}
		}
		sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
		for _, e := range events {
			raw := withReplayName([]byte(e.Event), name)
			s.dispatch(busN, &envelope{}, dispatchOpts{replay: name, onlyRules: only, raw: raw})
			t := e.Time
			r.LastEvent = &t
		}
		r.State = "COMPLETED"
		s.d.Notify(at, "events: replay %s completed: %d events replayed", name, len(events))
	}
	s.update(func(tx *store.Tx) error { return store.SetJSON(tx, replayPrefix+name, r) })
}

// withReplayName adds "replay-name" after "region" in an event.
func withReplayName(event []byte, name string) []byte {
	i := strings.Index(string(event), `,"resources":`)
	if i < 0 {
		return event
	}
	return []byte(string(event[:i]) + `,"replay-name":` + string(marshal(name)) + string(event[i:]))
}

// replayName names a replay in a request.
type replayName struct {
	ReplayName string
}

// DescribeReplayOutput is the response of DescribeReplay.
type DescribeReplayOutput struct {
	ReplayName            string
	ReplayArn             string
	Description           string `json:",omitempty"`
	State                 string
	StateReason           string `json:",omitempty"`
	EventSourceArn        string
	Destination           ReplayDestination
	EventStartTime        time.Time
	EventEndTime          time.Time
	EventLastReplayedTime *time.Time `json:",omitempty"`
	ReplayStartTime       time.Time
	ReplayEndTime         *time.Time `json:",omitempty"`
}

// DescribeReplay describes a replay.
func (s *Service) DescribeReplay(_ *api.Call, in *replayName) (*DescribeReplayOutput, error) {
	var r replay
	err := s.view(func(tx *store.Tx) error {
		if store.GetJSON(tx, replayPrefix+in.ReplayName, &r) != nil {
			return notFound("Replay " + in.ReplayName + " does not exist.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DescribeReplayOutput{ReplayName: r.Name, ReplayArn: s.replayARN(r.Name), Description: r.Description, State: r.State,
		StateReason: r.StateReason, EventSourceArn: s.archiveARN(r.Archive), Destination: r.Destination,
		EventStartTime: r.Start, EventEndTime: r.End, EventLastReplayedTime: r.LastEvent, ReplayStartTime: r.Started,
		ReplayEndTime: r.Ended}, nil
}

// ListReplaysInput is the request of ListReplays.
type ListReplaysInput struct {
	NamePrefix     *string
	State          *string
	EventSourceArn *string
	NextToken      *string
	Limit          *int
}

// ReplaySummary is a replay in ListReplays.
type ReplaySummary struct {
	ReplayName            string
	EventSourceArn        string
	State                 string
	StateReason           string `json:",omitempty"`
	EventStartTime        time.Time
	EventEndTime          time.Time
	EventLastReplayedTime *time.Time `json:",omitempty"`
	ReplayStartTime       time.Time
	ReplayEndTime         *time.Time `json:",omitempty"`
}

// ListReplaysOutput is the response of ListReplays.
type ListReplaysOutput struct {
	Replays   []ReplaySummary
	NextToken *string `json:",omitempty"`
}

// ListReplays lists replays by name.
func (s *Service) ListReplays(_ *api.Call, in *ListReplaysInput) (*ListReplaysOutput, error) {
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListReplaysOutput{Replays: []ReplaySummary{}}
	limit := limitOf(in.Limit)
	s.view(func(tx *store.Tx) error {
		return store.Prefix(tx, replayPrefix, func(_, v string) bool {
			var r replay
			if json.Unmarshal([]byte(v), &r) != nil {
				return true
			}
			if in.NamePrefix != nil && !strings.HasPrefix(r.Name, *in.NamePrefix) || in.State != nil && *in.State != r.State ||
				in.EventSourceArn != nil && *in.EventSourceArn != s.archiveARN(r.Archive) || after != "" && r.Name <= after {
				return true
			}
			if len(out.Replays) == limit {
				out.NextToken = encodeToken(out.Replays[limit-1].ReplayName)
				return false
			}
			out.Replays = append(out.Replays, ReplaySummary{ReplayName: r.Name, EventSourceArn: s.archiveARN(r.Archive), State: r.State,
				StateReason: r.StateReason, EventStartTime: r.Start, EventEndTime: r.End, EventLastReplayedTime: r.LastEvent,
				ReplayStartTime: r.Started, ReplayEndTime: r.Ended})
			return true
		})
	})
	return out, nil
}

// CancelReplayOutput is the response of CancelReplay.
type CancelReplayOutput struct {
	ReplayArn string
	State     string
}

// CancelReplay cancels a replay that has not completed.
func (s *Service) CancelReplay(_ *api.Call, in *replayName) (*CancelReplayOutput, error) {
	var out *CancelReplayOutput
	err := s.update(func(tx *store.Tx) error {
		var r replay
		if store.GetJSON(tx, replayPrefix+in.ReplayName, &r) != nil {
			return notFound("Replay " + in.ReplayName + " does not exist.")
		}
		if r.State != "STARTING" && r.State != "RUNNING" {
			return awserr.BadRequest("IllegalStatusException", "Replay "+in.ReplayName+" is not in a valid state for this operation.")
		}
		r.State = "CANCELLING"
		out = &CancelReplayOutput{ReplayArn: s.replayARN(r.Name), State: r.State}
		return store.SetJSON(tx, replayPrefix+r.Name, r)
	})
	return out, err
}
