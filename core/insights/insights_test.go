package insights

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestFunctions checks the worked examples of spec §5.4 and the behaviour
// of each function family on one event.
func TestFunctions(t *testing.T) {
	ev := events(`{"a": 5, "s": "  padded  ", "ip": "10.1.2.3", "pub": "8.8.8.8", "v6": "2001:db8::1", "h": "48656c6c6f", "arr": "[1,2,3]", "obj": "{\"k\":{\"n\":7},\"l\":[\"x\",\"y\"]}", "ts": "2022-01-14T13:18:031.000-08:00"}`)
	cases := []struct{ expr, want string }{
		{`2 ^ 3`, "8"},
		{`10 % 3`, "1"},
		{`a * 2 + 1`, "11"},
		{`-a`, "-5"},
		{`7 / 2`, "3.5"},
		{`1 / 0`, ""},
		{`abs(-3)`, "3"},
		{`ceil(1.2)`, "2"},
		{`floor(1.8)`, "1"},
		{`greatest(1, a, 3)`, "5"},
		{`least(4, a, 3)`, "3"},
		{`round(2.567, 2)`, "2.57"},
		{`round(2.5)`, "3"},
		{`round(2.5, 400)`, "2.5"}, // more decimals than a double holds: unchanged, never NaN
		{`round(255.5, -400)`, "0"},
		{`round(-255.5, -2)`, "-300"},
		{`sqrt(16)`, "4"},
		{`log(1)`, "0"},
		{`toInt("42.9")`, "42"},
		{`toNumber("1e3")`, "1000"},
		{`round(haversine(0, 0, 0, 1))`, "111"},
		{`ispresent(a)`, "1"},
		{`ispresent(nope)`, "0"},
		{`coalesce(nope, a)`, "5"},
		{`case(a > 10, "big", a > 3, "mid", "small")`, "mid"},
		{`if(a = 5, "five", "other")`, "five"},
		{`isNumeric(s)`, "0"},
		{`isempty(nope)`, "1"},
		{`isblank(" ")`, "1"},
		{`concat("x", a, "y")`, "x5y"},
		{`ltrim("xyZxyfooxyZ", "xyZ")`, "fooxyZ"},
		{`rtrim("xyZfooxyxyZ", "xyZ")`, "xyZfoo"},
		{`trim("xyZxyfooxyxyZ", "xyZ")`, "foo"},
		{`trim(s)`, "padded"},
		{`strlen("héllo")`, "5"},
		{`toupper("ab")`, "AB"},
		{`tolower("AB")`, "ab"},
		{`substr("xyZfooxyZ", 3, 3)`, "foo"},
		{`substr("xyZfooxyZ", 3)`, "fooxyZ"},
		{`replace("a-b-c", "-", "+")`, "a+b+c"},
		{`regexReplace("a1b22c", "[0-9]+", "#")`, "a#b#c"},
		{`strcontains("Hello", "ell")`, "1"},
		{`strcontains("Hello", "ELL", 1)`, "1"},
		{`startsWith("Hello", "He")`, "1"},
		{`endsWith("Hello", "x")`, "0"},
		{`urlencode("a b&c")`, "a+b%26c"},
		{`urldecode("a+b%26c")`, "a b&c"},
		{`base64encode("hi")`, "aGk="},
		{`base64decode("aGk=")`, "hi"},
		{`hexToAscii(h)`, "Hello"},
		{`hexToDec("ff")`, "255"},
		{`decToHex(255)`, "0xff"},
		{`decToHex(-255.7)`, "-0xff"},
		{`jsonArraySize(split("a,b,c", ","))`, "3"},
		{`toMillis(ts)`, "1642195111000"},
		{`fromMillis(1642195111000)`, "2022-01-14 21:18:31.000"},
		{`datefloor(@timestamp, 1h)`, "2026-01-02 03:00:00.000"},
		{`dateceil(@timestamp, 1h)`, "2026-01-02 04:00:00.000"},
		{`bin(5m)`, "2026-01-02 03:00:00.000"},
		{`bin(300s)`, "2026-01-02 03:04:00.000"},
		{`bin(1mo)`, "2026-01-01 00:00:00.000"},
		{`now()`, "1767323045"},
		{`parseDate("2024-05-19 06:10:35", "yyyy-MM-dd HH:mm:ss")`, "1716099035000"},
		{`formatDate(@timestamp, "%Y/%m/%d %H:%M")`, "2026/01/02 03:04"},
		{`isValidIp(ip)`, "1"},
		{`isValidIpV4(v6)`, "0"},
		{`isValidIpV6(v6)`, "1"},
		{`isIpInSubnet(ip, "10.0.0.0/8")`, "1"},
		{`isIpv4InSubnet(ip, "192.0.2.0/24")`, "0"},
		{`isIpv6InSubnet(v6, "2001:db8::/32")`, "1"},
		{`ipv4ToNumber("10.0.0.1")`, "167772161"},
		{`isPrivateIP(ip)`, "1"},
		{`isPublicIP(pub)`, "1"},
		{`isReservedIP("127.0.0.1")`, "1"},
		{`jsonParse(obj).k.n`, "7"},
		{`jsonArrayContains(jsonParse(arr), 2)`, "1"},
		{`jsonStringify(jsonParse(obj))`, `{"k":{"n":7},"l":["x","y"]}`},
		{`jsonParse(arr)[1]`, "2"},
		{`messageSize(@message) > 10`, "1"},
		{`queryTimeRange()`, "1000"},
		{`"a" in ["a", "b"]`, "1"},
		{`a not in [1, 2]`, "1"},
		{`s like "pad"`, "1"},
		{`s not like /^x/`, "1"},
		{`s =~ /(?i)PADDED/`, "1"},
		{`not (a > 4)`, "0"},
		{`a >= 5 and a <= 5 or nope`, "1"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			q, err := Parse("fields " + c.expr + " as x")
			if err != nil {
				t.Fatal(err)
			}
			res, err := q.Run(slices.Values(ev), Options{Start: 1767323045000, End: 1767323046000, Now: 1767323045000})
			if err != nil {
				t.Fatal(err)
			}
			if got := rowMap(res.Rows[0])["x"]; got != c.want {
				t.Errorf("%s = %q, want %q", c.expr, got, c.want)
			}
		})
	}
}

