package logs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/core/api"
)

func (h *harness) put(t *testing.T, g, st string, evs ...InputLogEvent) {
	t.Helper()
	if _, err := h.s.PutLogEvents(h.call(), &PutLogEventsInput{LogGroupName: g, LogStreamName: st, LogEvents: evs}); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) query(t *testing.T, in *StartQueryInput, rid string) *GetQueryResultsOutput {
	t.Helper()
	c := h.call()
	c.RequestID = rid
	out, err := h.s.StartQuery(c, in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.s.GetQueryResults(h.call(), &GetQueryResultsInput{QueryID: out.QueryID})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestInsightsQueries(t *testing.T) {
	h := newHarness(t)
	h.group(t, "/a")
	h.group(t, "/b")
	var evs []InputLogEvent
	for i := 0; i < 30; i++ {
		evs = append(evs, InputLogEvent{Timestamp: at(-time.Duration(30-i) * time.Minute), Message: fmt.Sprintf(`{"n": %d, "user": {"name": "u%d"}}`, i, i%3)})
	}
	h.put(t, "/a", "s", evs...)
	h.put(t, "/b", "s", InputLogEvent{Timestamp: at(-30 * time.Second), Message: "REPORT RequestId: r1\tDuration: 2.5 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB"})
	g := "/a"
	startS, endS := start.Add(-time.Hour).Unix(), start.Unix()

	// Events of several groups, newest first; the time range is inclusive
	// and in seconds.
	res := h.query(t, &StartQueryInput{LogGroupNames: []string{"/a", "/b"}, StartTime: start.Add(-10 * time.Minute).Unix(), EndTime: endS,
		QueryString: "fields @timestamp, n, @duration, @log"}, "r1")
	if len(res.Results) != 11 || res.Statistics.RecordsScanned != 11 {
		t.Fatalf("rows %d stats %+v", len(res.Results), res.Statistics)
	}
	if got := fmt.Sprint(res.Results[0]); !strings.Contains(got, "{@duration 2.5}") || !strings.Contains(got, "123456789012:/b") {
		t.Errorf("newest row: %v", got)
	}

	// StartQuery's limit when the query has none, and pages of results.
	lim := 7
	c := h.call()
	c.RequestID = "r2"
	out, err := h.s.StartQuery(c, &StartQueryInput{LogGroupName: &g, StartTime: startS, EndTime: endS, QueryString: "fields n", Limit: &lim})
	if err != nil {
		t.Fatal(err)
	}
	two := 2
	var rows int
	var tok *string
	for pages := 0; ; pages++ {
		r, err := h.s.GetQueryResults(h.call(), &GetQueryResultsInput{QueryID: out.QueryID, MaxItems: &two, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		rows += len(r.Results)
		if r.NextToken == "" {
			if pages != 3 {
				t.Errorf("pages = %d", pages+1)
			}
			break
		}
		tok = &r.NextToken
	}
	if rows != 7 {
		t.Errorf("rows over the pages = %d, want 7", rows)
	}

	// GetLogRecord gives every field of the event behind @ptr.
	res = h.query(t, &StartQueryInput{LogGroupName: &g, StartTime: startS, EndTime: endS, QueryString: "filter n = 4"}, "r3")
	ptr := res.Results[0][len(res.Results[0])-1]
	if ptr.Field != "@ptr" {
		t.Fatalf("last field %+v", ptr)
	}
	rec, err := h.s.GetLogRecord(h.call(), &GetLogRecordInput{LogRecordPointer: ptr.Value})
	if err != nil {
		t.Fatal(err)
	}
	if rec.LogRecord["n"] != "4" || rec.LogRecord["user.name"] != "u1" || rec.LogRecord["@logStream"] != "s" {
		t.Errorf("record: %v", rec.LogRecord)
	}

	// SOURCE selects groups by prefix; a malformed query is an error with
	// its location; a blank query is malformed.
	res = h.query(t, &StartQueryInput{StartTime: startS, EndTime: endS, QueryString: `SOURCE logGroups(namePrefix: ["/b"]) | stats count(*) as n`}, "r4")
	if fmt.Sprint(res.Results) != "[[{n 1}]]" {
		t.Errorf("SOURCE: %v", res.Results)
	}
	_, err = h.s.StartQuery(&api.Call{Now: start, RequestID: "r5"}, &StartQueryInput{LogGroupName: &g, StartTime: startS, EndTime: endS, QueryString: "stats count(*) by"})
	// The position counts the SOURCE "/a" START=... END=... | prefix (52
	// characters) that AWS puts before the query.
	if code(err) != "MalformedQueryException: unexpected symbol found <EOF> at line 1 and position 69" {
		t.Errorf("malformed: %v", err)
	}

	_, err = h.s.StartQuery(&api.Call{Now: start, RequestID: "r6"}, &StartQueryInput{LogGroupName: &g, StartTime: startS, EndTime: endS, QueryString: " "})
	if code(err) != "MalformedQueryException: unexpected symbol found <EOF> at line 1 and position 0" {
		t.Errorf("blank: %v", err)
	}
	// StartQuery's limit applies after the query's own limit.
	res = h.query(t, &StartQueryInput{LogGroupName: &g, StartTime: startS, EndTime: endS, QueryString: "fields n | limit 20", Limit: &two}, "r7")
	if len(res.Results) != 2 {
		t.Errorf("limit 20 with limit=2: %d rows", len(res.Results))
	}

	// Results are kept for 7 days.
	h.clock.Advance(QueryResultsKept + time.Second)
	if _, err := h.s.GetQueryResults(h.call(), &GetQueryResultsInput{QueryID: out.QueryID}); !strings.HasPrefix(code(err), "ResourceNotFoundException") {
		t.Errorf("after 7 days: %v", err)
	}
	d, err := h.s.DescribeQueries(h.call(), &DescribeQueriesInput{})
	if err != nil || len(d.Queries) != 0 {
		t.Errorf("describe after 7 days: %v %v", d, err)
	}
}

// TestDescribeQueriesNewestFirst: queries started at the same instant of the
// virtual clock are listed newest first, whatever their ids.
func TestDescribeQueriesNewestFirst(t *testing.T) {
	h := newHarness(t)
	h.group(t, "/a")
	g := "/a"
	var started []string
	for _, rid := range []string{"r-c", "r-a", "r-d", "r-b"} {
		c := h.call()
		c.RequestID = rid
		out, err := h.s.StartQuery(c, &StartQueryInput{LogGroupName: &g, StartTime: start.Add(-time.Hour).Unix(), EndTime: start.Unix(), QueryString: "fields @message"})
		if err != nil {
			t.Fatal(err)
		}
		started = append(started, out.QueryID)
	}
	d, err := h.s.DescribeQueries(h.call(), &DescribeQueriesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range d.Queries {
		got = append(got, q.QueryID)
	}
	want := []string{started[3], started[2], started[1], started[0]}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("DescribeQueries order %v, want the newest first %v", got, want)
	}

	// Pages of maxResults keep the order; the last has no token.
	three := 3
	var paged []string
	var tok *string
	for range 3 {
		d, err := h.s.DescribeQueries(h.call(), &DescribeQueriesInput{MaxResults: &three, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range d.Queries {
			paged = append(paged, q.QueryID)
		}
		if d.NextToken == "" {
			break
		}
		tok = &d.NextToken
	}
	if fmt.Sprint(paged) != fmt.Sprint(want) {
		t.Errorf("DescribeQueries pages %v, want %v", paged, want)
	}
}

// TestInsightsInfrequentAccessCommands: a group of the Infrequent Access
// class supports every command but pattern, diff, filterIndex and unmask.
func TestInsightsInfrequentAccessCommands(t *testing.T) {
	h := newHarness(t)
	if _, err := h.s.CreateLogGroup(h.call(), &CreateLogGroupInput{LogGroupName: "/ia", LogGroupClass: ClassInfrequentAccess}); err != nil {
		t.Fatal(err)
	}
	h.group(t, "/std")
	startS, endS := start.Add(-time.Hour).Unix(), start.Unix()
	for _, tt := range []struct {
		group, query, cmd string
	}{
		{"/ia", "pattern @message", "pattern"},
		{"/ia", "fields @message | diff", "diff"},
		{"/ia", `filterIndex requestId = "x"`, "filterIndex"},
		{"/ia", "unmask", "unmask"},
		{"/ia", "stats count(*) by bin(5m)", ""},
		{"/std", "pattern @message", ""},
	} {
		g := tt.group
		_, err := h.s.StartQuery(h.call(), &StartQueryInput{LogGroupName: &g, StartTime: startS, EndTime: endS, QueryString: tt.query})
		want := ""
		if tt.cmd != "" {
			want = "InvalidParameterException: The log group /ia is of log-group-class INFREQUENT_ACCESS. The " + tt.cmd + " command is not supported for this log class."
		}
		if code(err) != want {
			t.Errorf("%s on %s: %v, want %q", tt.query, tt.group, err, want)
		}
	}
}
