import CDSDatabase
import CDSTestSupport
import PostgresNIO
import Testing

/// A scoped transaction plans its kept statements as asked (`StatementPlans`), and only itself: the setting ends
/// with the transaction, so a pooled connection never carries it to the next one.
@Suite struct StatementPlansTests {
    @Test func eachTransactionPlansAsItAsks() async throws {
        try await TestDatabase.withTwoDistricts { _, app, fixture in
            func mode(_ plans: StatementPlans?) async throws -> String {
                let scope = TenantScope.district(fixture.a.tenant)
                let query: PostgresQuery = "SELECT current_setting('plan_cache_mode')"
                if let plans {
                    return try await app.withTenantScope(scope, actor: TwoDistricts.actor, plans: plans) {
                        try await $0.rows(query, as: String.self)[0]
                    }
                }
                return try await app.withTenantScope(scope, actor: TwoDistricts.actor) { try await $0.rows(query, as: String.self)[0] }
            }
            var modes: [String] = []
            for plans in [nil, .custom, .cached, .custom, nil] as [StatementPlans?] {
                modes.append(try await mode(plans))
            }
            #expect(modes == ["auto", "force_custom_plan", "auto", "force_custom_plan", "auto"])
        }
    }
}
