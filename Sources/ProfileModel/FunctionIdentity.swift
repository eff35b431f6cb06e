import PprofFormat

/// What makes two frames the same function, as `go tool pprof` tells them apart at its
/// "functions" granularity (graph.go's node identity after `Aggregate`).
///
/// A frame whose function has a name is that name, whatever its file or start line: two
/// `util.Hash` in different files are one function. A frame without a name (a stripped binary, a
/// `[vdso]` address, a location without lines) is named after the binary it ran in, and every
/// such frame of one binary is one function, `[libc.so.6]`; without a binary it is `<unknown>`.
public enum FunctionIdentity: Hashable, Sendable {
    case named(String)
    /// A frame without a function name: the file of its location's mapping ("" when it has
    /// none) and the function's start line (0 for a location without lines).
    case unsymbolized(objectFile: String, startLine: Int64)

    /// The name people see: the function's name, `[basename of the binary]`, or `<unknown>`.
    public var displayName: String {
        switch self {
        case .named(let name): return name
        case .unsymbolized(let objectFile, _):
            return objectFile.isEmpty ? "<unknown>" : "[" + Self.baseName(objectFile) + "]"
        }
    }

    public var isSymbolized: Bool {
        if case .named = self { return true }
        return false
    }

    /// A frame of function `name` in a location of `objectFile`.
    static func of(name: String, objectFile: String, startLine: Int64) -> FunctionIdentity {
        name.isEmpty ? .unsymbolized(objectFile: objectFile, startLine: startLine) : .named(name)
    }

    /// What separates rows that print alike and cost alike, the way pprof's last sort key does
    /// (`fmt.Sprint` of its node info): `{Name OrigName Address File StartLine Lineno Objfile}`.
    public var tieBreaker: String {
        switch self {
        case .named(let name): return "{\(name)  0  0 0 }"
        case .unsymbolized(let objectFile, let startLine): return "{  0  \(startLine) 0 \(objectFile)}"
        }
    }

    /// The last path component, as Go's `filepath.Base` gives it: trailing slashes ignored.
    public static func baseName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "/" { return "/" }
        return String(trimmed.split(separator: "/", omittingEmptySubsequences: false).last ?? trimmed)
    }
}

/// The name `go tool pprof` shows for a function, from its `name` and `system_name`.
///
/// pprof passes every function through a demangle step before it names anything: a function
/// already demangled (a name that differs from its system name) keeps its name; otherwise the
/// system name is demangled, and a name that looks like a demangled C++ or Rust name loses its
/// parameter lists and template arguments (`std::vector<int>::push_back(int)` becomes
/// `std::vector::push_back`, `<Vec<T> as Drop>::drop` becomes `::drop`). Mangled `_Z`/`_R`
/// names would need a real demangler; they are left as they are.
public enum PprofFunctionName {
    public static func of(name: String, systemName: String) -> String {
        if !name.isEmpty && systemName != name { return name }
        guard looksLikeDemangledCPlusPlus(systemName) else { return systemName }
        return removingMatching(removingMatching(systemName, "(", ")"), "<", ">")
    }

    /// pprof's test for a name that a C++ or Rust demangler wrote: template brackets, array
    /// brackets or `::`, except Java's `.<init>` and Go's generic `(*T[...]).M`.
    static func looksLikeDemangledCPlusPlus(_ name: String) -> Bool {
        if name.contains(".<") || name.contains("]).") { return false }
        return name.contains(where: { $0 == "<" || $0 == ">" || $0 == "[" || $0 == "]" }) || name.contains("::")
    }

    /// Removes every outermost `open … close` group, nested ones included; a stray `close`
    /// ends the scan, keeping what was built so far (as pprof's `removeMatching` does).
    static func removingMatching(_ text: String, _ open: UInt8, _ close: UInt8) -> String {
        var out: [UInt8] = []
        var depth = 0
        for byte in text.utf8 {
            if byte == open {
                depth += 1
            } else if byte == close {
                depth -= 1
                if depth < 0 { break }
            } else if depth == 0 {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func removingMatching(_ text: String, _ open: Character, _ close: Character) -> String {
        removingMatching(text, open.asciiValue ?? 0, close.asciiValue ?? 0)
    }
}

extension FunctionIdentity {
    /// The identities of one line entry `e` of location `l`: the function it belongs to (by its
    /// name as the profile writes it) and the row `pprof -top` shows it in (by the name pprof
    /// gives it, `PprofFunctionName`); the two differ only for names pprof demangles.
    static func ofLine(_ e: Int, location l: Int, in profile: Profile, objectFile: String) -> (function: FunctionIdentity, row: FunctionIdentity) {
        let f = Int(profile.locations.lineFunction[e])
        guard f >= 0 else {
            let unknown = FunctionIdentity.unsymbolized(objectFile: objectFile, startLine: 0)
            return (unknown, unknown)
        }
        let functions = profile.functions
        let name = profile.strings[Int(functions.name[f])]
        let startLine = functions.startLine[f]
        let function = FunctionIdentity.of(name: name, objectFile: objectFile, startLine: startLine)
        let shown = PprofFunctionName.of(name: name, systemName: profile.strings[Int(functions.systemName[f])])
        return (function, shown == name ? function : .of(name: shown, objectFile: objectFile, startLine: startLine))
    }

    /// The file of the mapping of location `l`, "" when it has none.
    static func objectFile(ofLocation l: Int, in profile: Profile) -> String {
        let mapping = Int(profile.locations.mapping[l])
        return mapping >= 0 ? profile.mappings[mapping].filename : ""
    }
}

extension Profile {
    /// The profile with its `drop_frames` applied as `go tool pprof -top` applies them, matching
    /// the names pprof shows (`PprofFunctionName`); nil when it names none.
    public func prunedForTop() -> (profile: Profile?, warning: String?) {
        removingUninterestingFrames { f in
            PprofFunctionName.of(name: strings[Int(functions.name[f])], systemName: strings[Int(functions.systemName[f])])
        }
    }
}
