#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on a file: which operation, and the system's reason.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let reason: String

    public init(_ operation: String, errno code: Int32) {
        self.operation = operation
        self.reason = String(cString: strerror(code))
    }

    public init(_ operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "cannot \(operation): \(reason)" }
}

/// One entry of a folder, as `readdir` reports it.
public struct DirectoryEntry: Sendable {
    public enum Kind: Sendable { case regular, directory, symbolicLink, unknown, other }

    public let name: String
    public let kind: Kind
}

/// The file system calls the package makes, each checked, none trapping.
public enum FileSystem {
    /// Reads a whole regular file. A file that shrinks while it is read (a profiler still
    /// writing it) yields what is there.
    public static func readFile(_ path: String) throws(SystemError) -> (bytes: [UInt8], status: FileStatus) {
        let file = try ReadableFile(path: path)
        return (try file.readAll(), file.status)
    }

    /// The first `count` bytes of a file (fewer when it is shorter), or nil when it cannot be read.
    public static func head(_ path: String, count: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { FileDescriptorIO.read(fd, into: $0) }
        guard n >= 0 else { return nil }
        return Array(bytes.prefix(n))
    }

    /// The entries of a folder, without `.` and `..`, in the order the system gives them;
    /// nil when the folder cannot be opened.
    public static func entries(of path: String) -> [DirectoryEntry]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var result: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let name = entryName(entry)
            if name == "." || name == ".." { continue }
            let kind: DirectoryEntry.Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = .unknown
            default: kind = .other
            }
            result.append(DirectoryEntry(name: name, kind: kind))
        }
        return result
    }

    /// The name of a directory entry, read in place.
    ///
    /// glibc packs entries tightly in its buffer, so the last entry's `d_name` may be much
    /// shorter than the 256 bytes the struct declares. Copying the struct field reads past the
    /// end of the buffer, which AddressSanitizer caught while fuzzing; reading the
    /// NUL-terminated name where it lies does not.
    private static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 0
        return String(cString: UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self))
    }

    /// The canonical absolute path (symbolic links resolved), or nil when the file does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The first lines of a text file, at most `maxLines`, for small configuration files
    /// such as `go.mod`; nil when the file cannot be read.
    public static func leadingLines(_ path: String, maxLines: Int, maxBytes: Int = 64 << 10) -> [String]? {
        guard let bytes = head(path, count: maxBytes) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return Array(text.split(separator: "\n", omittingEmptySubsequences: false).prefix(maxLines).map(String.init))
    }
}
