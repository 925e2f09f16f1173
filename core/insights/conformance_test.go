package insights

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// The corpus is a copy of ../shared/conformance/logs_insights_queries_awsdocs.jsonl
// (AWS documentation sample queries; see that directory's README for
// provenance), kept in testdata so the package tests need nothing outside
// the repository.
type confCase struct {
	ID           string            `json:"id"`
	Provenance   string            `json:"provenance"`
	Query        string            `json:"query"`
	Expect       string            `json:"expect"`
	Messages     []string          `json:"input_messages"`
	ExpectFields map[string]string `json:"expect_fields"`
	DocSuspect   bool              `json:"doc_suspect"`
	AWSRecorded  *struct {
		QueryString string `json:"queryString"`
	} `json:"aws_recorded"`
}

func loadCorpus(t *testing.T) []confCase {
	t.Helper()
	f, err := os.Open("testdata/logs_insights_queries_awsdocs.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []confCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c confCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// events turns messages into events one second apart.
func events(msgs ...string) []Event {
	out := make([]Event, len(msgs))
	for i, m := range msgs {
		out[i] = Event{Timestamp: 1767323045000 + int64(i)*1000, Ingestion: 1767323045000 + int64(i)*1000, Message: m, LogStream: "s", Log: "123456789012:g", Ptr: "p" + string(rune('a'+i))}
	}
	return out
}

func run(t *testing.T, q string, evs []Event) *Result {
	t.Helper()
	pq, err := Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	res, err := pq.Run(slices.Values(evs), Options{Start: 0, End: 1 << 62, Now: 1767323045000})
	if err != nil {
		t.Fatalf("Run(%q): %v", q, err)
	}
	return res
}

func rowMap(row []ResultField) map[string]string {
	m := map[string]string{}
	for _, f := range row {
		m[f.Field] = f.Value
	}
	return m
}

func TestConformance(t *testing.T) {
	cases := loadCorpus(t)
	parsed, executed := 0, 0
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			q, err := Parse(c.Query)
			if c.Expect == "valid" && err != nil {
				t.Fatalf("Parse(%q): %v", c.Query, err)
			}
			parsed++
			if c.ExpectFields != nil {
				res, err := q.Run(slices.Values(events(c.Messages...)), Options{End: 1 << 62})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Rows) != 1 {
					t.Fatalf("rows = %v, want 1", res.Rows)
				}
				got := rowMap(res.Rows[0])
				for k, v := range c.ExpectFields {
					if got[k] != v {
						t.Errorf("%s = %q, want %q (row %v)", k, got[k], v, got)
					}
				}
				executed++
			}
			if c.DocSuspect && len(c.Messages) > 0 {
				// The sample line does not match the regex as printed: the
				// query runs and extracts nothing.
				res, err := q.Run(slices.Values(events(c.Messages...)), Options{End: 1 << 62})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Rows) != 1 || rowMap(res.Rows[0])["avg(latency2)"] != "" {
					t.Errorf("doc-suspect case gave %v", res.Rows)
				}
			}
			if c.AWSRecorded != nil {
				// DescribeQueries' rewrite (SOURCE "<group>" START= END=) parses.
				rw := strings.NewReplacer("<log-group-name:1>", "/g", "<start-time>", "1767323", "<end-time>", "1767324").Replace(c.AWSRecorded.QueryString)
				q2, err := Parse(rw)
				if err != nil {
					t.Fatalf("Parse(%q): %v", rw, err)
				}
				if q2.Source == nil || len(q2.Source.Names) != 1 || q2.Source.Names[0] != "/g" || q2.Source.Start == nil || *q2.Source.Start != 1767323000 || *q2.Source.End != 1767324999 {
					t.Errorf("SOURCE = %+v", q2.Source)
				}
			}
		})
	}
	t.Logf("%d cases: %d parsed, %d executed with stated outputs", len(cases), parsed, executed)
	if len(cases) != 43 {
		t.Errorf("corpus has %d cases, want 43", len(cases))
	}
}
