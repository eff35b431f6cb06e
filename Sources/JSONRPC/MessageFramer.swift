import SystemIO

/// Splits a byte stream into JSON-RPC messages framed by `Content-Length` headers.
///
/// It is fed whatever `read` returns (a header split across reads, several messages in one
/// read) and yields complete bodies. Malformed headers never stop it: it reports the problem
/// and resynchronises at the next `Content-Length` header. A body longer than the cap is
/// refused before anything is allocated for it.
struct MessageFramer {
    enum Event: Equatable {
        case message([UInt8])
        case error(String)
    }

    let maxContentLength: Int
    /// A header block longer than this without its blank line is garbage.
    let maxHeaderLength = 16 * 1024

    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the end of the current header block resumes, so that a header
    /// arriving a byte at a time is scanned once, not once per byte.
    private var scanned = 0
    /// After a framing error: skip bytes until the next `Content-Length` header.
    private var resynchronising = false

    init(maxContentLength: Int) {
        self.maxContentLength = maxContentLength
    }

    var bufferedByteCount: Int { buffer.count - start }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanned = max(0, scanned - start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message or framing error, or nil when more bytes are needed.
    mutating func next() -> Event? {
        while true {
            if resynchronising {
                guard let found = find(Self.contentLengthName, from: start, caseInsensitive: true) else {
                    // Keep a tail that may be the start of the header.
                    start = max(start, buffer.count - Self.contentLengthName.count)
                    return nil
                }
                start = found
                resynchronising = false
            }
            guard let (headerEnd, bodyStart) = headerTerminator() else {
                if buffer.count - start > maxHeaderLength {
                    resynchronising = true
                    start += 1
                    return .error("a header block longer than \(maxHeaderLength) bytes has no end; skipping to the next message")
                }
                return nil
            }
            let header = Array(buffer[start ..< headerEnd])
            switch parseContentLength(header) {
            case .failure(let message):
                start = bodyStart
                resynchronising = true
                return .error(message)
            case .success(let length):
                guard buffer.count - bodyStart >= length else { return nil }
                let body = Array(buffer[bodyStart ..< bodyStart + length])
                start = bodyStart + length
                return .message(body)
            }
        }
    }

    private static let contentLengthName = Array("content-length".utf8)

    /// The end of the header block (`\r\n\r\n`, or `\n\n` from lenient clients) and where the body starts.
    private mutating func headerTerminator() -> (Int, Int)? {
        // Resume two bytes back: a terminator may straddle the previous end of the buffer.
        var i = max(start, scanned - 2)
        while i < buffer.count {
            if buffer[i] == 0x0A {
                if i + 1 < buffer.count && buffer[i + 1] == 0x0A { return (i, i + 2) }
                if i + 2 < buffer.count && buffer[i + 1] == 0x0D && buffer[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        scanned = buffer.count
        return nil
    }

    private enum Parsed {
        case success(Int)
        case failure(String)
    }

    private func parseContentLength(_ header: [UInt8]) -> Parsed {
        var length: Int?
        let text = String(decoding: header, as: UTF8.self)
        for rawLine in text.split(whereSeparator: \.isNewline) {  // "\r\n" is one Character
            guard let colon = rawLine.firstIndex(of: ":") else {
                return .failure("malformed header line '\(rawLine.prefix(80))'")
            }
            let name = rawLine[..<colon].trimmingCharacters(in: " \t").lowercased()
            let value = rawLine[rawLine.index(after: colon)...].trimmingCharacters(in: " \t")
            guard name == "content-length" else { continue }
            guard !value.isEmpty, value.count <= 18, value.allSatisfy({ $0 >= "0" && $0 <= "9" }), let parsed = Int(value) else {
                return .failure("invalid Content-Length '\(value.prefix(40))': expected a decimal byte count")
            }
            if let length, length != parsed {
                return .failure("two different Content-Length headers (\(length) and \(parsed))")
            }
            length = parsed
        }
        guard let length else { return .failure("a message without a Content-Length header") }
        guard length <= maxContentLength else {
            return .failure("Content-Length \(length) is over the limit of \(maxContentLength) bytes; message refused")
        }
        return .success(length)
    }

    private func find(_ needle: [UInt8], from: Int, caseInsensitive: Bool) -> Int? {
        guard needle.count <= buffer.count - from else { return nil }
        var i = from
        while i + needle.count <= buffer.count {
            var matched = true
            for j in 0 ..< needle.count {
                var byte = buffer[i + j]
                if caseInsensitive && byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                if byte != needle[j] {
                    matched = false
                    break
                }
            }
            if matched { return i }
            i += 1
        }
        return nil
    }
}