// TestStatsOverflow: an aggregation that overflows a double is null, as
// arithmetic is, never "+Inf" or "NaN".
func TestStatsOverflow(t *testing.T) {
	res := run(t, "stats sum(big) as s, avg(big) as a, stddev(big) as sd, max(big) as m", events(`{"big": 1e308}`, `{"big": 1e308}`))
	got := rowMap(res.Rows[0])
	for _, k := range []string{"s", "a"} {
		if got[k] != "" {
			t.Errorf("%s = %q, want null", k, got[k])
		}
	}
	if got["sd"] != "0" || got["m"] == "" {
		t.Errorf("stddev = %q (want 0: equal values), max = %q (want the value)", got["sd"], got["m"])
	}
}

// TestSortOrder checks the documented ascending sequence of spec §5.3.
func TestSortOrder(t *testing.T) {
	want := []string{"!:", "#", "*%04", "0#", "5A", "111A", "2345_", "@", "@_", "A", "A9876fghj", "a12345hfh", "0", "01", "1", "2", "3"}
	var msgs []string
	for i := len(want) - 1; i >= 0; i-- {
		msgs = append(msgs, fmt.Sprintf(`{"v": %q}`, want[i]))
	}
	res := run(t, "fields v | sort v asc", events(msgs...))
	var got []string
	for _, r := range res.Rows {
		got = append(got, rowMap(r)["v"])
	}
	if !slices.Equal(got, want) {
		t.Errorf("asc = %q\nwant %q", got, want)
	}
	res = run(t, "fields v | sort v desc", events(msgs...))
	got = got[:0]
	for _, r := range res.Rows {
		got = append(got, rowMap(r)["v"])
	}
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Errorf("desc = %q\nwant %q", got, want)
	}
}

