package logs

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/store"
)

var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

type recorder struct{ data []MetricDatum }

func (r *recorder) PublishLogMetrics(d []MetricDatum) error {
	r.data = append(r.data, d...)
	return nil
}

type harness struct {
	s     *Service
	clock *clock.Clock
	rec   *recorder
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	st, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := clock.New(start)
	r := &recorder{}
	return &harness{s: New(Deps{Store: st, Clock: c, Account: "123456789012", Region: "us-east-1", Metrics: r}), clock: c, rec: r}
}

func (h *harness) call() *api.Call { return &api.Call{Service: "logs", Now: h.clock.Now()} }

func (h *harness) group(t *testing.T, name string) {
	t.Helper()
	if _, err := h.s.CreateLogGroup(h.call(), &CreateLogGroupInput{LogGroupName: name}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.CreateLogStream(h.call(), &StreamInput{name, "s"}); err != nil {
		t.Fatal(err)
	}
}

func at(d time.Duration) int64 { return start.Add(d).UnixMilli() }

func code(err error) string {
	if e := awserr.As(err); err != nil && e != nil {
		return e.Code + ": " + e.Message
	}
	return ""
}

func TestPutLogEventsRules(t *testing.T) {
	big := strings.Repeat("x", MaxEventBytes-EventOverhead+1)
	half := strings.Repeat("y", MaxBatchBytes/2)
	tests := []struct {
		name      string
		events    []InputLogEvent
		retention int
		wantErr   string
		wantRej   string
		stored    int
	}{
		{name: "ok", events: []InputLogEvent{{at(-time.Minute), "a"}, {at(0), "b"}}, stored: 2},
		{name: "order", events: []InputLogEvent{{at(0), "a"}, {at(-time.Minute), "b"}},
			wantErr: "InvalidParameterException: Log events in a single PutLogEvents request must be in chronological order."},
		{name: "span", events: []InputLogEvent{{at(-25 * time.Hour), "a"}, {at(0), "b"}},
			wantErr: "InvalidParameterException: The batch of log events in a single PutLogEvents request cannot span more than 24 hours."},
		{name: "event size", events: []InputLogEvent{{at(0), big}}, wantErr: "InvalidParameterException: Log event too large: 1048577 bytes exceeds limit of 1048576"},
		{name: "batch size", events: []InputLogEvent{{at(0), half}, {at(0), half}}, wantErr: "InvalidParameterException: Upload too large: 1048628 bytes exceeds limit of 1048576"},
		{name: "windows", events: []InputLogEvent{{at(-15 * 24 * time.Hour), "old"}, {at(0), "ok"}, {at(3 * time.Hour), "new"}},
			wantRej: `{"tooNewLogEventStartIndex":2,"tooOldLogEventEndIndex":1}`, stored: 1},
		{name: "expired", retention: 1, events: []InputLogEvent{{at(-3 * 24 * time.Hour), "exp"}, {at(-2 * 24 * time.Hour), "exp"}, {at(0), "ok"}},
			wantRej: `{"expiredLogEventEndIndex":2}`, stored: 1},
		{name: "spans only valid events", events: []InputLogEvent{{at(-15 * 24 * time.Hour), "old"}, {at(-time.Hour), "ok"}},
			wantRej: `{"tooOldLogEventEndIndex":1}`, stored: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.group(t, "g")
			if tt.retention != 0 {
				if _, err := h.s.PutRetentionPolicy(h.call(), &PutRetentionPolicyInput{"g", tt.retention}); err != nil {
					t.Fatal(err)
				}
			}
			out, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: tt.events})
			if got := code(err); got != tt.wantErr {
				t.Fatalf("error %q, want %q", got, tt.wantErr)
			}
			if err != nil {
				return
			}
			rej := ""
			if out.RejectedLogEventsInfo != nil {
				b, _ := json.Marshal(out.RejectedLogEventsInfo)
				rej = string(b)
			}
			if rej != tt.wantRej {
				t.Errorf("rejected %s, want %s", rej, tt.wantRej)
			}
			get, err := h.s.GetLogEvents(h.call(), &GetLogEventsInput{LogGroupName: "g", LogStreamName: "s"})
			if err != nil {
				t.Fatal(err)
			}
			if len(get.Events) != tt.stored {
				t.Errorf("stored %d, want %d", len(get.Events), tt.stored)
			}
		})
	}
}

