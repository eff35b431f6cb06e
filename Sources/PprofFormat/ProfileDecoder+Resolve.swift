/// Resolution: after the last field, every raw id and string index becomes an array index,
/// checked once, in the order pprof's `postDecode` and `CheckValid` take them. Each step consumes
/// the raw arrays it reads, so peak memory does not hold two copies of the big ones.
extension ProfileDecoder {
    /// Resolves every id and string index, repairing what can be repaired (with a warning) and
    /// rejecting what cannot.
    mutating func finish(warnings: inout [String]) throws(DecodeError) -> Profile {
        try checkCounts()
        try checkSampleValues()
        var strings = resolveStrings(&warnings)
        var profile = Profile()
        resolveHeader(into: &profile, &strings)
        renameRepeatedSampleTypes(&profile, &warnings)
        let mappingTable = resolveMappings(into: &profile, &strings, &warnings)
        let functionTable = resolveFunctions(into: &profile, &strings, &warnings)
        let locationTable = resolveLocations(into: &profile, mappings: mappingTable, functions: functionTable, &warnings)
        resolveSamples(into: &profile, locations: locationTable, &strings, &warnings)
        if strings.outOfRange > 0 {
            warnings.append("\(strings.outOfRange) string indices are outside the \(strings.table.count)-entry string table; read as \"\"")
        }
        profile.strings = strings.table
        return profile
    }

    /// Indices are stored in 32 bits.
    private func checkCounts() throws(DecodeError) {
        guard locationIDs.count < Int(Int32.max), functionIDs.count < Int(Int32.max), mappings.count < Int(Int32.max),
              lineFunctionIDs.count < Int(Int32.max) else {
            throw DecodeError("more than 2^31 locations, location lines, functions or mappings")
        }
    }

    /// Every sample must have one value per sample type: there is no sensible repair, since we
    /// could not tell which value belongs to which type.
    private mutating func checkSampleValues() throws(DecodeError) {
        let valuesPerSample = sampleTypes.count
        guard firstSampleValueCount >= 0 else { return }
        // The first sample whose count is not the declared one: the first sample, or the first
        // that differs from it.
        if firstSampleValueCount != valuesPerSample {
            throw DecodeError("sample 0 has \(firstSampleValueCount) values, but the profile declares \(valuesPerSample) sample types")
        }
        if oddSample >= 0 {
            throw DecodeError("sample \(oddSample) has \(oddSampleValueCount) values, but the profile declares \(valuesPerSample) sample types")
        }
    }

    /// The string table, first: everything else refers to it.
    private mutating func resolveStrings(_ warnings: inout [String]) -> StringTableResolver {
        if strings.isEmpty { _ = strings.append("") }
        if !strings.startsEmpty {
            warnings.append("the string table does not start with the empty string; entry 0 is read as it is written")
        }
        if invalidUTF8Strings > 0 {
            warnings.append("\(invalidUTF8Strings) strings are not valid UTF-8; invalid bytes were replaced with U+FFFD")
        }
        let resolver = StringTableResolver(table: strings.finish())
        strings = StringTable.Builder()
        return resolver
    }

    /// Gives a sample type that repeats an earlier one (type and unit; damage, or string
    /// indices outside the table, make them so) a name of its own, `cpu#2`: every sample type is
    /// a column of its own downstream, and two columns of one name would be summed into one.
    private func renameRepeatedSampleTypes(_ profile: inout Profile, _ warnings: inout [String]) {
        var seen: Set<ValueType> = []
        var renamed: [String] = []
        // The next suffix to try per repeated type: a profile of 50,000 copies of one type
        // takes 50,000 steps, not a search from #2 for each copy.
        var next: [ValueType: Int] = [:]
        for (t, type) in profile.sampleTypes.enumerated() where !seen.insert(type).inserted {
            var n = next[type] ?? 2
            var unique = ValueType(type: "\(type.type)#\(n)", unit: type.unit)
            while seen.contains(unique) {
                n += 1
                unique = ValueType(type: "\(type.type)#\(n)", unit: type.unit)
            }
            next[type] = n + 1
            seen.insert(unique)
            profile.sampleTypes[t] = unique
            renamed.append(unique.description)
        }
        if !renamed.isEmpty {
            warnings.append("sample types repeat; the repeats read as \(renamed.prefix(5).joined(separator: ", "))\(renamed.count > 5 ? ", ..." : "")")
        }
    }

    private func resolveHeader(into profile: inout Profile, _ strings: inout StringTableResolver) {
        profile.sampleTypes = sampleTypes.map { ValueType(type: strings.string($0.type), unit: strings.string($0.unit)) }
        profile.periodType = periodType.map { ValueType(type: strings.string($0.type), unit: strings.string($0.unit)) }
        profile.period = period
        profile.timeNanos = timeNanos
        profile.durationNanos = durationNanos
        profile.comments = comments.map { strings.string($0) }
        profile.dropFrames = strings.string(dropFrames)
        profile.keepFrames = strings.string(keepFrames)
        profile.defaultSampleType = strings.string(defaultSampleType)
        profile.docURL = strings.string(docURL)
    }