func TestQueries(t *testing.T) {
	logs := events(
		`{"level": "INFO", "latency": 100, "status": 200, "user": {"name": "ann"}}`,
		`{"level": "ERROR", "latency": 300, "status": 500, "user": {"name": "bob"}}`,
		`{"level": "ERROR", "latency": 500, "status": 500, "user": {"name": "ann"}}`,
		`{"level": "INFO", "latency": 200, "status": 200, "tags": ["a", "b"]}`,
		`2026-01-02 [ERROR] disk full`,
		`2026-01-02 [INFO] all good`,
		"REPORT RequestId: 3f5e-11\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t",
		`2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK`,
	)
	cases := []struct {
		name, q string
		want    []string // rows as field=value lists
	}{
		{"stats by field", `filter ispresent(level) | stats count(*) as n, avg(latency) as avg by level | sort level`,
			[]string{"level=ERROR n=2 avg=400", "level=INFO n=2 avg=150"}},
		{"aggregations", `stats sum(latency), min(latency), max(latency), pct(latency, 50), stddev(latency), count_distinct(level), count(level), earliest(level), latest(level), sortsFirst(level), sortsLast(level)`,
			[]string{"sum(latency)=1100 min(latency)=100 max(latency)=500 pct(latency, 50)=200 stddev(latency)=170.78251276599332 count_distinct(level)=2 count(level)=4 earliest(level)=INFO latest(level)=INFO sortsFirst(level)=ERROR sortsLast(level)=INFO"}},
		{"stats expression on aliases", `stats max(latency) as hi, min(latency) as lo, hi - lo as spread`,
			[]string{"hi=500 lo=100 spread=400"}},
		{"two stats", `filter ispresent(level) | stats count(*) as n by level, status | stats sum(n) as total by level | sort total desc, level`,
			[]string{"level=ERROR total=2", "level=INFO total=2"}},
		{"json dotted", `filter user.name = "ann" | fields user.name, latency | sort latency desc`,
			[]string{"user.name=ann latency=500 @ptr=pc", "user.name=ann latency=100 @ptr=pa"}},
		{"array index", `filter ispresent(tags.1) | fields tags.1`, []string{"tags.1=b @ptr=pd"}},
		{"parse glob", `parse @message "[*] *" as lvl, msg | filter lvl = "ERROR" | display lvl, msg`,
			[]string{"lvl=ERROR msg=disk full @ptr=pe"}},
		{"parse regex", `parse /\[(?<lvl>\w+)\] (?<msg>.*)/ | filter ispresent(lvl) | sort @timestamp desc | display msg`,
			[]string{"msg=all good @ptr=pf", "msg=disk full @ptr=pe"}},
		{"lambda", `filter @type = "REPORT" | fields @duration, @billedDuration, @maxMemoryUsed / 1000 / 1000 as mb, @requestId`,
			[]string{"@duration=12.5 @billedDuration=13 mb=64 @requestId=3f5e-11 @ptr=pg"}},
		{"vpc", `filter action = "ACCEPT" | stats sum(bytes) as b by srcAddr, dstPort`,
			[]string{"srcAddr=172.31.16.139 dstPort=22 b=4249"}},
		{"limit and default order", `fields @message | filter @message like "[" | limit 1`,
			[]string{"@message=2026-01-02 [INFO] all good @ptr=pf"}},
		{"dedup", `filter ispresent(level) | display level, latency | sort latency desc | dedup level`,
			[]string{"level=ERROR latency=500 @ptr=pc", "level=INFO latency=200 @ptr=pd"}},
		{"in and not", `filter status in [500] and not (latency > 400) | display latency`,
			[]string{"latency=300 @ptr=pb"}},
		{"where alias", `where latency > 250 | stats count() as n`, []string{"n=2"}},
		{"stats by bin", `filter ispresent(level) | stats count(*) as c by bin(2s)`,
			[]string{"bin(2s)=2026-01-02 03:04:08.000 c=1", "bin(2s)=2026-01-02 03:04:06.000 c=2", "bin(2s)=2026-01-02 03:04:04.000 c=1"}},
		{"pattern", `filter @message like "2026" | pattern @message`,
			[]string{"@pattern=<Token-1> [INFO] all good @ratio=0.5 @sampleCount=1 @severityLabel=Info", "@pattern=<Token-1> [ERROR] disk full @ratio=0.5 @sampleCount=1 @severityLabel=Error"}},
		{"unnest", `filter ispresent(tags.0) | fields jsonParse('["x","y"]') as l | unnest l into e | display e`,
			[]string{"e=x @ptr=pd", "e=y @ptr=pd"}},
		{"comment", "fields latency\n# | filter latency > 1000\n| filter latency > 400", []string{"latency=500 @ptr=pc"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, c.q, logs)
			var got []string
			for _, r := range res.Rows {
				var parts []string
				for _, f := range r {
					parts = append(parts, f.Field+"="+f.Value)
				}
				got = append(got, strings.Join(parts, " "))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s\n got %q\nwant %q", c.q, got, c.want)
			}
		})
	}
}

