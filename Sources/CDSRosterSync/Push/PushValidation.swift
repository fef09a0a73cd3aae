import CDSCore
import CDSDatabase
import PostgresNIO

/// The checks of a push that need the whole batch or the district's data, run set-wise over the staging table:
/// each marks the records it refuses invalid and reports them. They run in order — hamlets before the teams that
/// name them, teams before their members — so that a record refused makes those that depend on it refused too.
///
/// Every check reads the registry in a `WITH` query of its own, narrowed to the district, the source and what the
/// batch names, and compares the staging table with that alone. Citus requires it: it modifies no plain table (the
/// staging table is one) in a statement that looks into one of its tables row by row, but it runs such a query first,
/// on the shard, and hands its rows to the statement. The units are read before the checks, for the same reason
/// (Citus locks a reference table's placements for any statement that modifies a row).
///
/// A record passed over unchanged (``ResentRecords``) is not checked again: its row passed these checks when it was
/// written, and the registry's constraints have held it since. It still counts for what the push names — a reference
/// to it, its external id sent twice, what a FULL push keeps — so a new record that would take its unit or its
/// team's leadership is the one refused.
struct PushValidation {
    let plan: PushPlan
    var faults: PushFaults
    /// Nil when the push stages every record.
    var resent: ResentRecords?
    /// The held digests the push did not send again (nil when it stages every record): a registry row is in the
    /// push when it is staged or its digest is not among these.
    let notResent: [Int64]?

    init(plan: PushPlan, faults: PushFaults, resent: ResentRecords?) {
        self.plan = plan
        self.faults = faults
        self.resent = resent
        notResent = resent?.notResent
    }