    private func resolveMappings(into profile: inout Profile, _ strings: inout StringTableResolver,
                                 _ warnings: inout [String]) -> IDTable {
        let table = IDTable(ids: mappings.map(\.id))
        profile.mappings = mappings.map { m in
            Mapping(id: m.id, memoryStart: m.memoryStart, memoryLimit: m.memoryLimit, fileOffset: m.fileOffset,
                    filename: strings.string(m.filename), buildID: strings.string(m.buildID),
                    hasFunctions: m.hasFunctions, hasFilenames: m.hasFilenames,
                    hasLineNumbers: m.hasLineNumbers, hasInlineFrames: m.hasInlineFrames)
        }
        table.report("mapping", &warnings)
        return table
    }

    private mutating func resolveFunctions(into profile: inout Profile, _ strings: inout StringTableResolver,
                                           _ warnings: inout [String]) -> IDTable {
        let table = IDTable(ids: functionIDs)
        var functions = FunctionTable()
        functions.name = functionNames.map { strings.index($0) }
        functions.setSystemNames(functionSystemNames.map { strings.index($0) })
        functions.filename = functionFilenames.map { strings.index($0) }
        functions.startLine = functionStartLines
        profile.functions = functions
        table.report("function", &warnings)
        functionNames = []
        functionSystemNames = []
        functionFilenames = []
        return table
    }

    /// Each location's mapping, and the function of each of its lines. Id 0 means "none" unless
    /// an entry really has that id; any other id that names nothing is repaired to "none".
    private mutating func resolveLocations(into profile: inout Profile, mappings: IDTable, functions: IDTable,
                                           _ warnings: inout [String]) -> IDTable {
        var missingMappings = 0
        var missingFunctions = 0
        var locations = LocationTable()
        locations.mapping = locationMappingIDs.map { id in
            let index = mappings.index(of: id)
            if index < 0 && id != 0 { missingMappings += 1 }
            return index
        }
        locations.lineFunction = lineFunctionIDs.map { id in
            let index = functions.index(of: id)
            if index < 0 && id != 0 { missingFunctions += 1 }
            return index
        }
        locations.address = locationAddresses
        locations.lineStart = locationLineStart
        locations.lineNumber = lineNumbers
        lineFunctionIDs = []
        locationMappingIDs = []
        if missingMappings > 0 {
            warnings.append("\(missingMappings) locations name a mapping id that does not exist; read as no mapping")
        }
        if missingFunctions > 0 {
            warnings.append("\(missingFunctions) location lines name a function id that does not exist; read as an unknown function")
        }
        let table = IDTable(ids: locationIDs)
        table.report("location", &warnings)
        profile.locations = locations
        return table
    }

    /// Sample stacks become location indices, in place, then 16 bits each where they fit; ids
    /// that name no location are dropped.
    private mutating func resolveSamples(into profile: inout Profile, locations: IDTable,
                                         _ strings: inout StringTableResolver, _ warnings: inout [String]) {
        var samples = SampleTable()
        samples.valuesPerSample = sampleTypes.count
        var dangling = 0
        var starts = sampleLocationStart
        sampleLocationStart = []
        // Stored minus one, ids of locations numbered 1, 2, 3, ... in order are their indices
        // already: when every one names a location, there is nothing to do.
        let alreadyIndices = locationIDWidth != .wide && UInt64(narrowLocationIDMax) < UInt64(locationIDs.count)
            && Self.numberedInOrder(locationIDs)
        if locationIDWidth == .short, alreadyIndices {
            // The common case: 16-bit ids that are indices, kept as they are.
            samples.stacks = .narrow(shortLocationIDs)
            shortLocationIDs = []
        } else {
            if locationIDWidth == .short { widenShortLocationIDs() }
            samples.stacks = StackEntries(resolvedStacks(&starts, locations: locations, alreadyIndices: alreadyIndices,
                                                         dangling: &dangling), locationCount: profile.locations.count)
        }
        if dangling > 0 {
            warnings.append("\(dangling) sample stack entries name a location id that does not exist; dropped")
        }
        samples.locationStart = starts
        samples.values = values
        samples.labelStart = labels.isEmpty ? [] : sampleLabelStart
        sampleLabelStart = []
        samples.labels = labels.map { Label(key: strings.index($0.key), str: strings.index($0.str), num: $0.num, numUnit: strings.index($0.numUnit)) }
        values = []
        labels = []
        profile.samples = samples
    }

