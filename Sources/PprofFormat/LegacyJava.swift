/// The Java agent's text profiles, symbolized: a header, `name = value` attributes, samples
/// (`value count @ ids`), then what each id is.
///
///     --- heapz 1 ---
///     format = java
///     resolution = bytes
///      2097152 2 @ 0x0000000000000001 0x0000000000000002
///     0x0000000000000001 com.example.Index.build (Index.java:31)
///
/// Heap samples are unsampled at the agent's fixed 512 KiB rate; contention samples are
/// multiplied by the sampling period. Java's binary CPU profile (`LegacyCPU`) ends with the same
/// symbol lines.
enum LegacyJava {
    /// pprof's `attributeRx`: `([\w ]+)=([\w ]+)`.
    static let attribute = LegacyRegex(.seq(
        .capture(.plus(.byte(ByteSet.word.union(ByteSet(" "))))), .literal("="), .capture(.plus(.byte(ByteSet.word.union(ByteSet(" ")))))))
    /// pprof's `javaSampleRx`: ` *(\d+) +(\d+) +@ +([ x0-9a-f]*)`.
    static let sample = LegacyRegex(.seq(
        .star(.literal(" ")), .capture(.plus(.byte(.digit))), .plus(.literal(" ")), .capture(.plus(.byte(.digit))),
        .plus(.literal(" ")), .literal("@"), .plus(.literal(" ")), .capture(.star(.byte(ByteSet(" x0123456789abcdef"))))))
    /// pprof's `javaLocationRx`: `^\s*0x([[:xdigit:]]+)\s+(.*)\s*$`.
    static let location = LegacyRegex(.seq(
        .start, .star(.byte(.space)), .literal("0x"), .capture(.plus(.byte(.xdigit))), .plus(.byte(.space)),
        .capture(.star(.byte(.notNewline))), .star(.byte(.space)), .end))
    /// pprof's `javaLocationFileLineRx`: `^(.*)\s+\((.+):(-?[[:digit:]]+)\)$`.
    static let fileLine = LegacyRegex(.seq(
        .start, .capture(.star(.byte(.notNewline))), .plus(.byte(.space)), .literal("("), .capture(.plus(.byte(.notNewline))),
        .literal(":"), .capture(.seq(.optional(.literal("-")), .plus(.byte(.digit)))), .literal(")"), .end))
    /// pprof's `javaLocationPathRx`: `^(.*)\s+\((.*)\)$`.
    static let path = LegacyRegex(.seq(
        .start, .capture(.star(.byte(.notNewline))), .plus(.byte(.space)), .literal("("), .capture(.star(.byte(.notNewline))),
        .literal(")"), .end))

    /// The agent's fixed heap sampling rate.
    static let heapSamplingRate: Int64 = 512 * 1024

    enum Kind: String {
        case heap
        case contention
    }

    /// pprof's `parseJavaProfile`.
    static func parse(_ data: Bytes) throws(LegacyFailure) -> LegacyProfileBuilder {
        guard let newline = data.find(0x0A) else { throw .unrecognized }
        let kind: Kind
        switch GoText.trimSpace(data[bytes: 0 ..< newline]).text {
        case "--- heapz 1 ---": kind = .heap
        case "--- contentionz 1 ---": kind = .contention
        default: throw .unrecognized
        }
        var builder = LegacyProfileBuilder(sampleTypes: [], periodType: ValueType(type: "", unit: ""), period: 0, valuesPerSample: 2)
        var position = try readHeader(kind, data, from: newline + 1, into: &builder)
        position = try readSamples(kind, data, from: position, into: &builder)
        try readLocations(data[bytes: position ..< data.count], into: &builder)
        builder.aggregateAddresses()
        return builder
    }

    /// The lines ended by a newline from `start` on: (range of the line, offset after it).
    /// pprof reads attributes and samples only from such lines; a last line without a newline
    /// is left to the symbols.
    private static func terminatedLines(_ data: Bytes, from start: Int, _ body: (Bytes, Int) throws(LegacyFailure) -> Bool) throws(LegacyFailure) -> Int {
        var position = start
        while let newline = data.find(0x0A, from: position) {
            guard newline - position <= LegacyLineScanner.maxLineLength else {
                throw .malformed("a line at byte \(position) is longer than 64 KiB")
            }
            let line = GoText.trimSpace(data[bytes: position ..< newline])
            if !line.isEmpty, try !body(line, position) { return position }
            position = newline + 1
        }
        return position
    }

