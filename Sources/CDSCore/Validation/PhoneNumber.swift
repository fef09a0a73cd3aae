/// A Vietnamese mobile number in its canonical national form: ten digits, `0` then the network prefix
/// (`0912345678`).
///
/// Accepts what people type: `+84 912 345 678`, `84912345678`, `0912.345.678`, `(+84) 912-345-678`.
/// Rejects landlines, numbers of the wrong length and the 11-digit numbering retired in 2018.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// The ten-digit national form.
    public let national: String

    /// Mobile network prefixes in use since the 2018 renumbering (second and third digit).
    static let mobilePrefixes: Set<String> = [
        "32", "33", "34", "35", "36", "37", "38", "39",  // Viettel
        "52", "55", "56", "58", "59",  // Vietnamobile, Reddi, Gmobile
        "70", "76", "77", "78", "79",  // MobiFone
        "81", "82", "83", "84", "85", "86", "87", "88", "89",  // VinaPhone, Viettel, iTel, MobiFone
        "90", "91", "92", "93", "94", "96", "97", "98", "99",
    ]

    /// - Throws: ``ValidationError`` naming why the text is not a Vietnamese mobile number.
    public init(_ text: String, field: String = "phone") throws(ValidationError) {
        var digits = ""
        for (index, character) in text.enumerated() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if character == "+" && digits.isEmpty && index == text.firstIndexOfNonSeparator {
                continue
            } else if !" .-()\u{00A0}".contains(character) {
                throw ValidationError(
                    field: field,
                    code: .invalidCharacters,
                    message: "may contain only digits, spaces, '.', '-', '(', ')' and a leading '+'"
                )
            }
        }
        if digits.hasPrefix("84") && digits.count == 11 {
            digits = "0" + digits.dropFirst(2)
        } else if digits.count == 9 && !digits.hasPrefix("0") {
            digits = "0" + digits
        }
        guard !digits.isEmpty else {
            throw ValidationError(field: field, code: .required, message: "is required")
        }
        if digits.count == 11 && digits.hasPrefix("01") {
            throw ValidationError(
                field: field,
                code: .invalidFormat,
                message: "uses the 11-digit numbering retired in 2018; use the new 10-digit number"
            )
        }
        guard digits.count == 10, digits.hasPrefix("0") else {
            throw ValidationError(
                field: field,
                code: .invalidFormat,
                message: "must be a 10-digit Vietnamese mobile number, e.g. 0912345678 or +84912345678"
            )
        }
        guard Self.mobilePrefixes.contains(String(digits.dropFirst().prefix(2))) else {
            throw ValidationError(
                field: field,
                code: .invalidFormat,
                message: "is not a Vietnamese mobile number (unknown network prefix \(digits.prefix(3)))"
            )
        }
        self.national = digits
    }

    /// The international E.164 form, `+84912345678`.
    public var international: String { "+84" + national.dropFirst() }

    public var description: String { national }
}

extension String {
    fileprivate var firstIndexOfNonSeparator: Int {
        firstIndex(where: { !" (".contains($0) }).map { distance(from: startIndex, to: $0) } ?? 0
    }
}
