package filterpattern

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const (
	j1 = `{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"cluster.name":"c","ThisFlag":true}`
	s1 = `127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534`
	l1 = `INFO 09/25/2014 12:00:00 GET /service/resource/67 1200`
	l2 = `INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310`
	l3 = `WARNING 09/25/2014 12:00:02 Invalid user request`
	l4 = `ERROR 09/25/2014 12:00:02 Failed to process request`
)

// TestMatch covers the spec's worked examples (§1.6) that the conformance
// files do not carry, and the rules of §1.2-§1.5.
func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		name, pattern, message string
		want                   bool
	}{
		{"empty", "", "anything", true},
		{"blank", "   ", "anything", true},
		{"quoted blank", `""`, "anything", true},
		{"case sensitive", "Error", "This message contains an Error", true},
		{"case sensitive miss", "error", "This message contains an Error", false},
		{"or dropped when mixed", "?ERROR ?ARGUMENTS REQUEST", "[INFO] REQUEST FAILED", true},
		{"or dropped when mixed 2", "?ERROR ?ARGUMENTS REQUEST", "[WARN] UNAUTHORIZED REQUEST", true},
		{"or dropped when mixed 3", "?ERROR ?ARGUMENTS REQUEST", "[ERROR] BAD THING", false},
		{"only exclusion", "-DEBUG", "INFO ok", true},
		{"only exclusion miss", "-DEBUG", "DEBUG ok", false},
		{"quoted exclusion", `"ERROR" -"Exiting"`, "ERROR now", true},
		{"phrase verbatim", `"INTERNAL SERVER ERROR"`, "INTERNAL  SERVER ERROR", false},
		{"unicode word", "café", "un café noir", true},
		{"regex term", "%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST", true},
		{"regex hex escape", `%\x28x\x29%`, "f(x) = 1", true},
		{"regex alternation", `%abcc|ab[^c]$%`, "xxabd", true},
		{"regex dot", `%10\.10\.0\.1%`, "10010,051", false},
		{"regex unescaped dot", `%10.10.0.1%`, "10010,051", true},
		{"regex with others", `ERROR %[0-9]{3}%`, "ERROR 404", true},
		{"regex with others miss", `ERROR %[0-9]{3}%`, "ERROR x", false},

		{"json wildcard regex", `{ $.arrayKey[*] = %val.{2}% }`, j1, true},
		{"json member wildcard", `{ $.* = %111\.111\.111\.1[0-9]{1,2}% }`, j1, true},
		{"json bracket key", `{ $.['cluster.name'] = "c" }`, j1, true},
		{"json regex", `{ $.eventType = %Trail% }`, j1, true},
		{"json suffix glob", `{ $.eventType = *Trail }`, j1, true},
		{"json prefix glob", `{ $.eventType = Update* }`, j1, true},
		{"json middle star literal", `{ $.eventType = Up*Trail }`, j1, false},
		{"json ne missing", `{ $.missing != "x" }`, j1, false},
		{"json is false", `{ $.ThisFlag IS FALSE }`, j1, false},
		{"json not exists present", `{ $.eventType NOT EXISTS }`, j1, false},
		{"json null not missing", `{ $.SomeObject NOT EXISTS }`, j1, false},
		{"json missing is not null", `{ $.Nope IS NULL }`, j1, false},
		{"json numbers", `{ $.n >= 1e-3 && $.n < +1000 && $.m = 55.5 && $.k <= 10e3 }`, `{"n":0.5,"m":55.5,"k":10000}`, true},
		{"json negative", `{ $.n < -1 }`, `{"n":-2}`, true},
		{"json number vs string", `{ $.n = 5 }`, `{"n":"5"}`, false},
		{"json string vs number", `{ $.n = "5" }`, `{"n":5}`, false},
		{"json star on number", `{ $.latency = * }`, `{"latency":0}`, true},
		{"json star on missing", `{ $.latency = * }`, `{"other":0}`, false},
		{"json star on object", `{ $.latency = * }`, `{"latency":{}}`, false},
		{"json not json", `{ $.a NOT EXISTS }`, `a plain line`, false},
		{"json broken json", `{ $.a NOT EXISTS }`, `{"a":`, false},
		{"json top array", `{ $[1] = 2 }`, `[1,2]`, true},
		{"json index out of range", `{ $.a[5] = 1 }`, `{"a":[1]}`, false},
		{"json index on object", `{ $.a[0] = 1 }`, `{"a":{"0":1}}`, false},
		{"json nested parens", `{ (($.a = 1) || ($.b = 2)) && $.c = 3 }`, `{"b":2,"c":3}`, true},
		{"json quoted escape", `{ $.q = "say \"hi\"" }`, `{"q":"say \"hi\""}`, true},
		{"json unicode value", `{ $.u = "é☃" }`, `{"u":"é☃"}`, true},

		{"space all fields", `[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]`, s1, true},
		{"space regex field", `[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]`, s1, true},
		{"space too few slots", `[ip, user, username]`, s1, false},
		{"space leading ellipsis", `[..., status_code, bytes > 1000]`, s1, true},
		{"space trailing ellipsis", `[ip, user, ...]`, s1, true},
		{"space middle ellipsis", `[ip, ..., status_code = 404, bytes]`, s1, true},
		{"space two ellipses", `[..., username = frank, ..., bytes = 1534]`, s1, true},
		{"space two ellipses miss", `[..., username = bob, ..., bytes = 1534]`, s1, false},
		{"space numeric", `[..., bytes > 2000]`, s1, false},
		{"space not numeric", `[ip > 1, ...]`, s1, false},
		{"space regex url", `[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]`, l1, true},
		{"space regex url 2", `[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]`, l2, true},
		{"space regex url no", `[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]`, l2, false},
		{"space ne and", `[w1!=ERROR && w1!=WARNING, ...]`, l1, true},
		{"space ne and miss", `[w1!=ERROR && w1!=WARNING, ...]`, l3, false},
		{"space or", `[w1=ERROR || w1=WARNING, ...]`, l4, true},
		// Deliberate: the 2021 table (conformance, non-suspect) requires an
		// exact field count, so the current page's [w1=ERROR, w2] on the
		// 7-field line L4 does not match here (spec §8.2).
		{"space exact count", `[w1=ERROR, w2]`, l4, false},
		{"space empty brackets", `[]`, "anything at all", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.pattern)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.pattern, err)
			}
			if got := p.Matches(tt.message); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.message, got, tt.want)
			}
		})
	}
}

