import Dispatch
import PprofFormat

extension CostIndex {
    /// Builds the index of one or more profiles, summing their values.
    ///
    /// The sample types of the result are the union of the profiles' sample types (matched by
    /// type and unit, in order of first appearance); a profile adds nothing to a type it lacks.
    /// `fileIdentity` names each source file as the index should know it: the profile's own
    /// name (the identity function), or the workspace file it maps to, so that two spellings of
    /// one file become one file and a sample that passes through both counts once.
    ///
    /// Semantics, per sample and per sample type:
    /// - flat(line) adds the sample's value when the line is the sample's leaf frame: the first
    ///   line (innermost inlined frame) of the first location that has lines.
    /// - cum(line) adds the value once when the line appears anywhere in the stack, however
    ///   often it recurs. Functions likewise, keyed by name.
    public static func build(_ profiles: [Profile], fileIdentity: (String) -> String = { $0 }) -> CostIndex {
        var types: [ValueType] = []
        var typeIndex: [ValueType: Int] = [:]
        for profile in profiles {
            for type in profile.sampleTypes where typeIndex[type] == nil {
                typeIndex[type] = types.count
                types.append(type)
            }
        }
        var builder = Builder(typeCount: types.count)
        for profile in profiles {
            let typeMap = profile.sampleTypes.map { typeIndex[$0] ?? 0 }
            builder.add(profile, typeMap: typeMap, fileIdentity: fileIdentity)
        }
        return builder.finish(sampleTypes: types)
    }
}

/// The mutable state of `CostIndex.build`.
private struct Builder {
    let typeCount: Int
    var totals: [Int64]
    var sampleCount = 0

    var fileNames: [String] = []
    var fileKeys: [String: Int32] = [:]

    var lineKeys: [LineID: Int32] = [:]
    var lineFile: [Int32] = []
    var lineNumber: [Int64] = []
    var lineFlat: [Int64] = []
    var lineCum: [Int64] = []

    var functionNames: [String] = []
    var functionKeys: [String: Int32] = [:]
    var functionFile: [Int32] = []
    var functionStartLine: [Int64] = []
    var functionFlat: [Int64] = []
    var functionCum: [Int64] = []
    /// (function key, line key) pairs, packed into one integer; sorted and made unique at the end.
    var functionLinePairs: [UInt64] = []

    struct LineID: Hashable {
        var file: Int32
        var line: Int64
    }

    init(typeCount: Int) {
        self.typeCount = typeCount
        totals = [Int64](repeating: 0, count: typeCount)
    }

    mutating func fileKey(_ name: String) -> Int32 {
        if let key = fileKeys[name] { return key }
        let key = Int32(fileNames.count)
        fileNames.append(name)
        fileKeys[name] = key
        return key
    }

    mutating func functionKey(_ name: String, file: Int32, startLine: Int64) -> Int32 {
        if let key = functionKeys[name] {
            // The first definition gives the file; a later one may supply a missing start line.
            if functionStartLine[Int(key)] == 0 && startLine != 0 && functionFile[Int(key)] == file {
                functionStartLine[Int(key)] = startLine
            }
            if functionFile[Int(key)] < 0 && file >= 0 {
                functionFile[Int(key)] = file
                functionStartLine[Int(key)] = startLine
            }
            return key
        }
        let key = Int32(functionNames.count)
        functionNames.append(name)
        functionKeys[name] = key
        functionFile.append(file)
        functionStartLine.append(startLine)
        functionFlat.append(contentsOf: repeatElement(0, count: typeCount))
        functionCum.append(contentsOf: repeatElement(0, count: typeCount))
        return key
    }

    mutating func lineKey(file: Int32, line: Int64) -> Int32 {
        let id = LineID(file: file, line: line)
        if let key = lineKeys[id] { return key }
        let key = Int32(lineFile.count)
        lineKeys[id] = key
        lineFile.append(file)
        lineNumber.append(line)
        lineFlat.append(contentsOf: repeatElement(0, count: typeCount))
        lineCum.append(contentsOf: repeatElement(0, count: typeCount))
        return key
    }

