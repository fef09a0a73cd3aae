import CDSDatabase
import CDSTestSupport
import Testing

/// The tenancy rules (docs/tenancy.md) read off the catalog, so that a new table, view or function that breaks a rule fails here.
@Suite struct TenancyCatalogTests {
    /// The tables without `tenant_id`, each for a reason (see the migrations' comments). A new table
    /// without a tenant key must be added here on purpose, or be a tenant table.
    static let sharedTables: Set<String> = [
        "units", "principals", "credentials", "permissions", "roles", "role_permissions", "grants", "control_audit_log", "sync_clients",
        "staff_passwords", "staff_totp",
        "feedback_categories", "public_holidays", "partner_apps", "partner_idempotency_keys",
    ]

    @Test func everyTableIsATenantTableOrAKnownSharedOne() async throws {
        try await TestDatabase.withFresh { db in
            let tables = try await db.superuserRows(
                """
                SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'cds' AND c.relkind IN ('r', 'p')
                """,
                as: (String, Bool).self
            )
            #expect(tables.count > 10)
            // `tenants` is the registry of tenant keys itself.
            for (table, hasTenant) in tables where table != "tenants" {
                #expect(hasTenant || Self.sharedTables.contains(table), "\(table) has no tenant_id and is not a known shared table")
                #expect(!(hasTenant && Self.sharedTables.contains(table)), "\(table) is listed as shared but has tenant_id")
            }
        }
    }

    /// Rule 2 and the policy itself: RLS enabled and forced, a policy that reads the scope in a sub-select (rule 4);
    /// on a Citus cluster, which refuses a subquery in a policy, the direct call that `ops/citus/distribute.sql` makes.
    @Test func everyTenantTableHasForcedRowLevelSecurity() async throws {
        let scope =
            CitusTestCluster.current == nil ? "(tenant_id = ANY ((%SELECT %scoped_tenant_ids()%" : "(tenant_id = ANY (cds.scoped_tenant_ids()))"
        try await TestDatabase.withFresh { db in
            let rows = try await db.superuserRows(
                """
                SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                       coalesce((SELECT bool_and(p.polcmd = '*'
                                               AND pg_get_expr(p.polqual, p.polrelid) LIKE \(scope)
                                               AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE \(scope))
                                 FROM pg_policy p WHERE p.polrelid = c.oid), false),
                       (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'cds' AND c.relkind IN ('r', 'p')
                  AND c.relname <> 'tenants' AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
                """,
                as: (String, Bool, Bool, Bool, Int).self
            )
            #expect(rows.count >= 7)
            for (table, enabled, forced, policyReadsScope, policies) in rows {
                #expect(enabled, "RLS is not enabled on \(table)")
                #expect(forced, "RLS is not forced on \(table)")
                #expect(policies == 1 && policyReadsScope, "\(table) lacks the tenant_isolation policy over (SELECT cds.scoped_tenant_ids())")
            }
        }
    }

    /// The policies' scope function is inlined (0013): called through the SQL-function executor, as its old
    /// `SET search_path` forced, it cost every statement 0.05-0.1 ms per tenant table it touched. Inlined, the
    /// plan reads the setting itself, once, in the policy's sub-select.
    @Test(.enabled(if: CitusTestCluster.current == nil, "a Citus plan shows the shards' tasks, not their policies"))
    func theScopeFunctionIsInlinedIntoThePolicies() async throws {
        try await TestDatabase.withTwoDistricts { _, app, fixture in
            let plan = try await app.withTenantScope(.district(fixture.a.tenant), actor: TwoDistricts.actor) {
                try await $0.rows("EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM cds.teams", as: String.self)
            }.joined(separator: "\n")
            #expect(plan.contains("current_setting('cds.tenant_ids'"), "\(plan)")
            #expect(!plan.contains("scoped_tenant_ids()"), "\(plan)")
        }
    }

