import ArgumentParser
import CDSDatabase
import Foundation

struct UnitsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import provinces, districts and communes from a CSV file (all or nothing, idempotent).",
        discussion: """
            Header: code,name,level,division_type,parent_code,display_order (the format of sql/reference/sonla/units-2023.csv).
            Every bad line is reported with its line number, and then nothing is imported.
            """
    )

    @Argument(help: "The CSV file.", completion: .file(extensions: ["csv"]))
    var file: String

    func run() async throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw AdminError.notFound("cannot read \(file): is it a UTF-8 file that exists?")
        }
        let summary = try await OperatorDatabase.withOwner { database in
            try await UnitImporter(database: database).importCSV(text)
        }
        Console.print("Imported \(file): \(summary.inserted) inserted, \(summary.updated) updated, \(summary.unchanged) unchanged.")
    }
}
