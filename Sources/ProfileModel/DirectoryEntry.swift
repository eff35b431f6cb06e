#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The name of a directory entry returned by `readdir`, read in place.
///
/// glibc packs entries tightly in its buffer, so the last entry's `d_name` may be much shorter
/// than the 256 bytes the struct declares. Copying the struct field (`withUnsafePointer(to:
/// entry.pointee.d_name)`) reads past the end of the buffer, which AddressSanitizer caught
/// while fuzzing; reading the NUL-terminated name where it lies does not.
func directoryEntryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 0
    return String(cString: UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self))
}
