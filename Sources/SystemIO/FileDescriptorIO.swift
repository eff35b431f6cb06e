#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole reads and writes on POSIX file descriptors.
///
/// Foundation's `FileHandle` traps when a write fails, so a log line written to a stderr pipe
/// that the editor has closed would crash the daemon; these calls return what happened instead.
public enum FileDescriptorIO {
    /// Writes all of `bytes`, retrying after interruptions and short writes. Returns false when
    /// the descriptor refuses them (closed pipe, full disk), after writing what it could.
    @discardableResult
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let n = write(descriptor, base + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    @discardableResult
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(descriptor, $0) }
    }

    /// Reads up to `buffer.count` bytes, retrying after interruptions. Returns the count read,
    /// 0 at the end of the input, or -1 with `errno` set.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let n = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// A pipe's two ends, read end first, both closed on exec; nil when the system refuses one.
    public static func makePipe() -> (read: Int32, write: Int32)? {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        return (ends[0], ends[1])
    }

    public static func close(_ descriptor: Int32) {
        _ = systemClose(descriptor)
    }
}

// The C functions under names that the methods above do not shadow.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
