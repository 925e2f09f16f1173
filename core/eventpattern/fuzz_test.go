package eventpattern

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzParse checks that no pattern text panics or hangs the parser, that
// every error is an *Error with AWS's prefix, and that every accepted
// pattern compiles to jq.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"source":["aws.ec2"]}`, `{"a":[{"numeric":[">",0,"<=",5]}]}`, `{"$or":[{"a":[1]},{"b":[{"exists":false}]}]}`,
		`{"a":[{"anything-but":{"wildcard":["x*","\\*"]}}]}`, `{"a":[{"cidr":"10.0.0.0/24"}]}`, `{'bad'}`, `[1]`, `{"a":{}}`,
		`{"a":[{"prefix":{"equals-ignore-case":"X"}}]}`, `{"a.b":{"c":[null,true,false,"",-1.5e3]}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Parse(src)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || !strings.HasPrefix(pe.Message(), "Event pattern is not valid. Reason: ") {
				t.Fatalf("Parse(%q) = %v", src, err)
			}
			return
		}
		if _, err := Compile(p); err != nil {
			t.Fatalf("Compile(%q): %v", src, err)
		}
	})
}

// FuzzMatch checks that the jq program alone (Program.Match), the routing
// Set (index, pre-check, jq on the scanned values), the routing Set with
// every candidate sent to jq, the Set that rejects natively but never
// accepts without jq, and the
// native reference matcher all decide every valid pattern and event object
// alike, and that none panics.
func FuzzMatch(f *testing.F) {
	f.Add(`{"detail":{"state":["running"]}}`, `{"detail":{"state":"running"}}`)
	f.Add(`{"a":{"b":[1],"c":[2]}}`, `{"a":[{"b":1},{"c":2}]}`)
	f.Add(`{"a":{"b":["x"],"c":[{"exists":false}]}}`, `{"a":[{"b":"x"},{"c":1}]}`)
	f.Add(`{"a.b":[{"anything-but":{"prefix":"p"}}]}`, `{"a":{"b":[12,"px",null]}}`)
	f.Add(`{"ip":[{"cidr":"2001:db8::/32"}],"n":[300]}`, `{"ip":"2001:0db8:0:0::1","n":300.0}`)
	f.Add(`{"$or":[{"a":[{"wildcard":"a*b*c"}]},{"b":[{"equals-ignore-case":"ÄB"}]}]}`, `{"a":"axxbyc","b":"äb"}`)
	f.Add(`{"a":{"b":["x"],"c":["y"]}}`, `{"a":[{"b":"x","c":"z"},{"b":"w","c":"y"}]}`)
	f.Add(`{"s":["e"],"a":{"b":["x"]}}`, `{"s":"e","a":[{"b":"q"},{"b":"x"}]}`)
	f.Add(`{"s":["e"],"n":[{"exists":false}],"m":[5]}`, `{"s":"e","n":null,"m":[5.0]}`)
	f.Add(`{"a":["\ufffd"],"b":[{"prefix":"\ufffd"}]}`, "{\"a\":\"\xff\",\"b\":\"\xc3\\u0041\",\"\xfe\":1}")
	// the index's keys: case folding beyond ASCII, prefix and suffix with
	// equals-ignore-case, wildcard ends, CIDR blocks, numeric bounds
	f.Add(`{"a":[{"equals-ignore-case":"kelvin"}]}`, "{\"a\":\"\u212aELVIN\"}")
	f.Add(`{"a":[{"prefix":{"equals-ignore-case":"st"}},{"suffix":{"equals-ignore-case":"Ng"}}]}`, "{\"a\":[\"\u017fTRING\",\"xNG\"]}")
	f.Add(`{"a":[{"wildcard":"ab*cd"},{"wildcard":"*x"},{"wildcard":"q"}]}`, `{"a":["abcd","abx","q"]}`)
	f.Add(`{"a":[{"cidr":"10.0.0.0/8"},{"cidr":"::ffff:0:0/96"}],"b":[{"numeric":["<",0]},{"numeric":[">=",5,"<",5.5]}]}`, `{"a":"10.1.2.3","b":[-1e400,5.25]}`)
	f.Add(`{"a":[{"prefix":""},{"suffix":""}],"b":[{"equals-ignore-case":""}]}`, `{"a":"","b":""}`)
	f.Fuzz(func(t *testing.T, pattern, event string) {
		p, err := Parse(pattern)
		if err != nil {
			return
		}
		prog, err := Compile(p)
		if err != nil {
			t.Fatalf("Compile(%q): %v", pattern, err)
		}
		var obj map[string]any
		if json.Unmarshal([]byte(event), &obj) != nil || obj == nil {
			_, _ = prog.MatchNative([]byte(event))
			return
		}
		native, nerr := prog.MatchNative([]byte(event))
		viaJQ, jerr := prog.Match([]byte(event))
		if nerr != nil || jerr != nil {
			return // depth and step bounds
		}
		if native != viaJQ {
			t.Fatalf("pattern %s event %s: native %v, jq %v\n%s", pattern, event, native, viaJQ, prog.JQ())
		}
		for _, mode := range []string{"routing", "forceJQ", "noAccept"} {
			set := NewSet()
			set.Add(prog)
			set.forceJQ = mode == "forceJQ"
			set.noAccept = mode == "noAccept"
			ids, err := set.Match([]byte(event), nil)
			if err != nil {
				continue // step bound
			}
			if got := len(ids) == 1; got != viaJQ {
				t.Fatalf("pattern %s event %s: Set (%s) %v, jq %v\n%s", pattern, event, mode, got, viaJQ, prog.JQ())
			}
		}
		if _, err := Explain(p, []byte(event)); err != nil {
			t.Fatalf("Explain: %v", err)
		}
	})
}
