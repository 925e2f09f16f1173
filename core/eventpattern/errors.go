package eventpattern

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/telltale-dev/telltale/core/awserr"
)

// ErrorCode is the AWS error code of an invalid pattern.
const ErrorCode = "InvalidEventPatternException"

// maxSnippet is how much of the pattern Jackson quotes in a location.
const maxSnippet = 500

// Error is an invalid event pattern. Its Message is AWS's message, byte for
// byte: "Event pattern is not valid. Reason: " followed by the reason and, for
// errors found while reading the JSON, the parser's location (once, or twice
// where EventBridge repeats it).
type Error struct {
	// Reason is the reason alone, without the location.
	Reason string
	// Source is the pattern text.
	Source string
	// Line and Column are the 1-based location of the fault (Column counts
	// UTF-16 units), meaningful when HasLocation reports true.
	Line, Column int

	located bool
	twice   bool
}

// HasLocation reports whether the message carries the parser's location.
func (e *Error) HasLocation() bool { return e.located }

// location is Jackson's "[Source: ...; line: L, column: C]".
func (e *Error) location() string {
	src := e.Source
	units := utf16.Encode([]rune(src))
	trunc := ""
	if len(units) > maxSnippet {
		src = string(utf16.Decode(units[:maxSnippet]))
		trunc = fmt.Sprintf("[truncated %d chars]", len(units)-maxSnippet)
	}
	return "[Source: (String)\"" + src + "\"" + trunc + fmt.Sprintf("; line: %d, column: %d]", e.Line, e.Column)
}

// Message returns AWS's message for the error.
func (e *Error) Message() string {
	var b strings.Builder
	b.WriteString("Event pattern is not valid. Reason: ")
	b.WriteString(e.Reason)
	if e.located {
		loc := "\n at " + e.location()
		b.WriteString(loc)
		if e.twice {
			b.WriteString(loc)
		}
	}
	return b.String()
}

// Error returns the code and the message.
func (e *Error) Error() string { return ErrorCode + ": " + e.Message() }

// AWS returns the error as AWS sends it: InvalidEventPatternException, HTTP 400.
func (e *Error) AWS() *awserr.Error { return awserr.BadRequest(ErrorCode, e.Message()) }

// plainError is an error without a location (CIDR and complexity errors).
func plainError(src, reason string) *Error { return &Error{Reason: reason, Source: src} }
