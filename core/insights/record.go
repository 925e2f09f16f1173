package insights

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Event is one stored log event as the engine reads it.
type Event struct {
	Timestamp int64  // ms
	Ingestion int64  // ms
	Message   string // @message
	LogStream string // @logStream
	Log       string // @log: account-id:log-group-name
	Ptr       string // @ptr: the record pointer GetLogRecord takes
}

// MaxJSONFields bounds the fields discovered in one JSON event (spec §5.2:
// 1000 discovered fields; the other documented caps are smaller; Ambiguous).
const MaxJSONFields = 1000

// maxJSONDepth bounds the nesting the JSON flattener follows.
const maxJSONDepth = 64

// record is an event moving through the commands, or a row produced by
// stats.
type record struct {
	ev   *Event
	seq  int
	vals []field // a few fields: a slice searched in order beats a map
	disc bool
}

type field struct {
	name string
	v    Value
}

func (r *record) set(name string, v Value) {
	for i := range r.vals {
		if r.vals[i].name == name {
			r.vals[i].v = v
			return
		}
	}
	r.vals = append(r.vals, field{name, v})
}

func (r *record) lookup(name string) (Value, bool) {
	for i := range r.vals {
		if r.vals[i].name == name {
			return r.vals[i].v, true
		}
	}
	return Value{}, false
}

func (r *record) system(name string) (Value, bool) {
	if r.ev == nil || len(name) == 0 || name[0] != '@' {
		return Value{}, false
	}
	switch name {
	case "@timestamp":
		return TimeV(r.ev.Timestamp), true
	case "@message":
		return StrV(r.ev.Message), true
	case "@logStream":
		return StrV(r.ev.LogStream), true
	case "@log":
		return StrV(r.ev.Log), true
	case "@ingestionTime":
		return TimeV(r.ev.Ingestion), true
	case "@ptr":
		return StrV(r.ev.Ptr), true
	}
	return Value{}, false
}

// get returns a field: computed and parsed fields first, then the event's
// system fields, then the fields discovered in the message, then a walk
// into a map or list field along a dotted name.
func (r *record) get(name string, refs map[string]bool) Value {
	if v, ok := r.lookup(name); ok {
		return v
	}
	if v, ok := r.system(name); ok {
		return v
	}
	if r.ev != nil && !r.disc {
		r.disc = true
		discover(r, refs)
		if v, ok := r.lookup(name); ok {
			return v
		}
	}
	for j := strings.LastIndexByte(name, '.'); j > 0; j = strings.LastIndexByte(name[:j], '.') {
		base, ok := r.lookup(name[:j])
		if ok && (base.K == MapKind || base.K == ListKind) {
			return walk(base, strings.Split(name[j+1:], "."))
		}
	}
	return Value{}
}

func walk(v Value, path []string) Value {
	for _, k := range path {
		switch v.K {
		case MapKind:
			v = v.M[k]
		case ListKind:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(v.L) {
				return Value{}
			}
			v = v.L[i]
		default:
			return Value{}
		}
	}
	return v
}

// discover adds the fields AWS discovers in a message: JSON keys
// flattened with dots, Lambda's START/END/REPORT fields, VPC flow log and
// Route 53 query log fields. Only the names in refs are kept (all of them
// when refs is nil).
func discover(r *record, refs map[string]bool) {
	m := r.ev.Message
	t := strings.TrimLeft(m, " \t\r\n")
	switch {
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		if !strings.HasPrefix(t, "{") {
			return
		}
		f := flattener{r: r, refs: refs, s: t}
		f.ws()
		f.value("", 0)
	case strings.HasPrefix(m, "REPORT RequestId: ") || strings.HasPrefix(m, "START RequestId: ") || strings.HasPrefix(m, "END RequestId: "):
		lambdaFields(r, m, refs)
	default:
		spaceFormats(r, m, refs)
	}
}

func keep(refs map[string]bool, name string) bool { return refs == nil || refs[name] }

