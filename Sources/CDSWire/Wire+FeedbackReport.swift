extension Wire {
    /// How the reports a caller may see were handled (`/v1/reports/feedback`): in all, by category, by handling unit
    /// and by month of submission.
    public struct FeedbackReport: Codable, Sendable {
        /// The reports of one category, unit or month (`key`), or of all (`key` empty).
        public struct Counts: Codable, Sendable {
            public let key: String
            /// The category's or unit's name; left out for a month and the total.
            @OmittedWhenAbsent public private(set) var name: String?
            public let submitted: Int
            public let answered: Int
            public let answeredOnTime: Int
            public let openOverdue: Int
            /// Answered on time out of answered; `null` when none is answered.
            public let onTimeRate: Double?

            public init(key: String, name: String?, submitted: Int, answered: Int, answeredOnTime: Int, openOverdue: Int) {
                self.key = key
                self.name = name
                self.submitted = submitted
                self.answered = answered
                self.answeredOnTime = answeredOnTime
                self.openOverdue = openOverdue
                onTimeRate = answered == 0 ? nil : Double(answeredOnTime) / Double(answered)
            }
        }

        public let total: Counts
        public let byCategory: [Counts]
        public let byUnit: [Counts]
        public let byMonth: [Counts]

        public init(total: Counts, byCategory: [Counts], byUnit: [Counts], byMonth: [Counts]) {
            self.total = total
            self.byCategory = byCategory
            self.byUnit = byUnit
            self.byMonth = byMonth
        }
    }
}
