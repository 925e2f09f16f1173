package world

import (
	"time"

	"github.com/telltale-dev/telltale/core/ec2"
	"github.com/telltale-dev/telltale/core/logs"
	"github.com/telltale-dev/telltale/core/logsim"
)

// logBuckets is the S3 of CloudWatch Logs export tasks: the world's S3.
type logBuckets struct{ w *World }

// BucketExists implements logs.Buckets.
func (b logBuckets) BucketExists(name string) bool {
	return b.w.s3 != nil && b.w.s3.BucketExists(name)
}

// PutObjectInternal implements logs.Buckets.
func (b logBuckets) PutObjectInternal(bucket, key string, body []byte, contentType string) error {
	return b.w.s3.PutObjectInternal(bucket, key, body, contentType)
}

// agentLogs ships the files the CloudWatch agent of EC2 instances collects
// into CloudWatch Logs: the lines logsim generates for each file of the
// agent's configuration (user data) or of the telltale:agent-log-group tag.
type agentLogs struct{ w *World }

// ShipAgentLogs implements ec2.AgentLogs.
func (a agentLogs) ShipAgentLogs(in ec2.AgentInstance, from, to time.Time) {
	inst := logsim.Instance{ID: in.ID, PrivateIP: in.PrivateIP, InstanceType: in.InstanceType}
	for _, e := range logsim.ParseAgentConfig(in.UserData, in.Tags) {
		evs := logsim.AgentLines(a.w.ids.Seed(), inst, e.FilePath, from, to)
		// A line that cannot be stored is dropped, as the agent would.
		_ = simSink(a).WriteLogEvents(e.LogGroupName, inst.StreamName(e.LogStreamName), evs)
	}
}

// simSink writes generated lines into CloudWatch Logs, creating the group
// and the stream as the agents do.
type simSink struct{ w *World }

// WriteLogEvents implements logsim.Sink.
func (s simSink) WriteLogEvents(group, stream string, events []logsim.Event) error {
	if len(events) == 0 || s.w.logs == nil {
		return nil
	}
	evs := make([]logs.InputLogEvent, len(events))
	for i, e := range events {
		evs[i] = logs.InputLogEvent{Timestamp: e.Timestamp.UnixMilli(), Message: e.Message}
	}
	return s.w.logs.AppendEvents(group, stream, evs)
}

// addSim builds the simulated log sources (the web servers of `telltale sim
// webserver`), scheduling those found in a restored world.
func (w *World) addSim() {
	w.sim = logsim.New(logsim.Deps{Store: w.store, Clock: w.clock, Sink: simSink{w}, Seed: w.ids.Seed(), Notify: w.Notify})
}

// Sim returns the world's simulated log sources, for `telltale sim` and the
// console.
func (w *World) Sim() *logsim.Service { return w.sim }
