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

        public init(
            id: UUID,
            districtCode: Int,
            level: String,
            communeCode: String,
            hamletCode: String?,
            name: String,
            establishedOn: String?,
            decisionRef: String?,
            status: String,
            dissolvedOn: String?,
            memberCount: Int
        ) {
            self.id = id
            self.districtCode = districtCode
            self.level = level
            self.communeCode = communeCode
            self.hamletCode = hamletCode
            self.name = name
            self.establishedOn = establishedOn
            self.decisionRef = decisionRef
            self.status = status
            self.dissolvedOn = dissolvedOn
            self.memberCount = memberCount
        }
    }
}
