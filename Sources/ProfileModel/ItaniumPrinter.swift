/// The library's printer (each AST type's `print` and `printInner`, ast.go) with template
/// arguments off (`NoTemplateParams`) and GNU style (no `LLVMStyle`), bounded in output length,
/// work and depth.
struct ItaniumPrinter {
    var buf: [UInt8] = []
    /// The last byte written through `write` (direct writes, as the library's `fmt.Fprintf`
    /// into its buffer, leave it alone).
    var last: UInt8 = 0
    /// Items still to print for a type name: the library's inside-out declarator stack.
    var inner: [DNode] = []
    var depth = 0
    var work = 0
    static let maxOutput = 1 << 16
    static let maxDepth = 400
    static let maxWork = 100_000

    mutating func write(_ b: UInt8) {
        last = b
        buf.append(b)
    }

    mutating func write(_ s: [UInt8]) {
        if let l = s.last { last = l }
        buf.append(contentsOf: s)
    }

    mutating func write(_ s: StaticString) {
        s.withUTF8Buffer { p in
            if p.count > 0 { last = p[p.count - 1] }
            buf.append(contentsOf: p)
        }
    }

    /// A write that does not change `last`, as the library's direct `fmt.Fprintf` calls.
    mutating func writeDirect(_ s: String) { buf.append(contentsOf: s.utf8) }

    /// `ps.print(a)`: prints `a` unless it is already being printed twice (which cuts the
    /// cycles that substitutions can make; the library keeps a list of what it is printing,
    /// the nodes here count themselves).
    mutating func print(_ a: DNode) throws {
        if a.printing > 1 { return }
        a.printing += 1
        defer { a.printing -= 1 }
        try printNode(a)
    }

    /// `a.print(ps)`.
    mutating func printNode(_ n: DNode) throws {
        depth += 1
        work += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth || work > Self.maxWork || buf.count > Self.maxOutput {
            throw DemangleFailure(limit: true)
        }
        switch n.kind {
        case .name, .builtinType:
            write(n.text)
        case .typed:
            // The type prints the name where it belongs; otherwise it goes after.
            let hold = inner
            inner = [n]
            try print(n.b!)
            if !inner.isEmpty {
                write(UInt8(ascii: " "))
                try print(n.a!)
            }
            inner = hold
        case .qualified:
            try print(n.a!)
            write("::")
            try print(n.b!)
        case .template:
            // Template arguments are not printed (NoTemplateParams); inner types stay outside.
            let hold = inner
            inner = []
            try print(n.a!)
            inner = hold
        case .templateParam:
            guard let t = n.ref, n.num < t.list.count else { throw DemangleFailure() }
            try print(t.list[n.num])
        case .lambdaAuto:
            writeDirect("auto:\(n.num + 1)")
        case .qualifiers:
            for (i, q) in n.list.enumerated() {
                if i > 0 { write(UInt8(ascii: " ")) }
                try printNode(q)
            }
        case .qualifier:
            write(n.text)
            if !n.list.isEmpty {
                write(UInt8(ascii: "("))
                var first = true
                for e in n.list {
                    if e.kind == .exprList && e.list.isEmpty { continue }
                    if !first { write(", ") }
                    try print(e)
                    first = false
                }
                write(UInt8(ascii: ")"))
            }
        case .typeWithQualifiers:
            inner.append(n)
            try print(n.a!)
            if !inner.isEmpty {
                write(UInt8(ascii: " "))
                try print(n.b!)
                try dropInner()
            }
        case .methodWithQualifiers:
            inner.append(n)
            try print(n.a!)
            if !inner.isEmpty {
                try printMethodQualifiers(n)
                try dropInner()
            }
        case .pointerType, .referenceType, .rvalueReferenceType, .complexType, .imaginaryType:
            inner.append(n)
            try print(n.a!)
            if !inner.isEmpty {
                try printInner(n)
                try dropInner()
            }
        case .vendorQualifier, .ptrMem, .vectorType:
            inner.append(n)
            try print(n.b!)  // the type, member or base
            if !inner.isEmpty { _ = try printOneInner(save: false) }
        case .arrayType:
            inner.append(n)
            try print(n.b!)
            if !inner.isEmpty {
                inner.removeLast()
                try printDimension(n)
            }
        case .functionType:
            if !n.flag, let ret = n.a {
                // The return type is printed around the arguments.
                inner.append(n)
                try print(ret)
                if inner.isEmpty { return }
                inner.removeLast()
                write(UInt8(ascii: " "))
            }
            try printArgs(n)
        case .nonTypeTemplateParam:
            inner.append(n)
            try print(n.b!)
            if !inner.isEmpty {
                write(UInt8(ascii: " "))
                try print(n.a!)
                try dropInner()
            }
        case .templateParamPack:
            let hold = inner
            inner = [n]
            let param = n.a!
            try print(param.kind == .nonTypeTemplateParam ? param.b! : param)
            if !inner.isEmpty { write("...") }
            inner = hold
        default:
            try printOther(n)
        }
    }

