import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request as a test server saw it.
public struct TestHTTPRequest: Sendable {
    public let method: String
    public let uri: String
    /// Header names lower-cased; the last value of a repeated header.
    public let headers: [String: String]
    public let body: [UInt8]

    public var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
}

/// What a test server does with a request: answer, answer late, or answer half and hang up.
public enum TestHTTPResponse: Sendable {
    case reply(status: Int, headers: [(String, String)], body: [UInt8])
    /// Waits, then sends `then`.
    indirect case stall(seconds: Double, then: TestHTTPResponse)
    /// Declares the whole body's length, sends half of it, and closes the connection.
    case truncate(status: Int, headers: [(String, String)], body: [UInt8])

    public static func text(_ status: Int, _ text: String, headers: [(String, String)] = []) -> TestHTTPResponse {
        .reply(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers, body: Array(text.utf8))
    }
}

/// An HTTP/1.1 server on 127.0.0.1 for tests, on SwiftNIO: keep-alive, any port (0 picks a
/// free one), stopped and started again on the same port to play a server that goes away.
/// `respond` runs on the server's event loop and must not block (use `.stall` to wait).
public final class TestHTTPServer: @unchecked Sendable {
    public private(set) var port: Int
    private let respond: @Sendable (TestHTTPRequest) -> TestHTTPResponse
    private let lock = NSLock()
    private var channel: Channel?
    private var connections: [ObjectIdentifier: Channel] = [:]
    private var sentCallback: (@Sendable () -> Void)?

    /// Called after each answer has been written whole.
    public var onSent: (@Sendable () -> Void)? {
        get { lock.withLock { sentCallback } }
        set { lock.withLock { sentCallback = newValue } }
    }

    public init(port: Int = 0, respond: @escaping @Sendable (TestHTTPRequest) -> TestHTTPResponse) throws {
        self.port = port
        self.respond = respond
        try start()
    }

    deinit { stop() }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// Listens (again) on the server's port.
    public func start() throws {
        let respond = self.respond
        let sent: @Sendable () -> Void = { [weak self] in self?.onSent?() }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [weak self] channel in
                self?.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(TestHTTPHandler(respond: respond, sent: sent))
                }
            }
        let channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
        lock.withLock {
            self.channel = channel
            port = channel.localAddress?.port ?? port
        }
    }

    /// Stops listening and drops every open connection, as a server that dies does.
    public func stop() {
        let (listener, open) = lock.withLock { () -> (Channel?, [Channel]) in
            defer { channel = nil; connections = [:] }
            return (channel, Array(connections.values))
        }
        for channel in [listener].compactMap({ $0 }) + open { Self.closeSafely(channel) }
    }

    /// Closes `channel`, waiting for it unless this is an event loop thread, which must not
    /// wait: the last reference to a server can go in a handler (a stalled reply sent after
    /// the test ended), and then `deinit` runs there.
    private static func closeSafely(_ channel: Channel) {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil {
            channel.close(promise: nil)
        } else {
            try? channel.close().wait()
        }
    }

    private func track(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        lock.withLock { connections[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.lock.withLock { _ = self?.connections.removeValue(forKey: id) }
        }
    }

    /// A free port on 127.0.0.1 (bound and released at once).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

private final class TestHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let respond: @Sendable (TestHTTPRequest) -> TestHTTPResponse
    let sent: @Sendable () -> Void
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(respond: @escaping @Sendable (TestHTTPRequest) -> TestHTTPResponse, sent: @escaping @Sendable () -> Void) {
        self.respond = respond
        self.sent = sent
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = TestHTTPRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: body)
            send(respond(request), context: context)
        }
    }

    private func send(_ response: TestHTTPResponse, context: ChannelHandlerContext) {
        switch response {
        case .stall(let seconds, let then):
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
                self.send(then, context: context)
            }
        case .reply(let status, let headers, let body):
            write(status: status, headers: headers, body: body, context: context)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            sent()
        case .truncate(let status, let headers, let body):
            write(status: status, headers: headers, body: Array(body.prefix(body.count / 2)), declaredLength: body.count, context: context)
            context.flush()
            context.close(promise: nil)
        }
    }

    private func write(status: Int, headers: [(String, String)], body: [UInt8], declaredLength: Int? = nil, context: ChannelHandlerContext) {
        var fields = HTTPHeaders(headers)
        fields.replaceOrAdd(name: "Content-Length", value: String(declaredLength ?? body.count))
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
    }
}
