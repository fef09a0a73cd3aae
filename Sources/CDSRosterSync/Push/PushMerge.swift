import CDSDatabase
import CDSRosterProto
import Foundation
import GRPCCore
import PostgresNIO

/// The valid staged records merged into the registry, and what the push leaves out (FULL) or names in tombstones
/// (DELTA) deactivated: kept, marked inactive, reactivated when they come back.
///
/// The staging table is read in `WITH` queries (`staged`, `named`) and the registry's rows are joined to those, never
/// looked up row by row from the staging table: Citus runs a query on a plain table first and hands its rows to the
/// statement, where it plans no join between its tables and a plain one.
///
/// Every row it writes is stamped from the range it reserves on the district's change counter (locked since the push
/// began): the staged records by their order in the push, then the deactivations. Deactivations run before the
/// changes that might need their place — a team dissolved before another takes its unit, a leader gone before
/// another is named — since the one-per-unit and one-leader-per-team indexes are checked row by row.
struct PushMerge {
    let plan: PushPlan
    let base: Int64
    /// The records of each kind the push sent, staged or passed over: each took its position, and so its stamp.
    let records: [StagedRecord.Kind: Int]
    /// The records of each kind passed over unchanged (``ResentRecords``), never staged.
    let passedOver: [StagedRecord.Kind: Int64]
    /// The digests of the source's active rows that the push did not send again as they are (nil when the push
    /// compared every record): a row it leaves out has one of these or none.
    let notResentDigests: [Int64]?

    struct Result {
        var hamlets = Cds_Roster_V1_KindCounts()
        var teams = Cds_Roster_V1_KindCounts()
        var members = Cds_Roster_V1_KindCounts()
        var watermark: Int64 = 0
    }

    /// More than this share of a source's active records deactivated by one FULL push needs allow_mass_deactivation.
    static let massDeactivationShare = 0.2

