package logs

// CloudWatch Logs Insights over the stored events (spec cloudwatch-and-logs.md
// §5.5): StartQuery, GetQueryResults, StopQuery, DescribeQueries, saved
// query definitions and GetLogRecord. The language is core/insights.
//
// How long a query runs: the simulated engine scans in no virtual time. A
// query is evaluated when StartQuery is called, over the events stored at
// that instant, and is Complete from then on (GetQueryResults never
// reports Scheduled or Running, and StopQuery finds no running query).
// Results are kept for 7 days of virtual time, as AWS keeps them.
//
// Store layout:
//
//	logs/query/<queryId>      a query with its results (JSON)
//	logs/qdef/<id>            a saved query definition (JSON)

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/insights"
	"github.com/telltale-dev/telltale/core/store"
)

// Limits of Logs Insights (spec §5.5, §6.6).
const (
	MaxQueryGroups      = 50
	MaxQueryDefinitions = 1000
	QueryResultsKept    = 7 * 24 * time.Hour
	maxResultsPerCall   = 10_000
	queryPrefix         = "logs/query/"
	qdefPrefix          = "logs/qdef/"
	queryLanguage       = "CWLI"
)

type storedQuery struct {
	ID       string
	String   string
	Groups   []string
	Start    int64 // ms, inclusive
	End      int64 // ms, inclusive
	Created  int64 // ms
	Status   string
	Rows     [][]insights.ResultField
	Stats    insights.Statistics
	Duration int64 // ms
	// Seq numbers the queries in the order they started: DescribeQueries
	// lists the newest first, and the virtual clock often gives several
	// queries the same createTime.
	Seq int64 `json:",omitempty"`
}

// querySeqKey holds the number of the last query started.
const querySeqKey = "logs/queryseq"

type queryDef struct {
	ID       string
	Name     string
	String   string
	Groups   []string `json:",omitempty"`
	Modified int64
}

// derivedID makes a UUID-shaped id from the call's request id (itself from
// the world's seeded generator), so ids are deterministic.
func derivedID(c *api.Call, salt string) string {
	h := sha256.Sum256([]byte(salt + "\x00" + c.RequestID))
	s := hex.EncodeToString(h[:16])
	return s[:8] + "-" + s[8:12] + "-4" + s[13:16] + "-a" + s[17:20] + "-" + s[20:32]
}

// StartQueryInput is the request of StartQuery.
type StartQueryInput struct {
	QueryLanguage       string
	LogGroupName        *string
	LogGroupNames       []string
	LogGroupIdentifiers []string
	StartTime           int64
	EndTime             int64
	QueryString         string
	Limit               *int
}

// StartQueryOutput is the response of StartQuery.
type StartQueryOutput struct {
	QueryID string `json:"queryId"`
}

// errMalformed is the MalformedQueryException of a query. AWS compiles the
// query as it rewrites it (SOURCE "<group>" START=<ms> END=<ms> | <query>,
// as DescribeQueries shows), so a fault on the first line is reported
// shifted by the prefix (a report of a real error: "unexpected symbol
// found limit at line 1 and position 207" for a 109-character query); a
// blank query is reported at position 0.
func errMalformed(err error, prefix string, query string) error {
	var e *insights.Error
	if errors.As(err, &e) && e.Line == 1 && strings.TrimSpace(query) != "" {
		return awserr.BadRequest("MalformedQueryException", fmt.Sprintf("%s at line 1 and position %d", e.Msg, e.Col+len([]rune(prefix))))
	}
	if errors.As(err, &e) && strings.TrimSpace(query) == "" {
		return awserr.BadRequest("MalformedQueryException", e.Msg+" at line 1 and position 0")
	}
	return awserr.BadRequest("MalformedQueryException", err.Error())
}

// sourcePrefix is what AWS puts before a query that names its groups in
// the request: SOURCE "<group>"... START=<ms> END=<ms> | .
func sourcePrefix(groups []string, start, end int64) string {
	var b strings.Builder
	b.WriteString("SOURCE")
	for _, g := range groups {
		b.WriteString(" " + strconv.Quote(g))
	}
	fmt.Fprintf(&b, " START=%d END=%d | ", start, end)
	return b.String()
}

