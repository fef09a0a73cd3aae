/// The kind of a unit within its level, as GSO names it (`tinh`, `huyen`, `thanh_pho`, `xa`, `phuong`,
/// `thi_tran`, …) and, for hamlets, as the province does (see ``HamletKind``).
public struct DivisionType: RawRepresentable, Hashable, Codable, Sendable {
    public let rawValue: String

    /// - Returns: `nil` unless the value is a lowercase snake_case word.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.count <= 40,
            rawValue.allSatisfy({ ($0.isASCII && $0.isLowercase) || $0 == "_" })
        else { return nil }
        self.rawValue = rawValue
    }
}
