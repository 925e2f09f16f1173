package world

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/cloudtrail"
)

// hidden replaces a sensitive value in requestParameters and
// responseElements, as CloudTrail does.
const hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

// maxErrorMessage is the longest errorMessage CloudTrail keeps (1 KB).
const maxErrorMessage = 1024

// record writes the CloudTrail record of a call. input is the decoded request
// (nil when it could not be decoded) and output the decoded response of the
// handler (nil for none or on failure).
func (w *World) record(svc *api.Service, op *api.Operation, c *api.Call, input, output any, err error) {
	source := svc.Model.Metadata.EndpointPrefix + ".amazonaws.com"
	name := cloudtrail.EventName(source, c.Operation)
	class := cloudtrail.Classify(source, name)
	if class.Category == cloudtrail.NotLogged {
		return
	}
	if c.Identity.AccountID != "" && c.Identity.AccountID != c.Account && len(c.Resources) == 0 {
		// A call of another account's principal goes to that account's
		// trail, which the world does not simulate; only the calls that
		// concern a resource of the world's account are also recorded here
		// (recipientAccountId is the world's account, userIdentity the
		// caller's).
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
		EventName:          name,
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
	if op.Input != nil {
		if m, ok := input.(map[string]any); ok && len(m) > 0 {
			if svc.Name == "s3api" {
				r.RequestParameters = rawJSON(s3RequestParameters(c, m)) // s3record.go
			} else {
				r.RequestParameters = rawJSON(camel(svc.Model, svc.Model.Shape(op.Input), m))
			}
		}
	}
	if err != nil {
		e := awserr.As(err)
		r.ErrorCode, r.ErrorMessage = e.Code, truncate(e.Message, maxErrorMessage)
	} else if !class.ReadOnly && output != nil && op.Output != nil && svc.Name != "s3api" {
		// CloudTrail leaves responseElements null for read-only calls; for
		// writes it is the response in the record's lower camel case.
		if v := camel(svc.Model, svc.Model.Shape(op.Output), output); !isEmpty(v) {
			r.ResponseElements = rawJSON(v)
		}
	}
	var res []cloudtrail.Resource
	for _, x := range c.Resources {
		res = append(res, cloudtrail.Resource{Type: x.Type, Name: x.Name, ARN: x.ARN, AccountID: c.Account})
	}
	r.Resources = res
	// A failure to store the record must not turn a successful call into an
	// error; the store is in memory and only fails on a programming error.
	_ = w.trail.Put(r, c.Now, res)
	w.toEventBridge(r)
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isEmpty(v any) bool {
	o, ok := v.(api.Ordered)
	return ok && len(o) == 0
}

// rawJSON encodes v without HTML escaping, as CloudTrail writes records.
func rawJSON(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return json.RawMessage("null")
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// javaDate is how CloudTrail prints a timestamp of a request parameter or a
// response element: "Nov 23, 2026, 3:00:00 PM".
func javaDate(t time.Time) string { return t.UTC().Format("Jan 2, 2006, 3:04:05 PM") }

// camel renders a request or a response as CloudTrail records it, driven by
// the shape: structure members in model order and lower camel case, map keys
// as they are (sorted), timestamps as Java dates, sensitive values hidden.
// Members the model does not know are dropped.
func camel(m *api.Model, s *api.Shape, v any) any {
	if s == nil || v == nil {
		return v
	}
	if s.Sensitive {
		return hidden
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
		vs := m.Shape(s.Value)
		out := api.Ordered{}
		for _, k := range sortedKeys(obj) {
			out = append(out, api.KV{Key: k, Value: camel(m, vs, obj[k])})
		}
		return out
	case "timestamp":
		if t, err := api.ParseTimestamp(v); err == nil {
			return javaDate(t)
		}
	}
	return v
}
