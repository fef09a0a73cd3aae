import CDSDatabase
import Foundation
import PostgresNIO

/// A training session as the admin API reads it, over `cds.training_sessions s`.
struct TrainingRow: RowDecodable, VersionedRow {
    /// The select list, in the order ``init(cells:)`` reads it; the version last.
    static let columns =
        """
        s.id, s.tenant_id, s.commune_code, s.held_on::text, s.topic, s.mode, s.bridge_point, s.organiser,
        (SELECT count(*)::int FROM cds.training_attendance a WHERE a.tenant_id = s.tenant_id AND a.session_id = s.id),
        """ + EntityVersion.expression("s")

    let id: UUID
    let districtCode: Int
    /// The organising commune; `nil` for a session of the district.
    let communeCode: Int?
    let heldOn: String
    let topic: String
    let mode: String
    let bridgePoint: String?
    let organiser: String?
    let attendeeCount: Int
    let version: Int64

    /// The unit that organised the session, on which permissions are checked: its commune, or the district for a
    /// session of the district.
    var organisingUnit: Int { communeCode ?? districtCode }

    /// Cell by cell (`PostgresRow.Iterator.decode(_:)` says why).
    init(cells: inout PostgresRow.Iterator) throws {
        id = try cells.decode(UUID.self)
        districtCode = try cells.decode(Int.self)
        communeCode = try cells.decode(Int?.self)
        heldOn = try cells.decode(String.self)
        topic = try cells.decode(String.self)
        mode = try cells.decode(String.self)
        bridgePoint = try cells.decode(String?.self)
        organiser = try cells.decode(String?.self)
        attendeeCount = try cells.decode(Int.self)
        version = try cells.decode(Int64.self)
    }
}
