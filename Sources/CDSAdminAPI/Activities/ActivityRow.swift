import CDSDatabase
import Foundation
import PostgresNIO

/// A guidance activity as the admin API reads it, over ``ActivitiesController/source``.
struct ActivityRow: RowDecodable, VersionedRow {
    /// The select list, in the order ``init(cells:)`` reads it; the version last.
    static let columns =
        """
        g.id, g.tenant_id, g.team_id, t.commune_code, t.hamlet_code, g.held_on::text, g.topic, g.residents_reached, g.note,
        """ + EntityVersion.expression("g")

    let id: UUID
    let districtCode: Int
    let teamID: UUID
    let communeCode: Int
    let hamletCode: String?
    let heldOn: String
    let topic: String
    let residentsReached: Int
    let note: String?
    let version: Int64

    /// Cell by cell (`PostgresRow.Iterator.decode(_:)` says why).
    init(cells: inout PostgresRow.Iterator) throws {
        id = try cells.decode(UUID.self)
        districtCode = try cells.decode(Int.self)
        teamID = try cells.decode(UUID.self)
        communeCode = try cells.decode(Int.self)
        hamletCode = try cells.decode(String?.self)
        heldOn = try cells.decode(String.self)
        topic = try cells.decode(String.self)
        residentsReached = try cells.decode(Int.self)
        note = try cells.decode(String?.self)
        version = try cells.decode(Int64.self)
    }
}
