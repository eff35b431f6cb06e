/// Go's count profiles at debug=1 (`goroutine`, `threadcreate`, or any `NAME profile: total N`):
///
///     goroutine profile: total 5
///     3 @ 0x401234 0x401567 0x4018ab
///     #	0x401233	runtime.gopark+0x53	/usr/local/go/src/runtime/proc.go:363
///
/// The `#` lines are the runtime's symbolization; pprof skips them like any comment, so the
/// profile is unsymbolized.
enum LegacyCount {
    /// pprof's `countStartRE`: `\A(\S+) profile: total \d+\z`.
    static let start = LegacyRegex(.seq(
        .start, .capture(.plus(.byte(ByteSet.space.inverted))), .literal(" profile: total "), .plus(.byte(.digit)), .end))
    /// pprof's `countRE`: `\A(\d+) @(( 0x[0-9a-f]+)+)\z`.
    static let sample = LegacyRegex(.seq(
        .start, .capture(.plus(.byte(.digit))), .literal(" @"),
        .capture(.plus(.capture(.seq(.literal(" 0x"), .plus(.byte(.lowerHex)))))), .end))

    /// pprof's `parseGoCount`.
    static func parse(_ data: Bytes) throws(LegacyFailure) -> LegacyProfileBuilder {
        var scanner = LegacyLineScanner(data)
        while try scanner.scan(), GoText.isSpaceOrComment(scanner.text) {}
        guard let header = start.groups(scanner.text) else { throw .unrecognized }
        let type = ValueType(type: header[1].text, unit: "count")
        var builder = LegacyProfileBuilder(sampleTypes: [type], periodType: type, period: 1)
        while try scanner.scan() {
            let line = scanner.text
            if GoText.isSpaceOrComment(line) { continue }
            if line.hasPrefix("---") { break }
            guard let g = sample.groups(line) else {
                throw .malformed("line \(scanner.lineNumber): \"\(line.excerpt)\" is not a sample (count @ addresses)")
            }
            guard let count = GoStrconv.parseInt(g[1], base: 0) else {
                throw .malformed("line \(scanner.lineNumber): the count \(g[1].excerpt) is not a 64-bit number")
            }
            // Return addresses (the pattern makes each a 0x hex number): each moves back onto
            // its call instruction.
            let addresses = try LegacyFailure.atLine(scanner.lineNumber) { () throws(LegacyFailure) in try GoStrconv.hexAddresses(g[2]) }
            let stack = addresses.map { builder.location(at: $0 &- 1) }
            builder.addSample(stack, values: [count])
        }
        try builder.readAdditionalSections(&scanner)
        return builder
    }
}

/// A threadz dump: each thread's stack, and the memory map.
///
///     --- threadz 1 ---
///     --- Thread 7f0c4a9f6700 (name: server/4242) stack: ---
///       PC: 0x00401234 0x00401567 0x004018ab
///     --- Memory map: ---
///
/// A thread marked "same as previous thread" (or without addresses) counts once more for the
/// sample before it.
enum LegacyThread {
    /// pprof's `threadzStartRE`: `--- threadz \d+ ---`.
    static let start = LegacyRegex(.seq(.literal("--- threadz "), .plus(.byte(.digit)), .literal(" ---")))
    /// pprof's `threadStartRE`: `--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---`.
    static let thread = LegacyRegex(.seq(
        .literal("--- Thread "), .capture(.plus(.byte(.xdigit))), .literal(" (name: "), .capture(.star(.byte(.notNewline))),
        .literal("/"), .capture(.plus(.byte(.digit))), .literal(") stack: ---")))

    /// pprof's `parseThread`.
    static func parse(_ data: Bytes) throws(LegacyFailure) -> LegacyProfileBuilder {
        var scanner = LegacyLineScanner(data)
        while try scanner.scan(), GoText.isSpaceOrComment(scanner.text) {}
        var line = scanner.text
        if start.matches(line) {
            // Skip to the first thread (or the memory map).
            while try scanner.scan() {
                line = scanner.text
                if GoText.isMemoryMapSentinel(line) || line.hasPrefix("-") { break }
            }
        } else if !thread.matches(line) {
            throw .unrecognized
        }
        let type = ValueType(type: "thread", unit: "count")
        var builder = LegacyProfileBuilder(sampleTypes: [type], periodType: type, period: 1)
        while !GoText.isMemoryMapSentinel(line) {
            if line.hasPrefix("---- no stack trace for") { break }
            // pprof gives up on anything else, including a dump that ends without a memory map.
            guard thread.matches(line) else { throw .unrecognized }
            let (next, addresses) = try readStack(&scanner)
            line = next
            if addresses.isEmpty {
                if builder.sampleCount > 0 { builder.values[builder.values.count - 1] &+= 1 }
                continue
            }
            var stack: [Int] = []
            for (i, address) in addresses.enumerated() {
                // The leaf is where the thread is; the others are return addresses.
                stack.append(builder.location(at: i > 0 ? address &- 1 : address))
            }
            builder.addSample(stack, values: [1])
        }
        try builder.readAdditionalSections(&scanner)
        builder.cleanupDuplicateLocations()
        return builder
    }

    /// pprof's `parseThreadSample`: the addresses of one thread, up to the next `---` line, which
    /// it returns (trimmed) with them; no addresses for a thread that is the same as the previous.
    private static func readStack(_ scanner: inout LegacyLineScanner) throws(LegacyFailure) -> (Bytes, [UInt64]) {
        var line = Bytes.empty
        var sameAsPrevious = false
        var addresses: [UInt64] = []
        while try scanner.scan() {
            line = GoText.trimSpace(scanner.text)
            if line.isEmpty { continue }
            if line.hasPrefix("---") { break }
            if line.contains("same as previous thread") {
                sameAsPrevious = true
                continue
            }
            addresses += try LegacyFailure.atLine(scanner.lineNumber) { () throws(LegacyFailure) in try GoStrconv.hexAddresses(line) }
        }
        return (line, sameAsPrevious ? [] : addresses)
    }
}
