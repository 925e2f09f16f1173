package eventbridge

import "github.com/telltale-dev/telltale/core/eventpattern"

// busRoutes is the routing set of a bus: its enabled rules with an event
// pattern, in store order, compiled into one eventpattern.Set.
type busRoutes struct {
	names    []string
	patterns []string
	set      *eventpattern.Set
	rule     []int // set id -> index in names
}

// maxRoutes bounds the cached routing sets (one per bus that saw an event).
const maxRoutes = 1024

// routes returns the routing set of a bus for its enabled pattern rules,
// building it again when their names or patterns differ from the cached
// set's (a put-rule, enable, disable, delete or restored world changes
// them). Rules whose pattern does not compile are left out, as they never
// match.
func (s *Service) routes(busN string, rules []rule) *busRoutes {
	if br := s.routing[busN]; br != nil && len(br.names) == len(rules) {
		same := true
		for i := range rules {
			if br.names[i] != rules[i].Name || br.patterns[i] != rules[i].EventPattern {
				same = false
				break
			}
		}
		if same {
			return br
		}
	}
	br := &busRoutes{set: eventpattern.NewSet()}
	for i, r := range rules {
		br.names = append(br.names, r.Name)
		br.patterns = append(br.patterns, r.EventPattern)
		prog, err := s.program(r.EventPattern)
		if err != nil {
			continue
		}
		br.set.Add(prog)
		br.rule = append(br.rule, i)
	}
	if s.routing == nil || len(s.routing) >= maxRoutes {
		s.routing = map[string]*busRoutes{}
	}
	s.routing[busN] = br
	return br
}
