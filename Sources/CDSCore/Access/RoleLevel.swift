/// The level a role is made for, which decides where it may be granted.
///
/// A province role spans the province by definition: on a district it would be a district role under a misleading
/// name, so it is granted on the province only. A district role is granted on a district or one of its communes, a
/// commune role on a commune. The schema's `cds.role_fits_unit` holds the same table for grants written by any path.
public enum RoleLevel: String, CaseIterable, Codable, Hashable, Sendable {
    case province, district, commune

    /// Whether a role of this level may be granted on a unit of `unitLevel`.
    public func fits(_ unitLevel: UnitLevel) -> Bool {
        switch self {
        case .province: unitLevel == .province
        case .district: unitLevel == .district || unitLevel == .commune
        case .commune: unitLevel == .commune
        }
    }

    /// Where a role of this level may be granted, for messages: "on a district or a commune".
    public var grantableOn: String {
        switch self {
        case .province: "on the province"
        case .district: "on a district or a commune"
        case .commune: "on a commune"
        }
    }
}
