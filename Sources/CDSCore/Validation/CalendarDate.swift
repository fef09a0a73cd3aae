/// A calendar date as people and PostgreSQL's `date` both take it: `YYYY-MM-DD`, a real day, 1900 to 2100.
public enum CalendarDate {
    /// - Returns: `text` when it is such a date.
    /// - Throws: ``ValidationError`` naming `field`.
    public static func validated(_ text: some StringProtocol, field: String) throws(ValidationError) -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let numbers = parts.map { part in part.allSatisfy { $0.isASCII && $0.isNumber } ? Int(part) : nil }
        guard parts.map(\.count) == [4, 2, 2], let year = numbers[0], let month = numbers[1], let day = numbers[2],
            (1900...2100).contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else {
            throw ValidationError(field: field, code: .invalidFormat, message: "must be a date YYYY-MM-DD between 1900 and 2100")
        }
        return String(text)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
