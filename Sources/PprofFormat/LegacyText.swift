/// The text handling that google/pprof's legacy parsers get from Go's standard library, with
/// Go's semantics: `bufio.Scanner` lines, `strings.TrimSpace`, `strconv.ParseInt`/`ParseUint`,
/// and the `0x…` address lists of `parseHexAddresses`.

/// Why a legacy parser gave up.
enum LegacyFailure: Error {
    /// Not this format: pprof goes on to the next parser.
    case unrecognized
    /// This format, but broken: pprof stops with an error, and so do we.
    case malformed(String)
}

extension LegacyFailure {
    /// `body`'s result; its `malformed` message, if it fails so, says on which line.
    static func atLine<T>(_ line: Int, _ body: () throws(LegacyFailure) -> T) throws(LegacyFailure) -> T {
        do throws(LegacyFailure) {
            return try body()
        } catch {
            switch error {
            case .malformed(let message): throw .malformed("line \(line): \(message)")
            case .unrecognized: throw .unrecognized
            }
        }
    }
}

typealias Bytes = UnsafeBufferPointer<UInt8>

extension UnsafeBufferPointer where Element == UInt8 {
    static var empty: Bytes { Bytes(start: nil, count: 0) }

    subscript(bytes range: Range<Int>) -> Bytes { Bytes(rebasing: self[range]) }

    var text: String { String(decoding: self, as: UTF8.self) }

    /// The text for an error message: at most 60 bytes of it.
    var excerpt: String { count <= 64 ? text : Bytes(rebasing: self[0 ..< 60]).text + "…" }

    func hasPrefix(_ prefix: String) -> Bool {
        var i = 0
        for b in prefix.utf8 {
            guard i < count, self[i] == b else { return false }
            i += 1
        }
        return true
    }

    func contains(_ needle: String) -> Bool { firstRange(of: needle) != nil }

    func firstRange(of needle: String) -> Range<Int>? {
        let n = Array(needle.utf8)
        guard !n.isEmpty, n.count <= count else { return n.isEmpty ? 0 ..< 0 : nil }
        var i = 0
        while i + n.count <= count {
            if self[i] == n[0] {
                var j = 1
                while j < n.count, self[i + j] == n[j] { j += 1 }
                if j == n.count { return i ..< i + n.count }
            }
            i += 1
        }
        return nil
    }

    func equals(_ other: String) -> Bool { count == other.utf8.count && hasPrefix(other) }

    /// The index of the first `byte` at or after `start`.
    func find(_ byte: UInt8, from start: Int = 0) -> Int? {
        var i = start
        while i < count {
            if self[i] == byte { return i }
            i += 1
        }
        return nil
    }
}

/// Lines as Go's `bufio.Scanner` with `ScanLines` gives them: split at `\n`, one `\r` before it
/// dropped, a last line without `\n` kept, and after the last line `text` is empty.
struct LegacyLineScanner {
    /// `bufio.Scanner`'s buffer holds 64 KiB, the line and its newline: pprof fails on longer lines.
    static let maxLineLength = 64 * 1024 - 1

    let data: Bytes
    private(set) var position: Int
    private(set) var text: Bytes = .empty
    private(set) var lineNumber = 0

    init(_ data: Bytes, from position: Int = 0) {
        self.data = data
        self.position = min(position, data.count)
    }

    mutating func scan() throws(LegacyFailure) -> Bool {
        guard position < data.count else {
            text = .empty
            return false
        }
        let newline = data.find(0x0A, from: position)
        var end = newline ?? data.count
        if end > position, data[end - 1] == 0x0D { end -= 1 }
        lineNumber += 1
        if end - position > Self.maxLineLength {
            // A file whose first line is that long is no text profile at all.
            if lineNumber == 1 && position == 0 { throw .unrecognized }
            throw .malformed("line \(lineNumber) is longer than 64 KiB, the longest line pprof reads")
        }
        text = data[bytes: position ..< end]
        position = newline.map { $0 + 1 } ?? data.count
        return true
    }
}

enum GoText {
    /// `strings.TrimSpace`: Unicode white space (`unicode.IsSpace`) off both ends.
    static func trimSpace(_ s: Bytes) -> Bytes {
        var start = 0
        var end = s.count
        while start < end {
            if s[start] < 0x80 {
                guard isASCIISpace(s[start]) else { break }
                start += 1
            } else if let (scalar, length) = decode(s, at: start), scalar.properties.isWhitespace {
                start += length
            } else {
                break
            }
        }
        while end > start {
            if s[end - 1] < 0x80 {
                guard isASCIISpace(s[end - 1]) else { break }
                end -= 1
                continue
            }
            // The scalar ending at `end`: back over at most three continuation bytes.
            var lead = end - 1
            while lead > start, end - lead < 4, s[lead] & 0xC0 == 0x80 { lead -= 1 }
            guard let (scalar, length) = decode(s, at: lead), lead + length == end, scalar.properties.isWhitespace else { break }
            end = lead
        }
        return s[bytes: start ..< end]
    }

    static func trimSpace(_ s: String) -> String {
        var copy = s
        return copy.withUTF8 { trimSpace($0).text }
    }

