import Foundation
import Testing
import TestSupport
import PprofFormat
import ProfileModel
@testable import ProfileQuery

/// Series of profiles over time (issue #12): the leak finder's test on synthetic series, and the
/// series semantics on liveshop's twelve heap snapshots against the oracle's numbers.
@Suite struct TimelineTests {
    let minute: Int64 = 60_000_000_000
    var times: [Int64] { (0 ..< 12).map { Int64($0) * minute } }

    @Test func aLeakGrows() {
        #expect(Trend(times: times, values: (0 ..< 12).map { Int64(1000 + 300 * $0) }).isGrowing)
        // With noise on top, it still does.
        let noisy: [Int64] = [1000, 1500, 1300, 1900, 1800, 2400, 2300, 2900, 2700, 3300, 3400, 3800]
        #expect(Trend(times: times, values: noisy).isGrowing)
    }

    @Test func aRingThatFilledOnceDoesNot() {
        let ring: [Int64] = [0, 16_800_000] + Array(repeating: 16_800_000, count: 10)
        #expect(!Trend(times: times, values: ring).isGrowing)
        let slowFill: [Int64] = [0, 4, 8, 12, 16, 16, 16, 16, 16, 16, 16, 16]
        #expect(!Trend(times: times, values: slowFill).isGrowing)
    }

