import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import PprofFormat

/// An HTTP answer read whole: the status, the headers, and a body no larger than the caller's cap.
struct HTTPReply: Sendable {
    let status: Int
    let reason: String
    let headers: HTTPHeaders
    let body: [UInt8]

    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The body with any `Content-Encoding: gzip` undone, within `limit` bytes.
    func decodedBody(limit: Int) throws(DecodeError) -> [UInt8] {
        let encoding = (header("content-encoding") ?? "").lowercased()
        guard encoding.contains("gzip"), Gzip.isCompressed(body) else { return body }
        return try Gzip.inflate(body, limit: limit)
    }

    /// A short text of a text body for messages: one line, at most 300 characters.
    var bodyText: String {
        let text = String(decoding: body.prefix(2048), as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        let clean = String(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return clean.count > 300 ? String(clean.prefix(300)) + "…" : clean
    }

    var statusText: String { reason.isEmpty ? "\(status)" : "\(status) \(reason)" }
}

/// The HTTP client live sources use: AsyncHTTPClient on SwiftNIO's event loops. Waiting for a
/// slow server costs no CPU (epoll), a request has a real total deadline (headers and body),
/// and HTTPS verifies servers against the system's certificates.
///
/// Two clients share the event loops: endpoints follow redirects as `go tool pprof` does;
/// Pyroscope calls, which carry credentials, never follow one to another host.
enum HTTPTransport {
    static let following = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration(redirects: true))
    static let direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration(redirects: false))

    static let userAgent = "profilelens/0.1.0"

