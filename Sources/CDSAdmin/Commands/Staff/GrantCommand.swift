import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin grant ROLE --user U --unit CODE`: a role on a unit and its subtree, within what you may grant.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Grant a role on a unit (and everything under it) to a user.",
        discussion: "Roles: province_admin, district_admin, commune_officer, feedback_officer, auditor. You grant only what you hold there."
    )

    @OptionGroup var staff: StaffOptions
    @OptionGroup var dryRun: DryRunOption

    @Argument(help: "The role.")
    var role: String

    @Option(help: "The user's account name.")
    var user: String

    @Option(help: "The unit's code (province, district or commune).")
    var unit: String

    func run() async throws {
        let client = try staff.client()
        let account = try await client.user(named: user)
        if dryRun.stops("grant \(role) on \(unit) to \(user)") { return }
        let body = try AdminClient.body(["user_id": account.id.uuidString.lowercased(), "role": role, "unit_code": unit])
        let grant = try await client.send(.POST, "/v1/grants", json: body).decode(Wire.Grant.self)
        Console.printError("granted \(grant.role) on \(grant.unitCode) to \(user)")
    }
}

/// `cds-admin revoke ROLE --user U --unit CODE`.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a user's role on a unit.")

    @OptionGroup var staff: StaffOptions
    @OptionGroup var dryRun: DryRunOption

    @Argument(help: "The role.")
    var role: String

    @Option(help: "The user's account name.")
    var user: String

    @Option(help: "The unit's code.")
    var unit: String

    func run() async throws {
        let client = try staff.client()
        let account = try await client.user(named: user)
        guard let grant = account.grants.first(where: { $0.role == role && $0.unitCode == unit }) else {
            throw AdminError.notFound("\(user) holds no \(role) on \(unit)")
        }
        if dryRun.stops("revoke \(role) on \(unit) from \(user)") { return }
        _ = try await client.send(.DELETE, "/v1/grants/\(grant.id.uuidString.lowercased())")
        Console.printError("revoked \(role) on \(unit) from \(user)")
    }
}