    func run(in transaction: borrowing TenantTransaction) async throws -> Result {
        let district = plan.district.rawValue
        let source = plan.source
        // The time of the push's changes, bound: Citus sends no now() inside a CASE to the shards.
        let now = Date()
        let (validHamlets, validTeams, validMembers) = try await transaction.rows(
            """
            SELECT count(*) FILTER (WHERE kind = 1 AND valid), count(*) FILTER (WHERE kind = 2 AND valid),
                   count(*) FILTER (WHERE kind = 3 AND valid)
            FROM pg_temp.sync_records
            """,
            as: (Int64, Int64, Int64).self
        )[0]
        // A record's stamp is its place in the push ordered by kind then position, so the first stamp of each kind
        // plus the record's position (positions count from 0 within a kind). Every record the push sent takes its
        // number, the invalid, the tombstones and those passed over included.
        let hamletStamps = base + 1
        let teamStamps = hamletStamps + Int64(records[.hamlet] ?? 0)
        let memberStamps = teamStamps + Int64(records[.team] ?? 0)
        var next = base + Int64(records.values.reduce(0, +))
        let (leaving, active) = try await deactivationCounts(in: transaction)
        if plan.full, active > 0, Double(leaving) > Self.massDeactivationShare * Double(active), !plan.allowMassDeactivation {
            throw RPCError(
                code: .failedPrecondition,
                message: "this FULL push would deactivate \(leaving) of the \(active) active records of \(source) in district \(district) "
                    + "(more than \(Int(Self.massDeactivationShare * 100)) %); send it with allow_mass_deactivation if that is meant"
            )
        }
        // The range: the staged records, then at most every active record deactivated. Writes the triggers stamp on
        // their own (a team following its hamlet to another commune) take numbers above it.
        try await transaction.query(
            "UPDATE cds.roster_watermarks SET value = \(next + active) WHERE tenant_id = \(district)"
        )
        var result = Result()
        try await transaction.query(
            """
            SELECT pg_advisory_xact_lock(c::bigint)
            FROM (SELECT DISTINCT commune_code AS c FROM pg_temp.sync_records WHERE kind = 1 AND valid ORDER BY 1) AS communes
            """
        )
        let hamletChanged = "(h.commune_code, h.name, h.kind, h.valid_to) IS DISTINCT FROM (s.commune_code, s.name, s.hamlet_kind, NULL::date)"
        result.hamlets.updated = try await count(
            in: transaction,
            """
            WITH staged AS (SELECT * FROM pg_temp.sync_records WHERE kind = 1 AND valid),
            written AS (
                UPDATE cds.hamlets h SET commune_code = s.commune_code, name = s.name, kind = s.hamlet_kind, valid_to = NULL,
                                         change_seq = CASE WHEN \(unescaped: hamletChanged) THEN \(hamletStamps) + s.pos ELSE h.change_seq END,
                                         updated_at = CASE WHEN \(unescaped: hamletChanged) THEN cds.renewed_at(h.updated_at, \(now)) ELSE h.updated_at END,
                                         source_digest = s.digest
                FROM staged s
                WHERE h.tenant_id = \(district) AND h.source_system = \(source) AND h.external_id = s.external_id
                  AND (\(unescaped: hamletChanged) OR h.source_digest IS DISTINCT FROM s.digest)
                RETURNING h.code, h.commune_code, h.change_seq = \(hamletStamps) + s.pos AS changed),
            -- A hamlet moved to another commune takes its team along, in this statement: the team's foreign key to
            -- its hamlet is checked at commit, when both have moved.
            followed AS (
                UPDATE cds.teams t SET commune_code = written.commune_code, updated_at = cds.renewed_at(t.updated_at, \(now))
                FROM written
                WHERE t.tenant_id = \(district) AND t.hamlet_code = written.code AND t.commune_code <> written.commune_code)
            SELECT count(*) FILTER (WHERE changed) FROM written
            """
        )
        result.hamlets.inserted = try await countHashing(
            in: transaction,
            """
            WITH staged AS (SELECT * FROM pg_temp.sync_records WHERE kind = 1 AND valid),
            held AS (
                SELECT h.external_id FROM cds.hamlets h
                WHERE h.tenant_id = \(district) AND h.source_system = \(source) AND h.external_id IN (SELECT external_id FROM staged)),
            last AS (
                -- Each commune's last hamlet number and display order, once (a hamlet moved away keeps its code).
                SELECT split_part(h.code, '-', 1) AS commune, max(split_part(h.code, '-', 2)::integer) AS number,
                       max(h.display_order) AS display_order
                FROM cds.hamlets h WHERE h.tenant_id = \(district) GROUP BY 1),
            added AS (
                INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind, display_order, source_system, external_id, change_seq,
                                         source_digest)
                SELECT \(district), cds.hamlet_code(s.commune_code, coalesce(last.number, 0) + row_number() OVER w), s.commune_code,
                       s.name, s.hamlet_kind, coalesce(last.display_order, 0) + row_number() OVER w, \(source), s.external_id,
                       \(hamletStamps) + s.pos, s.digest
                FROM staged s
                LEFT JOIN last ON last.commune = s.commune_code::text
                WHERE NOT EXISTS (SELECT 1 FROM held WHERE held.external_id = s.external_id)
                WINDOW w AS (PARTITION BY s.commune_code ORDER BY s.pos)
                RETURNING 1)
            SELECT count(*) FROM added
            """
        )
        result.teams.deactivated = try await deactivate(.team, from: &next, in: transaction)
        let teamChanged = """
            (t.level, t.commune_code, t.hamlet_code, t.name, t.established_on, t.decision_ref, t.status)
                IS DISTINCT FROM (s.level, s.commune_code, s.hamlet_code, s.name, s.established_on, s.decision_ref, 'active')
            """
        result.teams.updated = try await count(
            in: transaction,
            """
            WITH \(placedTeamsOf: plan),
            written AS (
                UPDATE cds.teams t SET level = s.level, commune_code = s.commune_code, hamlet_code = s.hamlet_code, name = s.name,
                                       established_on = s.established_on, decision_ref = s.decision_ref, status = 'active', dissolved_on = NULL,
                                       change_seq = CASE WHEN \(unescaped: teamChanged) THEN \(teamStamps) + s.pos ELSE t.change_seq END,
                                       updated_at = CASE WHEN \(unescaped: teamChanged) THEN cds.renewed_at(t.updated_at, \(now)) ELSE t.updated_at END,
                                       source_digest = s.digest
                FROM placed s
                WHERE t.tenant_id = \(district) AND t.source_system = \(source) AND t.external_id = s.external_id
                  AND (\(unescaped: teamChanged) OR t.source_digest IS DISTINCT FROM s.digest)
                RETURNING t.change_seq = \(teamStamps) + s.pos AS changed)
            SELECT count(*) FILTER (WHERE changed) FROM written
            """
        )
        result.teams.inserted = try await countHashing(
            in: transaction,
            """
            WITH \(placedTeamsOf: plan),
            held AS (
                SELECT t.external_id FROM cds.teams t
                WHERE t.tenant_id = \(district) AND t.source_system = \(source) AND t.external_id IN (SELECT external_id FROM staged)),
            added AS (
                INSERT INTO cds.teams (tenant_id, level, commune_code, hamlet_code, name, established_on, decision_ref,
                                       source_system, external_id, change_seq, source_digest)
                SELECT \(district), s.level, s.commune_code, s.hamlet_code, s.name, s.established_on, s.decision_ref, \(source), s.external_id,
                       \(teamStamps) + s.pos, s.digest
                FROM placed s
                WHERE NOT EXISTS (SELECT 1 FROM held WHERE held.external_id = s.external_id)
                RETURNING 1)
            SELECT count(*) FROM added
            """
        )
        result.members.deactivated = try await deactivate(.member, from: &next, in: transaction)
        let memberChanged = """
            (m.team_id, m.full_name, m.gender, m.birth_year, m.phone, m.role, m.affiliation, m.has_smartphone, m.trained, m.ethnicity, m.left_on)
                IS DISTINCT FROM (s.team_id, s.full_name, s.gender, s.birth_year, s.phone, s.role, s.affiliation, s.has_smartphone, s.trained,
                                  s.ethnicity, NULL::date)
            """
        // Leaders last, so that the one they replace has become a deputy or member first.
        for leaders in [false, true] {
            result.members.updated += try await count(
                in: transaction,
                """
                WITH \(placedMembersOf: plan, leaders: leaders),
                written AS (
                    UPDATE cds.members m SET team_id = s.team_id, full_name = s.full_name, gender = s.gender, birth_year = s.birth_year,
                                             phone = s.phone, role = s.role, affiliation = s.affiliation,
                                             has_smartphone = s.has_smartphone, trained = s.trained, ethnicity = s.ethnicity, left_on = NULL,
                                             change_seq = CASE WHEN \(unescaped: memberChanged) THEN \(memberStamps) + s.pos ELSE m.change_seq END,
                                             updated_at = CASE WHEN \(unescaped: memberChanged) THEN cds.renewed_at(m.updated_at, \(now)) ELSE m.updated_at END,
                                             source_digest = s.digest
                    FROM placed s
                    WHERE m.tenant_id = \(district) AND m.source_system = \(source) AND m.external_id = s.external_id
                      AND (\(unescaped: memberChanged) OR m.source_digest IS DISTINCT FROM s.digest)
                    RETURNING m.change_seq = \(memberStamps) + s.pos AS changed)
                SELECT count(*) FILTER (WHERE changed) FROM written
                """
            )
        }
        result.members.inserted = try await countHashing(
            in: transaction,
            """
            WITH \(placedMembersOf: plan, leaders: nil),
            held AS (
                SELECT m.external_id FROM cds.members m
                WHERE m.tenant_id = \(district) AND m.source_system = \(source) AND m.external_id IN (SELECT external_id FROM staged)),
            added AS (
                INSERT INTO cds.members (tenant_id, team_id, full_name, gender, birth_year, phone, role, affiliation, has_smartphone,
                                         trained, ethnicity, source_system, external_id, change_seq, source_digest)
                SELECT \(district), s.team_id, s.full_name, s.gender, s.birth_year, s.phone, s.role, s.affiliation, s.has_smartphone,
                       s.trained, s.ethnicity, \(source), s.external_id, \(memberStamps) + s.pos, s.digest
                FROM placed s
                WHERE NOT EXISTS (SELECT 1 FROM held WHERE held.external_id = s.external_id)
                RETURNING 1)
            SELECT count(*) FROM added
            """
        )
        result.hamlets.deactivated = try await deactivate(.hamlet, from: &next, in: transaction)
        result.hamlets.unchanged = validHamlets - result.hamlets.inserted - result.hamlets.updated + (passedOver[.hamlet] ?? 0)
        result.teams.unchanged = validTeams - result.teams.inserted - result.teams.updated + (passedOver[.team] ?? 0)
        result.members.unchanged = validMembers - result.members.inserted - result.members.updated + (passedOver[.member] ?? 0)
        result.watermark = try await transaction.rows(
            "SELECT value FROM cds.roster_watermarks WHERE tenant_id = \(district)",
            as: Int64.self
        )[0]
        return result
    }

