/// Rust v0 types, generic arguments, constants, lifetimes and punycode identifiers (rust.go).
extension RustDemangler {
    /// The basic types, by their letter (`a` to `z`).
    static let basicTypes: [[UInt8]?] = {
        let names: [StaticString?] = [
            "i8", "bool", "char", "f64", "str", "f32", nil, "u8", "isize", "usize", nil, "i32", "u32",
            "i128", "u128", "_", nil, nil, "i16", "u16", "()", "...", nil, "i64", "u64", "!",
        ]
        return names.map { $0.map(bytes) }
    }()

    /// <generic-arg> = <lifetime> | <type> | "K" <const>
    mutating func genericArg() throws {
        if count < 1 { throw DemangleFailure() }
        if next(is: "L") {
            pos += 1
            try writeLifetime(try base62Number())
        } else if next(is: "K") {
            pos += 1
            try demangleConst()
        } else {
            try demangleType()
        }
    }

    /// <binder> = "G" <base-62-number>, optional.
    mutating func binder() throws {
        guard next(is: "G") else { return }
        pos += 1
        let binderLifetimes = try base62Number() &+ 1
        // Every bound lifetime should be used later.
        if binderLifetimes >= Int64(count) &- lifetimes { throw DemangleFailure() }
        write("for<")
        var i: Int64 = 0
        while i < binderLifetimes {
            if i > 0 { write(", ") }
            lifetimes += 1
            try writeLifetime(1)
            i += 1
        }
        write("> ")
    }

    /// <type> = <basic-type> | <path> | A <type> <const> | S <type> | T {<type>} E | R [<lifetime>] <type>
    ///        | Q [<lifetime>] <type> | P <type> | O <type> | F <fn-sig> | D <dyn-bounds> <lifetime> | <backref>
    mutating func demangleType() throws {
        try enter()
        defer { depth -= 1 }
        if count < 1 { throw DemangleFailure() }
        let c = at(0)
        if c.isLowerByte {
            guard let s = Self.basicTypes[Int(c - UInt8(ascii: "a"))] else { throw DemangleFailure() }
            pos += 1
            write(s)
            return
        }
        switch c {
        case UInt8(ascii: "C"), UInt8(ascii: "M"), UInt8(ascii: "X"), UInt8(ascii: "Y"), UInt8(ascii: "N"), UInt8(ascii: "I"):
            try path(needsSeparator: false)
        case UInt8(ascii: "A"), UInt8(ascii: "S"):
            pos += 1
            write(UInt8(ascii: "["))
            try demangleType()
            if c == UInt8(ascii: "A") {
                write("; ")
                try demangleConst()
            }
            write(UInt8(ascii: "]"))
        case UInt8(ascii: "T"):
            pos += 1
            write(UInt8(ascii: "("))
            var n = 0
            while count > 0 && !next(is: "E") {
                if n > 0 { write(", ") }
                n += 1
                try demangleType()
            }
            if n == 1 { write(UInt8(ascii: ",")) }
            write(UInt8(ascii: ")"))
            try checkChar("E")
        case UInt8(ascii: "R"), UInt8(ascii: "Q"):
            pos += 1
            write(UInt8(ascii: "&"))
            if next(is: "L") {
                pos += 1
                let lifetime = try base62Number()
                if lifetime > 0 {
                    try writeLifetime(lifetime)
                    write(UInt8(ascii: " "))
                }
            }
            if c == UInt8(ascii: "Q") { write("mut ") }
            try demangleType()
        case UInt8(ascii: "P"):
            pos += 1
            write("*const ")
            try demangleType()
        case UInt8(ascii: "O"):
            pos += 1
            write("*mut ")
            try demangleType()
        case UInt8(ascii: "F"):
            pos += 1
            let hold = lifetimes
            try fnSig()
            lifetimes = hold
        case UInt8(ascii: "D"):
            pos += 1
            let hold = lifetimes
            try dynBounds()
            lifetimes = hold
            try checkChar("L")
            let lifetime = try base62Number()
            if lifetime > 0 {
                if last != UInt8(ascii: " ") { write(UInt8(ascii: " ")) }
                write("+ ")
                try writeLifetime(lifetime)
            }
        case UInt8(ascii: "B"):
            try backref { try $0.demangleType() }
        default:
            throw DemangleFailure()
        }
    }

