import CDSCore
import Foundation
import Testing

@Suite struct FeedbackWorkflowTests {
    /// Every pair of statuses: allowed exactly when the workflow lists it.
    static let allowed: Set<String> = [
        "submitted→accepted", "submitted→rejected", "submitted→duplicate", "submitted→not_responsible",
        "accepted→in_progress", "accepted→resolved", "accepted→rejected", "accepted→duplicate", "accepted→not_responsible",
        "in_progress→resolved", "in_progress→rejected",
        "resolved→closed", "resolved→reopened", "rejected→closed", "rejected→reopened",
        "duplicate→closed", "duplicate→reopened", "not_responsible→closed", "not_responsible→reopened",
        "closed→reopened",
        "reopened→accepted", "reopened→in_progress", "reopened→resolved", "reopened→rejected", "reopened→duplicate",
        "reopened→not_responsible",
    ]

    @Test(arguments: ReportStatus.allCases)
    func transitionsFrom(_ from: ReportStatus) {
        for to in ReportStatus.allCases {
            #expect(from.canMove(to: to) == Self.allowed.contains("\(from.rawValue)→\(to.rawValue)"), "\(from) → \(to)")
        }
    }

    @Test func nothingMovesBackToSubmittedAndNothingStaysPut() {
        for status in ReportStatus.allCases {
            #expect(!status.canMove(to: .submitted))
            #expect(!status.canMove(to: status))
        }
    }

    @Test func open311SeesOpenUntilAnswered() {
        #expect(ReportStatus.allCases.filter { $0.open311 == "open" } == [.submitted, .accepted, .inProgress, .reopened])
    }
}

@Suite struct WorkingCalendarTests {
    /// 2026-11-27 is a Friday.
    static let friday = LocalDay(year: 2026, month: 11, day: 27)

    /// An instant in Vietnam's time (UTC+7).
    static func vietnam(_ day: LocalDay, hour: Int) -> Date {
        day.start.addingTimeInterval(TimeInterval(hour * 3600))
    }

    @Test func daysPrintAndParseAsPostgreSQLDoes() {
        #expect(Self.friday.description == "2026-11-27")
        #expect(LocalDay("2026-11-27") == Self.friday)
        #expect(LocalDay("2024-02-29")?.description == "2024-02-29")
        #expect(LocalDay("2026-02-29") == nil)
        #expect(LocalDay("2026-1-05") == nil)
        #expect(LocalDay(year: 1970, month: 1, day: 1).number == 0)
        #expect(!Self.friday.isWeekend && Self.friday.advanced(by: 1).isWeekend && Self.friday.advanced(by: 2).isWeekend)
        #expect(!Self.friday.advanced(by: 3).isWeekend)
    }

    @Test func aDayInVietnamStartsAtFiveInTheMorningBeforeInUTC() {
        // 2026-11-26 17:00 UTC is already the 27th at midnight in Vietnam.
        let start = Self.friday.start
        #expect(start == Date(timeIntervalSince1970: 1_795_712_400))
        #expect(LocalDay(containing: start) == Self.friday)
        #expect(LocalDay(containing: start.addingTimeInterval(-1)) == Self.friday.advanced(by: -1))
    }

    @Test func dueTimesSkipWeekends() {
        let calendar = WorkingCalendar(holidays: [])
        // Friday evening, three working days: Monday, Tuesday, Wednesday; due when Wednesday ends.
        let due = calendar.due(submitted: Self.vietnam(Self.friday, hour: 20), workingDays: 3)
        #expect(due == Self.friday.advanced(by: 6).start)
        #expect(LocalDay(containing: due.addingTimeInterval(-1)).description == "2026-12-02")
        // Saturday counts from Monday too.
        #expect(calendar.due(submitted: Self.vietnam(Self.friday.advanced(by: 1), hour: 9), workingDays: 3) == due)
        // Monday morning, five working days: due at the end of the Monday after.
        let monday = Self.friday.advanced(by: 3)
        #expect(calendar.due(submitted: Self.vietnam(monday, hour: 8), workingDays: 5) == monday.advanced(by: 8).start)
    }

    @Test func dueTimesSkipHolidays() {
        // 2026-09-02 (Wednesday) is National Day; with 2026-09-01 given as well.
        let holidays: Set<LocalDay> = [LocalDay(year: 2026, month: 9, day: 1), LocalDay(year: 2026, month: 9, day: 2)]
        let calendar = WorkingCalendar(holidays: holidays)
        let friday = LocalDay(year: 2026, month: 8, day: 28)
        // Mon 31, (Tue 1, Wed 2 off), Thu 3, Fri 4: three working days end on Friday.
        let due = calendar.due(submitted: Self.vietnam(friday, hour: 10), workingDays: 3)
        #expect(LocalDay(containing: due.addingTimeInterval(-1)).description == "2026-09-04")
        #expect(WorkingCalendar(holidays: []).due(submitted: Self.vietnam(friday, hour: 10), workingDays: 3) < due)
    }
}
