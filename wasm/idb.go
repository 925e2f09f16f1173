//go:build js && wasm

package main

import (
	"fmt"
	"time"

	"github.com/hack-pad/safejs"
)

// idb is a Storage over one IndexedDB object store, holding strings.
type idb struct {
	db      safejs.Value
	store   string
	timeout time.Duration
}

// openIDB opens (creating if needed) the database name with one object store.
func openIDB(name, store string, timeout time.Duration) (*idb, error) {
	factory, err := global("indexedDB")
	if err != nil {
		return nil, err
	}
	req, err := factory.Call("open", name, 1)
	if err != nil {
		return nil, err
	}
	upgrade, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		if db, err := req.Get("result"); err == nil {
			db.Call("createObjectStore", store)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	defer upgrade.Release()
	if err := req.Set("onupgradeneeded", upgrade); err != nil {
		return nil, err
	}
	if err := wait(req, []string{"onsuccess"}, []string{"onerror", "onblocked"}, timeout); err != nil {
		return nil, fmt.Errorf("IndexedDB: %v", err)
	}
	db, err := req.Get("result")
	if err != nil {
		return nil, err
	}
	return &idb{db: db, store: store, timeout: timeout}, nil
}

// wait waits until target fires one of the ok or fail events.
func wait(target safejs.Value, ok, fail []string, timeout time.Duration) error {
	ch := make(chan error, 1)
	var funcs []safejs.Func
	defer func() {
		for _, f := range funcs {
			f.Release()
		}
	}()
	for _, ev := range ok {
		f, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
			select {
			case ch <- nil:
			default:
			}
			return nil
		})
		if err != nil {
			return err
		}
		funcs = append(funcs, f)
		if err := target.Set(ev, f); err != nil {
			return err
		}
	}
	for _, ev := range fail {
		ev := ev
		f, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
			e := fmt.Errorf("%s", ev[2:])
			if v, err := target.Get("error"); err == nil && !v.IsNull() && !v.IsUndefined() {
				e = jsError(v)
			}
			select {
			case ch <- e:
			default:
			}
			return nil
		})
		if err != nil {
			return err
		}
		funcs = append(funcs, f)
		if err := target.Set(ev, f); err != nil {
			return err
		}
	}
	select {
	case err := <-ch:
		return err
	case <-time.After(timeout):
		return errTimeout
	}
}

func (d *idb) objectStore(mode string) (tx, st safejs.Value, err error) {
	tx, err = d.db.Call("transaction", d.store, mode)
	if err != nil {
		return tx, st, err
	}
	st, err = tx.Call("objectStore", d.store)
	return tx, st, err
}

// Load reads key.
func (d *idb) Load(key string) ([]byte, bool, error) {
	_, st, err := d.objectStore("readonly")
	if err != nil {
		return nil, false, err
	}
	req, err := st.Call("get", key)
	if err != nil {
		return nil, false, err
	}
	if err := wait(req, []string{"onsuccess"}, []string{"onerror"}, d.timeout); err != nil {
		return nil, false, err
	}
	v, err := req.Get("result")
	if err != nil {
		return nil, false, err
	}
	if v.IsUndefined() || v.IsNull() {
		return nil, false, nil
	}
	s, err := v.String()
	if err != nil {
		return nil, false, fmt.Errorf("the saved value is not text")
	}
	return []byte(s), true, nil
}

// Save writes key and waits until the transaction is committed.
func (d *idb) Save(key string, data []byte) error {
	return d.write(func(st safejs.Value) error {
		_, err := st.Call("put", string(data), key)
		return err
	})
}

// Delete removes key.
func (d *idb) Delete(key string) error {
	return d.write(func(st safejs.Value) error {
		_, err := st.Call("delete", key)
		return err
	})
}

func (d *idb) write(op func(st safejs.Value) error) error {
	tx, st, err := d.objectStore("readwrite")
	if err != nil {
		return err
	}
	if err := op(st); err != nil {
		return err
	}
	return wait(tx, []string{"oncomplete"}, []string{"onerror", "onabort"}, d.timeout)
}
