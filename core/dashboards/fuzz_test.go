package dashboards

import (
	"errors"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/core/awserr"
)

// FuzzValidate checks that any dashboard body gets an answer, never a panic:
// Validate agrees with Check, and every problem has a JSON pointer path.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{textBody, docBody, `{"widgets":[]}`, `{}`, `[`, `{"widgets":[{"type":"metric","properties":{"metrics":[["a",{"x":1}],[1],"s",[]]}}]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		problems, cerr := Check(body)
		err := Validate(body)
		switch {
		case cerr != nil || len(problems) > 0:
			var e *awserr.Error
			if !errors.As(err, &e) || e.Code != "InvalidParameterInput" {
				t.Fatalf("Validate(%q) = %v, want InvalidParameterInput", body, err)
			}
		case err != nil:
			t.Fatalf("Validate(%q) = %v, but Check found no problem", body, err)
		}
		for _, p := range problems {
			if p.DataPath != "" && !strings.HasPrefix(p.DataPath, "/") || p.Message == "" {
				t.Fatalf("problem %+v", p)
			}
		}
	})
}
