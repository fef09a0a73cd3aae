import CDSDatabase
import PostgresNIO

/// A hamlet as its writes return it: the columns of a ``UnitRow``, then its version for the `ETag`.
struct HamletRow: RowDecodable {
    let unit: UnitRow
    let version: Int64

    /// Cell by cell (`PostgresRow.Iterator.decode(_:)` says why).
    init(cells: inout PostgresRow.Iterator) throws {
        unit = try UnitRow(cells: &cells)
        version = try cells.decode(Int64.self)
    }
}
