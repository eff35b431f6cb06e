/// Expressions (in template arguments, decltype, array bounds and noexcept): demangle.go's
/// `expression`, `exprList`, `subobject`, `unresolvedName`, `baseUnresolvedName` and
/// `exprPrimary`.
extension ItaniumParser {
    /// A sequence of expressions up to `stop`.
    func exprList(_ stop: Unicode.Scalar) throws -> DNode {
        if next(is: stop) {
            pos += 1
            return node(.exprList, list: [])
        }
        var exprs: [DNode] = []
        while true {
            exprs.append(try expression())
            if next(is: stop) {
                pos += 1
                break
            }
        }
        return node(.exprList, list: exprs)
    }

    /// <expression>: operators applied to expressions, casts, calls, new and delete, sizeof and
    /// alignof, pack expansions, fold expressions, template and function parameters, names
    /// and literals.
    func expression() throws -> DNode {
        try enter()
        defer { leave() }
        if count == 0 { throw DemangleFailure() }
        let c0 = at(0), c1 = count > 1 ? at(1) : 0
        func is2(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool { c0 == UInt8(truncatingIfNeeded: a.value) && c1 == UInt8(truncatingIfNeeded: b.value) }
        if c0 == UInt8(ascii: "L") { return try exprPrimary() }
        if c0 == UInt8(ascii: "T") { return try templateParam() }
        if is2("s", "o") {
            pos += 2
            return try subobject()
        }
        if is2("s", "r") { return try unresolvedName() }
        if is2("s", "p") {
            pos += 2
            let e = try expression()
            let n = node(.packExpansion, e)
            n.ref = try findArgumentPack(e)
            return n
        }
        if is2("s", "Z") {
            pos += 2
            let e = try expression()
            guard let pack = try findArgumentPack(e) else { throw DemangleFailure() }
            let n = node(.sizeofPack)
            n.ref = pack
            return n
        }
        if is2("s", "P") {
            pos += 2
            var args: [DNode] = []
            while count == 0 || !next(is: "E") { args.append(try templateArg()) }
            pos += 1
            return node(.sizeofArgs, list: args)
        }
        if is2("f", "p") {
            pos += 2
            let n = node(.functionParam)
            if next(is: "T") {
                pos += 1
                n.num = 0
            } else {
                // Qualifiers may appear here; they are not printed.
                _ = try cvQualifiers()
                n.num = try compactNumber() + 1
            }
            return n
        }
        if is2("f", "L") && count > 2 && at(2).isDigitByte {
            pos += 2
            _ = try number()  // the scope count is not printed
            try expect("p")
            _ = try cvQualifiers()
            let n = node(.functionParam)
            n.num = try compactNumber() + 1
            return n
        }
        if is2("m", "c") {
            pos += 2
            let typ = try demangleType(isCast: false)
            let expr = try expression()
            var offset = 0
            if next(is: "n") || at(0).isDigitByte { offset = try number() }
            try expect("E")
            let n = node(.ptrMemCast, typ, expr)
            n.num = offset
            return n
        }
        if c0.isDigitByte || is2("o", "n") {
            if c0 == UInt8(ascii: "o") { pos += 2 }  // skip the operator function id
            var n = try unqualifiedName().0
            if next(is: "I") { n = template(n, try templateArgs()) }
            return n
        }
        if is2("i", "l") || is2("t", "l") {
            // A brace-enclosed initializer list.
            pos += 2
            let t = c0 == UInt8(ascii: "t") ? try demangleType(isCast: false) : nil
            let exprs = try exprList("E")
            return node(.initializerList, t, exprs)
        }
        if is2("s", "t") {
            let o = try operatorName(inExpression: true).0
            let t = try demangleType(isCast: false)
            let n = node(.unary, o, t)
            n.flag2 = true
            return n
        }
        if c0 == UInt8(ascii: "u") {
            pos += 1
            return try vendorExpression()
        }
        return try operatorExpression()
    }

    /// u <source-name> <template-arg>* E, with LLVM's `__uuidof` taking a type or an expression.
    private func vendorExpression() throws -> DNode {
        let name = try sourceName()
        func call(_ args: [DNode]) -> DNode {
            let n = node(.binary, operatorNode(bytes("()")), name)
            n.c = node(.exprList, list: args)
            return n
        }
        if name.textIs("__uuidof") {
            if count < 2 { throw DemangleFailure() }
            var operand: DNode? = nil
            if next(is: "t") {
                pos += 1
                operand = try demangleType(isCast: false)
            } else if next(is: "z") {
                pos += 1
                operand = try expression()
            }
            if let operand { return call([operand]) }
        }
        var args: [DNode] = []
        while true {
            if count == 0 { throw DemangleFailure() }
            if next(is: "E") {
                pos += 1
                break
            }
            args.append(try templateArg())
        }
        return call(args)
    }

    /// An operator applied to its operands.
    private func operatorExpression() throws -> DNode {
        if count < 2 { throw DemangleFailure() }
        let code0 = at(0), code1 = at(1)
        func code(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool { code0 == UInt8(truncatingIfNeeded: a.value) && code1 == UInt8(truncatingIfNeeded: b.value) }
        let (o, args) = try operatorName(inExpression: true)
        switch args {
        case 0:
            return node(.nullary, o)
        case 1:
            var suffix = false
            if code("p", "p") || code("m", "m") {
                if next(is: "_") { pos += 1 } else { suffix = true }
            }
            let operand: DNode
            if o.kind == .cast && next(is: "_") {
                pos += 1
                operand = try exprList("E")
            } else {
                operand = try expression()
            }
            let n = node(.unary, o, operand)
            n.flag = suffix
            return n
        case 2:
            let left: DNode
            var right: DNode
            if code("s", "c") || code("d", "c") || code("c", "c") || code("r", "c") {
                left = try demangleType(isCast: false)
            } else if code0 == UInt8(ascii: "f") {
                let op = try operatorName(inExpression: true).0
                let n = node(.fold, op, try expression())
                n.flag = code1 == UInt8(ascii: "l")
                return n
            } else if code("d", "i") {
                left = try unqualifiedName().0
            } else {
                left = try expression()
            }
            if code("c", "l") || code("c", "p") {
                right = try exprList("E")
            } else if code("d", "t") || code("p", "t") {
                right = try unresolvedName()
                if next(is: "I") { right = template(right, try templateArgs()) }
            } else {
                right = try expression()
            }
            let n = node(.binary, o, left)
            n.c = right
            return n
        case 3:
            if code0 == UInt8(ascii: "n") {
                var place: DNode? = try exprList("_")
                if place!.list.isEmpty { place = nil }
                let t = try demangleType(isCast: false)
                var ini: DNode? = nil
                if next(is: "E") {
                    pos += 1
                } else if count > 1 && at(0) == UInt8(ascii: "p") && at(1) == UInt8(ascii: "i") {
                    // A parenthesized initializer.
                    pos += 2
                    ini = try exprList("E")
                } else if count > 1 && at(0) == UInt8(ascii: "i") && at(1) == UInt8(ascii: "l") {
                    ini = try expression()
                } else {
                    throw DemangleFailure()
                }
                let n = node(.new, o, place)
                n.c = t
                n.d = ini
                return n
            }
            if code0 == UInt8(ascii: "f") {
                let first = try operatorName(inExpression: true).0
                let n = node(.fold, first, try expression())
                n.c = try expression()
                n.flag = code1 == UInt8(ascii: "L")
                return n
            }
            let first = try expression()
            let second = try expression()
            let third = try expression()
            let n = node(.trinary, o, first)
            n.c = second
            n.d = third
            return n
        default:
            throw DemangleFailure()
        }
    }

    /// so <referent type> <expr> [<offset number>] <union-selector>* [p] E
    private func subobject() throws -> DNode {
        let typ = try demangleType(isCast: false)
        let expr = try expression()
        var offset = 0
        if next(is: "n") || at(0).isDigitByte { offset = try number() }
        while next(is: "_") {
            pos += 1
            if next(is: "n") || at(0).isDigitByte { _ = try number() }
        }
        if next(is: "p") { pos += 1 }
        try expect("E")
        let n = node(.subobject, typ, expr)
        n.num = offset
        return n
    }

    /// <unresolved-name> ::= [gs] <base-unresolved-name> | sr <unresolved-type> <base-unresolved-name>
    ///   | srN <unresolved-type> <unresolved-qualifier-level>+ E <base-unresolved-name>
    ///   | [gs] sr <unresolved-qualifier-level>+ E <base-unresolved-name>
    func unresolvedName() throws -> DNode {
        try enter()
        defer { leave() }
        if hasPrefix("gs") {
            pos += 2
            let n = try unresolvedName()
            return node(.unary, operatorNode(bytes("::")), n)
        }
        guard hasPrefix("sr") else { return try baseUnresolvedName() }
        pos += 2
        if count == 0 { throw DemangleFailure() }
        switch at(0) {
        case UInt8(ascii: "T"), UInt8(ascii: "D"), UInt8(ascii: "S"):
            let t = try demangleType(isCast: false)
            var n = qualified(t, try baseUnresolvedName(), local: false)
            if next(is: "I") {
                n = template(n, try templateArgs())
                subs.append(n)
            }
            return n
        default:
            var s: DNode? = nil
            if next(is: "N") {
                pos += 1
                s = try demangleType(isCast: false)
            }
            while count == 0 || !next(is: "E") {
                work += 1
                if work > Self.maxWork { throw DemangleFailure(limit: true) }
                // GCC can emit a type/name without the E.
                if let q = s, count > 0, !at(0).isDigitByte, q.kind == .qualified {
                    let a = q.a!
                    if a.kind == .template {
                        subs.append(a.a!)
                        subs.append(a)
                    } else {
                        subs.append(a)
                    }
                    return q
                }
                var n = try sourceName()
                if next(is: "I") {
                    subs.append(n)
                    n = template(n, try templateArgs())
                }
                s = s.map { qualified($0, n, local: false) } ?? n
                subs.append(s!)
            }
            guard let scope = s else { throw DemangleFailure() }
            pos += 1
            return qualified(scope, try baseUnresolvedName(), local: false)
        }
    }

    /// <base-unresolved-name> ::= <simple-id> | on <operator-name> [<template-args>] | dn <destructor-name>
    private func baseUnresolvedName() throws -> DNode {
        var n: DNode
        if hasPrefix("on") {
            pos += 2
            n = try operatorName(inExpression: true).0
        } else if hasPrefix("dn") {
            pos += 2
            n = node(.destructor, at(0).isDigitByte ? try sourceName() : try demangleType(isCast: false))
        } else if at(0).isDigitByte {
            n = try sourceName()
        } else {
            // GCC can write an operator name without `on` (https://gcc.gnu.org/PR70182).
            n = try operatorName(inExpression: true).0
        }
        if next(is: "I") { n = template(n, try templateArgs()) }
        return n
    }

    /// <expr-primary> ::= L <type> <(value) number> E | L <type> <(value) float> E | L <mangled-name> E
    func exprPrimary() throws -> DNode {
        try checkChar("L")
        if count == 0 { throw DemangleFailure() }
        let ret: DNode
        // g++ omitted the underscore before -fabi-version=3.
        if next(is: "_") || next(is: "Z") {
            if next(is: "_") { pos += 1 }
            try expect("Z")
            ret = try encoding(params: true, forLocalName: false)
        } else {
            let t = try demangleType(isCast: false)
            var neg = false
            if next(is: "n") {
                neg = true
                pos += 1
            }
            if next(is: "E") {
                if t.kind == .builtinType && t.textIs("decltype(nullptr)") {
                    // A nullptr has no value, though GCC used to write one (https://gcc.gnu.org/PR91979).
                } else if t.kind == .closure {
                    pos += 1
                    return node(.lambdaExpr, t)
                } else if t.kind == .arrayType || (t.kind == .typeWithQualifiers && t.a!.kind == .arrayType) {
                    pos += 1
                    return node(.stringLiteral, t)
                } else {
                    throw DemangleFailure()
                }
            }
            var i = 0
            while count > i && at(i) != UInt8(ascii: "E") { i += 1 }
            let lit = node(.literal, t)
            lit.text = slice(pos, pos + i)
            lit.flag = neg
            pos += i
            ret = lit
        }
        try expect("E")
        return ret
    }
}
