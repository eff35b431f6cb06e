import SystemIO

/// The lines of source text, for listings, declarations and the editor's documents: one
/// splitter for all of them, so that line numbers agree everywhere.
public enum SourceText {
    /// Splits text into lines at `\n`, dropping a `\r` before it. A final newline ends the last
    /// line, as a file's lines are counted; an editor buffer counts the empty line after it too
    /// (its cursor can be there), which `keepingLineAfterFinalNewline` asks for.
    public static func lines(of text: String, keepingLineAfterFinalNewline: Bool = false) -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if !keepingLineAfterFinalNewline, text.hasSuffix("\n") { lines.removeLast() }
        return lines.map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    /// The lines of a file on disk, or nil when it cannot be read. Invalid UTF-8 is replaced
    /// rather than refused: a listing with one odd character beats no listing.
    public static func lines(ofFile path: String) -> [Substring]? {
        guard let (bytes, _) = try? FileSystem.readFile(path) else { return nil }
        return lines(of: String(decoding: bytes, as: UTF8.self))
    }
}
