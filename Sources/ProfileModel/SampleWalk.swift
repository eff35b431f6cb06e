import Dispatch
import PprofFormat

/// The hot loop of indexing: one pass over every frame of every sample, adding each sample's
/// values to the cum of every distinct line and function in its stack and to the flat of its
/// leaf frame.
///
/// It is bound by memory latency (stacks jump between unrelated locations), so the data it
/// touches per frame is packed: each location's frames are adjacent (line key, function key)
/// pairs, and each key's "last counted in sample" stamp is kept in a dense array of its own (see
/// `AccumulatorTable`). Large profiles are split over two threads, each with its own tables.
enum SampleWalk {
    struct Counts {
        /// Per sample type of the profile: the sum of the values, and of their absolute values.
        var totals: [Int64]
        var absoluteTotals: [Int64]
        var lines: AccumulatorTable
        var functions: AccumulatorTable
    }

    /// Walks `samples`. Location `l`'s frames are `frames[2 * frameStart[l] ..< 2 * frameStart[l + 1]]`
    /// as (line, function) pairs; a line of -1 is a frame without a line. The counts are not yet
    /// multiplied by `weight`: `AccumulatorTable.fold` does that, once per key.
    static func run(_ samples: SampleTable, frameStart: [Int32], frames: [Int32], weight: Int64,
                    lineKeyCount: Int, functionKeyCount: Int) -> Counts {
        let perSample = samples.valuesPerSample
        let sampleTotal = samples.count
        let (totals, absoluteTotals) = Self.totals(samples, weight: weight)
        // Two halves of the samples on two threads, each with its own scratch tables; small
        // profiles are not worth a thread.
        let parts = sampleTotal >= 20_000 ? 2 : 1
        let lineWork = (0 ..< parts).map { _ in AccumulatorTable(keys: lineKeyCount, values: perSample, weight: weight) }
        let functionWork = (0 ..< parts).map { _ in AccumulatorTable(keys: functionKeyCount, values: perSample, weight: weight) }
        if perSample > 0, sampleTotal > 0 {
            samples.stacks.withEntries(Parts(samples: samples, frameStart: frameStart, frames: frames,
                                             lines: lineWork, functions: functionWork))
        }
        for part in 1 ..< parts {
            lineWork[0].add(lineWork[part])
            functionWork[0].add(functionWork[part])
        }
        return Counts(totals: totals, absoluteTotals: absoluteTotals, lines: lineWork[0], functions: functionWork[0])
    }

    /// Per sample type: the sum of the values times `weight`, and of their absolute values.
    static func totals(_ samples: SampleTable, weight: Int64) -> (totals: [Int64], absoluteTotals: [Int64]) {
        let perSample = samples.valuesPerSample
        var totals = [Int64](repeating: 0, count: perSample)
        var absoluteTotals = totals
        guard perSample > 0 else { return (totals, absoluteTotals) }
        samples.values.withUnsafeBufferPointer { values in
            for (i, v) in values.enumerated() {
                let t = i % perSample
                let weighted = v &* weight
                totals[t] &+= weighted
                // |Int64.min| does not fit: such a value (from a hostile file) counts as Int64.max.
                absoluteTotals[t] &+= weighted == .min ? .max : (weighted < 0 ? -weighted : weighted)
            }
        }
        return (totals, absoluteTotals)
    }

    /// The walk's parts, each on a thread with its own tables, over stack entries of either width.
    private struct Parts: StackEntriesBody {
        let samples: SampleTable
        let frameStart: [Int32]
        let frames: [Int32]
        let lines: [AccumulatorTable]
        let functions: [AccumulatorTable]

