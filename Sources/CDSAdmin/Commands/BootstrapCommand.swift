import ArgumentParser
import CDSDatabase
import Foundation

struct BootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Create the first province admin and print its token once.",
        discussion: """
            The token alone goes to standard output, explanations to standard error, so that a script can capture it:
                TOKEN=$(cds-admin bootstrap --name admin)
            Refuses when a province admin exists already, unless --force.
            """
    )

    @Option(help: "The account name: lowercase letters, digits, '.', '_' or '-'.")
    var name: String

    @Option(help: "The person's name, as shown to others.")
    var displayName: String?

    @Option(help: "How long the token is valid: e.g. 90d, 12h, or never.")
    var expires: TokenLifetime = TokenLifetime(argument: "90d")!

    @Flag(help: "Create another province admin although one exists (or a new token for an existing account).")
    var force = false

    func run() async throws {
        let (token, expiry, province) = try await OperatorDatabase.withApplication { database in
            let plane = ControlPlane(database: database)
            if try await plane.hasProvinceAdmin(), !force {
                throw AdminError.conflict("a province admin exists already; use --force to create another")
            }
            let actor = AuditActor.operator("bootstrap")
            let provinces = try await plane.unitHierarchy().provinces
            guard provinces.count == 1, let province = provinces.first else {
                throw AdminError.notFound("expected one province among the units, found \(provinces.count): import the units first")
            }
            let principal: UUID
            if let existing = try await plane.principalID(named: name) {
                guard force else { throw AdminError.conflict("an account named '\(name)' exists already; use --force to give it a new token") }
                principal = existing
            } else {
                principal = try await plane.createStaffUser(name: name, displayName: displayName, homeUnit: province, actor: actor)
            }
            try await plane.grant(role: "province_admin", unitCode: province, to: principal, grantedBy: nil, actor: actor)
            let expiry = expires.expiry()
            let issued = try await plane.issueToken(for: principal, issuedWith: nil, label: "bootstrap", expiresAt: expiry, actor: actor)
            return (issued.token, expiry, province)
        }
        Console.printError(
            "Created the province admin '\(name)' (province_admin on unit \(province)). Its token is shown once, "
                + (expiry.map { "valid until \(ISO8601DateFormatter().string(from: $0))" } ?? "without expiry") + ":"
        )
        Console.print(token)
    }
}
