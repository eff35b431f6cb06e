/// Rust v0 symbol names (`_R…`), as github.com/ianlancetaylor/demangle's rust.go prints them.
/// The library ignores NoParams and NoTemplateParams here: generic arguments are printed, and a
/// `.suffix` is dropped. It prints as it parses; backreferences re-parse an earlier part.
struct RustDemangler {
    /// The symbol after `_R` and before the first `.`; positions are offsets into it.
    let orig: ArraySlice<UInt8>
    var pos = 0
    var end: Int
    var buf: [UInt8] = []
    var skip = false
    var lifetimes: Int64 = 0
    var last: UInt8 = 0
    var depth = 0
    var work = 0
    static let maxDepth = 400
    static let maxWork = 100_000
    static let maxOutput = 1 << 16

    static func demangle(_ name: [UInt8]) -> [UInt8]? {
        var stop = name.count
        if let dot = name.firstIndex(of: UInt8(ascii: ".")) { stop = dot }
        guard stop >= 2 else { return nil }
        var r = RustDemangler(orig: name[2 ..< stop], end: stop - 2)
        do {
            try r.symbolName()
            if r.count > 0 { return nil }
        } catch {
            return nil
        }
        return r.buf
    }

    init(orig: ArraySlice<UInt8>, end: Int) {
        self.orig = orig
        self.end = end
    }

    var count: Int { end - pos }

    func at(_ i: Int) -> UInt8 { pos + i < end ? orig[orig.startIndex + pos + i] : 0 }

    func next(is c: Unicode.Scalar) -> Bool { pos < end && at(0) == UInt8(truncatingIfNeeded: c.value) }

    mutating func checkChar(_ c: Unicode.Scalar) throws {
        guard next(is: c) else { throw DemangleFailure() }
        pos += 1
    }

    mutating func enter() throws {
        depth += 1
        work += 1
        if depth > Self.maxDepth || work > Self.maxWork || buf.count > Self.maxOutput {
            throw DemangleFailure(limit: true)
        }
    }

    mutating func write(_ c: UInt8) {
        if skip { return }
        last = c
        buf.append(c)
    }

    mutating func write<S: BidirectionalCollection<UInt8>>(_ s: S) {
        if skip { return }
        if let l = s.last {
            last = l
            buf.append(contentsOf: s)
        }
    }

    mutating func write(_ s: StaticString) {
        if skip { return }
        s.withUTF8Buffer { p in
            if let l = p.last {
                last = l
                buf.append(contentsOf: p)
            }
        }
    }

    /// <symbol-name> = "_R" [<decimal-number>] <path> [<instantiating-crate>]
    mutating func symbolName() throws {
        if count < 1 { throw DemangleFailure() }
        if at(0).isDigitByte { throw DemangleFailure() }  // an encoding version: unsupported
        try path(needsSeparator: true)
        if count > 0 {
            skip = true
            try path(needsSeparator: false)
        }
    }

    /// <path> = C <identifier> | M <impl-path> <type> | X <impl-path> <type> <path>
    ///        | Y <type> <path> | N <namespace> <path> <identifier> | I <path> {<generic-arg>} E | <backref>
    mutating func path(needsSeparator: Bool) throws {
        try enter()
        defer { depth -= 1 }
        if count < 1 { throw DemangleFailure() }
        let c = at(0)
        switch c {
        case UInt8(ascii: "C"):
            pos += 1
            write(try identifier().1)
        case UInt8(ascii: "M"), UInt8(ascii: "X"):
            pos += 1
            try implPath()
            write(UInt8(ascii: "<"))
            try demangleType()
            if c == UInt8(ascii: "X") {
                write(" as ")
                try path(needsSeparator: false)
            }
            write(UInt8(ascii: ">"))
        case UInt8(ascii: "Y"):
            pos += 1
            write(UInt8(ascii: "<"))
            try demangleType()
            write(" as ")
            try path(needsSeparator: false)
            write(UInt8(ascii: ">"))
        case UInt8(ascii: "N"):
            pos += 1
            if count < 1 { throw DemangleFailure() }
            let ns = at(0)
            guard ns.isLowerByte || ns.isUpperByte else { throw DemangleFailure() }
            pos += 1
            try path(needsSeparator: needsSeparator)
            let (dis, ident) = try identifier()
            if ns.isUpperByte {
                write("::{")
                switch ns {
                case UInt8(ascii: "C"): write("closure")
                case UInt8(ascii: "S"): write("shim")
                default: write(ns)
                }
                if !ident.isEmpty {
                    write(UInt8(ascii: ":"))
                    write(ident)
                }
                if !skip {
                    buf.append(contentsOf: Array("#\(dis)}".utf8))
                    last = UInt8(ascii: "}")
                }
            } else {
                write("::")
                write(ident)
            }
        case UInt8(ascii: "I"):
            pos += 1
            try path(needsSeparator: needsSeparator)
            if needsSeparator { write("::") }
            write(UInt8(ascii: "<"))
            var first = true
            while count > 0 && !next(is: "E") {
                if first { first = false } else { write(", ") }
                try genericArg()
            }
            write(UInt8(ascii: ">"))
            try checkChar("E")
        case UInt8(ascii: "B"):
            try backref { try $0.path(needsSeparator: needsSeparator) }
        default:
            throw DemangleFailure()
        }
    }

