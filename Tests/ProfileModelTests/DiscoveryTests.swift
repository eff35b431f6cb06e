import Foundation
@testable import PprofFormat
import Testing
import TestSupport
@testable import ProfileModel

/// Zero-configuration discovery (issue 13): where it looks, what it takes for a profile, and
/// what it refuses to add up.
@Suite struct DiscoveryTests {
    /// The example's layout: `src/` (where editors start, it holds go.mod) beside `profiles/`.
    func example() throws -> String {
        let root = Fixtures.temporaryDirectory("example")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/src", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/profiles/trimpath", withIntermediateDirectories: true)
        FileWriter.write(root + "/src/go.mod", Array("module example.com/goshop\n".utf8))
        for name in ["cpu.pb.gz", "heap.pb.gz", "trimpath/cpu.pb.gz"] {
            try fm.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/" + name), toPath: root + "/profiles/" + name)
        }
        return root
    }

    @Test func profilesBesideTheWorkspaceAreFoundInItsParent() throws {
        let root = try example()
        let found = ProfileDiscovery.search([WorkspaceFiles(root: root + "/src")])
        #expect(found.files == [root + "/profiles/cpu.pb.gz", root + "/profiles/heap.pb.gz", root + "/profiles/trimpath/cpu.pb.gz"])
        #expect(found.searched == [root + "/src", root])
        #expect(found.watched.contains(root + "/profiles"))
    }

    @Test func parentsStopAtTheRepositoryRootAndNeverTakeSharedFolders() throws {
        let root = Fixtures.temporaryDirectory("repo")
        try FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/services/api/cmd", withIntermediateDirectories: true)
        #expect(ProfileDiscovery.parents(of: root + "/services/api/cmd", home: nil) == [root + "/services/api", root + "/services", root])
        #expect(ProfileDiscovery.parents(of: root, home: nil).isEmpty)
        // Outside a repository: the parent alone, and never /tmp, home or /.
        let loose = Fixtures.temporaryDirectory("loose")
        try FileManager.default.createDirectory(atPath: loose + "/a/b", withIntermediateDirectories: true)
        #expect(ProfileDiscovery.parents(of: loose + "/a/b", home: nil) == [loose + "/a"])
        #expect(ProfileDiscovery.parents(of: "/tmp/x", home: nil).isEmpty)
        #expect(ProfileDiscovery.parents(of: "/home/me/project", home: "/home/me").isEmpty)
    }

    @Test func aWorkspaceWithProfilesDoesNotLookAbove() throws {
        let root = try example()
        try FileManager.default.createDirectory(atPath: root + "/src/profiles", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/mutex.pb.gz"), toPath: root + "/src/profiles/mutex.pb.gz")
        let found = ProfileDiscovery.search([WorkspaceFiles(root: root + "/src")])
        #expect(found.files == [root + "/src/profiles/mutex.pb.gz"])
        #expect(found.searched == [root + "/src"])
    }

    /// A LICENSE in a folder named `pprof`, Go sources in `runtime/pprof/`, a notes file that
    /// starts with a newline (field 1, length-delimited, to a naive sniffer): not profiles,
    /// skipped and listed, never loaded.
    @Test func filesThatAreNotProfilesByContentAreSkipped() throws {
        let root = Fixtures.temporaryDirectory("sniff")
        try FileManager.default.createDirectory(atPath: root + "/pprof", withIntermediateDirectories: true)
        FileWriter.write(root + "/pprof/LICENSE", Array("Apache License\nVersion 2.0\n".utf8))
        FileWriter.write(root + "/pprof/pprof_test.go", Array("// Copyright 2011 The Go Authors.\npackage pprof\n".utf8))
        FileWriter.write(root + "/pprof/notes.txt", Array("\nfunction costs\n".utf8))
        FileWriter.write(root + "/pprof/fake.pb.gz", Array("\u{7}not gzip".utf8))
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"), toPath: root + "/pprof/cpu.pb.gz")
        let found = ProfileDiscovery.search([WorkspaceFiles(root: root)])
        #expect(found.files == [root + "/pprof/cpu.pb.gz"])
        #expect(Set(found.skipped.map(\.path)) == Set(["LICENSE", "pprof_test.go", "notes.txt", "fake.pb.gz"].map { root + "/pprof/" + $0 }))
    }

    @Test func sniffingReadsTheLeadingSampleType() {
        // A real profile's start: sample_type {type: 1, unit: 2}.
        #expect(ProfileFile.looksLikeProfile(head: [0x0A, 0x04, 0x08, 0x01, 0x10, 0x02, 0x0A, 0x04, 0x08, 0x03, 0x10, 0x04]))
        #expect(ProfileFile.looksLikeProfile(head: [0x1F, 0x8B, 0x08]))
        // A newline and text: field 1 with a payload that is no ValueType.
        #expect(!ProfileFile.looksLikeProfile(head: Array("\nfunc main() {}\n".utf8)))
        // Wire type 7 does not exist; '/' is field 5 with wire type 7.
        #expect(!ProfileFile.looksLikeProfile(head: Array("// Copyright".utf8)))
        #expect(!ProfileFile.looksLikeProfile(head: Array("Apache License".utf8)))
        #expect(!ProfileFile.looksLikeProfile(head: []))
        // The legacy formats by their headers; a README's rule or a `profile:` in prose are not.
        #expect(ProfileFile.looksLikeProfile(head: Array("heap profile: 3: 24576 [12: 98304] @ heap/1048576\n".utf8)))
        #expect(ProfileFile.looksLikeProfile(head: Array("--- contentionz 1 ---\n".utf8)))
        #expect(ProfileFile.looksLikeProfile(head: Array("goroutine profile: total 5\n".utf8)))
        #expect(!ProfileFile.looksLikeProfile(head: Array("---\ntitle: profiles\n---\n".utf8)))
        #expect(!ProfileFile.looksLikeProfile(head: Array("The heap profile: see below\n".utf8)))
    }

    @Test func legacyProfilesInAFolderAreFound() throws {
        let root = Fixtures.temporaryDirectory("legacy")
        try FileManager.default.createDirectory(atPath: root + "/profiles", withIntermediateDirectories: true)
        for name in ["legacy-heap.txt", "legacy-cpu.prof", "legacy-goroutine.txt"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("parity/" + name), toPath: root + "/profiles/" + name)
        }
        FileWriter.write(root + "/profiles/NOTES.md", Array("---\ntitle: runs\n---\n".utf8))
        let found = ProfileDiscovery.search([WorkspaceFiles(root: root)])
        #expect(found.files.map { FilePath.lastComponent($0) } == ["legacy-cpu.prof", "legacy-goroutine.txt", "legacy-heap.txt"])
        #expect(found.skipped.map(\.path) == [root + "/profiles/NOTES.md"])
    }

    /// Two builds of one run in two folders are not summed: the nearer folder's profile wins
    /// and the other is listed with the reason; one folder's profiles are taken together.
    @Test func profilesOfDifferentFoldersAreNotAddedUp() throws {
        let cpu = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"))
        var copy = cpu
        copy.path = "/w/profiles/old/cpu.pb.gz"
        var near = cpu
        near.path = "/w/profiles/cpu.pb.gz"
        var sameFolder = cpu
        sameFolder.path = "/w/profiles/cpu2.pb.gz"
        let heap = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/heap.pb.gz"))
        var deepHeap = heap
        deepHeap.path = "/w/profiles/old/heap.pb.gz"
        let (kept, skipped) = ProfileDiscovery.preferNearestFolders([copy, near, sameFolder, deepHeap])
        #expect(kept.map(\.path) == ["/w/profiles/cpu.pb.gz", "/w/profiles/cpu2.pb.gz", "/w/profiles/old/heap.pb.gz"])
        #expect(skipped.map(\.path) == ["/w/profiles/old/cpu.pb.gz"])
        #expect(skipped.first?.reason.contains("/w/profiles/cpu.pb.gz") == true)
    }


    /// A -trimpath build's profiles (another binary name) in a folder below the run's are
    /// another build of the same code: left out, so that one file never mixes two runs'
    /// numbers. The same profiles in a sibling folder (another service) are kept.
    @Test func anotherBuildInASubfolderIsLeftOut() throws {
        var cpu = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"))
        cpu.path = "/w/profiles/cpu.pb.gz"
        var trimmed = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/trimpath/cpu.pb.gz"))
        #expect(ProgramIdentity.of(trimmed.profile) != ProgramIdentity.of(cpu.profile), "the builds' binaries differ")
        trimmed.path = "/w/profiles/trimpath/cpu.pb.gz"
        var sibling = trimmed
        sibling.path = "/w/service/cpu.pb.gz"
        let (kept, skipped) = ProfileDiscovery.preferNearestFolders([cpu, trimmed])
        #expect(kept.map(\.path) == ["/w/profiles/cpu.pb.gz"])
        #expect(skipped.map(\.path) == ["/w/profiles/trimpath/cpu.pb.gz"])
        #expect(skipped.first?.reason.contains("another build of the Go program of /w/profiles/cpu.pb.gz") == true, "\(skipped)")
        #expect(ProfileDiscovery.preferNearestFolders([cpu, sibling]).kept.count == 2)
        // Further down (a service's own profiles below a repository's) is not another build.
        var deeper = trimmed
        deeper.path = "/w/profiles/services/a/cpu.pb.gz"
        #expect(ProfileDiscovery.preferNearestFolders([cpu, deeper]).kept.count == 2)
    }
}

