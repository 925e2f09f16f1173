package metricmath

import (
	"errors"
	"fmt"
	"strings"
)

// Error is an invalid expression (from Compile) or a failed evaluation (from
// Eval). Message is the text AWS puts after "Error in expression <id>: "; the
// messages of this package are written in AWS's style where AWS does not
// document its own (see the package tests for the list).
type Error struct {
	// Message is the reason, in AWS's style.
	Message string
	// Offset is the byte offset in Source of the fault (0 when the fault is
	// the whole expression).
	Offset int
	// Source is the expression text.
	Source string
	// ID is the id of the query whose expression failed, when known (set
	// by Plan).
	ID string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// For returns the message as CloudWatch words it for the query or alarm
// metric id: "Error in expression e1: <message>".
func (e *Error) For(id string) string { return "Error in expression " + id + ": " + e.Message }

// Caret returns the expression with a caret under the fault, for editors.
func (e *Error) Caret() string {
	src := e.Source
	off := e.Offset
	if off > len(src) {
		off = len(src)
	}
	line := strings.ReplaceAll(src, "\n", " ")
	return line + "\n" + strings.Repeat(" ", len([]rune(src[:off]))) + "^"
}

// ErrUnavailable is wrapped by the errors of the sources this simulator does
// not have (Contributor Insights, Service Quotas, Performance Insights) when
// the Env does not supply them.
var ErrUnavailable = errors.New("metricmath: source unavailable")

// unavailableError is the error of a source the Env does not provide.
type unavailableError struct{ msg string }

func (u *unavailableError) Error() string { return u.msg }
func (u *unavailableError) Unwrap() error { return ErrUnavailable }

// Unavailable returns an error, wrapping ErrUnavailable, that an Env returns
// for a source it does not simulate; Eval reports its message.
func Unavailable(format string, args ...any) error {
	return &unavailableError{msg: fmt.Sprintf(format, args...)}
}

// errf builds an *Error at an offset.
func errf(src string, off int, format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...), Offset: off, Source: src}
}
