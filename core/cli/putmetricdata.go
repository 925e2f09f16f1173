package cli

import (
	"fmt"
	"strings"
)

// This file ports awscli/customizations/putmetricdata.py: `aws cloudwatch
// put-metric-data` takes the fields of one datum as options of their own
// (--metric-name, --timestamp, --unit, --value, --dimensions,
// --statistic-values, --storage-resolution), which fill the first element of
// MetricData; --metric-data is then optional, and cannot be combined with
// them (validate_mutually_exclusive_handler).

// putMetricKey is the argument table key of put-metric-data.
const putMetricKey = "monitoring.put-metric-data"

// putMetricArgs are the promoted options, in the order the customization
// adds them.
var putMetricArgs = []string{"metric-name", "timestamp", "unit", "value", "dimensions", "statistic-values", "storage-resolution"}

// putMetricExclusive is the second group of the mutually exclusive check
// (the first is metric_data alone).
var putMetricExclusive = map[string]bool{"metric-name": true, "timestamp": true, "unit": true, "value": true, "dimensions": true, "statistic-values": true}

// checkPutMetricExclusive is validate_mutually_exclusive over the parsed
// arguments, in argument table order.
func checkPutMetricExclusive(t *opArgs, p *parsedArgs) error {
	group := ""
	for _, a := range t.args {
		if _, ok := p.vals[a]; !ok {
			continue
		}
		var g string
		switch {
		case a.kind == argMember && a.member == "MetricData":
			g = "metric_data"
		case a.kind == argPutMetric && putMetricExclusive[a.name]:
			g = "metric_name, timestamp, unit, value, dimensions, statistic_values"
		default:
			continue
		}
		if group == "" {
			group = g
		} else if g != group {
			return &generalErr{fmt.Sprintf("The key \"%s\" cannot be specified when one of the following keys are also specified: %s", strings.ReplaceAll(a.name, "-", "_"), group)}
		}
	}
	return nil
}

// addPutMetricArg is PutMetricArgument.add_to_params: the value goes into the
// first element of MetricData (created as a structure when missing).
func addPutMetricArg(params *pyDict, a *cliArg, raw string) error {
	var first *pyDict
	if v, ok := params.get("MetricData"); ok {
		if l, ok := v.([]any); ok && len(l) > 0 {
			first, _ = l[0].(*pyDict)
		}
	}
	if first == nil {
		first = newDict()
		params.set("MetricData", []any{first})
	}
	switch a.name {
	case "metric-name":
		first.set("MetricName", raw)
	case "unit":
		first.set("Unit", raw)
	case "timestamp":
		first.set("Timestamp", raw)
	case "value":
		f, err := pyDecimal(raw)
		if err != nil {
			return err
		}
		first.set("Value", f)
	case "dimensions":
		var dims []any
		for _, pair := range splitOnCommas(raw) {
			k, v, err := unpackPair(pair)
			if err != nil {
				return err
			}
			d := newDict()
			d.set("Name", k)
			d.set("Value", v)
			dims = append(dims, d)
		}
		first.set("Dimensions", dims)
	case "statistic-values":
		stats := newDict()
		for _, pair := range splitOnCommas(raw) {
			k, v, err := unpackPair(pair)
			if err != nil {
				return err
			}
			f, err := pyDecimal(v)
			if err != nil {
				return err
			}
			stats.set(k, f)
		}
		first.set("StatisticValues", stats)
	case "storage-resolution":
		n, err := pyInt(raw)
		if err != nil {
			return &generalErr{err.Error()}
		}
		first.set("StorageResolution", n)
	}
	return nil
}

// unpackPair is Python's `key, value = pair.split('=')`.
func unpackPair(pair string) (string, string, error) {
	parts := strings.Split(pair, "=")
	switch {
	case len(parts) < 2:
		return "", "", &generalErr{"not enough values to unpack (expected 2, got 1)"}
	case len(parts) > 2:
		return "", "", &generalErr{"too many values to unpack (expected 2)"}
	}
	return parts[0], parts[1], nil
}

// pyDecimal is decimal.Decimal(s) as a float: surrounding whitespace and
// digit underscores allowed, Infinity and NaN spelled out; anything else is
// decimal's ConversionSyntax error.
func pyDecimal(s string) (float64, error) {
	t := pyStrip(s)
	low := strings.ToLower(strings.TrimLeft(t, "+-"))
	switch low {
	case "inf", "infinity", "nan", "snan":
	default:
		ok := t != ""
		digits := false
		for i, r := range t {
			switch {
			case r >= '0' && r <= '9':
				digits = true
			case r == '+' || r == '-':
				if i != 0 && t[i-1] != 'e' && t[i-1] != 'E' {
					ok = false
				}
			case r == '.' || r == 'e' || r == 'E' || r == '_':
			default:
				ok = false
			}
		}
		if !ok || !digits {
			return 0, &generalErr{"[<class 'decimal.ConversionSyntax'>]"}
		}
	}
	f, err := pyFloatParse(t)
	if err != nil {
		return 0, &generalErr{"[<class 'decimal.ConversionSyntax'>]"}
	}
	return f, nil
}

// splitOnCommas is awscli.utils.split_on_commas for the common cases: a plain
// split when the value has no quotes, brackets or backslashes; otherwise
// commas inside single or double quotes do not split and the quotes are
// dropped, and a backslash escapes the next character.
func splitOnCommas(v string) []string {
	if !strings.ContainsAny(v, "\"\\'[]") {
		return strings.Split(v, ",")
	}
	var out []string
	var cur strings.Builder
	var quote rune
	esc := false
	for _, r := range v {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == ',':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(out, cur.String())
}
