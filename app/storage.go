package app

import "sync"

// Storage keeps the saved world of the page between visits. The browser's
// implementation (in wasm/) uses IndexedDB; MemoryStorage serves native tests
// and pages where the browser refuses storage (a cross-origin iframe).
// Implementations are called from one goroutine at a time.
type Storage interface {
	// Load returns the data saved under key; ok is false when there is none.
	Load(key string) (data []byte, ok bool, err error)
	// Save replaces the data under key.
	Save(key string, data []byte) error
	// Delete removes key; removing a missing key is not an error.
	Delete(key string) error
}

// MemoryStorage is a Storage that lives as long as the value. It is safe for
// concurrent use.
type MemoryStorage struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemoryStorage returns an empty MemoryStorage.
func NewMemoryStorage() *MemoryStorage { return &MemoryStorage{m: map[string][]byte{}} }

// Load returns a copy of the data under key.
func (s *MemoryStorage) Load(key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[key]
	if !ok {
		return nil, false, nil
	}
	return append([]byte(nil), b...), true, nil
}

// Save keeps a copy of data under key.
func (s *MemoryStorage) Save(key string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = append([]byte(nil), data...)
	return nil
}

// Delete removes key.
func (s *MemoryStorage) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}