    /// <impl-path> = [<disambiguator>] <path>, not printed.
    mutating func implPath() throws {
        let hold = skip
        skip = true
        defer { skip = hold }
        _ = try disambiguator()
        try path(needsSeparator: false)
    }

    /// <identifier> = [<disambiguator>] <undisambiguated-identifier>
    mutating func identifier() throws -> (Int64, ArraySlice<UInt8>) {
        let dis = try disambiguator()
        return (dis, try undisambiguatedIdentifier().0)
    }

    /// <disambiguator> = "s" <base-62-number>, optional.
    mutating func disambiguator() throws -> Int64 {
        guard next(is: "s") else { return 0 }
        pos += 1
        return try base62Number() &+ 1
    }

    /// <undisambiguated-identifier> = ["u"] <decimal-number> ["_"] <bytes>; with whether it
    /// was punycode.
    mutating func undisambiguatedIdentifier() throws -> (ArraySlice<UInt8>, Bool) {
        var isPunycode = false
        if next(is: "u") {
            pos += 1
            isPunycode = true
        }
        let val = try decimalNumber()
        if next(is: "_") { pos += 1 }
        if count < val { throw DemangleFailure() }
        let start = orig.startIndex + pos
        let id = orig[start ..< start + val]
        pos += val
        for c in id where !(c.isDigitByte || c.isUpperByte || c.isLowerByte || c == UInt8(ascii: "_")) {
            throw DemangleFailure()
        }
        return (isPunycode ? try Self.expandPunycode(Array(id))[...] : id, isPunycode)
    }

    mutating func decimalNumber() throws -> Int {
        if count == 0 { throw DemangleFailure() }
        var val = 0
        while count > 0 && at(0).isDigitByte {
            let add = Int(at(0) - 0x30)
            if val >= Int(Int32.max) / 10 - add { throw DemangleFailure() }
            val = val * 10 + add
            pos += 1
        }
        return val
    }

    /// <base-62-number> = {<0-9a-zA-Z>} "_"
    mutating func base62Number() throws -> Int64 {
        if next(is: "_") {
            pos += 1
            return 0
        }
        var val: Int64 = 0
        while count > 0 {
            let c = at(0)
            pos += 1
            if c == UInt8(ascii: "_") { return val &+ 1 }
            val = val &* 62
            if c.isDigitByte {
                val = val &+ Int64(c - 0x30)
            } else if c.isLowerByte {
                val = val &+ Int64(c - 0x61 + 10)
            } else if c.isUpperByte {
                val = val &+ Int64(c - 0x41 + 36)
            } else {
                throw DemangleFailure()
            }
        }
        throw DemangleFailure()
    }

    /// <backref> = "B" <base-62-number>: re-parses the symbol from that offset, up to here.
    mutating func backref(_ demangle: (inout RustDemangler) throws -> Void) throws {
        let backoff = pos
        try checkChar("B")
        let idx64 = try base62Number()
        if skip { return }
        guard idx64 >= 0, idx64 < Int64(backoff) else { throw DemangleFailure() }
        let (holdPos, holdEnd) = (pos, end)
        pos = Int(idx64)
        end = backoff
        defer { (pos, end) = (holdPos, holdEnd) }
        try demangle(&self)
    }
}
