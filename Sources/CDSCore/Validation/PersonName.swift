/// A person's full name, normalised (NFC, single spaces) and checked to be made of letters.
public struct PersonName: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    /// - Throws: ``ValidationError`` for an empty name, a name with digits or symbols, or one over 100 characters.
    public init(_ text: String, field: String = "full_name") throws(ValidationError) {
        let value = try VietnameseText.required(text, field: field, maxLength: 100)
        let allowed = value.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar))) || scalar.properties.isAlphabetic
                || scalar.properties.generalCategory == .nonspacingMark
                || scalar == " " || scalar == "-" || scalar == "'"
        }
        guard allowed else {
            throw ValidationError(field: field, code: .invalidCharacters, message: "may contain only letters, spaces, '-' and '''")
        }
        guard value.count >= 2 else {
            throw ValidationError(field: field, code: .tooShort, message: "must have at least 2 letters")
        }
        self.value = value
    }

    public var description: String { value }
}
