import Testing

@testable import CDSConsole

/// Numbers, shares and times as the console writes them for Vietnamese readers.
@Suite struct VietnameseFormatTests {
    @Test func numbersGroupThousandsWithDots() {
        #expect(VietnameseFormat.number(15301) == "15.301")
        #expect(VietnameseFormat.number(-1_234_567) == "-1.234.567")
        #expect(VietnameseFormat.number(999) == "999")
    }

    @Test func sharesTakeADecimalComma() {
        #expect(VietnameseFormat.percent(7, of: 8) == "87,5%")
        #expect(VietnameseFormat.percent(1, of: 2) == "50%")
        #expect(VietnameseFormat.percent(1, of: 0) == "–")
    }

    /// With or without fractions of a second, a time is shown on Vietnam's clock (UTC+7); what is not a time is shown
    /// as it is.
    @Test(arguments: [
        ("2023-09-30T07:05:00Z", "30/09/2023 14:05"),
        ("2023-09-30T07:05:00.123456Z", "30/09/2023 14:05"),
        ("2023-09-30T20:00:00+00:00", "01/10/2023 03:00"),
        ("not a time", "not a time"),
    ])
    func timesAreShownOnVietnamsClock(_ text: String, _ shown: String) {
        #expect(VietnameseFormat.time(text) == shown)
    }

    @Test func datesTurnBothWays() {
        #expect(VietnameseFormat.date("2023-09-30") == "30/09/2023")
        #expect(VietnameseFormat.isoDate("30/9/2023") == "2023-09-30")
        #expect(VietnameseFormat.isoDate(" 2023-09-30 ") == "2023-09-30")
        #expect(VietnameseFormat.isoDate("  ") == nil)
    }
}
