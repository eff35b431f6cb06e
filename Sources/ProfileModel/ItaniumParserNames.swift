/// Encodings and names: demangle.go's `encoding`, `name`, `nestedName`, `prefix`,
/// `unqualifiedName` and `sourceName`.
extension ItaniumParser {
    /// encoding ::= <(function) name> <bare-function-type> | <(data) name> | <special-name>
    func encoding(params: Bool, forLocalName: Bool) throws -> DNode {
        try enter()
        defer { leave() }
        if count < 1 { throw DemangleFailure() }
        if next(is: "G") || next(is: "T") { return try specialName() }

        var a = try simplify(try name())

        if !params {
            // The qualifiers of a method apply to `this`, a parameter: dropped with them.
            if a.kind == .methodWithQualifiers { a = a.a! }
            if a.kind == .qualified && a.flag { dropLocalMethodQualifiers(a) }
            return a
        }

        if count == 0 || next(is: "E") { return a }

        let mwq = a.kind == .methodWithQualifiers ? a : nil
        let template = findTemplate(a)
        var oldLambdaTemplateLevel = 0
        if let template {
            templates.append(template)
            oldLambdaTemplateLevel = lambdaTemplateLevel
            lambdaTemplateLevel = 0
        }

        var enableIfArgs: [DNode] = []
        if hasPrefix("Ua9enable_ifI") {
            try advance(12)
            enableIfArgs = try templateArgs()
        }

        var ft = try bareFunctionType(hasReturnType: hasReturnType(a))

        if template != nil {
            templates.removeLast()
            lambdaTemplateLevel = oldLambdaTemplateLevel
        }

        ft = try simplify(ft)

        // For a local name, the return type is not printed.
        if forLocalName && ft.kind == .functionType { ft.flag = true }

        // Top-level qualifiers belong to the function type.
        if let mwq {
            a = mwq.a!
            mwq.a = ft
            ft = mwq
        }
        if a.kind == .qualified && a.flag {
            let holder = a.b!.kind == .defaultArg ? a.b! : a
            let inner = holder === a ? a.b! : holder.a!
            if inner.kind == .methodWithQualifiers {
                if holder === a { a.b = inner.a } else { holder.a = inner.a }
                inner.a = ft
                ft = inner
            }
        }

        var r = node(.typed, a, ft)
        if !enableIfArgs.isEmpty {
            r = node(.enableIf, r)
            r.list = enableIfArgs
        }
        return r
    }

    /// A local name's qualifiers on its entity (through a default argument) apply to the
    /// enclosing function's `this`: they go with the parameters.
    private func dropLocalMethodQualifiers(_ q: DNode) {
        let holder = q.b!.kind == .defaultArg ? q.b! : q
        let inner = holder === q ? q.b! : holder.a!
        guard inner.kind == .methodWithQualifiers else { return }
        if holder === q { q.b = inner.a } else { holder.a = inner.a }
    }

    private func findTemplate(_ check: DNode) -> DNode? {
        switch check.kind {
        case .template:
            return check
        case .qualified:
            if check.flag || check.b!.kind == .constructor { return findTemplate(check.b!) }
        case .methodWithQualifiers:
            return findTemplate(check.a!)
        case .constructor:
            if let base = check.b { return findTemplate(base) }
        default:
            break
        }
        return nil
    }

    /// Whether the mangled form of `a` has a return type.
    private func hasReturnType(_ a: DNode) -> Bool {
        switch a.kind {
        case .qualified: return a.flag ? hasReturnType(a.b!) : false
        case .template: return !isCDtorConversion(a.a!)
        case .typeWithQualifiers, .methodWithQualifiers: return hasReturnType(a.a!)
        default: return false
        }
    }

    private func isCDtorConversion(_ a: DNode) -> Bool {
        switch a.kind {
        case .qualified: return isCDtorConversion(a.b!)
        case .constructor, .destructor, .cast: return true
        default: return false
        }
    }

    /// <tagged-name> ::= <name> B <source-name>
    func taggedName(_ a: DNode) throws -> DNode {
        var a = a
        while next(is: "B") {
            pos += 1
            let tag = try sourceName()
            a = node(.taggedName, a, tag)
        }
        return a
    }

