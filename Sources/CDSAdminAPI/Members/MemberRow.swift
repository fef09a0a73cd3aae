import CDSCore
import CDSDatabase
import Foundation
import PostgresNIO

/// A member as the admin API reads it, over `cds.members m JOIN cds.teams t`.
struct MemberRow: RowDecodable {
    /// The select list, in the order ``init(cells:)`` reads it; the version last.
    static let columns = """
        m.id, m.tenant_id, m.team_id, t.commune_code, t.hamlet_code, m.full_name, m.gender, m.role, m.affiliation,
        m.has_smartphone, m.trained, m.joined_on::text, m.left_on::text, m.phone, m.birth_year::int, m.ethnicity,
        """ + EntityVersion.expression("m")

    let id: UUID
    let district: TenantID
    let teamID: UUID
    let communeCode: Int
    let hamletCode: String?
    let fullName: String
    let gender: String?
    let role: String
    let affiliation: String
    let hasSmartphone: Bool
    let trained: Bool
    let joinedOn: String?
    let leftOn: String?
    let phone: String?
    let birthYear: Int?
    let ethnicity: String?
    let version: Int64

    /// Cell by cell (`PostgresRow.Iterator.decode(_:)` says why).
    init(cells: inout PostgresRow.Iterator) throws {
        id = try cells.decode(UUID.self)
        district = TenantID(try cells.decode(Int.self))
        teamID = try cells.decode(UUID.self)
        communeCode = try cells.decode(Int.self)
        hamletCode = try cells.decode(String?.self)
        fullName = try cells.decode(String.self)
        gender = try cells.decode(String?.self)
        role = try cells.decode(String.self)
        affiliation = try cells.decode(String.self)
        hasSmartphone = try cells.decode(Bool.self)
        trained = try cells.decode(Bool.self)
        joinedOn = try cells.decode(String?.self)
        leftOn = try cells.decode(String?.self)
        phone = try cells.decode(String?.self)
        birthYear = try cells.decode(Int?.self)
        ethnicity = try cells.decode(String?.self)
        version = try cells.decode(Int64.self)
    }
}
