/// A hamlet (tổ dân phố, bản, tiểu khu): the smallest unit, kept by its district.
///
/// Its ``code`` is local, `"<commune code>-<nnn>"`, and never collides with a GSO code.
public struct Hamlet: Hashable, Codable, Sendable {
    public var code: String
    public var communeCode: Int
    public var name: String
    public var kind: HamletKind

    public init(code: String, communeCode: Int, name: String, kind: HamletKind) throws(ValidationError) {
        guard Self.isValidCode(code) else {
            throw ValidationError(field: "code", code: .invalidFormat, message: "must look like <commune code>-<number>, e.g. 3646-001")
        }
        self.code = code
        self.communeCode = communeCode
        self.name = try VietnameseText.required(name, field: "name", maxLength: 120)
        self.kind = kind
    }

    /// The code of the `number`-th hamlet of a commune: `code(commune: 3646, number: 7)` is `"3646-007"`.
    public static func code(commune: Int, number: Int) -> String {
        let digits = String(number)
        return "\(commune)-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    public static func isValidCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && (1...6).contains(parts[0].count) && (3...5).contains(parts[1].count)
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
