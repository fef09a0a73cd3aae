/// A value that people typed and that cannot be normalised into a valid one.
///
/// `field` names the input (`phone`, `full_name`, …), `code` is stable for programs, `message` is for people.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case required, tooLong, tooShort, invalidCharacters, invalidFormat, outOfRange, unknownValue, inconsistent
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        public static let required = Self(.required)
        public static let tooLong = Self(.tooLong)
        public static let tooShort = Self(.tooShort)
        public static let invalidCharacters = Self(.invalidCharacters)
        public static let invalidFormat = Self(.invalidFormat)
        public static let outOfRange = Self(.outOfRange)
        public static let unknownValue = Self(.unknownValue)
        public static let inconsistent = Self(.inconsistent)

        /// The snake_case form used in API and sync error details.
        public var description: String {
            switch value {
            case .required: "required"
            case .tooLong: "too_long"
            case .tooShort: "too_short"
            case .invalidCharacters: "invalid_characters"
            case .invalidFormat: "invalid_format"
            case .outOfRange: "out_of_range"
            case .unknownValue: "unknown_value"
            case .inconsistent: "inconsistent"
            }
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