    /// Drops the last inner type; printing in between may have used them all up, where the
    /// library's slice `inner[:len-1]` panics.
    private mutating func dropInner() throws {
        guard inner.popLast() != nil else { throw DemangleFailure() }
    }

    private mutating func printMethodQualifiers(_ n: DNode) throws {
        if let q = n.b {
            write(UInt8(ascii: " "))
            try print(q)
        }
        if !n.text.isEmpty {
            write(UInt8(ascii: " "))
            write(n.text)
        }
    }

    /// `printInner` of the kinds that have one.
    mutating func printInner(_ n: DNode) throws {
        switch n.kind {
        case .typed: try print(n.a!)
        case .typeWithQualifiers:
            write(UInt8(ascii: " "))
            try print(n.b!)
        case .methodWithQualifiers: try printMethodQualifiers(n)
        case .pointerType: write("*")
        case .referenceType: write("&")
        case .rvalueReferenceType: write("&&")
        case .complexType: write(" _Complex")
        case .imaginaryType: write(" _Imaginary")
        case .vendorQualifier:
            write(UInt8(ascii: " "))
            try print(n.a!)
        case .arrayType: try printDimension(n)
        case .functionType: try printArgs(n)
        case .ptrMem:
            if last != UInt8(ascii: "(") { write(UInt8(ascii: " ")) }
            try print(n.a!)
            write("::*")
        case .vectorType:
            write(" __vector(")
            try print(n.a!)
            write(UInt8(ascii: ")"))
        case .nonTypeTemplateParam: try print(n.a!)
        case .templateParamPack:
            write("...")
            if n.a!.kind == .nonTypeTemplateParam { try print(n.a!.a!) }
        default: try print(n)
        }
    }

    /// Prints the inner types; with `prefixOnly`, methods' qualifiers are kept, and returned.
    @discardableResult
    mutating func printInnerTypes(prefixOnly: Bool) throws -> [DNode] {
        var save: [DNode] = []
        while !inner.isEmpty {
            if let kept = try printOneInner(save: prefixOnly) { save.append(kept) }
        }
        return save
    }

    /// Prints the most recent inner type; with `save`, a method's qualifiers are returned instead.
    mutating func printOneInner(save: Bool) throws -> DNode? {
        guard let a = inner.popLast() else { throw DemangleFailure() }
        if save && a.kind == .methodWithQualifiers { return a }
        if a.kind.printsInner { try printInner(a) } else { try print(a) }
        return nil
    }

    private mutating func printDimension(_ n: DNode) throws {
        var space = true
        while let top = inner.last {
            // Not at the real type yet: parentheses, or more dimensions of a multi-dimensional array.
            let unqualified = top.kind == .typeWithQualifiers ? top.a! : top
            if unqualified.kind == .arrayType {
                if unqualified === top { space = false }
                _ = try printOneInner(save: false)
            } else {
                write(" (")
                try printInnerTypes(prefixOnly: false)
                write(UInt8(ascii: ")"))
            }
        }
        if space { write(UInt8(ascii: " ")) }
        write(UInt8(ascii: "["))
        try print(n.a!)
        write(UInt8(ascii: "]"))
    }

    /// A function type's parameter list, with the inner types (pointers, references, ...)
    /// in parentheses before it.
    private mutating func printArgs(_ n: DNode) throws {
        var paren = false
        var space = false
        for a in inner.reversed() {
            switch a.kind {
            case .pointerType, .referenceType, .rvalueReferenceType: paren = true
            case .typeWithQualifiers, .complexType, .imaginaryType, .ptrMem:
                space = true
                paren = true
            default: break
            }
            if paren { break }
        }
        if paren {
            if !space && last != UInt8(ascii: "(") && last != UInt8(ascii: "*") { space = true }
            if space && last != UInt8(ascii: " ") { write(UInt8(ascii: " ")) }
            write(UInt8(ascii: "("))
        }
        let save = try printInnerTypes(prefixOnly: true)
        if paren { write(UInt8(ascii: ")")) }
        write(UInt8(ascii: "("))
        var first = true
        for a in n.list where !isEmpty(a) {
            if !first { write(", ") }
            try print(a)
            first = false
        }
        write(UInt8(ascii: ")"))
        inner = save
        try printInnerTypes(prefixOnly: false)
    }

    /// Whether printing `a` prints nothing.
    func isEmpty(_ a: DNode) -> Bool {
        switch a.kind {
        case .argumentPack: return a.list.allSatisfy { isEmpty($0) }
        case .exprList: return a.list.isEmpty
        case .packExpansion: return a.ref != nil && isEmpty(a.a!)
        default: return false
        }
    }
}
