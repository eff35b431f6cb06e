/// The Itanium C++ ABI demangler of github.com/ianlancetaylor/demangle (demangle.go), as
/// `demangle.Filter(name, NoParams, NoTemplateParams)` runs it, ported function by function:
/// the same grammar, the same substitution table, the same tree rewrites and the same failures.
///
/// Unlike the library it never traps and never runs away: every recursion counts against a depth
/// limit and every step against a work budget, and reaching either fails the run (the library
/// would recurse or loop on, on inputs no compiler writes).
final class ItaniumParser {
    /// The whole symbol; the parser reads `input[pos..<end]` (the library's `st.str`).
    let input: [UInt8]
    @exclusivity(unchecked) var pos: Int
    @exclusivity(unchecked) var end: Int
    @exclusivity(unchecked) var subs: [DNode] = []
    /// Templates in scope; nil while parsing a cast operator's type.
    @exclusivity(unchecked) var templates: [DNode?] = []
    @exclusivity(unchecked) var lambdaTemplateLevel = 0
    @exclusivity(unchecked) var typeTemplateParamCount = 0
    @exclusivity(unchecked) var nonTypeTemplateParamCount = 0
    @exclusivity(unchecked) var templateTemplateParamCount = 0

    /// Every node made in this run, unlinked by `finish`.
    @exclusivity(unchecked) private(set) var arena: [DNode] = []
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var work = 0
    /// Whether a node that `simplify` may rewrite was made (without one, `simplify` changes
    /// nothing and is skipped).
    @exclusivity(unchecked) private(set) var simplifiable = false
    @exclusivity(unchecked) private var markEpoch = 0
    @exclusivity(unchecked) private var marksInUse = false
    static let maxDepth = 400
    static let maxWork = 100_000

    /// The standard substitutions (`subAST` and `verboseAST`), made on first use; the parser
    /// compares nodes with them by identity, as the library compares with its globals.
    @exclusivity(unchecked) private var standard: [UInt8: DNode] = [:]
    @exclusivity(unchecked) private var verbose: [UInt8: DNode] = [:]

    init(input: [UInt8], start: Int, end: Int) {
        self.input = input
        self.pos = start
        self.end = end
        arena.reserveCapacity(64)
    }

    /// Unlinks every node made, breaking the cycles that template references can form.
    func finish() {
        for node in arena { node.unlink() }
        arena = []
        standard = [:]
        verbose = [:]
        subs = []
        templates = []
    }

    /// An empty set of nodes (the library's `seen` lists), to end with `endSeen`. The outermost
    /// set marks the nodes themselves; a set made while it is in use is a hash set.
    func beginSeen() -> SeenNodes {
        if marksInUse { return SeenNodes(epoch: 0) }
        marksInUse = true
        markEpoch += 1
        return SeenNodes(epoch: markEpoch)
    }

    func endSeen(_ seen: SeenNodes) {
        if seen.epoch != 0 { marksInUse = false }
    }

    // MARK: Making nodes

    @inline(__always)
    func node(_ kind: DKind) -> DNode {
        let n = DNode(kind)
        arena.append(n)
        if kind.simplifiable { simplifiable = true }
        return n
    }

    func node(_ kind: DKind, _ a: DNode?, _ b: DNode? = nil) -> DNode {
        let n = node(kind)
        n.a = a
        n.b = b
        return n
    }

    func node(_ kind: DKind, text: [UInt8]) -> DNode {
        let n = node(kind)
        n.text = text
        return n
    }

    func name(_ s: StaticString) -> DNode { node(.name, text: bytes(s)) }

    /// A new `std` name node.
    func stdName() -> DNode { node(.name, text: DText.std) }

    func node(_ kind: DKind, list: [DNode]) -> DNode {
        let n = node(kind)
        n.list = list
        return n
    }

    func qualified(_ scope: DNode, _ name: DNode, local: Bool) -> DNode {
        let n = node(.qualified, scope, name)
        n.flag = local
        return n
    }

    func template(_ name: DNode, _ args: [DNode]) -> DNode {
        let n = node(.template, name)
        n.list = args
        return n
    }

    func templateParam(_ index: Int, _ template: DNode?) -> DNode {
        let n = node(.templateParam)
        n.num = index
        n.ref = template
        return n
    }

    func operatorNode(_ name: [UInt8]) -> DNode { node(.operator, text: name) }

    /// The standard substitution for `c` if this run made it, for identity comparisons.
    func madeStandardSubstitution(_ c: UInt8, verbose isVerbose: Bool) -> DNode? {
        isVerbose ? verbose[c] : standard[c]
    }

    /// The library's `subAST[c]` (or `verboseAST[c]`): `std`, `std::allocator`, ... .
    func standardSubstitution(_ c: UInt8, verbose isVerbose: Bool) -> DNode? {
        if isVerbose, let n = verbose[c] { return n }
        if !isVerbose, let n = standard[c] { return n }
        let std = stdName()
        let made: DNode
        switch c {
        case UInt8(ascii: "t"): made = std
        case UInt8(ascii: "a"): made = qualified(std, name("allocator"), local: false)
        case UInt8(ascii: "b"): made = qualified(std, name("basic_string"), local: false)
        case UInt8(ascii: "s"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "d"):
            if !isVerbose {
                let short: StaticString = c == UInt8(ascii: "s") ? "string" : c == UInt8(ascii: "i") ? "istream"
                    : c == UInt8(ascii: "o") ? "ostream" : "iostream"
                made = qualified(std, name(short), local: false)
            } else {
                made = verboseStream(c)
            }
        default: return nil
        }
        if isVerbose { verbose[c] = made } else { standard[c] = made }
        return made
    }

