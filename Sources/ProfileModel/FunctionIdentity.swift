import PprofFormat

/// What makes two frames the same function, as `go tool pprof` tells them apart at its
/// "functions" granularity (graph.go's node identity after `Aggregate`).
///
/// A frame whose function has a name is that name, whatever its file or start line: two
/// `util.Hash` in different files are one function. A frame without a name (a stripped binary, a
/// `[vdso]` address, a location without lines) is named after the binary it ran in, and every
/// such frame of one binary is one function, `[libc.so.6]`; without a binary it is `<unknown>`.
///
/// An index holds one per function, so it is kept small: 16 bytes, a name held by its string
/// table (`FunctionName`) or a boxed case for the rare frame without one.
public enum FunctionIdentity: Hashable, Sendable {
    case named(FunctionName)
    /// A frame without a function name: the file of its location's mapping ("" when it has
    /// none) and the function's start line (0 for a location without lines).
    indirect case unsymbolized(objectFile: String, startLine: Int64)

    /// A function of this name.
    public static func named(_ name: String) -> FunctionIdentity { .named(FunctionName(name)) }

    /// The name people see: the function's name, `[basename of the binary]`, or `<unknown>`.
    public var displayName: String {
        switch self {
        case .named(let name): return name.string
        case .unsymbolized(let objectFile, _):
            return objectFile.isEmpty ? "<unknown>" : "[" + Self.baseName(objectFile) + "]"
        }
    }

    public var isSymbolized: Bool {
        if case .named = self { return true }
        return false
    }

    /// -1, 0 or 1 as `a`'s name people see sorts before, with or after `b`'s, bytewise; named
    /// functions are compared in their tables, without making strings.
    public static func compareDisplayNames(_ a: FunctionIdentity, _ b: FunctionIdentity) -> Int {
        if case .named(let x) = a, case .named(let y) = b { return FunctionName.compare(x, y) }
        return PprofOrder.compareBytes(a.displayName, b.displayName)
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
/// names are demangled by `PprofDemangler`, as pprof's `demangle.Filter` demangles them.
public enum PprofFunctionName {
    public static func of(name: String, systemName: String) -> String {
        if !name.isEmpty && systemName != name { return name }
        if let demangled = PprofDemangler.demangle(systemName), demangled != systemName { return demangled }
        guard looksLikeDemangledCPlusPlus(systemName) else { return systemName }
        return removingMatching(removingMatching(systemName, "(", ")"), "<", ">")
    }

    /// pprof's test for a name that a C++ or Rust demangler wrote: template brackets, array
    /// brackets or `::`, except Java's `.<init>` and Go's generic `(*T[...]).M`.
    static func looksLikeDemangledCPlusPlus(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { looksLikeDemangledCPlusPlus($0) }
    }

    /// The same test on a name's bytes, in one pass: it runs for every function of every profile.
    static func looksLikeDemangledCPlusPlus(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var bracketed = false
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "<"):
                if previous == UInt8(ascii: ".") { return false }
                bracketed = true
            case UInt8(ascii: "."):
                if previous == UInt8(ascii: ")") && beforePrevious == UInt8(ascii: "]") { return false }
            case UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"):
                bracketed = true
            case UInt8(ascii: ":"):
                if previous == UInt8(ascii: ":") { bracketed = true }
            default:
                break
            }
            beforePrevious = previous
            previous = byte
        }
        return bracketed
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

/// Names a profile's frames as `FunctionIdentity` and pprof's rows do, with each function's
/// names worked out once (pprof's demangle step scans the name) rather than once per frame.
struct FrameNaming {
    /// A frame without a function name: its location's mapping (-1: none) and its function's
    /// start line. Integers, so that frames can be grouped without hashing strings.
    struct Unsymbolized: Hashable {
        var mapping: Int32
        var startLine: Int64
    }

    let profile: Profile
    /// Per function: the name pprof shows, where it differs from the profile's.
    private let shown: [Int: String]

    init(_ profile: Profile) {
        self.profile = profile
        let functions = profile.functions
        let strings = profile.strings
        var shown: [Int: String] = [:]
        for f in 0 ..< functions.count {
            let nameIndex = Int(functions.name[f])
            // A name that is its own system name (one string) is shown as it is unless it may be
            // mangled (`_Z…`, `_R…`: the demangler decides) or looks like a demangled C++ name:
            // the common case costs one scan of its bytes, and makes no string.
            if functions.name[f] == functions.systemName(f), strings.withUTF8(nameIndex, { bytes in
                !bytes.isEmpty && bytes[0] != UInt8(ascii: "_") && !PprofFunctionName.looksLikeDemangledCPlusPlus(bytes)
            }) {
                continue
            }
            let name = strings[nameIndex]
            let pprofName = PprofFunctionName.of(name: name, systemName: strings[Int(functions.systemName(f))])
            if pprofName != name { shown[f] = pprofName }
        }
        self.shown = shown
    }

    /// Whether function `f` has a name.
    func hasName(_ f: Int) -> Bool { !profile.strings.isEmpty(Int(profile.functions.name[f])) }

    /// Function `f`'s name as the profile writes it, held by the profile's string table.
    func name(_ f: Int) -> FunctionName { FunctionName(table: profile.strings, index: profile.functions.name[f]) }

    /// Whether pprof shows function `f` by another name; a lookup only when some function is.
    func isRenamed(_ f: Int) -> Bool { !shown.isEmpty && shown[f] != nil }

    func identity(_ frame: Unsymbolized) -> FunctionIdentity {
        let mapping = Int(frame.mapping)
        let objectFile = mapping >= 0 && mapping < profile.mappings.count ? profile.mappings[mapping].filename : ""
        return .unsymbolized(objectFile: objectFile, startLine: frame.startLine)
    }

    /// The row pprof shows a frame of function `f` (-1: none) in location `l` in.
    func rowIdentity(function f: Int, location l: Int) -> FunctionIdentity {
        if f >= 0 {
            if let shown = shown[f] {
                if !shown.isEmpty { return .named(shown) }
            } else if hasName(f) {
                return .named(name(f))
            }
        }
        return identity(Unsymbolized(mapping: profile.locations.mapping[l], startLine: f >= 0 ? profile.functions.startLine[f] : 0))
    }
}

extension Profile {
    /// The profile with its `drop_frames` applied as `go tool pprof -top` applies them, matching
    /// the names pprof shows (`PprofFunctionName`); nil when it names none.
    public func prunedForTop() -> (profile: Profile?, warning: String?) {
        removingUninterestingFrames { f in
            PprofFunctionName.of(name: strings[Int(functions.name[f])], systemName: strings[Int(functions.systemName(f))])
        }
    }
}

extension String.UTF8View {
    /// Whether the bytes contain `needle` (a short byte sequence). Scans the string's own
    /// storage: index arithmetic on the view would cost ten times more.
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        let found = withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.count >= needle.count else { return false }
            for i in 0 ... bytes.count - needle.count where bytes[i] == first {
                var j = 1
                while j < needle.count && bytes[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            return false
        }
        return found ?? Array(self).withUnsafeBufferPointer { bytes in
            guard bytes.count >= needle.count else { return false }
            return (0 ... bytes.count - needle.count).contains { i in bytes[i ..< i + needle.count].elementsEqual(needle) }
        }
    }
}
