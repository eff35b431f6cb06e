import Dispatch
import PprofFormat

/// The walk of an index without lines (`top`'s): per sample, the cum of every distinct function
/// of its stack and the flat of its leaf's function.
///
/// Each location's functions are listed once (inlined frames of one function count once
/// anyway), so a frame costs one read of its key and one of the key's stamp; the tables it
/// touches (a stamp and the cum per function) stay in the cache even for tens of thousands of
/// functions. Profiles of many samples are split over two threads, each with its own tables.
enum FunctionWalk {
    /// Per location, its distinct keys in frame order: `keys[start[l] ..< start[l + 1]]`. The
    /// first is the key of the location's first (innermost) frame: the leaf's flat goes there.
    struct LocationKeys {
        var start: [Int32]
        var keys: [Int32]

        /// From frames as `CostIndexBuilder.Frames` lays them out: (line, key) pairs.
        init(frameStart: [Int32], frames: [Int32]) {
            let locationCount = frameStart.count - 1
            var start = [Int32](repeating: 0, count: locationCount + 1)
            var keys: [Int32] = []
            keys.reserveCapacity(frames.count / 2)
            for l in 0 ..< max(locationCount, 0) {
                let first = keys.count
                for frame in Int(frameStart[l]) ..< Int(frameStart[l + 1]) {
                    let key = frames[2 * frame + 1]
                    // A location has a handful of frames: a linear check beats any set.
                    if !keys[first...].contains(key) { keys.append(key) }
                }
                start[l + 1] = Int32(keys.count)
            }
            self.start = start
            self.keys = keys
        }
    }

    /// Walks `samples` (whose location indices `keys` describe) into a table of `keyCount` keys.
    /// The counts are not yet multiplied by `weight`: `AccumulatorTable.fold` does that.
    static func run(_ samples: SampleTable, keys: LocationKeys, keyCount: Int, weight: Int64) -> AccumulatorTable {
        let perSample = samples.valuesPerSample
        let sampleTotal = samples.count
        // Two halves on two threads only when there is enough work to pay for the thread and
        // the second table.
        let parts = sampleTotal >= 100_000 ? 2 : 1
        let tables = (0 ..< parts).map { _ in AccumulatorTable(keys: keyCount, values: perSample, weight: weight) }
        guard perSample > 0, sampleTotal > 0, keyCount > 0 else { return tables[0] }
        samples.values.withUnsafeBufferPointer { values in
        samples.locationIndices.withUnsafeBufferPointer { stacks in
        samples.locationStart.withUnsafeBufferPointer { stackStart in
        keys.start.withUnsafeBufferPointer { keyStart in
        keys.keys.withUnsafeBufferPointer { keyList in
            let input = Input(values: values, stacks: stacks, stackStart: stackStart, keyStart: keyStart, keys: keyList,
                              locationCount: keyStart.count - 1)
            if parts == 1 {
                walk(0 ..< sampleTotal, perSample: perSample, input: input, into: tables[0])
            } else {
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let range = (sampleTotal * part / parts) ..< (sampleTotal * (part + 1) / parts)
                    walk(range, perSample: perSample, input: input, into: tables[part])
                }
            }
        }}}}}
        for part in 1 ..< parts { tables[0].add(tables[part]) }
        return tables[0]
    }

    /// The read-only arrays of the walk, shared by its threads while `run` keeps them alive.
    private struct Input: @unchecked Sendable {
        let values: UnsafeBufferPointer<Int64>
        let stacks: UnsafeBufferPointer<UInt32>
        let stackStart: UnsafeBufferPointer<Int>
        let keyStart: UnsafeBufferPointer<Int32>
        let keys: UnsafeBufferPointer<Int32>
        let locationCount: Int
    }

    private static func walk(_ range: Range<Int>, perSample: Int, input: Input, into table: AccumulatorTable) {
        guard let valueBase = input.values.baseAddress, let stackBase = input.stacks.baseAddress,
              let keyStart = input.keyStart.baseAddress, let keys = input.keys.baseAddress,
              let stackStart = input.stackStart.baseAddress else { return }
        let cum = table.cum
        let flat = table.flat
        let stampOf = table.stamp
        for s in range {
            let first = stackStart[s]
            let end = stackStart[s + 1]
            guard first < end else { continue }
            // Stamps are numbered from 1 so that the initial 0 never matches.
            let stamp = UInt32(truncatingIfNeeded: s &+ 1)
            let value = valueBase + s &* perSample
            // Decoding checked every location index.
            let leaf = Int(keys[Int(keyStart[Int(stackBase[first])])])
            add(value, to: flat + leaf &* perSample, count: perSample)
            for position in first ..< end {
                let location = Int(stackBase[position])
                var k = Int(keyStart[location])
                let last = Int(keyStart[location &+ 1])
                while k < last {
                    let key = Int(keys[k])
                    k &+= 1
                    if stampOf[key] != stamp {
                        stampOf[key] = stamp
                        add(value, to: cum + key &* perSample, count: perSample)
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
