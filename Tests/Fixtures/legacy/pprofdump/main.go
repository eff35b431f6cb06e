// pprofdump prints what google/pprof's parser (profile.ParseData: protobuf, then the legacy
// formats) makes of each file, before go tool pprof's driver merges or prunes anything. Its
// package is copied from the Go installation by make_expected.sh; it is not vendored here.
package main

import (
	"fmt"
	"os"
	"strings"

	"pprofdump/profile"
)

func main() {
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		dump(data)
	}
}

func dump(data []byte) {
	p, err := profile.ParseData(data)
	if err != nil {
		// The first line of the error only: the test checks that ProfileLens fails too.
		fmt.Println("ERROR", strings.SplitN(err.Error(), "\n", 2)[0])
		return
	}
	fmt.Printf("types:")
	for _, t := range p.SampleType {
		fmt.Printf(" %s/%s", t.Type, t.Unit)
	}
	fmt.Println()
	if p.PeriodType != nil {
		fmt.Printf("period: %s/%s %d\n", p.PeriodType.Type, p.PeriodType.Unit, p.Period)
	} else {
		fmt.Printf("period: nil %d\n", p.Period)
	}
	fmt.Printf("duration: %d\n", p.DurationNanos)
	fmt.Printf("drop: %q\nkeep: %q\n", p.DropFrames, p.KeepFrames)
	for _, c := range p.Comments {
		fmt.Printf("comment: %q\n", c)
	}
	for _, m := range p.Mapping {
		fmt.Printf("mapping %d: %#x %#x %#x %q %q\n", m.ID, m.Start, m.Limit, m.Offset, m.File, m.BuildID)
	}
	for _, f := range p.Function {
		fmt.Printf("function %d: %q %q %q\n", f.ID, f.Name, f.SystemName, f.Filename)
	}
	for _, l := range p.Location {
		mapping := uint64(0)
		if l.Mapping != nil {
			mapping = l.Mapping.ID
		}
		fmt.Printf("location %d: %#x m=%d", l.ID, l.Address, mapping)
		for _, ln := range l.Line {
			fmt.Printf(" f=%d:%d", ln.Function.ID, ln.Line)
		}
		fmt.Println()
	}
	for _, s := range p.Sample {
		fmt.Printf("sample %v @", s.Value)
		for _, l := range s.Location {
			fmt.Printf(" %d", l.ID)
		}
		if b, ok := s.NumLabel["bytes"]; ok {
			fmt.Printf(" bytes=%v", b)
		}
		fmt.Println()
	}
}
