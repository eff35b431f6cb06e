import ArgumentParser
import ProfileModel
import ProfileQuery

/// `profilelens list`: annotated source, like `go tool pprof -list`.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print source lines with their flat and cum costs, read from the workspace.",
        discussion: "Give --function REGEX to list matching functions, or --file PATH to list a whole file.")

    @OptionGroup var input: ProfileInputOptions
    @OptionGroup var workspace: WorkspaceOptions

    @Option(name: .long, help: "List the functions whose names match this regular expression.")
    var function: String?

    @Option(name: .long, help: "List this file (a workspace path, or the path as the profile writes it).")
    var file: String?

    @Option(name: .long, help: "A sample type (cpu, alloc_space, delay, ...) or a kind (cpu, alloc, inuse, mutex, block, goroutine).")
    var type: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard (function == nil) != (file == nil) else {
            throw ValidationError("give exactly one of --function REGEX or --file PATH")
        }
        if let function {
            do { _ = try Regex(function) } catch { throw ValidationError("--function: invalid regular expression '\(function)'") }
        }
    }

    func run() throws {
        let loaded = try input.load(type: type)
        let mapper = workspace.mapper()
        let profiles = MappedProfiles.build(loaded, mapper: mapper)
        let choice = try chooseType(type, in: profiles.profileSet)
        let index = profiles.profileSet.groups[choice.group].index
        let report: ListReport
        if let function {
            let regex = try Regex(function)
            report = ListReport.functions(in: index, type: choice.type, source: SourceText.lines(ofFile:)) { $0.contains(regex) }
            if report.routines.isEmpty { throw CLIError("no function with a cost matches '\(function)'") }
        } else if let file {
            guard let key = Self.fileKey(file, index: index, root: mapper.workspace?.root) else {
                throw CLIError("no profiled file matches '\(file)'")
            }
            report = ListReport.file(in: index, type: choice.type, file: key, source: SourceText.lines(ofFile:))
        } else {
            throw CLIError("give --function or --file")
        }
        if json {
            try writeJSON(report)
        } else {
            Diagnostics.output(report.text())
        }
    }

    /// The file a user means: a path in the workspace (relative to the root, or absolute), or
    /// a file name as the profile writes it, or a unique path suffix of one.
    static func fileKey(_ path: String, index: CostIndex, root: String?) -> FileKey? {
        let absolute = FilePath.canonical(FilePath.join(root ?? FilePath.currentDirectory(), path))
        if let key = index.fileKey(absolute) ?? index.fileKey(path) { return key }
        let suffix = "/" + FilePath.normalize(path)
        let matches = index.files.filter { index.fileName($0).hasSuffix(suffix) }
        return matches.count == 1 ? matches[0] : nil
    }
}
