import Foundation

/// The lines of a sheet (a CSV file, or cells pasted from a spreadsheet) as the items of an import route
/// (`POST /v1/imports/members`): each known column read as its kind, and every faulty line found before anything is
/// sent. `cds-admin members import` and the console's import page read sheets through this one reader.
public struct ImportSheet: Sendable {
    public enum Kind: Sendable {
        case text
        case integer
        case boolean
    }

    public struct Column: Sendable {
        public let name: String
        public let kind: Kind
        public var isRequired = false
        /// Why the column must be empty on every line when it is there (an export's ids), or nil.
        public var mustBeEmpty: String?

        public init(name: String, kind: Kind, isRequired: Bool = false, mustBeEmpty: String? = nil) {
            self.name = name
            self.kind = kind
            self.isRequired = isRequired
            self.mustBeEmpty = mustBeEmpty
        }
    }

    /// A faulty cell, or a faulty header (`line` 1, no column).
    public struct Fault: Sendable, Hashable {
        public enum Code: String, Sendable {
            case required
            case notWholeNumber = "not_whole_number"
            case notTrueOrFalse = "not_true_or_false"
            case mustBeEmpty = "must_be_empty"
            case unknownColumns = "unknown_columns"
            case missingColumns = "missing_columns"
            case noLines = "no_lines"
        }

        public let line: Int
        public let column: String?
        public let code: Code
        /// In English, as `cds-admin` prints it.
        public let message: String
    }

    public let columns: [Column]

    public init(columns: [Column]) {
        self.columns = columns
    }

    /// The columns of `members import`: those of `members export`, whose id and left_on must stay empty.
    public static let members = ImportSheet(columns: [
        .init(name: "id", kind: .text, mustBeEmpty: "import adds new members: leave id empty (members update changes one)"),
        .init(name: "team_id", kind: .text, isRequired: true), .init(name: "full_name", kind: .text, isRequired: true),
        .init(name: "gender", kind: .text), .init(name: "birth_year", kind: .integer), .init(name: "ethnicity", kind: .text),
        .init(name: "phone", kind: .text), .init(name: "role", kind: .text), .init(name: "affiliation", kind: .text),
        .init(name: "has_smartphone", kind: .boolean), .init(name: "trained", kind: .boolean), .init(name: "joined_on", kind: .text),
        .init(name: "left_on", kind: .text, mustBeEmpty: "a new member has not left: leave left_on empty"),
    ])

    /// The columns of `units import-hamlets`.
    public static let hamlets = ImportSheet(columns: [
        .init(name: "commune_code", kind: .text, isRequired: true), .init(name: "name", kind: .text, isRequired: true),
        .init(name: "kind", kind: .text, isRequired: true),
    ])

    /// The items of `table`, one a line in its order, and the faults of every line; the items are fit to send only
    /// when there is no fault.
    public func read(_ table: CSVTable) -> (items: [[String: any Sendable]], faults: [Fault]) {
        let names = table.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let known = Set(columns.map(\.name))
        let unknown = names.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            let message =
                "columns this import does not take: \(unknown.joined(separator: ", ")); the columns are \(columns.map(\.name).joined(separator: ","))"
            return ([], [Fault(line: 1, column: nil, code: .unknownColumns, message: message)])
        }
        let missing = columns.filter { $0.isRequired && !names.contains($0.name) }.map(\.name)
        guard missing.isEmpty else {
            return (
                [],
                [
                    Fault(
                        line: 1,
                        column: nil,
                        code: .missingColumns,
                        message: "lacks the columns \(missing.joined(separator: ", ")) in its header line"
                    )
                ]
            )
        }
        guard !table.records.isEmpty else {
            return ([], [Fault(line: 1, column: nil, code: .noLines, message: "has no lines after its header: nothing to import")])
        }
        let positions = columns.compactMap { column in names.firstIndex(of: column.name).map { (column, $0) } }
        var items: [[String: any Sendable]] = []
        var faults: [Fault] = []
        for record in table.records {
            var item: [String: any Sendable] = [:]
            for (column, position) in positions {
                let value = record.fields[position].trimmingCharacters(in: .whitespaces)
                guard !value.isEmpty else { continue }
                if let reason = column.mustBeEmpty {
                    faults.append(Fault(line: record.line, column: column.name, code: .mustBeEmpty, message: reason))
                    continue
                }
                switch column.kind {
                case .text:
                    item[column.name] = value
                case .integer:
                    guard let number = Int(value) else {
                        faults.append(
                            Fault(line: record.line, column: column.name, code: .notWholeNumber, message: "'\(value)' is not a whole number")
                        )
                        continue
                    }
                    item[column.name] = number
                case .boolean:
                    guard let flag = Self.boolean(value) else {
                        faults.append(
                            Fault(line: record.line, column: column.name, code: .notTrueOrFalse, message: "'\(value)' is not true or false")
                        )
                        continue
                    }
                    item[column.name] = flag
                }
            }
            for column in columns where column.isRequired && item[column.name] == nil {
                faults.append(Fault(line: record.line, column: column.name, code: .required, message: "is required"))
            }
            items.append(item)
        }
        return (items, faults)
    }

    /// A yes or no as people write it in a sheet, in English or Vietnamese.
    public static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "1", "có": true
        case "false", "no", "0", "không": false
        default: nil
        }
    }

    /// `members[3].phone` of an API problem as the sheet's line and column: (5, "phone").
    public static func place(of field: String, key: String, records: [CSVTable.Record]) -> (line: Int, column: String)? {
        let prefix = "\(key)["
        guard field.hasPrefix(prefix), let close = field.firstIndex(of: "]"),
            let index = Int(field[field.index(field.startIndex, offsetBy: prefix.count)..<close]),
            records.indices.contains(index)
        else { return nil }
        return (records[index].line, String(field[field.index(after: close)...].drop { $0 == "." }))
    }
}