    mutating func add(_ profile: Profile, typeMap: [Int], fileIdentity: (String) -> String) {
        let strings = profile.strings
        let functions = profile.functions
        let locations = profile.locations

        // Keys for every function of the profile; a file name string maps to its key once.
        var fileKeyOfString = [Int32](repeating: -1, count: strings.count)
        var fileOfFunction = [Int32](repeating: -1, count: functions.count)
        var keyOfFunction = [Int32](repeating: -1, count: functions.count)
        for f in 0 ..< functions.count {
            let nameIndex = Int(functions.filename[f])
            var file = fileKeyOfString[nameIndex]
            if file < 0 {
                file = fileKey(fileIdentity(strings[nameIndex]))
                fileKeyOfString[nameIndex] = file
            }
            fileOfFunction[f] = file
            keyOfFunction[f] = functionKey(strings[Int(functions.name[f])], file: file, startLine: functions.startLine[f])
        }
        // A line that names no function (or a missing one) has an empty file and function name.
        var unknownFile: Int32 = -1
        var unknownFunction: Int32 = -1

        // Keys for every line of every location.
        let entryCount = locations.lineFunction.count
        var entryLine = [Int32](repeating: 0, count: entryCount)
        var entryFunction = [Int32](repeating: 0, count: entryCount)
        for e in 0 ..< entryCount {
            let f = Int(locations.lineFunction[e])
            let file: Int32
            let function: Int32
            if f >= 0 {
                file = fileOfFunction[f]
                function = keyOfFunction[f]
            } else {
                if unknownFile < 0 { unknownFile = fileKey(fileIdentity("")) }
                if unknownFunction < 0 { unknownFunction = functionKey("", file: -1, startLine: 0) }
                file = unknownFile
                function = unknownFunction
            }
            let line = lineKey(file: file, line: locations.lineNumber[e])
            entryLine[e] = line
            entryFunction[e] = function
            functionLinePairs.append(UInt64(UInt32(bitPattern: function)) << 32 | UInt64(UInt32(bitPattern: line)))
        }

        accumulate(profile.samples, lineStart: locations.lineStart, entryLine: entryLine,
                   entryFunction: entryFunction, typeMap: typeMap)
    }

    /// The hot loop: one pass over every frame of every sample.
    ///
    /// It is bound by memory latency (stacks jump between unrelated locations), so the data it
    /// touches per frame is packed: each location's frames are adjacent (line key, function key)
    /// pairs, and each key's "last counted in sample" stamp is kept in a dense array of its own
    /// (see `AccumulatorTable`). The work buffers use the profile's own sample types; they are
    /// folded into the union's types once at the end.
    private mutating func accumulate(_ samples: SampleTable, lineStart: [Int], entryLine: [Int32],
                                     entryFunction: [Int32], typeMap: [Int]) {
        let perSample = samples.valuesPerSample
        let sampleTotal = samples.count
        sampleCount += sampleTotal
        guard perSample > 0, sampleTotal > 0 else { return }

        // Frames of location L: pairs at frames[2 * frameStart[L] ..< 2 * frameStart[L + 1]].
        var frames = [Int32](repeating: 0, count: entryLine.count * 2)
        for e in 0 ..< entryLine.count {
            frames[2 * e] = entryLine[e]
            frames[2 * e + 1] = entryFunction[e]
        }
        let frameStart = lineStart.map { Int32(truncatingIfNeeded: $0) }

        // Two halves of the samples on two threads, each with its own scratch tables; small
        // profiles are not worth a thread.
        let parts = sampleTotal >= 20_000 ? 2 : 1
        let lineWork = (0 ..< parts).map { _ in AccumulatorTable(keys: lineFile.count, values: perSample) }
        let functionWork = (0 ..< parts).map { _ in AccumulatorTable(keys: functionNames.count, values: perSample) }
        samples.values.withUnsafeBufferPointer { values in
        samples.locationIndices.withUnsafeBufferPointer { stacks in
        samples.locationStart.withUnsafeBufferPointer { stackStart in
        frameStart.withUnsafeBufferPointer { frameStart in
        frames.withUnsafeBufferPointer { frames in
            let shared = UnsafeWalkInput(values: values, stacks: stacks, stackStart: stackStart,
                                         frameStart: frameStart, frames: frames)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let range = (sampleTotal * part / parts) ..< (sampleTotal * (part + 1) / parts)
                Self.walk(samples: range, perSample: perSample, input: shared,
                          lines: lineWork[part], functions: functionWork[part])
            }
        }}}}}
        for t in 0 ..< perSample {
            var total: Int64 = 0
            for s in 0 ..< sampleTotal { total &+= samples.values[s * perSample + t] }
            totals[typeMap[t]] &+= total
        }
        for part in 0 ..< parts {
            lineWork[part].fold(into: &lineFlat, &lineCum, typeCount: typeCount, typeMap: typeMap)
            functionWork[part].fold(into: &functionFlat, &functionCum, typeCount: typeCount, typeMap: typeMap)
        }
    }

    private static func walk(samples range: Range<Int>, perSample: Int, input: UnsafeWalkInput,
                             lines: AccumulatorTable, functions: AccumulatorTable) {
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
            var isLeaf = true
            for position in stackStart[s] ..< stackStart[s + 1] {
                let location = Int(stackBase[position])
                var frame = frameBase + 2 * Int(frameStartBase[location])
                let last = frameBase + 2 * Int(frameStartBase[location + 1])
                while frame < last {
                    let line = Int(frame[0])
                    let function = Int(frame[1])
                    frame += 2
                    if lineStamp[line] != stamp {
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
                            lineFlat[line &* perSample + t] &+= value[t]
                            functionFlat[function &* perSample + t] &+= value[t]
                        }
                    }
                }
            }
        }
    }

    func finish(sampleTypes: [ValueType]) -> CostIndex {
        let fileCount = fileNames.count

        // Per-file line tables: line keys grouped by file, sorted by line number.
        let (fileLineStart, fileLines) = Self.group(count: lineFile.count, into: fileCount,
                                                    bucket: { lineFile[$0] }, order: { lineNumber[$0] })

        // Per-function line lists, from the distinct pairs.
        var pairs = functionLinePairs
        pairs.sort()
        pairs = pairs.enumerated().filter { $0.offset == 0 || pairs[$0.offset - 1] != $0.element }.map(\.element)
        var functionLineStart = [Int](repeating: 0, count: functionNames.count + 1)
        var functionLines: [Int32] = []
        functionLines.reserveCapacity(pairs.count)
        for pair in pairs {
            functionLineStart[Int(pair >> 32) + 1] += 1
            functionLines.append(Int32(bitPattern: UInt32(truncatingIfNeeded: pair)))
        }
        for f in 0 ..< functionNames.count { functionLineStart[f + 1] += functionLineStart[f] }

        // Per-file function lists, sorted by start line (or first seen line when none is given).
        var anchor = functionStartLine
        for f in 0 ..< functionNames.count where anchor[f] <= 0 {
            let lines = functionLines[functionLineStart[f] ..< functionLineStart[f + 1]]
            anchor[f] = lines.lazy.filter { lineFile[Int($0)] == functionFile[f] }.map { lineNumber[Int($0)] }.min() ?? 0
        }
        let (fileFunctionStart, fileFunctions) = Self.group(count: functionNames.count, into: fileCount,
                                                            bucket: { functionFile[$0] }, order: { anchor[$0] })

        return CostIndex(sampleTypes: sampleTypes, totals: totals, sampleCount: sampleCount,
                         fileNames: fileNames, fileKeys: fileKeys.mapValues(FileKey.init),
                         lineFile: lineFile.map(FileKey.init), lineNumbers: lineNumber, lineFlat: lineFlat, lineCum: lineCum,
                         fileLineStart: fileLineStart, fileLines: fileLines.map(LineKey.init),
                         functionNames: functionNames, functionFile: functionFile.map { $0 >= 0 ? FileKey($0) : nil },
                         functionStartLine: functionStartLine, functionFlat: functionFlat, functionCum: functionCum,
                         functionKeys: functionKeys.mapValues(FunctionKey.init), functionLineStart: functionLineStart,
                         functionLines: functionLines.map(LineKey.init),
                         fileFunctionStart: fileFunctionStart, fileFunctions: fileFunctions.map(FunctionKey.init))
    }

    /// Groups `0 ..< count` into `bucketCount` buckets (a counting sort), each sorted by `order`.
    /// Items whose bucket is negative are left out.
    private static func group(count: Int, into bucketCount: Int, bucket: (Int) -> Int32,
                              order: (Int) -> Int64) -> ([Int], [Int32]) {
        let buckets = (0 ..< count).map(bucket)
        var start = [Int](repeating: 0, count: bucketCount + 1)
        for b in buckets where b >= 0 { start[Int(b) + 1] += 1 }
        for b in 0 ..< bucketCount { start[b + 1] += start[b] }
        var next = start
        // Each bucket is filled with (order, item) packed pairs, then sorted as plain integers.
        var keyed = [(Int64, Int32)](repeating: (0, 0), count: start[bucketCount])
        for i in 0 ..< count where buckets[i] >= 0 {
            let b = Int(buckets[i])
            keyed[next[b]] = (order(i), Int32(i))
            next[b] += 1
        }
        for b in 0 ..< bucketCount where start[b + 1] - start[b] > 1 {
            keyed[start[b] ..< start[b + 1]].sort { $0 < $1 }
        }
        return (start, keyed.map(\.1))
    }
}

