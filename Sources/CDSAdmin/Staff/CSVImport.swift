import CDSDatabase
import Foundation

/// A CSV file sent to one of the admin API's import routes (`/v1/imports/...`) as one batch: all its lines are
/// written, or none.
///
/// The file is checked here first (its columns, and each value's type), every faulty line reported before anything
/// is sent; then the server checks the rest (teams, communes, permissions, duplicates) and answers every faulty
/// item, which is reported by its line in the file. A progress bar follows the lines on a terminal.
struct CSVImport {
    enum Kind {
        case text
        case integer
        case boolean
    }

    struct Column {
        let name: String
        let kind: Kind
        var isRequired = false
        /// Why the column must be empty on every line when it is there (an export's ids), or nil.
        var mustBeEmpty: String?
    }

    /// The items' key in the request body and in the server's answers, e.g. `members`.
    let key: String
    let columns: [Column]
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
        let positions = try positions(of: table.header, in: path)
        var items: [[String: Any]] = []
        var faults: [String] = []
        var progress = ProgressBar("checking \((path as NSString).lastPathComponent)", total: table.records.count)
        for (number, record) in table.records.enumerated() {
            var item: [String: Any] = [:]
            for (column, position) in positions {
                let value = record.fields[position].trimmingCharacters(in: .whitespaces)
                guard !value.isEmpty else { continue }
                if let reason = column.mustBeEmpty {
                    faults.append("line \(record.line), \(column.name): \(reason)")
                    continue
                }
                switch column.kind {
                case .text:
                    item[column.name] = value
                case .integer:
                    guard let number = Int(value) else {
                        faults.append("line \(record.line), \(column.name): '\(value)' is not a whole number")
                        continue
                    }
                    item[column.name] = number
                case .boolean:
                    guard let flag = Self.boolean(value) else {
                        faults.append("line \(record.line), \(column.name): '\(value)' is not true or false")
                        continue
                    }
                    item[column.name] = flag
                }
            }
            for column in columns where column.isRequired && item[column.name] == nil {
                faults.append("line \(record.line), \(column.name): is required")
            }
            items.append(item)
            progress.update(number + 1)
        }
        progress.finish()
        guard !table.records.isEmpty else { throw AdminError.failure("\(path) has no lines after its header: nothing to import") }
        guard faults.isEmpty else {
            for fault in faults { Console.printError(fault) }
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

    /// Where each known column is; unknown or missing required columns are the file's fault.
    private func positions(of header: [String], in path: String) throws -> [(Column, Int)] {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let known = Set(columns.map(\.name))
        let unknown = names.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw AdminError.failure(
                "\(path) has columns this import does not take: \(unknown.joined(separator: ", ")); "
                    + "the columns are \(columns.map(\.name).joined(separator: ","))"
            )
        }
        let missing = columns.filter { $0.isRequired && !names.contains($0.name) }.map(\.name)
        guard missing.isEmpty else {
            throw AdminError.failure("\(path) lacks the columns \(missing.joined(separator: ", ")) in its header line")
        }
        return columns.compactMap { column in names.firstIndex(of: column.name).map { (column, $0) } }
    }

    /// `members[3].phone: is not a mobile number` as `line 5, phone: is not a mobile number`.
    static func line(of fault: AdminError.FieldError, key: String, records: [CSVTable.Record]) -> String {
        let prefix = "\(key)["
        guard fault.field.hasPrefix(prefix), let close = fault.field.firstIndex(of: "]"),
            let index = Int(fault.field[fault.field.index(fault.field.startIndex, offsetBy: prefix.count)..<close]),
            records.indices.contains(index)
        else { return "\(fault.field): \(fault.message)" }
        let field = fault.field[fault.field.index(after: close)...].drop { $0 == "." }
        return "line \(records[index].line)\(field.isEmpty ? "" : ", \(field)"): \(fault.message)"
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "1", "có": true
        case "false", "no", "0", "không": false
        default: nil
        }
    }
}
