/// The demangle step of `go tool pprof`: `demangle.Filter(name, demangle.NoParams,
/// demangle.NoTemplateParams)` of github.com/ianlancetaylor/demangle (as vendored in Go 1.19),
/// for Itanium C++ names (`_Z…`, `___Z…_block_invoke`, `_GLOBAL__I_…`), Rust's legacy names
/// (`_ZN…17h<hash>E`) and Rust v0 names (`_R…`).
///
/// `demangle` returns what `Filter` returns, or nil where `Filter` returns its input (the name
/// is not mangled, or the library fails on it). It never traps: where the library would panic
/// it returns nil too, and on inputs no compiler writes (more than `maxLength` bytes, nesting
/// beyond the depth limits, work or output beyond their budgets) it gives up and returns nil.
public enum PprofDemangler {
    /// Longer names are left as they are.
    public static let maxLength = 1 << 16

    public static func demangle(_ name: String) -> String? {
        let utf8 = name.utf8
        guard utf8.count >= 3, utf8.count <= maxLength, utf8.first == UInt8(ascii: "_") else { return nil }
        let second = utf8[utf8.index(after: utf8.startIndex)]
        guard second == UInt8(ascii: "Z") || second == UInt8(ascii: "R") || second == UInt8(ascii: "_")
            || second == UInt8(ascii: "G") else { return nil }
        let bytes = Array(utf8)
        guard let out = demangle(bytes: bytes) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// `demangle.ToString` with pprof's options, on bytes; nil on failure.
    static func demangle(bytes: [UInt8]) -> [UInt8]? {
        if bytes.starts(with: [0x5F, 0x52]) {  // _R
            return RustDemangler.demangle(bytes)
        }
        if bytes.starts(with: [0x5F, 0x5A, 0x4E]) {  // _ZN: perhaps a legacy Rust name
            var end = bytes.count
            if let e = lastIndex(of: [0x45, 0x2E], in: bytes), e > 0 { end = e + 1 }  // "E."
            if end > 23, bytes[end - 1] == UInt8(ascii: "E"), bytes[end - 20] == UInt8(ascii: "1"),
               bytes[end - 19] == UInt8(ascii: "7"), bytes[end - 18] == UInt8(ascii: "h") {
                switch RustLegacyDemangler.demangle(bytes[0 ..< end]) {
                case .demangled(let s): return s
                case .libraryPanics: return nil
                case .notRust: break
                }
            }
        }
        return ItaniumDemangler.demangle(bytes)
    }

    /// The start of the last occurrence of `needle` in `hay`.
    static func lastIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        let first = needle[0]
        var i = hay.count - needle.count
        while i >= 0 {
            if hay[i] == first {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i -= 1
        }
        return nil
    }
}

/// The entry points of the Itanium demangler: demangle.go's `ToAST`, `globalCDtorName` and
/// `doDemangle`, then the printer.
enum ItaniumDemangler {
    static func demangle(_ name: [UInt8]) -> [UInt8]? {
        if name.starts(with: bytes("_Z")) {
            return run(name, start: 2, end: name.count, params: false, wrap: nil)
        }
        if name.starts(with: bytes("___Z")) {
            // A clang block: ___Z<encoding>_block_invoke[_<digits>][.suffix]
            guard let block = PprofDemangler.lastIndex(of: bytes("_block_invoke"), in: name) else { return nil }
            var rest = block + 13
            if rest < name.count && name[rest] == UInt8(ascii: "_") { rest += 1 }
            while rest < name.count && name[rest].isDigitByte { rest += 1 }
            if rest < name.count && name[rest] != UInt8(ascii: ".") { return nil }
            return run(name, start: 4, end: block, params: false) { p, a in
                let n = p.node(.special, a)
                n.text = bytes("invocation function for block in ")
                return n
            }
        }
        if name.starts(with: bytes("_GLOBAL_")) {
            // Global constructors and destructors: the library prints their parameters.
            let key = 8
            guard name.count - key >= 4 else { return nil }
            let c0 = name[key], c1 = name[key + 1]
            guard c0 == UInt8(ascii: ".") || c0 == UInt8(ascii: "_") || c0 == UInt8(ascii: "$") else { return nil }
            guard c1 == UInt8(ascii: "I") || c1 == UInt8(ascii: "D") else { return nil }
            guard name[key + 2] == UInt8(ascii: "_") else { return nil }
            let ctor = c1 == UInt8(ascii: "I")
            func global(_ p: ItaniumParser, _ key: DNode) -> DNode {
                let n = p.node(.globalCDtor, key)
                n.flag = ctor
                return n
            }
            if name.count < key + 5 || name[key + 3] != UInt8(ascii: "_") || name[key + 4] != UInt8(ascii: "Z") {
                let parser = ItaniumParser(input: name, start: key, end: name.count)
                defer { parser.finish() }
                return render(global(parser, parser.node(.name, text: Array(name[key...]))))
            }
            return run(name, start: key + 5, end: name.count, params: true, wrap: global)
        }
        return nil
    }

    /// `doDemangle` on `name[start..<end]`, the result wrapped by `wrap`, then printed.
    private static func run(_ name: [UInt8], start: Int, end: Int, params: Bool,
                            wrap: ((ItaniumParser, DNode) -> DNode)?) -> [UInt8]? {
        let parser = ItaniumParser(input: name, start: start, end: end)
        defer { parser.finish() }
        do {
            var a = try parser.encoding(params: params, forLocalName: false)
            // Clone suffixes are kept only with the parameters; then nothing may follow.
            if params {
                while parser.count > 1 && parser.next(is: ".") {
                    let c = parser.at(1)
                    guard c.isLowerByte || c == UInt8(ascii: "_") || c.isDigitByte else { break }
                    a = try parser.cloneSuffix(a)
                }
                if parser.count > 0 { return nil }
            }
            if let wrap { a = wrap(parser, a) }
            return render(a)
        } catch {
            return nil
        }
    }

    /// `ASTToString`: the top node is printed without entering the cycle check.
    private static func render(_ a: DNode) -> [UInt8]? {
        var printer = ItaniumPrinter()
        do {
            try printer.printNode(a)
        } catch {
            return nil
        }
        return printer.buf.count > ItaniumPrinter.maxOutput ? nil : printer.buf
    }
}
