import Foundation

/// A training session for team members, in person at a bridge point (điểm cầu) or online.
public struct TrainingSession: Hashable, Codable, Sendable {
    public enum Mode: String, CaseIterable, Codable, Hashable, Sendable {
        case inPerson = "in_person"
        case online
    }

    public var heldOn: Date
    public var topic: String
    public var mode: Mode
    public var bridgePoint: String?
    public var organiser: String?

    public init(heldOn: Date, topic: String, mode: Mode, bridgePoint: String?, organiser: String?) throws(ValidationError) {
        self.heldOn = heldOn
        self.topic = try VietnameseText.required(topic, field: "topic", maxLength: 300)
        self.mode = mode
        self.bridgePoint = try VietnameseText.optional(bridgePoint, field: "bridge_point", maxLength: 200)
        self.organiser = try VietnameseText.optional(organiser, field: "organiser", maxLength: 200)
    }
}
