package app

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/world"
)

// call makes one API call of the console through the world, as the CLI
// does (so it lands in CloudTrail), saves the world, and decodes the
// response into out (when out is not nil). A failure is returned as the
// console shows it: "Code: message".
func (s *Session) call(service, op string, in any, out any) error {
	return s.invoke(service, op, in, out, true)
}

// invoke makes one API call through the world for call and read (a nil in
// sends no body), saving the world after it when save is set, and decodes
// the response into out (when out is not nil).
func (s *Session) invoke(service, op string, in, out any, save bool) error {
	w := s.World()
	if w == nil {
		return errors.New("there is no world")
	}
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = b
	}
	resp, err := w.Invoke(world.Request{Service: service, Operation: op, Input: body, UserAgent: ConsoleUserAgent})
	if save {
		s.Save()
	}
	if err != nil {
		return consoleError(err)
	}
	if out == nil || resp == nil {
		return nil
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return errors.New("the response could not be read: " + err.Error())
	}
	return nil
}

// pages reads a paginated operation to its end: page makes the call for one
// page with in, whose key holds the token of the page before (none for the
// first), and returns the next token. It stops at page's error, when the
// token is empty or repeats, or after max pages.
func pages(in map[string]any, key string, max int, page func() (next string, err error)) error {
	next := ""
	for i := 0; i < max; i++ {
		tok, err := page()
		if err != nil {
			return err
		}
		if tok == "" || tok == next {
			return nil
		}
		next = tok
		in[key] = tok
	}
	return nil
}

// consoleError turns an API error into the line the console shows.
func consoleError(err error) error {
	var e *awserr.Error
	if errors.As(err, &e) {
		return errors.New(e.Code + ": " + e.Message)
	}
	return err
}

// errText is the text of err, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Notice is the outcome of the last action of a page: a success line or an
// error line, shown above the page's content.
type Notice struct {
	Text string
	Err  bool
}

func (n *Notice) set(err error, ok string) bool {
	if err != nil {
		*n = Notice{Text: err.Error(), Err: true}
		return false
	}
	*n = Notice{Text: ok}
	return true
}

// indentJSON indents a JSON document, keeping its key order, or returns it
// as it is.
func indentJSON(s string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}
