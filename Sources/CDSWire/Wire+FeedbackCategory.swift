extension Wire {
    /// A category citizens report under (`/v1/feedback/categories`): Open311's service, as the handlers read it.
    public struct FeedbackCategory: Codable, Sendable {
        public let code: String
        public let name: String
        public let group: String
        /// `commune` or `district`: who handles its reports.
        public let handlingLevel: String
        /// Working days from submission to the due time.
        public let slaWorkingDays: Int

        public init(code: String, name: String, group: String, handlingLevel: String, slaWorkingDays: Int) {
            self.code = code
            self.name = name
            self.group = group
            self.handlingLevel = handlingLevel
            self.slaWorkingDays = slaWorkingDays
        }
    }
}
