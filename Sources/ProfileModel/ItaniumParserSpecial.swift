/// Operator names, local names, special names (vtables, typeinfo, thunks, guard variables, ...),
/// closures, unnamed types and clone suffixes: the rest of demangle.go's name grammar.
extension ItaniumParser {
    /// <local-name> ::= Z <(function) encoding> E <(entity) name> [<discriminator>]
    ///              ::= Z <(function) encoding> E s [<discriminator>]
    ///              ::= Z <(function) encoding> E d [<parameter> number>] _ <entity name>
    func localName() throws -> DNode {
        try checkChar("Z")
        let fn = try encoding(params: true, forLocalName: true)
        try expect("E")
        if next(is: "s") {
            pos += 1
            let n = try discriminator(name("string literal"))
            return qualified(fn, n, local: true)
        }
        var num = -1
        if next(is: "d") {
            pos += 1
            num = try compactNumber()
        }
        var n = try discriminator(try name())
        if num >= 0 {
            n = node(.defaultArg, n)
            n.num = num
        }
        return qualified(fn, n, local: true)
    }

    /// <discriminator> ::= _ <digit> | __ <number> _ ; clang may also end a name with bare digits.
    func discriminator(_ a: DNode) throws -> DNode {
        if !next(is: "_") {
            for i in 0 ..< count where !at(i).isDigitByte { return a }
            pos = end
            return a
        }
        pos += 1
        var trailingUnderscore = false
        if next(is: "_") {
            pos += 1
            trailingUnderscore = true
        }
        let d = try number()
        if d < 0 { throw DemangleFailure() }
        if trailingUnderscore && d >= 10 { try expect("_") }
        return a
    }

    /// The mangled operator codes, with the name the library prints and their arity.
    static let operators: [UInt16: (name: [UInt8], args: Int)] = {
        let table: [(StaticString, StaticString, Int)] = [
            ("aN", "&=", 2), ("aS", "=", 2), ("aa", "&&", 2), ("ad", "&", 1), ("an", "&", 2),
            ("at", "alignof ", 1), ("aw", "co_await ", 1), ("az", "alignof ", 1), ("cc", "const_cast", 2),
            ("cl", "()", 2), ("cp", "()", 2), ("cm", ",", 2), ("co", "~", 1), ("dV", "/=", 2),
            ("dX", "[...]=", 3), ("da", "delete[] ", 1), ("dc", "dynamic_cast", 2), ("de", "*", 1),
            ("di", "=", 2), ("dl", "delete ", 1), ("ds", ".*", 2), ("dt", ".", 2), ("dv", "/", 2),
            ("dx", "]=", 2), ("eO", "^=", 2), ("eo", "^", 2), ("eq", "==", 2), ("fl", "...", 2),
            ("fr", "...", 2), ("fL", "...", 3), ("fR", "...", 3), ("ge", ">=", 2), ("gs", "::", 1),
            ("gt", ">", 2), ("ix", "[]", 2), ("lS", "<<=", 2), ("le", "<=", 2), ("li", "operator\"\" ", 1),
            ("ls", "<<", 2), ("lt", "<", 2), ("mI", "-=", 2), ("mL", "*=", 2), ("mi", "-", 2),
            ("ml", "*", 2), ("mm", "--", 1), ("na", "new[]", 3), ("ne", "!=", 2), ("ng", "-", 1),
            ("nt", "!", 1), ("nw", "new", 3), ("nx", "noexcept", 1), ("oR", "|=", 2), ("oo", "||", 2),
            ("or", "|", 2), ("pL", "+=", 2), ("pl", "+", 2), ("pm", "->*", 2), ("pp", "++", 1),
            ("ps", "+", 1), ("pt", "->", 2), ("qu", "?", 3), ("rM", "%=", 2), ("rS", ">>=", 2),
            ("rc", "reinterpret_cast", 2), ("rm", "%", 2), ("rs", ">>", 2), ("sP", "sizeof...", 1),
            ("sZ", "sizeof...", 1), ("sc", "static_cast", 2), ("ss", "<=>", 2), ("st", "sizeof ", 1),
            ("sz", "sizeof ", 1), ("tr", "throw", 0), ("tw", "throw ", 1),
        ]
        var map: [UInt16: (name: [UInt8], args: Int)] = [:]
        for (code, name, args) in table {
            let c = bytes(code)
            map[UInt16(c[0]) << 8 | UInt16(c[1])] = (bytes(name), args)
        }
        return map
    }()