    /// The stacks as location indices, from 32- or 64-bit ids; ids that name no location are
    /// dropped (and counted in `dangling`), and `starts` follows.
    private mutating func resolvedStacks(_ starts: inout [Int], locations: IDTable, alreadyIndices: Bool,
                                         dangling: inout Int) -> [UInt32] {
        var resolved: [UInt32]
        if locationIDWidth == .wide {
            resolved = [UInt32](repeating: 0, count: wideLocationIDs.count)
            let wide = wideLocationIDs
            wideLocationIDs = []
            Self.resolveStacks(&resolved, starts: &starts, table: locations, dangling: &dangling) { _, i in wide[i] }
        } else {
            // Narrow ids resolve in place: each index is written at or before the id it came from.
            resolved = narrowLocationIDs
            narrowLocationIDs = []
            if !alreadyIndices {
                let done = locations.withDenseTable { table in
                    Self.resolveNarrowStacks(&resolved, starts: &starts, table: table, dangling: &dangling)
                }
                if done == nil {
                    Self.resolveStacks(&resolved, starts: &starts, table: locations, dangling: &dangling) { buffer, i in UInt64(buffer[i] &+ 1) }
                }
            }
        }
        return resolved
    }

    /// Whether the ids are 1, 2, 3, ... in order.
    private static func numberedInOrder(_ ids: [UInt64]) -> Bool {
        ids.withUnsafeBufferPointer { ids in
            for i in ids.indices where ids[i] != UInt64(i + 1) { return false }
            return true
        }
    }

    /// `resolveStacks` for the common case, 32-bit ids and a dense table, in one tight loop: a
    /// large profile has millions of stack entries.
    private static func resolveNarrowStacks(_ output: inout [UInt32], starts: inout [Int], table: UnsafeBufferPointer<Int32>,
                                            dangling: inout Int) {
        var write = 0
        var missing = 0
        let tableCount = UInt64(table.count)
        output.withUnsafeMutableBufferPointer { buffer in
            starts.withUnsafeMutableBufferPointer { starts in
                guard let ids = buffer.baseAddress, let indices = table.baseAddress, starts.count > 1 else { return }
                var read = 0
                for sample in 0 ..< starts.count - 1 {
                    let end = starts[sample + 1]
                    starts[sample] = write
                    while read < end {
                        let id = UInt64(ids[read] &+ 1)
                        read += 1
                        let index = id < tableCount ? indices[Int(id)] : -1
                        if index >= 0 {
                            ids[write] = UInt32(truncatingIfNeeded: index)
                            write += 1
                        } else {
                            missing += 1
                        }
                    }
                }
                starts[starts.count - 1] = write
            }
        }
        dangling += missing
        if write < output.count { output.removeLast(output.count - write) }
    }

    /// Replaces each sample's location ids by location indices in `output`, dropping ids that
    /// name no location and moving the sample boundaries in `starts` to match. `id(output, i)`
    /// reads the i-th id; it may read `output` itself, since writes never overtake reads.
    private static func resolveStacks(_ output: inout [UInt32], starts: inout [Int], table: IDTable, dangling: inout Int,
                                      id: (UnsafeMutableBufferPointer<UInt32>, Int) -> UInt64) {
        var write = 0
        var sampleStart = 0
        output.withUnsafeMutableBufferPointer { buffer in
            for sample in 0 ..< starts.count - 1 {
                let end = starts[sample + 1]
                starts[sample] = write
                for read in sampleStart ..< end {
                    let index = table.index(of: id(buffer, read))
                    if index >= 0 {
                        buffer[write] = UInt32(truncatingIfNeeded: index)
                        write += 1
                    } else {
                        dangling += 1
                    }
                }
                sampleStart = end
            }
        }
        starts[starts.count - 1] = write
        if write < output.count { output.removeLast(output.count - write) }
    }
}

/// Reads string indices against the string table, counting the ones that fall outside it
/// (read as `""`, index 0) so that one warning can report them all.
struct StringTableResolver {
    let table: StringTable
    private(set) var outOfRange = 0

    init(table: StringTable) { self.table = table }

    mutating func index(_ raw: Int64) -> UInt32 {
        if raw >= 0 && raw < Int64(table.count) { return UInt32(truncatingIfNeeded: raw) }
        outOfRange += 1
        return 0
    }

    mutating func string(_ raw: Int64) -> String { table[Int(index(raw))] }
}

extension IDTable {
    /// Warns about the repairs the table made: reused ids and the reserved id 0.
    func report(_ what: String, _ warnings: inout [String]) {
        if duplicates > 0 {
            warnings.append("\(duplicates) \(what)s reuse an id of an earlier \(what); the last one wins")
        }
        if zeroIDs > 0 {
            warnings.append("\(zeroIDs) \(what)s use the reserved id 0; kept")
        }
    }
}