    /// How many of the source's active records this push deactivates, and how many it has.
    private func deactivationCounts(in transaction: borrowing TenantTransaction) async throws -> (leaving: Int64, active: Int64) {
        var leaving: Int64 = 0
        var active: Int64 = 0
        for kind in [StagedRecord.Kind.hamlet, .team, .member] {
            let (table, isActive) = Self.target(kind)
            let (leavingOfKind, activeOfKind) = try await transaction.rows(
                PostgresQuery(
                    unsafeSQL: """
                        WITH \(named(kind))
                        SELECT (SELECT count(*) FROM \(table) x
                                WHERE x.tenant_id = $1 AND x.source_system = $2 AND \(isActive) AND \(leftOut(kind, alias: "x"))),
                               (SELECT count(*) FROM \(table) x WHERE x.tenant_id = $1 AND x.source_system = $2 AND \(isActive))
                        """,
                    binds: binds(next: 0)
                ),
                as: (Int64, Int64).self
            )[0]
            leaving += leavingOfKind
            active += activeOfKind
        }
        return (leaving, active)
    }

    /// Deactivates the source's active records of `kind` that the push leaves out (FULL) or names in tombstones
    /// (DELTA), stamping them from `next` on.
    private func deactivate(_ kind: StagedRecord.Kind, from next: inout Int64, in transaction: borrowing TenantTransaction) async throws -> Int64 {
        let (table, isActive) = Self.target(kind)
        let change =
            switch kind {
            case .hamlet: "valid_to = greatest(current_date, t.valid_from + 1)"
            case .team: "status = 'dissolved', dissolved_on = current_date"
            default: "left_on = greatest(current_date, t.joined_on)"
            }
        let key = kind == .hamlet ? "code" : "id"
        let binds = binds(next: next)
        // The digest goes with the row's activity (it names what the source sent for an active row). Cleared here,
        // the stamping trigger need not compare the row's images to find out: for 1,000 members, its time in the
        // UPDATE fell from 88 to 46 ms.
        let deactivated = try await countHashing(
            in: transaction,
            PostgresQuery(
                unsafeSQL: """
                    WITH \(named(kind)),
                    gone AS (
                        UPDATE \(table) t SET \(change), change_seq = $3 + n.rn, updated_at = now(), source_digest = NULL
                        FROM (SELECT x.\(key), row_number() OVER (ORDER BY x.\(key)) AS rn FROM \(table) x
                              WHERE x.tenant_id = $1 AND x.source_system = $2 AND \(isActive) AND \(leftOut(kind, alias: "x"))) AS n
                        WHERE t.tenant_id = $1 AND t.\(key) = n.\(key)
                        RETURNING 1)
                    SELECT count(*) FROM gone
                    """,
                binds: binds
            )
        )
        next += deactivated
        return deactivated
    }

