// Package cache keeps a ring of buffers; a delta heap profile of it has both signs.
package cache

type Ring struct{ bufs [][]byte }

func alloc(n int) []byte {
	return make([]byte, n) // -4kB since the base
}

// Put stores a buffer. Its line 12 allocates as a leaf (+4kB) and calls alloc (-4kB): flat 4kB, cum 0.
func (r *Ring) Put(n int) {
	r.bufs = append(r.bufs, alloc(n))
}

func Grow(n int) [][]byte {
	return make([][]byte, n) // +1.5MB
}

func Shrink(r *Ring) {
	r.bufs = append([][]byte(nil), r.bufs[:1]...) // -2MB: freed since the base
}

func Churn(n int) ([]byte, []byte) {
	a := make([]byte, n) // +12kB
	b := make([]byte, n) // -12kB: the function nets to 0
	return a, b
}

func Evict(r *Ring) {
	r.bufs = r.bufs[1:] // -40kB
}

func Render(n int) string {
	return string(make([]byte, n)) // +40kB
}