// groupFromIdentifier turns a log group name or ARN into a name.
func groupFromIdentifier(id string) (string, error) {
	if !strings.HasPrefix(id, "arn:") {
		return id, nil
	}
	if strings.HasSuffix(id, "*") {
		// Unverified wording.
		return "", errInvalid("LogGroupIdentifier ARNs must not end with *: %s", id)
	}
	_, name, ok := strings.Cut(id, ":log-group:")
	if !ok || name == "" {
		return "", errInvalid("Invalid log group identifier: %s", id)
	}
	return name, nil
}

// StartQuery parses the query, checks the log groups and the time range,
// and runs the query over the events of the groups whose timestamps fall
// between startTime and endTime (epoch seconds, both inclusive).
func (s *Service) StartQuery(c *api.Call, in *StartQueryInput) (*StartQueryOutput, error) {
	if in.QueryLanguage != "" && in.QueryLanguage != queryLanguage {
		// The simulator speaks Logs Insights QL only. Unverified wording.
		return nil, errInvalid("Query language %s is not supported by this simulator; use CWLI.", in.QueryLanguage)
	}
	q, perr := insights.Parse(in.QueryString)
	given := 0
	var names []string
	if in.LogGroupName != nil {
		given++
		names = append(names, *in.LogGroupName)
	}
	if in.LogGroupNames != nil {
		given++
		names = append(names, in.LogGroupNames...)
	}
	if in.LogGroupIdentifiers != nil {
		given++
		for _, id := range in.LogGroupIdentifiers {
			n, err := groupFromIdentifier(id)
			if err != nil {
				return nil, err
			}
			names = append(names, n)
		}
	}
	if perr != nil {
		prefix := ""
		if given > 0 {
			prefix = sourcePrefix(names, in.StartTime*1000, in.EndTime*1000+999)
		}
		return nil, errMalformed(perr, prefix, in.QueryString)
	}
	switch {
	case given > 1:
		// Unverified wording.
		return nil, errInvalid("LogGroupName, LogGroupNames and LogGroupIdentifiers are mutually exclusive parameters.")
	case given == 0 && q.Source == nil:
		// Unverified wording.
		return nil, errInvalid("Either LogGroupName, LogGroupNames or LogGroupIdentifiers must be specified, or the query must use SOURCE.")
	case given > 0 && q.Source != nil:
		// Unverified wording.
		return nil, errInvalid("A query that uses SOURCE cannot also specify log groups.")
	}
	if len(names) > MaxQueryGroups {
		return nil, errInvalid("Up to %d log groups can be queried at once.", MaxQueryGroups)
	}
	if in.EndTime < in.StartTime {
		// Unverified wording.
		return nil, errInvalid("End time cannot be less than start time.")
	}
	start, end := in.StartTime*1000, in.EndTime*1000+999
	if q.Source != nil {
		if q.Source.Start != nil {
			start = *q.Source.Start
		}
		if q.Source.End != nil {
			end = *q.Source.End
		}
	}
	sq := &storedQuery{ID: derivedID(c, "query"), String: in.QueryString, Start: start, End: end, Created: ms(c.Now), Status: "Complete"}
	err := s.d.Store.Update(func(tx *store.Tx) error {
		groups, err := s.queryGroups(tx, names, q.Source)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if err := infrequentAccessCheck(g, q); err != nil {
				return err
			}
			if err := s.expire(tx, g); err != nil {
				return err
			}
			sq.Groups = append(sq.Groups, g.Name)
		}
		var seq int64
		if err := store.GetJSON(tx, querySeqKey, &seq); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		sq.Seq = seq + 1
		if err := store.SetJSON(tx, querySeqKey, sq.Seq); err != nil {
			return err
		}
		limit := 0
		if in.Limit != nil {
			limit = *in.Limit
		}
		res, err := q.Run(s.queryEvents(tx, sq.Groups, start, end), insights.Options{Start: start, End: end, Now: ms(c.Now), Limit: limit})
		if err != nil {
			return err
		}
		sq.Rows, sq.Stats = res.Rows, res.Stats
		return store.SetJSON(tx, queryPrefix+sq.ID, sq)
	})
	if err != nil {
		return nil, err
	}
	return &StartQueryOutput{QueryID: sq.ID}, nil
}

