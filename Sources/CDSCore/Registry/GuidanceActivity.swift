import Foundation

/// A team's session guiding residents in one digital topic.
public struct GuidanceActivity: Hashable, Codable, Sendable {
    public enum Topic: String, CaseIterable, Codable, Hashable, Sendable {
        case onlinePublicServices = "online_public_services"
        case cashlessPayment = "cashless_payment"
        case eCommerce = "e_commerce"
        case digitalSkills = "digital_skills"
        case cyberSafety = "cyber_safety"
        case other
    }

    public var heldOn: Date
    public var topic: Topic
    public var residentsReached: Int
    public var note: String?

    public init(heldOn: Date, topic: Topic, residentsReached: Int, note: String? = nil) throws(ValidationError) {
        self.heldOn = heldOn
        self.topic = topic
        self.residentsReached = try Self.residentsReached(residentsReached)
        self.note = try Self.note(note)
    }

    /// How many residents an activity reached; for changes of one field.
    public static func residentsReached(_ count: Int) throws(ValidationError) -> Int {
        guard (0...100_000).contains(count) else {
            throw ValidationError(field: "residents_reached", code: .outOfRange, message: "must be between 0 and 100000")
        }
        return count
    }

    /// A note on the activity, normalised; nil when blank.
    public static func note(_ text: String?) throws(ValidationError) -> String? {
        try VietnameseText.optional(text, field: "note", maxLength: 2000)
    }
}
