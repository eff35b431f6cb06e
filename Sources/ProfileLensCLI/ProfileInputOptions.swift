import ArgumentParser
import ProfileModel
import PprofFormat

/// `--max-decompressed`: the cap on how far a gzip profile may inflate (every command, and `serve`).
struct DecodeLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-decompressed"), help: ArgumentHelp("Refuse gzip profiles that decompress to more than this many MiB.", valueName: "MiB"))
    var maxDecompressedMiB: Int = 1024

    func validate() throws {
        guard maxDecompressedMiB > 0, maxDecompressedMiB <= 1 << 20 else {
            throw ValidationError("--max-decompressed must be between 1 and 1048576 MiB")
        }
    }

    var decodeOptions: DecodeOptions { DecodeOptions(maxDecompressedBytes: maxDecompressedMiB << 20) }
}

/// The profile arguments every terminal command takes.
struct ProfileInputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Profile files or folders (every profile directly in a folder).", valueName: "profile"))
    var profiles: [String]

    @OptionGroup var limits: DecodeLimitOptions

    var decodeOptions: DecodeOptions { limits.decodeOptions }

    /// Loads every profile named. A file named on the command line must load; a file found in
    /// a folder that fails is reported on stderr and skipped, so one broken file does not hide
    /// the rest. Warnings about repaired damage go to stderr.
    func load() throws -> [LoadedProfile] {
        try Self.load(profiles, options: decodeOptions)
    }

    static func load(_ profiles: [String], options decodeOptions: DecodeOptions) throws -> [LoadedProfile] {
        let (files, errors) = ProfileSources.expand(profiles)
        if let error = errors.first { throw CLIError(error.description) }
        let named = Set(profiles)
        var loaded: [LoadedProfile] = []
        for (file, result) in zip(files, ProfileSources.loadAll(files, options: decodeOptions)) {
            switch result {
            case .success(let profile):
                for warning in profile.warnings { Diagnostics.warn("\(profile.path): \(warning)") }
                loaded.append(profile)
            case .failure(let error):
                if named.contains(file) { throw CLIError(error.description) }
                Diagnostics.warn("skipped \(error.description)")
            }
        }
        guard !loaded.isEmpty else { throw CLIError("no profile could be loaded from \(profiles.joined(separator: ", "))") }
        return loaded
    }
}
