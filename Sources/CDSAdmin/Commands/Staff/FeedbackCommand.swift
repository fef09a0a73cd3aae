import ArgumentParser
import CDSDatabase
import CDSFeedbackMaintenance
import CDSWire
import Foundation

/// `cds-admin feedback …`: handling citizens' reports through the admin API (`list`, `show`, `assign`, `transition`,
/// `respond`), and two operator commands with database-owner access (`webhooks redeliver`, `purge-contacts`).
struct FeedbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Handle citizens' reports; redeliver dead-lettered webhooks and purge old contacts (operators).",
        subcommands: [List.self, Show.self, Assign.self, Transition.self, Respond.self, Webhooks.self, PurgeContacts.self]
    )

    static func path(_ code: String, _ suffix: String = "") -> String {
        "/v1/feedback/reports/\(code.pathSegment)\(suffix)"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the reports you handle, the soonest due first.")

        @OptionGroup var staff: StaffOptions
        @Option(help: "submitted, accepted, in_progress, resolved, rejected, closed, reopened, duplicate or not_responsible.")
        var status: String?
        @Option(help: "A category's code.") var category: String?
        @Option(help: "A commune's or district's code.") var unit: String?
        @Flag(help: "Only the reports open past their due time.") var overdue = false
        @OptionGroup var output: OutputOption

        func run() async throws {
            let reports = try await staff.client().all(
                "/v1/feedback/reports",
                query: ["status": status, "category": category, "unit": unit, "overdue": overdue ? "true" : nil],
                as: Wire.HandledReport.self
            )
            let columns: [TextTable.Column] = [.left("code"), .left("status"), .left("category"), .right("unit"), .left("due"), .left("overdue")]
            try Listing(columns: columns, items: reports) {
                [$0.trackingCode, $0.status, $0.serviceCode, String($0.handlingUnit), $0.dueAt, $0.overdue ? "yes" : ""]
            }
            .print(output)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a report, its history and (for its handlers) the citizen's contact.")

        @OptionGroup var staff: StaffOptions
        @Argument(help: "The tracking code, e.g. PAKN-2026-000123.") var code: String

        func run() async throws {
            let report = try await staff.client().get(FeedbackCommand.path(code), as: Wire.HandledReport.self)
            var lines = [
                "\(report.trackingCode)  \(report.status)  \(report.serviceCode)  unit \(report.handlingUnit)  due \(report.dueAt)"
                    + (report.overdue ? "  OVERDUE" : ""),
                report.description,
            ]
            if let contact = report.contact {
                lines.append("contact: " + [contact.name, contact.phone, contact.email].compactMap { $0 }.joined(separator: ", "))
            }
            for update in report.updates ?? [] {
                let text = [
                    update.statusTo.map { "→ \($0)" }, update.publicMessage.map { "public: \($0)" }, update.internalNote.map { "note: \($0)" },
                ]
                .compactMap { $0 }.joined(separator: "  ")
                lines.append("  \(update.at)  \(update.kind)  \(text)  (\(update.actor))")
            }
            Console.print(lines.joined(separator: "\n"))
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign a report to a staff account (its id), or to no one (none).")

        @OptionGroup var staff: StaffChangeOptions
        @Argument var code: String
        @Option(help: "The staff account's id (cds-admin users list), or none.") var user: String

        func run() async throws {
            let client = try staff.client()
            let assignee: String? = user == "none" ? nil : try objectID(user, listedBy: "users list")
            if staff.dryRun.stops("assign \(code) to \(assignee ?? "no one")") { return }
            _ = try await client.send(.PUT, FeedbackCommand.path(code, "/assignee"), json: try AdminClient.body(["assignee_id": assignee]))
            Console.printError("\(code) is assigned to \(assignee ?? "no one")")
        }
    }

    struct Transition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a report along the workflow.",
            discussion: """
                submitted → accepted → in_progress → resolved | rejected → closed; reopened; duplicate (--duplicate-of);
                not_responsible (--referred-to). Rejecting and referring need --message, which the citizen sees.
                """
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument var code: String
        @Argument(help: "The new status.") var status: String
        @Option(help: "A message the citizen and the partner app see.") var message: String?
        @Option(help: "A note for the handlers only.") var note: String?
        @Option(help: "The original report's tracking code (duplicate).") var duplicateOf: String?
        @Option(help: "Who is responsible instead (not_responsible).") var referredTo: String?

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("move \(code) to \(status)") { return }
            let body = try AdminClient.body([
                "status": status, "public_message": message, "internal_note": note, "duplicate_of": duplicateOf, "referred_to": referredTo,
            ])
            let report = try await client.send(.POST, FeedbackCommand.path(code, "/transitions"), json: body)
                .decode(Wire.HandledReport.self)
            Console.printError("\(report.trackingCode) is \(report.status)")
        }
    }

    struct Respond: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Answer the citizen publicly (the status stays).")

        @OptionGroup var staff: StaffChangeOptions
        @Argument var code: String
        @Option(help: "The answer.") var message: String

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("answer \(code)") { return }
            _ = try await client.send(.POST, FeedbackCommand.path(code, "/responses"), json: try AdminClient.body(["message": message]))
            Console.printError("answered \(code)")
        }
    }

    struct Webhooks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The partners' webhooks (operator command, database owner access).",
            subcommands: [Redeliver.self]
        )

        struct Redeliver: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Send the dead-lettered webhook messages again (with their webhook-id), each with a new retry window."
            )

            @Option(help: "Only this partner app's messages.") var partner: String?

            func run() async throws {
                let count = try await OperatorDatabase.withApplication { database in
                    try await FeedbackMaintenance.redeliverDeadWebhooks(
                        partner: partner,
                        in: database,
                        actor: .operator("feedback-webhooks-redeliver")
                    )
                }
                Console.print(String(count))
                Console.printError("\(count) dead-lettered messages are queued again; a running cds-server sends them")
            }
        }
    }

    struct PurgeContacts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "purge-contacts",
            abstract: "Remove the citizens' contacts of reports older than the retention (operator command, database owner access)."
        )

        @Option(help: "The retention, e.g. 365d.") var olderThan: TokenLifetime

        func run() async throws {
            guard let seconds = olderThan.seconds else { throw AdminError.usage("--older-than needs a duration such as 365d") }
            let count = try await OperatorDatabase.withApplication { database in
                try await FeedbackMaintenance.purgeContacts(olderThan: seconds, in: database, actor: .operator("feedback-purge-contacts"))
            }
            Console.print(String(count))
            Console.printError("removed the contacts of \(count) reports submitted more than \(Int(seconds / 86_400)) days ago")
        }
    }
}
