/// Types and template arguments: demangle.go's `demangleType` and the productions it uses.
extension ItaniumParser {
    /// The one-letter builtin types.
    static let builtinTypes: [[UInt8]?] = {
        var table = [[UInt8]?](repeating: nil, count: 128)
        let names: [(Character, StaticString)] = [
            ("a", "signed char"), ("b", "bool"), ("c", "char"), ("d", "double"), ("e", "long double"),
            ("f", "float"), ("g", "__float128"), ("h", "unsigned char"), ("i", "int"), ("j", "unsigned int"),
            ("l", "long"), ("m", "unsigned long"), ("n", "__int128"), ("o", "unsigned __int128"),
            ("s", "short"), ("t", "unsigned short"), ("v", "void"), ("w", "wchar_t"), ("x", "long long"),
            ("y", "unsigned long long"), ("z", "..."),
        ]
        for (c, name) in names { table[Int(c.asciiValue!)] = bytes(name) }
        return table
    }()

    /// <type>: builtin, function, class/enum, array, pointer-to-member, template parameter,
    /// substitution, qualified, pointer, reference, vendor-qualified and D-prefixed types.
    func demangleType(isCast: Bool) throws -> DNode {
        try enter()
        defer { leave() }
        if count == 0 { throw DemangleFailure() }
        var addSubst = true
        var q = try cvQualifiers()
        if q != nil {
            if count == 0 { throw DemangleFailure() }
            // Qualifiers before a function type apply to `this`.
            if next(is: "F") { addSubst = false }
        }
        var c = at(0)
        if c < 128, let builtin = Self.builtinTypes[Int(c)] {
            var ret = node(.builtinType, text: builtin)
            pos += 1
            if let q {
                ret = node(.typeWithQualifiers, ret, q)
                subs.append(ret)
            }
            return ret
        }
        var ret: DNode
        switch c {
        case UInt8(ascii: "u"):
            pos += 1
            ret = try sourceName()
        case UInt8(ascii: "F"):
            ret = try functionType()
        case UInt8(ascii: "N"), UInt8(ascii: "Z"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            ret = try name()
        case UInt8(ascii: "A"):
            ret = try arrayType(isCast: isCast)
        case UInt8(ascii: "M"):
            ret = try pointerToMemberType(isCast: isCast)
        case UInt8(ascii: "T"):
            if count > 1 && (at(1) == UInt8(ascii: "s") || at(1) == UInt8(ascii: "u") || at(1) == UInt8(ascii: "e")) {
                c = at(1)
                pos += 2
                ret = node(.elaboratedType, try name())
                ret.text = c == UInt8(ascii: "s") ? bytes("struct") : c == UInt8(ascii: "u") ? bytes("union") : bytes("enum")
                break
            }
            ret = try templateParam()
            if next(is: "I") {
                if !isCast {
                    subs.append(ret)
                    ret = template(ret, try templateArgs())
                } else {
                    ret = try demangleCastTemplateArgs(ret, addSubst: true)
                }
            }
        case UInt8(ascii: "S"):
            // A special substitution starts a <class-enum-type>.
            let c2 = at(1)
            if c2.isDigitByte || c2 == UInt8(ascii: "_") || c2.isUpperByte {
                ret = try substitution(forPrefix: false)
                if !next(is: "I") {
                    addSubst = false
                } else if ret.kind != .templateParam || !isCast {
                    ret = template(ret, try templateArgs())
                } else {
                    let n = try demangleCastTemplateArgs(ret, addSubst: false)
                    if n === ret { addSubst = false }
                    ret = n
                }
            } else {
                ret = try name()
                // A standard substitution is not itself a candidate, unless it took arguments.
                if ret === madeStandardSubstitution(c2, verbose: false) || ret === madeStandardSubstitution(c2, verbose: true) {
                    addSubst = false
                }
            }
        case UInt8(ascii: "O"), UInt8(ascii: "P"), UInt8(ascii: "R"), UInt8(ascii: "C"), UInt8(ascii: "G"):
            pos += 1
            let t = try demangleType(isCast: isCast)
            let kind: DKind = switch c {
            case UInt8(ascii: "O"): .rvalueReferenceType
            case UInt8(ascii: "P"): .pointerType
            case UInt8(ascii: "R"): .referenceType
            case UInt8(ascii: "C"): .complexType
            default: .imaginaryType
            }
            ret = node(kind, t)
        case UInt8(ascii: "U"):
            if count < 2 { throw DemangleFailure() }
            switch at(1) {
            case UInt8(ascii: "l"):
                ret = try closureTypeName()
                addSubst = false
            case UInt8(ascii: "t"):
                ret = try unnamedTypeName()
                addSubst = false
            default:
                pos += 1
                var n = try sourceName()
                if next(is: "I") { n = template(n, try templateArgs()) }
                let t = try demangleType(isCast: isCast)
                ret = node(.vendorQualifier, n, t)
            }
        case UInt8(ascii: "D"):
            pos += 1
            if count == 0 { throw DemangleFailure() }
            addSubst = false
            (ret, addSubst) = try dType(isCast: isCast)
        default:
            throw DemangleFailure()
        }

        if addSubst { subs.append(ret) }

        if let q0 = q {
            if ret.kind == .functionType {
                ret = node(.methodWithQualifiers, ret, q0)
            } else if ret.kind == .methodWithQualifiers {
                // Adjacent qualifiers, as with a trailing ref-qualifier.
                ret.b = mergeQualifiers(q0, ret.b)
            } else {
                // Adjacent qualifiers, as with multi-dimensional arrays.
                if ret.kind == .typeWithQualifiers {
                    q = mergeQualifiers(q0, ret.b)
                    ret = ret.a!
                }
                ret = node(.typeWithQualifiers, ret, q)
            }
            subs.append(ret)
        }
        return ret
    }

    /// The types that start with D (after the D): decltype, pack expansions, auto, the
    /// extended floating and character types, fixed-point and vector types.
    private func dType(isCast: Bool) throws -> (DNode, Bool) {
        let c2 = at(0)
        pos += 1
        func builtin(_ s: StaticString) -> DNode { node(.builtinType, text: bytes(s)) }
        switch c2 {
        case UInt8(ascii: "T"), UInt8(ascii: "t"):
            let e = try expression()
            try expect("E")
            return (node(.decltype, e), true)
        case UInt8(ascii: "p"):
            let t = try demangleType(isCast: isCast)
            let n = node(.packExpansion, t)
            n.ref = try findArgumentPack(t)
            return (n, true)
        case UInt8(ascii: "a"): return (name("auto"), false)
        case UInt8(ascii: "c"): return (name("decltype(auto)"), false)
        case UInt8(ascii: "f"): return (builtin("decimal32"), false)
        case UInt8(ascii: "d"): return (builtin("decimal64"), false)
        case UInt8(ascii: "e"): return (builtin("decimal128"), false)
        case UInt8(ascii: "h"): return (builtin("half"), false)
        case UInt8(ascii: "u"): return (builtin("char8_t"), false)
        case UInt8(ascii: "s"): return (builtin("char16_t"), false)
        case UInt8(ascii: "i"): return (builtin("char32_t"), false)
        case UInt8(ascii: "n"): return (builtin("decltype(nullptr)"), false)
        case UInt8(ascii: "F"):
            var accum = false
            var bits = 0
            if at(0).isDigitByte {
                accum = true
                bits = try number()
            }
            if next(is: "_") {
                if bits == 0 { throw DemangleFailure() }
                pos += 1
                let n = node(.binaryFP)
                n.num = bits
                return (n, false)
            }
            let base = try demangleType(isCast: isCast)
            if at(0).isDigitByte { _ = try number() }
            var sat = false
            if count > 0 {
                if next(is: "s") { sat = true }
                pos += 1
            }
            let n = node(.fixedType, base)
            n.flag = accum
            n.flag2 = sat
            return (n, false)
        case UInt8(ascii: "v"):
            return (try vectorType(isCast: isCast), true)
        default:
            throw DemangleFailure()
        }
    }

    /// A template parameter followed by template arguments in a cast operator's type: it is a
    /// template template parameter only if another set of arguments follows; otherwise the
    /// parse is rewound and the arguments are left to the prefix.
    private func demangleCastTemplateArgs(_ tp: DNode, addSubst: Bool) throws -> DNode {
        let save = (pos, subs, templates, lambdaTemplateLevel, typeTemplateParamCount,
                    nonTypeTemplateParamCount, templateTemplateParamCount)
        var args: [DNode]? = nil
        do {
            args = try templateArgs()
        } catch let failure as DemangleFailure where !failure.limit {
            // A parse failure rewinds; a limit reached ends the run.
        }
        if let args, next(is: "I") {
            if addSubst { subs.append(tp) }
            return template(tp, args)
        }
        (pos, subs, templates, lambdaTemplateLevel, typeTemplateParamCount, nonTypeTemplateParamCount,
         templateTemplateParamCount) = save
        return tp
    }

    /// <CV-qualifiers> ::= [r] [V] [K], and the D-prefixed exception and transaction qualifiers;
    /// the last read comes first.
    func cvQualifiers() throws -> DNode? {
        var q: [DNode] = []
        loop: while count > 0 {
            let c = at(0)
            var qual: DNode
            if c == UInt8(ascii: "r") || c == UInt8(ascii: "V") || c == UInt8(ascii: "K") {
                qual = node(.qualifier, text: c == UInt8(ascii: "r") ? DText.restrict_ : c == UInt8(ascii: "V") ? DText.volatile_ : DText.const_)
                pos += 1
            } else if count > 1 && c == UInt8(ascii: "D") {
                switch at(1) {
                case UInt8(ascii: "x"):
                    qual = node(.qualifier, text: bytes("transaction_safe"))
                    pos += 2
                case UInt8(ascii: "o"):
                    qual = node(.qualifier, text: bytes("noexcept"))
                    pos += 2
                case UInt8(ascii: "O"):
                    pos += 2
                    let expr = try expression()
                    try expect("E")
                    qual = node(.qualifier, text: bytes("noexcept"))
                    qual.list = [expr]
                case UInt8(ascii: "w"):
                    pos += 2
                    let parms = try parmlist()
                    try expect("E")
                    qual = node(.qualifier, text: bytes("throw"))
                    qual.list = parms
                default:
                    break loop
                }
            } else {
                break
            }
            q.insert(qual, at: 0)
        }
        return q.isEmpty ? nil : node(.qualifiers, list: q)
    }

    /// <ref-qualifier> ::= R | O
    func refQualifier() -> [UInt8] {
        if next(is: "R") {
            pos += 1
            return DText.ref
        }
        if next(is: "O") {
            pos += 1
            return DText.rvalueRef
        }
        return []
    }

    /// <type>+ up to E, `.` or a function's ref-qualifier; a lone `void` is no parameter.
    func parmlist() throws -> [DNode] {
        var ret: [DNode] = []
        while count >= 1 {
            let c = at(0)
            if c == UInt8(ascii: "E") || c == UInt8(ascii: ".") { break }
            if (c == UInt8(ascii: "R") || c == UInt8(ascii: "O")) && count > 1 && at(1) == UInt8(ascii: "E") { break }
            ret.append(try demangleType(isCast: false))
        }
        if ret.isEmpty { throw DemangleFailure() }
        if ret.count == 1 && ret[0].kind == .builtinType && ret[0].textIs("void") { return [] }
        return ret
    }

    /// <function-type> ::= F [Y] <bare-function-type> [<ref-qualifier>] E
    private func functionType() throws -> DNode {
        try checkChar("F")
        if next(is: "Y") { pos += 1 }
        var ret = try bareFunctionType(hasReturnType: true)
        let r = refQualifier()
        if !r.isEmpty {
            ret = node(.methodWithQualifiers, ret)
            ret.text = r
        }
        try expect("E")
        return ret
    }

    /// <bare-function-type> ::= [J]<type>+
    func bareFunctionType(hasReturnType: Bool) throws -> DNode {
        var hasReturnType = hasReturnType
        if next(is: "J") {
            hasReturnType = true
            pos += 1
        }
        let ret = hasReturnType ? try demangleType(isCast: false) : nil
        let n = node(.functionType, ret)
        n.list = try parmlist()
        return n
    }

    /// <array-type> ::= A <(positive dimension) number> _ <(element) type> | A [<expression>] _ <type>
    private func arrayType(isCast: Bool) throws -> DNode {
        try checkChar("A")
        if count == 0 { throw DemangleFailure() }
        let dim: DNode
        if next(is: "_") {
            dim = node(.name, text: [])
        } else if at(0).isDigitByte {
            var i = 1
            while count > i && at(i).isDigitByte { i += 1 }
            dim = node(.name, text: slice(pos, pos + i))
            pos += i
        } else {
            dim = try expression()
        }
        try expect("_")
        let t = try demangleType(isCast: isCast)
        // Qualifiers on the element go on the whole array.
        if t.kind == .typeWithQualifiers {
            return node(.typeWithQualifiers, node(.arrayType, dim, t.a), t.b)
        }
        return node(.arrayType, dim, t)
    }

    /// <vector-type> ::= Dv <number> _ <type> | Dv _ <expression> _ <type>
    private func vectorType(isCast: Bool) throws -> DNode {
        if count == 0 { throw DemangleFailure() }
        let dim: DNode
        if next(is: "_") {
            pos += 1
            dim = try expression()
        } else {
            dim = node(.name, text: decimalBytes(try number()))
        }
        try expect("_")
        let t = try demangleType(isCast: isCast)
        return node(.vectorType, dim, t)
    }

    /// <pointer-to-member-type> ::= M <(class) type> <(member) type>
    private func pointerToMemberType(isCast: Bool) throws -> DNode {
        try checkChar("M")
        let cl = try demangleType(isCast: false)
        let mem = try demangleType(isCast: isCast)
        return node(.ptrMem, cl, mem)
    }
}
