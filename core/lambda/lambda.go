// Package lambda simulates AWS Lambda functions. No code runs: a function
// is its configuration (runtime, handler, role, code digest), and an
// invocation is recorded with its event and a simulated response.
//
// The simulated handler answers every synchronous invocation with
//
//	{"statusCode": 200, "body": "<the event, as a JSON string>"}
//
// (the shape an API Gateway proxy handler returns), so what a function
// received is visible in what it returned. Asynchronous invocations (the
// Event invocation type, and deliveries from SNS and EventBridge through
// Deliver) are recorded the same way and answered with 202.
//
// When a LogSink is given, each invocation writes the START, END and REPORT
// lines Lambda writes to the log group /aws/lambda/NAME.
//
// An event from a CloudWatch Logs subscription filter
// ({"awslogs":{"data":"<base64 of gzip of JSON>"}}) is decoded: the
// invocation records the JSON document (Invocation.Decoded) and the
// simulated handler logs it between START and END, as the usual
// subscription handler (gunzip, then console.log) does.
//
// Store layout (see core/store):
//
//	lambda/function/<name>              a function (JSON)
//	lambda/invocation/<name>/<seq>      an invocation of the function
//
// A Service is not safe for concurrent use.
package lambda

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/api"
	"github.com/telltale-dev/telltale/core/awserr"
	"github.com/telltale-dev/telltale/core/ids"
	"github.com/telltale-dev/telltale/core/store"
)

// LogSink receives the log lines of invocations. world implements it once a
// CloudWatch Logs service exists; it creates the group and stream as needed.
type LogSink interface {
	WriteLambdaLogs(group, stream string, at time.Time, lines []string) error
}

// Clock tells the service the virtual time.
type Clock interface{ Now() time.Time }

// Deps are what the service needs from its world.
type Deps struct {
	Store   *store.Store
	Clock   Clock
	IDs     *ids.Generator
	Account string
	Region  string
	Logs    LogSink // optional
}

// Service is the Lambda of a world.
type Service struct {
	d Deps
}

// New returns the service over the world's store. Functions and invocations
// found in the store (a restored world) are kept.
func New(d Deps) *Service { return &Service{d: d} }

const (
	functionPrefix   = "lambda/function/"
	invocationPrefix = "lambda/invocation/"
)

// function is a stored function.
type function struct {
	Name         string            `json:"name"`
	Runtime      string            `json:"runtime,omitempty"`
	Role         string            `json:"role"`
	Handler      string            `json:"handler,omitempty"`
	Description  string            `json:"description"`
	Timeout      int               `json:"timeout"`
	MemorySize   int               `json:"memory"`
	CodeSha256   string            `json:"sha256"`
	CodeSize     int64             `json:"size"`
	PackageType  string            `json:"packageType"`
	Architecture string            `json:"arch"`
	Environment  map[string]string `json:"env,omitempty"`
	Tags         map[string]string `json:"tags,omitempty"`
	Created      time.Time         `json:"created"`
	RevisionID   string            `json:"revision"`
	CodeID       string            `json:"codeId"`
	ImageURI     string            `json:"image,omitempty"`
	EphemeralMB  int               `json:"ephemeral"`
	LogGroup     string            `json:"logGroup"`
	LogFormat    string            `json:"logFormat"`
	Tracing      string            `json:"tracing"`
	Seq          uint64            `json:"seq"`
}

// Invocation is one recorded invocation of a function.
type Invocation struct {
	Seq       uint64    `json:"seq"`
	At        time.Time `json:"at"`
	RequestID string    `json:"requestId"`
	// Type is RequestResponse, Event or DryRun.
	Type string `json:"type"`
	// Source is "api" for Invoke and "delivery" for Deliver (another AWS
	// service invoked the function).
	Source string `json:"source"`
	// Payload is the event the function received.
	Payload string `json:"payload"`
	// Response is what the simulated handler returned (synchronous calls).
	Response   string `json:"response,omitempty"`
	StatusCode int    `json:"statusCode"`
	// Decoded is the JSON document of a CloudWatch Logs subscription
	// event (awslogs.data, base64-decoded and gunzipped), "" for other
	// events.
	Decoded string `json:"decoded,omitempty"`
}

