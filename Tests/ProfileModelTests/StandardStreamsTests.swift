import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import ProfileModel

/// Writing logs must never crash the daemon, whatever the editor did with our streams.
@Suite struct StandardStreamsTests {
    @Test func writingToAClosedPipeDoesNotTrap() {
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        StandardStreams.write("nobody reads this\n", to: ends[1])
        StandardStreams.write("nor this\n", to: ends[1])
        close(ends[1])
        StandardStreams.write("a closed descriptor\n", to: ends[1])
    }
}