func TestKind(t *testing.T) {
	for pattern, want := range map[string]Kind{
		"": KindEmpty, " ": KindEmpty, `" "`: KindEmpty, `""`: KindEmpty, "ERROR": KindTerms,
		"%a.c%": KindRegex, "?%a% ?b": KindTerms, "{ $.a = 1 }": KindJSON, " [a, b]": KindSpace, "[]": KindSpace,
	} {
		p, err := Parse(pattern)
		if err != nil {
			t.Fatalf("Parse(%q): %v", pattern, err)
		}
		if p.Kind() != want || p.Kind().String() != want.String() {
			t.Errorf("Kind(%q) = %v, want %v", pattern, p.Kind(), want)
		}
		if p.String() != pattern {
			t.Errorf("String() = %q", p.String())
		}
	}
}

func TestHasRegex(t *testing.T) {
	for pattern, want := range map[string]bool{
		"%a%": true, "ERROR %a%": true, "{ $.a = %x% }": true, "[a = %x%]": true, "[a = x || a = %y%]": true,
		"ERROR": false, "{ $.a = x* }": false, "[a, b = 1]": false, "": false,
	} {
		p, err := Parse(pattern)
		if err != nil {
			t.Fatal(err)
		}
		if p.HasRegex() != want {
			t.Errorf("HasRegex(%q) = %v", pattern, !want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		offset  int
		message string
	}{
		{`%something!%`, 10, MessageInvalidCharacters},
		{`%a(b)%`, 2, MessageInvalidCharacters},
		{`%é%`, 1, MessageInvalidCharacters},
		{`%abc`, 0, MessageInvalid},
		{`%%`, 1, MessageInvalid},
		{`ERROR:`, 5, MessageInvalidCharacters},
		{`"unterminated`, 0, MessageInvalid},
		{`? x`, 0, MessageInvalid},
		{`{ $.a = 1`, 9, MessageInvalid},
		{`{ }`, 2, MessageInvalid},
		{`{ $.a }`, 6, MessageInvalid},
		{`{ $.a IS NOT NULL }`, 9, MessageInvalid},
		{`{ $.a EXISTS }`, 6, MessageInvalid},
		{`{ $.a > abc }`, 8, MessageInvalid},
		{`{ $ = 1 }`, 2, MessageInvalid},
		{`{ $.a = 1 } x`, 12, MessageInvalid},
		{`{ ($.a = 1 }`, 11, MessageInvalid},
		{`{ $.a = 1 && }`, 13, MessageInvalid},
		{`{ $.a.*.b[*] = 1 }`, 2, msgTooManyWildcards},
		{`{ $.a[*] = 1 && $.b[*] = 1 && $.c[*] = 1 && $.d[*] = 1 }`, 44, msgTooManyWildcards},
		{`{ $.a = %x% && $.b = %y% && $.c = %z% }`, 34, msgTooManyRegex},
		{`{ $.a = %x(% }`, 10, MessageInvalidCharacters},
		{`{ $.a[01x] = 1 }`, 8, MessageInvalid},
		{`{ $.['a = 1 }`, 5, MessageInvalid},
		{`[ip, user`, 9, MessageInvalid},
		{`[ip, status_code = 4* && bytes > 1000]`, 25, MessageInvalid},
		{`[a = %x%, b = %y%, c = %z%]`, 23, msgTooManyRegex},
		{`[a >]`, 4, MessageInvalid},
		{`[a ! 1]`, 3, MessageInvalid},
		{`[a] b`, 4, MessageInvalid},
		{`[a, (b)]`, 4, MessageInvalid},
		{"{ " + strings.Repeat("(", 40) + "$.a = 1" + strings.Repeat(")", 40) + " }", 34, MessageInvalid},
	} {
		_, err := Parse(tt.pattern)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want an *Error", tt.pattern, err)
			continue
		}
		if pe.Offset != tt.offset || pe.Message != tt.message {
			t.Errorf("Parse(%q) = offset %d %q (%s), want offset %d %q", tt.pattern, pe.Offset, pe.Message, pe.Detail, tt.offset, tt.message)
		}
		if a := pe.AWS(); a.Code != "InvalidParameterException" {
			t.Errorf("AWS code %q", a.Code)
		}
		if c := pe.Caret(tt.pattern); !strings.Contains(c, "^ "+pe.Detail) {
			t.Errorf("Caret = %q", c)
		}
	}
	long := strings.Repeat("é", MaxLength+1)
	_, err := Parse(long)
	var pe *Error
	if !errors.As(err, &pe) || !strings.HasSuffix(pe.Message, "Member must have length less than or equal to 1024") {
		t.Errorf("Parse(1025 chars) = %v", err)
	}
	if _, err := Parse(strings.Repeat("é", MaxLength)); err != nil {
		t.Errorf("Parse(1024 chars) = %v", err)
	}
}

// TestExtracted covers TestMetricFilter's extractedValues and the metric
// value / dimension references, including the acceptance example.
func TestExtracted(t *testing.T) {
	for _, tt := range []struct {
		pattern, message string
		want             map[string]string
	}{
		{`[ip, id, user, timestamp, request, status_code=4*, size]`,
			`127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287`,
			map[string]string{"$ip": "127.0.0.1", "$id": "-", "$user": "-", "$timestamp": "24/Sep/2013:11:49:52 -0700",
				"$request": "GET /index.html HTTP/1.1", "$status_code": "404", "$size": "287"}},
		{`[..., status_code, ]`, `a b 200 9`, map[string]string{"$1": "a", "$2": "b", "$status_code": "200", "$4": "9"}},
		{`ERROR`, `ERROR x`, map[string]string{}},
		{`%x%`, `x`, map[string]string{}},
		{``, `x`, map[string]string{}},
		{`{ $.a.b = 1 && $.c NOT EXISTS && $.d[0] = * }`, `{"a":{"b":1},"d":["x",2]}`, map[string]string{"$.a.b": "1", "$.d[0]": "x"}},
		{`{ $.f IS TRUE || $.g IS NULL }`, `{"f":true,"g":null}`, map[string]string{"$.f": "true", "$.g": "null"}},
	} {
		p, err := Parse(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := p.Match(tt.message)
		if !ok {
			t.Fatalf("Match(%q, %q) = false", tt.pattern, tt.message)
		}
		if got := m.ExtractedValues(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ExtractedValues(%q) = %v, want %v", tt.pattern, got, tt.want)
		}
		if m.Message() != tt.message {
			t.Errorf("Message() = %q", m.Message())
		}
	}
}

func TestRefs(t *testing.T) {
	space, _ := Parse(`[ip, id, user, timestamp, request, status_code, size]`)
	m, ok := space.Match(`127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326`)
	if !ok {
		t.Fatal("no match")
	}
	for ref, want := range map[string]string{"$size": "2326", "$7": "2326", "$1": "127.0.0.1", "1": "1", "$status_code": "404"} {
		if got, ok := m.Resolve(ref); !ok || got != want {
			t.Errorf("Resolve(%s) = %q, %v, want %q", ref, got, ok, want)
		}
	}
	r, _ := space.Ref("$size")
	if f, ok := m.Number(r); !ok || f != 2326 {
		t.Errorf("Number($size) = %v, %v", f, ok)
	}
	if _, ok := m.Resolve("$8"); ok {
		t.Error("$8 resolved")
	}
	for _, bad := range []string{"$nope", "$.x"} {
		if _, err := space.Ref(bad); err == nil {
			t.Errorf("Ref(%s) on a space pattern succeeded", bad)
		}
	}
	js, _ := Parse(`{ $.latency = * }`)
	m, _ = js.Match(`{"latency": 50.5, "requestType": "GET", "obj": {"k": [1, {"z": "deep"}]}}`)
	for ref, want := range map[string]string{"$.latency": "50.5", "$.requestType": "GET", "$.obj.k[1].z": "deep"} {
		if got, ok := m.Resolve(ref); !ok || got != want {
			t.Errorf("Resolve(%s) = %q, %v, want %q", ref, got, ok, want)
		}
	}
	if _, ok := m.Resolve("$.missing"); ok {
		t.Error("$.missing resolved")
	}
	if _, ok := m.Resolve("$.obj"); ok {
		t.Error("an object resolved as a value")
	}
	for _, bad := range []string{"$size", "$1", "$.a[", "$.a b"} {
		if _, err := js.Ref(bad); err == nil {
			t.Errorf("Ref(%s) on a JSON pattern succeeded", bad)
		}
	}
	terms, _ := Parse(`ERROR`)
	if terms.SupportsDimensions() || !js.SupportsDimensions() || !space.SupportsDimensions() {
		t.Error("SupportsDimensions")
	}
	if _, err := terms.Ref("$.a"); err == nil {
		t.Error("Ref($.a) on terms succeeded")
	}
	if r, err := terms.Ref("1"); err != nil || r.Kind() != RefLiteral || r.String() != "1" {
		t.Errorf("Ref(1) = %v, %v", r, err)
	}
	var zero Match
	if _, ok := zero.Resolve("$.a"); ok || len(zero.ExtractedValues()) != 0 || zero.Highlights() != nil {
		t.Error("zero Match")
	}
}

func TestHighlights(t *testing.T) {
	for _, tt := range []struct {
		pattern, message string
		want             []Range
	}{
		{`ERROR ARGUMENTS`, `[ERROR 419] MISSING ARGUMENTS ERROR`, []Range{{1, 6}, {20, 29}, {30, 35}}},
		{`?WARN ?ERROR`, `ERROR x`, []Range{{0, 5}}},
		{`"b c" b`, `a b c`, []Range{{2, 5}}},
		{`%[0-9]+%`, `id 4242 x`, []Range{{3, 7}}},
		{`[a, b = 2, c]`, `x 2 "q r"`, []Range{{2, 3}}},
		{`[a, , c]`, `x 2 "q r"`, []Range{{0, 1}, {4, 9}}},
		{`{ $.a = 1 }`, `{"a":1}`, []Range{{0, 7}}},
	} {
		p, err := Parse(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := p.Match(tt.message)
		if !ok {
			t.Fatalf("no match %q", tt.pattern)
		}
		if got := m.Highlights(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Highlights(%q, %q) = %v, want %v", tt.pattern, tt.message, got, tt.want)
		}
	}
}
