import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin grants list [--user U] [--unit CODE]`: who holds which role where, among the accounts you manage.
struct GrantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grants",
        abstract: "List grants.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the grants of the accounts you manage.")

        @OptionGroup var staff: StaffOptions

        @Option(help: "Only this user's grants.")
        var user: String?

        @Option(help: "Only the grants on this unit.")
        var unit: String?

        @OptionGroup var output: OutputOption

        func run() async throws {
            let users = try await staff.client().get("/v1/users", as: Wire.Page<Wire.User>.self).items
            if let user, !users.contains(where: { $0.name == user }) {
                throw AdminError.notFound("no user '\(user)' that you can see: `cds-admin users list` shows them")
            }
            let rows = users.filter { user == nil || $0.name == user }.flatMap { account in
                account.grants.filter { unit == nil || $0.unitCode == unit }.map { GrantRow(user: account.name, grant: $0) }
            }
            try Listing(columns: [.left("user"), .left("role"), .left("unit"), .left("id")], items: rows) {
                [$0.user, $0.role, $0.unitCode, $0.id]
            }
            .print(output)
        }
    }

    /// A grant with its holder's name, as listed.
    struct GrantRow: Encodable {
        let user: String
        let role: String
        let unitCode: String
        let id: String

        init(user: String, grant: Wire.Grant) {
            self.user = user
            role = grant.role
            unitCode = grant.unitCode
            id = grant.id.lowercased
        }
    }
}
