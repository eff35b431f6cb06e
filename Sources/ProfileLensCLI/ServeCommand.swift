import ArgumentParser
import Foundation
import JSONRPC
import LanguageServer
import ProfileModel
import ProfileQuery
import RemoteProfiles
import SystemIO

/// `profilelens serve`: the language server on stdio.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the language server on stdin/stdout (what editors start).",
        discussion: """
            With no --profile and no "profiles" in initializationOptions, the server looks for \
            profiles in the workspace (*.pprof, *.pb.gz, *.prof, cpu.out-style go test outputs, \
            anything in a profiles/ folder). Logs go to stderr and window/logMessage.
            """)

    @Option(name: .customLong("profile"), help: ArgumentHelp(
        "A profile file or folder to load, or the http(s) URL of a pprof endpoint to fetch (repeatable).", valueName: "path"))
    var profiles: [String] = []

    @OptionGroup var pyroscope: PyroscopeOptions

    @Option(name: .customLong("type"), help: ArgumentHelp("With --pyroscope: a profile type to fetch (a kind, a sample type or a type id; repeatable). Default: every kind in the range.", valueName: "type"))
    var types: [String] = []

    @Option(name: .long, help: ArgumentHelp("Fetch live sources (URLs, Pyroscope) again every this many seconds; 0 fetches once.", valueName: "seconds"))
    var refresh: Double = 60

    @Option(name: .long, help: ArgumentHelp("Keep this many fetches of each live source as the points of a series (trends, growth, the spike window); 1 keeps only the last.", valueName: "fetches"))
    var history: Int = 1

    @OptionGroup var mapping: PathMappingOptions

    @Option(name: .long, help: "The kind lenses and hints show: cpu, wall, alloc, inuse, mutex, block, goroutine.")
    var kind: String?

    @Option(name: .customLong("hint-threshold"), help: ArgumentHelp("Inlay hints on lines whose total is at least this percent of the kind's total.", valueName: "percent"))
    var hintThreshold: Double = 1.0

    @Flag(name: .long, help: "Also publish hot lines as Information diagnostics.")
    var diagnostics = false

    @OptionGroup var limits: DecodeLimitOptions

    @Option(name: .customLong("base"), help: ArgumentHelp("A baseline profile file or folder, or a pprof endpoint URL, to compare with (repeatable).", valueName: "path"))
    var baseline: [String] = []

    @Option(name: .customLong("base-from"), help: ArgumentHelp("With --pyroscope: compare with the same query from this time (now-25h); refreshed with it.", valueName: "time"))
    var baseFrom: String?

    @Option(name: .customLong("base-until"), help: ArgumentHelp("With --base-from: the end of the baseline's range (default: as long as the current range).", valueName: "time"))
    var baseUntil: String?

    @Option(name: .customLong("diff-mode"), help: ArgumentHelp("absolute (current - baseline) or share (percentage points of the total).", valueName: "mode"))
    var diffMode: DiffMode = .absolute

    @Flag(name: .long, help: "Scale the baseline to the current profiles' total first.")
    var normalize = false

    @Option(name: .customLong("max-message"), help: ArgumentHelp("Refuse JSON-RPC messages longer than this many MiB.", valueName: "MiB"))
    var maxMessageMiB: Int = JSONRPCConnection.defaultMaxContentLength >> 20

    func validate() throws {
        guard hintThreshold >= 0, hintThreshold <= 100 else { throw ValidationError("--hint-threshold is a percentage") }
        guard maxMessageMiB > 0, maxMessageMiB <= 4096 else { throw ValidationError("--max-message must be between 1 and 4096") }
        guard refresh >= 0, refresh <= 86_400 else { throw ValidationError("--refresh must be between 0 and 86400 seconds") }
        guard history >= 1, history <= 1000 else { throw ValidationError("--history must be between 1 and 1000 fetches") }
        if baseFrom != nil, pyroscope.url == nil { throw ValidationError("--base-from compares a Pyroscope query over another range: give --pyroscope URL --query SELECTOR") }
        if baseUntil != nil, baseFrom == nil { throw ValidationError("--base-until needs --base-from") }
    }

    func run() throws {
        var config = ServerConfiguration()
        let cwd = FilePath.currentDirectory()
        // URLs stay URLs; paths are made absolute against the directory the editor started us in.
        config.profiles = profiles.map { PprofEndpoint.isURL($0) ? $0 : FilePath.join(cwd, $0) }
        config.pyroscope = pyroscope.pyroscopeQuery(types: types).map { [$0] } ?? []
        config.refresh = refresh
        config.history = history
        config.pathMappings = mapping.pathMappings
        config.kind = kind
        config.hintThreshold = hintThreshold
        config.diagnostics = diagnostics
        config.maxDecompressedMiB = limits.maxDecompressedMiB
        config.baseline = baseline.map { PprofEndpoint.isURL($0) ? $0 : FilePath.join(cwd, $0) }
        if let baseFrom, let query = config.pyroscope.first {
            config.baselineRanges = [BaselineRange(from: baseFrom, until: baseUntil ?? ComparisonOptions.shiftedUntil(query, baseFrom: baseFrom))]
        }
        config.diffMode = diffMode
        config.normalize = normalize

        // stdout belongs to the protocol: keep a private copy of it for the connection and
        // point file descriptor 1 at stderr, so that a stray print cannot corrupt the stream.
        let protocolOutput = Processes.duplicate(1)
        guard protocolOutput >= 0 else { throw CLIError("cannot duplicate stdout") }
        Processes.redirect(2, to: 1)
        // A client that goes away must not kill us with SIGPIPE in the middle of a write.
        Processes.ignoreBrokenPipes()

        let server = ProfileLensServer(configuration: config)
        let connection = JSONRPCConnection(input: 0, output: protocolOutput, maxContentLength: maxMessageMiB << 20)
        server.client = connection
        server.onExit = { code in
            connection.flush()
            Processes.exitImmediately(code)
        }
        connection.start(handler: server)
        dispatchMain()
    }
}
