package logs

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/filterpattern"
	"github.com/telltale-dev/telltale/core/store"
)

func itoa(n int) string { return strconv.Itoa(n) }

// sequenceToken renders a stream's counter as the 56-digit token AWS
// returns (it is ignored on input since 2023).
func sequenceToken(seq int64) string { return fmt.Sprintf("4963%052d", seq) }

// InputLogEvent is one event of PutLogEvents.
type InputLogEvent struct {
	Timestamp int64
	Message   string
}

// PutLogEventsInput is the request of PutLogEvents.
type PutLogEventsInput struct {
	LogGroupName  string
	LogStreamName string
	LogEvents     []InputLogEvent
	SequenceToken string
}

// RejectedLogEventsInfo reports the events PutLogEvents did not store.
type RejectedLogEventsInfo struct {
	TooNewLogEventStartIndex *int `json:"tooNewLogEventStartIndex,omitempty"`
	TooOldLogEventEndIndex   *int `json:"tooOldLogEventEndIndex,omitempty"`
	ExpiredLogEventEndIndex  *int `json:"expiredLogEventEndIndex,omitempty"`
}

// PutLogEventsOutput is the response of PutLogEvents.
type PutLogEventsOutput struct {
	NextSequenceToken     string                 `json:"nextSequenceToken,omitempty"`
	RejectedLogEventsInfo *RejectedLogEventsInfo `json:"rejectedLogEventsInfo,omitempty"`
}

// PutLogEvents stores a batch of events with the rules of spec §6.2: at most
// 1,048,576 bytes (messages plus 26 bytes an event), no event over 1 MB,
// chronological order, valid events spanning at most 24 hours; events more
// than 2 hours ahead, older than 14 days or than the group's retention are
// rejected individually and reported in rejectedLogEventsInfo. Events stored
// are run through the group's metric filters.
func (s *Service) PutLogEvents(c *api.Call, in *PutLogEventsInput) (*PutLogEventsOutput, error) {
	return s.write(c.Now, in.LogGroupName, in.LogStreamName, in.LogEvents, false)
}

// write stores a batch of events (put), then publishes the metric data of
// the group's metric filters and sends the deliveries of its subscription
// filters.
func (s *Service) write(now time.Time, gname, sname string, evs []InputLogEvent, create bool) (*PutLogEventsOutput, error) {
	out, data, ds, err := s.put(now, gname, sname, evs, create)
	if err != nil {
		return nil, err
	}
	s.publish(data)
	s.deliverAll(ds)
	return out, nil
}

