import Foundation

extension Wire {
    /// A team (`/v1/teams`).
    public struct Team: Codable, Sendable {
        public let id: UUID
        public let districtCode: Int
        /// `commune` or `hamlet`.
        public let level: String
        public let communeCode: String
        /// The hamlet a hamlet-level team serves; `null` for a commune team.
        public let hamletCode: String?
        public let name: String
        public let establishedOn: String?
        public let decisionRef: String?
        /// `active` or `dissolved`.
        public let status: String
        public let dissolvedOn: String?
        /// Its current members.
        public let memberCount: Int
    }
}