/// The workspace walk is bounded and honours `.gitignore`.
@Suite struct WorkspaceWalkTests {
    @Test func gitignoreExcludesFilesAndFolders() throws {
        let root = Fixtures.temporaryDirectory("ignored")
        let fm = FileManager.default
        for folder in ["build/out", "src/gen", "docs", "src/keep"] {
            try fm.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        FileWriter.write(root + "/.gitignore", Array("# output\nbuild/\n*.log\n/docs\n!important.log\n".utf8))
        FileWriter.write(root + "/src/.gitignore", Array("gen/\n".utf8))
        for file in ["build/out/a.go", "src/gen/b.go", "docs/c.go", "src/keep/d.go", "x.log", "important.log", "main.go", "src/docs"] {
            FileWriter.write(root + "/" + file, Array("x\n".utf8))
        }
        let walked = WorkspaceFiles(root: root)
        #expect(walked.files == [".gitignore", "important.log", "main.go", "src/.gitignore", "src/docs", "src/keep/d.go"])
        #expect(!walked.truncated)
    }

    @Test func theWalkStopsAtItsLimitsAndSaysWhy() throws {
        let root = Fixtures.temporaryDirectory("many")
        for i in 0 ..< 50 { FileWriter.write(root + "/f\(i).go", Array("x\n".utf8)) }
        let capped = WorkspaceFiles(root: root, limits: .init(maxFiles: 10))
        #expect(capped.files.count == 10)
        #expect(capped.stoppedEarly == .files(10))
        #expect(capped.stoppedEarly?.description == "stopped after 10 files")
        let timed = WorkspaceFiles(root: root, limits: .init(seconds: 0))
        #expect(timed.stoppedEarly == .time(0))
        var deep = root
        for i in 0 ..< 6 { deep += "/d\(i)" }
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        FileWriter.write(deep + "/deep.go", Array("x\n".utf8))
        #expect(!WorkspaceFiles(root: root, limits: .init(maxDepth: 3)).files.contains { $0.hasSuffix("deep.go") })
        #expect(WorkspaceFiles(root: root).files.contains { $0.hasSuffix("deep.go") })
    }

    @Test func globsMatchAsGitMatches() {
        #expect(GitIgnore.matchName(Array("*.go".utf8)[...], Array("main.go".utf8)[...]))
        #expect(!GitIgnore.matchName(Array("*.go".utf8)[...], Array("main.gox".utf8)[...]))
        #expect(GitIgnore.matchName(Array("f?o[0-9]".utf8)[...], Array("foo7".utf8)[...]))
        #expect(!GitIgnore.matchName(Array("f?o[!0-9]".utf8)[...], Array("foo7".utf8)[...]))
        #expect(GitIgnore.matchName(Array("a*b*c".utf8)[...], Array("axxbyyc".utf8)[...]))
        let ignore = GitIgnore("**/generated/**\n/vendor\ncache/*.tmp\n")
        #expect(ignore.decision("a/generated/x.go", isFolder: false) == true)
        #expect(ignore.decision("vendor", isFolder: true) == true)
        #expect(ignore.decision("src/vendor", isFolder: true) == nil)
        #expect(ignore.decision("cache/a.tmp", isFolder: false) == true)
        #expect(ignore.decision("x/cache/a.tmp", isFolder: false) == nil)
    }
}
