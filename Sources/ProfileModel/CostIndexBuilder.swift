import PprofFormat

extension CostIndex {
    /// Builds the index of one or more profiles, summing their values (each multiplied by its
    /// profile's `weight`: -1 subtracts a baseline, as pprof's `-diff_base` does).
    ///
    /// The sample types of the result are the union of the profiles' sample types (matched by
    /// type and unit, in order of first appearance); a profile adds nothing to a type it lacks.
    /// `fileIdentity` names each source file as the index should know it: the profile's own
    /// name (the identity function), or the workspace file it maps to, so that two spellings of
    /// one file become one file and a sample that passes through both counts once.
    ///
    /// Semantics, per sample and per sample type (google/pprof's, and the corpus oracle's):
    /// - flat(line) adds the sample's value when the line is the sample's leaf frame: the first
    ///   line (innermost inlined frame) of the first location. When that location has no lines,
    ///   no line gets the flat; its binary's `[name]` function does (`FunctionIdentity`).
    /// - cum(line) adds the value once when the line appears anywhere in the stack, however
    ///   often it recurs. Functions likewise, by `FunctionIdentity`.
    public static func build(_ profiles: [Profile], weights: [Int64]? = nil, detail: Detail = .lines,
                             fileIdentity: (String) -> String = { $0 }) -> CostIndex {
        var types: [ValueType] = []
        var typeIndex: [ValueType: Int] = [:]
        for profile in profiles {
            for type in profile.sampleTypes where typeIndex[type] == nil {
                typeIndex[type] = types.count
                types.append(type)
            }
        }
        var builder = CostIndexBuilder(typeCount: types.count)
        // Keys first, for every profile, so that the walks know whether any frame is renamed.
        let framed = profiles.map { builder.frames(of: $0, withLines: detail == .lines, fileIdentity: fileIdentity) }
        var rowFrames: [RowFrames] = []
        for (i, profile) in profiles.enumerated() {
            let typeMap = profile.sampleTypes.map { typeIndex[$0] ?? 0 }
            let rows = builder.walk(profile, framed[i], typeMap: typeMap, weight: weights?[i] ?? 1, withLines: detail == .lines)
            if detail == .functions { rowFrames.append(rows) }
        }
        return builder.finish(sampleTypes: types, rowFrames: rowFrames)
    }

    /// How much an index holds.
    public enum Detail: Sendable {
        /// Lines and functions: what the editor, `list` and `lines` need.
        case lines
        /// Functions only, and each location's rows for `InlineMarkers`: what `top` needs, at a
        /// fraction of the cost (a profile has several times more lines than functions).
        case functions
    }

    /// A profile's locations as `top`'s rows: location `l`'s rows, innermost first, are
    /// `rows[frameStart[l] ..< frameStart[l + 1]]`.
    struct RowFrames: Sendable {
        let frameStart: [Int32]
        let rows: [Int32]
    }
}

/// The mutable state of `CostIndex.build`: the key tables, filled profile by profile.
struct CostIndexBuilder {
    let typeCount: Int
    var totals: [Int64]
    var absoluteTotals: [Int64]
    /// The absolute totals of the profiles added with a negative weight: a comparison's baseline.
    var baselineAbsoluteTotals: [Int64]
    var sampleCount = 0

    var fileNames: [String] = []
    var fileKeys: [String: Int32] = [:]

    var lineKeys: [LineID: Int32] = [:]
    var lineFile: [Int32] = []
    var lineNumber: [Int64] = []
    var lineFlat: [Int64] = []
    var lineCum: [Int64] = []

    var functions = KeyedTotals()
    var functionFile: [Int32] = []
    var functionStartLine: [Int64] = []
    /// (function key, line key) pairs, packed into one integer; sorted and made unique at the end.
    var functionLinePairs: [UInt64] = []

    /// pprof's rows, by the name pprof shows; built only when some frame's name differs from its
    /// function's (a demangled C++ or Rust name), since otherwise the functions are the rows.
    var rows = KeyedTotals()
    var rowsDiffer = false

    struct LineID: Hashable {
        var file: Int32
        var line: Int64
    }

