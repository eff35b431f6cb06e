/// The profile formats from before profile.proto that `go tool pprof` still reads, tried as
/// google/pprof's `parseLegacy` tries them when the bytes are not a protobuf profile.
///
/// Each parser either does not recognize the bytes (the next one is tried), or recognizes them
/// and builds the profile, or recognizes them and finds them broken: then reading stops with
/// that error, as pprof's does. The results are what pprof's parsers make, with the same
/// mappings, addresses, values, types and frames to drop; numbers pprof would let overflow are
/// errors here.
public enum LegacyProfileParser {
    struct Format: Sendable {
        let name: String
        let parse: @Sendable (Bytes) throws(LegacyFailure) -> LegacyProfileBuilder
    }

    /// pprof's order.
    static let formats: [Format] = [
        Format(name: "CPU", parse: { (b) throws(LegacyFailure) in try LegacyCPU.parse(b) }),
        Format(name: "heap", parse: { (b) throws(LegacyFailure) in try LegacyHeap.parse(b) }),
        Format(name: "count", parse: { (b) throws(LegacyFailure) in try LegacyCount.parse(b) }),
        Format(name: "threadz", parse: { (b) throws(LegacyFailure) in try LegacyThread.parse(b) }),
        Format(name: "contention", parse: { (b) throws(LegacyFailure) in try LegacyContention.parse(b) }),
        Format(name: "Java", parse: { (b) throws(LegacyFailure) in try LegacyJava.parse(b) }),
    ]

    /// The profile in `data` (uncompressed), or nil when it is in none of the legacy formats.
    public static func parse(_ data: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> Profile? {
        for format in formats {
            do throws(LegacyFailure) {
                return try format.parse(data).profile()
            } catch {
                switch error {
                case .unrecognized: continue
                case .malformed(let message): throw DecodeError("legacy \(format.name) profile: \(message)")
                }
            }
        }
        return nil
    }

    public static func parse(_ data: [UInt8]) throws(DecodeError) -> Profile? {
        try data.withUnsafeBufferPointer { (buffer) throws(DecodeError) -> Profile? in try parse(buffer) }
    }

    /// Whether `head`, the first bytes of a file, could start a legacy profile: a binary CPU
    /// header, or a first line (after blank and `#` lines) like the headers of the text formats.
    /// A cheap test: the parsers decide.
    static func mightBeLegacy(_ head: Bytes) -> Bool {
        LegacyCPU.header(head) != nil || startsAsText(head)
    }

    /// Whether `head` (a file's first bytes) starts like a legacy profile by the headers the
    /// formats write (stricter than `mightBeLegacy`, which only needs to pick a parser): for
    /// picking profiles out of a folder, where a README's `---` must not count.
    static func startsWithLegacyHeader(_ head: Bytes) -> Bool {
        if LegacyCPU.header(head) != nil { return true }
        var scanner = LegacyLineScanner(head)
        while (try? scanner.scan()) == true {
            if GoText.isSpaceOrComment(scanner.text) { continue }
            let line = String(decoding: scanner.text, as: UTF8.self).trimmingLeadingSpaces()
            let prefixes = ["heap profile:", "--- contention", "--- mutex", "--- threadz", "--- heapz", "--- contentionz",
                            "--- growthz", "--- fragmentationz"]
            if prefixes.contains(where: { line.hasPrefix($0) }) { return true }
            // Go's count profiles: `goroutine profile: total 5`, `threadcreate profile: total 2`.
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            return words.count >= 4 && words[1] == "profile:" && words[2] == "total" && Int(words[3]) != nil
        }
        return false
    }

    /// Whether the first meaningful line of `head` looks like a text legacy header
    /// (`heap profile:`, `goroutine profile: total`, `--- …`).
    static func startsAsText(_ head: Bytes) -> Bool {
        var scanner = LegacyLineScanner(head)
        while (try? scanner.scan()) == true {
            if GoText.isSpaceOrComment(scanner.text) { continue }
            let line = scanner.text
            return line.contains("profile:") || line.contains("---")
        }
        return false
    }
}

extension String {
    /// The string without leading spaces and tabs.
    func trimmingLeadingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" })
    }
}
