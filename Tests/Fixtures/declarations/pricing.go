package pricing

// Quote prices an order of n items.
func 1️⃣Quote(n int) float64 {
	total := 0.0
	for i := 0; i < n; i++ {
		total += discount(float64(i)) // 2️⃣hot call
	}
	return total
}

func (s *Store) 3️⃣Add(key string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[key] = append(s.items[key], key) // 4️⃣
}
