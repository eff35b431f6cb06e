import Testing
@testable import ProfileModel

/// A cumulative count's series adds what each interval added: point i minus point i - 1, or
/// all of point i after a restart. The weights must give exactly that sum for every pattern of
/// restarts, including a restart at the second point and at the last.
@Suite struct SeriesWeightTests {
    @Test func weightsSumTheIntervals() {
        for count in 1 ... 5 {
            for pattern in 0 ..< (1 << count) {
                let restarts = (0 ..< count).map { $0 > 0 && pattern & (1 << $0) != 0 }
                let values: [Int64] = (0 ..< count).map { i in Int64(100 * (i + 1) + i * i) }
                var weighted: Int64 = 0
                for i in values.indices {
                    weighted += values[i] * SeriesSemantics.cumulative.weight(ofPoint: i, count: count, restarts: restarts)
                }
                var intervals: Int64 = count == 1 ? values[0] : 0
                for i in 1 ..< max(count, 1) {
                    intervals += restarts[i] ? values[i] : values[i] - values[i - 1]
                }
                #expect(weighted == intervals, "restarts \(restarts)")
            }
        }
        // A gauge is its latest point, a window every point, whatever restarted.
        #expect((0 ..< 3).map { SeriesSemantics.gauge.weight(ofPoint: $0, count: 3, restarts: [false, true, false]) } == [0, 0, 1])
        #expect((0 ..< 3).map { SeriesSemantics.window.weight(ofPoint: $0, count: 3, restarts: [false, true, false]) } == [1, 1, 1])
    }
}
