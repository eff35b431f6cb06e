#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat(2)` says of a file, with the platform differences (`st_mtim` on Linux,
/// `st_mtimespec` on Darwin) kept in this one place.
public struct FileStatus: Hashable, Sendable {
    public enum Kind: Sendable { case regular, directory, other }

    public let kind: Kind
    public let size: Int64
    /// The modification time in nanoseconds since 1970.
    public let modifiedNanoseconds: Int64
    public let inode: UInt64

    /// The status of the file at `path`, following symbolic links; nil when it does not exist
    /// or cannot be read.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The status of an open file.
    public init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        let mode = info.st_mode & S_IFMT
        kind = mode == S_IFREG ? .regular : mode == S_IFDIR ? .directory : .other
        size = Int64(info.st_size)
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        modifiedNanoseconds = Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
        inode = UInt64(info.st_ino)
    }

    public var isRegularFile: Bool { kind == .regular }
    public var isDirectory: Bool { kind == .directory }
    /// The modification time in seconds since 1970.
    public var modificationTime: Double { Double(modifiedNanoseconds) / 1e9 }
}
