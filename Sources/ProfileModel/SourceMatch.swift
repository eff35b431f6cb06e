import SystemIO

/// Whether a source file can be the one a profile was taken from: costs land on lines that hold
/// code, not on blank lines, comments or past the end.
///
/// A path mapping can find a file of the right name that is not the right file: another
/// version of a library, a file edited since the profile was taken. Its line numbers then point
/// at other code, and showing the numbers there would be worse than showing none.
public enum SourceMatch {
    /// Why `lines` (the file's text) does not fit the costed line numbers (1-based), or nil when
    /// it does. Costs on blank lines, comment-only lines and lines past the end are strong
    /// evidence; costs on a lone brace are weak (Go charges deferred calls and a function's
    /// return to its closing `}`).
    public static func mismatch(costedLines: [Int64], lines: [Substring], fileName: String) -> String? {
        let total = costedLines.count
        guard total > 0 else { return nil }
        let comments = commentMarkers(fileName)
        var strong = 0
        var weak = 0
        for number in costedLines {
            guard number >= 1, number <= Int64(lines.count) else {
                strong += 1
                continue
            }
            let text = lines[Int(number) - 1].trimmingCharacters(in: " \t")
            if text.isEmpty || comments.contains(where: { text.hasPrefix($0) }) || (text == "*" && !comments.isEmpty) {
                strong += 1
            } else if ["}", "{", ")", "]", "};", "})", "},"].contains(text) {
                weak += 1
            }
        }
        let mismatched = (strong >= 2 && strong * 10 >= total) || (total >= 4 && (strong + weak) * 2 >= total)
        guard mismatched else { return nil }
        return "the source does not match the profile: \(strong + weak) of its \(total) costed lines fall on blank, "
            + "comment or brace lines (\(strong) blank, comment or past the end); its numbers are hidden"
    }

    /// How comment lines start in the file's language; none for languages not known here.
    static func commentMarkers(_ fileName: String) -> [String] {
        let base = FunctionIdentity.baseName(fileName)
        guard let dot = base.lastIndex(of: ".") else { return [] }
        switch base[base.index(after: dot)...].lowercased() {
        case "go", "s", "c", "cc", "cpp", "cxx", "h", "hpp", "java", "kt", "scala", "js", "mjs", "cjs", "ts", "rs", "swift", "cs", "php":
            // A block comment's inner lines start with "* " (a line starting "*p" is code).
            return ["//", "/*", "*/", "* "]
        case "py", "rb", "sh", "pl", "r":
            return ["#"]
        case "sql", "lua", "hs":
            return ["--"]
        default:
            return []
        }
    }
}
