import ArgumentParser
import Foundation

/// `cds-admin revoke ROLE --user U --unit CODE`.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a user's role on a unit.")

    @OptionGroup var grant: GrantOptions

    func run() async throws {
        let (client, account) = try await grant.holder()
        guard let held = account.grants.first(where: { $0.role == grant.role && $0.unitCode == grant.unit }) else {
            throw AdminError.notFound("\(grant.user) holds no \(grant.role) on \(grant.unit)")
        }
        if grant.staff.dryRun.stops("revoke \(grant.role) on \(grant.unit) from \(grant.user)") { return }
        _ = try await client.send(.DELETE, "/v1/grants/\(held.id.lowercased)")
        Console.printError("revoked \(grant.role) on \(grant.unit) from \(grant.user)")
    }
}
