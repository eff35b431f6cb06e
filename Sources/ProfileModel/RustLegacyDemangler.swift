/// Rust's legacy mangling (`_ZN` <length-prefixed identifiers> `17h` <16 hex digits> `E`), as
/// rust.go's `oldRustToString` reads it: the hash is dropped, `$LT$`-style escapes and `..` are
/// decoded.
enum RustLegacyDemangler {
    enum Outcome {
        case demangled([UInt8])
        /// Not a legacy Rust name: the C++ demangler gets its turn.
        case notRust
        /// The library panics on it (an empty identifier written with a separator, `0_`).
        case libraryPanics
    }

    static func demangle(_ name: ArraySlice<UInt8>) -> Outcome {
        // The caller checked: _ZN ... 17h <16 characters> E.
        var rest = name.dropFirst(3)
        func hexDigit(_ c: UInt8) -> UInt8? {
            if c.isDigitByte { return c - 0x30 }
            if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f") { return c - 0x61 + 10 }
            return nil
        }
        // 16 hex digits, at least 5 of them distinct.
        var seen: UInt16 = 0
        for i in (rest.endIndex - 17) ..< (rest.endIndex - 1) {
            guard let digit = hexDigit(rest[i]) else { return .notRust }
            seen |= 1 << digit
        }
        if seen.nonzeroBitCount < 5 { return .notRust }
        rest = rest.dropLast(20)

        var out: [UInt8] = []
        while let first = rest.first {
            guard first.isDigitByte else { return .notRust }
            var val = 0
            while let c = rest.first, c.isDigitByte {
                let add = Int(c - 0x30)
                if val >= Int(Int32.max) / 10 - add { return .notRust }
                val = val * 10 + add
                rest = rest.dropFirst()
            }
            // An optional underscore may separate the length from the identifier.
            if rest.first == UInt8(ascii: "_") {
                rest = rest.dropFirst()
                val -= 1
            }
            if val < 0 { return .libraryPanics }
            if rest.count < val { return .notRust }
            var id = rest.prefix(val)
            rest = rest.dropFirst(val)
            if !out.isEmpty { out.append(contentsOf: bytes("::")) }
            // A leading underscore before an escape is not part of the name.
            if id.count >= 2, id.first == UInt8(ascii: "_"), id[id.startIndex + 1] == UInt8(ascii: "$") { id = id.dropFirst() }
            decodeEscapes(id, into: &out)
        }
        return .demangled(out)
    }

    /// `$SP$`, `$BP$`, `$RF$`, `$LT$`, `$GT$`, `$LP$`, `$RP$`, `$C$`, `$uXX$` and `..`; an invalid
    /// escape ends decoding, the rest written as it is.
    private static func decodeEscapes(_ id: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var id = id
        func hex(_ c: UInt8) -> UInt8? {
            if c.isDigitByte { return c - 0x30 }
            if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f") { return c - 0x61 + 10 }
            return nil
        }
        func char(_ i: Int) -> UInt8 { id[id.startIndex + i] }
        while let c = id.first {
            if c == UInt8(ascii: "$") {
                if id.count > 2 && char(1) == UInt8(ascii: "C") && char(2) == UInt8(ascii: "$") {
                    out.append(UInt8(ascii: ","))
                    id = id.dropFirst(3)
                    continue
                }
                if id.count > 4 && char(1) == UInt8(ascii: "u") && char(4) == UInt8(ascii: "$") {
                    let d1 = hex(char(2)), d2 = hex(char(3))
                    if let d1, let d2, d1 <= 7, (d1 << 4 | d2) >= 0x20 {
                        out.append(d1 << 4 | d2)
                        id = id.dropFirst(5)
                        continue
                    }
                } else if id.count > 3 && char(3) == UInt8(ascii: "$") {
                    let code: UInt8? = switch (char(1), char(2)) {
                    case (UInt8(ascii: "S"), UInt8(ascii: "P")): UInt8(ascii: "@")
                    case (UInt8(ascii: "B"), UInt8(ascii: "P")): UInt8(ascii: "*")
                    case (UInt8(ascii: "R"), UInt8(ascii: "F")): UInt8(ascii: "&")
                    case (UInt8(ascii: "L"), UInt8(ascii: "T")): UInt8(ascii: "<")
                    case (UInt8(ascii: "G"), UInt8(ascii: "T")): UInt8(ascii: ">")
                    case (UInt8(ascii: "L"), UInt8(ascii: "P")): UInt8(ascii: "(")
                    case (UInt8(ascii: "R"), UInt8(ascii: "P")): UInt8(ascii: ")")
                    default: nil
                    }
                    if let code {
                        out.append(code)
                        id = id.dropFirst(4)
                        continue
                    }
                }
                out.append(contentsOf: id)
                return
            }
            if c == UInt8(ascii: ".") && id.count > 1 && char(1) == UInt8(ascii: ".") {
                out.append(contentsOf: bytes("::"))
                id = id.dropFirst(2)
            } else {
                out.append(c)
                id = id.dropFirst()
            }
        }
    }
}
