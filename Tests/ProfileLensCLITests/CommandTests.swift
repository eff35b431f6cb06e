import Foundation
import Testing
import TestSupport
@testable import ProfileLensCLI

/// The commands as a user runs them, in-process: arguments in, text or JSON out.
@Suite(.serialized) struct CommandTests {
    func run(_ arguments: [String]) throws -> String {
        try captureStandardOutput {
            var command = try ProfileLensCommand.parseAsRoot(arguments)
            try command.run()
        }
    }

    func failure(_ arguments: [String]) -> String {
        do {
            _ = try run(arguments)
            return "succeeded"
        } catch {
            return ProfileLensCommand.message(for: error)
        }
    }

    let profiles = Fixtures.path("corpus/goshop/profiles")

    @Test func topPicksCPUFromAFolder() throws {
        let out = try run(["top", profiles, "-n", "3"])
        // pprof's header, and its one unit for the report (ms: the smallest row shown is 40ms).
        #expect(out.contains("Type: cpu\n"))
        #expect(out.contains("Showing nodes accounting for 960ms, 89.72% of 1070ms total\nShowing top 3 nodes out of 25\n"))
        #expect(out.contains("     230ms 21.50% 85.98%      960ms 89.72%  example.com/goshop/pricing.discount"))
    }

    @Test func topByKindAndBySampleType() throws {
        #expect(try run(["top", profiles, "--type", "alloc", "-n", "1"]).contains("Type: alloc_space\n"))
        #expect(try run(["top", profiles, "--type", "inuse_objects", "-n", "1"]).contains("Type: inuse_objects\n"))
        #expect(try run(["top", profiles, "--type", "mutex", "-n", "1"]).contains("3.76ms   100%   100%     3.76ms   100%  sync.(*Mutex).Unlock"))
        #expect(failure(["top", profiles, "--type", "nonsense"]).contains("no sample type or kind named 'nonsense'; available: alloc_objects, alloc_space"))
    }

    @Test func topJSON() throws {
        let data = Data(try run(["top", profiles + "/cpu.pb.gz", "--json", "-n", "2"]).utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[1]["function"] as? String == "example.com/goshop/pricing.discount")
        #expect((rows[1]["flat"] as? NSNumber)?.int64Value == 230_000_000)
    }

    @Test func listAFunctionThroughTheMapping() throws {
        let workspace = Fixtures.goshopWorkspace()
        let out = try run(["list", profiles + "/cpu.pb.gz", "--root", workspace, "--map", "/home/ci/work/goshop=", "--function", "discount$"])
        #expect(out.contains("     230ms      960ms     18: \t\ts += math.Sin"))
        let trimpath = try run(["list", profiles + "/trimpath/cpu.pb.gz", "--root", workspace, "--function", "pricing.discount"])
        #expect(trimpath.contains("ROUTINE ======================== example.com/goshop/pricing.discount in \(workspace)/pricing/pricing.go"))
    }

    /// A closure's lines inside a function are the closure's: `pprof -list 'main.work$'`
    /// shows only line 36 with a cost (3.03s), not the goroutine's lines 30 to 32.
    @Test func listAFunctionShowsItsOwnLinesOnly() throws {
        let workspace = Fixtures.goshopWorkspace()
        let out = try run(["list", profiles + "/block.pb.gz", "--root", workspace, "--function", "main.work$"])
        // The numbers of the source lines with a flat or cum: "flat cum NN: text".
        let costed = out.split(separator: "\n").compactMap { row -> Int? in
            let parts = row.split(separator: " ", maxSplits: 3)
            guard parts.count >= 3, parts[2].hasSuffix(":"), let number = Int(parts[2].dropLast()),
                  parts[0] != "." || parts[1] != "." else { return nil }
            return number
        }
        #expect(costed == [36], "\(out)")
        let closure = try run(["list", profiles + "/block.pb.gz", "--root", workspace, "--function", "main.work.func1"])
        #expect(closure.contains("     10.96s     32: "), "\(closure)")
    }

