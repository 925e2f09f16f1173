package app

import (
	"sort"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// queuesBody is the SQS page: queues, their messages, send, receive and
// purge.
func queuesBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Queues
	var rows []app.UI
	for _, q := range v.Queues {
		q := q
		open := q.Name == v.Queue
		typ := "Standard"
		if q.Fifo {
			typ = "FIFO"
		}
		rows = append(rows, app.Tr().Class("tt-queue-row").DataSet("queue", q.Name).Body(
			app.Td().Body(toggleName(q.Name, open, func(ctx app.Context, e app.Event) { s.OpenQueue(q.Name) })),
			app.Td().Text(typ),
			app.Td().Class("tt-num").Text(q.Visible),
			app.Td().Class("tt-num").Text(q.InFlight),
			app.Td().Class("tt-num").Text(q.Delayed),
			app.Td().Class("tt-actions-cell").Body(
				small("Purge", "", func(ctx app.Context, e app.Event) { v.ConfirmPurge = q.Name }),
				small("Delete", "", func(ctx app.Context, e app.Event) { s.DeleteQueue(q.Name) }),
			),
		))
		if v.ConfirmPurge == q.Name {
			rows = append(rows, app.Tr().Class("tt-detail-row").Body(app.Td().ColSpan(6).Body(
				app.Div().Class("tt-row tt-confirm-inline").Body(
					app.Span().Text("Purge "+q.Name+"? Every message in it is deleted."),
					button("Purge", "tt-purge-yes", func(ctx app.Context, e app.Event) { s.PurgeQueue(q.Name) }).Class("tt-btn tt-btn-danger"),
					button("Cancel", "tt-purge-no", func(ctx app.Context, e app.Event) { v.ConfirmPurge = "" }),
				),
			)))
		}
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(6, "No queues yet."))
	}
	return app.Div().Class("tt-sqs").Body(
		noticeLine("tt-sqs-notice", &v.Notice),
		app.Div().Class("tt-filter").Body(
			textField("New queue name", "tt-queue-name", v.NewQueue, "orders", func(x string) { v.NewQueue = x }),
			checkField("FIFO (the name ends in .fifo)", "tt-queue-fifo", v.Fifo, func(b bool) { v.Fifo = b }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create queue", "tt-queue-create", func(ctx app.Context, e app.Event) { s.CreateQueue() }).Class("tt-btn tt-btn-primary"),
				button("Refresh", "tt-queue-refresh", func(ctx app.Context, e app.Event) { s.QueuesLoad() }),
			),
		),
		table("tt-queues-table", []string{"Name", "Type", "Available", "In flight", "Delayed", ""}, rows),
		openQueue(s, v),
	)
}

// openQueue is the panel of the open queue, under the table.
func openQueue(s *Session, v *QueuesView) app.UI {
	for _, q := range v.Queues {
		if q.Name == v.Queue {
			return card("tt-queue-panel", "Queue "+q.Name, queueDetail(s, v, q))
		}
	}
	return nil
}

func queueDetail(s *Session, v *QueuesView, q QueueRow) app.UI {
	var mrows []app.UI
	for _, m := range v.Messages {
		var attrs []string
		for k, a := range m.Attributes {
			attrs = append(attrs, k+"="+a)
		}
		sort.Strings(attrs)
		mrows = append(mrows, app.Tr().Class("tt-message-row").Body(
			app.Td().Class("tt-mono").Text(m.MessageId),
			app.Td().Class("tt-nowrap").Text(FormatTime(m.Sent)),
			app.Td().Text(m.State),
			app.Td().Class("tt-num").Text(itoa(m.ReceiveCount)),
			app.Td().Body(
				app.Pre().Class("tt-code tt-msg-body").Text(indentJSON(m.Body)),
				when(len(attrs) > 0, func() app.UI { return app.P().Class("tt-muted tt-mono").Text(strings.Join(attrs, " ")) }),
			),
		))
	}
	if len(mrows) == 0 {
		mrows = append(mrows, emptyRow(5, "The queue is empty."))
	}
	var recv []app.UI
	for _, m := range v.Received {
		m := m
		recv = append(recv, app.Li().Body(
			app.Div().Class("tt-row").Body(
				app.Span().Class("tt-mono").Text(m.MessageId),
				small("Delete", "", func(ctx app.Context, e app.Event) { s.DeleteReceived(m.MessageId) }),
			),
			app.Pre().Class("tt-code tt-msg-body").Text(indentJSON(m.Body)),
		))
	}
	return app.Div().Class("tt-queue-detail").ID("tt-queue-detail").Body(
		app.P().Class("tt-mono tt-muted tt-wrap").Text(q.URL),
		app.H3().Text("Messages"),
		app.P().Class("tt-muted tt-hint").Text("This list looks into the queue without receiving: the messages keep their visibility "+
			"and receive counts. AWS has no such call; the console's \"Poll for messages\" is ReceiveMessage, below, which "+
			"hides what it receives for the visibility timeout ("+q.VisibilityTimeout+" s)."),
		table("tt-messages-table", []string{"Message ID", "Sent", "State", "Receives", "Body"}, mrows),
		app.Div().Class("tt-split").Body(
			app.Div().Class("tt-subform").Body(
				app.H3().Text("Send a message"),
				app.Div().Class("tt-editor").Body(textArea("Body", "tt-sqs-body", &v.Body, 4, nil)),
				button("Send message", "tt-sqs-send", func(ctx app.Context, e app.Event) { s.SendMessage() }).Class("tt-btn tt-btn-primary"),
			),
			app.Div().Class("tt-subform").Body(
				app.H3().Text("Receive as a consumer"),
				button("Receive messages", "tt-sqs-receive", func(ctx app.Context, e app.Event) { s.ReceiveMessages() }),
				when(len(recv) > 0, func() app.UI { return app.Ul().Class("tt-list").ID("tt-received").Body(recv...) }),
			),
		),
	)
}
