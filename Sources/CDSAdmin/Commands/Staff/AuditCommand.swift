import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin audit`: the audit log of the districts you audit, newest first; `--member <id>` answers "who has read
/// this member's personal data" (each read one entry per request, earlier per-row entries included).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit log: who changed what, and who read whose personal data."
    )

    @OptionGroup var staff: StaffOptions

    @Option(help: "Only the reads of this member's personal data (the member's id).") var member: String?
    @Option(help: "Only the entries of this actor, e.g. user:alice.") var principal: String?
    @Option(help: "Only insert, update, delete or read_personal.") var action: String?
    @Option(help: "From this day or time, YYYY-MM-DD or RFC 3339.") var from: String?
    @Option(help: "Until this day or time, YYYY-MM-DD or RFC 3339.") var to: String?
    @Option(help: "At most this many entries, newest first.") var limit: Int = 100

    @OptionGroup var output: OutputOption

    func run() async throws {
        guard limit > 0 else { throw AdminError.usage("--limit must be 1 or more") }
        guard member == nil || action == nil || action == "read_personal" else {
            throw AdminError.usage("--member lists reads of personal data: leave out --action, or give read_personal")
        }
        let subject = try member.map { try objectID($0, listedBy: "members list") }
        let entries = try await staff.client().first(
            limit,
            of: "/v1/audit",
            query: [
                "subject": subject, "action": subject == nil ? action : "read_personal", "principal": principal, "from": from, "to": to,
            ],
            as: Wire.AuditEntry.self
        )
        let columns: [TextTable.Column] = [.left("at"), .left("actor"), .left("action"), .left("entity"), .left("of"), .left("request")]
        try Listing(columns: columns, items: entries) { entry in
            [
                entry.occurredAt, entry.actor, entry.action, entry.entity, entry.route ?? entry.entityKey ?? "",
                entry.requestID ?? "",
            ]
        }
        .print(output)
    }
}