    static func isASCIISpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }

    /// The scalar whose UTF-8 encoding starts at `i`, or nil for invalid (or overlong) UTF-8.
    private static func decode(_ s: Bytes, at i: Int) -> (Unicode.Scalar, Int)? {
        let b0 = s[i]
        let length: Int
        var value: UInt32
        switch b0 {
        case 0xC2 ... 0xDF: length = 2; value = UInt32(b0 & 0x1F)
        case 0xE0 ... 0xEF: length = 3; value = UInt32(b0 & 0x0F)
        case 0xF0 ... 0xF4: length = 4; value = UInt32(b0 & 0x07)
        default: return nil
        }
        guard i + length <= s.count else { return nil }
        for k in 1 ..< length {
            let b = s[i + k]
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// pprof's `isSpaceOrComment`: blank, or `#` after the leading space.
    static func isSpaceOrComment(_ line: Bytes) -> Bool {
        let trimmed = trimSpace(line)
        return trimmed.isEmpty || trimmed[0] == UInt8(ascii: "#")
    }

    /// pprof's `isMemoryMapSentinel`.
    static func isMemoryMapSentinel(_ line: Bytes) -> Bool {
        line.contains("--- Memory map: ---") || line.contains("MAPPED_LIBRARIES:")
    }

    /// `filepath.Base`.
    static func baseName(_ path: String) -> String {
        if path.isEmpty { return "." }
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty { return "/" }
        if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
        return String(trimmed)
    }
}

/// Go's `strconv.ParseUint` and `ParseInt` (64 bits). Base 0 reads Go's prefixes (`0x`, `0o`,
/// `0b`, and a leading `0` for octal) and `_` separators. Nil for any error: syntax or range.
enum GoStrconv {
    static func parseUint(_ s: Bytes, base requested: Int) -> UInt64? {
        guard !s.isEmpty else { return nil }
        var base = requested
        var digits = s
        let baseZero = requested == 0
        if baseZero {
            base = 10
            if s[0] == UInt8(ascii: "0") {
                let second = s.count >= 3 ? s[1] | 0x20 : 0
                switch second {
                case UInt8(ascii: "b"): base = 2; digits = s[bytes: 2 ..< s.count]
                case UInt8(ascii: "o"): base = 8; digits = s[bytes: 2 ..< s.count]
                case UInt8(ascii: "x"): base = 16; digits = s[bytes: 2 ..< s.count]
                default: base = 8; digits = s[bytes: 1 ..< s.count]
                }
            }
        }
        var n: UInt64 = 0
        var underscores = false
        for c in digits {
            if c == UInt8(ascii: "_") && baseZero {
                underscores = true
                continue
            }
            let d: UInt64
            switch c {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): d = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a") ... UInt8(ascii: "z"): d = UInt64(c - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"): d = UInt64(c - UInt8(ascii: "A")) + 10
            default: return nil
            }
            guard d < UInt64(base) else { return nil }
            let (times, o1) = n.multipliedReportingOverflow(by: UInt64(base))
            let (sum, o2) = times.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            n = sum
        }
        if underscores && !underscoreOK(s) { return nil }
        return n
    }

    static func parseInt(_ s: Bytes, base: Int) -> Int64? {
        guard !s.isEmpty else { return nil }
        var rest = s
        var negative = false
        if s[0] == UInt8(ascii: "+") || s[0] == UInt8(ascii: "-") {
            negative = s[0] == UInt8(ascii: "-")
            rest = s[bytes: 1 ..< s.count]
        }
        guard let magnitude = parseUint(rest, base: base) else { return nil }
        let cutoff = UInt64(1) << 63
        if !negative && magnitude >= cutoff { return nil }
        if negative && magnitude > cutoff { return nil }
        return negative ? Int64(bitPattern: 0 &- magnitude) : Int64(magnitude)
    }

    /// Go's rule for `_` in base-0 literals: only between digits, or after a base prefix.
    private static func underscoreOK(_ literal: Bytes) -> Bool {
        var s = literal
        if let first = s.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { s = s[bytes: 1 ..< s.count] }
        var saw: UInt8 = UInt8(ascii: "^")
        var i = 0
        var hex = false
        if s.count >= 2, s[0] == UInt8(ascii: "0") {
            let p = s[1] | 0x20
            if p == UInt8(ascii: "b") || p == UInt8(ascii: "o") || p == UInt8(ascii: "x") {
                i = 2
                saw = UInt8(ascii: "0")
                hex = p == UInt8(ascii: "x")
            }
        }
        while i < s.count {
            let c = s[i]
            let lower = c | 0x20
            if (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (hex && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f")) {
                saw = UInt8(ascii: "0")
            } else if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
            } else {
                if saw == UInt8(ascii: "_") { return false }
                saw = UInt8(ascii: "!")
            }
            i += 1
        }
        return saw != UInt8(ascii: "_")
    }

    /// pprof's `parseHexAddresses`: every `0x[0-9a-f]+` in `s`, leftmost first; an address that
    /// does not fit in 64 bits makes the sample malformed.
    static func hexAddresses(_ s: Bytes) throws(LegacyFailure) -> [UInt64] {
        var result: [UInt64] = []
        var i = 0
        while i + 2 < s.count {
            guard s[i] == UInt8(ascii: "0"), s[i + 1] == UInt8(ascii: "x"), ByteSet.lowerHex.contains(s[i + 2]) else {
                i += 1
                continue
            }
            var end = i + 2
            while end < s.count, ByteSet.lowerHex.contains(s[end]) { end += 1 }
            let token = s[bytes: i ..< end]
            guard let address = parseUint(token, base: 0) else {
                throw .malformed("\(token.excerpt) is not a 64-bit address")
            }
            result.append(address)
            i = end
        }
        return result
    }

    /// Go's `int64(f)` for the values pprof converts, checked: nil when `f` is not a number or
    /// does not fit (where Go would silently produce a wrong value).
    static func int64(_ f: Double) -> Int64? {
        guard f.isFinite, f > -9.223372036854775808e18, f < 9.223372036854775808e18 else { return nil }
        return Int64(f)
    }
}
