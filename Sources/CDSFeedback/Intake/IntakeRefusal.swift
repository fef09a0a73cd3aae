/// Why a well-formed report cannot be filed.
public enum IntakeRefusal: Error, Hashable, Sendable {
    /// The partner app may not file reports in this district.
    case outsideScope(district: Int)
}
