/// The library's tree walks (each AST type's `Traverse` and `Copy`) and the rewrites built on
/// them: `simplify`, `findArgumentPack`, `setTemplate`, `mergeQualifiers`.
extension ItaniumParser {
    /// `a.Traverse(fn)`: `fn` on the node, then on its children if `fn` says so. Like the
    /// library, a type's and a method's qualifiers are not visited.
    func traverse(_ n: DNode, _ fn: (DNode) throws -> Bool) throws {
        try enter()
        defer { leave() }
        guard try fn(n) else { return }
        if let a = n.a { try traverse(a, fn) }
        if n.kind != .typeWithQualifiers && n.kind != .methodWithQualifiers, let b = n.b { try traverse(b, fn) }
        if let c = n.c { try traverse(c, fn) }
        if let d = n.d { try traverse(d, fn) }
        for x in n.list { try traverse(x, fn) }
        for x in n.list2 { try traverse(x, fn) }
    }

    /// `a.Copy(fn, skip)`: nil when nothing changed (`skip` said so, or no child changed and
    /// `fn` had nothing to say), else the copy, passed through `fn` once more.
    func copy(_ n: DNode, _ fn: (DNode) throws -> DNode?, _ skip: (DNode) throws -> Bool) throws -> DNode? {
        if try skip(n) { return nil }
        try enter()
        defer { leave() }
        let na = try n.a.flatMap { try copy($0, fn, skip) }
        let nb = try n.b.flatMap { try copy($0, fn, skip) }
        let nc = try n.c.flatMap { try copy($0, fn, skip) }
        let nd = try n.d.flatMap { try copy($0, fn, skip) }
        let nl = try copyList(n.list, fn, skip)
        let nl2 = try copyList(n.list2, fn, skip)
        let changed = na != nil || nb != nil || nc != nil || nd != nil || nl != nil || nl2 != nil
        switch n.kind {
        case .sizeofPack:
            // SizeofPack.Copy always makes a new node.
            break
        case .subobject, .ptrMemCast:
            // These two return nil, not fn(self), when nothing changed.
            if !changed { return nil }
        default:
            if !changed { return try fn(n) }
        }
        let m = node(n.kind)
        m.a = na ?? n.a
        m.b = n.kind == .vendorQualifier ? n.b : (nb ?? n.b) // VendorQualifier.Copy keeps its old Type
        m.c = nc ?? n.c
        m.d = nd ?? n.d
        m.list = nl ?? n.list
        m.list2 = nl2 ?? n.list2
        m.ref = n.ref
        m.text = n.text
        m.text2 = n.text2
        m.num = n.num
        m.flag = n.flag
        m.flag2 = n.flag2
        return try fn(m) ?? m
    }

    private func copyList(_ list: [DNode], _ fn: (DNode) throws -> DNode?, _ skip: (DNode) throws -> Bool) throws -> [DNode]? {
        var out: [DNode]? = nil
        for (i, x) in list.enumerated() {
            if let y = try copy(x, fn, skip) {
                if out == nil { out = list }
                out![i] = y
            }
        }
        return out
    }

    /// Replaces template parameters with their arguments and merges qualifiers.
    func simplify(_ a: DNode) throws -> DNode {
        // Without a node it rewrites, the copy would change nothing.
        guard simplifiable else { return a }
        var seen = beginSeen()
        defer { endSeen(seen) }
        return try copy(a, { try simplifyOne($0) }, { !seen.insert($0) }) ?? a
    }

