/// Decodes the fields of a `Profile` message as they stream in; `finish` (in
/// `ProfileDecoder+Resolve.swift`) then resolves ids.
///
/// This follows google/pprof's `profile/proto.go` and `encode.go`: a small hand-written decoder
/// with a table of field numbers (`ProfileProto`), raw ids kept while decoding, and every id and
/// string index resolved and validated once afterwards. It is hand-written for the same reasons
/// pprof's is: no generated code, and the samples go straight into flat arrays.
///
/// Samples usually come before the locations they name, so sample stacks are stored as raw ids
/// first and resolved in place in `finish`. The raw state is internal (not private) only so that
/// the resolution steps in the other file can consume it.
struct ProfileDecoder {
    struct RawLabel {
        var key: Int64 = 0
        var str: Int64 = 0
        var num: Int64 = 0
        var numUnit: Int64 = 0
    }

    struct RawMapping {
        var id: UInt64 = 0
        var memoryStart: UInt64 = 0
        var memoryLimit: UInt64 = 0
        var fileOffset: UInt64 = 0
        var filename: Int64 = 0
        var buildID: Int64 = 0
        var hasFunctions = false
        var hasFilenames = false
        var hasLineNumbers = false
        var hasInlineFrames = false
    }

    // Profile-level fields, string references still raw.
    var sampleTypes: [(type: Int64, unit: Int64)] = []
    var periodType: (type: Int64, unit: Int64)?
    var period: Int64 = 0
    var timeNanos: Int64 = 0
    var durationNanos: Int64 = 0
    var comments: [Int64] = []
    var dropFrames: Int64 = 0
    var keepFrames: Int64 = 0
    var defaultSampleType: Int64 = 0
    var docURL: Int64 = 0
    var strings = StringTable.Builder()
    var invalidUTF8Strings = 0

    // Samples. Location ids are kept in 16 bits until one does not fit, then in 32, then in
    // 64: a profile of at most 65,536 locations never holds its stacks in more than 16 bits,
    // not even for a moment. Short and narrow ones are kept minus one (wrapping): with
    // locations numbered 1, 2, 3, ... in order, as Go writes them, that is already each
    // location's index, and no pass over the stacks is needed to resolve them (see
    // `resolveSamples`).
    var shortLocationIDs: [UInt16] = []
    var narrowLocationIDs: [UInt32] = []
    /// The largest value in `shortLocationIDs` or `narrowLocationIDs`.
    var narrowLocationIDMax: UInt32 = 0
    var wideLocationIDs: [UInt64] = []
    /// Which of the three arrays holds the ids.
    var locationIDWidth = LocationIDWidth.short

    enum LocationIDWidth { case short, narrow, wide }

    var locationIDCount: Int {
        switch locationIDWidth {
        case .short: return shortLocationIDs.count
        case .narrow: return narrowLocationIDs.count
        case .wide: return wideLocationIDs.count
        }
    }
    var sampleLocationStart: [Int] = [0]
    var values: [Int64] = []
    /// How many values each sample has, without an array of them: the first sample's count,
    /// and the first sample (and its count) that has another.
    var firstSampleValueCount = -1
    var oddSample = -1
    var oddSampleValueCount = 0
    var labels: [RawLabel] = []
    /// Empty until a sample has labels; see `decodeSample`.
    var sampleLabelStart: [Int] = []

    // Locations, with raw mapping and function ids.
    var locationIDs: [UInt64] = []
    var locationMappingIDs: [UInt64] = []
    var locationAddresses: [UInt64] = []
    /// Truncated to 32 bits as it is built; `finish` refuses a profile whose line count does not fit.
    var locationLineStart: [Int32] = [0]
    var lineFunctionIDs: [UInt64] = []
    var lineNumbers: [Int64] = []

    // Functions, with raw string references.
    var functionIDs: [UInt64] = []
    var functionNames: [Int64] = []
    var functionSystemNames: [Int64] = []
    var functionFilenames: [Int64] = []
    var functionStartLines: [Int64] = []

    var mappings: [RawMapping] = []

    /// The uncompressed size the gzip trailer claims, or 0: a hint for reserving arrays.
    var sizeHint = 0

    /// Where packed varints are decoded before they are appended.
    let scratch = PackedVarints()

    init() {}

