import Foundation

/// Normalisation of the Vietnamese text that people type.
///
/// The same name typed on two keyboards (a precomposed "ễ" or "e" + two combining marks, a Telex
/// or VNI input method) must become the same string, or one person becomes two. Everything stored
/// is Unicode NFC with single spaces and no surrounding whitespace.
public enum VietnameseText {
    /// NFC, whitespace runs collapsed to one space, trimmed.
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }

    /// A required free-text field: normalised, non-empty, at most `maxLength` characters.
    public static func required(_ text: String?, field: String, maxLength: Int = 200) throws(ValidationError) -> String {
        guard let value = try optional(text, field: field, maxLength: maxLength) else {
            throw ValidationError(field: field, code: .required, message: "is required")
        }
        return value
    }

    /// An optional free-text field: `nil` when empty after normalisation.
    public static func optional(_ text: String?, field: String, maxLength: Int = 200) throws(ValidationError) -> String? {
        guard let text else { return nil }
        let value = normalized(text)
        guard !value.isEmpty else { return nil }
        guard value.count <= maxLength else {
            throw ValidationError(field: field, code: .tooLong, message: "is longer than \(maxLength) characters")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError(field: field, code: .invalidCharacters, message: "contains control characters")
        }
        return value
    }

    /// A key for searching that ignores case and diacritics: "Nguyễn Văn Đức" → "nguyen van duc".
    ///
    /// "đ" is a letter of its own in Unicode, not "d" with a mark, so it is folded explicitly.
    public static func searchKey(_ text: String) -> String {
        normalized(text)
            .replacingOccurrences(of: "đ", with: "d")
            .replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
    }
}
