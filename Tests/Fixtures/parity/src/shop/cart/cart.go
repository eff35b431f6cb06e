// Package cart prices a shopping cart.
package cart

type item struct {
	price, qty float64
}

// Total is the price of n items with tax.
func Total(n int) float64 {
	sum := 0.0
	for _, it := range lineItems(n) {
		sum += it.price * it.qty
	}
	sum += Tax(sum)
	return sum * 1.0001
}

func lineItems(n int) []item {
	items := make([]item, 0, 16)
	for i := 0; i < n; i++ {
		price := float64(i%7) + 0.99
		items = append(items, item{price: price, qty: float64(1 + i%3)})
	}
	return items
}