    @Test func aBurstThatIsDroppedDoesNot() {
        let burst: [Int64] = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 0, 0]
        #expect(!Trend(times: times, values: burst).isGrowing)
        let sawtooth: [Int64] = [0, 300, 600, 0, 300, 600, 0, 300, 600, 0, 300, 600]
        #expect(!Trend(times: times, values: sawtooth).isGrowing)
    }

    @Test func noiseDoesNot() {
        var generator = SystemRandomNumberGenerator()
        var flagged = 0
        for _ in 0 ..< 200 {
            let noise = (0 ..< 12).map { _ in Int64.random(in: 1000 ... 2000, using: &generator) }
            if Trend(times: times, values: noise).isGrowing { flagged += 1 }
        }
        // A 1% one-sided test, with the other conditions on top: hardly ever.
        #expect(flagged <= 6)
    }

    @Test func theSlopeIsRobust() {
        let trend = Trend(times: times, values: (0 ..< 12).map { $0 == 5 ? 1_000_000 : Int64(60 * $0) })
        // 60 per minute is 3600 per hour, whatever the outlier.
        #expect(abs(trend.perHour - 3600) < 1)
    }

    @Test func sparklines() {
        #expect(Sparkline.of([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.of([5, 5, 5]) == "▁▁▁")
        #expect(Sparkline.of([]) == "")
    }

    // MARK: liveshop's heap snapshots

    func heaps() throws -> [LoadedProfile] {
        let folder = Fixtures.path("corpus/liveshop/profiles/heaps/")
        return try (0 ..< 12).map { try ProfileFile.load(folder + String(format: "heap-%02d.pb.gz", $0)) }
    }

    func oracle(_ n: Int, type: Int) throws -> [String: [Int64]] {
        try ExpectedCosts(Fixtures.path(String(format: "corpus/expected/liveshop__profiles__heaps__heap-%02d.json", n))).lineValues(type: type)
    }

    let leakLine = "/home/ci/work/liveshop/cache/cache.go:40"

    @Test func theLeakIsFoundWithItsInUseValues() throws {
        let set = ProfileSet.build(try heaps(), keepSeries: true)
        #expect(set.groups.count == 1)
        let series = try #require(set.groups[0].series)
        #expect(series.points.count == 12 && series.times == series.times.sorted())
        let report = try #require(CostQuery(MappedProfiles(profileSet: set, resolutions: [:], mapper: nil)).growth(kind: .inuse))
        let first = try #require(report.lines.first)
        #expect("\(first.file ?? ""):\(first.line ?? 0)" == leakLine)
        let inuse = 3  // alloc_objects, alloc_space, inuse_objects, inuse_space
        #expect(first.values == (try (0 ..< 12).map { try oracle($0, type: inuse)[leakLine]?[0] ?? 0 }))
        #expect(!report.lines.contains { $0.line == 20 || $0.line == 29 })  // the steady ring, the burst
    }

    @Test func gaugesShowTheLatestAndCountersTheGrowth() throws {
        let set = ProfileSet.build(try heaps())
        let index = set.groups[0].index
        let file = try #require(index.fileKey("/home/ci/work/liveshop/cache/cache.go"))
        let line = try #require(index.lineKey(file: file, line: 40))
        let last = try oracle(11, type: 3)[leakLine]!, first = try oracle(0, type: 1)[leakLine]!, lastAlloc = try oracle(11, type: 1)[leakLine]!
        #expect(index.cum(line: line, type: 3) == last[1])
        #expect(index.cum(line: line, type: 1) == lastAlloc[1] - first[1])
        #expect(index.percentTotal(type: 3) < index.absoluteTotals[3] + 1)
    }

    @Test func theWindowOfThePeak() throws {
        let set = ProfileSet.build(try heaps(), keepSeries: true)
        let series = try #require(set.groups[0].series)
        let peak = series.peak(type: 3)
        #expect(peak == series.points.indices.max { series.points[$0].absoluteTotals[3] < series.points[$1].absoluteTotals[3] })
        let windowed = set.window(.peak, kind: .inuse)
        #expect(windowed.groups[0].index.absoluteTotals == series.points[peak].absoluteTotals)
        #expect(set.window(.point(99), kind: .inuse).groups[0].index.absoluteTotals == series.points[11].absoluteTotals)
    }

    /// Allocations are counted since the process started: a trend reads what each interval
    /// added, one value fewer than the profiles, each at its interval's end.
    @Test func allocationTrendsAreIntervals() throws {
        let set = ProfileSet.build(try heaps(), keepSeries: true)
        let series = try #require(set.groups[0].series)
        let report = try #require(CostQuery(MappedProfiles(profileSet: set, resolutions: [:], mapper: nil)).growth(kind: .alloc))
        #expect(report.profiles == 12 && report.times.count == 11)
        #expect(report.times == series.times.dropFirst().map { $0 / 1_000_000 })
        let allocSpace = 1
        let flats = try (0 ..< 12).map { try oracle($0, type: allocSpace)[leakLine]?[0] ?? 0 }
        let query = CostQuery(MappedProfiles(profileSet: set, resolutions: [:], mapper: nil))
        let values = try #require(query.lineSeries(file: "/home/ci/work/liveshop/cache/cache.go", line: 40, kind: .alloc))
        #expect(values.selfValues == (1 ..< 12).map { flats[$0] - flats[$0 - 1] })
        // The leak allocates at a steady rate: a flat line of intervals, not a growing one.
        #expect(!values.trend.isGrowing && !report.lines.contains { "\($0.file ?? ""):\($0.line ?? 0)" == leakLine })
        #expect(report.lines.allSatisfy { $0.values.count == 11 })
        #expect(report.text().hasPrefix("alloc_space over 12 profiles, "))
    }

    /// A service restarted between two snapshots counts again from zero: the series adds what
    /// each run allocated, never a negative growth. The first run here is heap-06 to heap-11,
    /// the second heap-00 to heap-05, taken after it.
    @Test func aRestartStartsTheCountAgain() throws {
        var loaded = try heaps()
        let minute: Int64 = 60_000_000_000
        let end = loaded[11].profile.timeNanos
        for i in 0 ..< 6 { loaded[i].profile.stamp(timeNanos: end + Int64(i + 1) * minute, durationNanos: 0) }
        let set = ProfileSet.build(loaded, keepSeries: true)
        let series = try #require(set.groups[0].series)
        #expect(series.restarts == (0 ..< 12).map { $0 == 6 })
        let allocSpace = 1
        let cums = try (0 ..< 12).map { try oracle($0, type: allocSpace)[leakLine]?[1] ?? 0 }
        let index = set.groups[0].index
        let line = try #require(index.fileKey("/home/ci/work/liveshop/cache/cache.go").flatMap { index.lineKey(file: $0, line: 40) })
        #expect(index.cum(line: line, type: allocSpace) == (cums[11] - cums[6]) + cums[5])
        let query = CostQuery(MappedProfiles(profileSet: set, resolutions: [:], mapper: nil))
        let values = try #require(query.lineSeries(file: "/home/ci/work/liveshop/cache/cache.go", line: 40, kind: .alloc))
        #expect(values.growth == (cums[11] - cums[6]) + cums[5])
        let flats = try (0 ..< 12).map { try oracle($0, type: allocSpace)[leakLine]?[0] ?? 0 }
        // The hover's trend is the sum over both runs, as the lens's growth is.
        #expect(CostText.trend(values).hasPrefix("Alloc ") && CostText.trend(values).contains(" +4.79MB over "), "\(CostText.trend(values))")
        let runs = [6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5]
        #expect(values.selfValues == (1 ..< 12).map { p in runs[p] == 0 ? flats[0] : flats[runs[p]] - flats[runs[p - 1]] })
    }

    /// The hottest line of a series is taken as the series' numbers are: in-use memory from
    /// the latest snapshot, allocations (counted since the process started) as last - first.
    @Test func theHottestLineOfASeriesCombinesItsSnapshotsAsTheIndexDoes() throws {
        let loaded = try heaps()
        let query = CostQuery(MappedProfiles.build(loaded, mapper: nil))
        let inLiveshop: (String) -> Bool = { $0.hasPrefix("/home/ci/work/liveshop/") }
        func best(_ profiles: [LoadedProfile], weights: [Int64], type: String) -> ScopedSelf.Line? {
            ScopedSelf.lines(profiles.map(\.profile), weights: weights, sampleType: ValueType(type: type, unit: "bytes"),
                             fileName: { $0 }, inScope: inLiveshop)
                .max { ($0.value.magnitude, $1.file, $1.line) < ($1.value.magnitude, $0.file, $0.line) }
        }
        let inuse = try #require(query.hottestScopedLine(kind: .inuse, include: inLiveshop))
        #expect(inuse == best([loaded[11]], weights: [1], type: "inuse_space"))
        let alloc = try #require(query.hottestScopedLine(kind: .alloc, include: inLiveshop))
        #expect(alloc == best([loaded[0], loaded[11]], weights: [-1, 1], type: "alloc_space"))
        #expect(alloc.value != best([loaded[11]], weights: [1], type: "alloc_space")?.value, "not the latest snapshot's own count")
    }
}
