import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin tokens issue|list|revoke`: bearer tokens of staff accounts.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Issue, list and revoke tokens.",
        subcommands: [Issue.self, List.self, Revoke.self]
    )

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token; the token alone goes to standard output, shown this once.",
            discussion: "TOKEN=$(cds-admin tokens issue --user khanh --expires 30d)"
        )

        @OptionGroup var staff: StaffChangeOptions

        @Option(help: "The account (default: yourself).")
        var user: String?

        @Option(help: "How long it is valid, in days: e.g. 90d (at most 3650d).")
        var expires: String = "90d"

        @Option(help: "What the token is for, e.g. the laptop it lives on.")
        var label: String?

        func run() async throws {
            guard expires.hasSuffix("d"), let days = Int(expires.dropLast()), (1...3650).contains(days) else {
                throw AdminError.usage("--expires takes days, e.g. 90d (1d to 3650d), not '\(expires)'")
            }
            let client = try staff.client()
            let account: Wire.User? = if let user { try await client.user(named: user) } else { nil }
            if staff.dryRun.stops("issue a token for \(user ?? "yourself") valid \(days) days") { return }
            let body = try AdminClient.body(["user_id": account?.id.lowercased, "label": label, "expires_in_days": days])
            let issued = try await client.send(.POST, "/v1/tokens", json: body).decode(Wire.Token.self)
            guard let token = issued.token else { throw AdminError.failure("the server issued a token but did not show it") }
            Console.print(token)
            let id = issued.id.lowercased
            Console.printError("token \(id), expires \(issued.expiresAt ?? "never"): keep it now, it is not shown again")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (yours, or a user's you manage).")

        @OptionGroup var staff: StaffOptions

        @Option(help: "The account (default: yourself).")
        var user: String?

        @OptionGroup var output: OutputOption

        func run() async throws {
            let client = try staff.client()
            let account: Wire.User? = if let user { try await client.user(named: user) } else { nil }
            let query = account.map { "?user=\($0.id.lowercased)" } ?? ""
            let tokens = try await client.get("/v1/tokens\(query)", as: Wire.Page<Wire.Token>.self).items
            try Listing(columns: [.left("id"), .left("label"), .left("created"), .left("expires"), .left("revoked")], items: tokens) {
                [$0.id.lowercased, $0.label ?? "", $0.createdAt, $0.expiresAt ?? "", $0.revokedAt ?? ""]
            }
            .print(output)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it is refused at once.")

        @OptionGroup var staff: StaffChangeOptions

        @Argument(help: "The token's id (from `cds-admin tokens list`).")
        var id: String

        func run() async throws {
            let client = try staff.client()
            let id = try objectID(id, listedBy: "tokens list")
            if staff.dryRun.stops("revoke the token \(id)") { return }
            _ = try await client.send(.DELETE, "/v1/tokens/\(id)")
            Console.printError("revoked the token \(id)")
        }
    }
}
