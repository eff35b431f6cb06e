import Foundation
import Testing
import TestSupport
@testable import ProfileModel
import PprofFormat

/// Profile paths written on another machine resolve to workspace files.
@Suite struct PathMapperTests {
    let workspace = Fixtures.goshopWorkspace()

    @Test func explicitMappingOfTheBuildPath() {
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace),
                                mappings: [PathMapping(argument: "/home/ci/work/goshop=")!])
        let r = mapper.resolve("/home/ci/work/goshop/pricing/pricing.go")
        #expect(r.workspacePath == "pricing/pricing.go")
        #expect(r.rule == .explicitMapping)
        #expect(r.path == workspace + "/pricing/pricing.go")
    }

    @Test func explicitMappingToAnotherFolder() {
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace),
                                mappings: [PathMapping(from: "/home/ci/work/goshop/pricing", to: workspace + "/pricing")])
        #expect(mapper.resolve("/home/ci/work/goshop/pricing/pricing.go").rule == .explicitMapping)
    }

    @Test func buildPathBySuffixWithoutMapping() {
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace))
        let r = mapper.resolve("/home/ci/work/goshop/inventory/inventory.go")
        #expect(r.workspacePath == "inventory/inventory.go")
        #expect(r.rule == .suffix)
        // A file at the workspace root matches when its whole relative path is the suffix.
        #expect(mapper.resolve("/home/ci/work/goshop/main.go").workspacePath == "main.go")
    }

    @Test func trimpathModulePathThroughGoMod() {
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace))
        let r = mapper.resolve("example.com/goshop/pricing/pricing.go")
        #expect(r.workspacePath == "pricing/pricing.go")
        #expect(r.rule == .goModule)
        #expect(mapper.resolve("example.com/goshop/main.go").workspacePath == "main.go")
    }

    @Test func goRootPathsResolveToTheLocalGoNotTheWorkspace() throws {
        // A workspace file named like a standard library file must not catch it.
        FileWriter.write(workspace + "/exec.go", Array("package main\n".utf8))
        let goRoot = Fixtures.temporaryDirectory("goroot")
        try FileManager.default.createDirectory(atPath: goRoot + "/src/regexp", withIntermediateDirectories: true)
        FileWriter.write(goRoot + "/src/regexp/exec.go", Array("package regexp\n".utf8))
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace), goRoot: goRoot, goModuleCache: nil,
                                goVersion: GoVersion("1.17.13"))
        let r = mapper.resolve("/opt/toolchains/go-1.17/src/regexp/exec.go")
        #expect(r.rule == .goRoot)
        #expect(r.path == goRoot + "/src/regexp/exec.go")
        #expect(r.workspacePath == nil)
        let none = PathMapper(workspace: WorkspaceFiles(root: workspace), goRoot: nil, goModuleCache: nil)
        #expect(!none.resolve("/opt/toolchains/go-1.17/src/regexp/exec.go").isMapped)
    }

    /// A file of another Go release has other code on the profile's lines: it is not mapped.
    @Test func anotherGoReleaseIsNotMapped() throws {
        let goRoot = Fixtures.temporaryDirectory("goroot")
        try FileManager.default.createDirectory(atPath: goRoot + "/src/runtime", withIntermediateDirectories: true)
        FileWriter.write(goRoot + "/src/runtime/malloc.go", Array("package runtime\n".utf8))
        let mapper = PathMapper(workspace: nil, goRoot: goRoot, goModuleCache: nil, goVersion: GoVersion("1.19.8"))
        let other = mapper.resolve("/opt/hostedtoolcache/go/1.20.3/x64/src/runtime/malloc.go")
        #expect(!other.isMapped)
        #expect(other.note?.contains("built with Go 1.20.3") == true)
        #expect(other.note?.contains("is Go 1.19.8") == true)
        // Debian names only the minor release: any 1.19.x fits.
        #expect(mapper.resolve("/usr/lib/go-1.19/src/runtime/malloc.go").isMapped)
        // -trimpath names no release: the file maps, and the source check has the last word.
        #expect(mapper.resolve("/usr/local/go/src/runtime/malloc.go").isMapped)
    }

    /// Every installation layout of `go-version-paths.json` gives the release it names.
    @Test func goReleasesInInstallationPaths() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parity/go-version-paths.json")))
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(cases.count >= 20)
        for item in cases {
            let path = try #require(item["path"] as? String)
            let expected = item["version"] as? String
            #expect(GoVersion.named(inPath: path)?.description == expected, "\(path)")
        }
    }

    @Test func ambiguousSuffixesResolveDeterministicallyAndAreReported() throws {
        for dir in ["a/util", "b/util"] {
            try FileManager.default.createDirectory(atPath: workspace + "/" + dir, withIntermediateDirectories: true)
            FileWriter.write(workspace + "/" + dir + "/strings.go", Array("package util\n".utf8))
        }
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace))
        let r = mapper.resolve("/build/x/util/strings.go")
        #expect(r.workspacePath == "a/util/strings.go")
        #expect(r.alternatives == ["b/util/strings.go"])
        // A longer suffix is not ambiguous.
        #expect(mapper.resolve("/build/b/util/strings.go").alternatives.isEmpty)
        #expect(mapper.resolve("/build/b/util/strings.go").workspacePath == "b/util/strings.go")
    }

    @Test func skipsDependencyAndBuildFolders() throws {
        try FileManager.default.createDirectory(atPath: workspace + "/node_modules/lib", withIntermediateDirectories: true)
        FileWriter.write(workspace + "/node_modules/lib/index.js", Array("x\n".utf8))
        try FileManager.default.createDirectory(atPath: workspace + "/.build/lib", withIntermediateDirectories: true)
        FileWriter.write(workspace + "/.build/lib/index.js", Array("x\n".utf8))
        let files = WorkspaceFiles(root: workspace)
        #expect(!files.files.contains { $0.contains("node_modules") || $0.contains(".build") })
        #expect(!PathMapper(workspace: files).resolve("/app/lib/index.js").isMapped)
    }

    @Test func relativeAndURLPaths() throws {
        try FileManager.default.createDirectory(atPath: workspace + "/build", withIntermediateDirectories: true)
        FileWriter.write(workspace + "/build/index.js", Array("x\n".utf8))
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace))
        #expect(mapper.resolve("./build/index.js").workspacePath == "build/index.js")
        #expect(mapper.resolve("file:///srv/app/build/index.js").workspacePath == "build/index.js")
        #expect(mapper.resolve("C:\\srv\\app\\build\\index.js").workspacePath == "build/index.js")
    }

    @Test func unmappedFilesAreListed() throws {
        var p = TestProfile()
        let mine = TestProfile.Frame("pricing.discount", "/home/ci/work/goshop/pricing/pricing.go", 18)
        let theirs = TestProfile.Frame("lib.helper", "/nowhere/vendor-x/lib/helper.go", 3)
        p.samples = [([[theirs], [mine]], [1, 10])]
        let decoded = try ProfileParser.decode(p.encode())
        let loaded = LoadedProfile(path: "test", profile: decoded.profile, warnings: [], wasCompressed: false,
                                   uncompressedByteCount: 0, modificationTime: 0)
        let mapped = MappedProfiles.build([loaded], mapper: PathMapper(workspace: WorkspaceFiles(root: workspace), goRoot: nil, goModuleCache: nil))
        #expect(mapped.unmapped == ["/nowhere/vendor-x/lib/helper.go"])
        // The index knows mapped files by their workspace path, unmapped ones by the profile's name.
        let index = mapped.profileSet.groups[0].index
        #expect(index.fileKey(workspace + "/pricing/pricing.go") != nil)
        #expect(index.fileKey("/nowhere/vendor-x/lib/helper.go") != nil)
    }

    @Test func normalisation() {
        #expect(FilePath.normalize("./a/./b//c/../d.go") == "a/b/d.go")
        #expect(FilePath.normalize("file:///x/y%20z.go") == "/x/y z.go")
        #expect(FilePath.strip("/home/ci", from: "/home/ci/x.go") == "x.go")
        #expect(FilePath.strip("/home/ci", from: "/home/cix/x.go") == nil)
        #expect(PathMapping(argument: "a=b") == PathMapping(from: "a", to: "b"))
        #expect(PathMapping(argument: "=b") == nil)
    }
}
