import CDSCore
import CDSDatabase
import CDSRosterProto
import Foundation

/// The changes of one district since a watermark, read page by page from one snapshot.
///
/// The snapshot's counter value V is read first: every change numbered up to V is committed in that snapshot (a
/// writer holds the counter's row until it commits), so the pages are complete up to V and the stream ends with V.
/// Records of every source come, those made by district staff included; a record no longer active (a member who
/// left, a dissolved team, a retired hamlet) comes as a tombstone.
struct RosterPull {
    let district: TenantID
    let since: Int64
    let pageSize: Int

    /// Runs the pull in `transaction`, handing each page to `send`.
    /// - Returns: the district's watermark (V) and the ids of the members sent with their personal data.
    func run(
        in transaction: borrowing TenantTransaction,
        send: ([Cds_Roster_V1_Change], Int64) async throws -> Void
    ) async throws -> (watermark: Int64, members: [String]) {
        let current = try await transaction.rows(
            "SELECT coalesce(max(value), 0) FROM cds.roster_watermarks WHERE tenant_id = \(district.rawValue)",
            as: Int64.self
        )[0]
        var position = since
        var members: [String] = []
        while position < current {
            var page = try await hamlets(after: position, upTo: current, in: transaction)
            page += try await teams(after: position, upTo: current, in: transaction)
            page += try await memberChanges(after: position, upTo: current, in: transaction)
            page.sort { $0.watermark < $1.watermark }
            page = Array(page.prefix(pageSize))
            guard let last = page.last else { break }
            members += page.compactMap { if case .member(let member) = $0.record { member.id } else { nil } }
            position = last.watermark
            try await send(page, position)
        }
        try await send([], current)
        return (current, members)
    }

    private func hamlets(
        after position: Int64,
        upTo current: Int64,
        in transaction: borrowing TenantTransaction
    ) async throws -> [Cds_Roster_V1_Change] {
        try await transaction.rows(
            """
            SELECT change_seq, code, coalesce(external_id, ''), source_system, commune_code::text, name, kind,
                   valid_to IS NOT NULL AND valid_to <= current_date
            FROM cds.hamlets WHERE tenant_id = \(district.rawValue) AND change_seq > \(position) AND change_seq <= \(current)
            ORDER BY change_seq LIMIT \(pageSize)
            """,
            as: (Int64, String, String, String, String, String, String, Bool).self
        ).map { seq, code, externalID, source, commune, name, kind, retired in
            Self.change(seq, source: source, of: .hamlet, externalID: externalID, id: code, ended: retired) {
                .hamlet(
                    .with {
                        $0.externalID = externalID
                        $0.code = code
                        $0.communeCode = commune
                        $0.name = name
                        $0.kind = kind
                    }
                )
            }
        }
    }

    private func teams(after position: Int64, upTo current: Int64, in transaction: borrowing TenantTransaction) async throws -> [Cds_Roster_V1_Change]
    {
        try await transaction.rows(
            """
            SELECT t.change_seq, t.id::text, coalesce(t.external_id, ''), t.source_system, t.level, t.commune_code::text,
                   coalesce(h.external_id, ''), t.name, coalesce(t.established_on::text, ''), coalesce(t.decision_ref, ''),
                   t.status = 'dissolved'
            FROM cds.teams t LEFT JOIN cds.hamlets h ON h.tenant_id = t.tenant_id AND h.code = t.hamlet_code
            WHERE t.tenant_id = \(district.rawValue) AND t.change_seq > \(position) AND t.change_seq <= \(current)
            ORDER BY t.change_seq LIMIT \(pageSize)
            """,
            as: (Int64, String, String, String, String, String, String, String, String, String, Bool).self
        ).map { seq, id, externalID, source, level, commune, hamlet, name, established, decision, dissolved in
            Self.change(seq, source: source, of: .team, externalID: externalID, id: id, ended: dissolved) {
                .team(
                    .with {
                        $0.id = id
                        $0.externalID = externalID
                        $0.level = level
                        $0.communeCode = commune
                        $0.hamletExternalID = hamlet
                        $0.name = name
                        $0.establishedOn = established
                        $0.decisionRef = decision
                    }
                )
            }
        }
    }

    private func memberChanges(
        after position: Int64,
        upTo current: Int64,
        in transaction: borrowing TenantTransaction
    ) async throws -> [Cds_Roster_V1_Change] {
        try await transaction.rows(
            """
            SELECT m.change_seq, m.id::text, coalesce(m.external_id, ''), m.source_system, coalesce(t.external_id, ''), m.full_name,
                   coalesce(m.gender, ''), coalesce(m.birth_year, 0)::int, coalesce(m.phone, ''), m.role, m.affiliation,
                   m.has_smartphone, m.trained, coalesce(m.ethnicity, ''), m.left_on IS NOT NULL
            FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
            WHERE m.tenant_id = \(district.rawValue) AND m.change_seq > \(position) AND m.change_seq <= \(current)
            ORDER BY m.change_seq LIMIT \(pageSize)
            """,
            as: (Int64, String, String, String, String, String, String, Int, String, String, String, Bool, Bool, String, Bool).self
        ).map { row in
            let (seq, id, externalID, source, team, name, gender, birthYear, phone, role, affiliation, smartphone, trained, ethnicity, left) = row
            return Self.change(seq, source: source, of: .member, externalID: externalID, id: id, ended: left) {
                .member(
                    .with {
                        $0.id = id
                        $0.externalID = externalID
                        $0.teamExternalID = team
                        $0.fullName = name
                        $0.gender = gender
                        $0.birthYear = Int32(birthYear)
                        $0.phone = phone
                        $0.role = role
                        $0.affiliation = affiliation
                        $0.hasSmartphone_p = smartphone
                        $0.trained = trained
                        $0.ethnicity = ethnicity
                    }
                )
            }
        }
    }

    /// A change numbered `seq`: the record, or its tombstone when the record has `ended` (left, dissolved, retired).
    private static func change(
        _ seq: Int64,
        source: String,
        of kind: Cds_Roster_V1_RecordKind,
        externalID: String,
        id: String,
        ended: Bool,
        record: () -> Cds_Roster_V1_Change.OneOf_Record
    ) -> Cds_Roster_V1_Change {
        .with {
            $0.watermark = seq
            $0.sourceSystem = source == "local" ? "" : source
            $0.record =
                ended
                ? .tombstone(
                    .with {
                        $0.kind = kind
                        $0.externalID = externalID
                        $0.id = id
                    }
                ) : record()
        }
    }
}