func TestStatistics(t *testing.T) {
	res := run(t, `filter level = "ERROR" | stats count(*)`, events(`{"level":"ERROR"}`, `{"level":"INFO"}`, `plain`))
	extra := len("s") + len("123456789012:g") + 1
	want := Statistics{RecordsMatched: 1, RecordsScanned: 3, BytesScanned: float64(len(`{"level":"ERROR"}`) + len(`{"level":"INFO"}`) + len("plain") + 3*extra)}
	if res.Stats != want {
		t.Errorf("stats = %+v, want %+v", res.Stats, want)
	}
}

// TestBytesScanned checks the statistics against aws-cli's
// get-query-results example: three 16-byte messages, 141 bytes scanned.
func TestBytesScanned(t *testing.T) {
	var evs []Event
	for i := 1; i <= 3; i++ {
		evs = append(evs, Event{Timestamp: int64(i), Message: fmt.Sprintf("Test BENCHMARK %d", i), LogStream: "TestStream", Log: "877362114193:testNHT"})
	}
	q, err := Parse("fields @timestamp, @message, @logStream")
	if err != nil {
		t.Fatal(err)
	}
	res, _ := q.Run(slices.Values(evs), Options{End: 1 << 62})
	if res.Stats != (Statistics{RecordsMatched: 3, RecordsScanned: 3, BytesScanned: 141}) {
		t.Errorf("stats = %+v", res.Stats)
	}
	if got := fmt.Sprint(res.Rows[0]); got != "[{@timestamp 1970-01-01 00:00:00.003} {@message Test BENCHMARK 3} {@logStream TestStream}]" {
		t.Errorf("newest row = %s", got)
	}
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		q, msg     string
		start, end int
	}{
		{`fields @timestamp |`, "unexpected symbol found <EOF> at line 1 and position 19", 19, 19},
		{`fields @timestamp | bogus x`, "unexpected symbol found bogus at line 1 and position 20", 20, 25},
		{"fields a\n| filter a = = 1", "unexpected symbol found = at line 2 and position 13", 22, 23},
		{`filter x like`, "unexpected symbol found <EOF> at line 1 and position 13", 13, 13},
		{`stats count(*) by`, "unexpected symbol found <EOF> at line 1 and position 17", 17, 17},
		{`fields nosuch(a)`, "unknown function nosuch at line 1 and position 7", 7, 13},
		{`fields abs(1, 2)`, "wrong number of arguments for function abs at line 1 and position 7", 7, 10},
		{`fields count(*)`, "the aggregation function count can only be used in stats at line 1 and position 7", 7, 15},
		{`stats sum(max(a))`, "aggregation functions cannot be nested at line 1 and position 10", 10, 16},
		{`parse @message "* *" as a`, "the number of fields in the glob pattern (2) does not match the number of field names (1) at line 1 and position 15", 15, 20},
		{`parse @message /(a+)/`, "the regular expression of parse needs at least one named capture group (?<name>...) at line 1 and position 15", 15, 21},
		{`filter a =~ /(/`, "invalid regular expression /(/ at line 1 and position 12", 12, 15},
		{`limit 0`, "limit must be between 1 and 10000 at line 1 and position 6", 6, 7},
		{`limit 10001`, "limit must be between 1 and 10000 at line 1 and position 6", 6, 11},
		{`stats count(*) | stats count(*) | stats count(*)`, "a query can contain at most 2 stats commands at line 1 and position 34", 34, 39},
		{`stats count(*) by a | sort a | stats count(*)`, "sort and limit must come after the last stats command at line 1 and position 31", 31, 36},
		{`dedup a | sort a`, "only the limit command can follow the dedup command at line 1 and position 10", 10, 14},
		{`stats count(*) by bin(5)`, "bin expects a time period such as 5m at line 1 and position 22", 22, 23},
		{`stats count(*) by bin(5parsecs)`, "invalid time unit parsecs at line 1 and position 22", 22, 30},
		{`filter "abc`, "unterminated string literal at line 1 and position 7", 7, 11},
		{`fields a | SOURCE "g"`, "SOURCE must be the first command of the query at line 1 and position 11", 11, 17},
		{`sort bin(1d) desc`, "unexpected symbol found ( at line 1 and position 8", 8, 9},
		{`stats count() as cnt by request.headers."user-agent"`, `unexpected symbol found "user-agent" at line 1 and position 40`, 40, 52},
		{"   ", "unexpected symbol found <EOF> at line 1 and position 3", 3, 3},
		{"fields é", "unexpected symbol found é at line 1 and position 7", 7, 8},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			_, err := Parse(c.q)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) = %v, want an *Error", c.q, err)
			}
			if e.Error() != c.msg || e.Start != c.start || e.End != c.end {
				t.Errorf("Parse(%q) = %q [%d,%d), want %q [%d,%d)", c.q, e.Error(), e.Start, e.End, c.msg, c.start, c.end)
			}
		})
	}
	if _, err := Parse(strings.Repeat("x", MaxQueryLength+1)); err == nil {
		t.Error("an over-long query parsed")
	}
	deep := strings.Repeat("(", 1000) + "1" + strings.Repeat(")", 1000)
	if _, err := Parse("fields " + deep); err == nil {
		t.Error("a deeply nested query parsed")
	}
}

