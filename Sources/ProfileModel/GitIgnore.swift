/// The patterns of one `.gitignore` file, matched as git matches them, for the workspace walk.
///
/// A workspace's build output, downloaded dependencies and generated files are what its
/// `.gitignore` lists; walking them costs time and memory and gives the path mapper wrong
/// candidates (a vendored copy of `util.go`). Supported: comments, `!` negation, a trailing `/`
/// for folders only, patterns anchored by a `/` at the start or in the middle, `*`, `?`,
/// `[...]` classes and `**` across folders. A later pattern overrides an earlier one, as in git.
struct GitIgnore: Sendable {
    struct Pattern: Sendable {
        /// The pattern's path segments (one for unanchored patterns, which match any name).
        let segments: [[UInt8]]
        let anchored: Bool
        let negated: Bool
        let foldersOnly: Bool
    }

    let patterns: [Pattern]

    /// Reads the patterns of `text` (the contents of a `.gitignore`).
    init(_ text: String) {
        var patterns: [Pattern] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            // Trailing spaces are ignored unless escaped; leading ones are part of the pattern.
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line = line.dropLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var negated = false
            if line.hasPrefix("!") {
                negated = true
                line = line.dropFirst()
            } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
                line = line.dropFirst()
            }
            var foldersOnly = false
            while line.hasSuffix("/") {
                foldersOnly = true
                line = line.dropLast()
            }
            guard !line.isEmpty else { continue }
            let anchored = line.dropLast().contains("/")
            if line.hasPrefix("/") { line = line.dropFirst() }
            let segments = line.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
            guard !segments.isEmpty else { continue }
            patterns.append(Pattern(segments: segments, anchored: anchored, negated: negated, foldersOnly: foldersOnly))
        }
        self.patterns = patterns
    }

    /// Whether the file or folder at `relative` (relative to the `.gitignore`'s folder, `/`
    /// separated) is ignored: the last pattern that matches decides; `nil` when none matches.
    func decision(_ relative: String, isFolder: Bool) -> Bool? {
        let parts = relative.split(separator: "/").map { Array($0.utf8) }
        guard let name = parts.last else { return nil }
        for pattern in patterns.reversed() {
            if pattern.foldersOnly && !isFolder { continue }
            let matched = pattern.anchored
                ? Self.matchPath(pattern.segments[...], parts[...])
                : Self.matchName(pattern.segments[0][...], name[...])
            if matched { return !pattern.negated }
        }
        return nil
    }

    /// Matches path segments, where a `**` segment stands for any number of folders.
    static func matchPath(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == Array("**".utf8) {
            let rest = pattern.dropFirst()
            if rest.isEmpty { return true }
            var tail = path
            while true {
                if matchPath(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let segment = path.first, matchName(first[...], segment[...]) else { return false }
        return matchPath(pattern.dropFirst(), path.dropFirst())
    }

    /// Matches one name against a glob (`*`, `?`, `[a-z]`, `[!a]`, `\x`), iteratively with
    /// backtracking to the last `*`, so that long names cannot blow up.
    static func matchName(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex, n = name.startIndex
        var starP: Int?, starN = name.startIndex
        while n < name.endIndex {
            if p < pattern.endIndex {
                let c = pattern[p]
                if c == UInt8(ascii: "*") {
                    starP = p
                    starN = n
                    p += 1
                    continue
                }
                if c == UInt8(ascii: "?") {
                    p += 1
                    n += 1
                    continue
                }
                if c == UInt8(ascii: "["), let (matched, next) = matchClass(pattern, from: p, name[n]) {
                    if matched {
                        p = next
                        n += 1
                        continue
                    }
                } else {
                    var literal = c
                    var next = p + 1
                    if c == UInt8(ascii: "\\"), next < pattern.endIndex {
                        literal = pattern[next]
                        next += 1
                    }
                    if literal == name[n] {
                        p = next
                        n += 1
                        continue
                    }
                }
            }
            // Mismatch: let the last `*` take one more byte, or fail.
            guard let star = starP else { return false }
            p = star + 1
            starN += 1
            n = starN
        }
        while p < pattern.endIndex && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    /// A `[...]` class at `start`: whether `byte` is in it and the index after it; `nil` when the
    /// class is not closed (then `[` is literal).
    static func matchClass(_ pattern: ArraySlice<UInt8>, from start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.endIndex && (pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^")) {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.endIndex {
            let c = pattern[i]
            if c == UInt8(ascii: "]") && !first { return (matched != negate, i + 1) }
            first = false
            if i + 2 < pattern.endIndex && pattern[i + 1] == UInt8(ascii: "-") && pattern[i + 2] != UInt8(ascii: "]") {
                if c <= byte && byte <= pattern[i + 2] { matched = true }
                i += 3
            } else {
                if c == byte { matched = true }
                i += 1
            }
        }
        return nil
    }
}
