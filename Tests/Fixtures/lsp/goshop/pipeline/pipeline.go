// Package pipeline blocks on channels on purpose.
package pipeline

import "time"

// Run pushes jobs through a slow consumer.
func Run(jobs int) int {
	ch := make(chan int)
	done := make(chan int)
	go consume(ch, done)
	for i := 0; i < jobs; i++ {
		1️⃣ch <- i // blocks: consumer is slow
	}
	close(ch)
	2️⃣return <-done
}

func consume(ch chan int, done chan int) {
	sum := 0
	3️⃣for v := range ch {
		time.Sleep(20 * time.Microsecond)
		sum += v
	}
	done <- sum
}
