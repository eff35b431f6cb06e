#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sliding window over the uncompressed bytes of a profile.
///
/// For a raw protobuf file the window is simply the whole file. For a gzip file it is a buffer
/// that the inflater refills as the decoder consumes it, so memory stays proportional to the
/// largest single top-level field, not to the whole profile. It grows only as real bytes arrive,
/// so a field that claims to be huge costs nothing until its bytes exist.
final class InputWindow {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private let ownsStorage: Bool
    private let producer: ByteProducer?
    private var exhausted: Bool
    /// Valid bytes are `storage[start ..< end]`.
    private var start = 0
    private var end = 0
    /// The absolute offset of `storage[0]` in the uncompressed profile.
    private var baseOffset = 0

    /// A window over bytes that are all in memory already; it does not copy them.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        storage = UnsafeMutablePointer(mutating: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
        capacity = bytes.count
        end = bytes.count
        ownsStorage = false
        producer = nil
        exhausted = true
    }

    /// A window that pulls its bytes from `producer`, starting with `initialCapacity` bytes.
    init(producer: ByteProducer, initialCapacity: Int) {
        capacity = max(initialCapacity, 64)
        storage = .allocate(capacity: capacity)
        ownsStorage = true
        self.producer = producer
        exhausted = false
    }

    deinit {
        if ownsStorage { storage.deallocate() }
    }

    var available: Int { end - start }
    /// The absolute offset of the next unread byte.
    var offset: Int { baseOffset + start }

    /// The unread bytes.
    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage + start, count: available)
    }

    func consume(_ count: Int) {
        start += min(count, available)
    }

    /// Makes at least `count` bytes available, unless the input ends first.
    func fill(atLeast count: Int) throws(DecodeError) {
        while available < count, !exhausted, let producer {
            if end == capacity {
                if start > 0 {
                    compact()
                } else {
                    grow(to: max(capacity * 2, 1 << 16))
                }
            } else if start > capacity / 2 {
                // Keep refills large: little room is left at the tail.
                compact()
            }
            let produced = try producer.produce(into: storage + end, capacity: capacity - end)
            if produced == 0 {
                exhausted = true
            }
            end += produced
        }
    }

    /// Consumes `count` bytes without keeping them, streaming past fields nobody reads.
    func discard(_ count: Int) throws(DecodeError) {
        var left = count
        while left > 0 {
            if available == 0 {
                try fill(atLeast: 1)
                if available == 0 { throw DecodeError("truncated profile: a field runs \(left) bytes past the end", at: offset) }
            }
            let step = min(left, available)
            start += step
            left -= step
        }
    }

    private func compact() {
        let count = available
        if count > 0 { memmove(storage, storage + start, count) }
        baseOffset += start
        start = 0
        end = count
    }

    private func grow(to newCapacity: Int) {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: storage + start, count: available)
        storage.deallocate()
        storage = bigger
        baseOffset += start
        end = available
        start = 0
        capacity = newCapacity
    }
}
