import Foundation
import ProfileModel
import PprofFormat
import Testing
import TestSupport

/// `-trimpath` names standard-library and dependency files without their installation
/// folders (`math/sin.go`, `golang.org/x/net@v0.1.0/html/parse.go`): they resolve against this
/// machine's GOROOT and module cache, and never catch a workspace file by accident.
@Suite struct TrimpathMappingTests {
    let workspace = Fixtures.goshopWorkspace()

    func goRoot() throws -> String {
        let goRoot = Fixtures.temporaryDirectory("goroot")
        try FileManager.default.createDirectory(atPath: goRoot + "/src/math", withIntermediateDirectories: true)
        FileWriter.write(goRoot + "/src/math/sin.go", Array("package math\n".utf8))
        return goRoot
    }

    @Test func standardLibraryFilesResolveAgainstGoRoot() throws {
        let goRoot = try goRoot()
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace), goRoot: goRoot, goModuleCache: nil, goVersion: nil)
        let sin = mapper.resolve("math/sin.go")
        #expect(sin.rule == .goRoot)
        #expect(sin.path == goRoot + "/src/math/sin.go")
        // The workspace's own trimmed files still resolve to the workspace.
        #expect(mapper.resolve("example.com/goshop/pricing/pricing.go").workspacePath == "pricing/pricing.go")
        // A trimmed standard-library file that this Go does not have stays unmapped.
        #expect(!mapper.resolve("math/cos.go").isMapped)
        // Without a GOROOT it stays unmapped too, rather than matching something else.
        let none = PathMapper(workspace: WorkspaceFiles(root: workspace), goRoot: nil, goModuleCache: nil, goVersion: nil)
        #expect(!none.resolve("math/sin.go").isMapped)
    }

    @Test func dependencyFilesResolveAgainstTheModuleCache() throws {
        let cache = Fixtures.temporaryDirectory("gomodcache")
        let dependency = cache + "/golang.org/x/net@v0.1.0/html"
        try FileManager.default.createDirectory(atPath: dependency, withIntermediateDirectories: true)
        FileWriter.write(dependency + "/parse.go", Array("package html\n".utf8))
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace), goRoot: nil, goModuleCache: cache, goVersion: nil)
        let parse = mapper.resolve("golang.org/x/net@v0.1.0/html/parse.go")
        #expect(parse.rule == .goModuleCache)
        #expect(parse.path == dependency + "/parse.go")
    }

    /// The -trimpath goshop profile's `math.sin` frames land on GOROOT's file.
    @Test func theTrimpathProfilesMathFramesMap() throws {
        let goRoot = try goRoot()
        let loaded = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/trimpath/cpu.pb.gz"))
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace), goRoot: goRoot, goModuleCache: nil, goVersion: nil)
        let mapped = MappedProfiles.build([loaded], mapper: mapper)
        let names = mapped.resolutions.keys.filter { $0.hasPrefix("math/") }
        #expect(!names.isEmpty)
        #expect(mapped.resolutions["math/sin.go"]?.path == goRoot + "/src/math/sin.go")
    }
}

/// Several workspace folders: files resolve in whichever folder has them.
@Suite struct MultiRootMappingTests {
    @Test func eachFolderResolvesItsOwnFiles() throws {
        let a = Fixtures.temporaryDirectory("root-a"), b = Fixtures.temporaryDirectory("root-b")
        try FileManager.default.createDirectory(atPath: a + "/api", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: b + "/worker", withIntermediateDirectories: true)
        FileWriter.write(a + "/api/handler.go", Array("package api\n".utf8))
        FileWriter.write(b + "/worker/queue.go", Array("package worker\n".utf8))
        FileWriter.write(b + "/go.mod", Array("module example.com/worker\n".utf8))
        let mapper = PathMapper(workspaces: [WorkspaceFiles(root: a), WorkspaceFiles(root: b)], goRoot: nil, goModuleCache: nil, goVersion: nil)
        #expect(mapper.resolve("/build/svc/api/handler.go").path == a + "/api/handler.go")
        #expect(mapper.resolve("/build/svc/worker/queue.go").path == b + "/worker/queue.go")
        #expect(mapper.resolve("example.com/worker/worker/queue.go").rule == .goModule)
    }
}