// lambdaFields reads Lambda's platform lines:
// REPORT RequestId: id\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB
// @memorySize and @maxMemoryUsed are in bytes (MB x 1,000,000), as the
// documented sample queries divide them by 1000 twice.
func lambdaFields(r *record, m string, refs map[string]bool) {
	typ, rest, _ := strings.Cut(m, " RequestId: ")
	set := func(n string, v Value) {
		if keep(refs, n) {
			r.set(n, v)
		}
	}
	set("@type", StrV(typ))
	parts := strings.Split(rest, "\t")
	id := strings.TrimSpace(parts[0])
	if i := strings.IndexByte(id, ' '); i > 0 {
		id = id[:i]
	}
	set("@requestId", StrV(id))
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, ": ")
		if !ok {
			continue
		}
		num := func(unit string, scale float64) (Value, bool) {
			f, ok := parseNum(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), unit)))
			return NumV(f * scale), ok
		}
		var name string
		var val Value
		ok = true
		switch k {
		case "Duration":
			name = "@duration"
			val, ok = num("ms", 1)
		case "Billed Duration":
			name = "@billedDuration"
			val, ok = num("ms", 1)
		case "Init Duration":
			name = "@initDuration"
			val, ok = num("ms", 1)
		case "Memory Size":
			name = "@memorySize"
			val, ok = num("MB", 1e6)
		case "Max Memory Used":
			name = "@maxMemoryUsed"
			val, ok = num("MB", 1e6)
		case "XRAY TraceId":
			name, val = "@xrayTraceId", StrV(strings.TrimSpace(v))
		case "SegmentId":
			name, val = "@xraySegmentId", StrV(strings.TrimSpace(v))
		default:
			continue
		}
		if ok {
			set(name, val)
		}
	}
}

var vpcFields = []string{"version", "accountId", "interfaceId", "srcAddr", "dstAddr", "srcPort", "dstPort", "protocol", "packets", "bytes", "start", "end", "action", "logStatus"}

var route53Fields = []string{"version", "queryTimestamp", "hostZoneId", "queryName", "queryType", "responseCode", "protocol", "edgeLocation", "resolverIp", "ednsClientSubnet"}

// spaceFormats recognises the default VPC flow log format (14 fields,
// version 2, an eni- interface) and Route 53 public query logs (version
// 1.0, a Z hosted zone id).
func spaceFormats(r *record, m string, refs map[string]bool) {
	f := strings.Fields(m)
	var names []string
	switch {
	case len(f) == len(vpcFields) && f[0] == "2" && strings.HasPrefix(f[2], "eni-"):
		names = vpcFields
	case len(f) == len(route53Fields) && f[0] == "1.0" && strings.HasPrefix(f[2], "Z"):
		names = route53Fields
	default:
		return
	}
	for i, n := range names {
		if n == "start" || n == "end" {
			n += "Time"
		}
		if !keep(refs, n) || f[i] == "-" {
			continue
		}
		if x, ok := parseNum(f[i]); ok && n != "version" && n != "accountId" {
			r.set(n, NumV(x))
		} else {
			r.set(n, StrV(f[i]))
		}
	}
}

// flattener walks one JSON object and sets its scalar leaves as fields
// named by their dotted paths (array elements by index). A malformed
// document keeps the fields read before the fault.
type flattener struct {
	r    *record
	refs map[string]bool
	s    string
	i    int
	n    int
	bad  bool
}

// wanted reports whether a field or a subtree at path can hold a field the
// query reads (refs holds every dotted prefix of the names read).
func (f *flattener) wanted(path string) bool {
	if f.refs == nil {
		return true
	}
	if strings.HasPrefix(path, "@") {
		return f.refs["@"+path]
	}
	return f.refs[path]
}

func (f *flattener) ws() {
	for f.i < len(f.s) {
		switch f.s[f.i] {
		case ' ', '\t', '\n', '\r':
			f.i++
		default:
			return
		}
	}
}

func (f *flattener) emit(name string, v Value) {
	if f.n >= MaxJSONFields {
		return
	}
	f.n++
	if name == skipPath {
		return
	}
	if strings.HasPrefix(name, "@") {
		name = "@" + name // a discovered @name is shown as @@name
	}
	if keep(f.refs, name) {
		f.r.set(name, v)
	}
}

// skipPath marks a subtree no field of the query is in: its names are not
// built.
const skipPath = "\x00"

