package eventpattern

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sharedDir finds ../shared (beside the repository) from this package.
func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", sub))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the shared directory %s is missing: the repository must be cloned with shared/ beside it (%v)", dir, err)
	}
	return dir
}

type confCase struct {
	ID          string          `json:"id"`
	Provenance  string          `json:"provenance"`
	Pattern     json.RawMessage `json:"pattern"`
	PatternJSON string          `json:"pattern_json"`
	PatternSent string          `json:"pattern_json_sent"`
	PatternRaw  string          `json:"pattern_sent"`
	Event       json.RawMessage `json:"event"`
	EventJSON   string          `json:"event_json"`
	EventSent   string          `json:"event_json_sent"`
	Expect      json.RawMessage `json:"expect"`
	ExpectError *struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		MessageRaw string `json:"message_raw"`
	} `json:"expect_error"`
	PutEventsEntry *struct {
		Source, DetailType, Detail string
	} `json:"put_events_entry"`
	SQSBody   *string           `json:"sqs_message_body"`
	DDBRecord []json.RawMessage `json:"aws_recorded_records_first_invocation"`
}

func (c *confCase) patternText() string {
	for _, s := range []string{c.PatternSent, c.PatternJSON, c.PatternRaw} {
		if s != "" {
			return s
		}
	}
	var s string
	if json.Unmarshal(c.Pattern, &s) == nil {
		return s // a pattern given as text
	}
	return string(c.Pattern)
}

func (c *confCase) eventText(t *testing.T) string {
	switch {
	case c.EventSent != "":
		return c.EventSent
	case c.EventJSON != "":
		return c.EventJSON
	case c.PutEventsEntry != nil:
		e := c.PutEventsEntry
		var detail any
		if err := json.Unmarshal([]byte(e.Detail), &detail); err != nil {
			t.Fatalf("%s: detail: %v", c.ID, err)
		}
		b, _ := json.Marshal(map[string]any{
			"version": "0", "id": "7c1b3a1e-0000-4000-8000-000000000001", "detail-type": e.DetailType,
			"source": e.Source, "account": "111111111111", "time": "2024-07-11T13:55:46Z",
			"region": "us-east-1", "resources": []any{}, "detail": detail,
		})
		return string(b)
	case c.SQSBody != nil:
		var body any = *c.SQSBody
		var parsed any
		if json.Unmarshal([]byte(*c.SQSBody), &parsed) == nil {
			if _, ok := parsed.(map[string]any); ok {
				body = parsed
			}
		}
		b, _ := json.Marshal(map[string]any{
			"messageId": "m1", "receiptHandle": "r1", "body": body, "attributes": map[string]any{"ApproximateReceiveCount": "1"},
			"messageAttributes": map[string]any{}, "md5OfBody": "x", "eventSource": "aws:sqs",
			"eventSourceARN": "arn:aws:sqs:us-east-1:111111111111:q", "awsRegion": "us-east-1",
		})
		return string(b)
	case len(c.DDBRecord) > 0:
		// LocalStack masked the live ApproximateCreationDateTime (a number of
		// seconds on the wire); put a number back.
		var rec map[string]any
		if err := json.Unmarshal(c.DDBRecord[0], &rec); err != nil {
			t.Fatal(err)
		}
		if d, ok := rec["dynamodb"].(map[string]any); ok {
			if _, masked := d["ApproximateCreationDateTime"].(string); masked {
				d["ApproximateCreationDateTime"] = 1764085610
			}
		}
		b, _ := json.Marshal(rec)
		return string(b)
	}
	return string(c.Event)
}

