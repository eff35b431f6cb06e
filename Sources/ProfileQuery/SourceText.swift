import Foundation

/// The lines of a source file, read for listings. Invalid UTF-8 is replaced rather than
/// refused: a listing with one odd character beats no listing.
public enum SourceText {
    public static func lines(ofFile path: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
    }
}
