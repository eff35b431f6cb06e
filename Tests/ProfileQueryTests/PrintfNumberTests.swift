import Testing
@testable import ProfileQuery

/// `PrintfNumber` writes what C's printf writes for the conversions ProfileLens uses, and a
/// number too long for its stack buffer in full.
@Suite struct PrintfNumberTests {
    @Test(arguments: [(String, Double, String)](arrayLiteral:
        ("%.2f", 5.915, "5.92"),
        ("%.2f", -0.001, "-0.00"),
        ("%.1f%%", 89.66, "89.7%"),
        ("%.0f%%", 12.5, "12%"),
        ("%5.2f%%", 3.14159, " 3.14%"),
        ("%5.2g%%", 0.0934, "0.093%"),
        ("%5.2g%%", 0.5, "  0.5%"),
        ("%.2fpp", -1.005, "-1.00pp")))
    func matchesPrintf(format: String, value: Double, expected: String) {
        #expect(PrintfNumber.string(format, value) == expected)
    }

    @Test func writesAHugeNumberInFull() {
        let text = PrintfNumber.string("%.2f", 1e300)
        #expect(text.count == 304)
        // The exact decimal expansion of the double nearest 1e300, as glibc and Python print it.
        #expect(text == "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.00")
    }
}
