import CDSAdmin
import CDSTestSupport
import Foundation
import Testing

@Suite struct StaffCommandTests {
    @Test func helpSeparatesStaffFromOperatorCommandsAndCompletionScriptsAreGenerated() async throws {
        let console = Console.capture()
        let help = await Console.$current.withValue(console) { await CDSAdminCommand.run(arguments: ["--help"]) }
        #expect(help == 0)
        let staff = try #require(console.output.range(of: "STAFF COMMANDS"))
        let operator_ = try #require(console.output.range(of: "OPERATOR COMMANDS"))
        #expect(console.output[staff.upperBound..<operator_.lowerBound].contains("whoami"))
        #expect(console.output[operator_.upperBound...].contains("bootstrap"))
        let completion = Console.capture()
        let status = await Console.$current.withValue(completion) {
            await CDSAdminCommand.run(arguments: ["--generate-completion-script", "bash"])
        }
        #expect(status == 0)
        #expect(completion.output.hasPrefix("#!/bin/bash") && completion.output.contains("whoami"))
    }

    @Test func loginKeepsAPrivateProfileAndWhoamiUsesIt() async throws {
        try await AdminCLITestCase.run { server in
            let login = await server.cli(["login", "--server", server.url, "--profile", "tinh"], input: server.adminToken + "\n")
            #expect(login.status == 0, "\(login.error)")
            #expect(login.error.contains("logged in to \(server.url) as tinh"))
            let file = server.configDirectory.appendingPathComponent("cds-admin/profiles.json")
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let whoami = await server.cli(["whoami"])
            #expect(whoami.status == 0, "\(whoami.error)")
            #expect(whoami.output.contains("tinh (staff)"))
            #expect(whoami.output.contains("province_admin on 14"))
            let json = await server.cli(["whoami", "--profile", "tinh", "-o", "json"])
            let me = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            #expect((me?["districts"] as? [Int])?.count == 12)
        }
    }

    @Test func aBadTokenNoProfileAndNoServerEachSayWhatToDo() async throws {
        try await AdminCLITestCase.run { server in
            let wrong = await server.cli(["whoami"], token: "cds_" + String(repeating: "A", count: 43))
            #expect(wrong.status == 3)
            #expect(wrong.error.contains("log in again"))
            let none = await server.cli(["whoami"])
            #expect(none.status == 2)
            #expect(none.error.contains("cds-admin login --server URL"))
            let unknown = await server.cli(["whoami", "--profile", "nobody"])
            #expect(unknown.status == 2)
            let refused = await server.cli(["login", "--server", server.url], input: "cds_nonsense\n")
            #expect(refused.status == 3)
            #expect(!FileManager.default.fileExists(atPath: server.configDirectory.appendingPathComponent("cds-admin/profiles.json").path))
            let unreachable = await server.cli(["whoami"], environment: ["CDS_SERVER": "http://127.0.0.1:1", "CDS_TOKEN": server.adminToken])
            #expect(unreachable.status == 1)
            #expect(unreachable.error.contains("cannot reach http://127.0.0.1:1"))
            #expect(!unreachable.error.contains("\n  "))
        }
    }
}