    /// `std::basic_string<char, std::char_traits<char>, std::allocator<char> >` and the
    /// streams, as the library spells them out for constructors and destructors.
    private func verboseStream(_ c: UInt8) -> DNode {
        func std(_ s: StaticString) -> DNode { qualified(stdName(), name(s), local: false) }
        func charTraits() -> DNode { template(std("char_traits"), [node(.builtinType, text: bytes("char"))]) }
        let char = node(.builtinType, text: bytes("char"))
        switch c {
        case UInt8(ascii: "s"):
            let alloc = template(std("allocator"), [node(.builtinType, text: bytes("char"))])
            return template(std("basic_string"), [char, charTraits(), alloc])
        case UInt8(ascii: "i"): return template(std("basic_istream"), [char, charTraits()])
        case UInt8(ascii: "o"): return template(std("basic_ostream"), [char, charTraits()])
        default: return template(std("basic_iostream"), [char, charTraits()])
        }
    }

    // MARK: Reading

    /// The library's `len(st.str)`.
    @inline(__always) var count: Int { end - pos }

    /// The byte `i` places ahead, 0 past the end.
    @inline(__always)
    func at(_ i: Int) -> UInt8 {
        let p = pos + i
        return p < end ? input[p] : 0
    }

    /// Whether the next byte is `c` (false at the end).
    @inline(__always)
    func next(is c: Unicode.Scalar) -> Bool { pos < end && input[pos] == UInt8(truncatingIfNeeded: c.value) }

    func hasPrefix(_ s: StaticString) -> Bool {
        s.withUTF8Buffer { p in
            guard count >= p.count else { return false }
            for i in 0 ..< p.count where input[pos + i] != p[i] { return false }
            return true
        }
    }

    func advance(_ n: Int) throws {
        guard count >= n else { throw DemangleFailure() }
        pos += n
    }

    func checkChar(_ c: Unicode.Scalar) throws {
        guard next(is: c) else { throw DemangleFailure() }
        pos += 1
    }

    /// Requires `c` next and skips it (the library's "expected c" failures).
    func expect(_ c: Unicode.Scalar) throws {
        guard next(is: c) else { throw DemangleFailure() }
        pos += 1
    }

    /// Counts one step of work and one level of recursion; `leave` undoes the level.
    @inline(__always)
    func enter() throws {
        depth += 1
        work += 1
        if depth > Self.maxDepth || work > Self.maxWork { throw DemangleFailure(limit: true) }
    }

    @inline(__always) func leave() { depth -= 1 }

    func slice(_ from: Int, _ to: Int) -> [UInt8] { Array(input[from ..< to]) }

    // MARK: Numbers

    /// number ::= [n] <(non-negative decimal integer)>
    func number() throws -> Int {
        var neg = false
        if next(is: "n") {
            neg = true
            pos += 1
        }
        guard count > 0, at(0).isDigitByte else { throw DemangleFailure() }
        var val = 0
        while count > 0, at(0).isDigitByte {
            if val >= 0x8000_0000 / 10 - 10 { throw DemangleFailure() }
            val = val * 10 + Int(at(0) - 0x30)
            pos += 1
        }
        return neg ? -val : val
    }

    /// <seq-id> ::= <0-9A-Z>+ followed by `_`.
    func seqID(eofOK: Bool) throws -> Int {
        if next(is: "_") {
            pos += 1
            return 0
        }
        var id = 0
        while true {
            if count == 0 {
                if eofOK { return id + 1 }
                throw DemangleFailure()
            }
            if id >= 0x8000_0000 / 36 - 36 { throw DemangleFailure() }
            let c = at(0)
            if c == UInt8(ascii: "_") {
                pos += 1
                return id + 1
            }
            if c.isDigitByte {
                id = id * 36 + Int(c - 0x30)
            } else if c.isUpperByte {
                id = id * 36 + Int(c - 0x41) + 10
            } else {
                throw DemangleFailure()
            }
            pos += 1
        }
    }

    /// <non-negative number> _
    func compactNumber() throws -> Int {
        if count == 0 { throw DemangleFailure() }
        if next(is: "_") {
            pos += 1
            return 0
        }
        if next(is: "n") { throw DemangleFailure() }
        let n = try number()
        try expect("_")
        return n + 1
    }
}

/// A set of nodes compared by identity.
struct SeenNodes {
    /// The mark of the nodes in the set; 0 for a hash set.
    let epoch: Int
    private var set = Set<ObjectIdentifier>()

    init(epoch: Int) { self.epoch = epoch }

    /// Adds `n`; whether it was not in the set yet.
    @inline(__always)
    mutating func insert(_ n: DNode) -> Bool {
        if epoch != 0 {
            if n.mark == epoch { return false }
            n.mark = epoch
            return true
        }
        return set.insert(ObjectIdentifier(n)).inserted
    }
}
