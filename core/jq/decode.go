package jq

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
)

// Decode parses one JSON value into the values gojq works with (nil, bool,
// int, float64, *big.Int for integers beyond int, string, []any,
// map[string]any), refusing trailing data and nesting deeper than
// DefaultMaxDepth.
func Decode(data []byte) (any, error) {
	if err := scanDepth(data, DefaultMaxDepth); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("jq: invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("jq: invalid JSON: trailing data")
	}
	return Normalize(v), nil
}

// Normalize converts json.Number values (as decoded with UseNumber) inside v
// to int, *big.Int or float64, in place where possible, and returns v.
func Normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		return number(string(x))
	case []any:
		for i, e := range x {
			x[i] = Normalize(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = Normalize(e)
		}
	}
	return v
}

func number(s string) any {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.Atoi(s); err == nil {
			return i
		}
		if b, ok := new(big.Int).SetString(s, 10); ok {
			return b
		}
	}
	f, _ := strconv.ParseFloat(s, 64) // out of range gives ±Inf, as jq does
	return f
}

// scanDepth rejects JSON text nested deeper than max without decoding it.
func scanDepth(data []byte, max int) error {
	depth, inStr, esc := 0, false, false
	for _, c := range data {
		switch {
		case inStr:
			if esc {
				esc = false
			} else if c == '\\' {
				esc = true
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '[' || c == '{':
			depth++
			if depth > max {
				return ErrDepth
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}