    mutating func run(in transaction: borrowing TenantTransaction) async throws {
        let district = plan.district.rawValue
        let source = plan.source
        let full = plan.full
        // A registry row a FULL push leaves out is neither staged nor passed over.
        let stagesAll = notResent == nil
        let notResentDigests = notResent ?? []
        try await reject(
            .duplicateInBatch,
            in: transaction,
            """
            UPDATE pg_temp.sync_records s SET valid = false
            WHERE s.valid AND EXISTS (SELECT 1 FROM pg_temp.sync_records o WHERE o.kind = s.kind AND o.external_id = s.external_id AND o.pos < s.pos)
            RETURNING s.kind::int, s.pos, s.external_id
            """
        )
        try await refuseCopiesOfPassedOverRecords(in: transaction)
        let communes = try await transaction.rows(
            "SELECT u.code FROM cds.units u WHERE u.district_code = \(district) AND u.level = 'commune'",
            as: Int.self
        )
        try await reject(
            .unknownCommune(of: district),
            in: transaction,
            """
            UPDATE pg_temp.sync_records s SET valid = false
            WHERE s.valid AND s.kind IN (1, 2) AND s.commune_code <> ALL (\(communes)::integer[])
            RETURNING s.kind::int, s.pos, s.external_id
            """
        )
        try await reject(
            .unknownHamlet,
            in: transaction,
            """
            WITH held AS (
                SELECT h.external_id, h.commune_code FROM cds.hamlets h
                WHERE h.tenant_id = \(district) AND h.source_system = \(source)
                  AND h.external_id IN (SELECT hamlet_external_id FROM pg_temp.sync_records WHERE kind = 2 AND level = 'hamlet'))
            UPDATE pg_temp.sync_records s SET valid = false
            WHERE s.valid AND s.kind = 2 AND s.level = 'hamlet'
              AND NOT EXISTS (SELECT 1 FROM pg_temp.sync_records h WHERE h.kind = 1 AND h.valid AND h.external_id = s.hamlet_external_id
                                                                     AND h.commune_code = s.commune_code)
              AND NOT EXISTS (SELECT 1 FROM held h WHERE h.external_id = s.hamlet_external_id AND h.commune_code = s.commune_code)
            RETURNING s.kind::int, s.pos, s.external_id
            """
        )
        // One active team per unit: another team of the push for the same unit, an active commune team of the
        // commune, or an active team of the hamlet. Three statements, each reaching its rows through an index (one
        // statement with a CASE over both levels scanned every team of the district for each team of the push).
        let unitTaken: [PostgresQuery] = [
            """
            UPDATE pg_temp.sync_records s SET valid = false
            FROM (SELECT kind, pos, row_number() OVER (PARTITION BY level, commune_code, hamlet_external_id ORDER BY pos) AS rank
                  FROM pg_temp.sync_records WHERE kind = 2 AND valid) AS later
            WHERE s.kind = later.kind AND s.pos = later.pos AND later.rank > 1
            RETURNING s.kind::int, s.pos, s.external_id
            """,
            """
            WITH active AS (
                SELECT t.commune_code, t.source_system, t.external_id, t.source_digest FROM cds.teams t
                WHERE t.tenant_id = \(district) AND t.level = 'commune' AND t.status = 'active'
                  AND t.commune_code IN (SELECT commune_code FROM pg_temp.sync_records WHERE kind = 2 AND level = 'commune'))
            UPDATE pg_temp.sync_records s SET valid = false
            WHERE s.valid AND s.kind = 2 AND s.level = 'commune' AND EXISTS (
                SELECT 1 FROM active t
                WHERE t.commune_code = s.commune_code
                  AND NOT (t.source_system = \(source) AND t.external_id = s.external_id)
                  -- A team of this source that a FULL push leaves out is about to be dissolved.
                  AND NOT (\(full) AND t.source_system = \(source)
                           AND NOT EXISTS (SELECT 1 FROM pg_temp.sync_records o WHERE o.kind = 2 AND o.external_id = t.external_id)
                           AND (\(stagesAll) OR t.source_digest IS NULL OR t.source_digest = ANY(\(notResentDigests)))))
            RETURNING s.kind::int, s.pos, s.external_id
            """,
            """
            WITH active AS (
                SELECT h.external_id AS hamlet_external_id, t.source_system, t.external_id, t.source_digest FROM cds.hamlets h
                JOIN cds.teams t ON t.tenant_id = h.tenant_id AND t.hamlet_code = h.code AND t.level = 'hamlet' AND t.status = 'active'
                WHERE h.tenant_id = \(district) AND h.source_system = \(source)
                  AND h.external_id IN (SELECT hamlet_external_id FROM pg_temp.sync_records WHERE kind = 2 AND level = 'hamlet'))
            UPDATE pg_temp.sync_records s SET valid = false
            WHERE s.valid AND s.kind = 2 AND s.level = 'hamlet' AND EXISTS (
                SELECT 1 FROM active t
                WHERE t.hamlet_external_id = s.hamlet_external_id
                  AND NOT (t.source_system = \(source) AND t.external_id = s.external_id)
                  AND NOT (\(full) AND t.source_system = \(source)
                           AND NOT EXISTS (SELECT 1 FROM pg_temp.sync_records o WHERE o.kind = 2 AND o.external_id = t.external_id)
                           AND (\(stagesAll) OR t.source_digest IS NULL OR t.source_digest = ANY(\(notResentDigests)))))
            RETURNING s.kind::int, s.pos, s.external_id
            """,
        ]
        for statement in unitTaken {
            try await reject(
                .unitHasTeam,
                in: transaction,
                statement
            )
        }
        try await reject(
            .unknownTeam,
            in: transaction,
            """
            WITH active AS (
                SELECT t.external_id FROM cds.teams t
                WHERE t.tenant_id = \(district) AND t.source_system = \(source) AND t.status = 'active'
                  AND t.external_id IN (SELECT team_external_id FROM pg_temp.sync_records WHERE kind = 3))
            UPDATE pg_temp.sync_records s SET valid = false
            WHERE s.valid AND s.kind = 3
              AND NOT EXISTS (SELECT 1 FROM pg_temp.sync_records t WHERE t.kind = 2 AND t.valid AND t.external_id = s.team_external_id)
              AND NOT EXISTS (SELECT 1 FROM active t WHERE t.external_id = s.team_external_id)
            RETURNING s.kind::int, s.pos, s.external_id
            """
        )
        // One current leader per team: a second leader of the push for one team, or a current leader the push
        // neither demotes nor (FULL) leaves out. The team's leaders are gathered once and joined, not looked up
        // for every leader of the push (which, on statistics not yet updated after a large load, scanned the
        // district's members each time).
        try await reject(
            .secondLeader,
            in: transaction,
            """
            UPDATE pg_temp.sync_records s SET valid = false
            FROM (SELECT kind, pos, row_number() OVER (PARTITION BY team_external_id ORDER BY pos) AS rank
                  FROM pg_temp.sync_records WHERE kind = 3 AND valid AND role = 'leader') AS later
            WHERE s.kind = later.kind AND s.pos = later.pos AND later.rank > 1
            RETURNING s.kind::int, s.pos, s.external_id
            """
        )
        try await reject(
            .secondLeader,
            in: transaction,
            """
            WITH leaders AS MATERIALIZED (
                SELECT t.external_id AS team, m.source_system, m.external_id, m.source_digest AS digest
                FROM cds.teams t JOIN cds.members m ON m.tenant_id = t.tenant_id AND m.team_id = t.id
                WHERE t.tenant_id = \(district) AND t.source_system = \(source) AND m.role = 'leader' AND m.left_on IS NULL
                  -- Only the teams the push names a leader for: the others' leaders are not in question.
                  AND t.external_id IN (SELECT team_external_id FROM pg_temp.sync_records WHERE kind = 3 AND valid AND role = 'leader')
            ),
            staying AS (
                SELECT l.team FROM leaders l
                -- This source's own members: the push gives them their new role, or a FULL push leaves them out.
                WHERE NOT (l.source_system = \(source) AND EXISTS (
                          SELECT 1 FROM pg_temp.sync_records o WHERE o.kind = 3 AND o.external_id = l.external_id AND o.valid AND o.role <> 'leader'))
                  AND NOT (\(full) AND l.source_system = \(source)
                           AND NOT EXISTS (SELECT 1 FROM pg_temp.sync_records o WHERE o.kind = 3 AND o.external_id = l.external_id)
                           AND (\(stagesAll) OR l.digest IS NULL OR l.digest = ANY(\(notResentDigests))))
                  AND NOT (l.source_system = \(source) AND EXISTS (
                          SELECT 1 FROM pg_temp.sync_records o WHERE o.kind = 3 AND o.external_id = l.external_id AND o.role = 'leader'
                                                                   AND o.team_external_id = l.team))
            )
            UPDATE pg_temp.sync_records s SET valid = false
            WHERE s.valid AND s.kind = 3 AND s.role = 'leader'
              AND s.team_external_id IN (SELECT team FROM staying)
              AND NOT EXISTS (SELECT 1 FROM leaders l WHERE l.team = s.team_external_id AND l.source_system = \(source) AND l.external_id = s.external_id)
            RETURNING s.kind::int, s.pos, s.external_id
            """
        )
        try await reject(
            .unknownRecord,
            in: transaction,
            """
            WITH named AS (
                SELECT tombstone_kind AS kind, external_id FROM pg_temp.sync_records WHERE kind = 4),
            held AS (
                SELECT 1 AS kind, h.external_id FROM cds.hamlets h
                WHERE h.tenant_id = \(district) AND h.source_system = \(source) AND h.external_id IN (SELECT external_id FROM named WHERE kind = 1)
                UNION ALL
                SELECT 2, t.external_id FROM cds.teams t
                WHERE t.tenant_id = \(district) AND t.source_system = \(source) AND t.external_id IN (SELECT external_id FROM named WHERE kind = 2)
                UNION ALL
                SELECT 3, m.external_id FROM cds.members m
                WHERE m.tenant_id = \(district) AND m.source_system = \(source) AND m.external_id IN (SELECT external_id FROM named WHERE kind = 3))
            UPDATE pg_temp.sync_records s SET valid = false
            WHERE s.valid AND s.kind = 4
              AND NOT EXISTS (SELECT 1 FROM held WHERE held.kind = s.tombstone_kind AND held.external_id = s.external_id)
            RETURNING s.kind::int, s.pos, s.external_id
            """
        )
    }

