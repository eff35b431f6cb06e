package main

import "example.com/deltaapp/cache"

func main() {
	r := &cache.Ring{}
	r.Put(4096)
	r.Put(4096)
	cache.Shrink(r)
	_ = cache.Grow(1 << 16)
	cache.Churn(12288)
	cache.Evict(r)
	_ = cache.Render(40960)
}
