import Testing
@testable import ProfileQuery

/// Values read exactly as `go tool pprof -list` prints them; the expectations are its output
/// on the goshop profiles.
@Suite struct ValueFormatTests {
    @Test(arguments: [(Int64, String, String)](arrayLiteral:
        (230_000_000, "nanoseconds", "230ms"),
        (960_000_000, "nanoseconds", "960ms"),
        (10_731_895_764, "nanoseconds", "10.73s"),
        (232_218_000, "nanoseconds", "232.22ms"),
        (3_544_050, "nanoseconds", "3.54ms"),
        (219_110, "nanoseconds", "219.11us"),
        (1_070_000_000, "nanoseconds", "1.07s"),
        (6_207_856, "bytes", "5.92MB"),
        (1152 * 1024, "bytes", "1.12MB"),
        (792_071, "bytes", "773.51kB"),
        (512, "bytes", "512B"),
        (102_087, "count", "102087"),
        (0, "nanoseconds", "0"),
        (-230_000_000, "nanoseconds", "-230ms"),
        (1500, "microseconds", "1.50ms"),
        (7_200_000_000_000, "nanoseconds", "2hrs")
    ))
    func scaled(value: Int64, unit: String, expected: String) {
        #expect(ValueFormat.scaled(value, unit: unit) == expected)
    }

    @Test func percentages() {
        #expect(ValueFormat.percent(960, of: 1070) == "89.7%")
        #expect(ValueFormat.percent(1, of: 10000) == "<0.1%")
        #expect(ValueFormat.percent(5, of: 5) == "100%")
        #expect(ValueFormat.percent(5, of: 0) == "0%")
        #expect(ValueFormat.pprofPercent(690, of: 1070) == "64.49%")
        #expect(ValueFormat.pprofPercent(1070, of: 1070) == "  100%")
        #expect(ValueFormat.pprofPercent(41, of: 141000) == "0.029%")
    }

    @Test func counts() {
        #expect(ValueFormat.count(12004) == "12,004")
        #expect(ValueFormat.count(999) == "999")
        #expect(ValueFormat.count(-1_234_567) == "-1,234,567")
    }
}
