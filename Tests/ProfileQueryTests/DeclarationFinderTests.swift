import Foundation
import Testing
import TestSupport
@testable import ProfileQuery

/// Declarations are found above the first sampled line: fixtures mark the declaration with 1️⃣
/// (3️⃣) and the sampled line with 2️⃣ (4️⃣).
@Suite struct DeclarationFinderTests {
    static let cases: [(file: String, first: String, second: String?)] = [
        ("pricing.go", "example.com/goshop/pricing.Quote", "example.com/goshop/inventory.(*Store).Add"),
        ("handlers.py", "Handler.handle", "fetch"),
        ("UnifiedLog.java", "kafka/log/UnifiedLog.append", nil),
        ("lib.rs", "app::handlers::index::h0123456789abcdef", nil),
    ]

    @Test(arguments: cases.map(\.file))
    func findsTheDeclaration(file: String) throws {
        let entry = try #require(Self.cases.first { $0.file == file })
        let marked = MarkedText(try String(contentsOfFile: Fixtures.path("declarations/" + file), encoding: .utf8))
        let lines = marked.text.split(separator: "\n", omittingEmptySubsequences: false)
        let pairs: [(String, String, String)] = [(entry.first, "1️⃣", "2️⃣")] + (entry.second.map { [($0, "3️⃣", "4️⃣")] } ?? [])
        for (name, declaration, sampled) in pairs {
            let want = try #require(marked.markers[declaration]).line + 1
            let first = try #require(marked.markers[sampled]).line + 1
            #expect(DeclarationFinder.find(function: name, firstLine: first, in: lines) == want, "\(name)")
        }
    }

    @Test func shortNames() {
        #expect(DeclarationFinder.shortName("example.com/goshop/pricing.discount") == "discount")
        #expect(DeclarationFinder.shortName("inventory.(*Store).Add") == "Add")
        #expect(DeclarationFinder.shortName("main.work.func1") == "")
        #expect(DeclarationFinder.shortName("Foo.bar(int)") == "bar")
        #expect(DeclarationFinder.shortName("slices.Sort[go.shape.int]") == "Sort")
        #expect(DeclarationFinder.shortName("<lambda>") == "")
    }

    /// A Go function literal (`main.work.func1`) has no name to search for: its declaration
    /// is the `func(` that encloses its first sampled line, past literals and blocks that close
    /// before it.
    @Test func goFunctionLiterals() {
        let source: [Substring] = [
            "func work(d time.Duration) {",          // 1
            "\tdone := func() { log(\"}\") }",          // 2: a literal that closes on its line
            "\tfor w := 0; w < 4; w++ {",               // 3
            "\t\tgo func(w int) {",                     // 4: encloses line 8
            "\t\t\tfor time.Now().Before(d) {",         // 5
            "\t\t\t\tsort.Slice(s, func(i, j int) bool {", // 6
            "\t\t\t\t\treturn s[i] < s[j] // {",        // 7
            "\t\t\t\t})",                              // 8
            "\t\t\t\t_ = pipeline.Run(50)",            // 9: func1's first sampled line
            "\t\t\t}",                                  // 10
            "\t\t}(w)",                                  // 11
            "\t}",                                        // 12
            "}",                                         // 13
            "func (s *Store) Add(k string) {",           // 14
            "\ts.m[k]++",                                 // 15
        ]
        #expect(DeclarationFinder.find(function: "main.work.func1", firstLine: 9, in: source) == 4)
        // First sampled at its call of sort.Slice, whose literal closes before its last sampled
        // line: that literal is a nested one.
        #expect(DeclarationFinder.find(function: "main.work.func1", firstLine: 6, lastLine: 9, in: source) == 4)
        // Sampled on its own first line (the prologue) and inside it.
        #expect(DeclarationFinder.find(function: "main.work.func1", firstLine: 4, lastLine: 9, in: source) == 4)
        #expect(DeclarationFinder.find(function: "main.work.func1.1", firstLine: 7, in: source) == 6)
        #expect(DeclarationFinder.find(function: "main.work.func2", firstLine: 2, in: source) == 2)
        #expect(DeclarationFinder.find(function: "main.work.gowrap1", firstLine: 9, in: source) == 4)
        // A method declaration is not a literal.
        #expect(DeclarationFinder.find(function: "main.(*Store).Add.func1", firstLine: 15, in: source) == nil)
        #expect(DeclarationFinder.isGoFunctionLiteral("main.work.func12") && !DeclarationFinder.isGoFunctionLiteral("pricing.discount"))
        #expect(DeclarationFinder.isGoFunctionLiteral("main.work.func1.2") && !DeclarationFinder.isGoFunctionLiteral("main.init.0"))
    }

    @Test func callsAreNotDeclarations() {
        let source: [Substring] = ["x := discount(1)", "return discount(2)", "y.discount(3);"]
        #expect(DeclarationFinder.find(function: "pkg.discount", firstLine: 3, in: source) == nil)
    }
}
