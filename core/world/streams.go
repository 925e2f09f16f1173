package world

import (
	"encoding/base64"
	"encoding/json"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/firehose"
	"github.com/telltale-dev/telltale/core/kinesis"
	"github.com/telltale-dev/telltale/core/logs"
)

// addStreams builds Kinesis Data Streams and Firehose and registers them.
func (w *World) addStreams() error {
	w.kinesis = kinesis.New(kinesis.Deps{Store: w.store, Clock: w.clock, Account: w.account, Region: w.region})
	w.firehose = firehose.New(firehose.Deps{Store: w.store, Clock: w.clock, IDs: w.ids, Account: w.account,
		Region: w.region, Objects: firehoseObjects{w}, Notify: w.Notify})
	for _, svc := range []interface{ API() (*api.Service, error) }{w.kinesis, w.firehose} {
		s, err := svc.API()
		if err == nil {
			err = w.registry.Register(s)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Kinesis returns the world's Kinesis Data Streams, for readers that must
// not be recorded in CloudTrail (the console, tests).
func (w *World) Kinesis() *kinesis.Service { return w.kinesis }

// Firehose returns the world's Firehose, for readers that must not be
// recorded in CloudTrail (`telltale firehose records`, the console).
func (w *World) Firehose() *firehose.Service { return w.firehose }

// logDestinations routes the deliveries of CloudWatch Logs subscription
// filters to Lambda, Kinesis Data Streams and Firehose.
type logDestinations struct{ w *World }

// LogDestinationExists implements logs.Destinations.
func (d logDestinations) LogDestinationExists(kind, arn string) bool {
	switch kind {
	case logs.DestinationLambda:
		return d.w.lambda.Exists(arn)
	case logs.DestinationKinesis:
		return d.w.kinesis != nil && d.w.kinesis.Exists(arn)
	case logs.DestinationFirehose:
		return d.w.firehose != nil && d.w.firehose.Exists(arn)
	}
	return false
}

// awslogsEvent is the event a Lambda function receives from a subscription
// filter.
type awslogsEvent struct {
	AWSLogs struct {
		Data string `json:"data"`
	} `json:"awslogs"`
}

// DeliverLogs implements logs.Destinations.
func (d logDestinations) DeliverLogs(kind, arn string, data []byte, partitionKey string) error {
	switch kind {
	case logs.DestinationLambda:
		var ev awslogsEvent
		ev.AWSLogs.Data = base64.StdEncoding.EncodeToString(data)
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		return d.w.lambda.Deliver(arn, b)
	case logs.DestinationKinesis:
		return d.w.kinesis.Deliver(arn, data, partitionKey)
	case logs.DestinationFirehose:
		return d.w.firehose.Deliver(arn, data)
	}
	return nil
}
