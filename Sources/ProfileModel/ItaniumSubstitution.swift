/// Substitutions, template parameters and template arguments: demangle.go's `substitution`,
/// `templateParam`, `templateArgs` and `templateArg`.
extension ItaniumParser {
    /// <substitution> ::= S <seq-id> _ | S_ | St | Sa | Sb | Ss | Si | So | Sd
    ///
    /// A reference to an earlier candidate is copied with its template parameters pointed at the
    /// template now in scope, as the library does.
    func substitution(forPrefix: Bool) throws -> DNode {
        try checkChar("S")
        if count == 0 { throw DemangleFailure() }
        let c = at(0)
        if c == UInt8(ascii: "_") || c.isDigitByte || c.isUpperByte {
            let id = try seqID(eofOK: false)
            if id >= subs.count { throw DemangleFailure() }
            let ret = subs[id]

            var copyTemplates = templates
            var oldLambdaTemplateLevel: [Int] = []
            var seen = beginSeen()
            defer { endSeen(seen) }

            let copyOne: (DNode) throws -> DNode? = { a in
                let index: Int
                switch a.kind {
                case .typed:
                    // Undo the template pushed in skip.
                    if a.a!.kind == .template {
                        guard copyTemplates.popLast() != nil, let old = oldLambdaTemplateLevel.popLast() else {
                            throw DemangleFailure()
                        }
                        self.lambdaTemplateLevel = old
                    }
                    return nil
                case .closure:
                    // Undo the level saved in skip.
                    guard let old = oldLambdaTemplateLevel.popLast() else { throw DemangleFailure() }
                    self.lambdaTemplateLevel = old
                    return nil
                case .templateParam, .lambdaAuto:
                    index = a.num
                default:
                    return nil
                }
                if self.lambdaTemplateLevel > 0 {
                    if a.kind == .lambdaAuto { return nil }
                    let n = self.node(.lambdaAuto)
                    n.num = index
                    return n
                }
                var template: DNode?
                if let last = copyTemplates.last {
                    template = last
                } else if ret.kind == .template {
                    // clang can start with a template, and refer to it.
                    template = ret
                } else {
                    throw DemangleFailure()
                }
                // Inside a cast operator's type: filled in later.
                guard let template else { return self.templateParam(index, nil) }
                if index >= template.list.count { throw DemangleFailure() }
                return self.templateParam(index, template)
            }
            let skip: (DNode) throws -> Bool = { a in
                switch a.kind {
                case .typed:
                    if a.a!.kind == .template {
                        // Removed in copyOne.
                        copyTemplates.append(a.a!)
                        oldLambdaTemplateLevel.append(self.lambdaTemplateLevel)
                        self.lambdaTemplateLevel = 0
                    }
                    return false
                case .closure:
                    // Undone in copyOne.
                    oldLambdaTemplateLevel.append(self.lambdaTemplateLevel)
                    self.lambdaTemplateLevel = copyTemplates.count + 1
                    return false
                case .templateParam, .lambdaAuto:
                    return false
                default:
                    return !seen.insert(a)
                }
            }
            return try copy(ret, copyOne, skip) ?? ret
        }

        pos += 1
        // Constructors and destructors get the long names, as the standard demangler prints.
        let verbose = forPrefix && (next(is: "C") || next(is: "D"))
        guard var a = standardSubstitution(c, verbose: verbose) else { throw DemangleFailure() }
        if next(is: "B") {
            a = try taggedName(a)
            subs.append(a)
        }
        return a
    }

    /// <template-param> ::= T_ | T <number> _ | TL <level-1> __ | TL <level-1> _ <number> _
    ///
    /// Lambda `auto` parameters are mangled as template parameters (https://gcc.gnu.org/PR78252).
    func templateParam() throws -> DNode {
        try checkChar("T")
        var level = 0
        if next(is: "L") {
            pos += 1
            level = try compactNumber()
        }
        let n = try compactNumber()
        if level >= templates.count {
            if lambdaTemplateLevel > 0 && level == lambdaTemplateLevel - 1 { return lambdaAuto(n) }
            throw DemangleFailure()
        }
        // A nil template: a cast operator's forward reference, filled in later.
        guard let template = templates[level] else { return templateParam(n, nil) }
        if n >= template.list.count {
            if lambdaTemplateLevel > 0 && level == lambdaTemplateLevel - 1 { return lambdaAuto(n) }
            throw DemangleFailure()
        }
        return templateParam(n, template)
    }

    private func lambdaAuto(_ index: Int) -> DNode {
        let n = node(.lambdaAuto)
        n.num = index
        return n
    }

    /// <template-args> ::= I <template-arg>+ E (or J ... E)
    func templateArgs() throws -> [DNode] {
        guard next(is: "I") || next(is: "J") else { throw DemangleFailure() }
        pos += 1
        var ret: [DNode] = []
        while count == 0 || !next(is: "E") { ret.append(try templateArg()) }
        pos += 1
        return ret
    }

    /// <template-arg> ::= <type> | X <expression> E | <expr-primary> | J <template-arg>* E
    func templateArg() throws -> DNode {
        try enter()
        defer { leave() }
        if count == 0 { throw DemangleFailure() }
        switch at(0) {
        case UInt8(ascii: "X"):
            pos += 1
            let expr = try expression()
            try expect("E")
            return expr
        case UInt8(ascii: "L"):
            return try exprPrimary()
        case UInt8(ascii: "I"), UInt8(ascii: "J"):
            return node(.argumentPack, list: try templateArgs())
        default:
            return try demangleType(isCast: false)
        }
    }
}
