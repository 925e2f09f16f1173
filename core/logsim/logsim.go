// Package logsim generates the logs learners filter: a simulated web server
// that writes Apache access log lines and JSON application logs with a
// seeded, configurable rate of errors on the virtual clock, and the lines the
// CloudWatch agent of an EC2 instance ships from the files its configuration
// names (syslog-like /var/log/messages, secure, access and application
// logs).
//
// Generation is pure: the lines of a minute are a function of the seed, the
// source's name and the minute (a splitmix64 stream per minute), so the same
// seed gives the same lines, and a restored world goes on with the lines the
// original would have written.
//
// Store layout (see core/store):
//
//	logsim/webserver/<name>   a web server (JSON)
//
// Web servers tick at each minute boundary; the ticks are scheduled again
// from the store when the service is built. A Service is not safe for
// concurrent use.
package logsim

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/telltale-dev/telltale/core/clock"
	"github.com/telltale-dev/telltale/core/store"
)

// Event is one generated log line.
type Event struct {
	Timestamp time.Time
	Message   string
}

// Sink receives the generated lines of a log stream, in time order. world
// implements it by appending them to CloudWatch Logs (creating the group and
// the stream as the agents do).
type Sink interface {
	WriteLogEvents(group, stream string, events []Event) error
}

// Clock is the virtual clock: the time and the scheduler.
type Clock interface {
	Now() time.Time
	Every(first time.Time, period time.Duration, name string, job clock.Job) clock.JobID
	Cancel(id clock.JobID)
}

// Deps are what the service needs from its world.
type Deps struct {
	Store *store.Store
	Clock Clock
	Sink  Sink
	// Seed is the world's seed, the default seed of web servers.
	Seed uint64
	// Notify reports a web server that stopped (optional).
	Notify func(at time.Time, format string, args ...any)
}

// Service runs the simulated log sources of a world.
type Service struct {
	d    Deps
	jobs map[string]clock.JobID
}

const serverPrefix = "logsim/webserver/"

// Limits of a web server's settings.
const (
	MaxRate = 10_000 // requests a minute
)

// Access log formats.
const (
	FormatCommon   = "common"   // Apache's common log format (7 fields)
	FormatCombined = "combined" // common plus referer and user agent
)

// WebServer is a simulated web server.
type WebServer struct {
	Name string
	// AccessLogGroup receives the access log ("" for none), AppLogGroup the
	// JSON application log ("" for none), both in a stream named Name.
	AccessLogGroup string
	AppLogGroup    string
	Rate           int     // requests a minute
	ErrorRate      float64 // share of requests answered 5xx, 0 to 1
	Seed           uint64
	Format         string
	Start          time.Time
	Until          time.Time `json:",omitempty"` // zero: runs until stopped
}

// New returns the service over the world's store and schedules the web
// servers found there (a restored world).
func New(d Deps) *Service {
	s := &Service{d: d, jobs: map[string]clock.JobID{}}
	for _, ws := range s.WebServers() {
		if ws.Until.IsZero() || ws.Until.After(d.Clock.Now()) {
			s.schedule(ws)
		}
	}
	return s
}

