// Package insights is CloudWatch Logs Insights' query language (Logs
// Insights QL, spec cloudwatch-and-logs.md §5): a recursive-descent parser
// with positioned errors (MalformedQueryException's location) for the
// commands fields, display, filter/where, stats (at most two), sort, limit,
// parse (glob and regex), dedup, unmask, pattern, diff, filterIndex, unnest
// and SOURCE; the functions of §5.4; the fields AWS discovers (system
// fields, flattened JSON keys, Lambda REPORT lines, VPC flow logs, Route 53
// query logs); and an evaluator that reads events once from an iterator
// and reports AWS's statistics.
//
// It is a foundation package: pure, no service imports. Regular
// expressions are Go's RE2 (AWS documents Hyperscan for filters and RE2
// for regexReplace).
package insights
