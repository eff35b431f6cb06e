/// The binary CPU profile of gperftools (and of Go before 1.9, and of Google's Java agent):
/// machine words of 32 or 64 bits in either byte order.
///
///     header:  0, 3, 0 (C++) or 1 (Java), sampling period in microseconds, 0
///     sample:  count, number of frames n, n return addresses (leaf first)
///     end:     0, 1, 0
///
/// then, as text, the memory map (C++) or the symbols (Java). pprof tries the word layouts in the
/// order 32-bit little-endian, 32-bit big-endian, 64-bit little-endian, 64-bit big-endian, and
/// takes the first whose header fits.
enum LegacyCPU {
    struct WordReader {
        let size: Int
        let bigEndian: Bool

        /// The word at `offset`, or nil when fewer than `size` bytes remain.
        func word(_ data: Bytes, at offset: Int) -> UInt64? {
            guard offset >= 0, data.count - offset >= size else { return nil }
            var value: UInt64 = 0
            for k in 0 ..< size {
                let b = UInt64(data[offset + (bigEndian ? k : size - 1 - k)])
                value = value << 8 | b
            }
            return value
        }

        var name: String { "\(size * 8)-bit \(bigEndian ? "big" : "little")-endian" }
    }

    static let layouts = [WordReader(size: 4, bigEndian: false), WordReader(size: 4, bigEndian: true),
                          WordReader(size: 8, bigEndian: false), WordReader(size: 8, bigEndian: true)]

    /// The layout and header of a CPU profile, if `data` starts with one: (reader, period in
    /// microseconds, whether it is Java's).
    static func header(_ data: Bytes) -> (reader: WordReader, period: UInt64, java: Bool)? {
        for reader in layouts {
            let words = (0 ..< 5).compactMap { reader.word(data, at: $0 * reader.size) }
            guard words.count == 5, words[0] == 0, words[1] == 3, words[2] <= 1, words[3] > 0, words[4] == 0 else { continue }
            return (reader, words[3], words[2] == 1)
        }
        return nil
    }

    /// pprof's `parseCPU`.
    static func parse(_ data: Bytes) throws(LegacyFailure) -> LegacyProfileBuilder {
        guard let (reader, microseconds, java) = header(data) else { throw .unrecognized }
        guard microseconds <= UInt64(Int64.max / 1000) else {
            throw .malformed("the sampling period of \(microseconds) microseconds is too large")
        }
        var builder = LegacyProfileBuilder(
            sampleTypes: [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")],
            periodType: ValueType(type: "cpu", unit: "nanoseconds"), period: Int64(microseconds) * 1000)
        let rest = try readSamples(data, from: 5 * reader.size, reader: reader, adjust: !java, into: &builder)
        if java {
            try LegacyJava.readLocations(data[bytes: rest ..< data.count], into: &builder)
            builder.aggregateAddresses()
            return builder
        }
        stripSignalFrames(&builder)
        var scanner = LegacyLineScanner(data, from: rest)
        try builder.readMemoryMap(&scanner)
        builder.cleanupDuplicateLocations()
        return builder
    }

    /// pprof's `parseCPUSamples`: the samples up to the end marker; returns the offset after it.
    /// Every return address but the leaf is moved back by one, onto its call instruction.
    static func readSamples(_ data: Bytes, from start: Int, reader: WordReader, adjust: Bool,
                            into builder: inout LegacyProfileBuilder) throws(LegacyFailure) -> Int {
        var offset = start
        let size = reader.size
        while offset < data.count {
            let sampleOffset = offset
            guard let count = reader.word(data, at: offset), let frames = reader.word(data, at: offset + size) else {
                throw .malformed("truncated \(reader.name) CPU profile: \(data.count - offset) bytes at byte \(offset) are not a whole sample header")
            }
            offset += 2 * size
            let left = UInt64((data.count - offset) / size)
            guard frames <= left else {
                throw .malformed("the sample at byte \(sampleOffset) has \(frames) frames, but only \(left) words remain")
            }
            var addresses: [UInt64] = []
            addresses.reserveCapacity(Int(frames))
            for _ in 0 ..< Int(frames) {
                addresses.append(reader.word(data, at: offset) ?? 0)
                offset += size
            }
            if count == 0 && frames == 1 && addresses[0] == 0 { break }
            guard count <= UInt64(Int64.max) else {
                throw .malformed("the sample at byte \(sampleOffset) has a count of \(count), more than 2^63")
            }
            let (cpu, overflow) = Int64(count).multipliedReportingOverflow(by: builder.period)
            if overflow {
                throw .malformed("the sample at byte \(sampleOffset): \(count) samples of \(builder.period)ns overflow 64 bits")
            }
            var stack: [Int] = []
            stack.reserveCapacity(addresses.count)
            for (i, address) in addresses.enumerated() {
                stack.append(builder.location(at: adjust && i > 0 ? address &- 1 : address))
            }
            builder.addSample(stack, values: [Int64(count), cpu])
        }
        return offset
    }

    /// When (nearly) every sample has the same second frame, that frame was pushed by the
    /// signal handler, not called by the program: pprof removes it, at most twice. "Nearly" is
    /// all but one sample in 32.
    static func stripSignalFrames(_ builder: inout LegacyProfileBuilder) {
        let margin = builder.sampleCount / 32
        for _ in 0 ..< 2 {
            var counts: [UInt64: Int] = [:]
            for stack in builder.stacks where stack.count > 1 {
                counts[builder.locationAddress[stack[1]], default: 0] += 1
            }
            // At most one address can be on all but `margin` samples; with none, the stacks
            // are as they were and a second pass would find none either.
            guard let (address, _) = counts.first(where: { $0.value >= builder.sampleCount - margin }) else { break }
            for s in builder.stacks.indices where builder.stacks[s].count > 1 {
                if builder.locationAddress[builder.stacks[s][1]] == address { builder.stacks[s].remove(at: 1) }
            }
        }
    }
}

extension LegacyProfileBuilder {
    /// pprof's `Aggregate(true, true, true, true, false)` on a Java profile: addresses are dropped
    /// so that locations merge by function and line.
    mutating func aggregateAddresses() {
        for l in locationAddress.indices { locationAddress[l] = 0 }
    }
}
