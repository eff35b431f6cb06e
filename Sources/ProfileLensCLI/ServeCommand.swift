import ArgumentParser
import Foundation
import JSONRPC
import LanguageServer
import ProfileModel

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

    @Option(name: .customLong("profile"), help: ArgumentHelp("A profile file or folder to load (repeatable).", valueName: "path"))
    var profiles: [String] = []

    @Option(name: .customLong("map"), help: ArgumentHelp("Map profile paths under FROM to TO (repeatable).", valueName: "FROM=TO"))
    var mappings: [String] = []

    @Option(name: .long, help: "The kind lenses and hints show: cpu, wall, alloc, inuse, mutex, block, goroutine.")
    var kind: String?

    @Option(name: .customLong("hint-threshold"), help: ArgumentHelp("Inlay hints on lines whose total is at least this percent of the kind's total.", valueName: "percent"))
    var hintThreshold: Double = 1.0

    @Flag(name: .long, help: "Also publish hot lines as Information diagnostics.")
    var diagnostics = false

    @Option(name: .customLong("max-decompressed"), help: ArgumentHelp("Refuse gzip profiles that decompress to more than this many MiB.", valueName: "MiB"))
    var maxDecompressedMiB: Int = 1024

    @Option(name: .customLong("max-message"), help: ArgumentHelp("Refuse JSON-RPC messages longer than this many MiB.", valueName: "MiB"))
    var maxMessageMiB: Int = JSONRPCConnection.defaultMaxContentLength >> 20

    func validate() throws {
        for mapping in mappings where PathMapping(argument: mapping) == nil {
            throw ValidationError("--map takes FROM=TO, got '\(mapping)'")
        }
        guard hintThreshold >= 0, hintThreshold <= 100 else { throw ValidationError("--hint-threshold is a percentage") }
        guard maxDecompressedMiB > 0, maxDecompressedMiB <= 1 << 20 else { throw ValidationError("--max-decompressed must be between 1 and 1048576") }
        guard maxMessageMiB > 0, maxMessageMiB <= 4096 else { throw ValidationError("--max-message must be between 1 and 4096") }
    }

    func run() throws {
        var config = ServerConfiguration()
        let cwd = FilePath.currentDirectory()
        config.profiles = profiles.map { FilePath.join(cwd, $0) }
        config.pathMappings = mappings.compactMap(PathMapping.init(argument:))
        config.kind = kind
        config.hintThreshold = hintThreshold
        config.diagnostics = diagnostics
        config.maxDecompressedMiB = maxDecompressedMiB

        // stdout belongs to the protocol: keep a private copy of it for the connection and
        // point file descriptor 1 at stderr, so that a stray print cannot corrupt the stream.
        let protocolOutput = dup(1)
        guard protocolOutput >= 0 else { throw CLIError("cannot duplicate stdout") }
        dup2(2, 1)
        // A client that goes away must not kill us with SIGPIPE in the middle of a write.
        signal(SIGPIPE, SIG_IGN)

        let server = ProfileLensServer(configuration: config)
        let connection = JSONRPCConnection(server: server, input: 0, output: protocolOutput,
                                           maxContentLength: maxMessageMiB << 20)
        server.onExit = { code in
            connection.flush()
            // _exit: no atexit handlers or static destructors racing the other threads.
            _exit(code)
        }
        connection.start()
        dispatchMain()
    }
}
