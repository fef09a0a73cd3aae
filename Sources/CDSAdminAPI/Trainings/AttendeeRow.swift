import CDSDatabase
import Foundation
import PostgresNIO

/// A session's attendee as `GET /v1/trainings/{id}/attendance` reads it, over `cds.training_attendance a` with the
/// member `m` and the member's team `t`.
struct AttendeeRow: RowDecodable {
    let memberID: UUID
    let fullName: String
    let teamID: UUID
    let communeCode: String
    let recordedAt: String

    /// Cell by cell (`PostgresRow.Iterator.decode(_:)` says why).
    init(cells: inout PostgresRow.Iterator) throws {
        memberID = try cells.decode(UUID.self)
        fullName = try cells.decode(String.self)
        teamID = try cells.decode(UUID.self)
        communeCode = try cells.decode(String.self)
        recordedAt = try cells.decode(String.self)
    }
}
