#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One number written by a printf conversion (`%.2f`, `%5.2g`, ...), through the C library.
///
/// Foundation's `String(format:)` writes the same text (it hands floating-point conversions to
/// the C library too), but gets there through `NSString` and CoreFoundation's format parser: a
/// hundred times the instructions, and on Linux about a megabyte of Foundation's code paged in
/// by the first lens or `top` row. Every value ProfileLens shows goes through here.
public enum PrintfNumber {
    /// `value` written by `format`, which must hold exactly one conversion of a `double`
    /// (`f`, `e` or `g`, with any flags, width and precision) and may hold `%%`.
    public static func string(_ format: String, _ value: Double) -> String {
        // Sixty-four bytes hold every width and precision ProfileLens asks for unless the value
        // is enormous (`%.2f` of 1e300 takes 300); then the exact size is asked for and used.
        let written = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> String? in
            let count = write(format, value, into: buffer.baseAddress!, size: buffer.count)
            guard count >= 0, count < buffer.count else { return nil }
            return string(from: buffer.baseAddress!, count: count)
        }
        if let written { return written }
        let needed = write(format, value, into: nil, size: 0)
        guard needed >= 0 else { return "" }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: needed + 1) { buffer in
            let count = write(format, value, into: buffer.baseAddress!, size: buffer.count)
            return string(from: buffer.baseAddress!, count: max(0, min(count, needed)))
        }
    }

    private static func write(_ format: String, _ value: Double, into buffer: UnsafeMutablePointer<CChar>?,
                              size: Int) -> Int {
        format.withCString { formatChars in
            Int(withVaList([value]) { vsnprintf(buffer, size, formatChars, $0) })
        }
    }

    private static func string(from buffer: UnsafePointer<CChar>, count: Int) -> String {
        buffer.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }
}
