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

    @OptionGroup var grant: GrantOptions

    func run() async throws {
        let (client, account) = try await grant.holder()
        if grant.staff.dryRun.stops("grant \(grant.role) on \(grant.unit) to \(grant.user)") { return }
        let body = try AdminClient.body(["user_id": account.id.lowercased, "role": grant.role, "unit_code": grant.unit])
        let granted = try await client.send(.POST, "/v1/grants", json: body).decode(Wire.Grant.self)
        Console.printError("granted \(granted.role) on \(granted.unitCode) to \(grant.user)")
    }
}

/// Who gets or loses which role where: the arguments of `grant` and `revoke`.
struct GrantOptions: ParsableArguments {
    @OptionGroup var staff: StaffChangeOptions

    @Argument(help: "The role.")
    var role: String

    @Option(help: "The user's account name.")
    var user: String

    @Option(help: "The unit's code (province, district or commune).")
    var unit: String

    /// The admin API, and the account of `--user` as the caller sees it.
    func holder() async throws -> (AdminClient, Wire.User) {
        let client = try staff.client()
        return (client, try await client.user(named: user))
    }
}
