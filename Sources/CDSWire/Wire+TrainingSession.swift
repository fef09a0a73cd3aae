import Foundation

extension Wire {
    /// A training session (`/v1/trainings`).
    public struct TrainingSession: Codable, Sendable {
        public let id: UUID
        public let districtCode: Int
        /// The organising commune; `null` for a session of the district.
        public let communeCode: String?
        public let heldOn: String
        public let topic: String
        public let mode: String
        public let bridgePoint: String?
        public let organiser: String?
        public let attendeeCount: Int

        public init(
            id: UUID,
            districtCode: Int,
            communeCode: String?,
            heldOn: String,
            topic: String,
            mode: String,
            bridgePoint: String?,
            organiser: String?,
            attendeeCount: Int
        ) {
            self.id = id
            self.districtCode = districtCode
            self.communeCode = communeCode
            self.heldOn = heldOn
            self.topic = topic
            self.mode = mode
            self.bridgePoint = bridgePoint
            self.organiser = organiser
            self.attendeeCount = attendeeCount
        }
    }

    /// A member who attended a session (`/v1/trainings/{id}/attendance`).
    public struct Attendee: Codable, Sendable {
        public let memberID: UUID
        public let fullName: String
        public let teamID: UUID
        public let communeCode: String
        public let recordedAt: String

        public init(memberID: UUID, fullName: String, teamID: UUID, communeCode: String, recordedAt: String) {
            self.memberID = memberID
            self.fullName = fullName
            self.teamID = teamID
            self.communeCode = communeCode
            self.recordedAt = recordedAt
        }
    }
}
