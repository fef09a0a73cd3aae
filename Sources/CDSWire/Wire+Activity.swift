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

        public init(
            id: UUID,
            districtCode: Int,
            teamID: UUID,
            communeCode: String,
            hamletCode: String?,
            heldOn: String,
            topic: String,
            residentsReached: Int,
            note: String?
        ) {
            self.id = id
            self.districtCode = districtCode
            self.teamID = teamID
            self.communeCode = communeCode
            self.hamletCode = hamletCode
            self.heldOn = heldOn
            self.topic = topic
            self.residentsReached = residentsReached
            self.note = note
        }
    }
}
