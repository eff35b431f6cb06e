#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let (bytes, mtime) = try readAll(path)
        do {
            let decoded = try ProfileParser.decode(bytes, options: options)
            return LoadedProfile(path: path, profile: decoded.profile, warnings: decoded.warnings,
                                 wasCompressed: decoded.wasCompressed,
                                 uncompressedByteCount: decoded.uncompressedByteCount, modificationTime: mtime)
        } catch {
            throw ProfileLoadError(file: path, message: "not a valid pprof profile: \(error)")
        }
    }

    /// Whether the file starts like a profile: gzip data, or a protobuf whose first field is one
    /// profile.proto defines with the right wire type. Used to pick profiles out of a folder
    /// without decoding every file in it.
    public static func looksLikeProfile(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 16)
        let count = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
        guard count >= 2 else { return false }
        if head[0] == 0x1F && head[1] == 0x8B { return true }
        // The first key of a raw Profile: a known field number with the wire type it should have.
        let key = head[0]
        let field = key >> 3
        let wire = key & 7
        switch field {
        case 1 ... 6, 11: return wire == 2
        case 7 ... 10, 12, 14: return wire == 0
        case 13: return wire == 0 || wire == 2
        default: return false
        }
    }

    /// Reads a whole file with POSIX calls, checking every count.
    static func readAll(_ path: String) throws(ProfileLoadError) -> ([UInt8], Double) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ProfileLoadError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ProfileLoadError(file: path, message: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ProfileLoadError(file: path, message: "not a regular file")
        }
        let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        let expected = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: max(expected, 0))
        var total = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            while total < buffer.count {
                let n = read(fd, buffer.baseAddress! + total, buffer.count - total)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { break }
                total += n
            }
        }
        if failure != 0 {
            throw ProfileLoadError(file: path, message: "cannot read: \(String(cString: strerror(failure)))")
        }
        // The file may have shrunk while we read it (a profiler still writing); keep what is there.
        if total < bytes.count { bytes.removeLast(bytes.count - total) }
        return (bytes, mtime)
    }
}
