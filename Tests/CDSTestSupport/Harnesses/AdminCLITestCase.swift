import CDSAdmin
import CDSDatabase
import CDSServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A real `cds-server` HTTP listener on a loopback port, over a fresh test database, with a bootstrapped
/// province admin: what the staff commands talk to in the tests.
package struct AdminCLITestCase {
    package let url: String
    package let adminToken: String
    package let db: TestDatabase
    package let configDirectory: URL

    package static func run(_ body: @Sendable (AdminCLITestCase) async throws -> Void) async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { database in
                let plane = ControlPlane(database: database)
                let admin = try await plane.createStaffUser(name: "tinh", displayName: "Sở TT&TT", homeUnit: 14, actor: .operator("test"))
                try await plane.grant(role: "province_admin", unitCode: 14, to: admin, grantedBy: nil, actor: .operator("test"))
                let token = try await plane.issueToken(for: admin, issuedWith: nil, label: nil, expiresAt: nil, actor: .operator("test")).token
                let configuration = ServerConfiguration(database: .init(dataDirectory: URL(fileURLWithPath: "/nonexistent")), rateLimit: nil)
                let app = try Server.buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
                let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cds-staff-\(UUID().uuidString.prefix(8))")
                defer { try? FileManager.default.removeItem(at: directory) }
                // The live test framework binds a port of its own choosing on localhost and hands it over once the
                // server listens: no free port to race another test for, and no polling against a clock.
                try await app.test(.live) { client in
                    let port = try #require(client.port, "a live test server has a port")
                    try await body(AdminCLITestCase(url: "http://localhost:\(port)", adminToken: token, db: db, configDirectory: directory))
                }
            }
        }
    }

    /// Runs `cds-admin` in-process with this server and config directory in its environment, `input` on its stdin.
    package func cli(
        _ arguments: [String],
        token: String? = nil,
        input: String? = nil,
        environment: [String: String] = [:]
    ) async -> (
        status: Int32, output: String, error: String
    ) {
        var variables = ["XDG_CONFIG_HOME": configDirectory.path]
        if let token {
            variables["CDS_SERVER"] = url
            variables["CDS_TOKEN"] = token
        }
        variables.merge(environment) { $1 }
        let console = Console.capture()
        let status = await StaffEnvironment.$override.withValue(variables) {
            await StaffEnvironment.$input.withValue(input) {
                await Console.$current.withValue(console) { await CDSAdminCommand.run(arguments: arguments) }
            }
        }
        return (status, console.output, console.error)
    }

}
