import CDSTestSupport
import Foundation
import Testing

/// `units tree`, `units import-hamlets` and `members import` through a real server: files in, all or nothing, every
/// faulty line named by its line number.
@Suite struct StaffImportCommandTests {
    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cds-import-\(UUID()).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func theTreeAsTheCallerSeesIt() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let tree = await server.cli(["units", "tree", "120", "--depth", "1"], token: token)
            #expect(tree.status == 0, "\(tree.error)")
            let lines = tree.output.split(separator: "\n")
            #expect(lines.first == "120  Huyện Mường La")
            #expect(lines.count == 17)
            #expect(lines[1] == "├─ 3808  Thị trấn Ít Ong")

            #expect(
                await server.cli(["units", "add-hamlet", "--commune", "3808", "--name", "Tiểu khu 1", "--kind", "tieu_khu"], token: token).status == 0
            )
            let commune = await server.cli(["units", "tree", "3808"], token: token)
            #expect(commune.output == "3808  Thị trấn Ít Ong\n└─ 3808-001  Tiểu khu 1\n")
            let province = await server.cli(["units", "tree", "--depth", "1"], token: token)
            #expect(province.output.split(separator: "\n").count == 13)

            let unknown = await server.cli(["units", "tree", "424242"], token: token)
            #expect(unknown.status == 4)
            #expect(unknown.error.split(separator: "\n").count == 1, "\(unknown.error)")
            #expect(await server.cli(["units", "tree", "--depth", "deep"], token: token).status == 2)
        }
    }

    @Test func hamletsFromAFileOnceOnly() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let path = try Self.file("commune_code,name,kind\n3808,Tiểu khu 1,tieu_khu\n3808,\"Bản Nà Lốc, Ít Ong\",ban\n")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let dry = await server.cli(["units", "import-hamlets", path, "--dry-run"], token: token)
            #expect(dry.output.hasPrefix("would import 2 hamlets from \(path) as 3808-001, 3808-002"), "\(dry.error)")
            let imported = await server.cli(["units", "import-hamlets", path], token: token)
            #expect(imported.status == 0, "\(imported.error)")
            #expect(imported.output == "3808-001\n3808-002\n")
            #expect(imported.error.contains("imported 2 hamlets"))

            // The same file again: every line is a hamlet the commune has; a conflict, each line named.
            let again = await server.cli(["units", "import-hamlets", path], token: token)
            #expect(again.status == 5)
            #expect(again.error.contains("line 2, name: the commune already has this hamlet: 3808-001"))
            #expect(again.error.contains("line 3, name: the commune already has this hamlet: 3808-002"))

            let wrongColumns = try Self.file("commune,name\n3808,Bản Mới\n")
            defer { try? FileManager.default.removeItem(atPath: wrongColumns) }
            let refused = await server.cli(["units", "import-hamlets", wrongColumns], token: token)
            #expect(refused.status == 1)
            #expect(refused.error.contains("columns this import does not take: commune"))
            #expect(await server.cli(["units", "import-hamlets", "/nonexistent/hamlets.csv"], token: token).status == 4)
        }
    }

    @Test func membersFromAFileAllOrNothing() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let team = await server.cli(["teams", "create", "--unit", "3808", "--name", "Tổ CNS thị trấn Ít Ong"], token: token).output
                .trimmingCharacters(in: .newlines)
            let header = "team_id,full_name,gender,birth_year,phone,role,trained\n"
            // A value that is not even a number is found before anything is sent.
            let typo = try Self.file(header + "\(team),Lò Văn Hùng,male,19x0,,member,true\n")
            defer { try? FileManager.default.removeItem(atPath: typo) }
            let local = await server.cli(["members", "import", typo], token: token)
            #expect(local.status == 1)
            #expect(local.error.contains("line 2, birth_year: '19x0' is not a whole number"))

            // The server's checks: line 3's phone; nothing of lines 2 and 4 is written either.
            let lines = [
                "\(team),Lò Văn Hùng,male,1990,0912 345 678,leader,true",
                "\(team),Cầm Thị Lan,female,1995,12345,member,false",
                "\(team),Quàng Văn Tiến,,,,member,",
            ]
            let bad = try Self.file(header + lines.joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: bad) }
            let refused = await server.cli(["members", "import", bad], token: token)
            #expect(refused.status == 1)
            #expect(refused.error.contains("line 3, phone:"), "\(refused.error)")
            #expect(!refused.error.contains("line 2") && !refused.error.contains("line 4"))
            let none = await server.cli(["members", "list", "--team", team, "-o", "csv"], token: token)
            #expect(none.output == "id,name,unit,role,phone,trained,left\n")

            var fixed = lines
            fixed[1] = "\(team),Cầm Thị Lan,female,1995,0389 123 456,member,false"
            let good = try Self.file(header + fixed.joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: good) }
            let dry = await server.cli(["members", "import", good, "--dry-run"], token: token)
            #expect(dry.output == "would import 3 members from \(good) (dry run: nothing changed)\n", "\(dry.error)")
            let imported = await server.cli(["members", "import", good], token: token)
            #expect(imported.status == 0, "\(imported.error)")
            #expect(imported.output.split(separator: "\n").count == 3)
            let listed = await server.cli(["members", "list", "--team", team, "-o", "csv"], token: token)
            #expect(listed.output.split(separator: "\n").count == 4)
            #expect(listed.output.contains("Cầm Thị Lan,3808,member,0389123456,no,"))

            // Importing the leader's line again: the team has a leader; a conflict.
            let second = try Self.file(header + lines[0] + "\n")
            defer { try? FileManager.default.removeItem(atPath: second) }
            let conflict = await server.cli(["members", "import", second], token: token)
            #expect(conflict.status == 5)
            #expect(conflict.error.contains("line 2, role: the team already has a leader"))
        }
    }
}