    // MARK: Top-level fields

    /// Whether a length-delimited top-level field is decoded (and so must be buffered whole)
    /// rather than skipped unread.
    func decodesLengthDelimited(field: UInt64) -> Bool {
        ProfileProto.Profile.accepts(field: field, wire: .lengthDelimited)
    }

    /// Decodes a top-level varint field. `offset` locates it for error messages.
    mutating func decodeVarint(field: UInt64, value: UInt64, at offset: Int) throws(DecodeError) {
        let signed = Int64(bitPattern: value)
        if ProfileProto.Profile.isKnown(field), !ProfileProto.Profile.accepts(field: field, wire: .varint) {
            throw DecodeError("field \(field) of Profile has wire type 0; expected a length-delimited message", at: offset)
        }
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
        default: break
        }
    }

    /// Decodes a fixed-width top-level field; profile.proto has none, so only unknown ones are accepted.
    func decodeFixed(field: UInt64, at offset: Int) throws(DecodeError) {
        if ProfileProto.Profile.isKnown(field) {
            throw DecodeError("field \(field) of Profile has a fixed-width wire type", at: offset)
        }
    }

    /// Decodes a top-level length-delimited field whose bytes are all in `reader`.
    mutating func decodeLengthDelimited(field: UInt64, _ reader: inout WireReader) throws(DecodeError) {
        switch field {
        case ProfileProto.Profile.sampleType:
            sampleTypes.append(try Self.decodeValueType(&reader))
        case ProfileProto.Profile.sample:
            try decodeSample(&reader)
        case ProfileProto.Profile.mapping:
            mappings.append(try Self.decodeMapping(&reader))
        case ProfileProto.Profile.location:
            try decodeLocation(&reader)
        case ProfileProto.Profile.function:
            try decodeFunction(&reader)
        case ProfileProto.Profile.stringTable:
            if strings.isEmpty {
                let count = expectedCount(after: reader.origin, minimumSize: 4)
                if count > 0 { strings.reserveCapacity(strings: count) }
            }
            try appendString(reader.readBytes(count: reader.remaining), at: reader.origin)
        case ProfileProto.Profile.periodType:
            if periodType != nil {
                throw DecodeError("concatenated profiles detected (a second period_type field); split the file into one profile each", at: reader.origin)
            }
            periodType = try Self.decodeValueType(&reader)
        case ProfileProto.Profile.comment:
            while !reader.isAtEnd { comments.append(Int64(bitPattern: try reader.readVarint())) }
        default:
            break
        }
    }

    // MARK: Messages

    private static func decodeValueType(_ r: inout WireReader) throws(DecodeError) -> (type: Int64, unit: Int64) {
        var result: (type: Int64, unit: Int64) = (0, 0)
        try r.forEachField { field, wire, r throws(DecodeError) in
            switch field {
            case ProfileProto.ValueType.type: result.type = try r.int64Field(wire, field)
            case ProfileProto.ValueType.unit: result.unit = try r.int64Field(wire, field)
            default: try r.skip(field: field, wire: wire)
            }
        }
        return result
    }

    static func decodeLabel(_ r: inout WireReader) throws(DecodeError) -> RawLabel {
        var label = RawLabel()
        try r.forEachField { field, wire, r throws(DecodeError) in
            switch field {
            case ProfileProto.Label.key: label.key = try r.int64Field(wire, field)
            case ProfileProto.Label.str: label.str = try r.int64Field(wire, field)
            case ProfileProto.Label.num: label.num = try r.int64Field(wire, field)
            case ProfileProto.Label.numUnit: label.numUnit = try r.int64Field(wire, field)
            default: try r.skip(field: field, wire: wire)
            }
        }
        return label
    }

    private static func decodeMapping(_ r: inout WireReader) throws(DecodeError) -> RawMapping {
        var m = RawMapping()
        try r.forEachField { field, wire, r throws(DecodeError) in
            switch field {
            case ProfileProto.Mapping.id: m.id = try r.uint64Field(wire, field)
            case ProfileProto.Mapping.memoryStart: m.memoryStart = try r.uint64Field(wire, field)
            case ProfileProto.Mapping.memoryLimit: m.memoryLimit = try r.uint64Field(wire, field)
            case ProfileProto.Mapping.fileOffset: m.fileOffset = try r.uint64Field(wire, field)
            case ProfileProto.Mapping.filename: m.filename = try r.int64Field(wire, field)
            case ProfileProto.Mapping.buildID: m.buildID = try r.int64Field(wire, field)
            case ProfileProto.Mapping.hasFunctions: m.hasFunctions = try r.boolField(wire, field)
            case ProfileProto.Mapping.hasFilenames: m.hasFilenames = try r.boolField(wire, field)
            case ProfileProto.Mapping.hasLineNumbers: m.hasLineNumbers = try r.boolField(wire, field)
            case ProfileProto.Mapping.hasInlineFrames: m.hasInlineFrames = try r.boolField(wire, field)
            default: try r.skip(field: field, wire: wire)
            }
        }
        return m
    }

    private mutating func decodeLocation(_ r: inout WireReader) throws(DecodeError) {
        if locationIDs.isEmpty {
            let count = expectedCount(after: r.origin, minimumSize: 8)
            if count > 0 {
                locationIDs.reserveCapacity(count)
                locationMappingIDs.reserveCapacity(count)
                locationAddresses.reserveCapacity(count)
                locationLineStart.reserveCapacity(count + 1)
                lineFunctionIDs.reserveCapacity(count)
                lineNumbers.reserveCapacity(count)
            }
        }
        var id: UInt64 = 0
        var mappingID: UInt64 = 0
        var address: UInt64 = 0
        try r.forEachField { field, wire, r throws(DecodeError) in
            switch field {
            case ProfileProto.Location.id: id = try r.uint64Field(wire, field)
            case ProfileProto.Location.mappingID: mappingID = try r.uint64Field(wire, field)
            case ProfileProto.Location.address: address = try r.uint64Field(wire, field)
            // Read to check its wire type; nothing depends on it.
            case ProfileProto.Location.isFolded: _ = try r.boolField(wire, field)
            case ProfileProto.Location.line:
                var m = try r.messageField(wire, field)
                try decodeLine(&m)
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        locationIDs.append(id)
        locationMappingIDs.append(mappingID)
        locationAddresses.append(address)
        locationLineStart.append(Int32(truncatingIfNeeded: lineFunctionIDs.count))
    }

    private mutating func decodeLine(_ r: inout WireReader) throws(DecodeError) {
        var functionID: UInt64 = 0
        var line: Int64 = 0
        try r.forEachField { field, wire, r throws(DecodeError) in
            switch field {
            case ProfileProto.Line.functionID: functionID = try r.uint64Field(wire, field)
            case ProfileProto.Line.line: line = try r.int64Field(wire, field)
            // Read to check its wire type; no report shows columns.
            case ProfileProto.Line.column: _ = try r.int64Field(wire, field)
            default: try r.skip(field: field, wire: wire)
            }
        }
        lineFunctionIDs.append(functionID)
        lineNumbers.append(line)
    }

    private mutating func decodeFunction(_ r: inout WireReader) throws(DecodeError) {
        if functionIDs.isEmpty {
            let count = expectedCount(after: r.origin, minimumSize: 8)
            if count > 0 {
                functionIDs.reserveCapacity(count)
                functionNames.reserveCapacity(count)
                functionSystemNames.reserveCapacity(count)
                functionFilenames.reserveCapacity(count)
                functionStartLines.reserveCapacity(count)
            }
        }
        var id: UInt64 = 0
        var name: Int64 = 0
        var systemName: Int64 = 0
        var filename: Int64 = 0
        var startLine: Int64 = 0
        try r.forEachField { field, wire, r throws(DecodeError) in
            switch field {
            case ProfileProto.Function.id: id = try r.uint64Field(wire, field)
            case ProfileProto.Function.name: name = try r.int64Field(wire, field)
            case ProfileProto.Function.systemName: systemName = try r.int64Field(wire, field)
            case ProfileProto.Function.filename: filename = try r.int64Field(wire, field)
            case ProfileProto.Function.startLine: startLine = try r.int64Field(wire, field)
            default: try r.skip(field: field, wire: wire)
            }
        }
        functionIDs.append(id)
        functionNames.append(name)
        functionSystemNames.append(systemName)
        functionFilenames.append(filename)
        functionStartLines.append(startLine)
    }
}