func readCases(t *testing.T, name string) []confCase {
	f, err := os.Open(filepath.Join(sharedDir(t, "conformance"), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []confCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c confCase
		line := nonJSONNumbers.ReplaceAllString(sc.Text(), "${1}null")
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// nonJSONNumbers are Python's spellings of non-finite floats, which some
// parsed "pattern" fields hold (the pattern_json text is what is tested).
var nonJSONNumbers = regexp.MustCompile(`([:\[,] ?)-?(Infinity|NaN)\b`)

// deliberate lists the cases we knowingly do not follow, with the reason.
var deliberate = map[string]string{}

// evaluate runs a case through the jq program and the native matcher and
// returns the outcome ("match", "nomatch", "invalid-pattern",
// "invalid-event") and the pattern error.
func evaluate(t *testing.T, c *confCase, validateEvent bool) (string, *Error) {
	p, err := Parse(c.patternText())
	if err != nil {
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("%s: Parse returned %T", c.ID, err)
		}
		return "invalid-pattern", pe
	}
	ev := c.eventText(t)
	if ev == "null" || ev == "" {
		return "valid", nil
	}
	if validateEvent {
		if err := ValidateEvent(ev); err != nil {
			return "invalid-event", nil
		}
	}
	prog, err := Compile(p)
	if err != nil {
		t.Fatalf("%s: Compile: %v", c.ID, err)
	}
	viaJQ, err := prog.Match([]byte(ev))
	if err != nil {
		t.Fatalf("%s: jq Match: %v", c.ID, err)
	}
	native, err := prog.MatchNative([]byte(ev))
	if err != nil {
		t.Fatalf("%s: native Match: %v", c.ID, err)
	}
	if viaJQ != native {
		t.Errorf("%s: jq says %v, native says %v\npattern %s\njq %s", c.ID, viaJQ, native, c.patternText(), prog.JQ())
	}
	for _, forceJQ := range []bool{false, true} {
		set := NewSet()
		set.Add(prog)
		set.forceJQ = forceJQ
		ids, err := set.Match([]byte(ev), nil)
		if err != nil {
			t.Fatalf("%s: Set Match: %v", c.ID, err)
		}
		if routed := len(ids) == 1; routed != viaJQ {
			t.Errorf("%s: jq says %v, Set (forceJQ %v) says %v\npattern %s", c.ID, viaJQ, forceJQ, routed, c.patternText())
		}
	}
	if viaJQ {
		return "match", nil
	}
	return "nomatch", nil
}

func TestConformance(t *testing.T) {
	files := []struct {
		name          string
		validateEvent bool
	}{
		{"eventbridge_localstack_test_event_pattern.jsonl", true},
		{"eventbridge_localstack_put_events.jsonl", false},
		{"eventbridge_syntax_lambda_esm_localstack.jsonl", false},
		{"eventbridge_event_ruler_match.jsonl", false},
		{"eventbridge_event_ruler_validity.jsonl", false},
		{"eventbridge_awsdocs_examples.jsonl", false},
		{"eventbridge_moto_peer.jsonl", false},
		{"eventbridge_event_ruler_correctness_unlabeled.jsonl", false},
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(f.name, ".jsonl"), func(t *testing.T) {
			cases := readCases(t, f.name)
			pass, stated := 0, 0
			for i := range cases {
				c := &cases[i]
				var expect string
				if json.Unmarshal(c.Expect, &expect) != nil {
					var structured map[string]string
					if json.Unmarshal(c.Expect, &structured) == nil && structured["item1_stream_record"] != "" {
						expect = structured["item1_stream_record"] // item2's outcome is inferred from a call count
					}
				}
				got, perr := evaluate(t, c, f.validateEvent)
				if expect == "" {
					t.Logf("%s (no stated expectation): %s", c.ID, got)
					continue
				}
				stated++
				ok := false
				switch expect {
				case "valid":
					ok = got != "invalid-pattern"
				case "last-key-wins":
					p, err := Parse(c.patternText())
					ok = err == nil && len(p.Branches[0].Fields) == 1 && p.Branches[0].Fields[0].Matchers[0].Kind == AnythingBut
				default:
					ok = got == expect
				}
				if ok && expect == "invalid-pattern" && c.ExpectError != nil && c.ExpectError.Code == ErrorCode && c.Provenance == "aws-validated" {
					want := c.ExpectError.Message
					if strings.Contains(want, "\n at [") {
						ok = perr.Message() == want
					} else {
						ok = strings.SplitN(perr.Message(), "\n", 2)[0] == want
						if raw := c.ExpectError.MessageRaw; ok && raw != "" && !strings.Contains(raw, "<") && perr.Message() != raw {
							t.Errorf("%s: raw message\n got %q\nwant %q", c.ID, perr.Message(), raw)
						}
					}
					if !ok {
						t.Errorf("%s: message\n got %q\nwant %q", c.ID, perr.Message(), want)
					}
				}
				if ok {
					pass++
					continue
				}
				if why, known := deliberate[c.ID]; known {
					t.Logf("%s: deliberate difference (%s): got %s, want %s", c.ID, why, got, expect)
					continue
				}
				msg := ""
				if perr != nil {
					msg = perr.Message()
				}
				t.Errorf("%s [%s]: got %s, want %s %s\npattern %s", c.ID, c.Provenance, got, expect, msg, c.patternText())
			}
			t.Logf("%s: %d/%d cases with a stated expectation pass (%d in file)", f.name, pass, stated, len(cases))
		})
	}
}
