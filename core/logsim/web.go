package logsim

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/ids"
)

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// newRNG returns the deterministic stream (core/ids' splitmix64) of a source
// and minute.
func newRNG(seed uint64, source string, minute time.Time) *ids.Generator {
	r := ids.Restore(seed, seed^hashString(source)^uint64(minute.Unix()/60)*0xd1b54a32d192ed03)
	r.Uint64()
	return r
}

// route is a path the web server answers, with its weight and size.
type route struct {
	method, path string
	weight       int
	size         int // typical response size in bytes
	static       bool
}

var routes = []route{
	{"GET", "/", 18, 5120, false},
	{"GET", "/index.html", 8, 5120, false},
	{"GET", "/products", 12, 14336, false},
	{"GET", "/products/%d", 14, 8192, false},
	{"GET", "/cart", 8, 3072, false},
	{"POST", "/cart", 6, 512, false},
	{"POST", "/checkout", 4, 768, false},
	{"GET", "/api/orders/%d", 8, 1024, false},
	{"GET", "/static/app.js", 10, 48128, true},
	{"GET", "/static/style.css", 8, 12288, true},
	{"GET", "/health", 4, 16, false},
}

var routeWeight = func() int {
	n := 0
	for _, r := range routes {
		n += r.weight
	}
	return n
}()

// clients are documentation addresses (RFC 5737): no real hosts.
var clients = []string{
	"192.0.2.10", "192.0.2.23", "192.0.2.44", "192.0.2.87", "192.0.2.130", "192.0.2.201",
	"198.51.100.7", "198.51.100.19", "198.51.100.42", "198.51.100.77", "198.51.100.150", "198.51.100.233",
	"203.0.113.5", "203.0.113.31", "203.0.113.64", "203.0.113.99", "203.0.113.142", "203.0.113.250",
}

var agents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"curl/8.5.0",
	"ELB-HealthChecker/2.0",
}

// serverErrors are the 5xx answers, with the application's message.
var serverErrors = []struct {
	status  int
	message string
}{
	{500, "unhandled exception: database connection refused"},
	{500, "unhandled exception: nil pointer dereference in cart service"},
	{502, "bad gateway: upstream inventory service closed the connection"},
	{503, "service unavailable: connection pool exhausted"},
	{504, "gateway timeout: payment service did not answer within 3000 ms"},
}

// Request is one simulated request of a web server.
type Request struct {
	Time      time.Time
	ClientIP  string
	Method    string
	Path      string
	Status    int
	Size      int
	Latency   int // milliseconds
	RequestID string
	UserAgent string
	Message   string
}

// Requests returns the requests a web server answers in the minute that
// starts at minute (truncated to the minute), in time order.
func (ws *WebServer) Requests(minute time.Time) []Request {
	minute = minute.UTC().Truncate(time.Minute)
	r := newRNG(ws.Seed, "webserver/"+ws.Name, minute)
	n := ws.Rate
	if n > 2 {
		// ±10% from minute to minute.
		n += int(math.Round((r.Float64() - 0.5) * 0.2 * float64(ws.Rate)))
	}
	offsets := make([]int, n)
	for i := range offsets {
		offsets[i] = r.Intn(60_000)
	}
	sort.Ints(offsets)
	out := make([]Request, n)
	for i := range out {
		q := &out[i]
		q.Time = minute.Add(time.Duration(offsets[i]) * time.Millisecond)
		q.ClientIP = clients[r.Intn(len(clients))]
		q.UserAgent = agents[r.Intn(len(agents))]
		w := r.Intn(routeWeight)
		var rt route
		for _, x := range routes {
			if w < x.weight {
				rt = x
				break
			}
			w -= x.weight
		}
		q.Method, q.Path = rt.method, rt.path
		if strings.Contains(q.Path, "%d") {
			q.Path = fmt.Sprintf(q.Path, 1000+r.Intn(9000))
		}
		if rt.path == "/health" {
			q.UserAgent = agents[len(agents)-1]
		}
		q.RequestID = uuid(r)
		// Latency: mostly tens of milliseconds, with a long tail.
		q.Latency = 8 + int(math.Round(40*math.Exp(2*r.Float64()*r.Float64()*r.Float64()*2)))
		e := r.Float64()
		switch {
		case e < ws.ErrorRate:
			se := serverErrors[r.Intn(len(serverErrors))]
			q.Status, q.Message = se.status, se.message
			q.Size = 200 + r.Intn(400)
			q.Latency += 200 + r.Intn(2800)
			if se.status == 504 {
				q.Latency = 3000 + r.Intn(50)
			}
		case rt.static && r.Intn(10) < 3:
			q.Status, q.Size, q.Message = 304, 0, "not modified"
		case !rt.static && r.Intn(50) == 0:
			q.Status, q.Size, q.Message = 404, 150+r.Intn(100), "no route for "+q.Path
		case rt.method == "POST" && rt.path == "/cart":
			q.Status, q.Size, q.Message = 201, rt.size/2+r.Intn(rt.size), "item added to cart"
		default:
			q.Status, q.Size, q.Message = 200, rt.size/2+r.Intn(rt.size), "request completed"
		}
	}
	return out
}

func uuid(r *ids.Generator) string {
	a, b := r.Uint64(), r.Uint64()
	x := fmt.Sprintf("%016x%016x", a, b)
	return x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-a" + x[17:20] + "-" + x[20:32]
}

// AccessLine writes a request in Apache's common log format (or combined:
// with the referer and the user agent), as the space-delimited filter
// pattern [ip, id, user, timestamp, request, status_code, size] reads it.
func AccessLine(q Request, format string) string {
	size := "-"
	if q.Size > 0 {
		size = strconv.Itoa(q.Size)
	}
	line := fmt.Sprintf(`%s - - [%s] "%s %s HTTP/1.1" %d %s`, q.ClientIP, q.Time.UTC().Format("02/Jan/2006:15:04:05 -0700"),
		q.Method, q.Path, q.Status, size)
	if format == FormatCombined {
		line += fmt.Sprintf(` "-" "%s"`, q.UserAgent)
	}
	return line
}

// AppLine writes a request as the application's JSON log line: timestamp,
// level (ERROR for 5xx, WARN for 4xx and slow requests, INFO otherwise),
// message, requestId, method, path, status and latency (ms).
func AppLine(q Request) string {
	level := "INFO"
	switch {
	case q.Status >= 500:
		level = "ERROR"
	case q.Status >= 400 || q.Latency >= 1000:
		level = "WARN"
	}
	return fmt.Sprintf(`{"timestamp":"%s","level":"%s","message":%s,"requestId":"%s","method":"%s","path":%s,"status":%d,"latency":%d}`,
		q.Time.UTC().Format("2006-01-02T15:04:05.000Z"), level, jsonString(q.Message), q.RequestID, q.Method,
		jsonString(q.Path), q.Status, q.Latency)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Lines returns the access and application log lines of the requests
// between from (inclusive) and to (exclusive), no earlier than the server's
// start.
func (ws *WebServer) Lines(from, to time.Time) (access, app []Event) {
	if from.Before(ws.Start) {
		from = ws.Start
	}
	for m := from.UTC().Truncate(time.Minute); m.Before(to); m = m.Add(time.Minute) {
		for _, q := range ws.Requests(m) {
			if q.Time.Before(from) || !q.Time.Before(to) {
				continue
			}
			access = append(access, Event{q.Time, AccessLine(q, ws.Format)})
			app = append(app, Event{q.Time, AppLine(q)})
		}
	}
	return access, app
}
