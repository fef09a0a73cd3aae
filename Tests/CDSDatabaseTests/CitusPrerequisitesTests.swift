import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

/// `ops/citus/distribute.sql` against the schema the migrations build: what Citus needs to distribute every tenant
/// table by `tenant_id` (docs/scale-out.md). The keys themselves (tenant_id in every primary key, unique constraint and
/// foreign key) are checked by ``TenancyCatalogTests/tenantKeyIsInEveryKey()``.
@Suite struct CitusPrerequisitesTests {
    /// Where `ops/citus/distribute.sql` places a table.
    enum Placement: Equatable {
        /// By `tenant_id`, co-located with `cds.hamlets`.
        case distributed
        /// Copied to every node.
        case reference
        /// A table of the coordinator in Citus's metadata.
        case coordinator
        /// Not named: a plain table of the coordinator, outside Citus's metadata.
        case plain
    }

    /// The file's calls, in order: each table and where it goes.
    static func plannedTables() throws -> [(table: String, placement: Placement)] {
        let sql = try String(contentsOf: repositoryFile("ops/citus/distribute.sql"), encoding: .utf8)
        return sql.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("SELECT "), let open = line.range(of: "('cds."), let close = line[open.upperBound...].firstIndex(of: "'") else {
                return nil
            }
            let table = String(line[open.upperBound..<close])
            if line.contains("create_distributed_table(") {
                #expect(line.contains("'tenant_id'"), "\(table) is not distributed by tenant_id")
                #expect(table == "hamlets" || line.contains("colocate_with => 'cds.hamlets'"), "\(table) is not co-located with the others")
                return (table, .distributed)
            }
            if line.contains("citus_add_local_table_to_metadata(") {
                return (table, .coordinator)
            }
            #expect(line.contains("create_reference_table("), "unexpected call: \(line)")
            return (table, .reference)
        }
    }

    @Test func everyTableIsPlacedOnceInForeignKeyOrder() async throws {
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

            // Every table at most once, tenant tables distributed; a table not named stays a plain table.
            var placement = Dictionary(planned.map { ($0.table, $0.placement) }, uniquingKeysWith: { first, _ in first })
            #expect(placement.count == planned.count, "a table is named twice")
            #expect(Set(placement.keys).isSubset(of: tables.map(\.0)), "a table that the schema does not have is named")
            for (table, _) in tables where placement[table] == nil { placement[table] = .plain }
            let distributed = Set(placement.filter { $0.value == .distributed }.map(\.key))
            #expect(distributed == Set(tables.filter { $0.1 && $0.0 != "tenants" }.map(\.0)))

            let position = Dictionary(planned.enumerated().map { ($1.table, $0) }, uniquingKeysWith: { first, _ in first })
            for (table, referenced, constraint, onUpdate, onDelete, tenantToTenant) in foreignKeys where table != referenced {
                switch (placement[table], placement[referenced]) {
                case (.distributed, .distributed):
                    // Between distributed tables: tenant_id to tenant_id, so that both rows are on one node, and no
                    // action that changes the referencing key (Citus refuses ON UPDATE CASCADE, SET NULL and SET DEFAULT
                    // on a key that holds the distribution column).
                    #expect(tenantToTenant, "\(constraint) does not join tenant_id to tenant_id")
                    #expect(!["c", "n", "d"].contains(onUpdate) && !["n", "d"].contains(onDelete), "\(constraint) changes the referencing key")
                case (.plain, .plain):
                    // Outside Citus's metadata, as on one node.
                    continue
                case (.distributed, .reference), (.reference, .reference), (.coordinator, .reference), (.coordinator, .coordinator):
                    // The distributed tables' foreign keys are made once they are all distributed; the others' need
                    // the referenced table placed first.
                    if placement[table] != .distributed {
                        #expect(
                            position[referenced, default: .max] < position[table, default: -1],
                            "\(constraint): \(referenced) must come before \(table)"
                        )
                    }
                default:
                    // A reference table is on every node and a coordinator table on one: neither may point at one
                    // worker's rows, a distributed table may not point at the coordinator's, and Citus keeps no
                    // foreign key between its tables and a plain one.
                    Issue.record(
                        "\(constraint): \(table) (\(String(describing: placement[table]))) points at \(referenced) (\(String(describing: placement[referenced])))"
                    )
                }
            }
        }
    }
}
