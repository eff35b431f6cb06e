import SystemIO

/// A Go release, as installation paths and `GOROOT/VERSION` name it: `1.20.3`, `1.19`, `1.22rc1`.
///
/// Profiles name standard-library files by where Go was installed on the machine that built the
/// program (`/opt/hostedtoolcache/go/1.20.3/x64/src/runtime/malloc.go`). This machine's
/// `runtime/malloc.go` of another release has other code on those lines, so a file of one
/// release must never be shown with the numbers of another.
public struct GoVersion: Hashable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int?
    /// `rc1`, `beta2`, or "".
    public let prerelease: String

    public var description: String {
        "\(major).\(minor)" + (patch.map { ".\($0)" } ?? "") + prerelease
    }

    /// Whether two versions may be the same release: equal major and minor and pre-release, and
    /// equal patches when both name one (Debian's `go-1.19` may be any 1.19.x).
    public func isCompatible(with other: GoVersion) -> Bool {
        major == other.major && minor == other.minor && prerelease == other.prerelease
            && (patch == nil || other.patch == nil || patch == other.patch)
    }

    /// Parses `1.20.3`, `1.19`, `1.22rc1` (the whole string).
    public init?(_ text: Substring) {
        var rest = text
        func number() -> Int? {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, digits.count <= 6 else { return nil }
            rest = rest.dropFirst(digits.count)
            return Int(digits)
        }
        guard let major = number(), rest.first == "." else { return nil }
        rest = rest.dropFirst()
        guard let minor = number() else { return nil }
        var patch: Int?
        if rest.first == "." {
            rest = rest.dropFirst()
            guard let p = number() else { return nil }
            patch = p
        }
        var prerelease = ""
        for tag in ["rc", "beta"] where rest.hasPrefix(tag) {
            let digits = rest.dropFirst(tag.count).prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty else { return nil }
            prerelease = tag + digits
            rest = rest.dropFirst(tag.count + digits.count)
        }
        guard rest.isEmpty else { return nil }
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// The release a Go installation path names, looking at the part before its last `src`
    /// component (the GOROOT), from its last component to its first:
    /// - a component `go1.21.0` (golang.org/dl, gvm);
    /// - a component holding `go-1.19` or `go1.21.5` after its start, a `-` or an `@` (Debian,
    ///   Nix, GOTOOLCHAIN module paths);
    /// - a component that is just `1.20.3`, after `go`, `golang` or `.goenv/versions` (setup-go,
    ///   Homebrew, asdf, mise).
    /// Nil for paths without a version (`/usr/local/go/src`, `-trimpath`'s `runtime/malloc.go`).
    public static func named(inPath path: String) -> GoVersion? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let src = parts.lastIndex(of: "src") else { return nil }
        let root = parts[..<src]
        for i in root.indices.reversed() {
            let part = root[i]
            if part.hasPrefix("go"), let version = GoVersion(part.dropFirst(2)) { return version }
            if let version = embedded(in: part) { return version }
            if let version = GoVersion(part), i > root.startIndex {
                let before = root[i - 1]
                if before == "go" || before == "golang" { return version }
                if before == "versions", i - 1 > root.startIndex, root[i - 2] == ".goenv" { return version }
            }
        }
        return nil
    }

    /// `go-1.19`, `…-go-1.21.5`, `…@v0.0.1-go1.21.5.linux-amd64` inside one path component.
    private static func embedded(in part: Substring) -> GoVersion? {
        var i = part.startIndex
        while i < part.endIndex {
            let next = part.index(after: i)
            guard part[i] == "g", next < part.endIndex, part[next] == "o" else {
                i = next
                continue
            }
            let atStart = i == part.startIndex
            if atStart || ["-", "@"].contains(part[part.index(before: i)]) {
                var rest = part[part.index(after: next)...]
                if rest.first == "-" { rest = rest.dropFirst() }
                // The version runs to the end, or to a `.` or `-` that does not continue it.
                let candidate = rest.prefix { $0.isNumber || $0 == "." || $0.isLetter }
                var end = candidate.endIndex
                while end > candidate.startIndex {
                    if let version = GoVersion(rest[rest.startIndex ..< end]),
                       end == rest.endIndex || rest[end] == "." || rest[end] == "-" {
                        return version
                    }
                    end = rest.index(before: end)
                }
            }
            i = next
        }
        return nil
    }

    /// The release of the Go installation at `goRoot`: the first line of its `VERSION` file
    /// (read at the path as given: Debian's `/usr/lib/go-1.19` has it, the `src` it links to
    /// does not), else the release its path names. Nil for devel builds and unknown layouts.
    public static func installed(at goRoot: String) -> GoVersion? {
        if let first = FileSystem.leadingLines(FilePath.join(goRoot, "VERSION"), maxLines: 1)?.first {
            let trimmed = first.trimmingCharacters(in: " \t\r")
            if trimmed.hasPrefix("go"), let version = GoVersion(trimmed.dropFirst(2)[...]) { return version }
            if trimmed.hasPrefix("devel") { return nil }
        }
        return named(inPath: FilePath.join(goRoot, "src/x"))
    }
}
