import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

/// `ops/citus/distribute.sql` against the schema the migrations build: what Citus needs to distribute every tenant
/// table by `tenant_id` (docs/scale-out.md). The keys themselves (tenant_id in every primary key, unique constraint and
/// foreign key) are checked by ``TenancyCatalogTests/tenantKeyIsInEveryKey()``.
@Suite struct CitusPrerequisitesTests {
    /// The file's calls, in order: each table and whether it is distributed (else a reference table).
    static func plannedTables() throws -> [(table: String, distributed: Bool)] {
        let sql = try String(contentsOf: repositoryFile("ops/citus/distribute.sql"), encoding: .utf8)
        return sql.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("--"), let open = line.range(of: "('cds."), let close = line[open.upperBound...].firstIndex(of: "'") else {
                return nil
            }
            let table = String(line[open.upperBound..<close])
            if line.contains("create_distributed_table(") {
                #expect(line.contains("'tenant_id'"), "\(table) is not distributed by tenant_id")
                #expect(table == "hamlets" || line.contains("colocate_with => 'cds.hamlets'"), "\(table) is not co-located with the others")
                return (table, true)
            }
            #expect(line.contains("create_reference_table("), "unexpected call: \(line)")
            return (table, false)
        }
    }

    @Test func everyTableIsDistributedOrReferencedOnceInForeignKeyOrder() async throws {
        let planned = try Self.plannedTables()
        try await TestDatabase.withFresh { db in
            let tables = try await db.superuserRows(
                """
                SELECT c.relname::text, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'cds' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                """,
                as: (String, Bool).self
            )
            // Every table once; tenant tables distributed, the others (and `tenants`, the registry of keys) referenced.
            #expect(planned.map(\.table).sorted() == tables.map(\.0).sorted())
            #expect(Set(planned.map(\.table)).count == planned.count, "a table is named twice")
            let distributed = Set(planned.filter(\.distributed).map(\.table))
            #expect(distributed == Set(tables.filter { $0.1 && $0.0 != "tenants" }.map(\.0)))

            let foreignKeys = try await db.superuserRows(
                """
                SELECT c.relname::text, r.relname::text, con.conname::text, con.confupdtype::text, con.confdeltype::text,
                       EXISTS (SELECT 1 FROM generate_subscripts(con.conkey, 1) i
                               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[i]
                               JOIN pg_attribute b ON b.attrelid = con.confrelid AND b.attnum = con.confkey[i]
                               WHERE a.attname = 'tenant_id' AND b.attname = 'tenant_id')
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE con.contype = 'f' AND n.nspname = 'cds'
                """,
                as: (String, String, String, String, String, Bool).self
            )
            #expect(foreignKeys.count > 20)
            let position = Dictionary(uniqueKeysWithValues: planned.enumerated().map { ($1.table, $0) })
            for (table, referenced, constraint, onUpdate, onDelete, tenantToTenant) in foreignKeys where table != referenced {
                // Citus distributes a table only after the tables its foreign keys point at.
                #expect(position[referenced, default: .max] < position[table, default: -1], "\(constraint): \(referenced) must come before \(table)")
                // A reference table's rows are on every node; they cannot point at one node's rows.
                #expect(
                    distributed.contains(table) || !distributed.contains(referenced),
                    "\(constraint): reference table \(table) points at \(referenced)"
                )
                if distributed.contains(table) && distributed.contains(referenced) {
                    // Between distributed tables: tenant_id to tenant_id, so that both rows are on one node, and no
                    // SET NULL / SET DEFAULT action, which would change the distribution column.
                    #expect(tenantToTenant, "\(constraint) does not join tenant_id to tenant_id")
                    #expect(!["n", "d"].contains(onUpdate) && !["n", "d"].contains(onDelete), "\(constraint) sets NULL or DEFAULT")
                }
            }
        }
    }
}
