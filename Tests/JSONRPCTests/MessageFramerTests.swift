import Testing
@testable import JSONRPC

/// The framing of the JSON-RPC stream, fed byte sequences directly.
@Suite struct MessageFramerTests {
    func events(_ chunks: [String], max: Int = 1000) -> [MessageFramer.Event] {
        var framer = MessageFramer(maxContentLength: max)
        var events: [MessageFramer.Event] = []
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { framer.append($0) }
            while let event = framer.next() { events.append(event) }
        }
        return events
    }

    func message(_ text: String) -> MessageFramer.Event { .message(Array(text.utf8)) }

    /// The text of an error event; nil for a message.
    func errorText(_ event: MessageFramer.Event?) -> String? {
        if case .error(let text) = event { return text }
        return nil
    }

    @Test func wholeAndSplitMessages() {
        let framed = "Content-Length: 2\r\n\r\n{}"
        #expect(events([framed]) == [message("{}")])
        #expect(events(framed.map { String($0) }) == [message("{}")])
        #expect(events([framed + framed + framed]) == [message("{}"), message("{}"), message("{}")])
    }

    @Test func otherHeadersAreIgnored() {
        #expect(events(["X-Unknown: yes\r\nContent-Length: 2\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"]) == [message("{}")])
        let split = "X-Unknown: yes\r\nContent-Length: 2\r\ncontent-type: a; b=c\r\n\r\n{}"
        #expect(events(split.map { String($0) }) == [message("{}")])
    }

    @Test func badHeadersResynchronise() {
        for bad in ["Content-Length: -5\r\n\r\n", "Content-Length: 0x10\r\n\r\n", "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
                    "Content-Type: x\r\n\r\n{}", "Content-Length: 99999999999999\r\n\r\n", "no colon here\r\n\r\n"] {
            let result = events([bad, "Content-Length: 2\r\n\r\n{}"])
            #expect(result.count == 2, "\(bad.debugDescription)")
            #expect(errorText(result.first) != nil, "no error for \(bad.debugDescription)")
            #expect(result.last == message("{}"), "\(bad.debugDescription)")
        }
    }

    @Test func zeroLengthAndDuplicateEqualHeaders() {
        #expect(events(["Content-Length: 0\r\n\r\n"]) == [message("")])
        #expect(events(["Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"]) == [message("{}")])
    }

    @Test func oversizedBodiesAreRefusedUpFront() {
        let result = events(["Content-Length: 5000\r\n\r\n"], max: 1000)
        #expect(result.count == 1)
        #expect(errorText(result.first)?.contains("over the limit") == true)
    }

    @Test func aBodyCutShortWaitsForTheRest() {
        #expect(events(["Content-Length: 10\r\n\r\n{}"]).isEmpty)
        #expect(events(["Content-Length: 10\r\n\r\n{}", "[1,2,3]", "]"]) == [message("{}[1,2,3]]")])
    }

    @Test func endlessHeadersAreDropped() {
        let result = events([String(repeating: "x", count: 20000), "Content-Length: 2\r\n\r\n{}"])
        #expect(result.count == 2)
        #expect(errorText(result.first)?.contains("has no end") == true)
        #expect(result.last == message("{}"))
    }
}
