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
        var text = Substring(text)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        var rows: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedFieldLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        while let scalar = next() {
            if inQuotes {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            if scalar == separator {
                fields.append(field)
                field = ""
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                inQuotes = true
                quotedFieldLine = line
            case "\r":
                continue
            case "\n":
                fields.append(field)
                field = ""
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Record(line: recordLine, fields: fields)) }
                fields = []
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw ImportError([.init(line: quotedFieldLine, field: nil, message: "a quoted field is never closed")])
        }
        if !fields.isEmpty || !field.isEmpty {
            fields.append(field)
            rows.append(Record(line: recordLine, fields: fields))
        }
        guard let header = rows.first else {
            throw ImportError([.init(line: 1, field: nil, message: "the file is empty; expected a header line")])
        }
        self.header = header.fields.map { $0.trimmingSpaces() }
        // Every reader finds a column by its name: a name given twice would leave one of the two read, silently.
        let twice = Dictionary(grouping: self.header.filter { !$0.isEmpty }, by: { $0 }).filter { $1.count > 1 }.keys.sorted()
        guard twice.isEmpty else {
            throw ImportError([.init(line: 1, field: nil, message: "names a column twice: \(twice.joined(separator: ", "))")])
        }
        let width = self.header.count
        let problems = rows.dropFirst().filter { $0.fields.count != width }.map {
            ImportError.LineError(line: $0.line, field: nil, message: "has \($0.fields.count) fields, the header has \(width)")
        }
        guard problems.isEmpty else { throw ImportError(problems) }
        self.records = rows.dropFirst().map { Record(line: $0.line, fields: $0.fields.map(CSVLine.restored)) }
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
