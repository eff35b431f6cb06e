/// The syntax tree of the Itanium C++ demangler: one node class standing for each AST type of
/// github.com/ianlancetaylor/demangle (ast.go), so that the parser, the tree rewrites and the
/// printer can follow that library step by step.
///
/// Children sit in `a`, `b`, `c`, `d`, `list` and `list2`, in the order the library copies and
/// traverses them (see `DKind` for each kind's layout); `ref` is a pointer that is not a child
/// (a template parameter's template, a pack expansion's pack). Nodes are shared and mutated the
/// way the library shares and mutates its pointers; every node of a run is kept in the parser's
/// arena, which unlinks them all at the end so that no reference cycle outlives the run.
/// (Exclusivity is not checked at run time: a node is only ever used by the one run that made
/// it, and the checks cost a quarter of the time.)
final class DNode {
    let kind: DKind
    @exclusivity(unchecked) var a: DNode?
    @exclusivity(unchecked) var b: DNode?
    @exclusivity(unchecked) var c: DNode?
    @exclusivity(unchecked) var d: DNode?
    @exclusivity(unchecked) var list: [DNode] = []
    @exclusivity(unchecked) var list2: [DNode] = []
    @exclusivity(unchecked) var ref: DNode?
    /// Name, operator, qualifier, literal value, prefix, suffix or kind text, as bytes.
    @exclusivity(unchecked) var text: [UInt8] = []
    /// Special2's middle text.
    @exclusivity(unchecked) var text2: [UInt8] = []
    @exclusivity(unchecked) var num = 0
    @exclusivity(unchecked) var flag = false
    @exclusivity(unchecked) var flag2 = false
    /// Membership in the parser's current `SeenNodes` set.
    @exclusivity(unchecked) var mark = 0
    /// How many times the printer is inside this node's `print` (its `printing` list).
    @exclusivity(unchecked) var printing = 0

    init(_ kind: DKind) { self.kind = kind }

    /// Whether this node's text is `s`.
    @inline(__always)
    func textIs(_ s: StaticString) -> Bool {
        s.withUTF8Buffer { $0.elementsEqual(text) }
    }

    /// Unlinks the node from every other node.
    func unlink() {
        a = nil; b = nil; c = nil; d = nil; ref = nil
        if !list.isEmpty { list = [] }
        if !list2.isEmpty { list2 = [] }
    }
}

/// The library's AST types, with where each keeps its fields.
enum DKind: UInt8 {
    case name                   // text
    case typed                  // a Name, b Type
    case qualified              // a Scope, b Name, flag LocalName
    case template               // a Name, list Args
    case templateParam          // num Index, ref Template (may be nil)
    case lambdaAuto             // num Index
    case qualifiers             // list Qualifiers
    case qualifier              // text Name, list Exprs
    case typeWithQualifiers     // a Base, b Qualifiers (not traversed)
    case methodWithQualifiers   // a Method, b Qualifiers? (not traversed), text RefQualifier
    case builtinType            // text
    case pointerType            // a Base
    case referenceType          // a Base
    case rvalueReferenceType    // a Base
    case complexType            // a Base
    case imaginaryType          // a Base
    case vendorQualifier        // a Qualifier, b Type
    case arrayType              // a Dimension, b Element
    case functionType           // a Return?, list Args, flag ForLocalName
    case functionParam          // num Index
    case ptrMem                 // a Class, b Member
    case fixedType              // a Base, flag Accum, flag2 Sat
    case binaryFP               // num Bits
    case vectorType             // a Dimension, b Base
    case elaboratedType         // text Kind, a Type
    case decltype               // a Expr
    case `operator`             // text Name
    case constructor            // a Name, b Base?
    case destructor             // a Name
    case globalCDtor            // flag Ctor, a Key
    case taggedName             // a Name, b Tag
    case packExpansion          // a Base, ref Pack (may be nil)
    case argumentPack           // list Args
    case sizeofPack             // ref Pack
    case sizeofArgs             // list Args
    case templateParamName      // text Prefix, num Index
    case typeTemplateParam      // a Name
    case nonTypeTemplateParam   // a Name, b Type
    case templateTemplateParam  // a Name, list Params
    case templateParamPack      // a Param
    case cast                   // a To
    case nullary                // a Op
    case unary                  // a Op, b Expr, flag Suffix, flag2 SizeofType
    case binary                 // a Op, b Left, c Right
    case trinary                // a Op, b First, c Second, d Third
    case fold                   // flag Left, a Op, b Arg1, c Arg2?
    case subobject              // a Type, b SubExpr, num Offset
    case ptrMemCast             // a Type, b Expr, num Offset
    case new                    // a Op, b Place?, c Type, d Init?
    case literal                // a Type, text Val, flag Neg
    case stringLiteral          // a Type
    case lambdaExpr             // a Type
    case exprList               // list Exprs
    case initializerList        // a Type?, b Exprs
    case defaultArg             // num Num, a Arg
    case closure                // list TemplateArgs, list2 Types, num Num
    case structuredBindings     // list Bindings
    case unnamedType            // num Num
    case clone                  // a Base, text Suffix
    case special                // text Prefix, a Val
    case special2               // text Prefix, a Val1, text2 Middle, b Val2
    case enableIf               // a Type, list Args

    /// Kinds that `simplify` rewrites (a template parameter is needed to make the others it
    /// copies, sizeof... packs).
    var simplifiable: Bool {
        switch self {
        case .templateParam, .methodWithQualifiers, .typeWithQualifiers, .referenceType, .rvalueReferenceType,
             .arrayType, .packExpansion:
            return true
        default:
            return false
        }
    }

    /// Kinds that print themselves differently as an inner type (the library's `innerPrinter`).
    var printsInner: Bool {
        switch self {
        case .typed, .typeWithQualifiers, .methodWithQualifiers, .pointerType, .referenceType,
             .rvalueReferenceType, .complexType, .imaginaryType, .vendorQualifier, .arrayType,
             .functionType, .ptrMem, .vectorType, .nonTypeTemplateParam, .templateParamPack:
            return true
        default:
            return false
        }
    }
}

/// Why a demangling run stopped: the library failed (or would panic), or a limit was reached.
struct DemangleFailure: Error {
    /// Whether a depth, work or length limit was reached (the library itself would go on).
    var limit = false
}

/// Byte helpers shared by the demanglers (the library's isDigit, isUpper, isLower).
extension UInt8 {
    @inline(__always) var isDigitByte: Bool { self >= 0x30 && self <= 0x39 }
    @inline(__always) var isUpperByte: Bool { self >= 0x41 && self <= 0x5A }
    @inline(__always) var isLowerByte: Bool { self >= 0x61 && self <= 0x7A }
}

/// Decimal text of `n`, as Go's `%d` writes it.
func decimalBytes(_ n: Int) -> [UInt8] { Array(String(n).utf8) }

/// Bytes of a string literal.
func bytes(_ s: StaticString) -> [UInt8] { s.withUTF8Buffer { Array($0) } }

/// Texts the parser uses often, made once.
enum DText {
    static let std = bytes("std")
    static let const_ = bytes("const")
    static let volatile_ = bytes("volatile")
    static let restrict_ = bytes("restrict")
    static let ref = bytes("&")
    static let rvalueRef = bytes("&&")
}
