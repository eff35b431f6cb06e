import CPrefetch
import Dispatch
import PprofFormat
import Synchronization

/// The walk of an index without lines (`top`'s): per sample, the cum of every distinct function
/// of its stack and the flat of its leaf's function.
///
/// Each location's distinct functions are listed once, in one 64-bit entry for nearly all of
/// them (inlined frames of one function count once anyway), so a frame costs a read of its
/// location's entry and, per key, of the key's stamp and sum. Stacks jump between unrelated
/// locations, so every one of those reads is at random: large tables are prefetched a few dozen
/// frames ahead. Profiles of many samples are split over two threads, each with its own tables.
enum FunctionWalk {
    /// Per location, its distinct keys in frame order, the first being the key of the
    /// location's first (innermost) frame, where the leaf's flat goes. A location with one or
    /// two keys (nearly all of them) holds them in its entry, so that a frame costs one read
    /// there: the first in the low 32 bits, the second (or -1) in the high ones. One with more
    /// holds `~start` in the low bits, and `overflow[start]` is the count, the keys after it.
    struct LocationKeys {
        var entries: [UInt64]
        var overflow: [Int32]

        /// From frames as `CostIndexBuilder.Frames` lays them out: (line, key) pairs.
        init(frameStart: [Int32], frames: [Int32]) {
            let locationCount = max(frameStart.count - 1, 0)
            var entries = [UInt64](repeating: 0, count: locationCount)
            var overflow: [Int32] = []
            var keys: [Int32] = []
            for l in 0 ..< locationCount {
                keys.removeAll(keepingCapacity: true)
                for frame in Int(frameStart[l]) ..< Int(frameStart[l + 1]) {
                    let key = frames[2 * frame + 1]
                    // A location has a handful of frames: a linear check beats any set.
                    if !keys.contains(key) { keys.append(key) }
                }
                if keys.count <= 2 {
                    entries[l] = Self.entry(keys[0], keys.count == 2 ? keys[1] : -1)
                } else {
                    entries[l] = Self.entry(~Int32(overflow.count), -1)
                    overflow.append(Int32(keys.count))
                    overflow.append(contentsOf: keys)
                }
            }
            self.entries = entries
            self.overflow = overflow
        }

        static func entry(_ low: Int32, _ high: Int32) -> UInt64 {
            UInt64(UInt32(bitPattern: low)) | UInt64(UInt32(bitPattern: high)) << 32
        }
    }

    /// Walks `samples` (whose location indices `keys` describe) into counts of `keyCount` keys.
    /// The counts are not yet multiplied by `weight`: `KeyCounts.fold` does that.
    static func run(_ samples: SampleTable, keys: LocationKeys, keyCount: Int, weight: Int64) -> KeyCounts {
        let perSample = samples.valuesPerSample
        let sampleTotal = samples.count
        // When every sample's values are its first value times the same ratios (a CPU
        // profile's count and nanoseconds), only the first is counted: half the table to keep
        // in the cache.
        let ratios = samples.values.withUnsafeBufferPointer { proportionalRatios($0, perSample: perSample) }
        let counted = ratios == nil ? perSample : 1
        // Two halves on two threads only when there is enough work to pay for the thread and
        // the second table.
        let parts = sampleTotal >= 100_000 ? 2 : 1
        let tables = (0 ..< parts).map { _ in
            KeyCounts(keys: keyCount, values: perSample, counted: counted, ratios: ratios, weight: weight)
        }
        guard perSample > 0, sampleTotal > 0, keyCount > 0 else { return tables[0] }
        samples.stacks.withEntries(Parts(samples: samples, keys: keys, tables: tables))
        for part in 1 ..< parts { tables[0].add(tables[part]) }
        return tables[0]
    }

    /// Per value, its ratio to the first value, when every sample's values are its first value
    /// times these ratios (exactly, in wrapping arithmetic); nil when they are not.
    static func proportionalRatios(_ values: UnsafeBufferPointer<Int64>, perSample: Int) -> [Int64]? {
        guard perSample > 1, !values.isEmpty else { return nil }
        var ratios: [Int64]?
        var s = 0
        while s + perSample <= values.count {
            let first = values[s]
            if first == 0 {
                for t in 1 ..< perSample where values[s + t] != 0 { return nil }
            } else {
                if ratios == nil {
                    var found = [Int64](repeating: 1, count: perSample)
                    for t in 1 ..< perSample {
                        let (ratio, overflow) = values[s + t].dividedReportingOverflow(by: first)
                        guard !overflow else { return nil }
                        found[t] = ratio
                    }
                    ratios = found
                }
                for t in 1 ..< perSample where values[s + t] != first &* ratios![t] { return nil }
            }
            s += perSample
        }
        return ratios
    }

