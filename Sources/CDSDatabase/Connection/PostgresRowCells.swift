import PostgresNIO

extension PostgresRow.Iterator {
    /// The next cell, decoded: for the hot paths, which decode a row cell by cell. PostgresNIO's
    /// `row.decode((A, B, …).self)` goes through a generic tuple decoder that instantiates type metadata for every
    /// cell, and `makeRandomAccess()` builds a dictionary of the column names for every row; for a page of members
    /// the two took a fifth of the server's time (docs/benchmarks.md).
    /// - Throws: `PostgresDecodingError.Code.missingData` past the last cell, or the cell's decoding error.
    public mutating func decode<Value: PostgresDecodable>(_: Value.Type) throws -> Value {
        guard let cell = next() else { throw PostgresDecodingError.Code.missingData }
        return try cell.decode(Value.self)
    }
}
