package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// firehoseCmd runs `telltale firehose records NAME [--decode]`: Firehose
// has no API to read records back, so this shows what a delivery stream
// received, with the S3 object each record went into (null while it is
// still buffered) or why its delivery failed. With --decode, each record's data is also shown as
// text, gunzipped first if it is gzip (CloudWatch Logs subscriptions send
// gzip).
func (s *Session) firehoseCmd(args []string) int {
	const use = "firehose records NAME [--decode]"
	if len(args) < 2 || args[0] != "records" || len(args) > 3 || len(args) == 3 && args[2] != "--decode" {
		usageError(s.Env.Stderr, "usage: "+use)
		return ExitUsage
	}
	recs, err := s.World.Firehose().Records(args[1])
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	type rec struct {
		RecordId                    string
		ApproximateArrivalTimestamp string
		Data                        string
		DecodedData                 *string `json:",omitempty"`
		S3Object                    *string
		DeliveryError               string `json:",omitempty"`
	}
	out := struct{ Records []rec }{Records: []rec{}}
	for _, r := range recs {
		x := rec{RecordId: r.RecordId, ApproximateArrivalTimestamp: r.ArrivalTime.Format(time.RFC3339Nano),
			Data: base64.StdEncoding.EncodeToString(r.Data), DeliveryError: r.Error}
		if r.Object != "" {
			o := r.Object
			x.S3Object = &o
		}
		if len(args) == 3 {
			d := decodeData(r.Data)
			x.DecodedData = &d
		}
		out.Records = append(out.Records, x)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	s.Env.Stdout.Write(b.Bytes())
	return ExitOK
}

// decodeData returns data as text: gunzipped if it is gzip, the base64 of
// the bytes if they are not UTF-8.
func decodeData(data []byte) string {
	if r, err := gzip.NewReader(bytes.NewReader(data)); err == nil {
		if b, err := io.ReadAll(io.LimitReader(r, 8<<20)); err == nil {
			data = b
		}
	}
	if !utf8.Valid(data) {
		return base64.StdEncoding.EncodeToString(data)
	}
	return string(data)
}
