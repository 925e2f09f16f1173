package logs

import "sort"

// AppendEvents writes events with their own timestamps to a stream of a
// group, creating both as needed, for the log sources inside the world (the
// CloudWatch agent of EC2 instances, the simulated web server). The events
// are sorted by time and sent in batches within PutLogEvents' limits;
// events outside its time window are dropped as AWS would reject them.
func (s *Service) AppendEvents(gname, sname string, evs []InputLogEvent) error {
	evs = append([]InputLogEvent(nil), evs...)
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Timestamp < evs[j].Timestamp })
	for len(evs) > 0 {
		n, size := 0, 0
		for n < len(evs) && n < maxBatchEvents {
			sz := len(evs[n].Message) + EventOverhead
			if sz > MaxEventBytes {
				break
			}
			if size+sz > MaxBatchBytes || evs[n].Timestamp-evs[0].Timestamp > MaxBatchSpan.Milliseconds() {
				break
			}
			size += sz
			n++
		}
		if n == 0 {
			// An event too large for any batch is dropped.
			evs = evs[1:]
			continue
		}
		if _, err := s.write(s.d.Clock.Now(), gname, sname, evs[:n], true); err != nil {
			return err
		}
		evs = evs[n:]
	}
	return nil
}

// maxBatchEvents is the most events of one PutLogEvents batch.
const maxBatchEvents = 10_000
