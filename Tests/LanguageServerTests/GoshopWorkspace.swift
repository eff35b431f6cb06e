import Foundation
import LanguageServer
import LanguageServerProtocol
import TestSupport

/// A temporary goshop workspace and profile folder, with the marked fixture sources of
/// `Tests/Fixtures/lsp/goshop` (markers removed) in place of the originals.
struct GoshopWorkspace {
    let root: String
    let profiles: String
    /// Per workspace-relative file: its markers (0-based line, UTF-16 column).
    let markers: [String: [String: (line: Int, column: Int)]]
    /// Per workspace-relative file: its text without markers.
    let texts: [String: String]

    static let markedFiles = ["pricing/pricing.go", "inventory/inventory.go", "pipeline/pipeline.go"]

    init(profiles kinds: [String] = ["cpu", "allocs", "heap", "mutex", "block", "goroutine"]) {
        root = Fixtures.goshopWorkspace()
        profiles = Fixtures.temporaryDirectory("goshop-profiles")
        for kind in kinds {
            try? FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/\(kind).pb.gz"), toPath: profiles + "/\(kind).pb.gz")
        }
        var markers: [String: [String: (Int, Int)]] = [:]
        var texts: [String: String] = [:]
        for file in Self.markedFiles {
            let marked = MarkedText((try? String(contentsOfFile: Fixtures.path("lsp/goshop/" + file), encoding: .utf8)) ?? "")
            try? marked.text.write(toFile: root + "/" + file, atomically: true, encoding: .utf8)
            markers[file] = marked.markers
            texts[file] = marked.text
        }
        self.markers = markers
        self.texts = texts
    }

    func path(_ file: String) -> String { root + "/" + file }
    func uri(_ file: String) -> DocumentURI { TestLSPClient.uri(path(file)) }

    /// The options an editor config passes: the profile folder and the build path mapping.
    var options: JSONValue {
        ["profiles": [.string(profiles)], "pathMappings": [["from": "/home/ci/work/goshop", "to": .string(root)]]]
    }

    /// A started client with the workspace loaded and the marked files open.
    func client(options extra: [String: JSONValue] = [:], capabilities: JSONValue = TestLSPClient.editorCapabilities,
                configure: (ProfileLensServer) -> Void = { _ in }) throws -> TestLSPClient {
        let client = TestLSPClient(configure: configure)
        var merged = options
        if case .object(var object) = merged {
            for (key, value) in extra { object[key] = value }
            merged = .object(object)
        }
        try client.initialize(root: root, options: merged, capabilities: capabilities)
        client.waitForLoad()
        for file in Self.markedFiles { client.open(path(file)) }
        return client
    }
}