    @Test func listAWholeFile() throws {
        let workspace = Fixtures.goshopWorkspace()
        let out = try run(["list", profiles + "/cpu.pb.gz", "--root", workspace, "--file", "pricing/pricing.go"])
        #expect(out.contains("      1: // Package pricing is CPU heavy on purpose."))
        #expect(out.contains("     18: \t\ts += math.Sin"))
        #expect(failure(["list", profiles + "/cpu.pb.gz", "--root", workspace, "--file", "nope.go"]).contains("no profiled file matches 'nope.go'"))
        // The path as the profile writes it names the workspace file it maps to.
        let byProfileName = try run(["list", profiles + "/cpu.pb.gz", "--root", workspace, "--file", "/home/ci/work/goshop/pricing/pricing.go"])
        #expect(byProfileName == out)
    }

    @Test func linesJSONFollowsTheContract() throws {
        let data = Data(try run(["lines", "--json", profiles + "/cpu.pb.gz", profiles + "/cpu.pb.gz"]).utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((json["sampleTypes"] as? [[String: String]])?.map { $0["type"] ?? "" } == ["samples", "cpu"])
        #expect((json["totals"] as? [NSNumber])?.map(\.int64Value) == [214, 2_140_000_000])
        let files = try #require(json["files"] as? [String: [String: [String: [NSNumber]]]])
        let line = try #require(files["/home/ci/work/goshop/pricing/pricing.go"]?["18"])
        #expect(line["flat"]?.map(\.int64Value) == [46, 460_000_000])
        #expect(line["cum"]?.map(\.int64Value) == [192, 1_920_000_000])
        let functions = try #require(json["functions"] as? [String: [String: Any]])
        #expect(functions["example.com/goshop/pricing.discount"]?["file"] as? String == "/home/ci/work/goshop/pricing/pricing.go")
        // The document holds values: a share mode is refused, not ignored.
        #expect(failure(["lines", profiles + "/cpu.pb.gz", "--base", profiles + "/cpu.pb.gz", "--diff-mode", "share"])
            .contains("--diff-mode share is for top and list"))
    }

    /// A folder of a Go service's six profiles: each sample type from the profile of its kind,
    /// never summed with another kind's (heap and allocs carry the same memory types; mutex and
    /// block the same contention types).
    @Test func linesOfAFolderCountEachKindOnce() throws {
        func document(_ arguments: [String]) throws -> (types: [String], totals: [Int64], warnings: String) {
            var out = ""
            let warnings = try captureStandardError { out = try run(arguments) }
            let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            return ((json["sampleTypes"] as? [[String: String]])?.map { $0["type"] ?? "" } ?? [],
                    (json["totals"] as? [NSNumber])?.map(\.int64Value) ?? [], warnings)
        }
        let all = try document(["lines", profiles])
        #expect(all.types == ["samples", "cpu", "alloc_objects", "alloc_space", "inuse_objects", "inuse_space", "contentions", "delay", "goroutine"])
        // The allocs profile's own totals (the sum with the heap profile's would be twice these),
        // and the mutex profile's delay alone.
        #expect(all.totals == [107, 1_070_000_000, 156_803, 33_985_197, 6282, 1_554_785, 12, 3_763_165, 1])
        #expect(all.warnings.contains("block's contentions, delay left out: mutex's have the same sample types (show them with --type block)"))
        let block = try document(["lines", profiles, "--type", "block"])
        #expect(block.types == ["contentions", "delay"] && block.totals == [15875, 14_092_183_454])
        let alloc = try document(["lines", profiles, "--type", "alloc_space"])
        #expect(alloc.totals == [156_803, 33_985_197, 6282, 1_554_785])
        #expect(failure(["lines", profiles, "--type", "nope"]).contains("no sample type or kind named 'nope'"))
    }

    @Test func errorsNameTheFile() throws {
        let dir = Fixtures.temporaryDirectory()
        FileWriter.write(dir + "/broken.pb.gz", [0x1F, 0x8B, 8, 0, 0, 0])
        #expect(failure(["lines", "--json", dir + "/broken.pb.gz"]).hasPrefix(dir + "/broken.pb.gz: not a valid pprof profile: truncated gzip data"))
        #expect(failure(["top", dir + "/missing"]).contains("no such file or folder"))
        #expect(failure(["lines", "--json", dir + "/broken.pb.gz", "--max-decompressed", "0"]).contains("--max-decompressed"))
    }
}
