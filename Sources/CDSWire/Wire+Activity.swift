import Foundation

extension Wire {
    /// A team's guidance activity (`/v1/activities`).
    public struct Activity: Codable, Sendable {
        public let id: UUID
        public let districtCode: Int
        public let teamID: UUID
        public let communeCode: String
        public let hamletCode: String?
        public let heldOn: String
        public let topic: String
        public let residentsReached: Int
        public let note: String?
    }
}
