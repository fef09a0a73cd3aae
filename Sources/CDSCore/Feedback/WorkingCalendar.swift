import Foundation

/// Working days in Vietnam: Monday to Friday, except the configured public holidays.
public struct WorkingCalendar: Sendable {
    public let holidays: Set<LocalDay>

    public init(holidays: Set<LocalDay>) {
        self.holidays = holidays
    }

    public func isWorkingDay(_ day: LocalDay) -> Bool {
        !day.isWeekend && !holidays.contains(day)
    }

    /// When a report submitted at `submitted` is due with `workingDays` to answer it: the end of the
    /// `workingDays`-th working day after the day it was submitted (a report sent on a Friday evening with three
    /// days is due at the end of Wednesday; one sent on a Saturday, too).
    public func due(submitted: Date, workingDays: Int) -> Date {
        var day = LocalDay(containing: submitted)
        var remaining = max(workingDays, 0)
        while remaining > 0 {
            day = day.advanced(by: 1)
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day.advanced(by: 1).start
    }
}