// infrequentAccessCheck refuses the commands a group of the Infrequent
// Access class does not support: every command but pattern, diff,
// filterIndex and unmask (CWL_AnalyzeLogData_Classes).
func infrequentAccessCheck(g *group, q *insights.Query) error {
	if g.Class != ClassInfrequentAccess {
		return nil
	}
	for _, c := range q.Commands {
		name := ""
		switch c.(type) {
		case *insights.PatternCmd:
			name = "pattern"
		case *insights.DiffCmd:
			name = "diff"
		case *insights.FilterIndexCmd:
			name = "filterIndex"
		case *insights.UnmaskCmd:
			name = "unmask"
		}
		if name != "" {
			// Unverified wording and code (modelled on FilterLogEvents'
			// observed InvalidOperationException; StartQuery's model
			// lists InvalidParameterException).
			return errInvalid("The log group %s is of log-group-class %s. The %s command is not supported for this log class.", g.Name, ClassInfrequentAccess, name)
		}
	}
	return nil
}

// queryGroups resolves the groups of a query: the names given (each must
// exist) or SOURCE's selection.
func (s *Service) queryGroups(tx *store.Tx, names []string, src *insights.SourceCmd) ([]*group, error) {
	var out []*group
	if src != nil && len(src.Names) == 0 {
		var ferr error
		store.Prefix(tx, groupPrefix, func(k, v string) bool {
			var g group
			if err := jsonUnmarshal(v, &g); err != nil {
				ferr = err
				return false
			}
			ok := len(src.Prefixes) == 0
			for _, p := range src.Prefixes {
				if strings.HasPrefix(g.Name, p) {
					ok = true
				}
			}
			if len(src.Classes) > 0 && !slices.Contains(src.Classes, g.Class) {
				ok = false
			}
			if len(src.Accounts) > 0 && !slices.Contains(src.Accounts, s.d.Account) {
				ok = false
			}
			if ok {
				out = append(out, &g)
			}
			return true
		})
		return out, ferr
	}
	if src != nil {
		names = src.Names
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		g, err := s.loadGroup(tx, n)
		if err != nil {
			// Unverified wording (as AWS's StartQuery reports it).
			return nil, awserr.BadRequest("ResourceNotFoundException", fmt.Sprintf("Log group '%s' does not exist for account ID '%s'", n, s.d.Account))
		}
		out = append(out, g)
	}
	return out, nil
}

// queryEvents yields the events of the groups in the time range, group by
// group and stream by stream in key order (timestamp, then ingestion),
// decoding one event at a time.
func (s *Service) queryEvents(tx *store.Tx, groups []string, start, end int64) iter.Seq[insights.Event] {
	return func(yield func(insights.Event) bool) {
		for _, g := range groups {
			log := s.d.Account + ":" + g
			for _, st := range streamNames(tx, g) {
				p := eventPrefix + g + sep + st + sep
				stop := false
				store.Prefix(tx, p, func(k, v string) bool {
					ts, seq, ok := parseEventKey(k)
					if !ok || ts < start {
						return true
					}
					if ts > end {
						return false
					}
					var e event
					if err := jsonUnmarshal(v, &e); err != nil {
						return true
					}
					ev := insights.Event{
						Timestamp: ts, Ingestion: e.Ingestion, Message: e.Message, LogStream: st,
						Log: log, Ptr: recordPointer(g, st, ts, seq),
					}
					if !yield(ev) {
						stop = true
						return false
					}
					return true
				})
				if stop {
					return
				}
			}
		}
	}
}

// recordPointer is the @ptr of an event: its store key, encoded.
func recordPointer(g, st string, ts, seq int64) string {
	return encodeToken(g + sep + st + sep + strconv.FormatInt(ts, 10) + sep + strconv.FormatInt(seq, 10))
}

func (s *Service) loadQuery(tx *store.Tx, now time.Time, id string) (*storedQuery, error) {
	var q storedQuery
	if err := store.GetJSON(tx, queryPrefix+id, &q); err != nil || now.Sub(time.UnixMilli(q.Created)) > QueryResultsKept {
		if err == nil || err == store.ErrNotFound {
			// Unverified wording.
			return nil, awserr.BadRequest("ResourceNotFoundException", "Query does not exist.")
		}
		return nil, err
	}
	return &q, nil
}

// GetQueryResultsInput is the request of GetQueryResults.
type GetQueryResultsInput struct {
	QueryID   string `json:"queryId"`
	NextToken *string
	MaxItems  *int
}