        func run<Entry: FixedWidthInteger & UnsignedInteger>(_ stacks: UnsafeBufferPointer<Entry>) {
            let (perSample, sampleTotal, parts) = (samples.valuesPerSample, samples.count, lines.count)
            samples.values.withUnsafeBufferPointer { values in
            samples.locationStart.withUnsafeBufferPointer { stackStart in
            frameStart.withUnsafeBufferPointer { frameStart in
            frames.withUnsafeBufferPointer { frames in
                let shared = UnsafeWalkInput(values: values, stacks: stacks, stackStart: stackStart,
                                             frameStart: frameStart, frames: frames)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let range = (sampleTotal * part / parts) ..< (sampleTotal * (part + 1) / parts)
                    SampleWalk.walk(samples: range, perSample: perSample, input: shared, lines: lines[part], functions: functions[part])
                }
            }}}}
        }
    }

    private static func walk<Entry: FixedWidthInteger & UnsignedInteger>(
        samples range: Range<Int>, perSample: Int, input: UnsafeWalkInput<Entry>, lines: AccumulatorTable, functions: AccumulatorTable
    ) {
        let stackStart = input.stackStart
        let lineCum = lines.cum
        let lineFlat = lines.flat
        let lineStamp = lines.stamp
        let functionCum = functions.cum
        let functionFlat = functions.flat
        let functionStamp = functions.stamp
        guard let valueBase = input.values.baseAddress, let stackBase = input.stacks.baseAddress,
              let frameBase = input.frames.baseAddress, let frameStartBase = input.frameStart.baseAddress else { return }
        for s in range {
            // Stamps are 32-bit so that they stay in cache; samples are numbered from 1 so that
            // the initial 0 never matches.
            let stamp = UInt32(truncatingIfNeeded: s + 1)
            let value = valueBase + s * perSample
            // The leaf is the first frame of the first location, with or without a line.
            var isLeaf = true
            for position in stackStart[s] ..< stackStart[s + 1] {
                let location = Int(stackBase[position])
                var frame = frameBase + 2 * Int(frameStartBase[location])
                let last = frameBase + 2 * Int(frameStartBase[location + 1])
                while frame < last {
                    let line = Int(frame[0])
                    let function = Int(frame[1])
                    frame += 2
                    if line >= 0, lineStamp[line] != stamp {
                        lineStamp[line] = stamp
                        let slot = lineCum + line &* perSample
                        for t in 0 ..< perSample { slot[t] &+= value[t] }
                    }
                    if functionStamp[function] != stamp {
                        functionStamp[function] = stamp
                        let slot = functionCum + function &* perSample
                        for t in 0 ..< perSample { slot[t] &+= value[t] }
                    }
                    if isLeaf {
                        isLeaf = false
                        for t in 0 ..< perSample {
                            if line >= 0 { lineFlat[line &* perSample + t] &+= value[t] }
                            functionFlat[function &* perSample + t] &+= value[t]
                        }
                    }
                }
            }
        }
    }
}

/// The read-only arrays of one pass over samples, shared by the threads of `SampleWalk.run`.
/// They are only read while `run` keeps the arrays alive, so sharing them is safe.
private struct UnsafeWalkInput<Entry: FixedWidthInteger & UnsignedInteger>: @unchecked Sendable {
    let values: UnsafeBufferPointer<Int64>
    let stacks: UnsafeBufferPointer<Entry>
    let stackStart: UnsafeBufferPointer<Int>
    let frameStart: UnsafeBufferPointer<Int32>
    let frames: UnsafeBufferPointer<Int32>
}

/// Scratch accumulators for one pass over samples: per key its cum and flat values, and a
/// 32-bit stamp (the last sample that counted the key for cum) kept apart so that the stamps,
/// which every frame reads, stay in cache.
final class AccumulatorTable: @unchecked Sendable {
    let keys: Int
    let values: Int
    /// What every count is multiplied by when it is folded into the index.
    let weight: Int64
    let cum: UnsafeMutablePointer<Int64>
    let flat: UnsafeMutablePointer<Int64>
    let stamp: UnsafeMutablePointer<UInt32>

    init(keys: Int, values: Int, weight: Int64) {
        self.keys = keys
        self.values = values
        self.weight = weight
        let count = max(keys * values, 1)
        cum = .allocate(capacity: count)
        cum.initialize(repeating: 0, count: count)
        flat = .allocate(capacity: count)
        flat.initialize(repeating: 0, count: count)
        stamp = .allocate(capacity: max(keys, 1))
        stamp.initialize(repeating: 0, count: max(keys, 1))
    }

    deinit {
        cum.deallocate()
        flat.deallocate()
        stamp.deallocate()
    }

    /// Adds another part's counts (same keys and values) into these.
    func add(_ other: AccumulatorTable) {
        for i in 0 ..< keys * values {
            cum[i] &+= other.cum[i]
            flat[i] &+= other.flat[i]
        }
    }

    /// Adds these counts, times `weight`, into the builder's arrays, laid out by the union's
    /// sample types.
    func fold(into flatOut: inout [Int64], _ cumOut: inout [Int64], typeCount: Int, typeMap: [Int]) {
        for k in 0 ..< keys {
            for t in 0 ..< values {
                cumOut[k * typeCount + typeMap[t]] &+= cum[k * values + t] &* weight
                flatOut[k * typeCount + typeMap[t]] &+= flat[k * values + t] &* weight
            }
        }
    }
}
