import CDSDatabase
import PostgresNIO

/// A unit as the admin API reads it: from `cds.unit_tree`, or a hamlet's columns in the same order as its writes
/// return them (``HamletRow``).
struct UnitRow: RowDecodable {
    let code: String
    let name: String
    let level: String
    let divisionType: String
    let parentCode: String?
    let districtCode: Int?
    let validFrom: String?
    let validTo: String?

    /// Cell by cell (`PostgresRow.Iterator.decode(_:)` says why).
    init(cells: inout PostgresRow.Iterator) throws {
        code = try cells.decode(String.self)
        name = try cells.decode(String.self)
        level = try cells.decode(String.self)
        divisionType = try cells.decode(String.self)
        parentCode = try cells.decode(String?.self)
        districtCode = try cells.decode(Int?.self)
        validFrom = try cells.decode(String?.self)
        validTo = try cells.decode(String?.self)
    }
}
