// Package pricing is CPU heavy on purpose.
package pricing

import "math"

// Quote prices an order of n items.
1️⃣func Quote(n int) float64 {
	total := 0.0
	for i := 0; i < n; i++ {
		2️⃣total += discount(float64(i)) // hot call
	}
	return total + tax(total)
}

3️⃣func discount(x float64) float64 {
	s := 0.0
	for k := 1; k < 200; k++ {
		4️⃣s += math.Sin(x/float64(k)) * math.Sqrt(float64(k)) // hottest line
	}
	return s
}

5️⃣func tax(x float64) float64 { return x * 0.2 }

// Checksum is small and gets inlined into callers.
func Checksum(b []byte) uint32 {
	var h uint32 = 2166136261
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}
