package logs

import (
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/store"
)

// GroupOfARN returns the log group an ARN names
// (arn:aws:logs:REGION:ACCOUNT:log-group:NAME, optionally ending in :*),
// and false if it is not a log group ARN of this account and region.
func (s *Service) GroupOfARN(arn string) (string, bool) {
	prefix := s.groupARN("")
	if !strings.HasPrefix(arn, prefix) {
		return "", false
	}
	name := strings.TrimSuffix(arn[len(prefix):], ":*")
	return name, name != ""
}

// PutTargetEvent writes one event of another service into a group that
// must exist, creating the stream as needed: EventBridge rules with a log
// group target write each event this way. It is not an API call. The
// event goes through the group's metric and subscription filters.
func (s *Service) PutTargetEvent(group, stream string, at time.Time, message string) error {
	if err := s.Flush(); err != nil {
		return err
	}
	err := s.d.Store.View(func(tx *store.Tx) error {
		_, err := s.loadGroup(tx, group)
		return err
	})
	if err != nil {
		return err
	}
	_, err = s.write(s.d.Clock.Now(), group, stream, []InputLogEvent{{Timestamp: ms(at), Message: message}}, true)
	return err
}