    /// <fn-sig> = [<binder>] ["U"] ["K" <abi>] {<type>} "E" <type>
    mutating func fnSig() throws {
        try binder()
        if next(is: "U") {
            pos += 1
            write("unsafe ")
        }
        if next(is: "K") {
            pos += 1
            if next(is: "C") {
                pos += 1
                write("extern \"C\" ")
            } else {
                write("extern \"")
                let (id, isPunycode) = try undisambiguatedIdentifier()
                if isPunycode { throw DemangleFailure() }
                write(id.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 } as [UInt8])
                write("\" ")
            }
        }
        write("fn(")
        var first = true
        while count > 0 && !next(is: "E") {
            if first { first = false } else { write(", ") }
            try demangleType()
        }
        try checkChar("E")
        write(UInt8(ascii: ")"))
        if next(is: "u") {
            pos += 1
        } else {
            write(" -> ")
            try demangleType()
        }
    }

    /// <dyn-bounds> = [<binder>] {<dyn-trait>} "E"
    mutating func dynBounds() throws {
        write("dyn ")
        try binder()
        var first = true
        while count > 0 && !next(is: "E") {
            if first { first = false } else { write(" + ") }
            try dynTrait()
        }
        try checkChar("E")
    }

    /// <dyn-trait> = <path> {<dyn-trait-assoc-binding>}; a binding is "p" <undisambiguated-identifier> <type>.
    mutating func dynTrait() throws {
        var started = try pathStartGenerics()
        while next(is: "p") {
            pos += 1
            if started { write(", ") } else {
                write(UInt8(ascii: "<"))
                started = true
            }
            write(try undisambiguatedIdentifier().0)
            write(" = ")
            try demangleType()
        }
        if started { write(UInt8(ascii: ">")) }
    }

    /// Like `path`, but generic arguments are left open; whether they were started.
    mutating func pathStartGenerics() throws -> Bool {
        try enter()
        defer { depth -= 1 }
        if count < 1 { throw DemangleFailure() }
        switch at(0) {
        case UInt8(ascii: "I"):
            pos += 1
            try path(needsSeparator: false)
            write(UInt8(ascii: "<"))
            var first = true
            while count > 0 && !next(is: "E") {
                if first { first = false } else { write(", ") }
                try genericArg()
            }
            try checkChar("E")
            return true
        case UInt8(ascii: "B"):
            var started = false
            try backref { started = try $0.pathStartGenerics() }
            return started
        default:
            try path(needsSeparator: false)
            return false
        }
    }

    /// A lifetime, `'a` to `'z` then `'z1`, ... counted from the innermost binder; `'_` for 0.
    mutating func writeLifetime(_ lifetime: Int64) throws {
        write(UInt8(ascii: "'"))
        if lifetime == 0 {
            write(UInt8(ascii: "_"))
            return
        }
        let depth = lifetimes &- lifetime
        if depth < 0 { throw DemangleFailure() }
        if depth < 26 {
            write(UInt8(ascii: "a") + UInt8(depth))
        } else {
            write(UInt8(ascii: "z"))
            if !skip {
                buf.append(contentsOf: Array(String(depth &- 26 &+ 1).utf8))
                last = UInt8(ascii: "0")
            }
        }
    }

    /// <const> = <type> <const-data> | "p" | <backref>; <const-data> = ["n"] {<hex-digit>} "_"
    mutating func demangleConst() throws {
        try enter()
        defer { depth -= 1 }
        if count < 1 { throw DemangleFailure() }
        if next(is: "B") {
            try backref { try $0.demangleConst() }
            return
        }
        if next(is: "p") {
            pos += 1
            write(UInt8(ascii: "_"))
            return
        }
        enum Kind { case signed, unsigned, boolean, character }
        let kind: Kind
        switch Character(Unicode.Scalar(at(0))) {
        case "a", "s", "l", "x", "n", "i": kind = .signed
        case "h", "t", "m", "y", "o", "j": kind = .unsigned
        case "b": kind = .boolean
        case "c": kind = .character
        default: throw DemangleFailure()
        }
        pos += 1
        if kind == .signed && next(is: "n") {
            pos += 1
            write(UInt8(ascii: "-"))
        }
        let start = pos
        var digits = 0
        var val: UInt64 = 0
        while count > 0 {
            let c = at(0)
            var digit: UInt64
            if c.isDigitByte {
                digit = UInt64(c - 0x30)
            } else if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f") {
                digit = UInt64(c - 0x61 + 10)
            } else if c == UInt8(ascii: "_") {
                pos += 1
                break
            } else {
                throw DemangleFailure()
            }
            pos += 1
            if val == 0 && digit == 0 && (count == 0 || !next(is: "_")) { throw DemangleFailure() }
            val = val &* 16 &+ digit
            digits += 1
        }
        if digits == 0 { throw DemangleFailure() }
        switch kind {
        case .signed, .unsigned:
            if digits > 16 {
                // Too big: written as the hex digits.
                write("0x")
                write(Array(orig[(orig.startIndex + start) ..< (orig.startIndex + start + digits)]))
            } else if !skip {
                buf.append(contentsOf: Array(String(val).utf8))
                last = UInt8(ascii: "0")
            }
        case .boolean:
            if digits > 1 { throw DemangleFailure() }
            if val == 0 { write("false") } else if val == 1 { write("true") } else { throw DemangleFailure() }
        case .character:
            if digits > 6 { throw DemangleFailure() }
            write(UInt8(ascii: "'"))
            switch val {
            case 0x09: write("\\t")
            case 0x0D: write("\\r")
            case 0x0A: write("\\n")
            case 0x5C: write("\\\\")
            case 0x27: write("\\'")
            case 0x20 ... 0x7E: write(UInt8(val))
            default:
                if !skip {
                    buf.append(contentsOf: Array("\\u{\(String(val, radix: 16))}".utf8))
                    last = UInt8(ascii: "}")
                }
            }
            write(UInt8(ascii: "'"))
        }
    }

    /// Rust's punycode (RFC 3492 section 6.2) as the library decodes it.
    static func expandPunycode(_ s: [UInt8]) throws -> [UInt8] {
        let base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700
        var output: [UInt32] = []
        var encoding = s[...]
        if let idx = s.lastIndex(of: UInt8(ascii: "_")) {
            output = s[..<idx].map { UInt32($0) }
            encoding = s[(idx + 1)...]
        }
        var i = 0
        var n = 128
        var bias = 72
        var p = encoding.startIndex
        while p < encoding.endIndex {
            let oldI = i
            var w = 1
            var k = base
            while true {
                if p == encoding.endIndex { throw DemangleFailure() }
                let d = encoding[p]
                p += 1
                let digit: Int
                if d.isDigitByte { digit = Int(d - 0x30) + 26 } else if d.isUpperByte { digit = Int(d - 0x41) } else if d.isLowerByte {
                    digit = Int(d - 0x61)
                } else {
                    throw DemangleFailure()
                }
                i = i &+ digit &* w
                if i < 0 { throw DemangleFailure() }
                let t = k <= bias ? tmin : k > bias + tmax ? tmax : k - bias
                if digit < t { break }
                if w >= Int(Int32.max) / base { throw DemangleFailure() }
                w *= base - t
                k += base
            }
            var delta = i - oldI
            let numPoints = output.count + 1
            delta /= oldI == 0 ? damp : 2
            delta += delta / numPoints
            k = 0
            while delta > ((base - tmin) * tmax) / 2 {
                delta /= base - tmin
                k += base
            }
            bias = k + ((base - tmin + 1) * delta) / (delta + skew)
            n = n &+ i / (output.count + 1)
            if n > 0x10FFFF || n < 0 || (n >= 0xD800 && n <= 0xDFFF) { throw DemangleFailure() }
            i %= output.count + 1
            output.insert(UInt32(n), at: i)
            i += 1
            if output.count > 1 << 16 { throw DemangleFailure(limit: true) }
        }
        var out: [UInt8] = []
        for v in output { appendCodePoint(v, to: &out) }
        return out
    }
}
