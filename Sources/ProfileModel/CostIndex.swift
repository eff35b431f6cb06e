import PprofFormat

/// Flat and cumulative costs per source line and per function, for every sample type of one or
/// more profiles that share their sample types.
///
/// Everything is precomputed when the index is built: a lookup is an array read or a binary
/// search in one file's sorted line table, never a walk over samples.
///
/// Values of sample type `t` for line key `k` live at `k * typeCount + t` in `lineFlat` and
/// `lineCum`; likewise for functions.
public struct CostIndex: Sendable {
    public let sampleTypes: [ValueType]
    public let totals: [Int64]
    public let sampleCount: Int

    /// File names as the index knows them: either as written in the profile, or the workspace
    /// path they were mapped to, depending on how the index was built.
    public let fileNames: [String]
    let fileKeys: [String: Int32]

    /// Per line key: its file key and line number.
    public let lineFile: [Int32]
    public let lineNumber: [Int64]
    let lineFlat: [Int64]
    let lineCum: [Int64]
    /// Per file key: its line keys sorted by line number are `fileLines[fileLineStart[f] ..< fileLineStart[f + 1]]`.
    let fileLineStart: [Int]
    let fileLines: [Int32]

    /// Per function key (one per distinct function name): its name, file key (-1 when it has
    /// none) and start line (0 when the profile does not give one).
    public let functionNames: [String]
    public let functionFile: [Int32]
    public let functionStartLine: [Int64]
    let functionFlat: [Int64]
    let functionCum: [Int64]
    let functionKeys: [String: Int32]
    /// Per function key: the line keys its frames were seen at,
    /// `functionLines[functionLineStart[f] ..< functionLineStart[f + 1]]`.
    let functionLineStart: [Int]
    let functionLines: [Int32]
    /// Per file key: its functions sorted by start line.
    let fileFunctionStart: [Int]
    let fileFunctions: [Int32]

    public var typeCount: Int { sampleTypes.count }
    public var lineCount: Int { lineFile.count }
    public var functionCount: Int { functionNames.count }

    // MARK: Lines

    public func fileKey(_ name: String) -> Int32? { fileKeys[name] }

    /// The line keys of a file, sorted by line number.
    public func lineKeys(inFile file: Int32) -> ArraySlice<Int32> {
        guard file >= 0, Int(file) < fileNames.count else { return [] }
        return fileLines[fileLineStart[Int(file)] ..< fileLineStart[Int(file) + 1]]
    }

    /// The line key of `line` in `file`, found by binary search in the file's line table.
    public func lineKey(file: Int32, line: Int64) -> Int32? {
        let keys = lineKeys(inFile: file)
        var low = keys.startIndex
        var high = keys.endIndex
        while low < high {
            let mid = (low + high) / 2
            let number = lineNumber[Int(keys[mid])]
            if number < line { low = mid + 1 } else { high = mid }
        }
        if low < keys.endIndex, lineNumber[Int(keys[low])] == line { return keys[low] }
        return nil
    }

    public func flat(line key: Int32, type: Int) -> Int64 { lineFlat[Int(key) * typeCount + type] }
    public func cum(line key: Int32, type: Int) -> Int64 { lineCum[Int(key) * typeCount + type] }

    // MARK: Functions

    public func functionKey(_ name: String) -> Int32? { functionKeys[name] }

    public func flat(function key: Int32, type: Int) -> Int64 { functionFlat[Int(key) * typeCount + type] }
    public func cum(function key: Int32, type: Int) -> Int64 { functionCum[Int(key) * typeCount + type] }

    /// The line keys at which the function's frames were seen.
    public func lineKeys(ofFunction key: Int32) -> ArraySlice<Int32> {
        functionLines[functionLineStart[Int(key)] ..< functionLineStart[Int(key) + 1]]
    }

    /// The functions of a file, sorted by start line.
    public func functionKeys(inFile file: Int32) -> ArraySlice<Int32> {
        guard file >= 0, Int(file) < fileNames.count else { return [] }
        return fileFunctions[fileFunctionStart[Int(file)] ..< fileFunctionStart[Int(file) + 1]]
    }
}

extension CostIndex {
    /// The functions with a cost of sample type `type`, hottest first as `pprof -top` sorts
    /// them: by flat, then cum (both descending), then name.
    public func functionsByCost(type: Int) -> [Int32] {
        var keys = (0 ..< Int32(functionCount)).filter { flat(function: $0, type: type) != 0 || cum(function: $0, type: type) != 0 }
        keys.sort { a, b in
            let fa = flat(function: a, type: type), fb = flat(function: b, type: type)
            if fa != fb { return fa > fb }
            let ca = cum(function: a, type: type), cb = cum(function: b, type: type)
            if ca != cb { return ca > cb }
            return functionNames[Int(a)] < functionNames[Int(b)]
        }
        return keys
    }
}
