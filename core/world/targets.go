package world

import (
	"github.com/telltale-dev/telltale/core/lambda"
	"github.com/telltale-dev/telltale/core/sns"
	"github.com/telltale-dev/telltale/core/sqs"
)

// endpoints routes SNS deliveries to the queues and functions of the world.
type endpoints struct{ w *World }

// DeliverSQS puts an SNS message on a queue.
func (e endpoints) DeliverSQS(queueARN, body string) error {
	return e.w.sqs.Deliver(queueARN, body, nil)
}

// DeliverLambda invokes a function asynchronously with an SNS event.
func (e endpoints) DeliverLambda(functionARN string, payload []byte) error {
	return e.w.lambda.Deliver(functionARN, payload)
}

var _ sns.Endpoints = endpoints{}

// SQS returns the world's SQS, for the console and for routing.
func (w *World) SQS() *sqs.Service { return w.sqs }

// SNS returns the world's SNS, for the console (the email inbox) and for
// routing.
func (w *World) SNS() *sns.Service { return w.sns }

// Lambda returns the world's Lambda, for the console (invocations) and for
// routing.
func (w *World) Lambda() *lambda.Service { return w.lambda }
