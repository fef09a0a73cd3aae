import Foundation
import Testing

/// A district IT officer's day with the built `cds-admin` against the built `cds-server` on the embedded database:
/// the province admin creates Mường La's (120) admin, who logs in with a profile, creates a commune officer, keeps
/// hamlets, imports members from a file with a bad line, lists in each format — and sees and changes nothing of
/// Quỳnh Nhai (118).
@Suite struct DistrictOfficerEndToEndTests {
    typealias Result = (status: Int32, output: String, error: String)

    @Test func muongLasAdminRunsTheDistrictAndCannotReachQuynhNhai() throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cds-officer-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        // The province's data, 118 and 120 included.
        let seed = try EmbeddedEndToEndTests.run(["demo", "seed", "sonla-2023"], dataDirectory: directory)
        #expect(seed.status == 0, "\(seed.error)")
        let config = directory.appendingPathComponent("config").path

        try EmbeddedEndToEndTests.withServer(on: directory) { serverURL in
            func cli(_ arguments: [String], token: String? = nil, input: String? = nil) throws -> Result {
                var environment = ["XDG_CONFIG_HOME": config]
                if let token { environment.merge(serverURL.merging(["CDS_TOKEN": token]) { $1 }) { $1 } }
                return try EmbeddedEndToEndTests.run(arguments, dataDirectory: directory, environment: environment, input: input)
            }
            func line(_ result: Result) -> String { result.output.trimmingCharacters(in: .whitespacesAndNewlines) }

            // The province admin: bootstrapped, then creates Mường La's district admin.
            let province = line(try EmbeddedEndToEndTests.run(["bootstrap", "--name", "tinh"], dataDirectory: directory))
            #expect(try cli(["users", "add", "muongla", "--display-name", "Lò Văn Thành", "--unit", "120"], token: province).status == 0)
            #expect(try cli(["grant", "district_admin", "--user", "muongla", "--unit", "120"], token: province).status == 0)
            let issued = try cli(["tokens", "issue", "--user", "muongla", "--expires", "30d"], token: province)
            #expect(issued.status == 0, "\(issued.error)")
            let muonglaToken = line(issued)
            #expect(!muonglaToken.contains("\n") && muonglaToken.hasPrefix("cds_"))

            // Mường La's admin logs in once; the profile (mode 0600) carries the server and the token after that.
            let login = try cli(["login", "--server", serverURL["CDS_SERVER"]!, "--profile", "muongla"], input: muonglaToken + "\n")
            #expect(login.status == 0, "\(login.error)")
            let profileFile = URL(fileURLWithPath: config).appendingPathComponent("cds-admin/profiles.json").path
            let mode = try FileManager.default.attributesOfItem(atPath: profileFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            func admin(_ arguments: [String]) throws -> Result { try cli(arguments + ["--profile", "muongla"]) }
            let whoami = try admin(["whoami", "-o", "json"])
            #expect(whoami.status == 0, "\(whoami.error)")
            #expect(whoami.output.contains("\"muongla\""))

            // A commune officer for Ít Ong (3808), with a token of their own.
            #expect(try admin(["users", "add", "itong", "--display-name", "Cầm Thị Hoa", "--unit", "3808"]).status == 0)
            let granted = try admin(["grant", "commune_officer", "--user", "itong", "--unit", "3808"])
            #expect(granted.status == 0, "\(granted.error)")
            let officer = line(try admin(["tokens", "issue", "--user", "itong", "--expires", "7d"]))
            #expect(officer.hasPrefix("cds_"))
            // Granting in Quỳnh Nhai is beyond Mường La's subtree.
            #expect(try admin(["grant", "commune_officer", "--user", "itong", "--unit", "3682"]).status == 3)

            // Hamlets: one added to Ít Ong, then moved to Nậm Giôn (3811), keeping its code.
            let added = try admin(["units", "add-hamlet", "--commune", "3808", "--name", "Tiểu khu Mới", "--kind", "tieu_khu"])
            #expect(added.status == 0, "\(added.error)")
            let hamlet = line(added)
            #expect(hamlet.hasPrefix("3808-"))
            #expect(try admin(["units", "move", hamlet, "--commune", "3811"]).status == 0)
            let moved = try admin(["units", "show", hamlet, "-o", "json"])
            #expect(moved.output.contains("\"parent_code\" : \"3811\""), "\(moved.output)")

            // The officer imports members into Ít Ong's commune team from a CSV: one bad line, nothing imported.
            let teams = try cli(["teams", "list", "--unit", "3808", "-o", "json"], token: officer)
            let team = try #require(
                (try JSONSerialization.jsonObject(with: Data(teams.output.utf8)) as? [[String: Any]])?.first?["id"] as? String,
                "\(teams.output)"
            )
            func members() throws -> Int {
                try cli(["members", "list", "--team", team, "-o", "csv"], token: officer).output.split(separator: "\n").count - 1
            }
            let before = try members()
            let rows = [
                "\(team),Lò Văn Sướng,male,1988,0912 000 111,member,teacher,true",
                "\(team),Lường Thị Ngọc,female,1999,0912 000,member,youth_union,false",
                "\(team),Quàng Văn Hải,male,1975,,member,veterans_association,true",
            ]
            let header = "team_id,full_name,gender,birth_year,phone,role,affiliation,trained\n"
            let file = directory.appendingPathComponent("members.csv")
            try (header + rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            let refused = try cli(["members", "import", file.path], token: officer)
            #expect(refused.status == 1)
            #expect(refused.error.contains("line 3, phone:"), "\(refused.error)")
            #expect(try members() == before)
            try (header + [rows[0], rows[1].replacingOccurrences(of: "0912 000,", with: "0912 000 222,"), rows[2]].joined(separator: "\n") + "\n")
                .write(to: file, atomically: true, encoding: .utf8)
            let imported = try cli(["members", "import", file.path], token: officer)
            #expect(imported.status == 0, "\(imported.error)")
            #expect(imported.output.split(separator: "\n").count == 3)
            #expect(try members() == before + 3)

            // Each output format of one listing.
            let table = try admin(["members", "list", "--team", team, "-o", "table"])
            #expect(table.output.hasPrefix("id") && table.output.contains("Lường Thị Ngọc"))
            let csv = try admin(["members", "list", "--team", team, "-o", "csv"])
            #expect(csv.output.hasPrefix("id,name,unit,role,phone,trained,left\n") && csv.output.contains("0912000222"))
            let json = try admin(["members", "list", "--team", team, "-o", "json"])
            let listed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
            #expect(listed?.count == before + 3)

            // Quỳnh Nhai (118), as the province sees it, and as Mường La's admin does not.
            let theirTeams = try cli(["teams", "list", "--unit", "3682", "-o", "json"], token: province)
            let theirTeam = try #require((try JSONSerialization.jsonObject(with: Data(theirTeams.output.utf8)) as? [[String: Any]])?.first)
            let theirTeamID = try #require(theirTeam["id"] as? String)
            let theirMembers = try cli(["members", "list", "--team", theirTeamID, "-o", "json"], token: province)
            let theirMember = try #require(
                (try JSONSerialization.jsonObject(with: Data(theirMembers.output.utf8)) as? [[String: Any]])?.first?["id"] as? String
            )
            let theirTree = try cli(["units", "tree", "3682", "--depth", "1"], token: province)
            let theirHamlet = try #require(
                theirTree.output.split(separator: "\n").dropFirst().first?.split(separator: " ").dropFirst().first.map(String.init),
                "\(theirTree.output)"
            )

            #expect(line(try admin(["teams", "list", "--unit", "3682", "-o", "csv"])) == "id,unit,name,status,members,established")
            #expect(!(try admin(["teams", "list", "-o", "csv"])).output.contains(",3682"))
            #expect(try admin(["teams", "show", theirTeamID]).status == 4)
            #expect(try admin(["members", "show", theirMember]).status == 4)
            #expect(try admin(["members", "update", theirMember, "--phone", "0912999999"]).status == 4)
            #expect(try admin(["teams", "dissolve", theirTeamID, "--on", "2024-01-01"]).status == 4)
            #expect(try admin(["units", "rename", theirHamlet, "--name", "Bản Đổi Tên"]).status == 4)
            #expect(try admin(["report", "coverage", "--district", "118"]).status == 4)
            let unchanged = try cli(["members", "show", theirMember, "-o", "json"], token: province)
            #expect(!unchanged.output.contains("0912999999"))
            let tree = try admin(["units", "tree", "3682"])
            #expect(tree.output == "3682  Xã Mường Chiên\n", "Quỳnh Nhai's hamlets are not Mường La's to see")
        }
    }
}
