/// A CSV file (RFC 4180: quoted fields, doubled quotes, CRLF or LF, optional UTF-8 BOM) as a header and
/// records that remember the line they start on, so that errors can name it. A cell that ``CSVLine`` kept from being
/// read as a formula (`'=…`) is read back as it was written (`=…`).
public struct CSVTable: Sendable {
    public struct Record: Sendable {
        /// 1-based line number in the file (the header is line 1).
        public let line: Int
        public let fields: [String]
    }

    public let header: [String]
    public let records: [Record]

    /// - Parameter separator: `,` for CSV; a tab for cells copied from a spreadsheet (``separator(guessedFrom:)``).
    /// - Throws: ``ImportError`` for an unterminated quote or a record whose field count differs from the header's.
    public init(text: String, separator: Unicode.Scalar = ",") throws(ImportError) {
        var reader = CSVReader(text: text, separator: separator)
        var rows: [Record] = []
        while let record = try reader.next() { rows.append(record) }
        guard let header = rows.first else {
            throw ImportError([.init(line: 1, field: nil, message: "the file is empty; expected a header line")])
        }
        self.header = try Self.header(of: header.fields)
        let width = self.header.count
        let problems = rows.dropFirst().filter { $0.fields.count != width }.map {
            ImportError.LineError(line: $0.line, field: nil, message: "has \($0.fields.count) fields, the header has \(width)")
        }
        guard problems.isEmpty else { throw ImportError(problems) }
        self.records = rows.dropFirst().map { Record(line: $0.line, fields: $0.fields.map(CSVLine.restored)) }
    }

    /// The column names of a header line's fields, spaces around them trimmed.
    /// - Throws: ``ImportError`` when it names a column twice: every reader finds a column by its name, and one of
    ///   the two would be left unread, silently.
    public static func header(of fields: [String]) throws(ImportError) -> [String] {
        let header = fields.map { $0.trimmingSpaces() }
        let twice = Dictionary(grouping: header.filter { !$0.isEmpty }, by: { $0 }).filter { $1.count > 1 }.keys.sorted()
        guard twice.isEmpty else {
            throw ImportError([.init(line: 1, field: nil, message: "names a column twice: \(twice.joined(separator: ", "))")])
        }
        return header
    }

    /// A tab when the first line has one (cells pasted from Excel or LibreOffice arrive tab-separated), else a comma.
    public static func separator(guessedFrom text: String) -> Unicode.Scalar {
        (text.split(separator: "\n", maxSplits: 1).first ?? "").contains("\t") ? "\t" : ","
    }

    /// Checks that the header is exactly `expected`.
    public func requireHeader(_ expected: [String]) throws(ImportError) {
        guard header == expected else {
            throw ImportError([
                .init(line: 1, field: nil, message: "the header must be '\(expected.joined(separator: ","))', not '\(header.joined(separator: ","))'")
            ])
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
