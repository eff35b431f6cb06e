import Foundation
@testable import LanguageServer
import LanguageServerProtocol
import RemoteProfiles
import Testing
import TestSupport

/// The server as a new user meets it (issue 13): no settings, the example's layout, several
/// workspace folders, settings with mistakes, stray files, and an editor that dies.
@Suite struct ServerSetupTests {
    /// The example as it ships: `src/` (go.mod, where editors start) beside `profiles/`.
    func example() throws -> String {
        let root = Fixtures.temporaryDirectory("example")
        let source = Fixtures.path("corpus/goshop")
        let fm = FileManager.default
        for case let relative as String in fm.enumerator(atPath: source)! {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: source + "/" + relative, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try fm.createDirectory(atPath: root + "/" + relative, withIntermediateDirectories: true)
            } else {
                try fm.copyItem(atPath: source + "/" + relative, toPath: root + "/" + relative)
            }
        }
        return root
    }

    @Test func theExampleWorksWithNoSettingsFromItsGoModFolder() throws {
        let root = try example()
        let client = TestLSPClient()
        try client.initialize(root: root + "/src")
        client.waitForLoad()
        let pricing = root + "/src/pricing/pricing.go"
        client.open(pricing)
        let hover = try #require(try client.hover(pricing, line: 17))
        #expect(hover.contains("230ms self · 960ms total"))
        // The -trimpath build of the same run (profiles/trimpath) is left out: never added to
        // these numbers, nor shown beside them (its Checksum, which this run's profile lacks).
        #expect(hover.contains("_from cpu.pb.gz"), "\(hover)")
        #expect(try client.hover(pricing, line: 27) == nil)
        let status = try client.command("profilelens.status")
        #expect(status["skipped"]?.arrayValue?.compactMap { $0["path"]?.stringValue }.sorted()
                == [root + "/profiles/trimpath/cpu.pb.gz", root + "/profiles/trimpath/heap.pb.gz"])
        #expect(status["searched"]?.arrayValue?.compactMap(\.stringValue) == [root + "/src", root])
        #expect(status["discovered"] == .bool(true))
        #expect(client.shownMessages.isEmpty)
    }

    @Test func noProfileFoundIsSaidOnceWithWhereItLooked() throws {
        let root = Fixtures.temporaryDirectory("empty")
        FileWriter.write(root + "/main.go", Array("package main\n".utf8))
        let client = TestLSPClient()
        try client.initialize(root: root)
        client.waitForLoad()
        let message = try #require(client.peer.waitForNotification(ShowMessageNotification.self))
        #expect(message.message.contains("no profiles found in \(root)"))
        #expect(message.message.contains("\"profiles\""))
        _ = try client.command("profilelens.reload")
        #expect(client.shownMessages.count == 1)
    }

    /// Opened at `/`: the walk stops at its bounds and says so, and discovery does not guess.
    @Test func aWorkspaceAtTheFileSystemRootIsBounded() throws {
        let client = TestLSPClient()
        try client.initialize(root: "/", options: ["profiles": [.string(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"))]])
        client.waitForLoad(timeout: 30)
        let status = try client.command("profilelens.status")
        #expect(status["kinds"] == ["cpu"])
        let discovering = TestLSPClient()
        try discovering.initialize(root: "/")
        discovering.waitForLoad(timeout: 30)
        let message = try #require(discovering.peer.waitForNotification(ShowMessageNotification.self))
        #expect(message.message.contains("/ is not searched"))
        #expect(try discovering.command("profilelens.status")["profiles"] == [])
    }

    /// A text file in a profile folder is skipped quietly and listed; a file that looks like a
    /// profile and is broken is reported.
    @Test func strayFilesAreQuietBrokenProfilesAreNot() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        FileWriter.write(workspace.profiles + "/notes.txt", Array("\nthe numbers of Tuesday\n".utf8))
        FileWriter.write(workspace.profiles + "/README", Array("Profiles of goshop.\n".utf8))
        let client = try workspace.client()
        #expect(client.shownMessages.isEmpty)
        let skipped = try client.command("profilelens.status")["skipped"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(Set(skipped) == [workspace.profiles + "/notes.txt", workspace.profiles + "/README"])
        // Now a gzip file that is cut short: that is a profile, and broken.
        FileWriter.write(workspace.profiles + "/broken.pb.gz", [0x1F, 0x8B, 0x08, 0x00, 0x01])
        _ = try client.command("profilelens.reload")
        let warning = try #require(client.peer.waitForNotification(ShowMessageNotification.self))
        #expect(warning.message.contains("broken.pb.gz"))
        #expect(!client.shownMessages.contains { $0.contains("notes.txt") || $0.contains("README") })
    }

    @Test func twoWorkspaceFoldersBothGetCosts() throws {
        let goshop = Fixtures.goshopWorkspace()
        let liveshop = Fixtures.temporaryDirectory("liveshop")
        for file in ["go.mod", "main.go", "hot/hot.go", "cache/cache.go"] {
            try FileManager.default.createDirectory(atPath: (liveshop + "/" + file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Fixtures.path("corpus/liveshop/src/" + file), toPath: liveshop + "/" + file)
        }
        let options: JSONValue = ["profiles": [.string(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz")),
                                               .string(Fixtures.path("corpus/liveshop/profiles/alpha.cpu.pb.gz"))]]
        let client = TestLSPClient()
        let result = try client.send(InitializeRequest(processId: nil, rootUri: TestLSPClient.uri(goshop),
                                                       workspaceFolders: [WorkspaceFolder(uri: TestLSPClient.uri(goshop))],
                                                       capabilities: TestLSPClient.editorCapabilities, initializationOptions: options))
        client.send(InitializedNotification())
        #expect(result.capabilities.workspace?.workspaceFolders.supported == true)
        #expect(result.capabilities.workspace?.workspaceFolders.changeNotifications == true)
        client.waitForLoad()
        let pricing = goshop + "/pricing/pricing.go", hot = liveshop + "/hot/hot.go"
        client.open(pricing)
        client.open(hot)
        #expect(try client.hover(pricing, line: 17)?.contains("960ms total") == true)
        #expect(try client.hover(hot, line: 9) == nil)
        // The client adds the second folder: its files get their costs.
        client.send(DidChangeWorkspaceFoldersNotification(event: .init(added: [WorkspaceFolder(uri: TestLSPClient.uri(liveshop))], removed: [])))
        client.waitForLoad(generation: 2)
        #expect(try client.hover(hot, line: 9)?.contains("CPU") == true)
        #expect(try client.hover(pricing, line: 17)?.contains("960ms total") == true)
        let folders = try client.command("profilelens.status")["workspaceFolders"]?.arrayValue?.compactMap(\.stringValue)
        #expect(folders == [goshop, liveshop])
        // And removes the first.
        client.send(DidChangeWorkspaceFoldersNotification(event: .init(added: [], removed: [WorkspaceFolder(uri: TestLSPClient.uri(goshop))])))
        client.waitForLoad(generation: 3)
        #expect(try client.hover(pricing, line: 17) == nil)
        #expect(try client.hover(hot, line: 9)?.contains("CPU") == true)
    }

    @Test func settingsWithMistakesAreRefusedByName() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client(options: ["kind": "cpuu", "hintThreshold": "5", "hintTreshold": 3])
        let shown = poll(10) { client.shownMessages.count >= 3 ? client.shownMessages : nil } ?? client.shownMessages
        #expect(shown.contains { $0.contains("\"hintThreshold\" takes a number from 0 to 100, not \"5\"") })
        #expect(shown.contains { $0.contains("unknown setting \"hintTreshold\"; did you mean \"hintThreshold\"?") })
        #expect(shown.contains { $0.contains("\"kind\": \"cpuu\" is not a kind") && $0.contains("loaded: cpu") })
        // Commands refuse what is not loaded, naming what is.
        #expect(throws: TestPeerError.self) { try client.command("profilelens.selectKind", ["kind": "bogus"]) }
        do {
            _ = try client.command("profilelens.hottest", ["kind": "alloc"])
            Issue.record("hottest answered for a kind that is not loaded")
        } catch let TestPeerError.response(error) {
            #expect(error.message.contains("no alloc profile is loaded (loaded: cpu)"))
        }
        // A setting that was refused keeps its previous value: hints still use 1%.
        #expect(try !client.inlayHints(workspace.path("pricing/pricing.go")).isEmpty)
    }

    /// The `baseline` setting takes paths, endpoint URLs and Pyroscope ranges side by side, and
    /// refuses anything else by name; a query's `step` is read.
    @Test func baselineRangesAndStepsAreRead() {
        var problems: [String] = []
        let heap = "http://127.0.0.1:6060/debug/pprof/heap"
        let config = ServerConfiguration().merging([
            "pyroscope": ["url": "http://127.0.0.1:4040", "query": #"{service_name="a"}"#, "step": "5m"],
            "baseline": ["old.pb.gz", ["from": "now-25h", "until": "now-24h"], .string(heap)],
        ], problems: &problems)
        #expect(problems.isEmpty, "\(problems)")
        #expect(config.pyroscope.first?.step == "5m")
        #expect(config.baseline == ["old.pb.gz", heap] && config.baselinePaths == ["old.pb.gz"])
        #expect(config.baselineRanges == [BaselineRange(from: "now-25h", until: "now-24h")])
        let sources = config.configuredLiveSources
        #expect(sources.errors.isEmpty && sources.baseline.map(\.name).contains { $0.contains("now-25h to now-24h") })
        #expect(sources.baseline.count == 2)
        _ = config.merging(["baseline": [3]], problems: &problems)
        #expect(problems.contains { $0.contains("\"baseline\" takes a path, a URL, {\"from\": \"now-25h\"") }, "\(problems)")
        let badStep = ServerConfiguration().merging(["pyroscope": ["url": "http://127.0.0.1:4040", "query": "{a=\"b\"}", "step": "soon"]])
        #expect(badStep.configuredLiveSources.errors.first?.message.contains("invalid step 'soon'") == true)
        // A query without a server, and a history that is no whole number, are refused by name.
        var refused: [String] = []
        _ = ServerConfiguration().merging(["pyroscope": ["query": "{a=\"b\"}"], "history": 1.5], problems: &refused)
        _ = ServerConfiguration().merging(["pyroscope": ["url": "http://127.0.0.1:4040"]], problems: &refused)
        #expect(refused.contains { $0.contains("(missing: \"url\")") } && refused.contains { $0.contains("(missing: \"query\")") }, "\(refused)")
        #expect(refused.contains { $0.hasPrefix("\"pyroscope\" takes") } && refused.contains { $0.hasPrefix("\"history\" takes") },
                "\(refused)")
        // A step that splits the range into too many queries can never be fetched: refused too.
        let tinyStep = ServerConfiguration().merging(["pyroscope": ["url": "http://127.0.0.1:4040", "query": "{a=\"b\"}", "step": "1s"]])
        #expect(tinyStep.configuredLiveSources.errors.first?.message.contains("3600 queries; at most 1000 are allowed") == true,
                "\(tinyStep.configuredLiveSources.errors)")
    }

    @Test func theServerExitsWhenTheEditorDies() throws {
        // The editor: a child process that waits, started and ended with posix calls (Foundation's
        // Process reaps its children on a thread of its own).
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("60"), nil]
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/sleep", nil, nil, arguments, environ) == 0)
        let client = TestLSPClient { $0.parentPollInterval = 0.1 }
        try client.initialize(root: Fixtures.temporaryDirectory("orphan"), processID: Int(pid))
        #expect(client.waitForExit(timeout: 0.5) == nil)
        kill(pid, SIGKILL)
        // Not reaped yet: a zombie counts as gone.
        #expect(client.waitForExit(timeout: 10) == 1)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
