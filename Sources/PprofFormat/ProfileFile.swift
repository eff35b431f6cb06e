import SystemIO

/// A profile read from a file.
public struct LoadedProfile: Sendable {
    /// The path it was read from.
    public var path: String
    public var profile: Profile
    public var warnings: [String]
    public var wasCompressed: Bool
    public var uncompressedByteCount: Int
    /// The file's modification time, in seconds since 1970, so editors can warn when a source
    /// file is newer than the profile that describes it.
    public var modificationTime: Double

    public init(path: String, profile: Profile, warnings: [String], wasCompressed: Bool,
                uncompressedByteCount: Int, modificationTime: Double) {
        self.path = path
        self.profile = profile
        self.warnings = warnings
        self.wasCompressed = wasCompressed
        self.uncompressedByteCount = uncompressedByteCount
        self.modificationTime = modificationTime
    }
}

/// Reads profile files from disk.
public enum ProfileFile {
    /// Reads and decodes the profile at `path`. Every failure names the file and what is wrong.
    public static func load(_ path: String, options: DecodeOptions = DecodeOptions()) throws(ProfileLoadError) -> LoadedProfile {
        let file: ReadableFile
        do {
            file = try ReadableFile(path: path)
        } catch {
            throw ProfileLoadError(file: path, message: error.description)
        }
        do {
            let decoded = try ProfileParser.decode(file: file, options: options)
            return LoadedProfile(path: path, profile: decoded.profile, warnings: decoded.warnings,
                                 wasCompressed: decoded.wasCompressed,
                                 uncompressedByteCount: decoded.uncompressedByteCount,
                                 modificationTime: file.status.modificationTime)
        } catch where error.isReadFailure {
            throw ProfileLoadError(file: path, message: error.message)
        } catch {
            throw ProfileLoadError(file: path, message: "not a valid pprof profile: \(error)")
        }
    }

    /// Whether the file starts like a profile: gzip data, a legacy profile's header, or a
    /// protobuf whose leading fields are
    /// ones profile.proto defines, with the wire types it defines, and whose leading
    /// `sample_type` (every encoder writes it first) reads as a `ValueType`. Used to pick
    /// profiles out of a folder without decoding every file in it: a text file that happens to
    /// start with a newline (field 1, length-delimited) is not taken for one.
    public static func looksLikeProfile(_ path: String) -> Bool {
        guard let head = FileSystem.head(path, count: 256) else { return false }
        return looksLikeProfile(head: head, isWholeFile: head.count < 256)
    }

    /// `isWholeFile`: the head is the whole file, so a field that runs past it is a sign of
    /// text, not a field to be continued.
    static func looksLikeProfile(head: [UInt8], isWholeFile: Bool = true) -> Bool {
        guard head.count >= 2 else { return false }
        if Gzip.isCompressed(head) { return true }
        // The legacy formats pprof still reads (gperftools CPU and heap, Go's text profiles).
        if head.withUnsafeBufferPointer(LegacyProfileParser.startsWithLegacyHeader) { return true }
        return head.withUnsafeBufferPointer { buffer in
            var reader = WireReader(buffer, origin: 0)
            var fields = 0
            // Fields that run past the head cannot be checked further; what was seen decides.
            while !reader.isAtEnd && fields < 4 {
                guard let key = try? reader.readKey(), ProfileProto.Profile.accepts(field: key.field, wire: key.wire) else {
                    return false
                }
                fields += 1
                guard key.wire == .lengthDelimited else {
                    if (try? reader.readVarint()) == nil { return fields > 1 }
                    continue
                }
                guard let length = try? reader.readVarint() else { return fields > 1 }
                guard length <= UInt64(reader.remaining) else { return !isWholeFile }
                var payload = reader.subReader(count: Int(length))
                if key.field == ProfileProto.Profile.sampleType || key.field == ProfileProto.Profile.periodType,
                   !isValueType(&payload) {
                    return false
                }
            }
            return fields > 0
        }
    }

    /// Whether a message holds only `ValueType`'s fields (type, unit: varints).
    private static func isValueType(_ reader: inout WireReader) -> Bool {
        while !reader.isAtEnd {
            guard let key = try? reader.readKey(), key.field <= 2, key.wire == .varint,
                  (try? reader.readVarint()) != nil else { return false }
        }
        return true
    }
}
