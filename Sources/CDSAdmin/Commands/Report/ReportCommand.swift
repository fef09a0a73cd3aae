import ArgumentParser
import CDSDatabase
import Foundation

/// `cds-admin report establishment|coverage|trainings|activities`: the admin API's reports, over the districts where
/// the token holds `reports.read` — the same figures any client gets.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print reports computed from the registry by the server.",
        subcommands: [Establishment.self, Coverage.self, Trainings.self, Activities.self]
    )

    /// What every report takes.
    struct Options: ParsableArguments {
        @OptionGroup var staff: StaffOptions

        @Option(help: "Only this district (its GSO code).")
        var district: String?

        @Option(help: "table, csv or json (table on a terminal, csv otherwise).")
        var format: OutputFormat?

        /// Prints the report `name`: the server's CSV (its byte-order mark dropped), a table made from it, or its JSON.
        func print(_ name: String, query: [String: String?] = [:]) async throws {
            let client = try staff.client()
            let format = format ?? .automatic
            var parameters = query.compactMapValues { $0 }
            parameters["district"] = district
            parameters["format"] = format == .json ? "json" : "csv"
            let answer = try await client.send(.GET, "/v1/reports/\(name)" + AdminClient.queryString(parameters))
            var text = String(decoding: answer.body, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            switch format {
            case .json:
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                Console.print(String(decoding: data, as: UTF8.self))
            case .csv:
                Console.print(String(text.dropLast(text.hasSuffix("\n") ? 1 : 0)))
            case .table:
                Console.print(try Self.table(csv: text))
            }
        }

        /// The CSV as an aligned table; columns of numbers are right-aligned.
        static func table(csv: String) throws -> String {
            let parsed = try CSVTable(text: csv)
            let rows = parsed.records.map(\.fields)
            let columns = parsed.header.indices.map { index in
                let numeric = rows.allSatisfy { index < $0.count && ($0[index].isEmpty || Double($0[index]) != nil) }
                return TextTable.Column(title: parsed.header[index], alignment: numeric ? .right : .left)
            }
            return TextTable(columns: columns, rows: rows.map { row in parsed.header.indices.map { $0 < row.count ? row[$0] : "" } }).render()
        }
    }

    struct Establishment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Teams, members and hamlets without a team, per district (the province's report 07/CĐS)."
        )
        @OptionGroup var options: Options
        func run() async throws { try await options.print("establishment") }
    }

    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per commune: hamlets with and without an active team.")
        @OptionGroup var options: Options
        func run() async throws { try await options.print("coverage") }
    }

    struct Trainings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per commune: members of active teams, and how many are trained.")
        @OptionGroup var options: Options
        func run() async throws { try await options.print("trainings") }
    }

    struct Activities: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Guidance activities and residents reached, by month and topic.")
        @OptionGroup var options: Options
        @Option(help: "From this day, YYYY-MM-DD.") var from: String?
        @Option(help: "Until this day, YYYY-MM-DD.") var to: String?
        func run() async throws { try await options.print("activities", query: ["from": from, "to": to]) }
    }
}
