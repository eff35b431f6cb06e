import Foundation
@_spi(Fuzzing) import JSONRPC
import LanguageServer
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer target for the JSON-RPC stream: raw bytes through the framing, the envelope
// decoding and the server's dispatch, synchronously, with replies written to /dev/null.

private let devNull = open("/dev/null", O_WRONLY)

/// Fuzzing runs without profile discovery: an `initialize` naming `/` as its root must not walk
/// the disk on every input. Replaying regressions turns it on (FUZZ_JSONRPC_DISCOVER=1), and
/// then each input waits for the loads it started, so a crash is charged to its own input.
private let discover = ProcessInfo.processInfo.environment["FUZZ_JSONRPC_DISCOVER"] != nil

private let configuration: ServerConfiguration = {
    var c = ServerConfiguration()
    c.discover = discover
    return c
}()

private let exitMessage: [UInt8] = Array("Content-Length: 33\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRPC(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let server = ProfileLensServer(configuration: configuration)
    server.useInotify = false
    // Inputs may name any URL or Pyroscope server: never fetch them.
    server.fetchesLiveSources = false
    server.debounceInterval = 0
    server.progressDelay = 1000
    server.onExit = { _ in }
    let connection = JSONRPCConnection(input: -1, output: devNull, maxContentLength: 1 << 20)
    server.client = connection
    connection.processSynchronously(UnsafeRawBufferPointer(start: data, count: size), handler: server)
    server.queue.sync {}
    if discover { server.loads.waitUntilIdle() }
    // Ends the server's watchers, whatever the input did.
    exitMessage.withUnsafeBytes { connection.processSynchronously($0, handler: server) }
    server.queue.sync {}
    connection.flush()
    return 0
}
