/// A field at fault: a value that people typed and that cannot be normalised into a valid one, or a part of a
/// request that cannot be used. It is the entry of a problem document's `errors` and of an import's faults.
///
/// `field` names the input (`phone`, `full_name`, `members[3].role`, …), `code` is stable for programs, `message`
/// is for people.
public struct ValidationError: Error, Codable, Hashable, Sendable, CustomStringConvertible {
    /// Every code a field error may carry: only these are made, so that the codes programs switch on are listed
    /// here and nowhere else.
    public struct Code: Codable, Hashable, Sendable, CustomStringConvertible {
        /// The snake_case form used in API and sync error details.
        public let description: String

        private init(_ description: String) { self.description = description }

        public static let required = Self("required")
        public static let tooLong = Self("too_long")
        public static let tooShort = Self("too_short")
        public static let invalidCharacters = Self("invalid_characters")
        public static let invalidFormat = Self("invalid_format")
        /// A JSON value of the wrong type.
        public static let invalidType = Self("invalid_type")
        public static let outOfRange = Self("out_of_range")
        public static let unknownValue = Self("unknown_value")
        public static let inconsistent = Self("inconsistent")
        /// A unit or role at the wrong level of the hierarchy.
        public static let wrongLevel = Self("wrong_level")
        /// A value that the server refuses to use (a webhook URL it will not call).
        public static let refused = Self("refused")
        /// A certificate past its validity.
        public static let expired = Self("expired")
        /// A fault with no more precise code.
        public static let invalid = Self("invalid")
        /// A body field the request does not take.
        public static let unknownField = Self("unknown_field")
        /// `null` where a value is needed.
        public static let null = Self("null")
        /// An empty value where leaving the field out is meant.
        public static let empty = Self("empty")
        /// An upload that is not text in UTF-8.
        public static let invalidEncoding = Self("invalid_encoding")
        /// An item that reaches where the caller may not write.
        public static let forbidden = Self("forbidden")
        public static let notFound = Self("not_found")
        public static let conflict = Self("conflict")
        public static let duplicate = Self("duplicate")
        /// An item that names a dissolved team.
        public static let dissolved = Self("dissolved")
        /// A pushed record whose external id the push has twice for its kind.
        public static let duplicateInBatch = Self("duplicate_in_batch")
        /// A pushed record that names a hamlet or team the source does not have.
        public static let unknownReference = Self("unknown_reference")
        /// A pushed team for a unit that has another active team.
        public static let unitHasTeam = Self("unit_has_team")
        /// A pushed leader of a team that has another.
        public static let teamHasLeader = Self("team_has_leader")
        /// A pushed tombstone for a record the source does not have.
        public static let unknownRecord = Self("unknown_record")
        /// A pushed unit code that is not a commune of the push's district.
        public static let unknownCommune = Self("unknown_commune")

        /// A code as another part of the server wrote it: the console reads the admin API's problems in process.
        public init(from decoder: any Decoder) throws {
            description = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }

    public var field: String
    public var code: Code
    public var message: String

    public init(field: String, code: Code, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
