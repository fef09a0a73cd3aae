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

        @OptionGroup var output: OutputOption

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

        @OptionGroup var staff: StaffChangeOptions

        @Option(help: "The team's id.") var team: String
        @Option(help: "The day, YYYY-MM-DD.") var heldOn: String
        @Option(help: "online_public_services, cashless_payment, e_commerce, digital_skills, cyber_safety or other.") var topic: String
        @Option(help: "How many residents it reached.") var residents: Int
        @Option(help: "A note.") var note: String?

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("record \(topic) on \(heldOn) for the team \(team), \(residents) residents") { return }
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

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The activity's id.") var id: String

        @Option(help: "The day, YYYY-MM-DD.") var heldOn: String?
        @Option(help: "The topic.") var topic: String?
        @Option(help: "How many residents it reached.") var residents: Int?
        @Option(help: "A note.") var note: String?

        func run() async throws {
            let client = try staff.client()
            let changes = try FieldChanges(["held_on": heldOn, "topic": topic, "residents_reached": residents, "note": note], example: "--residents")
            let path = try objectPath("activities", id)
            if staff.dryRun.stops(changes.summary(of: "the activity \(id)")) { return }
            _ = try await client.patch(path, json: try changes.body())
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an activity recorded by mistake.")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The activity's id.") var id: String

        func run() async throws {
            let client = try staff.client()
            let path = try objectPath("activities", id)
            try await client.delete(path, dryRun: staff.dryRun) { _ in "delete the activity \(id)" }
        }
    }
}
