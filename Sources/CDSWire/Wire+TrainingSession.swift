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
    }

    /// A member who attended a session (`/v1/trainings/{id}/attendance`).
    public struct Attendee: Codable, Sendable {
        public let memberID: UUID
        public let fullName: String
        public let teamID: UUID
        public let communeCode: String
        public let recordedAt: String
    }
}