    /// operator_name ::= <two-letter code> | cv <type> | v <digit> <source-name>; with its arity.
    func operatorName(inExpression: Bool) throws -> (DNode, Int) {
        if count < 2 { throw DemangleFailure() }
        let c0 = at(0), c1 = at(1)
        pos += 2
        if c0 == UInt8(ascii: "v") && c1.isDigitByte {
            let name = try sourceName()
            return (operatorNode(name.text), Int(c1 - 0x30))
        }
        if c0 == UInt8(ascii: "c") && c1 == UInt8(ascii: "v") {
            // A nil template: the cast's template parameters are filled in later.
            if !inExpression { templates.append(nil) }
            let t = try demangleType(isCast: !inExpression)
            if !inExpression { templates.removeLast() }
            return (node(.cast, t), 1)
        }
        guard let op = Self.operators[UInt16(c0) << 8 | UInt16(c1)] else { throw DemangleFailure() }
        return (operatorNode(op.name), op.args)
    }

    /// <special-name> ::= TV/TT/TI/TS <type> | TA <template-arg> | T[hv] <call-offset> <encoding>
    ///   | Tc <call-offset> <call-offset> <encoding> | TC/TF/TJ/TH/TW ... | GV/GR/GA/GT/Gr ...
    func specialName() throws -> DNode {
        if next(is: "T") {
            pos += 1
            if count == 0 { throw DemangleFailure() }
            let c = at(0)
            pos += 1
            switch c {
            case UInt8(ascii: "V"): return special("vtable for ", try demangleType(isCast: false))
            case UInt8(ascii: "T"): return special("VTT for ", try demangleType(isCast: false))
            case UInt8(ascii: "I"): return special("typeinfo for ", try demangleType(isCast: false))
            case UInt8(ascii: "S"): return special("typeinfo name for ", try demangleType(isCast: false))
            case UInt8(ascii: "A"): return special("template parameter object for ", try templateArg())
            case UInt8(ascii: "h"):
                try callOffset(UInt8(ascii: "h"))
                return special("non-virtual thunk to ", try encoding(params: true, forLocalName: false))
            case UInt8(ascii: "v"):
                try callOffset(UInt8(ascii: "v"))
                return special("virtual thunk to ", try encoding(params: true, forLocalName: false))
            case UInt8(ascii: "c"):
                try callOffset(0)
                try callOffset(0)
                return special("covariant return thunk to ", try encoding(params: true, forLocalName: false))
            case UInt8(ascii: "C"):
                let derived = try demangleType(isCast: false)
                if try number() < 0 { throw DemangleFailure() }
                try expect("_")
                let base = try demangleType(isCast: false)
                let n = node(.special2, base, derived)
                n.text = bytes("construction vtable for ")
                n.text2 = bytes("-in-")
                return n
            case UInt8(ascii: "F"): return special("typeinfo fn for ", try demangleType(isCast: false))
            case UInt8(ascii: "J"): return special("java Class for ", try demangleType(isCast: false))
            case UInt8(ascii: "H"): return special("TLS init function for ", try name())
            case UInt8(ascii: "W"): return special("TLS wrapper function for ", try name())
            default: throw DemangleFailure()
            }
        }
        try checkChar("G")
        if count == 0 { throw DemangleFailure() }
        let c = at(0)
        pos += 1
        switch c {
        case UInt8(ascii: "V"):
            return special("guard variable for ", try name())
        case UInt8(ascii: "R"):
            let n = try name()
            _ = try seqID(eofOK: true)
            return special("reference temporary for ", n)
        case UInt8(ascii: "A"):
            return special("hidden alias for ", try encoding(params: true, forLocalName: false))
        case UInt8(ascii: "T"):
            if count == 0 { throw DemangleFailure() }
            let kind = at(0)
            pos += 1
            let v = try encoding(params: true, forLocalName: false)
            return special(kind == UInt8(ascii: "n") ? "non-transaction clone for " : "transaction clone for ", v)
        case UInt8(ascii: "r"):
            return try javaResource()
        default:
            throw DemangleFailure()
        }
    }

    private func special(_ prefix: StaticString, _ val: DNode) -> DNode {
        let n = node(.special, val)
        n.text = bytes(prefix)
        return n
    }

    /// A Java resource special name: <number> _ <escaped name>.
    private func javaResource() throws -> DNode {
        var ln = try number()
        if ln <= 1 { throw DemangleFailure() }
        try expect("_")
        ln -= 1
        if count < ln { throw DemangleFailure() }
        let str = slice(pos, pos + ln)
        pos += ln
        var out: [UInt8] = []
        var i = 0
        while i < str.count {
            if str[i] != UInt8(ascii: "$") {
                // Go's string(byte) writes the byte as a code point, in UTF-8.
                appendCodePoint(UInt32(str[i]), to: &out)
            } else {
                if str.count <= i + 1 { throw DemangleFailure() }
                i += 1
                switch str[i] {
                case UInt8(ascii: "S"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "_"): out.append(UInt8(ascii: "."))
                case UInt8(ascii: "$"): out.append(UInt8(ascii: "$"))
                default: throw DemangleFailure()
                }
            }
            i += 1
        }
        return special("java resource ", node(.name, text: out))
    }

