import PprofFormat

extension CostIndexBuilder {
    /// The index: keys grouped and sorted for lookups by file, line and function.
    func finish(sampleTypes: [ValueType], rowFrames: [CostIndex.RowFrames] = []) -> CostIndex {
        let fileCount = fileNames.count
        let functionCount = functions.count

        // Per-file line tables: line keys grouped by file, sorted by line number.
        let lineFiles = lineFile, lineNumbers = lineNumber
        let (fileLineStart, fileLines) = Self.group(count: lineFiles.count, into: fileCount,
                                                    bucket: { lineFiles[$0] }, order: { lineNumbers[$0] })

        // Per-function line lists, from the distinct pairs.
        var pairs = functionLinePairs
        pairs.sort()
        var functionLineStart = [Int](repeating: 0, count: functionCount + 1)
        var functionLines: [LineKey] = []
        functionLines.reserveCapacity(pairs.count)
        var previous: UInt64?
        for pair in pairs where pair != previous {
            previous = pair
            functionLineStart[Int(pair >> 32) + 1] += 1
            functionLines.append(LineKey(Int32(bitPattern: UInt32(truncatingIfNeeded: pair))))
        }
        for f in 0 ..< functionCount { functionLineStart[f + 1] += functionLineStart[f] }

        // Per-file function lists, sorted by start line (or first seen line when none is given).
        // Plain loops over local arrays: a closure that reads the builder's arrays copies the
        // builder, once per function.
        var anchor = functionStartLine
        let lineFile = self.lineFile, lineNumber = self.lineNumber, functionFile = self.functionFile
        for f in 0 ..< functionCount where anchor[f] <= 0 {
            var first: Int64?
            for line in functionLines[functionLineStart[f] ..< functionLineStart[f + 1]] where lineFile[line.index] == functionFile[f] {
                first = min(first ?? .max, lineNumber[line.index])
            }
            anchor[f] = first ?? 0
        }
        let (fileFunctionStart, fileFunctions) = Self.group(count: functionCount, into: fileCount,
                                                            bucket: { functionFile[$0] }, order: { anchor[$0] })

        let rowTable = rowsDiffer ? CostIndex.RowTable(keys: rows.keys, flat: rows.flat, cum: rows.cum) : nil
        return CostIndex(sampleTypes: sampleTypes, totals: totals, absoluteTotals: absoluteTotals,
                         baselineAbsoluteTotals: baselineAbsoluteTotals, sampleCount: sampleCount,
                         fileNames: fileNames, fileKeys: fileKeys.mapValues(FileKey.init),
                         lineFile: lineFile.map(FileKey.init), lineNumbers: lineNumber, lineFlat: lineFlat, lineCum: lineCum,
                         fileLineStart: fileLineStart, fileLines: fileLines.map(LineKey.init),
                         functionIdentities: functions.identities,
                         functionFile: functionFile.map { $0 >= 0 ? FileKey($0) : nil },
                         functionStartLine: functionStartLine, functionFlat: functions.flat, functionCum: functions.cum,
                         functionKeys: functions.keys, functionLineStart: functionLineStart,
                         functionLines: functionLines,
                         fileFunctionStart: fileFunctionStart, fileFunctions: fileFunctions.map(FunctionKey.init),
                         rowTable: rowTable, rowFrames: rowFrames)
    }

    /// Groups `0 ..< count` into `bucketCount` buckets (a counting sort), each sorted by `order`.
    /// Items whose bucket is negative are left out.
    static func group(count: Int, into bucketCount: Int, bucket: (Int) -> Int32,
                      order: (Int) -> Int64) -> ([Int], [Int32]) {
        let buckets = (0 ..< count).map(bucket)
        var start = [Int](repeating: 0, count: bucketCount + 1)
        for b in buckets where b >= 0 { start[Int(b) + 1] += 1 }
        for b in 0 ..< bucketCount { start[b + 1] += start[b] }
        var next = start
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