func TestGetLogEventsPaging(t *testing.T) {
	h := newHarness(t)
	h.group(t, "g")
	var evs []InputLogEvent
	for i := range 5 {
		evs = append(evs, InputLogEvent{at(time.Duration(i-10) * time.Minute), string(rune('a' + i))})
	}
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: evs}); err != nil {
		t.Fatal(err)
	}
	two := 2
	msgs := func(o *GetLogEventsOutput) string {
		var b strings.Builder
		for _, e := range o.Events {
			b.WriteString(e.Message)
		}
		return b.String()
	}
	get := func(tok *string, head bool) *GetLogEventsOutput {
		o, err := h.s.GetLogEvents(h.call(), &GetLogEventsInput{LogGroupName: "g", LogStreamName: "s", Limit: &two, NextToken: tok, StartFromHead: head})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	// Backward from the tail.
	o := get(nil, false)
	var seen []string
	for range 4 {
		seen = append(seen, msgs(o))
		tok := o.NextBackwardToken
		o = get(&tok, false)
		if len(o.Events) == 0 {
			if o.NextBackwardToken != tok {
				t.Errorf("end of stream returned %q, want the token sent %q", o.NextBackwardToken, tok)
			}
			break
		}
	}
	if got := strings.Join(seen, "|"); got != "de|bc|a" {
		t.Errorf("backward pages %q", got)
	}
	// Forward from the head.
	o = get(nil, true)
	seen = nil
	for range 4 {
		seen = append(seen, msgs(o))
		tok := o.NextForwardToken
		o = get(&tok, true)
		if len(o.Events) == 0 {
			if o.NextForwardToken != tok {
				t.Errorf("end of stream returned %q, want the token sent %q", o.NextForwardToken, tok)
			}
			break
		}
	}
	if got := strings.Join(seen, "|"); got != "ab|cd|e" {
		t.Errorf("forward pages %q", got)
	}
}

func TestMetricFiltersAtIngestion(t *testing.T) {
	h := newHarness(t)
	h.group(t, "g")
	put := func(msgs ...string) {
		t.Helper()
		var evs []InputLogEvent
		for _, m := range msgs {
			evs = append(evs, InputLogEvent{at(0), m})
		}
		if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: evs}); err != nil {
			t.Fatal(err)
		}
	}
	put(`{"level":"ERROR","ms":5}`)
	zero := 0.0
	if _, err := h.s.PutMetricFilter(h.call(), &PutMetricFilterInput{LogGroupName: "g", FilterName: "f", FilterPattern: `{ $.level = "ERROR" }`,
		MetricTransformations: []MetricTransformation{{MetricName: "E", MetricNamespace: "N", MetricValue: "$.ms", DefaultValue: &zero}}}); err != nil {
		t.Fatal(err)
	}
	put(`{"level":"ERROR","ms":7}`, `{"level":"INFO"}`, "not json")
	var got []float64
	for _, d := range h.rec.data {
		got = append(got, d.Value)
	}
	if len(got) != 3 || got[0] != 7 || got[1] != 0 || got[2] != 0 {
		t.Errorf("published %v, want [7 0 0] (not retroactive, default for misses)", got)
	}
	_, err := h.s.PutMetricFilter(h.call(), &PutMetricFilterInput{LogGroupName: "g", FilterName: "d", FilterPattern: `ERROR`,
		MetricTransformations: []MetricTransformation{{MetricName: "E", MetricNamespace: "N", MetricValue: "1", Dimensions: map[string]string{"a": "$.b"}}}})
	if got := code(err); got != "InvalidParameterException: The specified filter pattern does not support dimensions" {
		t.Errorf("dimensions on terms: %q", got)
	}
	for _, v := range []string{"abc", "", "1x"} {
		_, err = h.s.PutMetricFilter(h.call(), &PutMetricFilterInput{LogGroupName: "g", FilterName: "v", FilterPattern: `ERROR`,
			MetricTransformations: []MetricTransformation{{MetricName: "E", MetricNamespace: "N", MetricValue: v}}})
		if got := code(err); !strings.HasPrefix(got, "InvalidParameterException: Invalid metric value") {
			t.Errorf("metricValue %q: %q", v, got)
		}
	}
}

