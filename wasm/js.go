//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/hack-pad/safejs"
)

// errTimeout is returned when the browser does not answer in time.
var errTimeout = errors.New("the browser did not answer in time")

// global returns window.name, or an error if it is missing or refused.
// It reads through Reflect.get, a call: a property getter that throws (the
// storage of a frame that may not have any) fails the call, where a plain Get
// would stop the Go program (wasm_exec.js catches exceptions of calls only).
func global(name string) (safejs.Value, error) {
	g := safejs.Global()
	reflect, err := g.Get("Reflect")
	if err != nil {
		return reflect, err
	}
	v, err := reflect.Call("get", g, name)
	if err != nil {
		return v, fmt.Errorf("%s: %v", name, err)
	}
	if v.IsUndefined() || v.IsNull() {
		return v, fmt.Errorf("%s is not available", name)
	}
	return v, nil
}

// jsError describes a JavaScript error value (an Error, a DOMException).
func jsError(v safejs.Value) error {
	if v.IsUndefined() || v.IsNull() {
		return errors.New("unknown error")
	}
	if m, err := v.Get("message"); err == nil && !m.IsUndefined() {
		if s, err := m.String(); err == nil && s != "" {
			return errors.New(s)
		}
	}
	if s, err := v.Call("toString"); err == nil {
		if str, err := s.String(); err == nil {
			return errors.New(str)
		}
	}
	return errors.New("unknown error")
}

// await waits for a promise. It must not be called from a JS callback.
func await(promise safejs.Value, timeout time.Duration) (safejs.Value, error) {
	type result struct {
		v   safejs.Value
		err error
	}
	ch := make(chan result, 1)
	ok, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- result{v: arg0(args)}
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	defer ok.Release()
	fail, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- result{err: jsError(arg0(args))}
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	defer fail.Release()
	if _, err := promise.Call("then", ok, fail); err != nil {
		return safejs.Undefined(), err
	}
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(timeout):
		return safejs.Undefined(), errTimeout
	}
}

func arg0(args []safejs.Value) safejs.Value {
	if len(args) == 0 {
		return safejs.Undefined()
	}
	return args[0]
}
