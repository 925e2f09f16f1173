package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// topicsBody is the SNS page: topics, subscriptions, publishing, and the
// email inbox.
func topicsBody(p *pageCompo) app.UI {
	s := p.s
	v := &s.Topics
	var rows []app.UI
	for _, arn := range v.Topics {
		arn := arn
		open := arn == v.Topic
		rows = append(rows, app.Tr().Class("tt-topic-row").DataSet("topic", topicName(arn)).Body(
			app.Td().Body(toggleName(topicName(arn), open, func(ctx app.Context, e app.Event) { s.OpenTopic(arn) })),
			app.Td().Class("tt-mono tt-wrap").Text(arn),
			app.Td().Body(small("Delete", "", func(ctx app.Context, e app.Event) { s.DeleteTopic(arn) })),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(3, "No topics yet."))
	}
	return app.Div().Class("tt-sns").Body(
		noticeLine("tt-sns-notice", &v.Notice),
		app.Div().Class("tt-filter").Body(
			textField("New topic name", "tt-topic-name", v.NewTopic, "alerts", func(x string) { v.NewTopic = x }),
			app.Div().Class("tt-row tt-filter-actions").Body(
				button("Create topic", "tt-topic-create", func(ctx app.Context, e app.Event) { s.CreateTopic() }).Class("tt-btn tt-btn-primary"),
				button("Refresh", "tt-topic-refresh", func(ctx app.Context, e app.Event) { s.TopicsLoad() }),
			),
		),
		table("tt-topics-table", []string{"Name", "ARN", ""}, rows),
		when(v.Topic != "", func() app.UI { return card("tt-topic-panel", "Topic "+topicName(v.Topic), topicDetail(s, v)) }),
		inbox(s, v),
	)
}

func topicDetail(s *Session, v *TopicsView) app.UI {
	var rows []app.UI
	for _, sub := range v.Subs {
		sub := sub
		rows = append(rows, app.Tr().Body(
			app.Td().Text(sub.Protocol),
			app.Td().Class("tt-mono tt-wrap").Text(sub.Endpoint),
			app.Td().Class("tt-mono tt-wrap").Text(sub.SubscriptionArn),
			app.Td().Body(when(sub.SubscriptionArn != "PendingConfirmation" && sub.SubscriptionArn != "pending confirmation", func() app.UI {
				return small("Unsubscribe", "", func(ctx app.Context, e app.Event) { s.Unsubscribe(sub.SubscriptionArn) })
			})),
		))
	}
	if len(rows) == 0 {
		rows = append(rows, emptyRow(4, "No subscriptions."))
	}
	var protos []Option
	for _, p := range SNSProtocols {
		protos = append(protos, Option{p, p})
	}
	return app.Div().Class("tt-topic-detail").ID("tt-topic-detail").Body(
		app.H3().Text("Subscriptions"),
		table("tt-subs-table", []string{"Protocol", "Endpoint", "Subscription ARN", ""}, rows),
		app.Div().Class("tt-split").Body(
			app.Div().Class("tt-subform").Body(
				app.H3().Text("Subscribe"),
				app.Div().Class("tt-form-row").Body(
					selectField("Protocol", "tt-sub-protocol", protos, v.Protocol, func(x string) { v.Protocol = x }),
					textField("Endpoint (address or ARN)", "tt-sub-endpoint", v.Endpoint, "learner@example.com", func(x string) { v.Endpoint = x }),
				),
				button("Subscribe", "tt-sub-create", func(ctx app.Context, e app.Event) { s.Subscribe() }).Class("tt-btn tt-btn-primary"),
			),
			app.Div().Class("tt-subform").Body(
				app.H3().Text("Publish a message"),
				textField("Subject (optional)", "tt-pub-subject", v.Subject, "", func(x string) { v.Subject = x }),
				app.Div().Class("tt-editor").Body(textArea("Message", "tt-pub-message", &v.Message, 3, nil)),
				button("Publish", "tt-pub-send", func(ctx app.Context, e app.Event) { s.Publish() }).Class("tt-btn tt-btn-primary"),
			),
		),
	)
}

func inbox(s *Session, v *TopicsView) app.UI {
	var items []app.UI
	for _, m := range v.Inbox {
		m := m
		open := v.OpenMail == m.Seq
		items = append(items, app.Li().Class("tt-mail").DataSet("kind", m.Kind).Body(
			app.Div().Class("tt-mail-head").Body(
				toggleName(m.Subject, open, func(ctx app.Context, e app.Event) { v.ToggleMail(m.Seq) }),
				app.Span().Class("tt-muted").Text("to "+m.To+" · "+FormatTime(m.At)),
				when(m.Kind == "SubscriptionConfirmation", func() app.UI {
					return small("Confirm subscription", "", func(ctx app.Context, e app.Event) { s.ConfirmMail(m) })
				}),
			),
			when(open, func() app.UI {
				return app.Div().Body(
					app.P().Class("tt-muted").Text("From: "+m.From),
					app.Pre().Class("tt-code tt-msg-body").Text(m.Body),
				)
			}),
		))
	}
	return card("tt-inbox", "Email inbox",
		app.P().Class("tt-muted tt-hint").Text("What SNS sent to email and email-json subscribers of this account: "+
			"confirmation requests and notifications, newest first. AWS has no API for this: it stands in for your mailbox."),
		when(len(items) == 0, func() app.UI { return app.P().Class("tt-muted").Text("No email yet.") }),
		app.Ul().Class("tt-list tt-mails").Body(items...),
	)
}