    /// <call-offset> ::= h <nv-offset> _ | v <v-offset> _ ; `c` is its letter if already read.
    private func callOffset(_ c: UInt8) throws {
        var c = c
        if c == 0 {
            if count == 0 { throw DemangleFailure() }
            c = at(0)
            pos += 1
        }
        switch c {
        case UInt8(ascii: "h"):
            _ = try number()
        case UInt8(ascii: "v"):
            _ = try number()
            try expect("_")
            _ = try number()
        default:
            throw DemangleFailure()
        }
        try expect("_")
    }

    /// <closure-type-name> ::= Ul <lambda-sig> E [ <nonnegative number> ] _
    func closureTypeName() throws -> DNode {
        try checkChar("U")
        try checkChar("l")
        let oldLambdaTemplateLevel = lambdaTemplateLevel
        lambdaTemplateLevel = templates.count + 1
        var templateArgs: [DNode] = []
        var tmpl: DNode? = nil
        while count > 1 && next(is: "T") {
            guard let (arg, templateVal) = try templateParamDecl() else { break }
            templateArgs.append(arg)
            if tmpl == nil {
                tmpl = template(name("lambda"), [])
                templates.append(tmpl)
            }
            tmpl!.list.append(templateVal)
        }
        let types = try parmlist()
        lambdaTemplateLevel = oldLambdaTemplateLevel
        if tmpl != nil { templates.removeLast() }
        try expect("E")
        let n = node(.closure)
        n.list = templateArgs
        n.list2 = types
        n.num = try compactNumber()
        return n
    }

    /// <template-param-decl> ::= Ty | Tn <type> | Tt <template-param-decl>* E | Tp <template-param-decl>;
    /// the node for the closure and the name to add to its template, nil if there is none here.
    private func templateParamDecl() throws -> (DNode, DNode)? {
        try enter()
        defer { leave() }
        if count < 2 || !next(is: "T") { return nil }
        func paramName(_ prefix: StaticString, _ counter: inout Int) -> DNode {
            let n = node(.templateParamName, text: bytes(prefix))
            n.num = counter
            counter += 1
            return n
        }
        switch at(1) {
        case UInt8(ascii: "y"):
            pos += 2
            let name = paramName("$T", &typeTemplateParamCount)
            return (node(.typeTemplateParam, name), name)
        case UInt8(ascii: "n"):
            pos += 2
            let name = paramName("$N", &nonTypeTemplateParamCount)
            let typ = try demangleType(isCast: false)
            return (node(.nonTypeTemplateParam, name, typ), name)
        case UInt8(ascii: "t"):
            pos += 2
            let name = paramName("$TT", &templateTemplateParamCount)
            var params: [DNode] = []
            var tmpl: DNode? = nil
            while true {
                if count == 0 { throw DemangleFailure() }
                if next(is: "E") {
                    pos += 1
                    break
                }
                guard let (param, templateVal) = try templateParamDecl() else { throw DemangleFailure() }
                params.append(param)
                if tmpl == nil {
                    tmpl = template(self.name("template_template"), [])
                    templates.append(tmpl)
                }
                tmpl!.list.append(templateVal)
            }
            if tmpl != nil { templates.removeLast() }
            let n = node(.templateTemplateParam, name)
            n.list = params
            return (n, name)
        case UInt8(ascii: "p"):
            pos += 2
            guard let (param, templateVal) = try templateParamDecl() else { throw DemangleFailure() }
            return (node(.templateParamPack, param), templateVal)
        default:
            return nil
        }
    }

    /// <unnamed-type-name> ::= Ut [ <nonnegative number> ] _
    func unnamedTypeName() throws -> DNode {
        try checkChar("U")
        try checkChar("t")
        let n = node(.unnamedType)
        n.num = try compactNumber()
        subs.append(n)
        return n
    }

    /// A GCC clone suffix (`.isra.0`, `.cold`, `.constprop.1`).
    func cloneSuffix(_ a: DNode) throws -> DNode {
        func word(_ c: UInt8) -> Bool { c.isLowerByte || c.isDigitByte || c == UInt8(ascii: "_") }
        var i = 0
        if count > 1 && next(is: ".") && word(at(1)) {
            i += 2
            while count > i && word(at(i)) { i += 1 }
        }
        while count > i + 1 && at(i) == UInt8(ascii: ".") && at(i + 1).isDigitByte {
            i += 2
            while count > i && at(i).isDigitByte { i += 1 }
        }
        let n = node(.clone, a)
        n.text = slice(pos, pos + i)
        pos += i
        return n
    }
}

/// Appends the UTF-8 encoding of code point `v` (below 0x110000, not a surrogate).
func appendCodePoint(_ v: UInt32, to out: inout [UInt8]) {
    if let scalar = Unicode.Scalar(v) {
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    } else {
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
    }
}