    /// Rules 4 and 5: an index leads with tenant_id; tenant_id is in every primary key, unique constraint,
    /// unique index and foreign key of a tenant table.
    @Test func tenantKeyIsInEveryKey() async throws {
        try await TestDatabase.withFresh { db in
            let indexes = try await db.superuserRows(
                """
                SELECT c.relname, i.indexrelid::regclass::text, i.indisunique,
                       (SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = i.indkey[0])
                FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'cds' AND c.relname <> 'tenants' AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
                """,
                as: (String, String, Bool, String?).self
            )
            for (table, index, unique, firstColumn) in indexes where unique {
                #expect(firstColumn == "tenant_id", "unique index \(index) on \(table) does not lead with tenant_id")
            }
            let tablesWithLeadingIndex = Set(indexes.filter { $0.3 == "tenant_id" }.map(\.0))
            let tenantTables = Set(indexes.map(\.0))
            #expect(tenantTables == tablesWithLeadingIndex)

            let foreignKeys = try await db.superuserRows(
                """
                SELECT c.relname, con.conname,
                       EXISTS (SELECT 1 FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k
                               WHERE a.attname = 'tenant_id')
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'cds' AND con.contype = 'f'
                  AND c.relname <> 'tenants' AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
                  AND con.confrelid <> 'cds.tenants'::regclass
                """,
                as: (String, String, Bool).self
            )
            #expect(!foreignKeys.isEmpty)
            for (table, constraint, includesTenant) in foreignKeys {
                #expect(includesTenant, "foreign key \(constraint) on \(table) does not include tenant_id")
            }
        }
    }

    /// Rule 6: views are security_invoker; no SECURITY DEFINER or LEAKPROOF function of ours.
    @Test func viewsAndFunctionsDoNotBypassThePolicies() async throws {
        try await TestDatabase.withFresh { db in
            let views = try await db.superuserRows(
                """
                SELECT c.relname, coalesce(c.reloptions::text[] @> ARRAY['security_invoker=true'], false)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('cds', 'cds_meta') AND c.relkind IN ('v', 'm')
                """,
                as: (String, Bool).self
            )
            #expect(!views.isEmpty)
            for (view, invoker) in views { #expect(invoker, "view \(view) is not security_invoker") }

            let functions = try await db.superuserRows(
                """
                SELECT p.proname, p.prosecdef, p.proleakproof
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname IN ('cds', 'cds_meta')
                """,
                as: (String, Bool, Bool).self
            )
            #expect(!functions.isEmpty)
            for (function, definer, leakproof) in functions {
                #expect(!definer, "\(function) is SECURITY DEFINER")
                #expect(!leakproof, "\(function) is LEAKPROOF")
            }
        }
    }

    /// Rule 1: cds_app owns nothing, is no superuser and cannot bypass RLS; cds_owner cannot bypass it either.
    @Test func theApplicationRoleOwnsNothingAndCannotBypass() async throws {
        try await TestDatabase.withFresh { db in
            let roles = try await db.superuserRows(
                "SELECT rolname::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname IN ('cds_app', 'cds_owner') ORDER BY rolname",
                as: (String, Bool, Bool).self
            )
            #expect(roles.map(\.0) == ["cds_app", "cds_owner"])
            #expect(roles.allSatisfy { !$0.1 && !$0.2 })
            let owned = try await db.superuserRows(
                """
                SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'cds_app'
                """,
                as: Int.self
            )
            #expect(owned == [0])
            let ownedElsewhere = try await db.superuserRows(
                """
                SELECT (SELECT count(*) FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE r.rolname = 'cds_app')
                     + (SELECT count(*) FROM pg_namespace s JOIN pg_roles r ON r.oid = s.nspowner WHERE r.rolname = 'cds_app')
                     + (SELECT count(*) FROM pg_type t JOIN pg_roles r ON r.oid = t.typowner WHERE r.rolname = 'cds_app')
                """,
                as: Int.self
            )
            #expect(ownedElsewhere == [0])
            let tablesOwnedByOwner = try await db.superuserRows(
                """
                SELECT bool_and(r.rolname = 'cds_owner') FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner
                WHERE n.nspname IN ('cds', 'cds_meta')
                """,
                as: Bool.self
            )
            #expect(tablesOwnedByOwner == [true])
        }
    }
}
