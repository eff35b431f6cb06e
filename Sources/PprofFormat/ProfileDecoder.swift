/// Decodes the fields of a `Profile` message as they stream in, then resolves ids in `finish`.
///
/// This follows google/pprof's `profile/proto.go` and `encode.go`: a small hand-written decoder
/// with a table of field numbers (`ProfileProto`), raw ids kept while decoding, and every id and
/// string index resolved and validated once afterwards. It is hand-written for the same reasons
/// pprof's is: no generated code, and the samples go straight into flat arrays.
///
/// Samples usually come before the locations they name, so sample stacks are stored as raw ids
/// first and resolved in place in `finish`.
struct ProfileDecoder {
    private struct RawLabel {
        var key: Int64 = 0
        var str: Int64 = 0
        var num: Int64 = 0
        var numUnit: Int64 = 0
    }

    private struct RawMapping {
        var id: UInt64 = 0
        var memoryStart: UInt64 = 0
        var memoryLimit: UInt64 = 0
        var fileOffset: UInt64 = 0
        var filename: Int64 = 0
        var buildID: Int64 = 0
        var flags: (Bool, Bool, Bool, Bool) = (false, false, false, false)
    }

    // Profile-level fields, string references still raw.
    private var sampleTypes: [(type: Int64, unit: Int64)] = []
    private var periodType: (type: Int64, unit: Int64)?
    private var period: Int64 = 0
    private var timeNanos: Int64 = 0
    private var durationNanos: Int64 = 0
    private var comments: [Int64] = []
    private var dropFrames: Int64 = 0
    private var keepFrames: Int64 = 0
    private var defaultSampleType: Int64 = 0
    private var docURL: Int64 = 0
    private var strings: [String] = []
    private var invalidUTF8Strings = 0

    // Samples. Location ids are kept in 32 bits until one does not fit.
    private var narrowLocationIDs: [UInt32] = []
    private var wideLocationIDs: [UInt64] = []
    private var hasWideLocationIDs = false
    private var sampleLocationStart: [Int] = [0]
    private var values: [Int64] = []
    private var sampleValueStart: [Int] = [0]
    private var labels: [RawLabel] = []
    private var sampleLabelStart: [Int] = [0]

    // Locations, with raw mapping and function ids.
    private var locationIDs: [UInt64] = []
    private var locationMappingIDs: [UInt64] = []
    private var locationAddresses: [UInt64] = []
    private var locationFolded: [Bool] = []
    private var locationLineStart: [Int] = [0]
    private var lineFunctionIDs: [UInt64] = []
    private var lineNumbers: [Int64] = []
    private var lineColumns: [Int64] = []

    // Functions, with raw string references.
    private var functionIDs: [UInt64] = []
    private var functionNames: [Int64] = []
    private var functionSystemNames: [Int64] = []
    private var functionFilenames: [Int64] = []
    private var functionStartLines: [Int64] = []

    private var mappings: [RawMapping] = []

    init() {}

    // MARK: Top-level fields

    /// Whether a length-delimited top-level field is decoded (and so must be buffered whole)
    /// rather than skipped unread.
    func decodesLengthDelimited(field: UInt64) -> Bool {
        switch field {
        case ProfileProto.Profile.sampleType, ProfileProto.Profile.sample, ProfileProto.Profile.mapping,
             ProfileProto.Profile.location, ProfileProto.Profile.function, ProfileProto.Profile.stringTable,
             ProfileProto.Profile.periodType, ProfileProto.Profile.comment:
            return true
        default:
            return false
        }
    }

