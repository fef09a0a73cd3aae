import CDSDatabase

/// A row of a report that the API answers as JSON or as CSV: the CSV's header are the JSON keys, so that a
/// script reads either the same way.
public protocol ReportRow: Codable, Hashable, Sendable {
    /// The column names, in the order of ``fields``.
    static var header: [String] { get }
    /// The row's values as CSV fields.
    var fields: [String] { get }
}

extension Array where Element: ReportRow {
    /// RFC 4180 CSV with a header line; lines end with `\n`, no byte-order mark (the HTTP API adds one for Excel).
    public var csv: String {
        ([CSVLine.encode(Element.header)] + map { CSVLine.encode($0.fields) }).joined(separator: "\n") + "\n"
    }
}