    /// One node's simplification, nil when there is nothing to do.
    private func simplifyOne(_ a: DNode) throws -> DNode? {
        switch a.kind {
        case .templateParam:
            if let t = a.ref, a.num < t.list.count { return t.list[a.num] }
        case .methodWithQualifiers:
            let method = a.a!
            if method.kind == .methodWithQualifiers {
                var ref = a.text
                if ref.isEmpty {
                    ref = method.text
                } else if !method.text.isEmpty {
                    if a.textIs("&") || method.textIs("&") { ref = DText.ref }
                }
                let m = node(.methodWithQualifiers, method.a, mergeQualifiers(a.b, method.b))
                m.text = ref
                return m
            }
            if method.kind == .typeWithQualifiers {
                let m = node(.methodWithQualifiers, method.a, mergeQualifiers(a.b, method.b))
                m.text = a.text
                return m
            }
        case .typeWithQualifiers:
            let base = a.a!
            if base.kind == .functionType { return node(.methodWithQualifiers, base, a.b) }
            if base.kind == .typeWithQualifiers { return node(.typeWithQualifiers, base.a, mergeQualifiers(a.b, base.b)) }
            if base.kind == .methodWithQualifiers {
                let m = node(.methodWithQualifiers, base.a, mergeQualifiers(a.b, base.b))
                m.text = base.text
                return m
            }
        case .referenceType:
            let base = a.a!
            if base.kind == .referenceType { return base }
            if base.kind == .rvalueReferenceType { return node(.referenceType, base.a) }
        case .rvalueReferenceType:
            let base = a.a!
            if base.kind == .rvalueReferenceType || base.kind == .referenceType { return base }
        case .arrayType:
            let element = a.b!
            if element.kind == .typeWithQualifiers {
                return node(.typeWithQualifiers, node(.arrayType, a.a, element.a), element.b)
            }
        case .packExpansion:
            guard let pack = a.ref else { break }
            var exprs: [DNode] = []
            for arg in pack.list {
                var seen = beginSeen()
                defer { endSeen(seen) }
                let b = try copy(a.a!, { $0 === pack ? arg : nil }, { sub in
                    if sub.kind == .packExpansion { return true }
                    return !seen.insert(sub)
                }) ?? a.a!
                exprs.append(try simplify(b))
            }
            return node(.exprList, list: exprs)
        default:
            break
        }
        return nil
    }

    /// Merges two qualifier lists into the first (which it changes, as the library does).
    func mergeQualifiers(_ q1: DNode?, _ q2: DNode?) -> DNode? {
        guard let q1 else { return q2 }
        guard let q2 else { return q1 }
        var names: [[UInt8]] = []
        for qual in q1.list where qual.list.isEmpty { names.append(qual.text) }
        var merged = q1.list
        for qual in q2.list {
            if !qual.list.isEmpty {
                merged.append(qual)
            } else if !names.contains(qual.text) {
                merged.append(qual)
                names.append(qual.text)
            }
        }
        q1.list = merged
        return q1
    }

    /// The argument pack a pack expansion expands, found through a template parameter.
    func findArgumentPack(_ a: DNode) throws -> DNode? {
        var found: DNode? = nil
        var seen = beginSeen()
        defer { endSeen(seen) }
        try traverse(a) { n in
            if found != nil { return false }
            switch n.kind {
            case .templateParam:
                guard let t = n.ref, n.num < t.list.count else { return true }
                if t.list[n.num].kind == .argumentPack {
                    found = t.list[n.num]
                    return false
                }
            case .packExpansion, .closure, .name, .taggedName, .operator, .builtinType, .functionParam,
                 .unnamedType, .fixedType, .defaultArg:
                return false
            default:
                break
            }
            return seen.insert(n)
        }
        return found
    }

    /// Points the template parameters of a cast operator's type at `tmpl`; with nil, fails on
    /// any that is still unset.
    func setTemplate(_ a: DNode, _ tmpl: DNode?) throws {
        var seen = beginSeen()
        defer { endSeen(seen) }
        try traverse(a) { n in
            switch n.kind {
            case .templateParam:
                if n.ref != nil {
                    if tmpl != nil { throw DemangleFailure() }
                    return false
                }
                guard let tmpl, n.num < tmpl.list.count else { throw DemangleFailure() }
                n.ref = tmpl
                return false
            case .closure:
                return false
            default:
                return seen.insert(n)
            }
        }
    }

    func clearTemplateArgs(_ args: [DNode]) throws {
        for a in args { try setTemplate(a, nil) }
    }
}
