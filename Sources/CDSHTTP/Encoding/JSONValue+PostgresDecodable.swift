import CDSWire
import PostgresNIO

/// Read from `jsonb` columns by PostgresNIO's JSON decoding. Without it a row decoder would take the column's text for
/// a JSON string, since PostgresNIO reads any column as a `String`.
extension JSONValue: PostgresDecodable {}
