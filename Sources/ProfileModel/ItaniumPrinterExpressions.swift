/// The printer's other kinds: names made by the demangler, operators, expressions, literals,
/// closures and special names.
extension ItaniumPrinter {
    static let integerSuffixes: [[UInt8]: [UInt8]] = [
        bytes("int"): [], bytes("unsigned int"): bytes("u"), bytes("long"): bytes("l"),
        bytes("unsigned long"): bytes("ul"), bytes("long long"): bytes("ll"),
        bytes("unsigned long long"): bytes("ull"),
    ]
    static let floatTypes: Set<[UInt8]> = [
        bytes("double"), bytes("long double"), bytes("float"), bytes("__float128"), bytes("half"),
    ]

    mutating func printOther(_ n: DNode) throws {
        switch n.kind {
        case .functionParam:
            if n.num == 0 { write("this") } else { writeDirect("{parm#\(n.num)}") }
        case .fixedType:
            if n.flag2 { write("_Sat ") }
            let base = n.a!
            if !(base.kind == .builtinType && base.textIs("int")) {
                try print(base)
                write(UInt8(ascii: " "))
            }
            write(n.flag ? "_Accum" : "_Fract")
        case .binaryFP:
            writeDirect("_Float\(n.num)")
        case .elaboratedType:
            write(n.text)
            write(" ")
            try printNode(n.a!)
        case .decltype:
            write("decltype (")
            try print(n.a!)
            write(UInt8(ascii: ")"))
        case .operator:
            guard let first = n.text.first else { throw DemangleFailure() }
            write("operator")
            if first.isLowerByte { write(UInt8(ascii: " ")) }
            write(n.text.last == UInt8(ascii: " ") ? Array(n.text.dropLast()) : n.text)
        case .constructor:
            try print(n.a!)  // an inheriting constructor's base class is not printed
        case .destructor:
            write(UInt8(ascii: "~"))
            try print(n.a!)
        case .globalCDtor:
            write("global ")
            write(n.flag ? "constructors" : "destructors")
            write(" keyed to ")
            try print(n.a!)
        case .taggedName:
            try print(n.a!)
            write("[abi:")
            try print(n.b!)
            write(UInt8(ascii: "]"))
        case .packExpansion:
            if n.ref == nil {
                try parenthesize(n.a!)
                write("...")
            } else {
                try print(n.a!)
            }
        case .argumentPack, .exprList:
            for (i, a) in n.list.enumerated() {
                if i > 0 { write(", ") }
                try print(a)
            }
        case .sizeofPack:
            write(decimalBytes(n.ref!.list.count))
        case .sizeofArgs:
            var c = 0
            for a in n.list {
                c += a.kind == .argumentPack || a.kind == .exprList ? a.list.count : 1
            }
            write(decimalBytes(c))
        case .templateParamName:
            write(n.text)
            if n.num > 0 { write(decimalBytes(n.num - 1)) }
        case .typeTemplateParam:
            write("typename ")
            try printInnerTypes(prefixOnly: false)
            try print(n.a!)
        case .templateTemplateParam:
            write("template<")
            for (i, p) in n.list.enumerated() {
                if i > 0 { write(", ") }
                try print(p)
            }
            write("> typename ")
            try print(n.a!)
        case .cast:
            write("operator ")
            try print(n.a!)
        case .nullary:
            if n.a!.kind == .operator { write(n.a!.text) } else { try print(n.a!) }
        case .unary:
            try printUnary(n)
        case .binary:
            try printBinary(n)
        case .trinary:
            try printTrinary(n)
        case .fold:
            try printFold(n)
        case .subobject:
            try print(n.b!)
            write(".<")
            try print(n.a!)
            write(Array(" at offset \(n.num)>".utf8))
        case .ptrMemCast:
            write("(")
            try print(n.a!)
            write(")(")
            try print(n.b!)
            write(")")
        case .new:
            write("new ")
            if let place = n.b {
                try parenthesize(place)
                write(UInt8(ascii: " "))
            }
            try print(n.c!)
            if let ini = n.d { try parenthesize(ini) }
        case .literal:
            try printLiteral(n)
        case .stringLiteral:
            write("\"<")
            try printNode(n.a!)
            write(">\"")
        case .lambdaExpr:
            write("[]")
            if n.a!.kind == .closure { try printClosureTypes(n.a!) }
            write("{...}")
        case .initializerList:
            if let t = n.a { try print(t) }
            write(UInt8(ascii: "{"))
            try print(n.b!)
            write(UInt8(ascii: "}"))
        case .defaultArg:
            writeDirect("{default arg#\(n.num + 1)}::")
            try print(n.a!)
        case .closure:
            write("{lambda")
            try printClosureTypes(n)
            write(Array("#\(n.num + 1)}".utf8))
        case .structuredBindings:
            write("[")
            for (i, b) in n.list.enumerated() {
                if i > 0 { write(", ") }
                try printNode(b)
            }
            write("]")
        case .unnamedType:
            write(Array("{unnamed type#\(n.num + 1)}".utf8))
        case .clone:
            try print(n.a!)
            write(" [clone ")
            write(n.text)
            write("]")
        case .special:
            write(n.text)
            try print(n.a!)
        case .special2:
            write(n.text)
            try print(n.a!)
            write(n.text2)
            try print(n.b!)
        case .enableIf:
            try print(n.a!)
            write(" [enable_if:")
            for (i, a) in n.list.enumerated() {
                if i > 0 { write(", ") }
                try print(a)
            }
            write("]")
        default:
            throw DemangleFailure()
        }
    }

