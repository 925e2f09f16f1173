package world

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/cloudtrail"
)

// record writes the CloudTrail record of a call.
func (w *World) record(svc *api.Service, op *api.Operation, c *api.Call, input, resp any, err error) {
	source := svc.Model.Metadata.EndpointPrefix + ".amazonaws.com"
	class := cloudtrail.Classify(source, c.Operation)
	if class.Category == cloudtrail.NotLogged {
		return
	}
	r := &cloudtrail.Record{
		EventVersion: cloudtrail.EventVersion,
		UserIdentity: cloudtrail.UserIdentity{
			Type: c.Identity.Type, PrincipalID: c.Identity.PrincipalID, ARN: c.Identity.ARN,
			AccountID: c.Identity.AccountID, AccessKeyID: c.Identity.AccessKeyID, UserName: c.Identity.UserName,
		},
		EventTime:          c.Now.UTC().Format("2006-01-02T15:04:05Z"),
		EventSource:        source,
		EventName:          c.Operation,
		AWSRegion:          c.Region,
		SourceIPAddress:    c.SourceIP,
		UserAgent:          c.UserAgent,
		RequestParameters:  json.RawMessage("null"),
		ResponseElements:   json.RawMessage("null"),
		RequestID:          c.RequestID,
		EventID:            w.ids.UUID(),
		ReadOnly:           class.ReadOnly,
		EventType:          "AwsApiCall",
		ManagementEvent:    class.Category == cloudtrail.Management,
		RecipientAccountID: c.Account,
		EventCategory:      "Management",
		TLSDetails: &cloudtrail.TLSDetails{
			TLSVersion: "TLSv1.3", CipherSuite: "TLS_AES_128_GCM_SHA256",
			ClientProvidedHostHeader: svc.Model.Metadata.EndpointPrefix + "." + c.Region + ".amazonaws.com",
		},
	}
	if class.Category == cloudtrail.Data {
		r.EventCategory = "Data"
	}
	if m, ok := input.(map[string]any); ok && len(m) > 0 && op.Input != nil {
		r.RequestParameters = mustJSON(camel(svc.Model, svc.Model.Shape(op.Input), m))
	}
	if err != nil {
		e := awserr.As(err)
		r.ErrorCode, r.ErrorMessage = e.Code, truncate(e.Message, 1024)
	} else if !class.ReadOnly && resp != nil && op.Output != nil {
		r.ResponseElements = mustJSON(camelShaped(resp))
	}
	var res []cloudtrail.Resource
	for _, x := range c.Resources {
		res = append(res, cloudtrail.Resource{Type: x.Type, Name: x.Name, ARN: x.ARN})
	}
	// A failure to store the record must not turn a successful call into an
	// error; the store is in memory and only fails on a programming error.
	_ = w.trail.Put(r, c.Now, res)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// javaDate is how CloudTrail prints a timestamp of a request parameter.
func javaDate(t time.Time) string { return t.UTC().Format("Jan 2, 2006, 3:04:05 PM") }

// camel renders request parameters as CloudTrail does: structure members in
// lower camel case, map keys as they are, timestamps as Java dates.
func camel(m *api.Model, s *api.Shape, v any) any {
	if s == nil {
		return v
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := api.Ordered{}
		for _, mem := range s.Members {
			if x, ok := obj[mem.Name]; ok && x != nil {
				out = append(out, api.KV{Key: lowerFirst(mem.Name), Value: camel(m, m.Shapes[mem.Ref.Shape], x)})
			}
		}
		return out
	case "list":
		arr, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(arr))
		for i, x := range arr {
			out[i] = camel(m, m.Shape(s.Member), x)
		}
		return out
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := map[string]any{}
		for k, x := range obj {
			out[k] = camel(m, m.Shape(s.Value), x)
		}
		return out
	case "timestamp":
		if t, err := api.ParseTimestamp(v); err == nil {
			return javaDate(t)
		}
	}
	return v
}

// camelShaped renders a shaped response for responseElements.
func camelShaped(v any) any {
	switch x := v.(type) {
	case api.Ordered:
		out := api.Ordered{}
		for _, kv := range x {
			out = append(out, api.KV{Key: lowerFirst(kv.Key), Value: camelShaped(kv.Value)})
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = camelShaped(e)
		}
		return out
	case time.Time:
		return javaDate(x)
	}
	return v
}
