import Foundation

/// A community digital technology team (Tổ công nghệ số cộng đồng), at commune or hamlet level.
public struct Team: Hashable, Codable, Sendable {
    public enum Level: String, CaseIterable, Codable, Hashable, Sendable { case commune, hamlet }
    public enum Status: String, CaseIterable, Codable, Hashable, Sendable { case active, dissolved }

    public var level: Level
    public var communeCode: Int
    /// The hamlet a hamlet-level team serves; `nil` for a commune-level team.
    public var hamletCode: String?
    public var name: String
    public var establishedOn: Date?
    /// The founding decision, e.g. "QĐ 123/QĐ-UBND".
    public var decisionRef: String?
    public var status: Status

    /// - Throws: ``ValidationError`` when the level and the hamlet disagree or the name is empty.
    public init(
        level: Level,
        communeCode: Int,
        hamletCode: String?,
        name: String,
        establishedOn: Date? = nil,
        decisionRef: String? = nil,
        status: Status = .active
    ) throws(ValidationError) {
        guard (level == .hamlet) == (hamletCode != nil) else {
            throw ValidationError(
                field: "hamlet_code",
                code: .inconsistent,
                message: level == .hamlet ? "a hamlet-level team needs its hamlet" : "a commune-level team serves no hamlet"
            )
        }
        if let hamletCode, !Hamlet.isValidCode(hamletCode) {
            throw ValidationError(field: "hamlet_code", code: .invalidFormat, message: "is not a hamlet code")
        }
        self.level = level
        self.communeCode = communeCode
        self.hamletCode = hamletCode
        self.name = try Self.name(name)
        self.establishedOn = establishedOn
        self.decisionRef = try Self.decisionRef(decisionRef)
        self.status = status
    }

    /// A team's name, normalised; for changes of the name alone.
    public static func name(_ text: String) throws(ValidationError) -> String {
        try VietnameseText.required(text, field: "name", maxLength: 200)
    }

    /// A founding decision's reference, normalised; nil when blank.
    public static func decisionRef(_ text: String?) throws(ValidationError) -> String? {
        try VietnameseText.optional(text, field: "decision_ref", maxLength: 100)
    }
}