    /// Decodes a top-level varint field. `offset` locates it for error messages.
    mutating func decodeVarint(field: UInt64, value: UInt64, at offset: Int) throws(DecodeError) {
        let signed = Int64(bitPattern: value)
        switch field {
        case ProfileProto.Profile.dropFrames: dropFrames = signed
        case ProfileProto.Profile.keepFrames: keepFrames = signed
        case ProfileProto.Profile.timeNanos:
            // A second non-zero time means two profiles were written into one file; pprof
            // refuses those rather than silently mixing them, and so do we.
            if timeNanos != 0 {
                throw DecodeError("concatenated profiles detected (a second time_nanos field); split the file into one profile each", at: offset)
            }
            timeNanos = signed
        case ProfileProto.Profile.durationNanos:
            if durationNanos != 0 && signed != 0 {
                throw DecodeError("concatenated profiles detected (a second duration_nanos field); split the file into one profile each", at: offset)
            }
            durationNanos = signed
        case ProfileProto.Profile.period: period = signed
        case ProfileProto.Profile.comment: comments.append(signed)
        case ProfileProto.Profile.defaultSampleType: defaultSampleType = signed
        case ProfileProto.Profile.docURL: docURL = signed
        case ProfileProto.Profile.sampleType, ProfileProto.Profile.sample, ProfileProto.Profile.mapping,
             ProfileProto.Profile.location, ProfileProto.Profile.function, ProfileProto.Profile.stringTable,
             ProfileProto.Profile.periodType:
            throw DecodeError("field \(field) of Profile has wire type 0; expected a length-delimited message", at: offset)
        default:
            break
        }
    }

    /// Decodes a fixed-width top-level field; profile.proto has none, so only unknown ones are accepted.
    func decodeFixed(field: UInt64, at offset: Int) throws(DecodeError) {
        if field <= ProfileProto.Profile.docURL {
            throw DecodeError("field \(field) of Profile has a fixed-width wire type", at: offset)
        }
    }

    /// Decodes a top-level length-delimited field whose bytes are all in `reader`.
    mutating func decodeLengthDelimited(field: UInt64, _ reader: inout WireReader) throws(DecodeError) {
        switch field {
        case ProfileProto.Profile.sampleType:
            sampleTypes.append(try decodeValueType(&reader))
        case ProfileProto.Profile.sample:
            try decodeSample(&reader)
        case ProfileProto.Profile.mapping:
            try decodeMapping(&reader)
        case ProfileProto.Profile.location:
            try decodeLocation(&reader)
        case ProfileProto.Profile.function:
            try decodeFunction(&reader)
        case ProfileProto.Profile.stringTable:
            appendString(reader.readBytes(count: reader.remaining))
        case ProfileProto.Profile.periodType:
            if periodType != nil {
                throw DecodeError("concatenated profiles detected (a second period_type field); split the file into one profile each", at: reader.origin)
            }
            periodType = try decodeValueType(&reader)
        case ProfileProto.Profile.comment:
            while !reader.isAtEnd { comments.append(Int64(bitPattern: try reader.readVarint())) }
        default:
            break
        }
    }

    private mutating func appendString(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let valid = String(validating: bytes, as: UTF8.self) {
            strings.append(valid)
        } else {
            // Invalid UTF-8 becomes U+FFFD, as Pyroscope and Python's "replace" decoding do.
            strings.append(String(decoding: bytes, as: UTF8.self))
            invalidUTF8Strings += 1
        }
    }

    // MARK: Messages

