/// Contention profiles: Go's block (`--- contention:`) and mutex (`--- mutex:`) profiles at
/// debug=1, and C++ `--- contentionz 1 ---` profiles.
///
///     --- mutex:
///     cycles/second=2000000000
///     sampling period=5
///     3000000 6 @ 0x401234 0x401567
///
/// A sample is `delay in cycles, count @ return addresses`. With a sampling period, both are
/// unsampled; with `cycles/second`, the delay becomes nanoseconds.
enum LegacyContention {
    /// pprof's `contentionSampleRE`: `(\d+) *(\d+) @([ x0-9a-f]*)`.
    static let sample = LegacyRegex(.seq(
        .capture(.plus(.byte(.digit))), .star(.literal(" ")), .capture(.plus(.byte(.digit))), .literal(" @"),
        .capture(.star(.byte(ByteSet(" x0123456789abcdef"))))))

    /// pprof's `parseContention`.
    static func parse(_ data: Bytes) throws(LegacyFailure) -> LegacyProfileBuilder {
        var scanner = LegacyLineScanner(data)
        guard try scanner.scan() else { throw .unrecognized }
        let first = scanner.text
        guard first.hasPrefix("--- contentionz ") || first.hasPrefix("--- mutex:") || first.hasPrefix("--- contention:") else {
            throw .unrecognized
        }
        var builder = LegacyProfileBuilder(
            sampleTypes: [ValueType(type: "contentions", unit: "count"), ValueType(type: "delay", unit: "nanoseconds")],
            periodType: ValueType(type: "contentions", unit: "count"), period: 1)
        var cyclesPerSecond: Int64 = 0
        // `name = value` attributes; the first line that is none starts the samples.
        while try scanner.scan() {
            let line = GoText.trimSpace(scanner.text)
            if GoText.isSpaceOrComment(line) { continue }
            if line.hasPrefix("---") { break }
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { break }
            let key = GoText.trimSpace(line[bytes: 0 ..< equals]).text
            let value = GoText.trimSpace(line[bytes: equals + 1 ..< line.count])
            switch key {
            case "cycles/second":
                guard let hz = GoStrconv.parseInt(value, base: 0) else { throw .unrecognized }
                cyclesPerSecond = hz
            case "sampling period":
                guard let period = GoStrconv.parseInt(value, base: 0) else { throw .unrecognized }
                builder.period = period
            case "ms since reset":
                guard let ms = GoStrconv.parseInt(value, base: 0) else { throw .unrecognized }
                let (nanos, overflow) = ms.multipliedReportingOverflow(by: 1_000_000)
                if overflow { throw .malformed("line \(scanner.lineNumber): ms since reset = \(ms) overflows 64-bit nanoseconds") }
                builder.durationNanos = nanos
            case "discarded samples":
                break
            default:
                // Including `format` and `resolution`, which only Java's contention profiles have.
                throw .unrecognized
            }
        }
        while true {
            let line = GoText.trimSpace(scanner.text)
            if line.hasPrefix("---") { break }
            if !GoText.isSpaceOrComment(line) {
                let (values, addresses) = try parseSample(line, period: builder.period, cyclesPerSecond: cyclesPerSecond,
                                                          lineNumber: scanner.lineNumber)
                builder.addSample(addresses.map { builder.location(at: $0 &- 1) }, values: values)
            }
            if try !scanner.scan() { break }
        }
        try builder.readAdditionalSections(&scanner)
        return builder
    }

    /// pprof's `parseContentionSample`: [count, delay], unsampled, and the return addresses. A
    /// line that is no sample means this is not a contention profile after all.
    static func parseSample(_ line: Bytes, period: Int64, cyclesPerSecond: Int64,
                            lineNumber: Int) throws(LegacyFailure) -> ([Int64], [UInt64]) {
        guard let g = sample.groups(line) else { throw .unrecognized }
        guard var delay = GoStrconv.parseInt(g[1], base: 10) else {
            throw .malformed("line \(lineNumber): the delay \(g[1].excerpt) is not a 64-bit number")
        }
        guard var count = GoStrconv.parseInt(g[2], base: 10) else {
            throw .malformed("line \(lineNumber): the count \(g[2].excerpt) is not a 64-bit number")
        }
        if period > 0 {
            if cyclesPerSecond > 0 {
                let gigahertz = Double(cyclesPerSecond) / 1e9
                guard let nanoseconds = GoStrconv.int64(Double(delay) * Double(period) / gigahertz) else {
                    throw .malformed("line \(lineNumber): a delay of \(delay) cycles sampled every \(period) does not fit in 64-bit nanoseconds")
                }
                delay = nanoseconds
            }
            let (scaled, overflow) = count.multipliedReportingOverflow(by: period)
            if overflow { throw .malformed("line \(lineNumber): \(count) contentions sampled every \(period) overflow 64 bits") }
            count = scaled
        }
        let addresses = try LegacyFailure.atLine(lineNumber) { () throws(LegacyFailure) in try GoStrconv.hexAddresses(g[3]) }
        return ([count, delay], addresses)
    }
}
