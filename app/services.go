package app

// Page is one page of the console, as the navigation lists it.
type Page struct {
	Path  string // route under the site's base, "/cloudtrail"
	Group string // the service, as the navigation groups pages
	Name  string // the page's name
	API   string // the AWS CLI name of the service behind it
	Built bool   // whether the page exists; the others say so in one line
}

// Title returns the page's title, "CloudTrail · Event history".
func (p Page) Title() string {
	if p.Group == "" {
		return p.Name
	}
	return p.Group + " · " + p.Name
}

// Pages are the console's pages, in navigation order: every service the
// project covers.
var Pages = []Page{
	{Path: "/", Name: "Home", Built: true},
	{Path: "/cloudwatch/metrics", Group: "CloudWatch", Name: "Metrics", API: "cloudwatch", Built: true},
	{Path: "/cloudwatch/alarms", Group: "CloudWatch", Name: "Alarms", API: "cloudwatch", Built: true},
	{Path: "/cloudwatch/dashboards", Group: "CloudWatch", Name: "Dashboards", API: "cloudwatch", Built: true},
	{Path: "/logs/groups", Group: "CloudWatch Logs", Name: "Log groups", API: "logs", Built: true},
	{Path: "/logs/insights", Group: "CloudWatch Logs", Name: "Logs Insights", API: "logs", Built: true},
	{Path: "/eventbridge", Group: "EventBridge", Name: "Rules", API: "events", Built: true},
	{Path: "/xray", Group: "X-Ray", Name: "Traces", API: "xray"},
	{Path: "/cloudtrail", Group: "CloudTrail", Name: "Event history", API: "cloudtrail", Built: true},
	{Path: "/config", Group: "Config", Name: "Resources", API: "configservice"},
	{Path: "/sns", Group: "SNS", Name: "Topics", API: "sns", Built: true},
	{Path: "/sqs", Group: "SQS", Name: "Queues", API: "sqs", Built: true},
	{Path: "/lambda", Group: "Lambda", Name: "Functions", API: "lambda", Built: true},
}

// PagePaths returns the routes of every page.
func PagePaths() []string {
	out := make([]string, len(Pages))
	for i, p := range Pages {
		out[i] = p.Path
	}
	return out
}