    /// <name> ::= <nested-name> | <unscoped-name> | <unscoped-template-name> <template-args> | <local-name>
    func name() throws -> DNode {
        try enter()
        defer { leave() }
        if count < 1 { throw DemangleFailure() }
        switch at(0) {
        case UInt8(ascii: "N"):
            return try nestedName()
        case UInt8(ascii: "Z"):
            return try localName()
        case UInt8(ascii: "U"):
            let (a, isCast) = try unqualifiedName()
            if isCast { try setTemplate(a, nil) }
            return a
        case UInt8(ascii: "S"):
            if count < 2 { throw DemangleFailure() }
            var a: DNode
            var isCast = false
            var subst = false
            if at(1) == UInt8(ascii: "t") {
                pos += 2
                (a, isCast) = try unqualifiedName()
                a = qualified(stdName(), a, local: false)
            } else {
                a = try substitution(forPrefix: false)
                subst = true
            }
            if next(is: "I") {
                if !subst { subs.append(a) }
                (a, isCast) = try applyTemplateArgs(a, isCast: isCast)
            }
            if isCast { try setTemplate(a, nil) }
            return a
        default:
            var (a, isCast) = try unqualifiedName()
            if next(is: "I") {
                subs.append(a)
                (a, isCast) = try applyTemplateArgs(a, isCast: isCast)
            }
            if isCast { try setTemplate(a, nil) }
            return a
        }
    }

    /// `a` with the template arguments that follow; a cast operator's forward references to
    /// them are resolved.
    private func applyTemplateArgs(_ a: DNode, isCast: Bool) throws -> (DNode, Bool) {
        let args = try templateArgs()
        let tmpl = template(a, args)
        if isCast {
            try setTemplate(a, tmpl)
            try clearTemplateArgs(args)
        }
        return (tmpl, false)
    }

    /// <nested-name> ::= N [<CV-qualifiers>] [<ref-qualifier>] <prefix> <unqualified-name> E
    func nestedName() throws -> DNode {
        try checkChar("N")
        let q = try cvQualifiers()
        let r = refQualifier()
        var a = try prefix()
        if q != nil || !r.isEmpty {
            a = node(.methodWithQualifiers, a, q)
            a.text = r
        }
        try expect("E")
        return a
    }

    /// <prefix>: a sequence of names, template arguments, constructors and destructors.
    func prefix() throws -> DNode {
        try enter()
        defer { leave() }
        var a: DNode? = nil
        var last: DNode? = nil  // the last name seen, for a constructor or destructor
        func getLast(_ n: DNode) -> DNode {
            var n = n
            while n.kind == .template || n.kind == .qualified || n.kind == .taggedName {
                n = n.kind == .qualified ? n.b! : n.a!
            }
            return n
        }
        var isCast = false
        while true {
            work += 1
            if work > Self.maxWork { throw DemangleFailure(limit: true) }
            if count == 0 { throw DemangleFailure() }
            var next: DNode
            let c = at(0)
            if c.isDigitByte || c.isLowerByte || c == UInt8(ascii: "U") || c == UInt8(ascii: "L")
                || (c == UInt8(ascii: "D") && count > 1 && at(1) == UInt8(ascii: "C")) {
                let (un, isUnCast) = try unqualifiedName()
                next = un
                if isUnCast { isCast = true }
            } else {
                switch c {
                case UInt8(ascii: "C"):
                    pos += 1
                    var inheriting = false
                    if self.next(is: "I") {
                        inheriting = true
                        pos += 1
                    }
                    guard count >= 1, let last else { throw DemangleFailure() }
                    pos += 1
                    let base = inheriting ? try demangleType(isCast: false) : nil
                    next = node(.constructor, getLast(last), base)
                    if self.next(is: "B") { next = try taggedName(next) }
                case UInt8(ascii: "D"):
                    if count > 1 && (at(1) == UInt8(ascii: "T") || at(1) == UInt8(ascii: "t")) {
                        next = try demangleType(isCast: false)
                    } else {
                        guard count >= 2, let last else { throw DemangleFailure() }
                        pos += 2
                        next = node(.destructor, getLast(last))
                        if self.next(is: "B") { next = try taggedName(next) }
                    }
                case UInt8(ascii: "S"):
                    next = try substitution(forPrefix: true)
                case UInt8(ascii: "I"), UInt8(ascii: "J"):
                    guard let whole = a else { throw DemangleFailure() }
                    var args: [DNode] = []
                    if c == UInt8(ascii: "I") {
                        args = try templateArgs()
                    } else {
                        // clang can emit J for template arguments without the I.
                        while count == 0 || !self.next(is: "E") { args.append(try templateArg()) }
                        pos += 1
                    }
                    let tmpl = template(whole, args)
                    if isCast {
                        try setTemplate(whole, tmpl)
                        try clearTemplateArgs(args)
                        isCast = false
                    }
                    a = nil
                    next = tmpl
                case UInt8(ascii: "T"):
                    next = try templateParam()
                case UInt8(ascii: "E"):
                    guard let a else { throw DemangleFailure() }
                    if isCast { try setTemplate(a, nil) }
                    return a
                case UInt8(ascii: "M"):
                    // The initializer scope of a lambda: not recorded.
                    guard a != nil else { throw DemangleFailure() }
                    pos += 1
                    continue
                default:
                    throw DemangleFailure()
                }
            }
            last = next
            a = a.map { qualified($0, next, local: false) } ?? next
            if c != UInt8(ascii: "S") && (count == 0 || !self.next(is: "E")) { subs.append(a!) }
        }
    }

