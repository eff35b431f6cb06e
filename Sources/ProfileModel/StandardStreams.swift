#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to stdout and stderr with plain `write(2)`.
///
/// Foundation's `FileHandle.write` traps when the write fails, so a log line written to a
/// stderr pipe that the editor has closed would crash the daemon. These writes ignore errors:
/// a log that cannot be written is dropped, and the process goes on.
public enum StandardStreams {
    public static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    public static func error(_ text: String) { write(text, to: 2) }
    public static func output(_ text: String) { write(text, to: 1) }
}
