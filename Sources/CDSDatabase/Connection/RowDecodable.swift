import PostgresNIO

/// A row of one query, decoded into named fields by the type that also holds the query's select list, so that the
/// order of the columns is written down in one place only.
public protocol RowDecodable: Sendable {
    /// Reads the row's cells in the order of the select list.
    init(cells: inout PostgresRow.Iterator) throws
}

extension RowDecodable {
    /// Decodes one row.
    public init(_ row: PostgresRow) throws {
        var cells = row.makeIterator()
        try self.init(cells: &cells)
    }
}
