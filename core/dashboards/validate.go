package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Validation of a DashboardBody, after the "Dashboard Body Structure and
// Syntax" page of the CloudWatch API reference. AWS validates the body with
// a JSON schema and answers InvalidParameterInput with
//
//	The dashboard body is invalid, there are N validation errors:
//	[
//	  {
//	    "dataPath": "/widgets/0/properties/metrics/0/2",
//	    "message": "Invalid metric field type, only \"String\" type is allowed"
//	  }
//	]
//
// The format, the dataPath notation and these messages are AWS's, seen in
// real answers: `Should NOT have more than N items` (a metric row whose last
// element is an object that is not a valid rendering object: the schema's
// other alternative allows one element fewer), `Invalid metric field type,
// only "String" type is allowed` (a metric field that is not a non-empty
// string), `Field "metrics" has to be an array of array of strings, with an
// optional metricRenderer object as last element` (a row that is not an
// array), `Should have required property 'region'` and `The metric widget
// should have specified a region.`. The other messages follow the same JSON
// schema validator (ajv, capitalised as AWS does): `Should have required
// property '...'`, `Should be <type>`, `Should be equal to one of the
// allowed values`, `Should be >= n`, `Should be <= n`, `Should NOT have
// fewer than n items`. Unverified wording: those not in the first list, and
// the message for a body that is not JSON at all.

// MaxWidgets is the most widgets a dashboard may hold.
const MaxWidgets = 500

// MaxMetricsPerWidget is the most metrics and expressions a metric widget
// may graph.
const MaxMetricsPerWidget = 500

// Problem is one validation error of a dashboard body.
type Problem struct {
	DataPath string `json:"dataPath"`
	Message  string `json:"message"`
}

// widgetTypes are the widget types of the dashboard body.
var widgetTypes = []string{"alarm", "custom", "explorer", "log", "metric", "text"}

// renderingKeys are the keys of a metric row's rendering object.
var renderingKeys = map[string]string{
	"accountId": "string", "color": "string", "expression": "string", "id": "string", "label": "string",
	"period": "integer", "region": "string", "stat": "string", "visible": "boolean", "yAxis": "string",
}

// Check validates a dashboard body and returns its problems, in document
// order (none when the body is valid), or an error when the body is not a
// JSON document.
func Check(body string) ([]Problem, error) {
	v, err := decode(body)
	if err != nil {
		return nil, err
	}
	c := &checker{}
	c.body(v)
	return c.problems, nil
}