func TestRetentionExpiresOnTheClock(t *testing.T) {
	h := newHarness(t)
	h.group(t, "g")
	if _, err := h.s.PutRetentionPolicy(h.call(), &PutRetentionPolicyInput{"g", 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: []InputLogEvent{{at(0), "x"}}}); err != nil {
		t.Fatal(err)
	}
	if err := h.clock.AdvanceTo(start.Add(25 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	o, err := h.s.FilterLogEvents(h.call(), &FilterLogEventsInput{LogGroupName: "g"})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Events) != 0 {
		t.Errorf("events after retention: %v", o.Events)
	}
	if _, err := h.s.PutRetentionPolicy(h.call(), &PutRetentionPolicyInput{"g", 2}); code(err) == "" {
		t.Error("retention of 2 days accepted")
	}
}

func TestEnqueueFlush(t *testing.T) {
	h := newHarness(t)
	h.s.Enqueue("/aws/lambda/f", "2026/01/02/[$LATEST]abc", start, []string{"START", "END"})
	if err := h.s.Flush(); err != nil {
		t.Fatal(err)
	}
	o, err := h.s.FilterLogEvents(h.call(), &FilterLogEventsInput{LogGroupName: "/aws/lambda/f"})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Events) != 2 || o.Events[0].Message != "START" {
		t.Errorf("flushed events %v", o.Events)
	}
}

func FuzzPositionToken(f *testing.F) {
	f.Add("f/00000001767323045000000000000000000000030000000000000000/s")
	f.Add("b/00000000000000000000000000000000000000000000000000000000/s")
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		dir, p, ok := parsePosToken(s)
		if ok && p.token(dir) != s && p.ts >= 0 && p.seq >= 0 {
			// Tokens we did not issue may parse; they need not round-trip.
			return
		}
		_, _ = decodeToken(s)
	})
}

// TestAppendLongAndManyLines: an invocation's lines are all stored even when
// one line is longer than an event can hold (split at a character boundary,
// as Lambda splits a long line) or when there are more lines, or more bytes,
// than one PutLogEvents batch takes.
func TestAppendLongAndManyLines(t *testing.T) {
	limit := MaxEventBytes - EventOverhead
	long := strings.Repeat("x", limit-1) + "é" + strings.Repeat("y", 10) // é straddles the limit
	many := make([]string, 10_001)
	for i := range many {
		many[i] = "line"
	}
	wide := []string{strings.Repeat("a", limit), strings.Repeat("b", limit), "END"}
	tests := []struct {
		name  string
		lines []string
		want  int
	}{
		{"long line", []string{"START", long, "", "END"}, 4},
		{"more lines than a batch", many, 10_001},
		{"more bytes than a batch", wide, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if err := h.s.Append("/aws/lambda/f", "s", start, tt.lines); err != nil {
				t.Fatal(err)
			}
			var got []string
			in := &FilterLogEventsInput{LogGroupName: "/aws/lambda/f"}
			for {
				o, err := h.s.FilterLogEvents(h.call(), in)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range o.Events {
					got = append(got, e.Message)
				}
				if o.NextToken == "" {
					break
				}
				in.NextToken = &o.NextToken
			}
			if len(got) != tt.want {
				t.Fatalf("stored %d events, want %d", len(got), tt.want)
			}
			var joined, wantJoined strings.Builder
			for _, m := range got {
				if len(m) > limit || !utf8.ValidString(m) {
					t.Errorf("event of %d bytes (valid UTF-8: %v)", len(m), utf8.ValidString(m))
				}
				joined.WriteString(m)
			}
			for _, l := range tt.lines {
				wantJoined.WriteString(l)
			}
			if joined.String() != wantJoined.String() {
				t.Errorf("the events do not add up to the lines")
			}
		})
	}
}

