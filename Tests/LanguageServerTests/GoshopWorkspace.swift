import Foundation
import TestSupport

/// A temporary goshop workspace and profile folder, with the marked fixture sources of
/// `Tests/Fixtures/lsp/goshop` (markers removed) in place of the originals.
struct GoshopWorkspace {
    let root: String
    let profiles: String
    /// Per workspace-relative file: its markers (0-based line, UTF-16 column).
    let markers: [String: [String: (line: Int, column: Int)]]

    static let markedFiles = ["pricing/pricing.go", "inventory/inventory.go", "pipeline/pipeline.go"]

    init(profiles kinds: [String] = ["cpu", "allocs", "heap", "mutex", "block", "goroutine"]) {
        root = Fixtures.goshopWorkspace()
        profiles = Fixtures.temporaryDirectory("goshop-profiles")
        for kind in kinds {
            try? FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/\(kind).pb.gz"), toPath: profiles + "/\(kind).pb.gz")
        }
        var markers: [String: [String: (Int, Int)]] = [:]
        for file in Self.markedFiles {
            let marked = MarkedText((try? String(contentsOfFile: Fixtures.path("lsp/goshop/" + file), encoding: .utf8)) ?? "")
            try? marked.text.write(toFile: root + "/" + file, atomically: true, encoding: .utf8)
            markers[file] = marked.markers
        }
        self.markers = markers
    }

    func path(_ file: String) -> String { root + "/" + file }
    func uri(_ file: String) -> String { "file://" + path(file) }

    /// The options an editor config passes: the profile folder and the build path mapping.
    var options: [String: Any] {
        ["profiles": [profiles], "pathMappings": [["from": "/home/ci/work/goshop", "to": root]]]
    }

    /// A started client with the workspace loaded and the marked files open.
    func client() -> TestLSPClient {
        let client = TestLSPClient()
        client.initialize(root: root, options: options)
        client.waitForLoad()
        for file in Self.markedFiles { client.open(path(file)) }
        return client
    }
}
