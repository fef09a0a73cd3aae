import CDSDatabase
import Foundation
import PostgresNIO

/// A team as the admin API reads it, over `cds.teams t`.
struct TeamRow: RowDecodable {
    /// The select list, in the order ``init(cells:)`` reads it; the member count is of current members; the version last.
    static let columns = """
        t.id, t.tenant_id, t.level, t.commune_code, t.hamlet_code, t.name, t.established_on::text, t.decision_ref, t.status,
        t.dissolved_on::text,
        (SELECT count(*)::int FROM cds.members m WHERE m.tenant_id = t.tenant_id AND m.team_id = t.id AND m.left_on IS NULL),
        """ + EntityVersion.expression("t")

    let id: UUID
    let districtCode: Int
    let level: String
    let communeCode: Int
    let hamletCode: String?
    let name: String
    let establishedOn: String?
    let decisionRef: String?
    let status: String
    let dissolvedOn: String?
    let memberCount: Int
    let version: Int64

    /// Cell by cell (`PostgresRow.Iterator.decode(_:)` says why).
    init(cells: inout PostgresRow.Iterator) throws {
        id = try cells.decode(UUID.self)
        districtCode = try cells.decode(Int.self)
        level = try cells.decode(String.self)
        communeCode = try cells.decode(Int.self)
        hamletCode = try cells.decode(String?.self)
        name = try cells.decode(String.self)
        establishedOn = try cells.decode(String?.self)
        decisionRef = try cells.decode(String?.self)
        status = try cells.decode(String.self)
        dissolvedOn = try cells.decode(String?.self)
        memberCount = try cells.decode(Int.self)
        version = try cells.decode(Int64.self)
    }
}
