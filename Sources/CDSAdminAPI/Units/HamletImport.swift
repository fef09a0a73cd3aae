import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `POST /v1/imports/hamlets`: many new hamlets at once, all or nothing, as `POST /v1/units` makes one.
///
/// Every fault of every item is reported in one answer with the item's index (`hamlets[2].name`); a hamlet that the
/// commune already has under the same name (or that the file names twice) is one of them, so that importing a file
/// again does not double the tree. `?dry_run=true` checks everything and writes nothing.
struct HamletImport: Sendable {
    struct Result: ResponseEncodable {
        let dryRun: Bool
        let imported: Int
        /// The new hamlets' codes, in the order of the items (on a dry run, the codes they would get).
        let codes: [String]
    }

    /// A district has a few hundred hamlets; a province-wide file of every hamlet is under 3,000.
    static let limits = ImportLimits(key: "hamlets", maximumCount: 3000, maximumSize: 1024 * 1024)

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("imports/hamlets", use: create)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Result> {
        let caller = try context.requireCaller(holding: .unitsManage)
        var batch = try await ImportBatch<HamletWrites.NewHamlet>(request, Self.limits)
        var hamlets: [(index: Int, commune: Int, name: String, kind: HamletKind)] = []
        for (index, item) in batch.items.enumerated() {
            batch.faults.collect(index, field: "commune_code") {
                let commune = try HamletWrites.commune(item.communeCode, field: "commune_code", caller: caller)
                hamlets.append((index, commune, try HamletWrites.name(item.name), try HamletWrites.kind(item.kind)))
            }
        }
        let codes = try await database.withCallerScope(caller, dryRun: batch.dryRun) { transaction in
            let communes = Set(hamlets.map(\.commune)).sorted()
            // The next numbers in each commune; the locks (in code order, so two imports cannot deadlock) keep a
            // concurrent creation from choosing the same ones. As for one new hamlet, the numbers follow the codes'
            // commune prefix: a hamlet moved to another commune keeps its code.
            for commune in communes { try await transaction.query("SELECT pg_advisory_xact_lock(\(Int64(commune)))") }
            try await Self.refuseDuplicates(of: hamlets, faults: &batch.faults, in: transaction)
            try batch.faults.throwIfAny()
            // The last numbers are read per commune in one grouped scan of the communes' districts, which Citus runs
            // on the shards (it plans no aggregate in a lateral subquery of the reference units).
            let districts = Set(communes.compactMap { caller.policy.district(of: $0)?.rawValue }).sorted()
            return try await transaction.rows(
                """
                WITH last AS (
                    SELECT split_part(h.code, '-', 1) AS prefix, max(split_part(h.code, '-', 2)::int) AS number,
                           max(h.display_order) AS display_order
                    FROM cds.hamlets h
                    WHERE h.tenant_id = ANY (\(districts)::int[]) AND split_part(h.code, '-', 1) = ANY (\(communes.map(String.init))::text[])
                    GROUP BY split_part(h.code, '-', 1)
                )
                INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind, display_order)
                SELECT u.district_code,
                       cds.hamlet_code(u.code, coalesce(last.number, 0) + row_number() OVER (PARTITION BY u.code ORDER BY item.position)),
                       u.code, item.name, item.kind,
                       coalesce(last.display_order, 0) + row_number() OVER (PARTITION BY u.code ORDER BY item.position)
                FROM unnest(\(hamlets.map(\.commune))::int[], \(hamlets.map(\.name))::text[], \(hamlets.map(\.kind.rawValue))::text[])
                     WITH ORDINALITY AS item (commune_code, name, kind, position)
                JOIN cds.units u ON u.code = item.commune_code AND u.level = 'commune'
                LEFT JOIN last ON last.prefix = u.code::text
                ORDER BY item.position
                RETURNING code
                """,
                as: String.self
            )
        }
        return batch.response(Result(dryRun: batch.dryRun, imported: codes.count, codes: codes))
    }

    /// A current hamlet of the commune with the same name (letter case aside), or the same name twice in the file.
    private static func refuseDuplicates(
        of hamlets: [(index: Int, commune: Int, name: String, kind: HamletKind)],
        faults: inout BatchFaults,
        in transaction: borrowing TenantTransaction
    ) async throws {
        let existing = try await transaction.rows(
            """
            SELECT commune_code, name, code FROM cds.hamlets
            WHERE commune_code = ANY (\(Array(Set(hamlets.map(\.commune))))) AND (valid_to IS NULL OR valid_to > current_date)
            """,
            as: (Int, String, String).self
        )
        // Lowercased here rather than by PostgreSQL, whose lower() follows the database's locale.
        var taken = Dictionary(
            existing.map { commune, name, code in ("\(commune)/\(name.lowercased())", "the commune already has this hamlet: \(code)") }
        ) {
            first,
            _ in first
        }
        for hamlet in hamlets {
            let key = "\(hamlet.commune)/\(hamlet.name.lowercased())"
            if let reason = taken[key] {
                faults.add(hamlet.index, field: "name", code: .duplicate, reason)
            } else {
                taken[key] = "the file names this hamlet of the commune twice (first as hamlets[\(hamlet.index)])"
            }
        }
    }
}
