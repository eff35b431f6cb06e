// heapgen writes a real Go heap profile whose stacks share long prefixes, the way a real
// program's calls do: every allocation is reached through a path of up to 12 calls among 12
// functions, chosen by the digits of a number, so the stacks form a wide call tree. With
// the default -n it has about 60,000 samples. Used by Benchmarks/bench_floor.py.
//
//	go run ./Benchmarks/heapgen -o heap.pb.gz [-n 100000]
package main

import (
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
)

var (
	kept  [][]byte
	spare []byte
)

//go:noinline
func leaf(path uint32) {
	b := make([]byte, 16+int(path%5)*16)
	if path%3 == 0 {
		kept = append(kept, b)
	} else {
		spare = b
	}
}

func step(path uint32, depth int) {
	if depth == 0 {
		leaf(path)
		return
	}
	switch path % 12 {
	case 0:
		f0(path/12, depth-1)
	case 1:
		f1(path/12, depth-1)
	case 2:
		f2(path/12, depth-1)
	case 3:
		f3(path/12, depth-1)
	case 4:
		f4(path/12, depth-1)
	case 5:
		f5(path/12, depth-1)
	case 6:
		f6(path/12, depth-1)
	case 7:
		f7(path/12, depth-1)
	case 8:
		f8(path/12, depth-1)
	case 9:
		f9(path/12, depth-1)
	case 10:
		f10(path/12, depth-1)
	case 11:
		f11(path/12, depth-1)
	}
}

//go:noinline
func f0(path uint32, depth int) { step(path, depth) }

//go:noinline
func f1(path uint32, depth int) { step(path, depth) }

//go:noinline
func f2(path uint32, depth int) { step(path, depth) }

//go:noinline
func f3(path uint32, depth int) { step(path, depth) }

//go:noinline
func f4(path uint32, depth int) { step(path, depth) }

//go:noinline
func f5(path uint32, depth int) { step(path, depth) }

//go:noinline
func f6(path uint32, depth int) { step(path, depth) }

//go:noinline
func f7(path uint32, depth int) { step(path, depth) }

//go:noinline
func f8(path uint32, depth int) { step(path, depth) }

//go:noinline
func f9(path uint32, depth int) { step(path, depth) }

//go:noinline
func f10(path uint32, depth int) { step(path, depth) }

//go:noinline
func f11(path uint32, depth int) { step(path, depth) }

func main() {
	out := flag.String("o", "heap.pb.gz", "where to write the heap profile")
	n := flag.Int("n", 100000, "how many call paths to allocate through")
	flag.Parse()
	runtime.MemProfileRate = 1
	// A few dozen hot call paths take most allocations, and each branches out below a shared
	// prefix of six calls, as a program's hot paths do. xorshift: the same paths every run.
	x := uint32(2463534242)
	next := func() uint32 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return x
	}
	const six = 12 * 12 * 12 * 12 * 12 * 12
	var hot [48]uint32
	for i := range hot {
		hot[i] = next() % six
	}
	for i := 0; i < *n; i++ {
		r := next()
		path := hot[r%uint32(len(hot))] + six*(next()%2000)
		step(path, 6+int(r>>28)%7)
	}
	runtime.GC()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
