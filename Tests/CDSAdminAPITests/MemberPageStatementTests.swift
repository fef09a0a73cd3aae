import CDSDatabase
import Foundation
import Testing

@testable import CDSAdminAPI
@testable import CDSCore

/// Which pages of members keep one generic plan: only those whose plan cannot depend on the values, where every
/// filter is absent and every district is read whole. A filter folds away only in a plan made for its value, and a
/// commune officer's page is planned knowing which communes.
@Suite struct MemberPageStatementTests {
    static let wholeDistrict = AccessPolicy.Reach(districts: [TenantID(116)], communes: [], touchedDistricts: [TenantID(116)])

    static func page(
        reach: AccessPolicy.Reach = wholeDistrict,
        team: UUID? = nil,
        unit: String? = nil,
        role: String? = nil,
        smartphone: Bool? = nil,
        trained: Bool? = nil,
        search: String? = nil
    ) -> MemberPageStatement {
        MemberPageStatement(
            reach: reach,
            after: UUID(),
            team: team,
            unit: unit,
            role: role,
            smartphone: smartphone,
            trained: trained,
            search: search,
            rows: 101
        )
    }

    @Test func aPageOfWholeDistrictsWithoutFiltersKeepsItsGenericPlan() {
        #expect(Self.page().plans == .generic)
        let twoDistricts = AccessPolicy.Reach(districts: [TenantID(116), TenantID(118)], touchedDistricts: [TenantID(116), TenantID(118)])
        #expect(Self.page(reach: twoDistricts).plans == .generic)
    }

    @Test func anyFilterIsPlannedForItsValue() {
        let filtered = [
            Self.page(team: UUID()), Self.page(unit: "4003"), Self.page(role: "leader"), Self.page(smartphone: false),
            Self.page(trained: true), Self.page(search: "lo van"),
        ]
        for page in filtered {
            #expect(page.plans == .custom)
        }
    }

    @Test func singleCommunesArePlannedForTheirValues() {
        let commune = AccessPolicy.Reach(districts: [], communes: [4003], touchedDistricts: [TenantID(116)])
        #expect(Self.page(reach: commune).plans == .custom)
        var mixed = Self.wholeDistrict
        mixed.communes = [4210]
        mixed.touchedDistricts.insert(TenantID(118))
        #expect(Self.page(reach: mixed).plans == .custom)
    }
}
