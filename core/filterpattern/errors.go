package filterpattern

import (
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale/core/awserr"
)

// ErrorCode is the AWS error code of an invalid filter pattern.
const ErrorCode = "InvalidParameterException"

// AWS's messages for invalid patterns.
const (
	// MessageInvalid is AWS's message for a pattern that does not parse
	// (observed from PutMetricFilter; the console says "Invalid filter
	// pattern").
	MessageInvalid = "Invalid metric filter pattern"
	// MessageInvalidCharacters is AWS's message for a regex or term that
	// uses a character the language does not allow.
	MessageInvalidCharacters = "Invalid character(s) in term"
	// MessageNoDimensions is AWS's message for dimensions on a pattern that
	// is neither JSON nor space-delimited.
	MessageNoDimensions = "The specified filter pattern does not support dimensions"
)

const (
	msgInvalid = MessageInvalid
	msgChars   = MessageInvalidCharacters
	// msgTooManyRegex and msgTooManyWildcards are not documented; AWS-style.
	msgTooManyRegex     = "Filter pattern contains too many regular expressions; at most 2 are allowed"
	msgTooManyWildcards = "Filter pattern contains too many wildcard selectors"
)

// Error is an invalid filter pattern, located at a byte offset of the
// pattern text.
type Error struct {
	// Offset is the byte offset of the fault in the pattern.
	Offset int
	// Message is AWS's message, sent as InvalidParameterException.
	Message string
	// Detail says what is wrong, for people (the console shows it under the
	// caret).
	Detail string
}

func errorf(off int, msg, format string, args ...any) *Error {
	return &Error{Offset: off, Message: msg, Detail: fmt.Sprintf(format, args...)}
}

// Error returns the code, AWS's message and the located detail.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s (at offset %d: %s)", ErrorCode, e.Message, e.Offset, e.Detail)
}

// AWS returns the error as AWS sends it: InvalidParameterException, HTTP 400.
func (e *Error) AWS() *awserr.Error { return awserr.BadRequest(ErrorCode, e.Message) }

// Caret returns the pattern's line holding the fault with a caret under it
// and the detail, for display.
func (e *Error) Caret(pattern string) string {
	off := min(max(e.Offset, 0), len(pattern))
	start := strings.LastIndexByte(pattern[:off], '\n') + 1
	end := strings.IndexByte(pattern[off:], '\n')
	if end < 0 {
		end = len(pattern)
	} else {
		end += off
	}
	col := len([]rune(pattern[start:off]))
	return pattern[start:end] + "\n" + strings.Repeat(" ", col) + "^ " + e.Detail
}

// lengthMessage is the request validation message for a pattern over 1024
// characters, as AWS words it for PutMetricFilter (aws-validated).
func lengthMessage(pattern string) string {
	return "1 validation error detected: Value '" + pattern +
		"' at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024"
}
