import CDSCore

/// Where a report is: a commune, or a hamlet of one, named by code (Open311's `address_id`).
///
/// Communes are named by their GSO code, leading zeros optional (`3646` or `03646`); hamlets by the registry's
/// code, the commune's code and the hamlet's number (`3646-004`).
public struct ReportLocation: Hashable, Sendable, CustomStringConvertible {
    public let communeCode: Int
    /// The hamlet's code as the registry writes it, or nil for the commune as a whole.
    public let hamletCode: String?

    public init(communeCode: Int, hamletCode: String?) {
        self.communeCode = communeCode
        self.hamletCode = hamletCode
    }

    /// - Throws: ``ValidationError`` naming `field` when `text` is neither form.
    public init(_ text: String, field: String) throws(ValidationError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts[0].count <= 5, let commune = Int(parts[0]), commune > 0,
            parts.count == 1 || (3...6).contains(parts[1].count)
        else {
            throw ValidationError(
                field: field,
                code: .invalidFormat,
                message: "must be a commune's code (e.g. 03646) or a hamlet's (e.g. 3646-004)"
            )
        }
        self.communeCode = commune
        self.hamletCode = parts.count == 2 ? "\(commune)-\(parts[1])" : nil
    }

    /// The code as Open311 shows it: the hamlet's, or the commune's in GSO's five digits.
    public var description: String {
        hamletCode ?? String(repeating: "0", count: max(0, 5 - String(communeCode).count)) + String(communeCode)
    }
}