    private func decodeValueType(_ r: inout WireReader) throws(DecodeError) -> (type: Int64, unit: Int64) {
        var result: (type: Int64, unit: Int64) = (0, 0)
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch field {
            case ProfileProto.ValueType.type: result.type = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.ValueType.unit: result.unit = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            default: try r.skip(field: field, wire: wire)
            }
        }
        return result
    }

    /// The hot path: a 400,000-sample profile spends most of its decoding time here.
    private mutating func decodeSample(_ r: inout WireReader) throws(DecodeError) {
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch field {
            case ProfileProto.Sample.locationID:
                if wire == .lengthDelimited {
                    let count = try r.readLength()
                    var packed = r.subReader(count: count)
                    while !packed.isAtEnd { appendLocationID(try packed.readVarint()) }
                } else if wire == .varint {
                    appendLocationID(try r.readVarint())
                } else {
                    throw r.error("Sample.location_id has wire type \(wire.rawValue)")
                }
            case ProfileProto.Sample.value:
                if wire == .lengthDelimited {
                    let count = try r.readLength()
                    var packed = r.subReader(count: count)
                    while !packed.isAtEnd { values.append(Int64(bitPattern: try packed.readVarint())) }
                } else if wire == .varint {
                    values.append(Int64(bitPattern: try r.readVarint()))
                } else {
                    throw r.error("Sample.value has wire type \(wire.rawValue)")
                }
            case ProfileProto.Sample.label:
                var m = try r.readMessageField(wire: wire, field: field)
                labels.append(try decodeLabel(&m))
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        sampleLocationStart.append(hasWideLocationIDs ? wideLocationIDs.count : narrowLocationIDs.count)
        sampleValueStart.append(values.count)
        sampleLabelStart.append(labels.count)
    }

    @inline(__always)
    private mutating func appendLocationID(_ id: UInt64) {
        if !hasWideLocationIDs, id <= UInt64(UInt32.max) {
            narrowLocationIDs.append(UInt32(truncatingIfNeeded: id))
        } else {
            if !hasWideLocationIDs {
                wideLocationIDs = narrowLocationIDs.map(UInt64.init)
                narrowLocationIDs = []
                hasWideLocationIDs = true
            }
            wideLocationIDs.append(id)
        }
    }

    private func decodeLabel(_ r: inout WireReader) throws(DecodeError) -> RawLabel {
        var label = RawLabel()
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch field {
            case ProfileProto.Label.key: label.key = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.Label.str: label.str = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.Label.num: label.num = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.Label.numUnit: label.numUnit = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            default: try r.skip(field: field, wire: wire)
            }
        }
        return label
    }

    private mutating func decodeMapping(_ r: inout WireReader) throws(DecodeError) {
        var m = RawMapping()
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch field {
            case ProfileProto.Mapping.id: m.id = try r.readVarintField(wire: wire, field: field)
            case ProfileProto.Mapping.memoryStart: m.memoryStart = try r.readVarintField(wire: wire, field: field)
            case ProfileProto.Mapping.memoryLimit: m.memoryLimit = try r.readVarintField(wire: wire, field: field)
            case ProfileProto.Mapping.fileOffset: m.fileOffset = try r.readVarintField(wire: wire, field: field)
            case ProfileProto.Mapping.filename: m.filename = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.Mapping.buildID: m.buildID = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.Mapping.hasFunctions: m.flags.0 = try r.readVarintField(wire: wire, field: field) != 0
            case ProfileProto.Mapping.hasFilenames: m.flags.1 = try r.readVarintField(wire: wire, field: field) != 0
            case ProfileProto.Mapping.hasLineNumbers: m.flags.2 = try r.readVarintField(wire: wire, field: field) != 0
            case ProfileProto.Mapping.hasInlineFrames: m.flags.3 = try r.readVarintField(wire: wire, field: field) != 0
            default: try r.skip(field: field, wire: wire)
            }
        }
        mappings.append(m)
    }

    private mutating func decodeLocation(_ r: inout WireReader) throws(DecodeError) {
        var id: UInt64 = 0
        var mappingID: UInt64 = 0
        var address: UInt64 = 0
        var folded = false
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch field {
            case ProfileProto.Location.id: id = try r.readVarintField(wire: wire, field: field)
            case ProfileProto.Location.mappingID: mappingID = try r.readVarintField(wire: wire, field: field)
            case ProfileProto.Location.address: address = try r.readVarintField(wire: wire, field: field)
            case ProfileProto.Location.isFolded: folded = try r.readVarintField(wire: wire, field: field) != 0
            case ProfileProto.Location.line:
                var m = try r.readMessageField(wire: wire, field: field)
                var functionID: UInt64 = 0
                var line: Int64 = 0
                var column: Int64 = 0
                while !m.isAtEnd {
                    let (lineField, lineWire) = try m.readKey()
                    switch lineField {
                    case ProfileProto.Line.functionID: functionID = try m.readVarintField(wire: lineWire, field: lineField)
                    case ProfileProto.Line.line: line = Int64(bitPattern: try m.readVarintField(wire: lineWire, field: lineField))
                    case ProfileProto.Line.column: column = Int64(bitPattern: try m.readVarintField(wire: lineWire, field: lineField))
                    default: try m.skip(field: lineField, wire: lineWire)
                    }
                }
                lineFunctionIDs.append(functionID)
                lineNumbers.append(line)
                lineColumns.append(column)
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        locationIDs.append(id)
        locationMappingIDs.append(mappingID)
        locationAddresses.append(address)
        locationFolded.append(folded)
        locationLineStart.append(lineFunctionIDs.count)
    }

    private mutating func decodeFunction(_ r: inout WireReader) throws(DecodeError) {
        var id: UInt64 = 0
        var name: Int64 = 0
        var systemName: Int64 = 0
        var filename: Int64 = 0
        var startLine: Int64 = 0
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch field {
            case ProfileProto.Function.id: id = try r.readVarintField(wire: wire, field: field)
            case ProfileProto.Function.name: name = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.Function.systemName: systemName = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.Function.filename: filename = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            case ProfileProto.Function.startLine: startLine = Int64(bitPattern: try r.readVarintField(wire: wire, field: field))
            default: try r.skip(field: field, wire: wire)
            }
        }
        functionIDs.append(id)
        functionNames.append(name)
        functionSystemNames.append(systemName)
        functionFilenames.append(filename)
        functionStartLines.append(startLine)
    }

    // MARK: Resolution

    /// Resolves every id and string index, repairing what can be repaired (with a warning) and
    /// rejecting what cannot. Consumes the decoder's arrays.
    mutating func finish(warnings: inout [String]) throws(DecodeError) -> Profile {
        var profile = Profile()
        guard locationIDs.count < Int(Int32.max), functionIDs.count < Int(Int32.max), mappings.count < Int(Int32.max) else {
            throw DecodeError("more than 2^31 locations, functions or mappings")
        }

        // Strings first: everything else refers to them.
        if strings.isEmpty { strings = [""] }
        if !strings[0].isEmpty {
            warnings.append("the string table does not start with the empty string; entry 0 is read as it is written")
        }
        if invalidUTF8Strings > 0 {
            warnings.append("\(invalidUTF8Strings) strings are not valid UTF-8; invalid bytes were replaced with U+FFFD")
        }
        var badStrings = 0
        let stringCount = Int64(strings.count)
        func ref(_ raw: Int64) -> UInt32 {
            if raw >= 0 && raw < stringCount { return UInt32(truncatingIfNeeded: raw) }
            badStrings += 1
            return 0
        }
        func string(_ raw: Int64) -> String { strings[Int(ref(raw))] }

        // Sample types and the profile header.
        let valuesPerSample = sampleTypes.count
        profile.sampleTypes = sampleTypes.map { ValueType(type: string($0.type), unit: string($0.unit)) }
        profile.periodType = periodType.map { ValueType(type: string($0.type), unit: string($0.unit)) }
        profile.period = period
        profile.timeNanos = timeNanos
        profile.durationNanos = durationNanos
        profile.comments = comments.map(string)
        profile.dropFrames = string(dropFrames)
        profile.keepFrames = string(keepFrames)
        profile.defaultSampleType = string(defaultSampleType)
        profile.docURL = string(docURL)

        // Every sample must have one value per sample type: there is no sensible repair, since
        // we could not tell which value belongs to which type.
        for sample in 0 ..< sampleValueStart.count - 1 {
            let count = sampleValueStart[sample + 1] - sampleValueStart[sample]
            if count != valuesPerSample {
                throw DecodeError("sample \(sample) has \(count) values, but the profile declares \(valuesPerSample) sample types")
            }
        }
        sampleValueStart = []

        // Mappings.
        let mappingTable = IDTable(ids: mappings.map(\.id))
        profile.mappings = mappings.map { m in
            Mapping(id: m.id, memoryStart: m.memoryStart, memoryLimit: m.memoryLimit, fileOffset: m.fileOffset,
                    filename: string(m.filename), buildID: string(m.buildID), hasFunctions: m.flags.0,
                    hasFilenames: m.flags.1, hasLineNumbers: m.flags.2, hasInlineFrames: m.flags.3)
        }
        report(mappingTable, "mapping", &warnings)

        // Functions.
        let functionTable = IDTable(ids: functionIDs)
        var functions = FunctionTable()
        functions.ids = functionIDs
        functions.name = functionNames.map(ref)
        functions.systemName = functionSystemNames.map(ref)
        functions.filename = functionFilenames.map(ref)
        functions.startLine = functionStartLines
        profile.functions = functions
        report(functionTable, "function", &warnings)
        functionNames = []
        functionSystemNames = []
        functionFilenames = []

        // Locations: resolve their mapping and the function of each line.
        var missingMappings = 0
        var locations = LocationTable()
        locations.ids = locationIDs
        locations.mapping = locationMappingIDs.map { id in
            let index = mappingTable.index(of: id)
            // Mapping id 0 means "no mapping" unless a mapping really has that id.
            if index < 0 && id != 0 { missingMappings += 1 }
            return index
        }
        var missingFunctions = 0
        locations.lineFunction = lineFunctionIDs.map { id in
            let index = functionTable.index(of: id)
            if index < 0 && id != 0 { missingFunctions += 1 }
            return index
        }
        locations.address = locationAddresses
        locations.isFolded = locationFolded
        locations.lineStart = locationLineStart
        locations.lineNumber = lineNumbers
        locations.lineColumn = lineColumns
        lineFunctionIDs = []
        locationMappingIDs = []
        if missingMappings > 0 {
            warnings.append("\(missingMappings) locations name a mapping id that does not exist; read as no mapping")
        }
        if missingFunctions > 0 {
            warnings.append("\(missingFunctions) location lines name a function id that does not exist; read as an unknown function")
        }
        let locationTable = IDTable(ids: locationIDs)
        report(locationTable, "location", &warnings)
        profile.locations = locations

        // Samples: resolve stacks in place, dropping ids that name no location.
        var samples = SampleTable()
        samples.valuesPerSample = valuesPerSample
        var dangling = 0
        var starts = sampleLocationStart
        var resolved: [UInt32]
        if hasWideLocationIDs {
            resolved = [UInt32](repeating: 0, count: wideLocationIDs.count)
            let wide = wideLocationIDs
            wideLocationIDs = []
            Self.resolve(&resolved, starts: &starts, table: locationTable, dangling: &dangling) { _, i in wide[i] }
        } else {
            // Narrow ids resolve in place: each index is written at or before the id it came from.
            resolved = narrowLocationIDs
            narrowLocationIDs = []
            Self.resolve(&resolved, starts: &starts, table: locationTable, dangling: &dangling) { buffer, i in UInt64(buffer[i]) }
        }
        if dangling > 0 {
            warnings.append("\(dangling) sample stack entries name a location id that does not exist; dropped")
        }
        samples.locationStart = starts
        samples.locationIndices = resolved
        samples.values = values
        samples.labelStart = sampleLabelStart
        samples.labels = labels.map { Label(key: ref($0.key), str: ref($0.str), num: $0.num, numUnit: ref($0.numUnit)) }
        values = []
        labels = []
        profile.samples = samples

        if badStrings > 0 {
            warnings.append("\(badStrings) string indices are outside the \(strings.count)-entry string table; read as \"\"")
        }
        profile.strings = strings
        strings = []
        return profile
    }

    private func report(_ table: IDTable, _ what: String, _ warnings: inout [String]) {
        if table.duplicates > 0 {
            warnings.append("\(table.duplicates) \(what)s reuse an id of an earlier \(what); the last one wins")
        }
        if table.zeroIDs > 0 {
            warnings.append("\(table.zeroIDs) \(what)s use the reserved id 0; kept")
        }
    }

    /// Replaces each sample's location ids by location indices in `output`, dropping ids that
    /// name no location and moving the sample boundaries in `starts` to match. `id(output, i)`
    /// reads the i-th id; it may read `output` itself, since writes never overtake reads.
    private static func resolve(_ output: inout [UInt32], starts: inout [Int], table: IDTable, dangling: inout Int,
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
