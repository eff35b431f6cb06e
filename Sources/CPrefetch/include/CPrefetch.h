// Cache prefetch hints for the index walk, which Swift does not expose.
#ifndef PROFILELENS_CPREFETCH_H
#define PROFILELENS_CPREFETCH_H

/// Asks the CPU to bring the cache line at `address` in ahead of a read; never faults.
static inline void profilelens_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// The same ahead of a write.
static inline void profilelens_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
