/// The memory map at the end of legacy profiles (`--- Memory map: ---`, `MAPPED_LIBRARIES:`, or
/// the text after a binary CPU profile): /proc/<pid>/maps lines and pprof's briefer
/// `start-end file (@offset) buildid` form, read as google/pprof reads them, and the locations
/// attached to the mappings that hold their addresses.
enum LegacyMemoryMap {
    private static let space = LegacyPattern.byte(.space)
    private static let spaces = LegacyPattern.star(space)
    private static let someSpace = LegacyPattern.plus(space)
    private static let hexDigits = LegacyPattern.plus(.byte(.xdigit))
    /// `(?:0x)?([[:xdigit:]]+)`
    private static let hexNumber = LegacyPattern.seq(.optional(.literal("0x")), .capture(hexDigits))
    /// `\s*` hex `[\s-]?` `\s*` hex `:?`
    private static let range = LegacyPattern.seq(spaces, hexNumber, .optional(.byte(ByteSet.space.union(ByteSet("-")))),
                                                 spaces, hexNumber, .optional(.literal(":")))
    /// `(?:\s+([-rwxp]+))?`
    private static let permissions = LegacyPattern.optional(.seq(someSpace, .capture(.plus(.byte(ByteSet("-rwxp"))))))
    /// `(?:\s+([[:xdigit:]]+))?`
    private static let optionalHex = LegacyPattern.optional(.seq(someSpace, .capture(hexDigits)))
    /// `(?:\s+(\S+))?`
    private static let optionalWord = LegacyPattern.optional(.seq(someSpace, .capture(.plus(.byte(ByteSet.space.inverted)))))

    /// /proc/maps: `start-end perms offset dev inode file`. Groups: start, end, perms, offset, file.
    static let procMaps = LegacyRegex(.seq(
        .start, range, permissions, optionalHex,
        someSpace, hexDigits, .literal(":"), hexDigits, // device
        someSpace, .plus(.byte(.digit)), // inode
        optionalWord))

    /// `start-end [perms] [file] [(@offset)] [buildid]`. Groups: start, end, perms, file, offset, build id.
    static let briefMaps = LegacyRegex(.seq(
        .start, range, permissions, optionalWord,
        .optional(.seq(someSpace, .literal("(@"), .capture(hexDigits), .literal(")"))),
        optionalHex))

    /// glog's `file:line] ` prefix: `^[^\[\]]+:[0-9]+]\s`.
    static let logPrefix = LegacyRegex(.seq(
        .start, .plus(.byte(ByteSet("[]").inverted)), .literal(":"), .plus(.byte(.digit)), .literal("]"), space))

    enum Entry {
        case mapping(LegacyMapping)
        /// A mapping that is not executable: pprof leaves it out.
        case skipped
        case unrecognized
    }

    /// One line of a memory map (pprof's `parseMappingEntry`).
    static func entry(_ line: Bytes) -> Entry {
        // (start, end, permissions, offset, file, build id)
        let fields: (Bytes, Bytes, Bytes, Bytes, Bytes, Bytes)
        if let g = procMaps.groups(line) {
            fields = (g[1], g[2], g[3], g[4], g[5], .empty)
        } else if let g = briefMaps.groups(line) {
            fields = (g[1], g[2], g[3], g[5], g[4], g[6])
        } else {
            return .unrecognized
        }
        let (start, end, permissions, offset, file, buildID) = fields
        if !permissions.isEmpty && !permissions.contains("x") { return .skipped }
        guard let low = GoStrconv.parseUint(start, base: 16), let high = GoStrconv.parseUint(end, base: 16) else { return .unrecognized }
        var mapping = LegacyMapping(start: low, limit: high, file: file.text, buildID: buildID.text)
        if !offset.isEmpty {
            guard let value = GoStrconv.parseUint(offset, base: 16) else { return .unrecognized }
            mapping.offset = value
        }
        return .mapping(mapping)
    }

    /// Every mapping from the scanner's next line to the end (pprof's `parseProcMapsFromScanner`).
    /// Lines that are no mapping are skipped; `name=value` lines among them define `$name`,
    /// replaced in the lines after them.
    static func mappings(_ scanner: inout LegacyLineScanner) throws(LegacyFailure) -> [LegacyMapping] {
        var result: [LegacyMapping] = []
        var variables: [(name: [UInt8], value: [UInt8])] = []
        while try scanner.scan() {
            var line = scanner.text
            if let prefix = logPrefix.match(line), let whole = prefix[0] {
                line = line[bytes: whole.upperBound ..< line.count]
            }
            let replaced = substitute(line, variables)
            let outcome: Entry = replaced.map { bytes in bytes.withUnsafeBufferPointer { entry($0) } } ?? entry(line)
            switch outcome {
            case .mapping(let mapping):
                result.append(mapping)
            case .skipped:
                continue
            case .unrecognized:
                let text = replaced ?? Array(line)
                if let equals = text.firstIndex(of: UInt8(ascii: "=")) {
                    text.withUnsafeBufferPointer { all in
                        let name = GoText.trimSpace(all[bytes: 0 ..< equals])
                        let value = GoText.trimSpace(all[bytes: equals + 1 ..< all.count])
                        variables.append((Array("$".utf8) + Array(name), Array(value)))
                    }
                }
            }
        }
        return result
    }