    private static func configuration(redirects: Bool) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: nil,
            redirectConfiguration: redirects ? .follow(max: 5, allowCycles: false) : .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)),
            connectionPool: HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(90)),
            decompression: .disabled)
        // A refused connection fails its request at once; the caller decides when to try again
        // (the pool would otherwise keep retrying until the request's deadline).
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return configuration
    }

    /// Sends `request` and reads the whole answer within `timeout` seconds (connecting, waiting,
    /// and the body alike), refusing bodies over `maxBytes`. Every failure is an error naming
    /// `url` and saying what happened in words (refused, timed out, cut short, too large).
    ///
    /// The deadline is kept by a timer of its own, not by waiting for the request to notice its
    /// cancellation: a stalled server never holds the caller past it.
    static func send(_ request: HTTPClientRequest, client: HTTPClient, url: String, timeout: Double,
                     maxBytes: Int) async throws(ProfileLoadError) -> HTTPReply {
        let milliseconds = Int64(max(timeout, 0.001) * 1000)
        let progress = BodyProgress()
        let race = Race<HTTPReply>()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPReply, Error>, Never>) in
                race.start(continuation)
                let work = Task(executorPreference: LiveExecutor.shared) {
                    let deadline = NIODeadline.now() + .milliseconds(milliseconds)
                    do {
                        race.finish(.success(try await receive(request, client: client, deadline: deadline,
                                                               maxBytes: maxBytes, progress: progress)))
                    } catch where progress.received == 0 && isStaleConnection(error) {
                        // A kept-alive connection the server closed meanwhile (it restarted, or
                        // died and a new one listens): these requests are idempotent GETs and
                        // POSTs of queries, so one more try, on a new connection, says what is
                        // true now (answered, or refused).
                        do {
                            race.finish(.success(try await receive(request, client: client, deadline: deadline,
                                                                   maxBytes: maxBytes, progress: progress)))
                        } catch let retry {
                            // Both are told: a service killed while it answered is first a
                            // closed connection, and only then a refused one.
                            race.finish(.failure(Retried(first: error, retry: retry)))
                        }
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = Timer(after: milliseconds) { race.finish(.failure(TimedOut())) }
                race.onFinish { work.cancel(); timer.cancel() }
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
        switch result {
        case .success(let reply): return reply
        case .failure(let error): throw ProfileLoadError(file: url, message: describe(error, timeout: timeout, received: progress.received))
        }
    }

    private static func receive(_ request: HTTPClientRequest, client: HTTPClient, deadline: NIODeadline, maxBytes: Int,
                                progress: BodyProgress) async throws -> HTTPReply {
        let response = try await client.execute(request, deadline: deadline)
        let declared = response.headers.first(name: "content-length").flatMap { Int($0) }
        if let declared, declared > maxBytes { throw TooLarge(limit: maxBytes) }
        var body: [UInt8] = []
        body.reserveCapacity(min(declared ?? 0, maxBytes))
        for try await chunk in response.body {
            guard body.count + chunk.readableBytes <= maxBytes else { throw TooLarge(limit: maxBytes) }
            body.append(contentsOf: chunk.readableBytesView)
            progress.received = body.count
        }
        // A body that ends before its declared length never counts as complete (the client
        // decompresses nothing, so the length is the body's as sent).
        if let declared, body.count != declared {
            throw CutShort(received: body.count, expected: declared)
        }
        return HTTPReply(status: Int(response.status.code), reason: response.status.reasonPhrase, headers: response.headers, body: body)
    }

    /// The first of the answer, the timer and the caller's cancellation wins; the others are
    /// ignored (and the request cancelled). Nothing is kept once the winner is handed over.
    final class Race<Value: Sendable>: @unchecked Sendable {
        private enum State {
            case running(CheckedContinuation<Result<Value, Error>, Never>?)
            case early(Result<Value, Error>)
            case done
        }

        private let lock = NSLock()
        private var state = State.running(nil)
        private var cleanup: (@Sendable () -> Void)?

        func start(_ continuation: CheckedContinuation<Result<Value, Error>, Never>) {
            let early = lock.withLock { () -> Result<Value, Error>? in
                if case .early(let result) = state {
                    state = .done
                    return result
                }
                state = .running(continuation)
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }

        func onFinish(_ body: @escaping @Sendable () -> Void) {
            let finished = lock.withLock { () -> Bool in
                if case .running = state {
                    cleanup = body
                    return false
                }
                return true
            }
            if finished { body() }
        }

        func finish(_ value: Result<Value, Error>) {
            let (continuation, cleanup) = lock.withLock { () -> (CheckedContinuation<Result<Value, Error>, Never>?, (@Sendable () -> Void)?) in
                guard case .running(let continuation) = state else { return (nil, nil) }
                state = continuation == nil ? .early(value) : .done
                defer { self.cleanup = nil }
                return (continuation, self.cleanup)
            }
            continuation?.resume(returning: value)
            cleanup?()
        }
    }

    /// A timer that can be cancelled from any thread.
    final class Timer: @unchecked Sendable {
        private let item: DispatchWorkItem

        init(after milliseconds: Int64, _ body: @escaping @Sendable () -> Void) {
            item = DispatchWorkItem(block: body)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(milliseconds)), execute: item)
        }

        func cancel() { item.cancel() }
    }

    struct TimedOut: Error {}
    /// A request that failed on a closed connection, and again on a new one.
    struct Retried: Error {
        let first: Error
        let retry: Error
    }
    struct TooLarge: Error { let limit: Int }
    struct CutShort: Error {
        let received: Int
        let expected: Int
    }

    /// How many body bytes had arrived, for messages about answers cut short.
    final class BodyProgress: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        var received: Int {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    /// Whether a request failed because its pooled connection was closed before any answer.
    static func isStaleConnection(_ error: Error) -> Bool {
        switch error {
        case let error as HTTPClientError: return error == .remoteConnectionClosed
        case let error as ChannelError:
            switch error {
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed: return true
            default: return false
            }
        default: return false
        }
    }

    /// What went wrong, in words. Connection errors say "connection refused" and the like; an
    /// answer that stops early says so, with how much had arrived.
    static func describe(_ error: Error, timeout: Double, received: Int) -> String {
        let seconds = timeout == timeout.rounded() ? "\(Int(timeout)) s" : String(format: "%.1f s", timeout)
        switch error {
        case let error as Retried:
            let first = describe(error.first, timeout: timeout, received: received)
            let retry = describe(error.retry, timeout: timeout, received: received)
            return first == retry ? first : first + "; tried again on a new connection: " + retry
        case is TimedOut:
            return "no complete answer within \(seconds) (timed out)"
        case let error as TooLarge:
            let limit = error.limit >= 1 << 20 ? "\(error.limit >> 20) MiB" : "\(error.limit) bytes"
            return "the answer is larger than the limit of \(limit) (maxDecompressedMiB); refusing it"
        case let error as CutShort:
            return "the answer was cut short: \(error.received) of \(error.expected) bytes arrived before the connection closed"
        case is CancellationError:
            return "cancelled"
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout: return "no complete answer within \(seconds) (timed out)"
            case .connectTimeout: return "could not connect: connection timed out"
            case .remoteConnectionClosed:
                return received > 0 ? "the answer was cut short after \(received) bytes: the server closed the connection"
                    : "the server closed the connection without answering"
            case .cancelled: return "cancelled"
            case .redirectLimitReached, .redirectCycleDetected: return "too many redirects"
            case .invalidURL, .emptyHost, .emptyScheme: return "invalid URL"
            case .tlsHandshakeTimeout: return "TLS handshake timed out"
            default: return "HTTP error: \(error)"
            }
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "could not connect: cannot resolve host \(error.host)"
            }
            let reasons = error.connectionErrors.map { describe($0.error, timeout: timeout, received: 0) }
            return "could not connect: " + (Array(Set(reasons)).sorted().first ?? "connection failed")
        case let error as IOError:
            let text = connectionText(errno: error.errnoCode) ?? "\(error)"
            return [ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode) ? "could not connect: " + text : text
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return "could not connect: connection timed out"
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return received > 0 ? "the answer was cut short after \(received) bytes: the connection closed"
                    : "the connection closed before an answer arrived"
            default: return "connection error: \(error)"
            }
        case let error as HTTPParserError:
            switch error {
            case .invalidEOFState:
                return "the answer was cut short after \(received) bytes: the connection closed before its end"
            default: return "malformed HTTP answer: \(error)"
            }
        default:
            let text = String(describing: error)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "TLS: the server's certificate could not be verified against the system's certificates (CERTIFICATE_VERIFY_FAILED)"
            }
            if text.contains("SSL") || text.contains("TLS") || text.contains("certificate") { return "TLS error: \(text)" }
            return text
        }
    }

    static func connectionText(errno code: Int32) -> String? {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset by the server"
        case ETIMEDOUT: return "connection timed out"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case EPIPE: return "the connection closed (broken pipe)"
        default: return String(cString: strerror(code))
        }
    }
}