    /// Prints `val`, in parentheses unless it is a name, an initializer list, a function
    /// parameter or a qualified name that is not local.
    mutating func parenthesize(_ val: DNode) throws {
        let paren: Bool
        switch val.kind {
        case .name, .initializerList, .functionParam: paren = false
        case .qualified: paren = val.flag
        default: paren = true
        }
        if paren { write(UInt8(ascii: "(")) }
        try print(val)
        if paren { write(UInt8(ascii: ")")) }
    }

    private mutating func printUnary(_ n: DNode) throws {
        let op = n.a!.kind == .operator ? n.a! : nil
        var expr = n.b!
        // No argument list when taking the address of a function.
        if let op, op.textIs("&"), expr.kind == .typed, expr.b!.kind == .functionType { expr = expr.a! }
        if n.flag { try parenthesize(expr) }
        if let op {
            write(op.text)
        } else if n.a!.kind == .cast {
            write(UInt8(ascii: "("))
            try print(n.a!.a!)
            write(UInt8(ascii: ")"))
        } else {
            try print(n.a!)
        }
        if !n.flag {
            if let op, op.textIs("::") {
                try print(expr)
            } else if n.flag2 || (op?.textIs("__alignof__") ?? false) {
                write(UInt8(ascii: "("))
                try print(expr)
                write(UInt8(ascii: ")"))
            } else {
                try parenthesize(expr)
            }
        }
    }

    private func isDesignatedInitializer(_ x: DNode) -> Bool {
        switch x.kind {
        case .binary:
            guard x.a!.kind == .operator else { return false }
            let op = x.a!
            if op.textIs("]=") { return true }
            if !op.textIs("=") { return false }
            return x.b!.kind != .literal
        case .trinary:
            guard x.a!.kind == .operator else { return false }
            return x.a!.textIs("[...]=")
        default:
            return false
        }
    }