var (
	nameRE  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	groupRE = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]{1,512}$`)
)

// Validate checks a web server's settings and fills the defaults (format
// common).
func (ws *WebServer) Validate() error {
	switch {
	case !nameRE.MatchString(ws.Name):
		return fmt.Errorf("a web server's name is 1 to 64 letters, digits, '.', '_' or '-', not %q", ws.Name)
	case ws.AccessLogGroup == "" && ws.AppLogGroup == "":
		return fmt.Errorf("give a log group for the access log, the application log or both")
	case ws.AccessLogGroup != "" && !groupRE.MatchString(ws.AccessLogGroup):
		return fmt.Errorf("%q is not a log group name (1 to 512 of a-z A-Z 0-9 . _ - / #)", ws.AccessLogGroup)
	case ws.AppLogGroup != "" && !groupRE.MatchString(ws.AppLogGroup):
		return fmt.Errorf("%q is not a log group name (1 to 512 of a-z A-Z 0-9 . _ - / #)", ws.AppLogGroup)
	case ws.Rate < 1 || ws.Rate > MaxRate:
		return fmt.Errorf("the rate is 1 to %d requests a minute, not %d", MaxRate, ws.Rate)
	case !(ws.ErrorRate >= 0 && ws.ErrorRate <= 1):
		return fmt.Errorf("the error rate is a share from 0 to 1, not %g", ws.ErrorRate)
	}
	switch ws.Format {
	case "":
		ws.Format = FormatCommon
	case FormatCommon, FormatCombined:
	default:
		return fmt.Errorf("the access log format is common or combined, not %q", ws.Format)
	}
	return nil
}

// StartWebServer starts (or replaces) a web server from now on: its first
// lines are written at the next minute boundary. Seed 0 takes the world's
// seed.
func (s *Service) StartWebServer(ws WebServer) (WebServer, error) {
	if err := ws.Validate(); err != nil {
		return ws, err
	}
	if ws.Seed == 0 {
		ws.Seed = s.d.Seed
	}
	ws.Start = s.d.Clock.Now()
	if err := s.d.Store.Update(func(tx *store.Tx) error { return store.SetJSON(tx, serverPrefix+ws.Name, ws) }); err != nil {
		return ws, err
	}
	s.schedule(ws)
	return ws, nil
}

// StopWebServer stops a web server and forgets it.
func (s *Service) StopWebServer(name string) error {
	err := s.d.Store.Update(func(tx *store.Tx) error {
		_, err := tx.Delete(serverPrefix + name)
		return err
	})
	if err == store.ErrNotFound {
		return fmt.Errorf("there is no web server %q", name)
	}
	if err != nil {
		return err
	}
	if id, ok := s.jobs[name]; ok {
		s.d.Clock.Cancel(id)
		delete(s.jobs, name)
	}
	return nil
}

// WebServers returns the web servers, by name.
func (s *Service) WebServers() []WebServer {
	var out []WebServer
	s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, serverPrefix, func(_, v string) bool {
			var ws WebServer
			if json.Unmarshal([]byte(v), &ws) == nil {
				out = append(out, ws)
			}
			return true
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *Service) schedule(ws WebServer) {
	if id, ok := s.jobs[ws.Name]; ok {
		s.d.Clock.Cancel(id)
	}
	first := s.d.Clock.Now().Truncate(time.Minute).Add(time.Minute)
	name := ws.Name
	s.jobs[name] = s.d.Clock.Every(first, time.Minute, "logsim webserver "+name, func(at time.Time) { s.tick(name, at) })
}

// tick writes the lines of the minute ending at at.
func (s *Service) tick(name string, at time.Time) {
	var ws WebServer
	err := s.d.Store.View(func(tx *store.Tx) error { return store.GetJSON(tx, serverPrefix+name, &ws) })
	if err != nil {
		return
	}
	from, to := at.Add(-time.Minute), at
	if !ws.Until.IsZero() && ws.Until.Before(to) {
		to = ws.Until
	}
	access, app := ws.Lines(from, to)
	if s.d.Sink != nil {
		// A line that cannot be stored is dropped, as a log agent would.
		if ws.AccessLogGroup != "" && len(access) > 0 {
			_ = s.d.Sink.WriteLogEvents(ws.AccessLogGroup, ws.Name, access)
		}
		if ws.AppLogGroup != "" && len(app) > 0 {
			_ = s.d.Sink.WriteLogEvents(ws.AppLogGroup, ws.Name, app)
		}
	}
	if !ws.Until.IsZero() && !ws.Until.After(at) {
		if id, ok := s.jobs[name]; ok {
			s.d.Clock.Cancel(id)
			delete(s.jobs, name)
		}
		if s.d.Notify != nil {
			s.d.Notify(ws.Until, "sim: web server %s stopped", name)
		}
	}
}