// QueryStatistics are a query's counters.
type QueryStatistics struct {
	RecordsMatched float64 `json:"recordsMatched"`
	RecordsScanned float64 `json:"recordsScanned"`
	BytesScanned   float64 `json:"bytesScanned"`
}

// GetQueryResultsOutput is the response of GetQueryResults.
type GetQueryResultsOutput struct {
	QueryLanguage string                   `json:"queryLanguage"`
	Results       [][]insights.ResultField `json:"results"`
	Statistics    QueryStatistics          `json:"statistics"`
	Status        string                   `json:"status"`
	NextToken     string                   `json:"nextToken,omitempty"`
}

// GetQueryResults returns a query's status, rows (each a list of field and
// value pairs, @ptr last) and statistics, up to 10,000 rows a call.
func (s *Service) GetQueryResults(c *api.Call, in *GetQueryResultsInput) (*GetQueryResultsOutput, error) {
	off, err := parseOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	var q *storedQuery
	if err := s.d.Store.View(func(tx *store.Tx) error {
		q, err = s.loadQuery(tx, c.Now, in.QueryID)
		return err
	}); err != nil {
		return nil, err
	}
	n := maxResultsPerCall
	if in.MaxItems != nil && *in.MaxItems < n {
		n = *in.MaxItems
	}
	out := &GetQueryResultsOutput{QueryLanguage: queryLanguage, Status: q.Status, Results: [][]insights.ResultField{},
		Statistics: QueryStatistics{q.Stats.RecordsMatched, q.Stats.RecordsScanned, q.Stats.BytesScanned}}
	rows, next := page(q.Rows, off, n)
	if len(rows) > 0 {
		out.Results = rows
	}
	out.NextToken = next
	return out, nil
}

// QueryIDInput is a request naming a query.
type QueryIDInput struct {
	QueryID string `json:"queryId"`
}

// SuccessOutput is {success}.
type SuccessOutput struct {
	Success bool `json:"success"`
}

// StopQuery stops a running query; a query that has ended (all queries
// here, see the file comment) gives InvalidParameterException.
func (s *Service) StopQuery(c *api.Call, in *QueryIDInput) (*SuccessOutput, error) {
	err := s.d.Store.Update(func(tx *store.Tx) error {
		q, err := s.loadQuery(tx, c.Now, in.QueryID)
		if err != nil {
			return err
		}
		if q.Status != "Running" && q.Status != "Scheduled" {
			// Unverified wording.
			return errInvalid("Query %s is not running, its status is %s.", q.ID, q.Status)
		}
		q.Status = "Cancelled"
		return store.SetJSON(tx, queryPrefix+q.ID, q)
	})
	if err != nil {
		return nil, err
	}
	return &SuccessOutput{Success: true}, nil
}

// DescribeQueriesInput is the request of DescribeQueries.
type DescribeQueriesInput struct {
	LogGroupName  *string
	Status        *string
	MaxResults    *int
	NextToken     *string
	QueryLanguage string
}

// QueryInfo is a query as DescribeQueries lists it.
type QueryInfo struct {
	QueryLanguage string `json:"queryLanguage"`
	QueryID       string `json:"queryId"`
	QueryString   string `json:"queryString"`
	Status        string `json:"status"`
	CreateTime    int64  `json:"createTime"`
	LogGroupName  string `json:"logGroupName,omitempty"`
}

// DescribeQueriesOutput is the response of DescribeQueries.
type DescribeQueriesOutput struct {
	Queries   []QueryInfo `json:"queries"`
	NextToken string      `json:"nextToken,omitempty"`
}

