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
    @OptionGroup var comparison: ComparisonOptions

    @Option(name: .long, help: "List the functions whose names match this regular expression.")
    var function: String?

    @Option(name: .long, help: "List this file (a workspace path, or the path as the profile writes it).")
    var file: String?

    @Option(name: .long, help: "A sample type (cpu, alloc_space, delay, ...) or a kind (cpu, alloc, inuse, mutex, block, goroutine).")
    var type: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(name: .long, help: "With profiles of several programs: the program to show (its binary's name or its language).")
    var program: String?

    func validate() throws {
        guard (function == nil) != (file == nil) else {
            throw ValidationError("give exactly one of --function REGEX or --file PATH")
        }
        if let function {
            do { _ = try Regex(function) } catch { throw ValidationError("--function: invalid regular expression '\(function)'") }
        }
    }

    func run() throws {
        let (loaded, baseProfiles) = try comparison.load(input, type: type)
        let mapper = workspace.mapper()
        let share = comparison.diffMode == .share
        // Share mode lists each side on its own; otherwise one index holds current - baseline.
        let profiles = share ? MappedProfiles.build(loaded, mapper: mapper) : comparison.build(loaded, baseline: baseProfiles, mapper: mapper)
        let choice = try ReportChoice.make(type: type, program: program, in: profiles.profileSet)
        for (path, reason) in profiles.sourceMismatches.sorted(by: { $0.key < $1.key }) {
            Diagnostics.warn("\(path): \(reason)")
        }
        let index = profiles.profileSet.groups[choice.group].index
        let report = try listing(index, type: choice.type, root: mapper.workspace?.root, resolutions: profiles.resolutions)
        if share {
            let baseline = MappedProfiles.build(baseProfiles, mapper: mapper)
            let base = try ComparisonOptions.baselineSide(baseline, matching: index.sampleTypes[choice.type].type)
            let before = try listing(base.index, type: base.type, root: mapper.workspace?.root, resolutions: baseline.resolutions,
                                     allowEmpty: true)
            Diagnostics.output(report.shareText(baseline: before))
            return
        }
        if json {
            try writeJSON(report)
        } else {
            Diagnostics.output(report.text())
        }
    }

    private func listing(_ index: CostIndex, type: Int, root: String?, resolutions: [String: PathResolution],
                         allowEmpty: Bool = false) throws -> ListReport {
        if let function {
            let regex = try Regex(function)
            let report = ListReport.functions(in: index, type: type, source: SourceText.lines(ofFile:)) { $0.contains(regex) }
            if report.routines.isEmpty && !allowEmpty { throw CLIError("no function with a cost matches '\(function)'") }
            return report
        }
        if let file {
            guard let key = Self.fileKey(file, index: index, root: root, resolutions: resolutions) else {
                if allowEmpty { return ListReport.functions(in: index, type: type, source: { _ in nil }) { _ in false } }
                throw CLIError("no profiled file matches '\(file)'")
            }
            return ListReport.file(in: index, type: type, file: key, source: SourceText.lines(ofFile:))
        }
        throw CLIError("give --function or --file")
    }

    /// The file a user means: a path in the workspace (relative to the root, or absolute), or
    /// a file name as the profile writes it (`resolutions` give the workspace file it mapped
    /// to), or a unique path suffix of one.
    static func fileKey(_ path: String, index: CostIndex, root: String?, resolutions: [String: PathResolution]) -> FileKey? {
        let absolute = FilePath.canonical(FilePath.join(root ?? FilePath.currentDirectory(), path))
        if let key = index.fileKey(absolute) ?? index.fileKey(path) { return key }
        if let mapped = resolutions[path]?.path, let key = index.fileKey(mapped) { return key }
        let suffix = "/" + FilePath.normalize(path)
        let matches = index.files.filter { index.fileName($0).hasSuffix(suffix) }
        return matches.count == 1 ? matches[0] : nil
    }
}
