import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a `GzipInflater` on another thread, a few chunks ahead of the decoder.
///
/// zlib inflates a large profile about as fast as the decoder parses it, so doing both at once
/// on two cores nearly halves the time to load it. At most `chunkCount` chunks are in flight,
/// so memory stays bounded however large the profile is; the decompression cap is enforced by
/// the inner inflater as before.
final class PipelinedInflater: ByteProducer, @unchecked Sendable {
    private struct Chunk {
        var buffer: UnsafeMutablePointer<UInt8>
        var count = 0
    }

    private enum Slot {
        case data(Int)
        case end
        case failure(DecodeError)
    }

    private let inner: GzipInflater
    private let chunkSize: Int
    private var chunks: [Chunk]
    // Chunk indices move from `free` to `ready` (worker) and back (decoder); the semaphores
    // count them, and the mutex guards the two queues.
    private let queues = Mutex<(free: [Int], ready: [Slot])>(([], []))
    private let freeCount: DispatchSemaphore
    private let readyCount = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)
    private var current: (index: Int, offset: Int, count: Int)?
    private var ended = false
    private var started = false

    init(_ inner: GzipInflater, chunkSize: Int = 1 << 20, chunkCount: Int = 4) {
        self.inner = inner
        self.chunkSize = chunkSize
        chunks = (0 ..< chunkCount).map { _ in Chunk(buffer: .allocate(capacity: chunkSize)) }
        // libdispatch traps when a semaphore is freed below its initial value, so every
        // semaphore starts at zero and the free chunks are signalled in.
        freeCount = DispatchSemaphore(value: 0)
        queues.withLock { $0.free = Array(0 ..< chunkCount) }
        for _ in 0 ..< chunkCount { freeCount.signal() }
    }

    deinit {
        stop()
        for chunk in chunks { chunk.buffer.deallocate() }
    }

    /// Stops the worker and waits for it, so that it never touches the compressed bytes after
    /// the decoder has returned. Safe to call more than once.
    func stop() {
        guard started else { return }
        started = false
        cancelled.store(true, ordering: .relaxed)
        freeCount.signal()
        finished.wait()
    }

    private func start() {
        started = true
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            defer { finished.signal() }
            while true {
                freeCount.wait()
                if cancelled.load(ordering: .relaxed) { return }
                guard let index = queues.withLock({ $0.free.popLast() }) else { return }
                var filled = 0
                var slot: Slot
                do throws(DecodeError) {
                    while filled < chunkSize {
                        let n = try inner.produce(into: chunks[index].buffer + filled, capacity: chunkSize - filled)
                        if n == 0 { break }
                        filled += n
                    }
                    chunks[index].count = filled
                    slot = filled > 0 ? .data(index) : .end
                } catch {
                    slot = .failure(error)
                }
                let last: Bool
                if case .data = slot { last = false } else { last = true }
                if case .data = slot {} else { queues.withLock { $0.free.append(index) } }
                queues.withLock { $0.ready.append(slot) }
                readyCount.signal()
                if last { return }
            }
        }
    }

    func produce(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(DecodeError) -> Int {
        if ended || capacity == 0 { return 0 }
        if !started { start() }
        if current == nil {
            readyCount.wait()
            let slot = queues.withLock { $0.ready.removeFirst() }
            switch slot {
            case .data(let index): current = (index, 0, chunks[index].count)
            case .end:
                ended = true
                return 0
            case .failure(let error):
                ended = true
                throw error
            }
        }
        guard let (index, offset, count) = current else { return 0 }
        let n = min(capacity, count - offset)
        destination.update(from: chunks[index].buffer + offset, count: n)
        if offset + n == count {
            current = nil
            queues.withLock { $0.free.append(index) }
            freeCount.signal()
        } else {
            current = (index, offset + n, count)
        }
        return n
    }
}
