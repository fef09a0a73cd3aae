/// What a hamlet is called locally: tổ dân phố (urban), bản (ethnic-minority village), tiểu khu
/// (township quarter), thôn / xóm (lowland village), or something else.
public enum HamletKind: String, CaseIterable, Codable, Hashable, Sendable {
    case toDanPho = "to_dan_pho"
    case ban
    case tieuKhu = "tieu_khu"
    case thon
    case xom
    case other = "khac"

    /// The Vietnamese word that prefixes the hamlet's name ("Bản Cá", "Tổ dân phố 3").
    public var vietnameseName: String {
        switch self {
        case .toDanPho: "Tổ dân phố"
        case .ban: "Bản"
        case .tieuKhu: "Tiểu khu"
        case .thon: "Thôn"
        case .xom: "Xóm"
        case .other: "Khu"
        }
    }
}
