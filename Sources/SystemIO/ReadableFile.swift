#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file open for reading, read a piece at a time: a gzip profile streams through the
/// inflater from its descriptor instead of being held whole. Closed when released.
public final class ReadableFile: @unchecked Sendable {
    public let path: String
    public let status: FileStatus
    private let descriptor: Int32

    /// Opens a regular file; anything else (a folder, a device, a pipe) is refused.
    public init(path: String) throws(SystemError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open", errno: errno) }
        guard let status = FileStatus(descriptor: fd) else {
            let code = errno
            close(fd)
            throw SystemError("stat", errno: code)
        }
        guard status.isRegularFile else {
            close(fd)
            throw SystemError("read", reason: "not a regular file")
        }
        self.path = path
        self.status = status
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Reads the next bytes into `buffer`, up to its size; 0 at the end of the file. A file that
    /// shrinks while it is read simply ends sooner.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        let n = FileDescriptorIO.read(descriptor, into: buffer)
        if n < 0 { throw SystemError("read", errno: errno) }
        return n
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the read position; fewer
    /// when the file ends first.
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        var total = 0
        while total < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw SystemError("read", errno: errno) }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// The whole file from its start, whatever was read before, up to the size it had when it
    /// was opened.
    public func readAll() throws(SystemError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(max(status.size, 0)))
        let result = bytes.withUnsafeMutableBytes { buffer in Result { () throws(SystemError) -> Int in try read(at: 0, into: buffer) } }
        let count = try result.get()
        if count < bytes.count { bytes.removeLast(bytes.count - count) }
        return bytes
    }
}