// DecodeAWSLogs returns the JSON document of a CloudWatch Logs
// subscription event {"awslogs":{"data":"..."}}, and false for any other
// event or an undecodable one.
func DecodeAWSLogs(event []byte) (string, bool) {
	var ev struct {
		AWSLogs *struct {
			Data string `json:"data"`
		} `json:"awslogs"`
	}
	if json.Unmarshal(event, &ev) != nil || ev.AWSLogs == nil {
		return "", false
	}
	z, err := base64.StdEncoding.DecodeString(ev.AWSLogs.Data)
	if err != nil {
		return "", false
	}
	r, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return "", false
	}
	// A subscription payload is at most about 1 MB; bound the reader so a
	// crafted event cannot expand without limit.
	b, err := io.ReadAll(io.LimitReader(r, 8<<20))
	if err != nil || !json.Valid(b) {
		return "", false
	}
	return string(b), true
}

func (s *Service) functionARN(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.d.Region, s.d.Account, name)
}

func (s *Service) errNotFound(name string) error {
	return awserr.New("ResourceNotFoundException", 404, "Function not found: "+s.functionARN(name))
}

func errParam(msg string) error {
	return awserr.BadRequest("InvalidParameterValueException", msg)
}

// resolveName turns a function name, ARN or partial ARN into a name, checking
// that it is of this account and region and that the qualifier is $LATEST.
func (s *Service) resolveName(ref string, qualifier *string) (string, error) {
	name := ref
	q := ""
	p := strings.Split(ref, ":")
	switch {
	case strings.HasPrefix(ref, "arn:"):
		if len(p) < 7 || p[2] != "lambda" || p[5] != "function" {
			return "", errParam("Invalid function name: " + ref)
		}
		if p[3] != s.d.Region || p[4] != s.d.Account {
			return "", s.errNotFound(p[6])
		}
		name = p[6]
		if len(p) > 7 {
			q = p[7]
		}
	case len(p) >= 3 && p[1] == "function":
		if p[0] != s.d.Account {
			return "", s.errNotFound(p[2])
		}
		name = p[2]
		if len(p) > 3 {
			q = p[3]
		}
	case len(p) == 2:
		name, q = p[0], p[1]
	}
	if qualifier != nil {
		if q != "" && q != *qualifier {
			return "", errParam("The derived qualifier from the function name does not match the specified qualifier.")
		}
		q = *qualifier
	}
	if q != "" && q != "$LATEST" {
		return "", awserr.New("ResourceNotFoundException", 404, "Function not found: "+s.functionARN(name)+":"+q)
	}
	return name, nil
}

func (s *Service) load(tx *store.Tx, name string) (*function, error) {
	var f function
	if err := store.GetJSON(tx, functionPrefix+name, &f); err != nil {
		if err == store.ErrNotFound {
			return nil, s.errNotFound(name)
		}
		return nil, err
	}
	return &f, nil
}

// API describes the service for the registry.
func (s *Service) API() (*api.Service, error) {
	m, err := api.LoadModel("lambda")
	if err != nil {
		return nil, err
	}
	return &api.Service{
		Name:  "lambda",
		Model: m,
		Handlers: map[string]api.Handler{
			"CreateFunction": api.Op(s.CreateFunction),
			"GetFunction":    api.Op(s.GetFunction),
			"ListFunctions":  api.Op(s.ListFunctions),
			"DeleteFunction": api.Op(s.DeleteFunction),
			"Invoke":         api.Op(s.Invoke),
		},
	}, nil
}

// FunctionCode is the code of CreateFunction.
type FunctionCode struct {
	ZipFile         []byte
	S3Bucket        *string
	S3Key           *string
	S3ObjectVersion *string
	ImageUri        *string
}

// Environment is a function's environment.
type Environment struct {
	Variables map[string]string
}

// CreateFunctionInput is the request of CreateFunction.
type CreateFunctionInput struct {
	FunctionName  string
	Runtime       *string
	Role          string
	Handler       *string
	Code          FunctionCode
	Description   *string
	Timeout       *int
	MemorySize    *int
	Publish       *bool
	PackageType   *string
	Environment   *Environment
	Tags          map[string]string
	Architectures []string
	TracingConfig *struct{ Mode string }
	LoggingConfig *struct {
		LogFormat *string
		LogGroup  *string
	}
	EphemeralStorage *struct{ Size int }
}

// TracingConfig is a function's tracing mode.
type TracingConfig struct{ Mode string }

// SnapStart is a function's SnapStart setting.
type SnapStart struct {
	ApplyOn            string
	OptimizationStatus string
}

