import Foundation

/// Normalisation of the Vietnamese text that people type.
///
/// The same name typed on two keyboards (a precomposed "ễ" or "e" + two combining marks, a Telex
/// or VNI input method) must become the same string, or one person becomes two. Everything stored
/// is Unicode NFC with single spaces and no surrounding whitespace.
public enum VietnameseText {
    /// NFC, whitespace runs collapsed to one space, trimmed.
    ///
    /// Works on Unicode scalars rather than Characters: it runs for every name of every roster pushed, and finding
    /// grapheme boundaries cost more than all the rest of a record's checks.
    public static func normalized(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let composed = scalars.allSatisfy(isComposedAlone) ? scalars : text.precomposedStringWithCanonicalMapping.unicodeScalars
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in composed {
            if isWhitespace(scalar) {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Whether a scalar is in NFC wherever it stands: Latin-1 and Latin Extended-A and -B (below the combining
    /// marks at U+0300) and Latin Extended Additional (U+1E00–U+1EFF, where Vietnamese's letters with two marks
    /// live) hold no combining mark, no scalar that NFC replaces, and none that composes with the one before it. A
    /// name typed on a Vietnamese keyboard is nearly always made of these alone, and then needs no normalising —
    /// which, through Foundation, took 40 % of a roster push's time on the server.
    static func isComposedAlone(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x300 || (0x1E00...0x1EFF).contains(scalar.value)
    }

    /// Unicode's White_Space, looked up in its table only above Latin-1 (the lookup costs more than the rest of a
    /// name's normalising).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: true
        case 0..<0x100: false
        default: scalar.properties.isWhitespace
        }
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
        // Counted as PostgreSQL counts (char_length: code points), not as Swift's characters: a letter with stacked
        // combining marks is one Character and many code points, and would pass here only to fail in the database.
        guard value.unicodeScalars.count <= maxLength else {
            throw ValidationError(field: field, code: .tooLong, message: "is longer than \(maxLength) characters")
        }
        guard !value.unicodeScalars.contains(where: isControl) else {
            throw ValidationError(field: field, code: .invalidCharacters, message: "contains control characters")
        }
        return value
    }

    /// A long free text, such as a citizen's description of a problem: NFC, trimmed, its line breaks kept (as
    /// `\n`); nil when empty; at most `maxLength` characters, and no control characters but line breaks and tabs.
    public static func paragraphs(_ text: String?, field: String, maxLength: Int) throws(ValidationError) -> String? {
        guard let text else { return nil }
        let value = text.precomposedStringWithCanonicalMapping.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { return nil }
        guard value.unicodeScalars.count <= maxLength else {
            throw ValidationError(field: field, code: .tooLong, message: "is longer than \(maxLength) characters")
        }
        guard !value.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) else {
            throw ValidationError(field: field, code: .invalidCharacters, message: "contains control characters")
        }
        return value
    }

    /// Unicode's control characters (general category Cc): C0, DEL and C1.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
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