    /// The registry's table of `kind`, and the test of an active row there (aliased `x`).
    static func target(_ kind: StagedRecord.Kind) -> (table: String, isActive: String) {
        switch kind {
        case .hamlet: ("cds.hamlets", "(x.valid_to IS NULL OR x.valid_to > current_date)")
        case .team: ("cds.teams", "x.status = 'active'")
        default: ("cds.members", "x.left_on IS NULL")
        }
    }

    /// Whether the push deactivates the record `alias`: a FULL push leaves it out; a DELTA push names it in a valid
    /// tombstone. The SQL differs by the kind of push (not a CASE on a parameter), so that PostgreSQL can plan the
    /// test as an anti- or semi-join of the staging table: inside a CASE it ran once per record, and with the
    /// statistics of a busy table it took ~40 s for a district instead of a fraction of a second. A FULL push that
    /// knows which digests it did not see again looks up only the rows that have one of those or none ($4): on a
    /// nightly re-push, a few thousand of the district's rows instead of all of them.
    private func leftOut(_ kind: StagedRecord.Kind, alias: String) -> String {
        guard plan.full else { return "EXISTS (SELECT 1 FROM named o WHERE o.external_id = \(alias).external_id)" }
        let notStaged = "NOT EXISTS (SELECT 1 FROM named o WHERE o.external_id = \(alias).external_id)"
        guard notResentDigests != nil else { return notStaged }
        return "(\(alias).source_digest IS NULL OR \(alias).source_digest = ANY ($4)) AND \(notStaged)"
    }

