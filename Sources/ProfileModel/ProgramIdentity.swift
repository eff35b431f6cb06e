import PprofFormat

/// Which program a profile describes, as far as the profile says: its language, and its main
/// binary when the profiler names one.
///
/// Profiles of one program with the same sample types are summed; profiles of different
/// programs keep their own totals, so that a Python service's CPU never dilutes a Go service's
/// percentages. Two profiles are one program when their languages agree and their binaries
/// agree or one of them has none (Pyroscope's SDKs name no binary).
public struct ProgramIdentity: Hashable, Sendable, CustomStringConvertible {
    public let language: String
    /// The base name of the main binary (mapping 0), when it is a real file.
    public let binary: String?

    public init(language: String, binary: String?) {
        self.language = language
        self.binary = binary
    }

    /// Whether profiles of `self` and `other` describe the same program. A profile that tells
    /// nothing (no samples, so no functions: a block profile of a service that never blocked)
    /// belongs with any.
    public func matches(_ other: ProgramIdentity) -> Bool {
        (language == other.language || language == Self.unknownLanguage || other.language == Self.unknownLanguage)
            && (binary == nil || other.binary == nil || binary == other.binary)
    }

    /// The language of a profile whose functions say nothing.
    public static let unknownLanguage = "unknown"

    /// `checkout (Go)`, `Python`.
    public var description: String {
        binary.map { "\($0) (\(language))" } ?? language
    }

    /// The program of a profile: the language most of its functions are written in, and the
    /// binary of its first mapping.
    public static func of(_ profile: Profile) -> ProgramIdentity {
        var votes: [String: Int] = [:]
        let strings = profile.strings
        // A few thousand functions decide as well as forty thousand; each distinct file name is
        // looked at once.
        var languageOfFile: [UInt32: String?] = [:]
        let functions = profile.functions
        let step = max(1, functions.count / 4096)
        for f in stride(from: 0, to: functions.count, by: step) {
            let fileIndex = functions.filename[f]
            var language: String?
            if let known = languageOfFile[fileIndex] {
                language = known
            } else {
                language = Self.language(file: strings[Int(fileIndex)])
                languageOfFile[fileIndex] = language
            }
            if language == nil { language = Self.language(name: strings[Int(functions.name[f])]) }
            if let language { votes[language, default: 0] += 1 }
        }
        let language = votes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? unknownLanguage
        return ProgramIdentity(language: language, binary: mainBinary(profile))
    }

    static func mainBinary(_ profile: Profile) -> String? {
        guard var file = profile.mappings.first?.filename, !file.isEmpty else { return nil }
        if file.hasSuffix(" (deleted)") { file.removeLast(" (deleted)".count) }
        let base = FunctionIdentity.baseName(file)
        if base.isEmpty || base.hasPrefix("[") || base == "UNKNOWN" { return nil }
        return base
    }

    private static let languageOfExtension: [Substring: String] = [
        "go": "Go", "py": "Python", "rb": "Ruby", "js": "JavaScript", "ts": "JavaScript", "mjs": "JavaScript",
        "cjs": "JavaScript", "java": "Java", "kt": "Java", "scala": "Java", "rs": "Rust", "c": "C/C++", "cc": "C/C++",
        "cpp": "C/C++", "cxx": "C/C++", "h": "C/C++", "hpp": "C/C++", "cs": ".NET", "swift": "Swift", "php": "PHP",
    ]

    /// The language of a file, from its extension.
    static func language(file: String) -> String? {
        if file.hasPrefix("node:") { return "JavaScript" }
        let bytes = file.utf8
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return nil }
        let ext = bytes[bytes.index(after: dot)...]
        guard ext.count <= 5, !ext.contains(UInt8(ascii: "/")) else { return nil }
        return languageOfExtension[Substring(String(decoding: ext, as: UTF8.self).lowercased())]
    }

    /// The language a function's name is written in, by the shapes profilers give names.
    static func language(name: String) -> String? {
        // Pyroscope's SDKs put the file in the name: `./index.js:handler:31`, `socket.py:-1 - makefile`.
        for (ext, language) in [(".js:", "JavaScript"), (".ts:", "JavaScript"), (".py:", "Python"), (".rb:", "Ruby"), (".rs:", "Rust"), (".go:", "Go")]
            where name.utf8.containsSequence(Array(ext.utf8)) {
            return language
        }
        // .NET names its frames `Assembly!Namespace.Type.Method`; a `!` ending a Ruby method name is not that.
        if let bang = name.firstIndex(of: "!"), bang != name.startIndex, name.index(after: bang) != name.endIndex,
           isIdentifierCharacter(name[name.index(before: bang)]), isIdentifierCharacter(name[name.index(after: bang)]) {
            return ".NET"
        }
        // async-profiler writes Java frames as `java/lang/Thread.run`: slash-separated packages
        // without dots (Go's `github.com/x/y.F` has its dots before the slashes).
        if let slash = name.lastIndex(of: "/"), name.first?.isLowercase == true, !name.contains(" "),
           !name[..<slash].contains("."), name[slash...].contains(".") {
            return "Java"
        }
        return nil
    }

    private static func isIdentifierCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
}