    init(typeCount: Int) {
        self.typeCount = typeCount
        totals = [Int64](repeating: 0, count: typeCount)
        absoluteTotals = totals
        baselineAbsoluteTotals = totals
    }

    mutating func fileKey(_ name: String) -> Int32 {
        if let key = fileKeys[name] { return key }
        let key = Int32(fileNames.count)
        fileNames.append(name)
        fileKeys[name] = key
        return key
    }

    mutating func functionKey(_ identity: FunctionIdentity, file: Int32, startLine: Int64) -> Int32 {
        let (key, isNew) = functions.key(identity, typeCount: typeCount)
        if isNew {
            functionFile.append(file)
            functionStartLine.append(startLine)
            return key
        }
        // The first definition gives the file; a later one may supply a missing start line.
        let k = Int(key)
        if functionStartLine[k] == 0 && startLine != 0 && functionFile[k] == file {
            functionStartLine[k] = startLine
        }
        if functionFile[k] < 0 && file >= 0 {
            functionFile[k] = file
            functionStartLine[k] = startLine
        }
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

    /// A profile's frames: location `l`'s are `frameStart[l] ..< frameStart[l + 1]`, each a
    /// (line key, function key) pair in `frames` (line -1 for a location without lines).
    struct Frames {
        var frameStart: [Int32]
        var frames: [Int32]
        /// Frames whose row (pprof's name) is not their function: frame index and row identity.
        var renamed: [Int: FunctionIdentity]
    }

    /// Gives every frame of the profile its line and function keys. Each location has at least
    /// one frame: its lines, or one frame for the location itself.
    mutating func frames(of profile: Profile, withLines: Bool, fileIdentity: (String) -> String) -> Frames {
        let strings = profile.strings
        let functionTable = profile.functions
        let locations = profile.locations

        // A file name string maps to its key once.
        var fileKeyOfString = [Int32](repeating: -1, count: strings.count)
        func file(ofFunction f: Int) -> Int32 {
            let nameIndex = Int(functionTable.filename[f])
            if fileKeyOfString[nameIndex] < 0 { fileKeyOfString[nameIndex] = fileKey(fileIdentity(strings[nameIndex])) }
            return fileKeyOfString[nameIndex]
        }
        var unknownFile: Int32 = -1

        let locationCount = locations.count
        var frameStart = [Int32](repeating: 0, count: locationCount + 1)
        for l in 0 ..< locationCount {
            frameStart[l + 1] = frameStart[l] + Int32(max(locations.lines(of: l).count, 1))
        }
        var frames = [Int32](repeating: -1, count: Int(frameStart[locationCount]) * 2)
        var renamed: [Int: FunctionIdentity] = [:]
        functions.reserve(functions.count + functionTable.count, typeCount: typeCount)
        functionFile.reserveCapacity(functions.count + functionTable.count)
        functionStartLine.reserveCapacity(functions.count + functionTable.count)
        let naming = FrameNaming(profile)
        // Keys are worked out once per function, and once per (binary, start line) for frames
        // without a name: hashing a name per location line would cost more than the walk.
        var keyOfFunction = [Int32](repeating: -1, count: functionTable.count)
        var unsymbolizedKeys: [FrameNaming.Unsymbolized: Int32] = [:]
        func key(function f: Int, location l: Int, fileKey: Int32) -> Int32 {
            if f >= 0, naming.hasName(f) {
                if keyOfFunction[f] < 0 {
                    keyOfFunction[f] = functionKey(.named(naming.name(f)), file: fileKey, startLine: functionTable.startLine[f])
                }
                return keyOfFunction[f]
            }
            let unsymbolized = FrameNaming.Unsymbolized(mapping: locations.mapping[l], startLine: f >= 0 ? functionTable.startLine[f] : 0)
            if let key = unsymbolizedKeys[unsymbolized] { return key }
            let key = functionKey(naming.identity(unsymbolized), file: -1, startLine: 0)
            unsymbolizedKeys[unsymbolized] = key
            return key
        }
        for l in 0 ..< locationCount {
            var frame = Int(frameStart[l])
            let lines = locations.lines(of: l)
            if lines.isEmpty {
                frames[2 * frame + 1] = key(function: -1, location: l, fileKey: -1)
                continue
            }
            for e in lines {
                let f = Int(locations.lineFunction[e])
                if !withLines, f >= 0, keyOfFunction[f] >= 0, !naming.isRenamed(f) {
                    // A function already keyed, and no line to key: the common case.
                    frames[2 * frame + 1] = keyOfFunction[f]
                    frame += 1
                    continue
                }
                let fileKey: Int32
                if f >= 0 {
                    fileKey = file(ofFunction: f)
                } else {
                    if unknownFile < 0 { unknownFile = self.fileKey(fileIdentity("")) }
                    fileKey = unknownFile
                }
                let function = key(function: f, location: l, fileKey: fileKey)
                frames[2 * frame + 1] = function
                if f >= 0, naming.isRenamed(f) { renamed[frame] = naming.rowIdentity(function: f, location: l) }
                if withLines {
                    let line = lineKey(file: fileKey, line: locations.lineNumber[e])
                    frames[2 * frame] = line
                    functionLinePairs.append(UInt64(UInt32(bitPattern: function)) << 32 | UInt64(UInt32(bitPattern: line)))
                }
                frame += 1
            }
        }
        if !renamed.isEmpty { rowsDiffer = true }
        return Frames(frameStart: frameStart, frames: frames, renamed: renamed)
    }

    /// Adds the profile's samples, multiplied by `weight`. Returns the profile's locations as
    /// rows (`CostIndex.RowFrames`). Without lines, only functions are counted, by `FunctionWalk`.
    mutating func walk(_ profile: Profile, _ framed: Frames, typeMap: [Int], weight: Int64, withLines: Bool) -> CostIndex.RowFrames {
        var totals: [Int64]
        var absoluteTotals: [Int64]
        if withLines {
            let counted = SampleWalk.run(profile.samples, frameStart: framed.frameStart, frames: framed.frames, weight: weight,
                                         lineKeyCount: lineFile.count, functionKeyCount: functions.count)
            counted.lines.fold(into: &lineFlat, &lineCum, typeCount: typeCount, typeMap: typeMap)
            functions.makeFull(typeCount: typeCount)
            counted.functions.fold(into: &functions.flat, &functions.cum, typeCount: typeCount, typeMap: typeMap)
            (totals, absoluteTotals) = (counted.totals, counted.absoluteTotals)
        } else {
            (totals, absoluteTotals) = SampleWalk.totals(profile.samples, weight: weight)
            let keys = FunctionWalk.LocationKeys(frameStart: framed.frameStart, frames: framed.frames)
            let counts = FunctionWalk.run(profile.samples, keys: keys, keyCount: functions.count, weight: weight)
            functions.add(counts, typeCount: typeCount, typeMap: typeMap)
        }
        sampleCount += profile.samples.count
        for t in 0 ..< typeMap.count {
            self.totals[typeMap[t]] &+= totals[t]
            self.absoluteTotals[typeMap[t]] &+= absoluteTotals[t]
            if weight < 0 { baselineAbsoluteTotals[typeMap[t]] &+= absoluteTotals[t] }
        }
        let functionRows = stride(from: 1, to: framed.frames.count, by: 2).map { framed.frames[$0] }
        guard rowsDiffer else {
            return CostIndex.RowFrames(frameStart: framed.frameStart, rows: functionRows)
        }
        // pprof renames some frames (demangled names), so its rows are not the functions: count
        // them on their own, functions only, with the renamed frames' own keys.
        var rowFrames = [Int32](repeating: -1, count: framed.frames.count)
        for frame in 0 ..< rowFrames.count / 2 {
            let identity = framed.renamed[frame] ?? functions.identities[Int(functionRows[frame])]
            rowFrames[2 * frame + 1] = rows.key(identity, typeCount: typeCount).key
        }
        let keys = FunctionWalk.LocationKeys(frameStart: framed.frameStart, frames: rowFrames)
        let counts = FunctionWalk.run(profile.samples, keys: keys, keyCount: rows.count, weight: weight)
        rows.add(counts, typeCount: typeCount, typeMap: typeMap)
        return CostIndex.RowFrames(frameStart: framed.frameStart, rows: stride(from: 1, to: rowFrames.count, by: 2).map { rowFrames[$0] })
    }
}