// LoggingConfig is where a function logs.
type LoggingConfig struct {
	LogFormat string
	LogGroup  string
}

// EphemeralStorage is the size of /tmp.
type EphemeralStorage struct{ Size int }

// FunctionConfiguration describes a function.
type FunctionConfiguration struct {
	FunctionName     string
	FunctionArn      string
	Runtime          string `json:",omitempty"`
	Role             string
	Handler          string `json:",omitempty"`
	CodeSize         int64
	Description      string
	Timeout          int
	MemorySize       int
	LastModified     string
	CodeSha256       string
	Version          string
	Environment      *Environment `json:",omitempty"`
	TracingConfig    TracingConfig
	RevisionId       string
	State            string `json:",omitempty"`
	StateReason      string `json:",omitempty"`
	StateReasonCode  string `json:",omitempty"`
	LastUpdateStatus string `json:",omitempty"`
	PackageType      string
	Architectures    []string
	EphemeralStorage EphemeralStorage
	SnapStart        SnapStart
	LoggingConfig    LoggingConfig
}

// lastModified formats a time as Lambda does: 2026-01-02T03:04:05.000+0000.
func lastModified(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

func (s *Service) config(f *function) *FunctionConfiguration {
	c := &FunctionConfiguration{
		FunctionName: f.Name, FunctionArn: s.functionARN(f.Name), Runtime: f.Runtime, Role: f.Role, Handler: f.Handler,
		CodeSize: f.CodeSize, Description: f.Description, Timeout: f.Timeout, MemorySize: f.MemorySize,
		LastModified: lastModified(f.Created), CodeSha256: f.CodeSha256, Version: "$LATEST",
		TracingConfig: TracingConfig{f.Tracing}, RevisionId: f.RevisionID, PackageType: f.PackageType,
		Architectures: []string{f.Architecture}, EphemeralStorage: EphemeralStorage{f.EphemeralMB},
		SnapStart:     SnapStart{ApplyOn: "None", OptimizationStatus: "Off"},
		LoggingConfig: LoggingConfig{LogFormat: f.LogFormat, LogGroup: f.LogGroup},
	}
	if len(f.Environment) > 0 {
		c.Environment = &Environment{Variables: f.Environment}
	}
	return c
}

// CreateFunction creates a function. The response shows it Pending, as AWS
// does while it prepares the function; it is Active for every later call.
func (s *Service) CreateFunction(c *api.Call, in *CreateFunctionInput) (*FunctionConfiguration, error) {
	if strings.Contains(in.FunctionName, ":") {
		name, err := s.resolveName(in.FunctionName, nil)
		if err != nil {
			return nil, err
		}
		in.FunctionName = name
	}
	f := &function{Name: in.FunctionName, Role: in.Role, Timeout: 3, MemorySize: 128, PackageType: "Zip",
		Architecture: "x86_64", Created: c.Now, EphemeralMB: 512, LogGroup: "/aws/lambda/" + in.FunctionName,
		LogFormat: "Text", Tracing: "PassThrough"}
	if in.PackageType != nil {
		f.PackageType = *in.PackageType
	}
	switch f.PackageType {
	case "Zip":
		if in.Runtime == nil || in.Handler == nil {
			return nil, errParam("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
		}
		f.Runtime, f.Handler = *in.Runtime, *in.Handler
		switch {
		case in.Code.ZipFile != nil:
			z := in.Code.ZipFile
			if len(z) < 22 || !(bytes.HasPrefix(z, []byte("PK\x03\x04")) || bytes.HasPrefix(z, []byte("PK\x05\x06"))) {
				return nil, errParam("Could not unzip uploaded file. Please check your file, then try to upload again.")
			}
			sum := sha256.Sum256(z)
			f.CodeSha256, f.CodeSize = base64.StdEncoding.EncodeToString(sum[:]), int64(len(z))
		case in.Code.S3Bucket != nil && in.Code.S3Key != nil:
			// There is no S3 in the world yet: the object is taken on trust.
			sum := sha256.Sum256([]byte("s3://" + *in.Code.S3Bucket + "/" + *in.Code.S3Key))
			f.CodeSha256, f.CodeSize = base64.StdEncoding.EncodeToString(sum[:]), 1024
		default:
			return nil, errParam("Please provide a source for function code.")
		}
	case "Image":
		if in.Code.ImageUri == nil {
			return nil, errParam("Please provide ImageUri when updating a function with packageType Image.")
		}
		if in.Runtime != nil || in.Handler != nil {
			return nil, errParam("Runtime and Handler are not supported for functions created with container images.")
		}
		f.ImageURI = *in.Code.ImageUri
		sum := sha256.Sum256([]byte(f.ImageURI))
		f.CodeSha256 = fmt.Sprintf("%x", sum)
	}
	if in.Description != nil {
		f.Description = *in.Description
	}
	if in.Timeout != nil {
		if *in.Timeout > 900 {
			return nil, errParam(fmt.Sprintf("1 validation error detected: Value '%d' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900", *in.Timeout))
		}
		f.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		f.MemorySize = *in.MemorySize
	}
	if len(in.Architectures) > 0 {
		f.Architecture = in.Architectures[0]
	}
	if in.Environment != nil {
		f.Environment = in.Environment.Variables
	}
	if in.TracingConfig != nil && in.TracingConfig.Mode != "" {
		f.Tracing = in.TracingConfig.Mode
	}
	if in.EphemeralStorage != nil {
		f.EphemeralMB = in.EphemeralStorage.Size
	}
	if in.LoggingConfig != nil {
		if in.LoggingConfig.LogFormat != nil {
			f.LogFormat = *in.LoggingConfig.LogFormat
		}
		if in.LoggingConfig.LogGroup != nil {
			f.LogGroup = *in.LoggingConfig.LogGroup
		}
	}
	f.Tags = in.Tags
	c.AddResource("AWS::Lambda::Function", f.Name, s.functionARN(f.Name))
	err := s.d.Store.Update(func(tx *store.Tx) error {
		if store.Exists(tx, functionPrefix+f.Name) {
			return awserr.New("ResourceConflictException", 409, "Function already exist: "+f.Name)
		}
		f.RevisionID = s.d.IDs.UUID()
		f.CodeID = s.d.IDs.UUID()
		return store.SetJSON(tx, functionPrefix+f.Name, f)
	})
	if err != nil {
		return nil, err
	}
	out := s.config(f)
	out.State, out.StateReason, out.StateReasonCode = "Pending", "The function is being created.", "Creating"
	return out, nil
}

// FunctionInput is a request naming a function.
type FunctionInput struct {
	FunctionName string
	Qualifier    *string
}

// FunctionCodeLocation is where a function's code can be downloaded.
type FunctionCodeLocation struct {
	RepositoryType string
	Location       string `json:",omitempty"`
	ImageUri       string `json:",omitempty"`
}

// GetFunctionOutput is the response of GetFunction.
type GetFunctionOutput struct {
	Configuration *FunctionConfiguration
	Code          FunctionCodeLocation
	Tags          map[string]string `json:",omitempty"`
}

// GetFunction describes a function.
func (s *Service) GetFunction(c *api.Call, in *FunctionInput) (*GetFunctionOutput, error) {
	name, err := s.resolveName(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	var f *function
	err = s.d.Store.View(func(tx *store.Tx) (err error) {
		f, err = s.load(tx, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	cfg := s.config(f)
	cfg.State, cfg.LastUpdateStatus = "Active", "Successful"
	out := &GetFunctionOutput{Configuration: cfg, Tags: f.Tags}
	if f.PackageType == "Image" {
		out.Code = FunctionCodeLocation{RepositoryType: "ECR", ImageUri: f.ImageURI}
	} else {
		out.Code = FunctionCodeLocation{RepositoryType: "S3", Location: fmt.Sprintf(
			"https://awslambda-%s-tasks.s3.%s.amazonaws.com/snapshots/%s/%s-%s", s.d.Region, s.d.Region, s.d.Account, f.Name, f.CodeID)}
	}
	return out, nil
}

// ListFunctionsInput is the request of ListFunctions.
type ListFunctionsInput struct {
	MasterRegion    *string
	FunctionVersion *string
	Marker          *string
	MaxItems        *int
}

// ListFunctionsOutput is the response of ListFunctions.
type ListFunctionsOutput struct {
	Functions  []*FunctionConfiguration
	NextMarker *string `json:",omitempty"`
}

// ListFunctions lists the functions in name order, 50 per page unless
// MaxItems says otherwise.
func (s *Service) ListFunctions(c *api.Call, in *ListFunctionsInput) (*ListFunctionsOutput, error) {
	if in.FunctionVersion != nil && *in.FunctionVersion != "ALL" {
		return nil, errParam("Invalid FunctionVersion value: " + *in.FunctionVersion)
	}
	max := 50
	if in.MaxItems != nil {
		max = *in.MaxItems
	}
	after := ""
	if in.Marker != nil {
		b, err := base64.StdEncoding.DecodeString(*in.Marker)
		if err != nil || len(b) == 0 {
			return nil, errParam("Invalid marker: " + *in.Marker)
		}
		after = string(b)
	}
	out := &ListFunctionsOutput{Functions: []*FunctionConfiguration{}}
	var last string
	err := s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, functionPrefix, func(_, v string) bool {
			var f function
			if json.Unmarshal([]byte(v), &f) != nil || (after != "" && f.Name <= after) {
				return true
			}
			if len(out.Functions) == max {
				m := base64.StdEncoding.EncodeToString([]byte(last))
				out.NextMarker = &m
				return false
			}
			out.Functions = append(out.Functions, s.config(&f))
			last = f.Name
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StatusOutput is a response holding only the HTTP status code.
type StatusOutput struct {
	StatusCode int
}

// DeleteFunction deletes a function and its recorded invocations.
func (s *Service) DeleteFunction(c *api.Call, in *FunctionInput) (*StatusOutput, error) {
	name, err := s.resolveName(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	err = s.d.Store.Update(func(tx *store.Tx) error {
		if _, err := s.load(tx, name); err != nil {
			return err
		}
		c.AddResource("AWS::Lambda::Function", name, s.functionARN(name))
		var del []string
		store.Prefix(tx, invocationPrefix+name+"/", func(k, _ string) bool {
			del = append(del, k)
			return true
		})
		for _, k := range del {
			tx.Delete(k)
		}
		_, err := tx.Delete(functionPrefix + name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &StatusOutput{StatusCode: 204}, nil
}

// InvokeInput is the request of Invoke.
type InvokeInput struct {
	FunctionName   string
	InvocationType *string
	LogType        *string
	ClientContext  *string
	Payload        []byte
	Qualifier      *string
}

// InvokeOutput is the response of Invoke.
type InvokeOutput struct {
	StatusCode      int
	FunctionError   string `json:",omitempty"`
	LogResult       string `json:",omitempty"`
	Payload         []byte `json:",omitempty"`
	ExecutedVersion string `json:",omitempty"`
}

// Invoke runs the simulated handler of a function. RequestResponse answers
// 200 with the simulated response; Event records the invocation and answers
// 202; DryRun only checks and answers 204.
func (s *Service) Invoke(c *api.Call, in *InvokeInput) (*InvokeOutput, error) {
	name, err := s.resolveName(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	typ := "RequestResponse"
	if in.InvocationType != nil {
		typ = *in.InvocationType
	}
	payload := in.Payload
	if len(bytes.TrimSpace(payload)) == 0 {
		payload = []byte("{}")
	}
	if !json.Valid(payload) {
		return nil, awserr.BadRequest("InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: Unexpected character: was expecting a JSON value")
	}
	limit := 6291456
	if typ == "Event" {
		limit = 1048576
	}
	if len(payload) > limit {
		return nil, awserr.New("RequestEntityTooLargeException", 413, fmt.Sprintf("Request must be smaller than %d bytes for the %s invocation type", limit, typ))
	}
	var out *InvokeOutput
	err = s.d.Store.Update(func(tx *store.Tx) error {
		f, err := s.load(tx, name)
		if err != nil {
			return err
		}
		c.AddResource("AWS::Lambda::Function", name, s.functionARN(name))
		switch typ {
		case "DryRun":
			out = &InvokeOutput{StatusCode: 204}
			return nil
		case "Event":
			_, err := s.invoke(tx, f, c.Now, c.RequestID, "Event", "api", payload)
			out = &InvokeOutput{StatusCode: 202}
			return err
		}
		inv, err := s.invoke(tx, f, c.Now, c.RequestID, "RequestResponse", "api", payload)
		if err != nil {
			return err
		}
		out = &InvokeOutput{StatusCode: 200, Payload: []byte(inv.Response), ExecutedVersion: "$LATEST"}
		if in.LogType != nil && *in.LogType == "Tail" {
			out.LogResult = base64.StdEncoding.EncodeToString([]byte(strings.Join(logLines(f, inv), "\n") + "\n"))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Response is what the simulated handler returns for an event.
func Response(event []byte) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(string(event))
	return `{"statusCode":200,"body":` + strings.TrimRight(b.String(), "\n") + `}`
}

func (s *Service) invoke(tx *store.Tx, f *function, at time.Time, requestID, typ, source string, payload []byte) (*Invocation, error) {
	f.Seq++
	inv := &Invocation{Seq: f.Seq, At: at, RequestID: requestID, Type: typ, Source: source, Payload: string(payload), StatusCode: 202}
	inv.Decoded, _ = DecodeAWSLogs(payload)
	if typ == "RequestResponse" {
		inv.Response, inv.StatusCode = Response(payload), 200
	}
	if err := store.SetJSON(tx, functionPrefix+f.Name, f); err != nil {
		return nil, err
	}
	if err := store.SetJSON(tx, fmt.Sprintf("%s%s/%012d", invocationPrefix, f.Name, inv.Seq), inv); err != nil {
		return nil, err
	}
	if s.d.Logs != nil {
		stream := at.UTC().Format("2006/01/02") + "/[$LATEST]" + s.d.IDs.Hex(32)
		if err := s.d.Logs.WriteLambdaLogs(f.LogGroup, stream, at, logLines(f, inv)); err != nil {
			return nil, err
		}
	}
	return inv, nil
}

// logLines are the lines Lambda's runtime writes around an invocation. The
// simulated handler takes 1 ms and uses a fixed amount of memory.
func logLines(f *function, inv *Invocation) []string {
	lines := []string{"START RequestId: " + inv.RequestID + " Version: $LATEST"}
	if inv.Decoded != "" {
		lines = append(lines, inv.At.UTC().Format("2006-01-02T15:04:05.000Z")+"\t"+inv.RequestID+"\tINFO\t"+inv.Decoded)
	}
	return append(lines,
		"END RequestId: "+inv.RequestID,
		"REPORT RequestId: "+inv.RequestID+"\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: "+
			strconv.Itoa(f.MemorySize)+" MB\tMax Memory Used: 32 MB\t",
	)
}

// Deliver records an asynchronous invocation of the function functionARN
// by another AWS service (SNS, EventBridge): no API call is recorded. It is
// an error if the function does not exist.
func (s *Service) Deliver(functionARN string, payload []byte) error {
	p := strings.Split(functionARN, ":")
	if len(p) < 7 || p[0] != "arn" || p[2] != "lambda" || p[5] != "function" || p[3] != s.d.Region || p[4] != s.d.Account {
		return fmt.Errorf("lambda: %s: %w", functionARN, s.errNotFound(functionARN))
	}
	return s.d.Store.Update(func(tx *store.Tx) error {
		f, err := s.load(tx, p[6])
		if err != nil {
			return err
		}
		_, err = s.invoke(tx, f, s.d.Clock.Now(), s.d.IDs.UUID(), "Event", "delivery", payload)
		return err
	})
}

// Exists reports whether the function an ARN names exists (unqualified
// or $LATEST, of this account and region).
func (s *Service) Exists(functionARN string) bool {
	p := strings.Split(functionARN, ":")
	if len(p) < 7 || len(p) > 8 || p[0] != "arn" || p[2] != "lambda" || p[5] != "function" || p[3] != s.d.Region || p[4] != s.d.Account {
		return false
	}
	if len(p) == 8 && p[7] != "$LATEST" {
		return false
	}
	return s.d.Store.View(func(tx *store.Tx) error { _, err := s.load(tx, p[6]); return err }) == nil
}

// Invocations returns the recorded invocations of a function, oldest first.
func (s *Service) Invocations(name string) ([]Invocation, error) {
	var out []Invocation
	err := s.d.Store.View(func(tx *store.Tx) error {
		if _, err := s.load(tx, name); err != nil {
			return err
		}
		return store.Prefix(tx, invocationPrefix+name+"/", func(_, v string) bool {
			var inv Invocation
			if json.Unmarshal([]byte(v), &inv) == nil {
				out = append(out, inv)
			}
			return true
		})
	})
	return out, err
}

// Functions returns the names of the functions, sorted.
func (s *Service) Functions() ([]string, error) {
	var out []string
	err := s.d.Store.View(func(tx *store.Tx) error {
		return store.Prefix(tx, functionPrefix, func(k, _ string) bool {
			out = append(out, k[len(functionPrefix):])
			return true
		})
	})
	return out, err
}
