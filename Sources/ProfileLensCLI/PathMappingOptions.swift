import ArgumentParser
import ProfileModel

/// `--map FROM=TO`: how profile paths find files here (every command that maps paths, and `serve`).
struct PathMappingOptions: ParsableArguments {
    @Option(name: .customLong("map"), help: ArgumentHelp("Map profile paths under FROM to TO (TO relative to the root; empty to trim FROM). Repeatable.", valueName: "FROM=TO"))
    var mappings: [String] = []

    func validate() throws {
        for mapping in mappings where PathMapping(argument: mapping) == nil {
            throw ValidationError("--map takes FROM=TO, got '\(mapping)'")
        }
    }

    var pathMappings: [PathMapping] { mappings.compactMap(PathMapping.init(argument:)) }
}

/// `--root` and `--map`: the workspace whose files the terminal reports read and map to.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace whose files the profile's paths map to (default: the current folder; top maps paths only when --root or --map is given).", valueName: "dir"))
    var root: String?

    @OptionGroup var mapping: PathMappingOptions

    func validate() throws {
        if let root, !FilePath.isDirectory(root) {
            throw ValidationError("--root \(root) is not a folder")
        }
    }

    /// A mapper over the root (or the current folder).
    func mapper() -> PathMapper {
        PathMapper(workspace: WorkspaceFiles(root: root ?? FilePath.currentDirectory()), mappings: mapping.pathMappings)
    }

    /// A mapper only when `--root` or `--map` asks for one: `top` then stays a pure profile
    /// reader that never walks the current folder.
    func mapperIfRequested() -> PathMapper? {
        root != nil || !mapping.mappings.isEmpty ? mapper() : nil
    }
}