// DescribeQueries lists the queries of the last 7 days, newest first, by
// group and status. The query string is shown as AWS rewrites it:
// SOURCE "<group>" START=<ms> END=<ms> | <query> (an aws-validated
// case of the conformance corpus).
func (s *Service) DescribeQueries(c *api.Call, in *DescribeQueriesInput) (*DescribeQueriesOutput, error) {
	off, err := parseOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := 1000
	if in.MaxResults != nil {
		limit = *in.MaxResults
	}
	var all []storedQuery
	err = s.d.Store.View(func(tx *store.Tx) error {
		var ferr error
		store.Prefix(tx, queryPrefix, func(k, v string) bool {
			var q storedQuery
			if err := jsonUnmarshal(v, &q); err != nil {
				ferr = err
				return false
			}
			if c.Now.Sub(time.UnixMilli(q.Created)) > QueryResultsKept {
				return true
			}
			if in.LogGroupName != nil && !slices.Contains(q.Groups, *in.LogGroupName) {
				return true
			}
			if in.Status != nil && q.Status != *in.Status {
				return true
			}
			all = append(all, q)
			return true
		})
		return ferr
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Created != all[j].Created {
			return all[i].Created > all[j].Created
		}
		if all[i].Seq != all[j].Seq {
			return all[i].Seq > all[j].Seq
		}
		return all[i].ID < all[j].ID
	})
	items, next := page(all, off, limit)
	out := &DescribeQueriesOutput{Queries: []QueryInfo{}, NextToken: next}
	for _, q := range items {
		qi := QueryInfo{QueryLanguage: queryLanguage, QueryID: q.ID, Status: q.Status, CreateTime: q.Created, QueryString: rewrite(q)}
		if len(q.Groups) > 0 {
			qi.LogGroupName = q.Groups[0]
		}
		out.Queries = append(out.Queries, qi)
	}
	return out, nil
}

func rewrite(q storedQuery) string {
	if pq, err := insights.Parse(q.String); err == nil && pq.Source != nil {
		return q.String
	}
	return sourcePrefix(q.Groups, q.Start, q.End) + q.String
}

// PutQueryDefinitionInput is the request of PutQueryDefinition.
type PutQueryDefinitionInput struct {
	QueryLanguage     string
	Name              string
	QueryDefinitionID *string `json:"queryDefinitionId"`
	LogGroupNames     []string
	QueryString       string
	ClientToken       string
}

// PutQueryDefinitionOutput is the response of PutQueryDefinition.
type PutQueryDefinitionOutput struct {
	QueryDefinitionID string `json:"queryDefinitionId"`
}

// PutQueryDefinition saves a query (a new one, or the one of
// queryDefinitionId), at most 1,000 a region.
func (s *Service) PutQueryDefinition(c *api.Call, in *PutQueryDefinitionInput) (*PutQueryDefinitionOutput, error) {
	if _, err := insights.Parse(in.QueryString); err != nil {
		return nil, errMalformed(err, "", in.QueryString)
	}
	var id string
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if in.QueryDefinitionID != nil {
			id = *in.QueryDefinitionID
			if !store.Exists(tx, qdefPrefix+id) {
				// Unverified wording.
				return awserr.BadRequest("ResourceNotFoundException", "The specified query definition does not exist.")
			}
		} else {
			n := 0
			store.Prefix(tx, qdefPrefix, func(string, string) bool { n++; return true })
			if n >= MaxQueryDefinitions {
				// Unverified wording.
				return awserr.BadRequest("LimitExceededException", fmt.Sprintf("You have reached the maximum number of saved queries (%d).", MaxQueryDefinitions))
			}
			id = derivedID(c, "qdef")
		}
		return store.SetJSON(tx, qdefPrefix+id, queryDef{ID: id, Name: in.Name, String: in.QueryString, Groups: in.LogGroupNames, Modified: ms(c.Now)})
	})
	if err != nil {
		return nil, err
	}
	return &PutQueryDefinitionOutput{QueryDefinitionID: id}, nil
}

// DescribeQueryDefinitionsInput is the request of DescribeQueryDefinitions.
type DescribeQueryDefinitionsInput struct {
	QueryLanguage             string
	QueryDefinitionNamePrefix *string
	MaxResults                *int
	NextToken                 *string
}

// QueryDefinition is a saved query.
type QueryDefinition struct {
	QueryLanguage     string   `json:"queryLanguage"`
	QueryDefinitionID string   `json:"queryDefinitionId"`
	Name              string   `json:"name"`
	QueryString       string   `json:"queryString"`
	LastModified      int64    `json:"lastModified"`
	LogGroupNames     []string `json:"logGroupNames,omitempty"`
}

// DescribeQueryDefinitionsOutput is the response of DescribeQueryDefinitions.
type DescribeQueryDefinitionsOutput struct {
	QueryDefinitions []QueryDefinition `json:"queryDefinitions"`
	NextToken        string            `json:"nextToken,omitempty"`
}

