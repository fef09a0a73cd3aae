import Foundation

/// A day of the calendar in Vietnam (UTC+7 all year, no daylight saving), as a count of days since 1970-01-01.
public struct LocalDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let number: Int

    static let offset: TimeInterval = 7 * 3600

    public init(number: Int) { self.number = number }

    /// The day in Vietnam that contains `date`.
    public init(containing date: Date) {
        self.number = Int(((date.timeIntervalSince1970 + Self.offset) / 86400).rounded(.down))
    }

    /// A day of the proleptic Gregorian calendar (H. Hinnant's days-from-civil).
    public init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        self.number = era * 146097 + dayOfEra - 719468
    }

    /// `YYYY-MM-DD`, as PostgreSQL's `date` prints it; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.map(\.count) == [4, 2, 2],
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
        guard description == text else { return nil }
    }

    /// The instant the day begins in Vietnam.
    public var start: Date { Date(timeIntervalSince1970: TimeInterval(number) * 86400 - Self.offset) }

    /// Saturday or Sunday (1970-01-01 was a Thursday).
    public var isWeekend: Bool { (number % 7 + 7 + 3) % 7 >= 5 }

    public func advanced(by days: Int) -> LocalDay { LocalDay(number: number + days) }

    public var description: String {
        // H. Hinnant's civil-from-days.
        let z = number + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let yyyy = String(year).count < 4 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return "\(yyyy)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool { lhs.number < rhs.number }
}