func TestSplitLine(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want []string
	}{
		{"", 3, nil},
		{"abc", 3, []string{"abc"}},
		{"abcd", 3, []string{"abc", "d"}},
		{"abé", 3, []string{"ab", "é"}},
		{"éé", 1, []string{"\xc3", "\xa9", "\xc3", "\xa9"}}, // n below a character: bytes, never a hang
	}
	for _, tt := range tests {
		if got := splitLine(tt.in, tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("splitLine(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestTagLimit: a log group holds at most 50 tags; replacing a tag does not
// count as a new one.
func TestTagLimit(t *testing.T) {
	h := newHarness(t)
	h.group(t, "/g")
	arn := "arn:aws:logs:us-east-1:123456789012:log-group:/g"
	tags := func(prefix string, n int) map[string]string {
		m := map[string]string{}
		for i := 0; i < n; i++ {
			m[prefix+itoa(i)] = "v"
		}
		return m
	}
	if _, err := h.s.TagResource(h.call(), &TagResourceInput{ResourceArn: arn, Tags: tags("a", 49)}); err != nil {
		t.Fatal(err)
	}
	// Replacing existing tags and adding the 50th is fine.
	more := tags("a", 49)
	more["b"] = "v"
	if _, err := h.s.TagResource(h.call(), &TagResourceInput{ResourceArn: arn, Tags: more}); err != nil {
		t.Fatal(err)
	}
	_, err := h.s.TagResource(h.call(), &TagResourceInput{ResourceArn: arn, Tags: map[string]string{"c": "v"}})
	if code(err) != "TooManyTagsException: A resource can have no more than 50 tags." {
		t.Errorf("51st tag by TagResource: %v", err)
	}
	_, err = h.s.TagLogGroup(h.call(), &TagLogGroupInput{LogGroupName: "/g", Tags: map[string]string{"c": "v"}})
	if code(err) != "InvalidParameterException: A resource can have no more than 50 tags." {
		t.Errorf("51st tag by TagLogGroup: %v", err)
	}
	out, err := h.s.ListTagsForResource(h.call(), &ResourceArnInput{ResourceArn: arn})
	if err != nil || len(out.Tags) != 50 {
		t.Errorf("tags after the refusals: %d, %v", len(out.Tags), err)
	}
}

// TestFilterLogEventsInfrequentAccess: FilterLogEvents refuses a group of
// the Infrequent Access class with AWS's InvalidOperationException (Logs
// Insights reads it).
func TestFilterLogEventsInfrequentAccess(t *testing.T) {
	h := newHarness(t)
	if _, err := h.s.CreateLogGroup(h.call(), &CreateLogGroupInput{LogGroupName: "/ia", LogGroupClass: ClassInfrequentAccess}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.CreateLogStream(h.call(), &StreamInput{"/ia", "s"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: "/ia", LogStreamName: "s", LogEvents: []InputLogEvent{{at(0), "ERROR x"}}}); err != nil {
		t.Fatal(err)
	}
	_, err := h.s.FilterLogEvents(h.call(), &FilterLogEventsInput{LogGroupName: "/ia"})
	if code(err) != "InvalidOperationException: The log group /ia is of log-group-class INFREQUENT_ACCESS. FilterLogEvents is not supported for this log class." {
		t.Errorf("FilterLogEvents on an Infrequent Access group: %v", err)
	}
	g := "/ia"
	out, err := h.s.StartQuery(h.call(), &StartQueryInput{LogGroupName: &g, StartTime: start.Add(-time.Hour).Unix(), EndTime: start.Unix(), QueryString: "fields @message"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.s.GetQueryResults(h.call(), &GetQueryResultsInput{QueryID: out.QueryID})
	if err != nil || len(res.Results) != 1 {
		t.Errorf("Logs Insights on an Infrequent Access group: %v, %v", res, err)
	}
}
