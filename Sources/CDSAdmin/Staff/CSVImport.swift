import CDSCore
import CDSDatabase
import Foundation

/// A CSV file sent to one of the admin API's import routes (`/v1/imports/...`) as one batch: all its lines are
/// written, or none.
///
/// The file is checked here first (its columns, and each value's type), every faulty line reported before anything
/// is sent; then the server checks the rest (teams, communes, permissions, duplicates) and answers every faulty
/// item, which is reported by its line in the file. ``ImportSheet`` reads the file, as it reads the console's.
struct CSVImport {
    /// The items' key in the request body and in the server's answers, e.g. `members`.
    let key: String
    let sheet: ImportSheet
    /// The field of the server's answer that lists what was created, in the file's order (`ids`, `codes`).
    let created: String

    /// Reads `path` and sends its lines to `route`, with `?dry_run=true` when `dryRun`. Prints what was created, one a
    /// line in the file's order, and a summary on standard error; or, on a dry run, what would be imported.
    /// - Throws: ``AdminError`` after printing every faulty line: 1 for faults in the file or its values, 3 for a
    ///   line beyond the caller's units, 4 for a missing file, 5 for lines at odds with the data.
    func run(path: String, route: String, client: AdminClient, dryRun: Bool) async throws {
        let answer = try await send(path: path, route: route, client: client, dryRun: dryRun)
        let result = (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any]
        guard let imported = result?["imported"] as? Int, let created = result?[created] as? [String] else {
            throw AdminError.failure("the server's answer is not what this cds-admin expects: are they the same version?")
        }
        if dryRun {
            let names = created.isEmpty ? "" : " as \(created.joined(separator: ", "))"
            Console.print("would import \(imported) \(key) from \(path)\(names) (dry run: nothing changed)")
        } else {
            for name in created { Console.print(name) }
            Console.printError("imported \(imported) \(key) from \(path)")
        }
    }

    private func send(path: String, route: String, client: AdminClient, dryRun: Bool) async throws -> AdminClient.Answer {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AdminError.notFound("cannot read \(path): no such file, or it is not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AdminError.failure("\(path) is not UTF-8 text: save it as CSV UTF-8")
        }
        let table = try CSVTable(text: text)
        let (items, faults) = sheet.read(table)
        if let header = faults.first(where: { $0.column == nil }) {
            throw AdminError.failure("\(path) \(header.code == .unknownColumns ? "has " : "")\(header.message)")
        }
        guard faults.isEmpty else {
            for fault in faults { Console.printError("line \(fault.line), \(fault.column ?? ""): \(fault.message)") }
            throw AdminError.failure("\(faults.count) \(faults.count == 1 ? "fault" : "faults") in \(path); nothing was imported")
        }
        Console.printError("sending \(items.count) \(key) to the server\(dryRun ? " (dry run)" : "")…")
        let body = try JSONSerialization.data(withJSONObject: [key: items], options: [.sortedKeys])
        do {
            return try await client.send(.POST, route + (dryRun ? "?dry_run=true" : ""), json: body)
        } catch let error as AdminError where !error.fieldErrors.isEmpty {
            // The lines instead of the items: the problem's own list of fields is left out of the summary.
            for fault in error.fieldErrors { Console.printError(Self.line(of: fault, key: key, records: table.records)) }
            let summary = error.message.components(separatedBy: " (").first ?? error.message
            throw AdminError(exitCode: error.exitCode, message: "\(summary) (\(path), the lines above)")
        }
    }

    /// `members[3].phone: is not a mobile number` as `line 5, phone: is not a mobile number`.
    static func line(of fault: ValidationError, key: String, records: [CSVTable.Record]) -> String {
        guard let place = ImportSheet.place(of: fault.field, key: key, records: records) else { return "\(fault.field): \(fault.message)" }
        return "line \(place.line)\(place.column.isEmpty ? "" : ", \(place.column)"): \(fault.message)"
    }
}
