/// How `ProfileParser.decode` falls back on the legacy formats, as `go tool pprof` does: the
/// protobuf first, then the legacy parsers on the (gunzipped) bytes. Raw text that starts like
/// a legacy header is tried as legacy first: it cannot be a protobuf profile's start, and its
/// errors are the useful ones.
extension ProfileParser {
    /// The legacy profile in raw (not gzipped) `bytes` whose first line reads like a text
    /// legacy header; nil when it is none after all.
    static func decodeLegacyText(_ bytes: Bytes) throws(DecodeError) -> DecodedProfile? {
        guard !Gzip.isCompressed(bytes), isPlainText(firstLineOf: bytes), LegacyProfileParser.startsAsText(bytes),
              let profile = try LegacyProfileParser.parse(bytes) else { return nil }
        return DecodedProfile(profile: profile, warnings: [], wasCompressed: false, uncompressedByteCount: bytes.count)
    }

    /// After the protobuf decoder failed with `error`: the legacy profile in `bytes`, or
    /// `error`, reworded when the bytes are recognizably some other format.
    static func decodeLegacy(_ bytes: Bytes, options: DecodeOptions, protobufError error: DecodeError) throws(DecodeError) -> DecodedProfile {
        if !Gzip.isCompressed(bytes) {
            if LegacyProfileParser.mightBeLegacy(bytes), let profile = try LegacyProfileParser.parse(bytes) {
                return DecodedProfile(profile: profile, warnings: [], wasCompressed: false, uncompressedByteCount: bytes.count)
            }
            throw ForeignFormat.explain(error, head: bytes[bytes: 0 ..< min(bytes.count, 64 << 10)])
        }
        // Look at the start before inflating it all: most bytes that fail are no legacy profile.
        guard let inflater = try? GzipInflater(.memory(bytes), limit: options.maxDecompressedBytes) else { throw error }
        var all: [UInt8] = []
        guard (try? inflate(inflater, into: &all, stopAfter: 64 << 10)) != nil else { throw error }
        let head = all
        let headRead = head.withUnsafeBufferPointer { LegacyProfileParser.mightBeLegacy($0) }
        guard headRead else { throw head.withUnsafeBufferPointer { ForeignFormat.explain(error, head: $0) } }
        // It starts like a legacy profile: now a failure to inflate the rest is the news.
        try inflate(inflater, into: &all, stopAfter: nil)
        let profile = try all.withUnsafeBufferPointer { (data) throws(DecodeError) -> Profile? in try LegacyProfileParser.parse(data) }
        guard let profile else { throw head.withUnsafeBufferPointer { ForeignFormat.explain(error, head: $0) } }
        return DecodedProfile(profile: profile, warnings: [], wasCompressed: true, uncompressedByteCount: all.count)
    }

    /// Whether the first line that is not blank has no control bytes but tabs (a protobuf's has).
    private static func isPlainText(firstLineOf bytes: Bytes) -> Bool {
        var i = 0
        while i < bytes.count, bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        while i < bytes.count, bytes[i] != 0x0A {
            let b = bytes[i]
            if b < 0x20 && b != 0x09 && b != 0x0D { return false }
            if b == 0x7F { return false }
            i += 1
        }
        return true
    }

    /// The uncompressed bytes of gzip `bytes`, all of them (at most `limit`).
    static func inflate(_ bytes: Bytes, limit: Int) throws(DecodeError) -> [UInt8] {
        var out: [UInt8] = []
        try inflate(try GzipInflater(.memory(bytes), limit: limit), into: &out, stopAfter: nil)
        return out
    }

    /// Appends what `inflater` produces to `out`: to the end, or until `out` holds at least
    /// `stopAfter` bytes (a later call goes on from there).
    private static func inflate(_ inflater: GzipInflater, into out: inout [UInt8], stopAfter: Int?) throws(DecodeError) {
        let chunk = 64 << 10
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { buffer.deallocate() }
        while stopAfter.map({ out.count < $0 }) ?? true {
            let count = try inflater.produce(into: buffer, capacity: chunk)
            if count == 0 { break }
            out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
        }
    }
}