    /// pprof's `parseJavaHeader`: the attributes; returns where the first other line starts.
    private static func readHeader(_ kind: Kind, _ data: Bytes, from start: Int,
                                   into builder: inout LegacyProfileBuilder) throws(LegacyFailure) -> Int {
        try terminatedLines(data, from: start) { (line, _) throws(LegacyFailure) -> Bool in
            guard let g = attribute.groups(line) else { return false }
            let name = GoText.trimSpace(g[1]).text
            let value = GoText.trimSpace(g[2])
            switch (kind, name) {
            case (_, "format"):
                if !value.equals("java") { throw .unrecognized }
            case (.heap, "resolution"):
                builder.sampleTypes = [ValueType(type: "inuse_objects", unit: "count"), ValueType(type: "inuse_space", unit: value.text)]
            case (.contention, "resolution"):
                builder.sampleTypes = [ValueType(type: "contentions", unit: "count"), ValueType(type: "delay", unit: value.text)]
            case (.contention, "sampling period"):
                builder.periodType = ValueType(type: "contentions", unit: "count")
                guard let period = GoStrconv.parseInt(value, base: 0) else {
                    throw .malformed("the attribute \"\(line.excerpt)\" is not a 64-bit number")
                }
                builder.period = period
            case (.contention, "ms since reset"):
                guard let ms = GoStrconv.parseInt(value, base: 0) else {
                    throw .malformed("the attribute \"\(line.excerpt)\" is not a 64-bit number")
                }
                let (nanos, overflow) = ms.multipliedReportingOverflow(by: 1_000_000)
                if overflow { throw .malformed("ms since reset = \(ms) overflows 64-bit nanoseconds") }
                builder.durationNanos = nanos
            default:
                throw .unrecognized
            }
            return true
        }
    }

    /// pprof's `parseJavaSamples`: returns where the first line that is no sample starts.
    private static func readSamples(_ kind: Kind, _ data: Bytes, from start: Int,
                                    into builder: inout LegacyProfileBuilder) throws(LegacyFailure) -> Int {
        try terminatedLines(data, from: start) { (line, _) throws(LegacyFailure) -> Bool in
            guard let g = sample.groups(line) else { return false }
            let stack = try GoStrconv.hexAddresses(g[3]).map { builder.location(at: $0) }
            // The count comes second on the line, but first in the values.
            guard var count = GoStrconv.parseInt(g[2], base: 0), var value = GoStrconv.parseInt(g[1], base: 0) else {
                throw .malformed("the sample \"\(line.excerpt)\" has a value that is not a 64-bit number")
            }
            var bytes: Int64?
            switch kind {
            case .heap:
                guard count != 0 else { throw .malformed("the sample \"\(line.excerpt)\" has a count of 0") }
                bytes = value / count
                (count, value) = try LegacyHeap.unsample(count: count, size: value, rate: heapSamplingRate)
            case .contention:
                if builder.period != 0 {
                    let (c, o1) = count.multipliedReportingOverflow(by: builder.period)
                    let (v, o2) = value.multipliedReportingOverflow(by: builder.period)
                    if o1 || o2 { throw .malformed("the sample \"\(line.excerpt)\" overflows 64 bits at the sampling period \(builder.period)") }
                    (count, value) = (c, v)
                }
            }
            builder.addSample(stack, values: [count, value], bytes: bytes)
            return true
        }
    }

    /// pprof's `parseJavaLocations`: `0xID function (file:line)`, `0xID function (library path)`,
    /// a JIT stub, or a bare name ("GC", "VM"). Ids no sample uses are skipped.
    static func readLocations(_ data: Bytes, into builder: inout LegacyProfileBuilder) throws(LegacyFailure) {
        var functions: [String: Int] = [:]
        var position = 0
        while position < data.count {
            let end = data.find(0x0A, from: position) ?? data.count
            defer { position = end + 1 }
            guard end - position <= LegacyLineScanner.maxLineLength else {
                throw .malformed("a line at byte \(position) is longer than 64 KiB")
            }
            let line = GoText.trimSpace(data[bytes: position ..< end])
            guard !line.isEmpty, let g = location.groups(line) else { continue }
            guard let address = GoStrconv.parseUint(g[1], base: 16) else {
                throw .malformed("the symbol id 0x\(g[1].excerpt) is not a 64-bit number")
            }
            guard let l = builder.locationByAddress[address] else { continue }
            let description = g[2]
            let name: String
            var file = ""
            var lineNumber: Int64 = 0
            if let f = fileLine.groups(description) {
                name = f[1].text
                file = f[2].text
                if let n = GoStrconv.parseInt(f[3], base: 10), n > 0 { lineNumber = n }
            } else if let p = path.groups(description) {
                // A native library: its file name is what matters.
                name = p[1].text
                file = GoText.baseName(p[2].text)
            } else if description.contains("generated stub/JIT") {
                name = "STUB"
            } else {
                name = description.text
            }
            let function: Int
            if let known = functions[name] {
                function = known
            } else {
                function = builder.functionName.count
                builder.functionName.append(name)
                builder.functionFile.append(file)
                functions[name] = function
            }
            builder.locationFunction[l] = function
            builder.locationLine[l] = lineNumber
            builder.locationAddress[l] = 0
        }
        builder.remapLocations()
        builder.remapFunctions()
        builder.remapMappings()
    }
}
