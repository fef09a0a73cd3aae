import CDSDatabase
import CDSTestSupport
import PostgresNIO
import Testing

/// A scoped transaction plans its kept statements as asked (`StatementPlans`), and only itself: the settings end
/// with the transaction, so a pooled connection never carries them to the next one. A generic plan's transaction
/// turns JIT compilation off; the others leave it as the server has it.
@Suite struct StatementPlansTests {
    @Test func eachTransactionPlansAsItAsks() async throws {
        try await TestDatabase.withTwoDistricts { _, app, fixture in
            func mode(_ plans: StatementPlans?) async throws -> String {
                let scope = TenantScope.district(fixture.a.tenant)
                let query: PostgresQuery = "SELECT current_setting('plan_cache_mode') || ' jit ' || current_setting('jit')"
                if let plans {
                    return try await app.withTenantScope(scope, actor: TwoDistricts.actor, plans: plans) {
                        try await $0.rows(query, as: String.self)[0]
                    }
                }
                return try await app.withTenantScope(scope, actor: TwoDistricts.actor) { try await $0.rows(query, as: String.self)[0] }
            }
            var modes: [String] = []
            for plans in [nil, .custom, .generic, .cached, .generic, .custom, nil] as [StatementPlans?] {
                modes.append(try await mode(plans))
            }
            #expect(
                modes == [
                    "auto jit on", "force_custom_plan jit on", "force_generic_plan jit off", "auto jit on",
                    "force_generic_plan jit off", "force_custom_plan jit on", "auto jit on",
                ]
            )
        }
    }
}
