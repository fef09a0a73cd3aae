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
        self.topic = try Self.topic(topic)
        self.mode = mode
        self.bridgePoint = try Self.bridgePoint(bridgePoint)
        self.organiser = try Self.organiser(organiser)
    }

    /// What the session taught, normalised; for changes of one field.
    public static func topic(_ text: String) throws(ValidationError) -> String {
        try VietnameseText.required(text, field: "topic", maxLength: 300)
    }

    /// The bridge point (điểm cầu) of an in-person session, normalised; nil when blank.
    public static func bridgePoint(_ text: String?) throws(ValidationError) -> String? {
        try VietnameseText.optional(text, field: "bridge_point", maxLength: 200)
    }

    /// Who organised the session, normalised; nil when blank.
    public static func organiser(_ text: String?) throws(ValidationError) -> String? {
        try VietnameseText.optional(text, field: "organiser", maxLength: 200)
    }
}