    /// `strings.Replacer` over `$name` variables: at each position the earliest-defined name that
    /// matches wins. Nil when nothing is replaced.
    private static func substitute(_ line: Bytes, _ variables: [(name: [UInt8], value: [UInt8])]) -> [UInt8]? {
        guard !variables.isEmpty, line.firstIndex(of: UInt8(ascii: "$")) != nil else { return nil }
        var out: [UInt8] = []
        var i = 0
        var changed = false
        scan: while i < line.count {
            for v in variables where i + v.name.count <= line.count {
                var equal = true
                for k in 0 ..< v.name.count where line[i + k] != v.name[k] {
                    equal = false
                    break
                }
                if equal {
                    out.append(contentsOf: v.value)
                    i += v.name.count
                    changed = true
                    continue scan
                }
            }
            out.append(line[i])
            i += 1
        }
        return changed ? out : nil
    }
}

extension LegacyProfileBuilder {
    /// pprof's `parseAdditionalSections`: skips to the memory map, if there is one, and reads it.
    mutating func readAdditionalSections(_ scanner: inout LegacyLineScanner) throws(LegacyFailure) {
        while !GoText.isMemoryMapSentinel(scanner.text), try scanner.scan() {}
        try readMemoryMap(&scanner)
    }

    /// pprof's `ParseMemoryMapFromScanner`: the mappings from the scanner's next line on, then the
    /// renumbering of locations and functions and each location's mapping.
    mutating func readMemoryMap(_ scanner: inout LegacyLineScanner) throws(LegacyFailure) {
        mappings += try LegacyMemoryMap.mappings(&scanner)
        massageMappings()
        remapLocations()
        remapFunctions()
        remapMappings()
    }

    /// pprof's `massageMappings`: joins a mapping split into adjacent pieces, and puts the main
    /// binary (the first that is neither a shared library nor `[special]`) first.
    mutating func massageMappings() {
        if mappings.count > 1 {
            var joined = [mappings[0]]
            for m in mappings.dropFirst() {
                let last = joined.count - 1
                if Self.adjacent(joined[last], m) {
                    joined[last].limit = m.limit
                    if !m.file.isEmpty { joined[last].file = m.file }
                    if !m.buildID.isEmpty { joined[last].buildID = m.buildID }
                    continue
                }
                joined.append(m)
            }
            mappings = joined
        }
        for i in mappings.indices {
            let file = GoText.trimSpace(mappings[i].file.replacing("(deleted)", with: ""))
            if file.isEmpty || Self.isSharedLibrary(file) || file.hasPrefix("[") { continue }
            mappings.swapAt(0, i)
            break
        }
    }

    private static func adjacent(_ a: LegacyMapping, _ b: LegacyMapping) -> Bool {
        if !a.file.isEmpty && !b.file.isEmpty && a.file != b.file { return false }
        if !a.buildID.isEmpty && !b.buildID.isEmpty && a.buildID != b.buildID { return false }
        if a.limit != b.start { return false }
        if a.offset != 0 && b.offset != 0 && a.offset &+ (a.limit &- a.start) != b.offset { return false }
        return true
    }

    /// pprof's `libRx`: `([.]so$|[.]so[._][0-9]+)`.
    static func isSharedLibrary(_ file: String) -> Bool {
        let b = Array(file.utf8)
        var i = 0
        while i + 3 <= b.count {
            if b[i] == UInt8(ascii: "."), b[i + 1] == UInt8(ascii: "s"), b[i + 2] == UInt8(ascii: "o") {
                if i + 3 == b.count { return true }
                if i + 4 < b.count, b[i + 3] == UInt8(ascii: ".") || b[i + 3] == UInt8(ascii: "_"), ByteSet.digit.contains(b[i + 4]) {
                    return true
                }
            }
            i += 1
        }
        return false
    }

    /// pprof's `remapMappingIDs`: drops a leading `/anon_hugepage` piece, moves a main binary
    /// mapped at 0x400000 with an offset back to 0x400000, and gives each location with an
    /// address the mapping that holds it — widening a mapping whose first piece was left out,
    /// or, failing all, one mapping without a file that holds every address.
    mutating func remapMappings() {
        if mappings.count > 1, mappings[0].file.hasPrefix("/anon_hugepage"), mappings[0].limit == mappings[1].start {
            mappings.removeFirst()
        }
        if !mappings.isEmpty, mappings[0].start &- mappings[0].offset == 0x400000 {
            mappings[0].start = 0x400000
            mappings[0].offset = 0
        }
        var fake: Int?
        next: for l in locationAddress.indices {
            let a = locationAddress[l]
            if locationMapping[l] >= 0 || a == 0 { continue }
            for (i, m) in mappings.enumerated() where m.start <= a && a < m.limit {
                locationMapping[l] = i
                continue next
            }
            for (i, m) in mappings.enumerated() where m.offset != 0 && m.start &- m.offset <= a && a < m.start {
                mappings[i].start = m.start &- m.offset
                mappings[i].offset = 0
                locationMapping[l] = i
                continue next
            }
            if fake == nil {
                fake = mappings.count
                mappings.append(LegacyMapping(start: 0, limit: .max))
            }
            locationMapping[l] = fake!
        }
    }
}
