import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin trainings list|create|attend|unattend|delete`: training sessions of a district or a commune, and who
/// attended (recording attendance marks the member trained).
struct TrainingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainings",
        abstract: "Record training sessions and who attended them.",
        subcommands: [List.self, Show.self, Create.self, Update.self, Attend.self, Unattend.self, Delete.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the sessions of your districts and communes.")

        @OptionGroup var staff: StaffOptions

        @Option(help: "Sessions from this day, YYYY-MM-DD.") var from: String?
        @Option(help: "Sessions until this day, YYYY-MM-DD.") var to: String?
        @Option(help: "Sessions organised by this district or commune.") var unit: String?

        @OptionGroup var output: OutputOption

        func run() async throws {
            let sessions = try await staff.client().all(
                "/v1/trainings",
                query: ["from": from, "to": to, "unit": unit],
                as: Wire.TrainingSession.self
            )
            let columns: [TextTable.Column] = [.left("id"), .left("held on"), .left("organiser"), .left("topic"), .left("mode"), .right("attended")]
            try Listing(columns: columns, items: sessions) {
                [$0.id.lowercased, $0.heldOn, $0.communeCode ?? String($0.districtCode), $0.topic, $0.mode, String($0.attendeeCount)]
            }
            .print(output)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a session and who attended it.")

        @OptionGroup var staff: StaffOptions
        @Argument(help: "The session's id.") var session: String

        @OptionGroup var output: OutputOption

        func run() async throws {
            let client = try staff.client()
            let path = try objectPath("trainings", session)
            let found = try await client.get(path, as: Wire.TrainingSession.self)
            let attendees = try await client.all(path + "/attendance", as: Wire.Attendee.self)
            if output.allowsHeading {
                Console.print("\(found.heldOn)  \(found.topic) (\(found.mode)), organised by \(found.communeCode ?? String(found.districtCode))")
            }
            try Listing(columns: [.left("member"), .left("name"), .left("commune"), .left("recorded")], items: attendees) {
                [$0.memberID.lowercased, $0.fullName, $0.communeCode, $0.recordedAt]
            }
            .print(output)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct a session's day, topic, mode, bridge point or organiser.")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The session's id.") var session: String

        @Option(help: "The day, YYYY-MM-DD.") var heldOn: String?
        @Option(help: "What it taught.") var topic: String?
        @Option(help: "in_person or online.") var mode: String?
        @Option(help: "The bridge point.") var bridgePoint: String?
        @Option(help: "Who organised it.") var organiser: String?

        func run() async throws {
            let client = try staff.client()
            let changes = try FieldChanges(
                ["held_on": heldOn, "topic": topic, "mode": mode, "bridge_point": bridgePoint, "organiser": organiser],
                example: "--topic"
            )
            let path = try objectPath("trainings", session)
            if staff.dryRun.stops(changes.summary(of: "the session \(session)")) { return }
            _ = try await client.patch(path, json: try changes.body())
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a session; prints its id.")

        @OptionGroup var staff: StaffChangeOptions

        @Option(help: "The organising district or commune.") var unit: String
        @Option(help: "The day, YYYY-MM-DD.") var heldOn: String
        @Option(help: "What it taught.") var topic: String
        @Option(help: "in_person or online.") var mode: String
        @Option(help: "The bridge point (điểm cầu) of an in-person session.") var bridgePoint: String?
        @Option(help: "Who organised it.") var organiser: String?

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("record the session \"\(topic)\" of \(unit) on \(heldOn)") { return }
            let body = try AdminClient.body([
                "unit_code": unit, "held_on": heldOn, "topic": topic, "mode": mode, "bridge_point": bridgePoint, "organiser": organiser,
            ])
            let session = try await client.send(.POST, "/v1/trainings", json: body).decode(Wire.TrainingSession.self)
            Console.print(session.id.lowercased)
        }
    }

    struct Attend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that members attended a session (marks them trained).")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The session's id.") var session: String
        @Argument(help: "The members' ids.") var members: [String]

        func run() async throws {
            let client = try staff.client()
            let session = try objectID(session, listedBy: "trainings list")
            let members = try members.map { try objectID($0, listedBy: "members list") }
            if staff.dryRun.stops("record \(members.count) attendances of the session \(session)") { return }
            for member in members { _ = try await client.send(.PUT, "/v1/trainings/\(session)/attendance/\(member)") }
            Console.printError("recorded \(members.count) attendances")
        }
    }

    struct Unattend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a member's attendance record (the trained flag stays).")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The session's id.") var session: String
        @Argument(help: "The member's id.") var member: String

        func run() async throws {
            let client = try staff.client()
            let path = try objectPath("trainings", session) + "/attendance/\(try objectID(member, listedBy: "members list"))"
            if staff.dryRun.stops("remove the attendance \(path)") { return }
            _ = try await client.send(.DELETE, path)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a session recorded by mistake, with its attendance.")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The session's id.") var session: String

        func run() async throws {
            let client = try staff.client()
            let path = try objectPath("trainings", session)
            try await client.delete(path, dryRun: staff.dryRun) { current in
                let found = try current.decode(Wire.TrainingSession.self)
                return "delete the session \"\(found.topic)\" of \(found.heldOn) and its \(found.attendeeCount) attendances"
            }
        }
    }
}
