#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text heap profiles: Go's `runtime/pprof` heap profile at debug=1, gperftools' heap profile,
/// and the growth and fragmentation profiles, all headed `heap profile: …`.
///
///     heap profile: 3: 24576 [12: 98304] @ heap/1048576
///     2: 16384 [8: 65536] @ 0x401234 0x401567 0x4018ab
///
/// Each sample is `inuse objects: inuse bytes [alloc objects: alloc bytes] @ return addresses`.
/// Go's header names twice its sampling rate (`heap/1048576`: one sample per 512 KiB on average);
/// `heap_v2/N` and `heapz_v2/N` name it; samples of these are unsampled (`scaleHeapSample`).
/// gperftools' `heapprofile` samples are exact.
enum LegacyHeap {
    private static let spaces = LegacyPattern.star(.literal(" "))
    private static let number = LegacyPattern.plus(.byte(.digit))
    private static let signed = LegacyPattern.seq(.optional(.literal("-")), number)

    /// `heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] ` — the four header counts.
    private static func counts(_ closing: LegacyPattern) -> LegacyPattern {
        .seq(.literal("heap profile:"), spaces, .capture(number), .literal(":"), spaces, .capture(number), spaces,
             .literal("["), spaces, .capture(number), .literal(":"), spaces, .capture(number), spaces, closing)
    }

    /// pprof's `heapHeaderRE`: groups 1–4 the counts, 5 the kind (`heap`, `heap_v2`, ...), 6 the rate.
    static let header = LegacyRegex(counts(.seq(
        .literal("]"), spaces, .literal("@"), spaces,
        .capture(.seq(.literal("heap"), .star(.byte(ByteSet("_abcdefghijklmnopqrstuvwxyz0123456789"))))),
        .optional(.literal("/")), .capture(.star(.byte(.digit))))))
    static let growthHeader = LegacyRegex(counts(.seq(.literal("] @ growth"), .optional(.literal("z")))))
    static let fragmentationHeader = LegacyRegex(counts(.seq(.literal("] @ fragmentation"), .optional(.literal("z")))))

    /// pprof's `heapSampleRE`: inuse count and bytes, alloc count and bytes, addresses.
    static let sample = LegacyRegex(.seq(
        .capture(signed), .literal(":"), spaces, .capture(signed), spaces, .literal("["), spaces,
        .capture(number), .literal(":"), spaces, .capture(number), spaces, .literal("] @"),
        .capture(.star(.byte(ByteSet(" x0123456789abcdef"))))))

    /// The sampling of a `heap profile:` header.
    enum Sampling {
        /// Poisson sampling at the given average rate: values are unsampled.
        case poisson
        case exact
    }

    /// pprof's `parseHeap`.
    static func parse(_ data: Bytes) throws(LegacyFailure) -> LegacyProfileBuilder {
        var scanner = LegacyLineScanner(data)
        guard try scanner.scan() else { throw .unrecognized }
        let line = scanner.text
        var sampling = Sampling.exact
        var rate: Int64 = 1
        var hasAlloc = false
        if let g = header.groups(line) {
            (sampling, rate, hasAlloc) = try parseHeader(g)
        } else if !growthHeader.matches(line) && !fragmentationHeader.matches(line) {
            throw .unrecognized
        }
        let types = hasAlloc
            ? [("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes")]
            : [("objects", "count"), ("space", "bytes")]
        var builder = LegacyProfileBuilder(sampleTypes: types.map { ValueType(type: $0.0, unit: $0.1) },
                                           periodType: ValueType(type: "space", unit: "bytes"), period: rate)
        while try scanner.scan() {
            let line = GoText.trimSpace(scanner.text)
            if GoText.isSpaceOrComment(line) { continue }
            if GoText.isMemoryMapSentinel(line) { break }
            let (values, blockSize, addresses) = try LegacyFailure.atLine(scanner.lineNumber) { () throws(LegacyFailure) in
                try parseSample(line, rate: rate, sampling: sampling, includeAlloc: hasAlloc)
            }
            // Every address is a return address: each moves back onto its call.
            builder.addSample(addresses.map { builder.location(at: $0 &- 1) }, values: values, bytes: blockSize)
        }
        try builder.readAdditionalSections(&scanner)
        return builder
    }

