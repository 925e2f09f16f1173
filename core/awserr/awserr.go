// Package awserr is the error AWS returns: an error code, a message and an HTTP
// status. Services return *Error for every failure a client can cause; the
// dispatcher turns any other error into InternalFailure.
package awserr

import (
	"errors"
	"fmt"
)

// Error is an AWS service error.
type Error struct {
	// Code is AWS's error code, such as ValidationException.
	Code string
	// Message is AWS's message, printed after the code by the CLI.
	Message string
	// Status is the HTTP status code of the response.
	Status int
}

// Error returns the error in the AWS CLI's words, without the operation name.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// New returns an error with the given code, status and message.
func New(code string, status int, message string) *Error {
	return &Error{Code: code, Message: message, Status: status}
}

// Newf returns an error with a formatted message.
func Newf(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}

// BadRequest returns a client error (HTTP 400).
func BadRequest(code, message string) *Error { return New(code, 400, message) }

// As returns err as an *Error, turning any other error into InternalFailure
// (HTTP 500), the way AWS hides its internal failures.
func As(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: 500}
}
