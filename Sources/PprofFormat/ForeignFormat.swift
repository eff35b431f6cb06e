/// Files people give a pprof reader that are profiles, but not pprof's: named in the error, with
/// what to do about them, instead of a protobuf error about a wire type.
enum ForeignFormat {
    /// What `head` (the first, uncompressed bytes) recognizably is, as a sentence, or nil.
    static func describe(_ head: Bytes) -> String? {
        if head.hasPrefix("PERFILE2") || head.hasPrefix("2ELIFREP") {
            return "perf.data is not a pprof profile; convert it with perf_to_profile (github.com/google/perf_data_converter)"
        }
        if head.hasPrefix("FLR\u{0}") {
            return "a Java Flight Recorder (JFR) recording is not a pprof profile; convert it with async-profiler's converter (jfr2pprof)"
        }
        let text = GoText.trimSpace(head)
        if let first = text.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return "JSON (a V8 .cpuprofile, speedscope or Chrome trace file?) is not a pprof profile; save the profile in pprof format instead"
        }
        var scanner = LegacyLineScanner(head)
        var lines: [Bytes] = []
        while lines.count < 8, (try? scanner.scan()) == true {
            let line = GoText.trimSpace(scanner.text)
            if !line.isEmpty { lines.append(line) }
        }
        guard let first = lines.first else { return nil }
        if goroutineDump.matches(first) {
            return "a goroutine dump (debug=2) is not a profile; fetch /debug/pprof/goroutine with debug=0 (pprof) or debug=1 (counts), which profilelens reads"
        }
        // A complete last line only: the head may end inside one.
        let complete = head.count < 64 * 1024 ? lines : Array(lines.dropLast())
        if let line = complete.first, folded.matches(line), line.contains(";") || complete.allSatisfy({ folded.matches($0) }) {
            return "folded stacks (\"a;b;c 12\", as flamegraph.pl reads them) are not a pprof profile; profilelens reads pprof and the legacy formats go tool pprof reads"
        }
        // Any other text: a protobuf error about wire types would say nothing to its reader.
        if head.prefix(4096).allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return "the file is text: neither a pprof profile (protobuf, gzipped or not) nor one of the legacy text formats go tool pprof reads"
        }
        return nil
    }

    /// `goroutine 1 [running]:`.
    static let goroutineDump = LegacyRegex(.seq(.start, .literal("goroutine "), .plus(.byte(.digit)), .literal(" [")))
    /// `frame;frame;frame 12`: a stack, one space, a count.
    static let folded = LegacyRegex(.seq(.start, .plus(.byte(.notNewline)), .literal(" "), .plus(.byte(.digit)), .end))

    /// `error`, reworded when the bytes are recognizably another format (the protobuf error is kept).
    static func explain(_ error: DecodeError, head: Bytes) -> DecodeError {
        guard let sentence = describe(head) else { return error }
        return DecodeError("\(sentence) (as protobuf: \(error))")
    }
}