// DescribeQueryDefinitions lists saved queries by name (then id), with an
// optional name prefix.
func (s *Service) DescribeQueryDefinitions(c *api.Call, in *DescribeQueryDefinitionsInput) (*DescribeQueryDefinitionsOutput, error) {
	off, err := parseOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := 1000
	if in.MaxResults != nil {
		limit = *in.MaxResults
	}
	var defs []queryDef
	err = s.d.Store.View(func(tx *store.Tx) error {
		var ferr error
		store.Prefix(tx, qdefPrefix, func(k, v string) bool {
			var d queryDef
			if err := jsonUnmarshal(v, &d); err != nil {
				ferr = err
				return false
			}
			if in.QueryDefinitionNamePrefix == nil || strings.HasPrefix(d.Name, *in.QueryDefinitionNamePrefix) {
				defs = append(defs, d)
			}
			return true
		})
		return ferr
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(defs, func(i, j int) bool {
		if defs[i].Name != defs[j].Name {
			return defs[i].Name < defs[j].Name
		}
		return defs[i].ID < defs[j].ID
	})
	items, next := page(defs, off, limit)
	out := &DescribeQueryDefinitionsOutput{QueryDefinitions: []QueryDefinition{}, NextToken: next}
	for _, d := range items {
		out.QueryDefinitions = append(out.QueryDefinitions, QueryDefinition{QueryLanguage: queryLanguage, QueryDefinitionID: d.ID, Name: d.Name, QueryString: d.String, LastModified: d.Modified, LogGroupNames: d.Groups})
	}
	return out, nil
}

// QueryDefinitionIDInput is the request of DeleteQueryDefinition.
type QueryDefinitionIDInput struct {
	QueryDefinitionID string `json:"queryDefinitionId"`
}

// DeleteQueryDefinition deletes a saved query.
func (s *Service) DeleteQueryDefinition(c *api.Call, in *QueryDefinitionIDInput) (*SuccessOutput, error) {
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if !store.Exists(tx, qdefPrefix+in.QueryDefinitionID) {
			// Unverified wording.
			return awserr.BadRequest("ResourceNotFoundException", "The specified query definition does not exist.")
		}
		_, err := tx.Delete(qdefPrefix + in.QueryDefinitionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &SuccessOutput{Success: true}, nil
}

// GetLogRecordInput is the request of GetLogRecord.
type GetLogRecordInput struct {
	LogRecordPointer string
	Unmask           bool
}

// GetLogRecordOutput is the response of GetLogRecord.
type GetLogRecordOutput struct {
	LogRecord map[string]string `json:"logRecord"`
}

// GetLogRecord returns every field of the event an @ptr points at.
func (s *Service) GetLogRecord(c *api.Call, in *GetLogRecordInput) (*GetLogRecordOutput, error) {
	bad := func() error {
		// Unverified wording.
		return errInvalid("The specified log record pointer is invalid.")
	}
	raw, ok := decodeToken(in.LogRecordPointer)
	if !ok {
		return nil, bad()
	}
	parts := strings.Split(raw, sep)
	if len(parts) != 4 {
		return nil, bad()
	}
	ts, err1 := strconv.ParseInt(parts[2], 10, 64)
	seq, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, bad()
	}
	var out *GetLogRecordOutput
	err := s.d.Store.View(func(tx *store.Tx) error {
		var e event
		if err := store.GetJSON(tx, eventKey(parts[0], parts[1], ts, seq), &e); err != nil {
			if err == store.ErrNotFound {
				// Unverified wording.
				return awserr.BadRequest("ResourceNotFoundException", "The specified log record does not exist.")
			}
			return err
		}
		out = &GetLogRecordOutput{LogRecord: insights.Fields(insights.Event{
			Timestamp: ts, Ingestion: e.Ingestion, Message: e.Message, LogStream: parts[1], Log: s.d.Account + ":" + parts[0],
		})}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// insightsHandlers are the Logs Insights operations for API().
func (s *Service) insightsHandlers() map[string]api.Handler {
	return map[string]api.Handler{
		"StartQuery":               api.Op(s.StartQuery),
		"GetQueryResults":          api.Op(s.GetQueryResults),
		"StopQuery":                api.Op(s.StopQuery),
		"DescribeQueries":          api.Op(s.DescribeQueries),
		"PutQueryDefinition":       api.Op(s.PutQueryDefinition),
		"DescribeQueryDefinitions": api.Op(s.DescribeQueryDefinitions),
		"DeleteQueryDefinition":    api.Op(s.DeleteQueryDefinition),
		"GetLogRecord":             api.Op(s.GetLogRecord),
	}
}
