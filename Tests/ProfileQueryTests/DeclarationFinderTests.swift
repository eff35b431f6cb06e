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

    @Test func callsAreNotDeclarations() {
        let source: [Substring] = ["x := discount(1)", "return discount(2)", "y.discount(3);"]
        #expect(DeclarationFinder.find(function: "pkg.discount", firstLine: 3, in: source) == nil)
    }
}