    /// An external id both passed over unchanged and staged changed: the later copy is refused, as two staged copies
    /// are. The staged records that have a held row are few (those that changed), and so are their lookups.
    private mutating func refuseCopiesOfPassedOverRecords(in transaction: borrowing TenantTransaction) async throws {
        guard var resent else { return }
        let selects = [StagedRecord.Kind.hamlet, .team, .member].map { kind in
            let (table, isActive) = PushMerge.target(kind)
            return """
                SELECT \(kind.rawValue) AS kind, x.external_id, x.source_digest FROM \(table) x
                WHERE x.tenant_id = $1 AND x.source_system = $2 AND \(isActive) AND x.source_digest IS NOT NULL
                  AND x.external_id IN (SELECT external_id FROM pg_temp.sync_records WHERE kind = \(kind.rawValue))
                """
        }
        var binds = PostgresBindings()
        binds.append(plan.district.rawValue)
        binds.append(plan.source)
        let candidates = try await transaction.rows(
            PostgresQuery(
                unsafeSQL: """
                    WITH held AS (\(selects.joined(separator: " UNION ALL ")))
                    SELECT s.kind::int, s.pos, s.external_id, s.valid, held.source_digest
                    FROM pg_temp.sync_records s JOIN held ON held.kind = s.kind AND held.external_id = s.external_id
                    """,
                binds: binds
            ),
            as: (Int, Int, String, Bool, Int64).self
        )
        var laterKinds: [Int] = []
        var laterPositions: [Int] = []
        var refusedPassedOver: Set<Int64> = []
        for (rawKind, position, externalID, valid, digest) in candidates {
            guard let kind = StagedRecord.Kind(rawValue: rawKind), let first = resent.position(of: digest) else { continue }
            if first < position {
                // Already refused (by the field checks, or as a copy of an earlier staged one): reported once.
                guard valid else { continue }
                laterKinds.append(rawKind)
                laterPositions.append(position)
                faults.add(kind: kind, position: position, externalID: externalID, refusal: .duplicateInBatch)
            } else if refusedPassedOver.insert(digest).inserted {
                resent.refuse(kind)
                faults.add(kind: kind, position: first, externalID: externalID, refusal: .duplicateInBatch)
            }
        }
        self.resent = resent
        guard !laterKinds.isEmpty else { return }
        try await transaction.query(
            """
            UPDATE pg_temp.sync_records s SET valid = false
            FROM unnest(\(laterKinds)::smallint[], \(laterPositions)::integer[]) AS later (kind, pos)
            WHERE s.kind = later.kind AND s.pos = later.pos
            """
        )
    }

    /// Marks the records `statement` returns (kind, position, external id) refused for `refusal`.
    private mutating func reject(_ refusal: ValidationError, in transaction: borrowing TenantTransaction, _ statement: PostgresQuery) async throws {
        for (kind, position, externalID) in try await transaction.rows(statement, as: (Int, Int, String).self) {
            guard let kind = StagedRecord.Kind(rawValue: kind) else { continue }
            faults.add(kind: kind, position: position, externalID: externalID, refusal: refusal)
        }
    }
}
