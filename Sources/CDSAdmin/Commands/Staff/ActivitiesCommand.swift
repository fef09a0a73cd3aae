import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin activities list|record|delete`: the teams' guidance activities.
struct ActivitiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activities",
        abstract: "Record the teams' guidance activities.",
        subcommands: [List.self, Record.self, Update.self, Delete.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List activities of the teams you read.")

        @OptionGroup var staff: StaffOptions

        @Option(help: "Only this team's.") var team: String?
        @Option(help: "Only the teams of this commune or hamlet.") var unit: String?
        @Option(help: "online_public_services, cashless_payment, e_commerce, digital_skills, cyber_safety or other.") var topic: String?
        @Option(help: "From this day, YYYY-MM-DD.") var from: String?
        @Option(help: "Until this day, YYYY-MM-DD.") var to: String?

        @Option(name: [.customShort("o"), .long], help: "table, csv or json.")
        var output: OutputFormat?

        func run() async throws {
            let activities = try await staff.client().all(
                "/v1/activities",
                query: ["team": team, "unit": unit, "topic": topic, "from": from, "to": to],
                as: Wire.Activity.self
            )
            let columns: [TextTable.Column] = [.left("id"), .left("held on"), .left("unit"), .left("topic"), .right("residents")]
            try Listing(columns: columns, items: activities) {
                [$0.id.lowercased, $0.heldOn, $0.hamletCode ?? $0.communeCode, $0.topic, String($0.residentsReached)]
            }
            .print(output)
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an activity; prints its id.")

        @OptionGroup var staff: StaffOptions
        @OptionGroup var dryRun: DryRunOption

        @Option(help: "The team's id.") var team: String
        @Option(help: "The day, YYYY-MM-DD.") var heldOn: String
        @Option(help: "online_public_services, cashless_payment, e_commerce, digital_skills, cyber_safety or other.") var topic: String
        @Option(help: "How many residents it reached.") var residents: Int
        @Option(help: "A note.") var note: String?

        func run() async throws {
            let client = try staff.client()
            if dryRun.stops("record \(topic) on \(heldOn) for the team \(team), \(residents) residents") { return }
            let body = try AdminClient.body([
                "team_id": try objectID(team, listedBy: "teams list"), "held_on": heldOn, "topic": topic, "residents_reached": residents,
                "note": note,
            ])
            let activity = try await client.send(.POST, "/v1/activities", json: body).decode(Wire.Activity.self)
            Console.print(activity.id.lowercased)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct an activity's day, topic, residents reached or note.")

        @OptionGroup var staff: StaffOptions
        @OptionGroup var dryRun: DryRunOption
        @Argument(help: "The activity's id.") var id: String

        @Option(help: "The day, YYYY-MM-DD.") var heldOn: String?
        @Option(help: "The topic.") var topic: String?
        @Option(help: "How many residents it reached.") var residents: Int?
        @Option(help: "A note.") var note: String?

        func run() async throws {
            let client = try staff.client()
            let fields: [String: (any Encodable & Sendable)?] = ["held_on": heldOn, "topic": topic, "residents_reached": residents, "note": note]
            let changes = fields.compactMapValues { $0 }
            guard !changes.isEmpty else { throw AdminError.usage("nothing to change: give at least one field, e.g. --residents") }
            let path = "/v1/activities/\(try objectID(id, listedBy: "activities list"))"
            if dryRun.stops("change \(changes.keys.sorted().joined(separator: ", ")) of the activity \(id)") { return }
            _ = try await client.patch(path, json: try AdminClient.body(fields))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an activity recorded by mistake.")

        @OptionGroup var staff: StaffOptions
        @OptionGroup var dryRun: DryRunOption
        @Argument(help: "The activity's id.") var id: String

        func run() async throws {
            let client = try staff.client()
            let path = "/v1/activities/\(try objectID(id, listedBy: "activities list"))"
            let current = try await client.send(.GET, path)
            if dryRun.stops("delete the activity \(id)") { return }
            _ = try await client.send(.DELETE, path, ifMatch: current.etag ?? "*")
        }
    }
}