    private mutating func printBinary(_ n: DNode) throws {
        let op = n.a!.kind == .operator ? n.a! : nil
        if let op, containsCast(op.text) {
            write(op.text)
            write(UInt8(ascii: "<"))
            try print(n.b!)
            write(">(")
            try print(n.c!)
            write(UInt8(ascii: ")"))
            return
        }
        if let op, isDesignatedInitializer(n) {
            write(op.textIs("=") ? UInt8(ascii: ".") : UInt8(ascii: "["))
            try print(n.b!)
            if op.textIs("]=") { write(UInt8(ascii: "]")) }
            if isDesignatedInitializer(n.c!) {
                try print(n.c!)
            } else {
                write(UInt8(ascii: "="))
                try parenthesize(n.c!)
            }
            return
        }
        // Parentheses around `>`, not to end template arguments.
        let greater = op?.textIs(">") ?? false
        if greater { write(UInt8(ascii: "(")) }
        var left = n.b!
        var skipParens = false
        // A call prints its argument types only with a return type.
        if let op, op.textIs("()"), left.kind == .typed {
            if left.b!.kind == .functionType {
                if left.b!.a == nil { left = left.a! } else { skipParens = true }
            } else {
                left = left.a!
            }
        }
        if skipParens { try print(left) } else { try parenthesize(left) }
        if let op, op.textIs("[]") {
            write(UInt8(ascii: "["))
            try print(n.c!)
            write(UInt8(ascii: "]"))
            return
        }
        if let op {
            if !op.textIs("()") { write(op.text) }
        } else {
            try print(n.a!)
        }
        try parenthesize(n.c!)
        if greater { write(UInt8(ascii: ")")) }
    }

    private func containsCast(_ s: [UInt8]) -> Bool {
        let cast = bytes("cast")
        guard s.count >= 4 else { return false }
        for i in 0 ... s.count - 4 where s[i] == cast[0] && s[i + 1] == cast[1] && s[i + 2] == cast[2] && s[i + 3] == cast[3] {
            return true
        }
        return false
    }

    private mutating func printTrinary(_ n: DNode) throws {
        if isDesignatedInitializer(n) {
            write(UInt8(ascii: "["))
            try print(n.b!)
            write(" ... ")
            try print(n.c!)
            write(UInt8(ascii: "]"))
            if isDesignatedInitializer(n.d!) {
                try print(n.d!)
            } else {
                write(UInt8(ascii: "="))
                try parenthesize(n.d!)
            }
            return
        }
        try parenthesize(n.b!)
        write(UInt8(ascii: "?"))
        try parenthesize(n.c!)
        write(" : ")
        try parenthesize(n.d!)
    }

    private mutating func printFold(_ n: DNode) throws {
        func printOp(_ p: inout ItaniumPrinter) throws {
            if n.a!.kind == .operator { p.write(n.a!.text) } else { try p.print(n.a!) }
        }
        if let arg2 = n.c {
            write("(")
            try parenthesize(n.b!)
            try printOp(&self)
            write("...")
            try printOp(&self)
            try parenthesize(arg2)
            write(")")
        } else if n.flag {
            write("(...")
            try printOp(&self)
            try parenthesize(n.b!)
            write(")")
        } else {
            write("(")
            try parenthesize(n.b!)
            try printOp(&self)
            write("...)")
        }
    }

    private mutating func printLiteral(_ n: DNode) throws {
        var isFloat = false
        let t = n.a!
        if t.kind == .builtinType {
            if let suffix = Self.integerSuffixes[t.text] {
                if n.flag { write(UInt8(ascii: "-")) }
                write(n.text)
                write(suffix)
                return
            } else if t.textIs("bool") && !n.flag {
                if n.text == [UInt8(ascii: "0")] {
                    write("false")
                    return
                }
                if n.text == [UInt8(ascii: "1")] {
                    write("true")
                    return
                }
            } else if t.textIs("decltype(nullptr)") && n.text.isEmpty {
                try print(t)
                return
            } else {
                isFloat = Self.floatTypes.contains(t.text)
            }
        }
        write(UInt8(ascii: "("))
        try print(t)
        write(UInt8(ascii: ")"))
        if isFloat { write(UInt8(ascii: "[")) }
        if n.flag { write(UInt8(ascii: "-")) }
        write(n.text)
        if isFloat { write(UInt8(ascii: "]")) }
    }

    private mutating func printClosureTypes(_ n: DNode) throws {
        if !n.list.isEmpty {
            write("<")
            for (i, a) in n.list.enumerated() {
                if i > 0 { write(", ") }
                try print(a)
            }
            write(">")
        }
        write("(")
        for (i, t) in n.list2.enumerated() {
            if i > 0 { write(", ") }
            try print(t)
        }
        write(")")
    }
}
