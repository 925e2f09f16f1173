package app

import (
	"archive/zip"
	"bytes"
	"strings"

	"github.com/telltale-dev/telltale/core/lambda"
)

// FunctionsView is the state of the Lambda page.
type FunctionsView struct {
	Notice    Notice
	Functions []FunctionRow
	// Function is the function whose invocations are open.
	Function    string
	Invocations []lambda.Invocation // newest first
	NewName     string
	Runtime     string
	Payload     TextBox
	// Response is what the last Invoke returned.
	Response string
	// OpenInv is the Seq of the invocation shown in full, or 0.
	OpenInv uint64
}

// FunctionRow is a function as ListFunctions returns it.
type FunctionRow struct {
	FunctionName, FunctionArn, Runtime, Handler, LastModified string
	MemorySize, Timeout                                       int
}

// LambdaRuntimes are the runtimes the create form offers, with the handler
// and file of each.
var LambdaRuntimes = []struct{ Runtime, Handler, File, Code string }{
	{"python3.12", "app.handler", "app.py", "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": event}\n"},
	{"nodejs20.x", "index.handler", "index.mjs", "export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });\n"},
}

// FunctionsLoad lists the functions (ListFunctions) and the recorded
// invocations of the open one.
func (s *Session) FunctionsLoad() {
	v := &s.Functions
	if v.Runtime == "" {
		v.Runtime = LambdaRuntimes[0].Runtime
		v.Payload.set("{\n  \"hello\": \"world\"\n}")
	}
	var out struct{ Functions []FunctionRow }
	if err := s.call("lambda", "ListFunctions", map[string]any{}, &out); err != nil {
		v.Notice.set(err, "")
		return
	}
	v.Functions = out.Functions
	open := false
	for _, f := range v.Functions {
		open = open || f.FunctionName == v.Function
	}
	if !open {
		v.Function, v.Invocations = "", nil
	}
	s.loadInvocations()
}

// loadInvocations reads the recorded invocations of the open function: a
// view AWS has no API for (it would be the function's logs and traces).
func (s *Session) loadInvocations() {
	v := &s.Functions
	v.Invocations = nil
	if v.Function == "" {
		return
	}
	invs, err := s.World().Lambda().Invocations(v.Function)
	if err != nil {
		v.Notice.set(err, "")
		return
	}
	for i := len(invs) - 1; i >= 0; i-- {
		v.Invocations = append(v.Invocations, invs[i])
	}
}

// OpenFunction shows the invocations of a function (or hides them).
func (s *Session) OpenFunction(name string) {
	v := &s.Functions
	v.Response = ""
	if v.Function == name {
		v.Function, v.Invocations = "", nil
		return
	}
	v.Function = name
	s.loadInvocations()
}

// zipOf returns a zip archive holding one file.
func zipOf(name, content string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	if w, err := z.Create(name); err == nil {
		w.Write([]byte(content))
	}
	z.Close()
	return b.Bytes()
}

// CreateFunction creates a function with a small handler of the chosen
// runtime (CreateFunction).
func (s *Session) CreateFunction() {
	v := &s.Functions
	name := strings.TrimSpace(v.NewName)
	rt := LambdaRuntimes[0]
	for _, r := range LambdaRuntimes {
		if r.Runtime == v.Runtime {
			rt = r
		}
	}
	in := map[string]any{"FunctionName": name, "Runtime": rt.Runtime, "Handler": rt.Handler,
		"Role": "arn:aws:iam::" + s.World().Account() + ":role/" + name + "-role",
		"Code": map[string]any{"ZipFile": zipOf(rt.File, rt.Code)}}
	if v.Notice.set(s.call("lambda", "CreateFunction", in, nil), "Created the function "+name+".") {
		v.NewName, v.Function = "", name
	}
	s.FunctionsLoad()
}

// DeleteFunction deletes a function (DeleteFunction).
func (s *Session) DeleteFunction(name string) {
	s.Functions.Notice.set(s.call("lambda", "DeleteFunction", map[string]any{"FunctionName": name}, nil), "Deleted the function "+name+".")
	s.FunctionsLoad()
}

// InvokeFunction invokes the open function with the form's payload (Invoke).
func (s *Session) InvokeFunction() {
	v := &s.Functions
	var out struct {
		StatusCode int
		Payload    []byte
	}
	err := s.call("lambda", "Invoke", map[string]any{"FunctionName": v.Function, "Payload": []byte(v.Payload.Value)}, &out)
	v.Response = ""
	if v.Notice.set(err, "Invoked "+v.Function+".") {
		v.Response = indentJSON(string(out.Payload))
	}
	s.FunctionsLoad()
}
