/* clockapp: reads the clock through the vDSO and hashes a buffer. */
#include <stdint.h>
#include <time.h>
#include "fast.h"

static uint64_t checksum;

static uint64_t clock_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* runs in the [vdso]: the [vdso] frame is the leaf */
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t compute(uint64_t x) {
    for (int i = 0; i < 1000; i++) x = x * 6364136223846793005u + 1; /* a symbolized leaf */
    return x;
}

int main(void) {
    uint64_t t = clock_now();
    checksum = compute(t);
    checksum ^= hash_block(&checksum, sizeof checksum);
    return (int)(checksum & 1);
}

uint64_t hash_block(const void *p, unsigned long n) {
    (void)p;
    (void)n;
    /* the stripped libfast.so does the work */
    return fast_hash(p, n);
}