    /// pprof's `parseHeapHeader`: the sampling, its rate, and whether the allocation counts
    /// differ from the in-use ones (compared as written: then the profile has four sample types).
    private static func parseHeader(_ g: [Bytes]) throws(LegacyFailure) -> (Sampling, Int64, Bool) {
        var rate: Int64 = 0
        if !g[6].isEmpty {
            guard let value = GoStrconv.parseInt(g[6], base: 10) else { throw .unrecognized }
            rate = value
        }
        let hasAlloc = (!g[3].elementsEqual(g[1]) && !g[3].equals("0")) || (!g[4].elementsEqual(g[2]) && !g[4].equals("0"))
        switch g[5].text {
        case "heapz_v2", "heap_v2": return (.poisson, rate, hasAlloc)
        case "heapprofile": return (.exact, 1, hasAlloc)
        // Go writes twice the sampling rate.
        case "heap": return (.poisson, rate / 2, hasAlloc)
        default: throw .unrecognized
        }
    }

    /// pprof's `parseHeapSample`: the values (alloc count and bytes first when the profile has
    /// them), the block size (bytes per object) and the addresses.
    static func parseSample(_ line: Bytes, rate: Int64, sampling: Sampling,
                            includeAlloc: Bool) throws(LegacyFailure) -> ([Int64], Int64, [UInt64]) {
        guard let g = sample.groups(line) else {
            throw .malformed("\"\(line.excerpt)\" is not a heap sample (inuse objects: bytes [alloc objects: bytes] @ addresses)")
        }
        var values: [Int64] = []
        var blockSize: Int64 = 0
        func add(_ countText: Bytes, _ sizeText: Bytes, _ what: String) throws(LegacyFailure) {
            guard var count = GoStrconv.parseInt(countText, base: 10) else {
                throw .malformed("\(what) count \(countText.excerpt) is not a 64-bit number")
            }
            guard var size = GoStrconv.parseInt(sizeText, base: 10) else {
                throw .malformed("\(what) bytes \(sizeText.excerpt) is not a 64-bit number")
            }
            if count == 0 && size != 0 {
                throw .malformed("\(what) count was 0 but \(what) bytes was \(size)")
            }
            if (count < 0) != (size < 0) && size != 0 {
                throw .malformed("\(what) count \(count) and \(what) bytes \(size) have opposite signs")
            }
            if count != 0 {
                blockSize = size.dividedReportingOverflow(by: count).partialValue
                if sampling == .poisson {
                    (count, size) = try unsample(count: count, size: size, rate: rate)
                }
            }
            values.append(count)
            values.append(size)
        }
        if includeAlloc { try add(g[3], g[4], "allocation") }
        try add(g[1], g[2], "inuse")
        return (values, blockSize, try GoStrconv.hexAddresses(g[5]))
    }

    /// pprof's `scaleHeapSample`: a sample of average size S is in a Poisson-sampled profile with
    /// probability 1 - e^(-S/rate), so its counts are divided by that probability.
    static func unsample(count: Int64, size: Int64, rate: Int64) throws(LegacyFailure) -> (Int64, Int64) {
        if count == 0 || size == 0 { return (0, 0) }
        // A rate of 1 samples everything; below 1 it is unknown.
        if rate <= 1 { return (count, size) }
        let averageSize = Double(size) / Double(count)
        let scale = 1 / (1 - exp(-averageSize / Double(rate)))
        guard let scaledCount = GoStrconv.int64(Double(count) * scale), let scaledSize = GoStrconv.int64(Double(size) * scale) else {
            throw .malformed("\(count) objects of \(size) bytes sampled every \(rate) bytes do not fit in 64 bits once unsampled")
        }
        return (scaledCount, scaledSize)
    }
}