func (f *flattener) child(prefix, k string) string {
	if prefix == skipPath {
		return skipPath
	}
	p := k
	if prefix != "" {
		p = prefix + "." + k
	}
	if !f.wanted(p) {
		return skipPath
	}
	return p
}

func (f *flattener) value(path string, depth int) {
	if f.bad || f.i >= len(f.s) || depth > maxJSONDepth {
		f.bad = true
		return
	}
	switch c := f.s[f.i]; {
	case c == '{':
		if f.empty('}') {
			return
		}
		for more := true; more && !f.bad; more = f.next('}') {
			f.ws()
			k, ok := f.str()
			if !ok {
				f.bad = true
				return
			}
			f.ws()
			if f.i >= len(f.s) || f.s[f.i] != ':' {
				f.bad = true
				return
			}
			f.i++
			f.ws()
			f.value(f.child(path, k), depth+1)
		}
	case c == '[':
		if f.empty(']') {
			return
		}
		for n, more := 0, true; more && !f.bad; n, more = n+1, f.next(']') {
			f.ws()
			f.value(f.child(path, strconv.Itoa(n)), depth+1)
		}
	case c == '"':
		s, ok := f.str()
		if !ok {
			f.bad = true
			return
		}
		f.emit(path, StrV(s))
	case c == 't' && strings.HasPrefix(f.s[f.i:], "true"):
		f.i += 4
		f.emit(path, StrV("true"))
	case c == 'f' && strings.HasPrefix(f.s[f.i:], "false"):
		f.i += 5
		f.emit(path, StrV("false"))
	case c == 'n' && strings.HasPrefix(f.s[f.i:], "null"):
		f.i += 4
	default:
		s := f.i
		for f.i < len(f.s) && strings.IndexByte("+-.0123456789eE", f.s[f.i]) >= 0 {
			f.i++
		}
		if s == f.i {
			f.bad = true
			return
		}
		if path == skipPath {
			f.n++
			return
		}
		x, err := strconv.ParseFloat(f.s[s:f.i], 64)
		if err != nil {
			f.bad = true
			return
		}
		f.emit(path, NumV(x))
	}
}

// empty reads past the opening bracket of an object or an array and
// reports whether its closing one (close) follows at once, reading past it
// too.
func (f *flattener) empty(close byte) bool {
	f.i++
	f.ws()
	if f.i < len(f.s) && f.s[f.i] == close {
		f.i++
		return true
	}
	return false
}

// next reads what follows a member or an element: a comma (true: another
// one follows) or close (false: the object or array ends); anything else
// makes the document bad (false).
func (f *flattener) next(close byte) bool {
	f.ws()
	if f.i < len(f.s) && f.s[f.i] == ',' {
		f.i++
		return true
	}
	if f.i < len(f.s) && f.s[f.i] == close {
		f.i++
	} else {
		f.bad = true
	}
	return false
}

func (f *flattener) str() (string, bool) {
	if f.i >= len(f.s) || f.s[f.i] != '"' {
		return "", false
	}
	s := f.i + 1
	esc := false
	for j := s; j < len(f.s); j++ {
		switch f.s[j] {
		case '\\':
			esc = true
			j++
		case '"':
			f.i = j + 1
			if !esc {
				return f.s[s:j], true
			}
			var out string
			if err := json.Unmarshal([]byte(f.s[s-1:j+1]), &out); err != nil {
				return "", false
			}
			return out, true
		}
	}
	return "", false
}

// Fields returns every field of an event as GetLogRecord shows it: the
// system fields (@timestamp and @ingestionTime in epoch milliseconds) and
// the fields discovered in the message.
func Fields(ev Event) map[string]string {
	r := &record{ev: &ev, disc: true}
	discover(r, nil)
	out := map[string]string{
		"@timestamp":     strconv.FormatInt(ev.Timestamp, 10),
		"@ingestionTime": strconv.FormatInt(ev.Ingestion, 10),
		"@message":       ev.Message,
		"@logStream":     ev.LogStream,
		"@log":           ev.Log,
	}
	for _, f := range r.vals {
		if f.v.K != Null {
			out[f.name] = f.v.String()
		}
	}
	return out
}