    /// The walk's parts, one per table, over stack entries of either width.
    private struct Parts: StackEntriesBody {
        let samples: SampleTable
        let keys: LocationKeys
        let tables: [KeyCounts]

        func run<Entry: FixedWidthInteger & UnsignedInteger>(_ stacks: UnsafeBufferPointer<Entry>) {
            let (perSample, sampleTotal, parts) = (samples.valuesPerSample, samples.count, tables.count)
            samples.values.withUnsafeBufferPointer { values in
            samples.locationStart.withUnsafeBufferPointer { stackStart in
            keys.entries.withUnsafeBufferPointer { entries in
            keys.overflow.withUnsafeBufferPointer { overflow in
                let input = Input(values: values, stacks: stacks, stackStart: stackStart, entries: entries, overflow: overflow)
                if parts == 1 {
                    FunctionWalk.walk(0 ..< sampleTotal, perSample: perSample, input: input, into: tables[0])
                } else {
                    // The samples in 64 chunks that each thread takes in turn: on a busy machine
                    // one thread may get half a core, and fixed halves would wait for it.
                    let chunks = 64
                    let next = ChunkCounter()
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        while let chunk = next.take(below: chunks) {
                            let range = (sampleTotal * chunk / chunks) ..< (sampleTotal * (chunk + 1) / chunks)
                            FunctionWalk.walk(range, perSample: perSample, input: input, into: tables[part])
                        }
                    }
                }
            }}}}
        }
    }

    /// The read-only arrays of the walk, shared by its threads while `run` keeps them alive.
    private struct Input<Entry: FixedWidthInteger & UnsignedInteger>: @unchecked Sendable {
        let values: UnsafeBufferPointer<Int64>
        let stacks: UnsafeBufferPointer<Entry>
        let stackStart: UnsafeBufferPointer<Int>
        let entries: UnsafeBufferPointer<UInt64>
        let overflow: UnsafeBufferPointer<Int32>
    }

    private static func walk<Entry>(_ range: Range<Int>, perSample: Int, input: Input<Entry>, into table: KeyCounts) {
        // Prefetching pays only when the tables outgrow the cache; for a few thousand locations
        // it is instructions for nothing. Two copies of the loop, one without.
        if input.entries.count >= 16_384 {
            walk(range, perSample: perSample, input: input, into: table, prefetching: true)
        } else {
            walk(range, perSample: perSample, input: input, into: table, prefetching: false)
        }
    }

    @inline(__always)
    private static func walk<Entry>(_ range: Range<Int>, perSample: Int, input: Input<Entry>, into table: KeyCounts,
                                    prefetching: Bool) {
        guard let valueBase = input.values.baseAddress, let stackBase = input.stacks.baseAddress,
              let entries = input.entries.baseAddress, let stackStart = input.stackStart.baseAddress,
              !range.isEmpty else { return }
        let overflow = input.overflow.baseAddress ?? UnsafePointer(bitPattern: 8)!
        let stamps = table.stamps
        let counted = table.counted
        let cum = table.cum
        let flat = table.flat
        // Every frame reads a location's entry, then its keys' stamps and cum, all at random:
        // the walk waits on memory. So the entries are asked for `entryAhead` frames ahead, and
        // the first key's stamp and cum `keyAhead` frames ahead (its entry has arrived by then).
        let entryAhead = 40
        let keyAhead = 20
        let lastPosition = stackStart[range.upperBound]
        var stamp = table.stamp
        defer { table.stamp = stamp }
        for s in range {
            let first = stackStart[s]
            let end = stackStart[s + 1]
            guard first < end else { continue }
            // 16-bit stamps (the last sample that counted each key) keep the table small enough
            // for the cache; they start again from 1, the table cleared, every 65,535 samples.
            if stamp == .max {
                stamps.update(repeating: 0, count: table.keys)
                stamp = 0
            }
            stamp &+= 1
            let value = valueBase + s &* perSample
            // Decoding checked every location index.
            let leafEntry = Int32(truncatingIfNeeded: entries[Int(stackBase[first])])
            let leaf = Int(leafEntry >= 0 ? leafEntry : overflow[Int(~leafEntry) &+ 1])
            add(value, to: flat + leaf &* counted, count: counted)
            @inline(__always) func count(_ key: Int) {
                if stamps[key] != stamp {
                    stamps[key] = stamp
                    add(value, to: cum + key &* counted, count: counted)
                }
            }
            for position in first ..< end {
                if prefetching, position &+ entryAhead < lastPosition {
                    profilelens_prefetch(entries + Int(stackBase[position &+ entryAhead]))
                }
                if prefetching, position &+ keyAhead < lastPosition {
                    let aheadEntry = entries[Int(stackBase[position &+ keyAhead])]
                    let ahead = Int32(truncatingIfNeeded: aheadEntry)
                    if ahead >= 0 {
                        profilelens_prefetch(stamps + Int(ahead))
                        profilelens_prefetch(cum + Int(ahead) &* counted)
                        let second = Int32(truncatingIfNeeded: aheadEntry >> 32)
                        if second >= 0 {
                            profilelens_prefetch(stamps + Int(second))
                            profilelens_prefetch(cum + Int(second) &* counted)
                        }
                    }
                }
                let entry = entries[Int(stackBase[position])]
                let low = Int32(truncatingIfNeeded: entry)
                if low >= 0 {
                    count(Int(low))
                    let high = Int32(truncatingIfNeeded: entry >> 32)
                    if high >= 0 { count(Int(high)) }
                } else {
                    var k = Int(~low)
                    let last = k &+ 1 &+ Int(overflow[k])
                    k &+= 1
                    while k < last {
                        count(Int(overflow[k]))
                        k &+= 1
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func add(_ value: UnsafePointer<Int64>, to slot: UnsafeMutablePointer<Int64>, count: Int) {
        switch count {
        case 1:
            slot[0] &+= value[0]
        case 2:
            slot[0] &+= value[0]
            slot[1] &+= value[1]
        default:
            for t in 0 ..< count { slot[t] &+= value[t] }
        }
    }
}

/// The counts of one `FunctionWalk` thread: per key, a 16-bit stamp (the last sample that
/// counted it for cum) in a table of its own, small enough to stay in the cache, and its cum
/// and flat values: all `values` of the profile, or only the first when the others are it
/// times `ratios`.
final class KeyCounts: @unchecked Sendable {
    let keys: Int
    let values: Int
    /// How many values are counted per key: `values`, or 1 with `ratios`.
    let counted: Int
    let ratios: [Int64]?
    /// What every count is multiplied by when it is folded into the index.
    let weight: Int64
    let stamps: UnsafeMutablePointer<UInt16>
    /// The stamp of the last sample counted: the walk of the next chunk goes on from it.
    var stamp: UInt16 = 0
    let cum: UnsafeMutablePointer<Int64>
    let flat: UnsafeMutablePointer<Int64>

    init(keys: Int, values: Int, counted: Int, ratios: [Int64]?, weight: Int64) {
        self.keys = keys
        self.values = values
        self.counted = counted
        self.ratios = ratios
        self.weight = weight
        stamps = .allocate(capacity: max(keys, 1))
        stamps.initialize(repeating: 0, count: max(keys, 1))
        let count = max(keys * counted, 1)
        cum = .allocate(capacity: count)
        cum.initialize(repeating: 0, count: count)
        flat = .allocate(capacity: count)
        flat.initialize(repeating: 0, count: count)
    }

    deinit {
        stamps.deallocate()
        cum.deallocate()
        flat.deallocate()
    }

    /// Adds another thread's counts (same layout) into these.
    func add(_ other: KeyCounts) {
        for i in 0 ..< keys * counted {
            cum[i] &+= other.cum[i]
            flat[i] &+= other.flat[i]
        }
    }

    /// Adds these counts of the first value (counted alone: `ratios`), times `weight`, into one
    /// value per key.
    func foldFirstColumn(into flatOut: inout [Int64], _ cumOut: inout [Int64]) {
        for k in 0 ..< keys {
            cumOut[k] &+= cum[k] &* weight
            flatOut[k] &+= flat[k] &* weight
        }
    }

    /// Adds these counts, times `weight`, into the builder's arrays, laid out by the union's
    /// sample types.
    func fold(into flatOut: inout [Int64], _ cumOut: inout [Int64], typeCount: Int, typeMap: [Int]) {
        for k in 0 ..< keys {
            for t in 0 ..< values {
                let (c, f): (Int64, Int64)
                if let ratios {
                    c = cum[k] &* ratios[t]
                    f = flat[k] &* ratios[t]
                } else {
                    c = cum[k * values + t]
                    f = flat[k * values + t]
                }
                cumOut[k * typeCount + typeMap[t]] &+= c &* weight
                flatOut[k * typeCount + typeMap[t]] &+= f &* weight
            }
        }
    }
}

/// Hands out chunk numbers to the threads of a walk, each once.
final class ChunkCounter: Sendable {
    private let next = Mutex<Int>(0)

    func take(below count: Int) -> Int? {
        next.withLock { value in
            guard value < count else { return nil }
            value += 1
            return value - 1
        }
    }
}
