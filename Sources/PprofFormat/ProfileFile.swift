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

    /// Whether the file starts like a profile: gzip data, or a protobuf whose first field is one
    /// profile.proto defines, with the wire type it defines. Used to pick profiles out of a
    /// folder without decoding every file in it.
    public static func looksLikeProfile(_ path: String) -> Bool {
        guard let head = FileSystem.head(path, count: 16) else { return false }
        return looksLikeProfile(head: head)
    }

    static func looksLikeProfile(head: [UInt8]) -> Bool {
        guard head.count >= 2 else { return false }
        if head[0] == 0x1F && head[1] == 0x8B { return true }
        return head.withUnsafeBufferPointer { buffer in
            var reader = WireReader(buffer, origin: 0)
            guard let key = try? reader.readKey() else { return false }
            return ProfileProto.Profile.accepts(field: key.field, wire: key.wire)
        }
    }
}