/// The read-only arrays of one pass over samples, shared by the threads of `accumulate`.
/// They are only read while `accumulate` keeps the arrays alive, so sharing them is safe.
private struct UnsafeWalkInput: @unchecked Sendable {
    let values: UnsafeBufferPointer<Int64>
    let stacks: UnsafeBufferPointer<UInt32>
    let stackStart: UnsafeBufferPointer<Int>
    let frameStart: UnsafeBufferPointer<Int32>
    let frames: UnsafeBufferPointer<Int32>
}

/// Scratch accumulators for one pass over samples: per key its cum and flat values, and a
/// 32-bit stamp (the last sample that counted the key for cum) kept apart so that the stamps,
/// which every frame reads, stay in cache.
private final class AccumulatorTable: @unchecked Sendable {
    let keys: Int
    let values: Int
    let cum: UnsafeMutablePointer<Int64>
    let flat: UnsafeMutablePointer<Int64>
    let stamp: UnsafeMutablePointer<UInt32>

    init(keys: Int, values: Int) {
        self.keys = keys
        self.values = values
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

    /// Adds these values into the builder's arrays, laid out by the union's sample types.
    func fold(into flatOut: inout [Int64], _ cumOut: inout [Int64], typeCount: Int, typeMap: [Int]) {
        for k in 0 ..< keys {
            for t in 0 ..< values {
                cumOut[k * typeCount + typeMap[t]] &+= cum[k * values + t]
                flatOut[k * typeCount + typeMap[t]] &+= flat[k * values + t]
            }
        }
    }
}
