/// The levels of the administrative hierarchy: province (tỉnh) → district (huyện / thành phố) →
/// commune (xã / phường / thị trấn) → hamlet (tổ dân phố / bản / tiểu khu).
public enum UnitLevel: String, CaseIterable, Codable, Hashable, Sendable {
    case province, district, commune, hamlet

    /// The level a unit of this level must sit under, `nil` for the province.
    public var parentLevel: UnitLevel? {
        switch self {
        case .province: nil
        case .district: .province
        case .commune: .district
        case .hamlet: .commune
        }
    }
}
