/// The national units as a tree (province → district → commune), in memory: what a grant on a unit covers.
///
/// Hamlets are not in it: a hamlet is covered by the grants on its commune and above.
public struct UnitHierarchy: Sendable {
    private let parents: [Int: Int]
    private let levels: [Int: UnitLevel]
    /// The districts of each province, computed once: access checks ask on every request.
    private let provinceDistricts: [Int: Set<TenantID>]

    /// - Parameter units: every national unit with its parent and level.
    public init(units: [(code: Int, parentCode: Int?, level: UnitLevel)]) {
        var parents: [Int: Int] = [:]
        var levels: [Int: UnitLevel] = [:]
        for unit in units {
            levels[unit.code] = unit.level
            if let parent = unit.parentCode { parents[unit.code] = parent }
        }
        self.parents = parents
        self.levels = levels
        var provinceDistricts: [Int: Set<TenantID>] = [:]
        for (code, level) in levels where level == .district {
            if let province = parents[code] { provinceDistricts[province, default: []].insert(TenantID(code)) }
        }
        self.provinceDistricts = provinceDistricts
    }

    public func contains(_ code: Int) -> Bool { levels[code] != nil }

    public func level(of code: Int) -> UnitLevel? { levels[code] }

    /// The unit and every unit above it, nearest first.
    public func lineage(of code: Int) -> [Int] {
        guard contains(code) else { return [] }
        var chain = [code]
        while let parent = parents[chain[chain.count - 1]], chain.count < 8 { chain.append(parent) }
        return chain
    }

    /// The district (tenant) a district or commune belongs to; `nil` for a province or an unknown code.
    public func district(of code: Int) -> TenantID? {
        lineage(of: code).first { levels[$0] == .district }.map { TenantID($0) }
    }

    /// The districts in the subtree of `code`: every district under a province, the district itself, or a commune's district.
    public func districts(under code: Int) -> Set<TenantID> {
        switch levels[code] {
        case .province: provinceDistricts[code] ?? []
        case .district, .commune: district(of: code).map { [$0] } ?? []
        case .hamlet, nil: []
        }
    }

    /// The provinces' codes.
    public var provinces: [Int] {
        levels.filter { $0.value == .province }.map(\.key).sorted()
    }
}