    /// The `WITH` query `named` that ``leftOut(_:alias:)`` reads: the external ids of `kind` that a FULL push sent, or
    /// that a DELTA push names in its valid tombstones.
    private func named(_ kind: StagedRecord.Kind) -> String {
        guard plan.full else {
            return "named AS (SELECT external_id FROM pg_temp.sync_records WHERE kind = 4 AND valid AND tombstone_kind = \(kind.rawValue))"
        }
        return "named AS (SELECT external_id FROM pg_temp.sync_records WHERE kind = \(kind.rawValue))"
    }

    /// $1 district, $2 source, $3 a deactivation's first stamp (unused by the counts), $4 the digests not sent again.
    private func binds(next: Int64) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(plan.district.rawValue)
        binds.append(plan.source)
        binds.append(next)
        binds.append(notResentDigests ?? [])
        return binds
    }

    private func count(in transaction: borrowing TenantTransaction, _ query: PostgresQuery) async throws -> Int64 {
        try await transaction.rows(query, as: Int64.self)[0]
    }

    /// ``count(in:_:)`` with nested loops off while the statement runs, for the statements that join two sets as large
    /// as the push or the district: an insert's `NOT EXISTS` against the rows the source has, a deactivation's
    /// numbered subquery against the rows it changes. Their row estimates come from the registry's statistics, which
    /// the push cannot refresh (ANALYZE is the owner's); when PostgreSQL takes a side for one row, it nests the join
    /// and runs the inner side once per row of the other. A deactivation took 35 s for 5,000 members that way, and a
    /// FULL re-push of 200,000 members into a district of a million had not inserted after 16 minutes. A hash join
    /// reads each side once, whatever the estimates say.
    private func countHashing(in transaction: borrowing TenantTransaction, _ query: PostgresQuery) async throws -> Int64 {
        let (planner, _) = try await transaction.rows(
            "SELECT current_setting('enable_nestloop'), set_config('enable_nestloop', 'off', true)",
            as: (String, String).self
        )[0]
        let written = try await count(in: transaction, query)
        try await transaction.query("SELECT set_config('enable_nestloop', \(planner), true)")
        return written
    }
}

extension PostgresQuery.StringInterpolation {
    /// ``PushMerge``'s `WITH` queries `staged` (the push's valid teams) and `placed` (each with the code of its hamlet,
    /// or null). The hamlets are read in a query of their own and joined to the staged teams before the teams are
    /// written: Citus 13.2 crashed planning an UPDATE of the teams joined to the staged rows and the hamlets at once.
    fileprivate mutating func appendInterpolation(placedTeamsOf plan: PushPlan) {
        appendLiteral("staged AS (SELECT * FROM pg_temp.sync_records WHERE kind = 2 AND valid), hamlet AS (")
        appendLiteral("SELECT h.external_id, h.code FROM cds.hamlets h WHERE h.tenant_id = ")
        appendInterpolation(plan.district.rawValue)
        appendLiteral(" AND h.source_system = ")
        appendInterpolation(plan.source)
        appendLiteral(" AND h.external_id IN (SELECT hamlet_external_id FROM staged)), ")
        appendLiteral(
            "placed AS MATERIALIZED (SELECT s.*, h.code AS hamlet_code FROM staged s LEFT JOIN hamlet h ON h.external_id = s.hamlet_external_id)"
        )
    }

    /// ``PushMerge``'s `WITH` queries `staged` (the push's valid members; its leaders alone, or the others, when
    /// `leaders` says) and `placed` (each with its team's id; a member of an unknown team is left out), as for teams.
    fileprivate mutating func appendInterpolation(placedMembersOf plan: PushPlan, leaders: Bool?) {
        appendLiteral("staged AS (SELECT * FROM pg_temp.sync_records WHERE kind = 3 AND valid")
        if let leaders {
            appendLiteral(" AND (role = 'leader') = ")
            appendInterpolation(leaders)
        }
        appendLiteral("), team AS (SELECT t.external_id, t.id FROM cds.teams t WHERE t.tenant_id = ")
        appendInterpolation(plan.district.rawValue)
        appendLiteral(" AND t.source_system = ")
        appendInterpolation(plan.source)
        appendLiteral(" AND t.external_id IN (SELECT team_external_id FROM staged)), ")
        appendLiteral("placed AS MATERIALIZED (SELECT s.*, t.id AS team_id FROM staged s JOIN team t ON t.external_id = s.team_external_id)")
    }
}