    /// <unqualified-name> ::= <operator-name> | <ctor-dtor-name> | <source-name> | <local-source-name>
    func unqualifiedName() throws -> (DNode, Bool) {
        try enter()
        defer { leave() }
        if count < 1 { throw DemangleFailure() }
        var a: DNode
        var isCast = false
        let c = at(0)
        if c.isDigitByte {
            a = try sourceName()
        } else if c.isLowerByte {
            a = try operatorName(inExpression: false).0
            if a.kind == .cast { isCast = true }
            if a.kind == .operator && a.textIs("operator\"\" ") {
                let n = try sourceName()
                a = node(.unary, a, n)
            }
        } else if c == UInt8(ascii: "D") && count > 1 && at(1) == UInt8(ascii: "C") {
            pos += 2
            var bindings: [DNode] = []
            while true {
                bindings.append(try sourceName())
                if next(is: "E") {
                    pos += 1
                    break
                }
            }
            a = node(.structuredBindings, list: bindings)
        } else {
            switch c {
            case UInt8(ascii: "L"):
                pos += 1
                a = try discriminator(try sourceName())
            case UInt8(ascii: "U"):
                if count < 2 { throw DemangleFailure() }
                switch at(1) {
                case UInt8(ascii: "b"):
                    pos += 2
                    _ = try compactNumber()
                    a = name("'block-literal'")
                case UInt8(ascii: "l"):
                    a = try closureTypeName()
                case UInt8(ascii: "t"):
                    a = try unnamedTypeName()
                default:
                    throw DemangleFailure()
                }
            default:
                throw DemangleFailure()
            }
        }
        if next(is: "B") { a = try taggedName(a) }
        return (a, isCast)
    }

    /// <source-name> ::= <(positive length) number> <identifier>
    func sourceName() throws -> DNode {
        let val = try number()
        if val <= 0 || count < val { throw DemangleFailure() }
        let start = pos
        pos += val
        // GCC's encoding of the anonymous namespace.
        if val > 10, hasBytes(at: start, "_GLOBAL_") {
            let c1 = input[start + 8], c2 = input[start + 9]
            if (c1 == UInt8(ascii: ".") || c1 == UInt8(ascii: "_") || c1 == UInt8(ascii: "$")) && c2 == UInt8(ascii: "N") {
                return name("(anonymous namespace)")
            }
        }
        return node(.name, text: slice(start, start + val))
    }

    func hasBytes(at p: Int, _ s: StaticString) -> Bool {
        s.withUTF8Buffer { q in
            guard p + q.count <= input.count else { return false }
            for i in 0 ..< q.count where input[p + i] != q[i] { return false }
            return true
        }
    }
}
