import ArgumentParser
import ProfileModel
import PprofFormat
import RemoteProfiles

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

    /// The same cap for fetched profiles.
    var fetchOptions: FetchOptions { FetchOptions(maxBytes: maxDecompressedMiB << 20) }
}

/// The profile arguments every terminal command takes: files, folders and URLs of pprof
/// endpoints, and a Pyroscope query.
struct ProfileInputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Profile files or folders (every profile directly in a folder), or http(s) URLs of pprof endpoints (http://127.0.0.1:6060/debug/pprof/profile?seconds=10).",
        valueName: "profile"))
    var profiles: [String] = []

    @OptionGroup var pyroscope: PyroscopeOptions

    @OptionGroup var limits: DecodeLimitOptions

    var decodeOptions: DecodeOptions { limits.decodeOptions }

    func validate() throws {
        if profiles.isEmpty && pyroscope.url == nil {
            throw ValidationError("Missing expected argument '<profile> ...' (or --pyroscope URL --query SELECTOR)")
        }
    }

    /// Loads every profile named, fetching URLs and the Pyroscope query (restricted to `type`,
    /// a kind, sample type or Pyroscope type id). A file named on the command line must load;
    /// a file found in a folder that fails is reported on stderr and skipped, so one broken
    /// file does not hide the rest. Warnings about repaired damage go to stderr.
    func load(type: String? = nil) throws -> [LoadedProfile] {
        try load(type: type, alongside: []).profiles
    }

    /// `load(type:)`, with `extra` live sources (a baseline's) fetched at the same time; their
    /// outcomes in order.
    func load(type: String?, alongside extra: [LiveSource]) throws -> (profiles: [LoadedProfile], extra: [LiveArguments.Outcome]) {
        let paths = profiles.filter { !PprofEndpoint.isURL($0) }
        let files = paths.isEmpty ? [] : try Self.load(paths, options: decodeOptions)
        let live = try fetchLive(type: type, alongside: extra)
        return (files + live.endpoints + live.pyroscope, live.extra)
    }

    /// Loads profile files and folders (every profile directly in a folder).
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
