import CDSDatabase
import CDSRosterProto
import Foundation

/// A CSV file of `cds-admin sync push` and `pull` (hamlets.csv, teams.csv, …): its columns in order, each with the
/// field of a roster record it holds, so that a push reads the same columns that a pull writes.
struct RosterFile<Record: RosterRecord> {
    /// One column: how its cell sets the record's field, and how the field is written back.
    struct Column {
        let name: String
        let read: (inout Record, String) -> Void
        let write: (Record) -> String
    }

    let name: String
    let columns: [Column]

    var header: [String] { columns.map(\.name) }

    /// The records of the file in `directory`, none when there is no such file. A column the file lacks reads as empty
    /// cells; a column that is not one of these is the file's fault (and `CSVTable` refuses one named twice).
    func read(from directory: URL) throws -> [Record] {
        let file = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let table = try CSVTable(text: String(contentsOf: file, encoding: .utf8))
        let unknown = Set(table.header).subtracting(header)
        guard unknown.isEmpty else {
            throw AdminError.failure("\(file.path) has columns this push does not take: \(unknown.sorted().joined(separator: ", "))")
        }
        // Each column's place in the file, found once: a roster runs to hundreds of thousands of lines.
        let places = columns.map { table.header.firstIndex(of: $0.name) }
        return table.records.map { line in
            var record = Record()
            for (column, place) in zip(columns, places) { column.read(&record, place.map { line.fields[$0] } ?? "") }
            return record
        }
    }

    /// Writes `records` to the file in `directory`, a header line first, readable by its owner only.
    func write(_ records: [Record], to directory: URL) throws {
        let lines = [header] + records.map { record in columns.map { $0.write(record) } }
        let text = lines.map(CSVLine.encode).joined(separator: "\n") + "\n"
        try PrivateFile.write(Data(text.utf8), to: directory.appendingPathComponent(name))
    }
}

extension RosterFile.Column {
    /// A text field, written as it is.
    static func text(_ name: String, _ field: WritableKeyPath<Record, String>) -> Self {
        Self(name: name, read: { $0[keyPath: field] = $1 }, write: { $0[keyPath: field] })
    }

    /// A yes-or-no field: true, yes or 1 (in any case) reads as true, anything else as false; written as true or false.
    static func flag(_ name: String, _ field: WritableKeyPath<Record, Bool>) -> Self {
        Self(name: name, read: { $0[keyPath: field] = ["true", "yes", "1"].contains($1.lowercased()) }, write: { String($0[keyPath: field]) })
    }
}

/// A record of the roster sync protocol, which a file's line fills in field by field.
protocol RosterRecord {
    init()
}

extension Cds_Roster_V1_HamletRecord: RosterRecord {}
extension Cds_Roster_V1_TeamRecord: RosterRecord {}
extension Cds_Roster_V1_MemberRecord: RosterRecord {}
extension Cds_Roster_V1_Tombstone: RosterRecord {}
