// Package inventory holds a lock-contended cache.
package inventory

import (
	"fmt"
	"strings"
	"sync"
)

type Store struct {
	mu    sync.Mutex
	items map[string][]string
}

func New() *Store { return &Store{items: map[string][]string{}} }

// Add takes the lock for a long time, on purpose.
1️⃣func (s *Store) Add(key string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		2️⃣s.items[key] = append(s.items[key], fmt.Sprintf("%s-%d", key, i)) // allocates
	}
	if len(s.items[key]) > 5000 {
		s.items[key] = nil
	}
3️⃣}

// Render builds a big string.
func (s *Store) Render(key string) string {
	4️⃣s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, v := range s.items[key] {
		b.WriteString(v) // allocates while growing
		b.WriteByte(',')
	}
	return b.String()
}
