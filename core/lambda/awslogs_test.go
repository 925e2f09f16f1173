package lambda

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"testing"
)

func awslogsEvent(t testing.TB, doc string) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write([]byte(doc))
	w.Close()
	return []byte(`{"awslogs":{"data":"` + base64.StdEncoding.EncodeToString(z.Bytes()) + `"}}`)
}

func TestDecodeAWSLogs(t *testing.T) {
	doc := `{"messageType":"DATA_MESSAGE","logEvents":[]}`
	tests := []struct {
		name  string
		event []byte
		want  string
		ok    bool
	}{
		{"subscription event", awslogsEvent(t, doc), doc, true},
		{"other event", []byte(`{"Records":[]}`), "", false},
		{"not base64", []byte(`{"awslogs":{"data":"***"}}`), "", false},
		{"not gzip", []byte(`{"awslogs":{"data":"aGVsbG8="}}`), "", false},
		{"gzip of non-JSON", awslogsEvent(t, "not json"), "", false},
		{"not JSON", []byte(`nope`), "", false},
	}
	for _, tt := range tests {
		got, ok := DecodeAWSLogs(tt.event)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: %q %v, want %q %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzDecodeAWSLogs: any event decodes or is refused, without a panic, and
// what decodes is JSON.
func FuzzDecodeAWSLogs(f *testing.F) {
	f.Add(awslogsEvent(f, `{"messageType":"CONTROL_MESSAGE"}`))
	f.Add([]byte(`{"awslogs":{"data":""}}`))
	f.Add([]byte(`{"awslogs":null}`))
	f.Fuzz(func(t *testing.T, event []byte) {
		if s, ok := DecodeAWSLogs(event); ok && len(s) == 0 {
			t.Fatal("decoded to nothing")
		}
	})
}
