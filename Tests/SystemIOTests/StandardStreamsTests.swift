import Testing
import SystemIO

/// Writing logs must never crash the daemon, whatever the editor did with our streams.
@Suite struct StandardStreamsTests {
    @Test func whatIsWrittenArrivesWhole() throws {
        let pipe = try #require(FileDescriptorIO.makePipe())
        let text = String(repeating: "profilelens ", count: 1000) + "✓\n"
        StandardStreams.write(text, to: pipe.write)
        FileDescriptorIO.close(pipe.write)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { FileDescriptorIO.read(pipe.read, into: $0) }
            if n <= 0 { break }
            received += chunk[0 ..< n]
        }
        FileDescriptorIO.close(pipe.read)
        #expect(String(decoding: received, as: UTF8.self) == text)
    }

    @Test func writingToAClosedPipeFailsWithoutTrapping() throws {
        Processes.ignoreBrokenPipes()
        let pipe = try #require(FileDescriptorIO.makePipe())
        FileDescriptorIO.close(pipe.read)
        // The reader is gone: the write fails (EPIPE), and the process goes on.
        #expect(FileDescriptorIO.writeAll(pipe.write, Array("nobody reads this\n".utf8)) == false)
        StandardStreams.write("nor this\n", to: pipe.write)
        FileDescriptorIO.close(pipe.write)
        #expect(FileDescriptorIO.writeAll(pipe.write, Array("a closed descriptor\n".utf8)) == false)
    }

    @Test func fileStatusReadsWhatStatSays() throws {
        let pipe = try #require(FileDescriptorIO.makePipe())
        defer { FileDescriptorIO.close(pipe.read); FileDescriptorIO.close(pipe.write) }
        #expect(FileStatus(path: "/")?.isDirectory == true)
        #expect(FileStatus(path: "/definitely/not/here") == nil)
        #expect(FileStatus(descriptor: pipe.read)?.kind == .other)
    }
}
