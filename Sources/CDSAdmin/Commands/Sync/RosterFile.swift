import CDSDatabase
import CDSRosterProto
import Foundation

/// A CSV file of `cds-admin sync push` and `pull` (hamlets.csv, teams.csv, …): its columns in order, each with the
/// field of a roster record it holds, so that a push reads the same columns that a pull writes.
struct RosterFile<Record: RosterRecord>: Sendable {
    /// One column: how its cell sets the record's field, and how the field is written back.
    struct Column: Sendable {
        let name: String
        let read: @Sendable (inout Record, String) -> Void
        let write: @Sendable (Record) -> String
    }

    /// The file opened for a push: its header checked, its records read as they are asked for, so that the first
    /// ones are on their way while the rest are still being read.
    struct Reader: Sendable {
        let file: RosterFile
        let path: String
        private var csv: CSVReader?
        /// Each column's place in the file's lines, found once: a roster runs to hundreds of thousands of lines.
        private let places: [Int?]
        private let width: Int

        /// Opens the file `file` in `directory`: one without records when there is no such file.
        /// - Throws: when the file is not UTF-8, or its header names a column twice or one this push does not take.
        init(_ file: RosterFile, in directory: URL) throws {
            self.file = file
            path = directory.appendingPathComponent(file.name).path
            guard FileManager.default.fileExists(atPath: path) else {
                places = []
                width = 0
                return
            }
            var csv = CSVReader(text: try String(contentsOfFile: path, encoding: .utf8))
            guard let headerLine = try csv.next() else {
                throw ImportError([.init(line: 1, field: nil, message: "the file is empty; expected a header line")])
            }
            let header = try CSVTable.header(of: headerLine.fields)
            let unknown = Set(header).subtracting(file.header)
            guard unknown.isEmpty else {
                throw AdminError.failure("\(path) has columns this push does not take: \(unknown.sorted().joined(separator: ", "))")
            }
            places = file.columns.map { header.firstIndex(of: $0.name) }
            width = header.count
            self.csv = csv
        }

        /// The next records of the file, `count` at most; none at its end. A column the file lacks reads as empty cells.
        /// - Throws: ``ImportError`` for a line whose field count differs from the header's, or an unclosed quote.
        mutating func next(_ count: Int) throws(ImportError) -> [Record] {
            var records: [Record] = []
            while records.count < count, let line = try csv?.next() {
                guard line.fields.count == width else {
                    throw ImportError([.init(line: line.line, field: nil, message: "has \(line.fields.count) fields, the header has \(width)")])
                }
                var record = Record()
                for (column, place) in zip(file.columns, places) { column.read(&record, place.map { CSVLine.restored(line.fields[$0]) } ?? "") }
                records.append(record)
            }
            return records
        }
    }

    let name: String
    let columns: [Column]

    var header: [String] { columns.map(\.name) }

    /// Writes `records` to the file in `directory`, a header line first, readable by its owner only.
    func write(_ records: [Record], to directory: URL) throws {
        let lines = [header] + records.map { record in columns.map { $0.write(record) } }
        let text = lines.map(CSVLine.encode).joined(separator: "\n") + "\n"
        try PrivateFile.write(Data(text.utf8), to: directory.appendingPathComponent(name))
    }
}

extension RosterFile.Column {
    /// A text field, written as it is.
    static func text(_ name: String, _ field: any WritableKeyPath<Record, String> & Sendable) -> Self {
        Self(name: name, read: { $0[keyPath: field] = $1 }, write: { $0[keyPath: field] })
    }

    /// A yes-or-no field: true, yes or 1 (in any case) reads as true, anything else as false; written as true or false.
    static func flag(_ name: String, _ field: any WritableKeyPath<Record, Bool> & Sendable) -> Self {
        Self(name: name, read: { $0[keyPath: field] = ["true", "yes", "1"].contains($1.lowercased()) }, write: { String($0[keyPath: field]) })
    }
}

/// A record of the roster sync protocol, which a file's line fills in field by field.
protocol RosterRecord: Sendable {
    init()
}

extension Cds_Roster_V1_HamletRecord: RosterRecord {}
extension Cds_Roster_V1_TeamRecord: RosterRecord {}
extension Cds_Roster_V1_MemberRecord: RosterRecord {}
extension Cds_Roster_V1_Tombstone: RosterRecord {}
