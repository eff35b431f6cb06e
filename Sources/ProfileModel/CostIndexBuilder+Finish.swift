import PprofFormat

extension CostIndexBuilder {
    /// The index: keys grouped and sorted for lookups by file, line and function.
    func finish(sampleTypes: [ValueType], rowFrames: [CostIndex.RowFrames] = []) -> CostIndex {
        let fileCount = fileNames.count
        let functionCount = functions.count

        // Per-file line tables: line keys grouped by file, sorted by line number.
        let lineFiles = lineFile, lineNumbers = lineNumber
        let (fileLineStart, fileLines) = Self.group(count: lineFiles.count, into: fileCount, bucket: { lineFiles[$0] },
                                                    order: { lineNumbers[$0] }, key: LineKey.init)

        // Per-function line lists, from the distinct pairs; none in an index of functions only.
        var pairs = functionLinePairs
        pairs.sort()
        var functionLineStart = pairs.isEmpty ? [] : [Int](repeating: 0, count: functionCount + 1)
        var functionLines: [LineKey] = []
        functionLines.reserveCapacity(pairs.count)
        var previous: UInt64?
        for pair in pairs where pair != previous {
            previous = pair
            functionLineStart[Int(pair >> 32) + 1] += 1
            functionLines.append(LineKey(Int32(bitPattern: UInt32(truncatingIfNeeded: pair))))
        }
        if !pairs.isEmpty {
            for f in 0 ..< functionCount { functionLineStart[f + 1] += functionLineStart[f] }
        }
        pairs = []

        // Per-file function lists, sorted by start line (or first seen line when none is given).
        // Plain loops over local arrays: a closure that reads the builder's arrays copies the
        // builder, once per function.
        var anchor = functionStartLine
        let lineFile = self.lineFile, lineNumber = self.lineNumber, functionFile = self.functionFile
        for f in 0 ..< functionCount where anchor[f] <= 0 {
            var first: Int64?
            let lines = functionLineStart.isEmpty ? [] : functionLines[functionLineStart[f] ..< functionLineStart[f + 1]]
            for line in lines where lineFile[line.index] == functionFile[f] {
                first = min(first ?? .max, lineNumber[line.index])
            }
            anchor[f] = first ?? 0
        }
        let (fileFunctionStart, fileFunctions) = Self.group(count: functionCount, into: fileCount, bucket: { functionFile[$0] },
                                                            order: { anchor[$0] }, key: FunctionKey.init)

        let rowValues = rows.values(typeCount: sampleTypes.count)
        let rowTable = rowsDiffer ? CostIndex.RowTable(keys: rows.keys, flat: rowValues.flat, cum: rowValues.cum) : nil
        let functionValues = functions.values(typeCount: sampleTypes.count)
        return CostIndex(sampleTypes: sampleTypes, totals: totals, absoluteTotals: absoluteTotals,
                         baselineAbsoluteTotals: baselineAbsoluteTotals, sampleCount: sampleCount,
                         fileNames: fileNames, fileKeys: fileKeys.mapValues(FileKey.init),
                         lineFile: lineFile.map(FileKey.init), lineNumbers: lineNumber, lineFlat: lineFlat, lineCum: lineCum,
                         fileLineStart: fileLineStart, fileLines: fileLines,
                         functionIdentities: functions.identities,
                         functionFile: functionFile,
                         functionStartLine: functionStartLine, functionFlat: functionValues.flat, functionCum: functionValues.cum,
                         functionKeys: functions.keys, functionLineStart: functionLineStart,
                         functionLines: functionLines,
                         fileFunctionStart: fileFunctionStart, fileFunctions: fileFunctions,
                         rowTable: rowTable, rowFrames: rowFrames)
    }

    /// Groups `0 ..< count` into `bucketCount` buckets (a counting sort), each sorted by `order`
    /// and then by number, as keys made by `key`. Items whose bucket is negative are left out.
    /// The items are sorted as numbers, 4 bytes each, not as (order, number) pairs: this runs
    /// when the whole index is in memory, at the build's peak.
    static func group<Key>(count: Int, into bucketCount: Int, bucket: (Int) -> Int32, order: (Int) -> Int64,
                           key: (Int32) -> Key) -> ([Int], [Key]) {
        var start = [Int](repeating: 0, count: bucketCount + 1)
        for i in 0 ..< count {
            let b = bucket(i)
            if b >= 0 { start[Int(b) + 1] += 1 }
        }
        for b in 0 ..< bucketCount { start[b + 1] += start[b] }
        var next = start
        var items = [Int32](repeating: 0, count: start[bucketCount])
        for i in 0 ..< count {
            let b = bucket(i)
            guard b >= 0 else { continue }
            items[next[Int(b)]] = Int32(i)
            next[Int(b)] += 1
        }
        for b in 0 ..< bucketCount where start[b + 1] - start[b] > 1 {
            items[start[b] ..< start[b + 1]].sort { x, y in
                let ox = order(Int(x)), oy = order(Int(y))
                return ox != oy ? ox < oy : x < y
            }
        }
        return (start, items.map(key))
    }
}