// Validate validates a dashboard body and returns AWS's
// InvalidParameterInput error, or nil.
func Validate(body string) error {
	problems, err := Check(body)
	if err != nil {
		// Unverified wording.
		return errInput("The field DashboardBody must be a valid JSON object")
	}
	if len(problems) == 0 {
		return nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(problems)
	return errInput(fmt.Sprintf("The dashboard body is invalid, there are %d validation errors:\n%s",
		len(problems), strings.TrimRight(b.String(), "\n")))
}

// decode parses a JSON document keeping numbers as json.Number.
func decode(body string) (any, error) {
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err == nil {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

type checker struct {
	problems []Problem
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{path, fmt.Sprintf(format, args...)})
}

// typed checks the JSON type of v at path and reports "Should be <type>".
func (c *checker) typed(path string, v any, want string) bool {
	ok := false
	switch want {
	case "object":
		_, ok = v.(map[string]any)
	case "array":
		_, ok = v.([]any)
	case "string":
		_, ok = v.(string)
	case "boolean":
		_, ok = v.(bool)
	case "number":
		_, ok = number(v)
	case "integer":
		f, isNum := number(v)
		ok = isNum && f == math.Trunc(f)
	}
	if !ok {
		c.add(path, "Should be %s", want)
	}
	return ok
}

func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// required reports each missing property of obj.
func (c *checker) required(path string, obj map[string]any, names ...string) {
	for _, n := range names {
		if _, ok := obj[n]; !ok {
			c.add(path, "Should have required property '%s'", n)
		}
	}
}

// enum checks that a string is one of the allowed values.
func (c *checker) enum(path string, v any, allowed ...string) {
	s, ok := v.(string)
	if !ok {
		c.add(path, "Should be string")
		return
	}
	for _, a := range allowed {
		if s == a {
			return
		}
	}
	c.add(path, "Should be equal to one of the allowed values")
}

// integer checks an integer with optional bounds.
func (c *checker) integer(path string, v any, min, max float64) {
	if !c.typed(path, v, "integer") {
		return
	}
	f, _ := number(v)
	if f < min {
		c.add(path, "Should be >= %s", num(min))
	}
	if f > max {
		c.add(path, "Should be <= %s", num(max))
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// items checks the length of an array.
func (c *checker) items(path string, a []any, min, max int) {
	if len(a) < min {
		c.add(path, "Should NOT have fewer than %d items", min)
	}
	if max >= 0 && len(a) > max {
		c.add(path, "Should NOT have more than %d items", max)
	}
}

// array returns v as an array, or reports at path that it should be one.
func (c *checker) array(path string, v any) ([]any, bool) {
	a, ok := v.([]any)
	if !ok {
		c.add(path, "Should be array")
	}
	return a, ok
}

// optional runs fn on obj[key] when present.
func optional(obj map[string]any, key string, fn func(v any)) {
	if v, ok := obj[key]; ok {
		fn(v)
	}
}

// keys returns the keys of obj in order, for a deterministic walk.
func keys(obj map[string]any) []string {
	out := make([]string, 0, len(obj))
	for k := range obj {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (c *checker) body(v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add("", "Should be object")
		return
	}
	c.required("", obj, "widgets")
	optional(obj, "start", func(v any) { c.typed("/start", v, "string") })
	optional(obj, "end", func(v any) { c.typed("/end", v, "string") })
	optional(obj, "periodOverride", func(v any) { c.enum("/periodOverride", v, "auto", "inherit") })
	optional(obj, "variables", func(v any) {
		if a, ok := v.([]any); ok {
			for i, x := range a {
				c.variable(fmt.Sprintf("/variables/%d", i), x)
			}
			return
		}
		c.add("/variables", "Should be array")
	})
	optional(obj, "widgets", func(v any) {
		a, ok := c.array("/widgets", v)
		if !ok {
			return
		}
		c.items("/widgets", a, 0, MaxWidgets)
		for i, w := range a {
			c.widget(fmt.Sprintf("/widgets/%d", i), w)
		}
	})
}

func (c *checker) variable(path string, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add(path, "Should be object")
		return
	}
	c.required(path, obj, "type", "property", "inputType", "id")
	optional(obj, "type", func(v any) { c.enum(path+"/type", v, "property", "pattern") })
	optional(obj, "inputType", func(v any) { c.enum(path+"/inputType", v, "input", "select", "radio") })
	for _, k := range []string{"property", "id", "label", "defaultValue"} {
		optional(obj, k, func(v any) { c.typed(path+"/"+k, v, "string") })
	}
}

func (c *checker) widget(path string, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add(path, "Should be object")
		return
	}
	c.required(path, obj, "type", "properties")
	optional(obj, "x", func(v any) { c.integer(path+"/x", v, 0, 23) })
	optional(obj, "y", func(v any) { c.integer(path+"/y", v, 0, math.Inf(1)) })
	optional(obj, "width", func(v any) { c.integer(path+"/width", v, 1, 24) })
	optional(obj, "height", func(v any) { c.integer(path+"/height", v, 1, 1000) })
	typ, _ := obj["type"].(string)
	optional(obj, "type", func(v any) { c.enum(path+"/type", v, widgetTypes...) })
	props, has := obj["properties"]
	if !has {
		return
	}
	p, ok := props.(map[string]any)
	if !ok {
		c.add(path+"/properties", "Should be object")
		return
	}
	pp := path + "/properties"
	switch typ {
	case "metric":
		c.metricWidget(path, pp, p)
	case "text":
		c.required(pp, p, "markdown")
		optional(p, "markdown", func(v any) { c.typed(pp+"/markdown", v, "string") })
		optional(p, "background", func(v any) { c.enum(pp+"/background", v, "transparent", "solid") })
	case "alarm":
		c.required(pp, p, "alarms")
		optional(p, "alarms", func(v any) {
			a, ok := c.array(pp+"/alarms", v)
			if !ok {
				return
			}
			c.items(pp+"/alarms", a, 1, 100)
			for i, x := range a {
				c.typed(fmt.Sprintf("%s/alarms/%d", pp, i), x, "string")
			}
		})
		optional(p, "sortBy", func(v any) { c.enum(pp+"/sortBy", v, "default", "stateUpdatedTimestamp", "timestamp") })
		optional(p, "states", func(v any) {
			a, ok := c.array(pp+"/states", v)
			if !ok {
				return
			}
			for i, x := range a {
				c.enum(fmt.Sprintf("%s/states/%d", pp, i), x, "ALARM", "INSUFFICIENT_DATA", "OK")
			}
		})
		optional(p, "title", func(v any) { c.typed(pp+"/title", v, "string") })
	case "log":
		c.required(pp, p, "query", "region")
		optional(p, "query", func(v any) { c.typed(pp+"/query", v, "string") })
		optional(p, "region", func(v any) { c.typed(pp+"/region", v, "string") })
		optional(p, "view", func(v any) { c.enum(pp+"/view", v, "table", "timeSeries", "bar", "pie") })
		optional(p, "title", func(v any) { c.typed(pp+"/title", v, "string") })
	case "explorer":
		c.required(pp, p, "metrics")
		optional(p, "metrics", func(v any) {
			a, ok := c.array(pp+"/metrics", v)
			if !ok {
				return
			}
			c.items(pp+"/metrics", a, 1, -1)
			for i, x := range a {
				mp := fmt.Sprintf("%s/metrics/%d", pp, i)
				m, ok := x.(map[string]any)
				if !ok {
					c.add(mp, "Should be object")
					continue
				}
				c.required(mp, m, "metricName", "resourceType", "stat")
				for _, k := range []string{"metricName", "resourceType", "stat"} {
					optional(m, k, func(v any) { c.typed(mp+"/"+k, v, "string") })
				}
			}
		})
		optional(p, "labels", func(v any) { c.typed(pp+"/labels", v, "array") })
		optional(p, "period", func(v any) { c.integer(pp+"/period", v, 1, math.Inf(1)) })
	case "custom":
		c.required(pp, p, "endpoint")
		optional(p, "endpoint", func(v any) { c.typed(pp+"/endpoint", v, "string") })
		optional(p, "updateOn", func(v any) { c.typed(pp+"/updateOn", v, "object") })
	}
}

func (c *checker) metricWidget(path, pp string, p map[string]any) {
	if _, ok := p["region"]; !ok {
		c.add(pp, "Should have required property 'region'")
		c.add(path, "The metric widget should have specified a region.")
	} else {
		c.typed(pp+"/region", p["region"], "string")
	}
	optional(p, "metrics", func(v any) {
		rows, ok := c.array(pp+"/metrics", v)
		if !ok {
			return
		}
		c.items(pp+"/metrics", rows, 0, MaxMetricsPerWidget)
		for i, r := range rows {
			c.metricRow(fmt.Sprintf("%s/metrics/%d", pp, i), r)
		}
	})
	optional(p, "view", func(v any) { c.enum(pp+"/view", v, "timeSeries", "singleValue", "gauge", "bar", "pie", "table") })
	optional(p, "stat", func(v any) { c.typed(pp+"/stat", v, "string") })
	optional(p, "period", func(v any) { c.integer(pp+"/period", v, 1, math.Inf(1)) })
	optional(p, "title", func(v any) { c.typed(pp+"/title", v, "string") })
	for _, k := range []string{"stacked", "liveData", "setPeriodToTimeRange", "sparkline", "trend"} {
		optional(p, k, func(v any) { c.typed(pp+"/"+k, v, "boolean") })
	}
	for _, k := range []string{"annotations", "legend", "yAxis"} {
		optional(p, k, func(v any) { c.typed(pp+"/"+k, v, "object") })
	}
}

// metricRow checks one row of a metric widget's metrics: strings
// (namespace, metric name, dimension names and values, "." and "..."
// shorthands), optionally ended by a rendering object; or a single
// rendering object (an expression).
func (c *checker) metricRow(path string, v any) {
	row, ok := v.([]any)
	if !ok {
		c.add(path, `Field "metrics" has to be an array of array of strings, with an optional metricRenderer object as last element`)
		return
	}
	if len(row) == 0 {
		c.add(path, "Should NOT have fewer than 1 items")
		return
	}
	fields := row
	if obj, ok := row[len(row)-1].(map[string]any); ok {
		fields = row[:len(row)-1]
		if !validRendering(obj) {
			c.add(path, "Should NOT have more than %d items", len(row)-1)
		}
	}
	for j, x := range fields {
		if s, ok := x.(string); !ok || s == "" {
			c.add(fmt.Sprintf("%s/%d", path, j), `Invalid metric field type, only "String" type is allowed`)
		}
	}
}

// validRendering reports whether obj is a metric rendering object: known
// keys with values of their type.
func validRendering(obj map[string]any) bool {
	for _, k := range keys(obj) {
		want, ok := renderingKeys[k]
		if !ok {
			return false
		}
		v := obj[k]
		switch want {
		case "string":
			if _, ok := v.(string); !ok {
				return false
			}
		case "boolean":
			if _, ok := v.(bool); !ok {
				return false
			}
		case "integer":
			f, ok := number(v)
			if !ok || f != math.Trunc(f) {
				return false
			}
		}
	}
	return true
}
