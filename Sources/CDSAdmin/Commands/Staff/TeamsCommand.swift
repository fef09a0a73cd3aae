import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin teams list|show|create|dissolve`: the district's teams, through the admin API.
struct TeamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teams",
        abstract: "List, show, found and dissolve teams.",
        subcommands: [List.self, Show.self, Create.self, Dissolve.self]
    )

    typealias Show = ShowCommand<Wire.Team>

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the teams you may read.")

        @OptionGroup var staff: StaffOptions

        @Option(help: "Only the teams of this commune or hamlet.")
        var unit: String?

        @Option(help: "commune or hamlet.")
        var level: String?

        @Option(help: "active or dissolved.")
        var status: String?

        @Option(help: "Names containing this, ignoring diacritics and case (\"ban na\" finds \"Bản Nà\").")
        var search: String?

        @OptionGroup var output: OutputOption

        func run() async throws {
            let teams = try await staff.client().all(
                "/v1/teams",
                query: ["unit": unit, "level": level, "status": status, "q": search],
                as: Wire.Team.self
            )
            try Listing(teams).print(output)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Found a team for a commune or a current hamlet.")

        @OptionGroup var staff: StaffChangeOptions

        @Option(help: "The commune (a commune-level team) or hamlet (a hamlet-level team) it serves.")
        var unit: String

        @Option(help: "The team's name.")
        var name: String

        @Option(help: "The founding date, YYYY-MM-DD.")
        var establishedOn: String?

        @Option(help: "The founding decision, e.g. \"QĐ 12/QĐ-UBND\".")
        var decisionRef: String?

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("found the team \"\(name)\" for \(unit)") { return }
            let body = try AdminClient.body(["unit_code": unit, "name": name, "established_on": establishedOn, "decision_ref": decisionRef])
            let team = try await client.send(.POST, "/v1/teams", json: body).decode(Wire.Team.self)
            Console.print(team.id.lowercased)
            Console.printError("founded \(team.name) for \(team.hamletCode ?? team.communeCode)")
        }
    }

    struct Dissolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dissolve a team (its members stay on record).")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The team's id.") var id: String

        @Option(help: "The day it was dissolved, YYYY-MM-DD (default: today).")
        var on: String?

        func run() async throws {
            let client = try staff.client()
            let path = try objectPath("teams", id)
            let team = try await client.get(path, as: Wire.Team.self)
            let day = on ?? todayInVietnam()
            if staff.dryRun.stops("dissolve \(team.name) (\(team.memberCount) members) on \(day)") { return }
            _ = try await client.patch(path, json: try AdminClient.body(["dissolved_on": day]))
            Console.printError("dissolved \(team.name) on \(day)")
        }
    }

}

extension Wire.Team: ShownObject {
    static let collection = "teams"
    static let noun = "team"
    static let columns: [TextTable.Column] = [
        .left("id"), .left("unit"), .left("name"), .left("status"), .right("members"), .left("established"),
    ]

    var cells: [String] {
        [id.lowercased, hamletCode ?? communeCode, name, status, String(memberCount), establishedOn ?? ""]
    }
}

/// Today as `YYYY-MM-DD` in Vietnam's time zone (UTC+7), where the teams are, whatever the machine's zone.
func todayInVietnam() -> String {
    Date().formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 7 * 3600)!).year().month().day())
}