func (s *Service) put(now time.Time, gname, sname string, evs []InputLogEvent, create bool) (*PutLogEventsOutput, []MetricDatum, []delivery, error) {
	total := 0
	for _, e := range evs {
		n := len(e.Message) + EventOverhead
		if n > MaxEventBytes {
			// Unverified wording (AWS-style, as the agents report it).
			return nil, nil, nil, errInvalid("Log event too large: %d bytes exceeds limit of %d", n, MaxEventBytes)
		}
		total += n
	}
	if total > MaxBatchBytes {
		// Unverified wording.
		return nil, nil, nil, errInvalid("Upload too large: %d bytes exceeds limit of %d", total, MaxBatchBytes)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].Timestamp < evs[i-1].Timestamp {
			return nil, nil, nil, errInvalid("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	var out PutLogEventsOutput
	var data []MetricDatum
	var ds []delivery
	err := s.d.Store.Update(func(tx *store.Tx) error {
		g, err := s.loadGroup(tx, gname)
		if err != nil && create {
			g = &group{Name: gname, Created: ms(now), Class: "STANDARD"}
			err = store.SetJSON(tx, groupPrefix+gname, g)
		}
		if err != nil {
			return err
		}
		st, err := s.loadStream(tx, gname, sname)
		if err != nil && create {
			st = &stream{Name: sname, Created: ms(now)}
			err = nil
		}
		if err != nil {
			return err
		}
		if err := s.expire(tx, g); err != nil {
			return err
		}
		nowMS := ms(now)
		tooNew := nowMS + FutureWindow.Milliseconds()
		tooOld := nowMS - PastWindow.Milliseconds()
		expired := int64(-1 << 62)
		if g.Retention != 0 {
			expired = nowMS - int64(g.Retention)*24*time.Hour.Milliseconds()
		}
		var rej RejectedLogEventsInfo
		lo, hi := 0, len(evs) // valid events are evs[lo:hi]
		for i, e := range evs {
			if e.Timestamp > tooNew {
				hi = i
				n := i
				rej.TooNewLogEventStartIndex = &n
				break
			}
		}
		for i := 0; i < hi; i++ {
			e := evs[i]
			if e.Timestamp < tooOld {
				n := i + 1
				rej.TooOldLogEventEndIndex = &n
				lo = i + 1
			}
			if e.Timestamp < expired {
				n := i + 1
				rej.ExpiredLogEventEndIndex = &n
				lo = i + 1
			}
		}
		if hi > lo && time.Duration(evs[hi-1].Timestamp-evs[lo].Timestamp)*time.Millisecond > MaxBatchSpan {
			return errInvalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
		}
		filters, err := s.metricFilters(tx, gname)
		if err != nil {
			return err
		}
		subs, err := s.subscriptionFilters(tx, gname)
		if err != nil {
			return err
		}
		var stored []MessageEvent
		var seqs []int64 // the sequence numbers of stored
		for _, e := range evs[lo:hi] {
			st.Seq++
			if err := store.SetJSON(tx, eventKey(gname, sname, e.Timestamp, st.Seq), event{Message: e.Message, Ingestion: nowMS}); err != nil {
				return err
			}
			if !st.HasEvents || e.Timestamp < st.First {
				st.First = e.Timestamp
			}
			if !st.HasEvents || e.Timestamp > st.Last {
				st.Last = e.Timestamp
			}
			st.HasEvents = true
			st.LastIngestion = nowMS
			if len(subs) > 0 {
				stored = append(stored, MessageEvent{Timestamp: e.Timestamp, Message: e.Message})
				seqs = append(seqs, st.Seq)
			}
			for _, f := range filters {
				if d, ok := f.datum(e); ok {
					data = append(data, d)
				}
			}
		}
		if rej != (RejectedLogEventsInfo{}) {
			out.RejectedLogEventsInfo = &rej
		}
		out.NextSequenceToken = sequenceToken(st.Seq)
		if err := store.SetJSON(tx, streamPrefix+gname+sep+sname, st); err != nil {
			return err
		}
		if len(stored) > 0 {
			// Event ids as FilterLogEvents gives them (the stream's rank
			// in the group is known once the stream is stored).
			rank := slices.Index(streamNames(tx, gname), sname)
			for i := range stored {
				stored[i].ID = eventID(event{TS: stored[i].Timestamp, Seq: seqs[i]}, rank)
			}
			ds = s.matchSubscriptions(subs, gname, sname, stored)
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return &out, data, ds, nil
}

func (s *Service) publish(data []MetricDatum) {
	if s.d.Metrics != nil && len(data) > 0 {
		// A metric that cannot be published does not fail the ingestion.
		_ = s.d.Metrics.PublishLogMetrics(data)
	}
}

// Append writes lines at instant at to a stream of a group, creating both as
// needed, for log sources inside the world (Lambda's START/END/REPORT
// lines and what a function logs). A line longer than an event can hold is
// split into several events of at most MaxEventBytes-EventOverhead bytes,
// as Lambda splits a long log line; the events go in batches within
// PutLogEvents' limits (AppendEvents), so one long line or a busy
// invocation does not lose the invocation's other lines.
func (s *Service) Append(gname, sname string, at time.Time, lines []string) error {
	evs := make([]InputLogEvent, 0, len(lines))
	for _, l := range lines {
		for _, part := range splitLine(l, MaxEventBytes-EventOverhead) {
			evs = append(evs, InputLogEvent{Timestamp: ms(at), Message: part})
		}
	}
	if len(evs) == 0 {
		return nil
	}
	return s.AppendEvents(gname, sname, evs)
}

// splitLine cuts a line into pieces of at most n bytes, each ending on a
// UTF-8 character boundary; an empty line gives none.
func splitLine(l string, n int) []string {
	var out []string
	for len(l) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		if cut == 0 {
			cut = n
		}
		out = append(out, l[:cut])
		l = l[cut:]
	}
	if l != "" {
		out = append(out, l)
	}
	return out
}

// Enqueue keeps lines to Append later, for a source that writes from inside
// another service's store transaction. Flush stores them; every operation of
// the service flushes first, and world flushes after each call and clock move.
func (s *Service) Enqueue(gname, sname string, at time.Time, lines []string) {
	gen := 0
	if s.delivering {
		gen = s.gen + 1
	}
	s.pending = append(s.pending, pendingWrite{gname, sname, at, append([]string(nil), lines...), gen})
}

// Flush appends the enqueued lines, in the order they were enqueued.
func (s *Service) Flush() error {
	for len(s.pending) > 0 {
		p := s.pending[0]
		s.pending = s.pending[1:]
		s.gen = p.gen
		err := s.Append(p.group, p.stream, p.at, p.lines)
		s.gen = 0
		if err != nil {
			return err
		}
	}
	s.pending = nil
	return nil
}

// OutputLogEvent is an event of GetLogEvents.
type OutputLogEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

// GetLogEventsInput is the request of GetLogEvents.
type GetLogEventsInput struct {
	LogGroupName       string
	LogGroupIdentifier string
	LogStreamName      string
	StartTime          *int64
	EndTime            *int64
	NextToken          *string
	Limit              *int
	StartFromHead      bool
}

// GetLogEventsOutput is the response of GetLogEvents.
type GetLogEventsOutput struct {
	Events            []OutputLogEvent `json:"events"`
	NextForwardToken  string           `json:"nextForwardToken"`
	NextBackwardToken string           `json:"nextBackwardToken"`
}

// position is an event's place in its stream.
type position struct{ ts, seq int64 }

func (p position) less(q position) bool { return p.ts < q.ts || p.ts == q.ts && p.seq < q.seq }

func (p position) token(dir string) string {
	return fmt.Sprintf("%s/%020d%020d%016d/s", dir, p.ts, p.seq, 0)
}

func parsePosToken(t string) (dir string, p position, ok bool) {
	if len(t) != 2+56+2 || (t[0] != 'f' && t[0] != 'b') || t[1] != '/' || !strings.HasSuffix(t, "/s") {
		return "", p, false
	}
	ts, err1 := strconv.ParseInt(t[2:22], 10, 64)
	seq, err2 := strconv.ParseInt(t[22:42], 10, 64)
	return t[:1], position{ts, seq}, err1 == nil && err2 == nil
}

// GetLogEvents reads one stream: with no token the newest page (or, with
// startFromHead, the oldest), then pages forward or backward with the
// returned tokens; at the end of the stream the token sent comes back.
// startTime is inclusive, endTime exclusive.
func (s *Service) GetLogEvents(c *api.Call, in *GetLogEventsInput) (*GetLogEventsOutput, error) {
	gname, err := s.groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	dir, from := "", position{}
	if in.NextToken != nil {
		var ok bool
		if dir, from, ok = parsePosToken(*in.NextToken); !ok {
			// Unverified wording.
			return nil, errInvalid("The specified nextToken is invalid.")
		}
	}
	limit := defaultEventLimit
	if in.Limit != nil {
		limit = *in.Limit
	}
	var evs []event
	err = s.d.Store.Update(func(tx *store.Tx) error {
		g, err := s.loadGroup(tx, gname)
		if err != nil {
			return err
		}
		if _, err := s.loadStream(tx, gname, in.LogStreamName); err != nil {
			return err
		}
		if err := s.expire(tx, g); err != nil {
			return err
		}
		all, err := streamEvents(tx, gname, in.LogStreamName)
		for _, e := range all {
			if (in.StartTime == nil || e.TS >= *in.StartTime) && (in.EndTime == nil || e.TS < *in.EndTime) {
				evs = append(evs, e)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	pos := func(e event) position { return position{e.TS, e.Seq} }
	var page []event
	backward := dir == "b" || dir == "" && !in.StartFromHead
	switch {
	case dir == "f":
		i := sort.Search(len(evs), func(i int) bool { return from.less(pos(evs[i])) })
		page = evs[i:]
	case dir == "b":
		i := sort.Search(len(evs), func(i int) bool { return !pos(evs[i]).less(from) })
		page = evs[:i]
	default:
		page = evs
	}
	// A page holds at most limit events and 1 MB.
	if backward {
		n, size := 0, 0
		for n < len(page) && n < limit {
			size += len(page[len(page)-1-n].Message) + EventOverhead
			if size > MaxBatchBytes {
				break
			}
			n++
		}
		page = page[len(page)-n:]
	} else {
		n, size := 0, 0
		for n < len(page) && n < limit {
			size += len(page[n].Message) + EventOverhead
			if size > MaxBatchBytes {
				break
			}
			n++
		}
		page = page[:n]
	}
	out := &GetLogEventsOutput{Events: make([]OutputLogEvent, len(page))}
	for i, e := range page {
		out.Events[i] = OutputLogEvent{e.TS, e.Message, e.Ingestion}
	}
	switch {
	case len(page) > 0:
		out.NextForwardToken = pos(page[len(page)-1]).token("f")
		out.NextBackwardToken = pos(page[0]).token("b")
	case in.NextToken != nil:
		out.NextForwardToken, out.NextBackwardToken = from.token("f"), from.token("b")
		if dir == "f" {
			out.NextForwardToken = *in.NextToken
		} else {
			out.NextBackwardToken = *in.NextToken
		}
	default:
		end := position{}
		if len(evs) > 0 {
			end = pos(evs[len(evs)-1])
		}
		out.NextForwardToken, out.NextBackwardToken = end.token("f"), end.token("b")
	}
	return out, nil
}

// FilterLogEventsInput is the request of FilterLogEvents.
type FilterLogEventsInput struct {
	LogGroupName        string
	LogGroupIdentifier  string
	LogStreamNames      []string
	LogStreamNamePrefix *string
	StartTime           *int64
	EndTime             *int64
	FilterPattern       string
	NextToken           *string
	Limit               *int
	Interleaved         bool
	Unmask              bool
}

// FilteredLogEvent is an event of FilterLogEvents.
type FilteredLogEvent struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

// FilterLogEventsOutput is the response of FilterLogEvents.
type FilterLogEventsOutput struct {
	Events             []FilteredLogEvent `json:"events"`
	SearchedLogStreams []struct{}         `json:"searchedLogStreams"`
	NextToken          string             `json:"nextToken,omitempty"`
}

// eventID is the 56-digit id of an event of a stream: its timestamp, the
// stream's rank in the group and its ingestion counter.
func eventID(e event, rank int) string {
	return fmt.Sprintf("%020d%016d%020d", e.TS, rank, e.Seq)
}

// FilterLogEvents searches the events of a group (all streams, named ones or
// those with a prefix) matching a filter pattern between startTime and
// endTime (both inclusive), sorted by timestamp then ingestion time, at most
// limit (10,000 by default) and 1 MB to a page. searchedLogStreams is always
// empty, as AWS returns it since 2020.
func (s *Service) FilterLogEvents(c *api.Call, in *FilterLogEventsInput) (*FilterLogEventsOutput, error) {
	gname, err := s.groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != nil {
		// Unverified wording.
		return nil, errInvalid("Cannot specify both logStreamNames and logStreamNamePrefix.")
	}
	p, err := filterpattern.Parse(in.FilterPattern)
	if err != nil {
		if fe, ok := err.(*filterpattern.Error); ok {
			return nil, fe.AWS()
		}
		return nil, err
	}
	after := ""
	if in.NextToken != nil {
		t, ok := decodeToken(*in.NextToken)
		if !ok || !strings.HasPrefix(t, "e") {
			return nil, errInvalid("The specified nextToken is invalid.")
		}
		after = t[1:]
	}
	limit := defaultEventLimit
	if in.Limit != nil {
		limit = *in.Limit
	}
	type hit struct {
		FilteredLogEvent
		seq int64
	}
	var hits []hit
	err = s.d.Store.Update(func(tx *store.Tx) error {
		g, err := s.loadGroup(tx, gname)
		if err != nil {
			return err
		}
		if g.Class == ClassInfrequentAccess {
			// As AWS answers it (an observed error): the Infrequent
			// Access class is read with Logs Insights.
			return awserr.BadRequest("InvalidOperationException", "The log group "+gname+" is of log-group-class "+ClassInfrequentAccess+". FilterLogEvents is not supported for this log class.")
		}
		if err := s.expire(tx, g); err != nil {
			return err
		}
		for rank, st := range streamNames(tx, gname) {
			if len(in.LogStreamNames) > 0 && !slices.Contains(in.LogStreamNames, st) {
				continue
			}
			if in.LogStreamNamePrefix != nil && !strings.HasPrefix(st, *in.LogStreamNamePrefix) {
				continue
			}
			evs, err := streamEvents(tx, gname, st)
			if err != nil {
				return err
			}
			for _, e := range evs {
				if in.StartTime != nil && e.TS < *in.StartTime || in.EndTime != nil && e.TS > *in.EndTime {
					continue
				}
				if !p.Matches(e.Message) {
					continue
				}
				hits = append(hits, hit{FilteredLogEvent{st, e.TS, e.Message, e.Ingestion, eventID(e, rank)}, e.Seq})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Timestamp != b.Timestamp {
			return a.Timestamp < b.Timestamp
		}
		if a.IngestionTime != b.IngestionTime {
			return a.IngestionTime < b.IngestionTime
		}
		return a.EventID < b.EventID
	})
	key := func(h hit) string { return fmt.Sprintf("%020d%020d%s", h.Timestamp, h.IngestionTime, h.EventID) }
	start := 0
	if after != "" {
		start = sort.Search(len(hits), func(i int) bool { return key(hits[i]) > after })
	}
	out := &FilterLogEventsOutput{Events: []FilteredLogEvent{}, SearchedLogStreams: []struct{}{}}
	size := 0
	i := start
	for ; i < len(hits) && len(out.Events) < limit; i++ {
		size += len(hits[i].Message) + EventOverhead
		if size > MaxBatchBytes && len(out.Events) > 0 {
			break
		}
		out.Events = append(out.Events, hits[i].FilteredLogEvent)
	}
	if i < len(hits) {
		out.NextToken = encodeToken("e" + key(hits[i-1]))
	}
	return out, nil
}