func TestSource(t *testing.T) {
	q, err := Parse("SOURCE '/a' | SOURCE '/b' | fields @message")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.Source.Names, []string{"/a", "/b"}) || len(q.Commands) != 1 {
		t.Errorf("source %+v commands %d", q.Source, len(q.Commands))
	}
	q, err = Parse(`SOURCE logGroups(namePrefix: ["/aws/lambda", "/app"], class: ["STANDARD"]) START=1 END=2 | stats count(*)`)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.Source.Prefixes, []string{"/aws/lambda", "/app"}) || *q.Source.Start != 1 || *q.Source.End != 2 {
		t.Errorf("source %+v", q.Source)
	}
}

func TestTokens(t *testing.T) {
	q := "filter @message like /Exception/ # why\n| stats count(*) as n by bin(1h) | sort n desc | limit 10 / 2"
	var got []string
	for _, tk := range Tokens(q) {
		got = append(got, tk.Kind+":"+q[tk.Start:tk.End])
	}
	want := []string{"command:filter", "field:@message", "keyword:like", "regex:/Exception/", "comment:# why",
		"operator:|", "command:stats", "function:count", "operator:(", "operator:*", "operator:)", "keyword:as", "field:n",
		"keyword:by", "function:bin", "operator:(", "number:1h", "operator:)", "operator:|", "command:sort", "field:n",
		"keyword:desc", "operator:|", "command:limit", "number:10", "operator:/", "number:2"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens\n got %q\nwant %q", got, want)
	}
}
