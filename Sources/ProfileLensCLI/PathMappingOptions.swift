import ArgumentParser
import ProfileModel

/// How profile paths find workspace files: `--root` and `--map`.
struct PathMappingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace whose files the profile's paths map to (default: the current folder).", valueName: "dir"))
    var root: String?

    @Option(name: .customLong("map"), help: ArgumentHelp("Map profile paths under FROM to TO (TO relative to the root; empty to trim FROM). Repeatable.", valueName: "FROM=TO"))
    var mappings: [String] = []

    func validate() throws {
        for mapping in mappings where PathMapping(argument: mapping) == nil {
            throw ValidationError("--map takes FROM=TO, got '\(mapping)'")
        }
        if let root, !FilePath.isDirectory(root) {
            throw ValidationError("--root \(root) is not a folder")
        }
    }

    var pathMappings: [PathMapping] { mappings.compactMap(PathMapping.init(argument:)) }

    /// A mapper over the root (or the current folder).
    func mapper() -> PathMapper {
        PathMapper(workspace: WorkspaceFiles(root: root ?? FilePath.currentDirectory()), mappings: pathMappings)
    }

    /// A mapper only when `--root` or `--map` asks for one: `top` then stays a pure profile
    /// reader that never walks the current folder.
    func mapperIfRequested() -> PathMapper? {
        root != nil || !mappings.isEmpty ? mapper() : nil
    }
}
