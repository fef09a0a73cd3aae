import CDSTestSupport
import Foundation
import Testing

/// Teams and members through the CLI and a real server, as a district officer keeps them.
@Suite struct StaffRegistryCommandTests {
    @Test func foundATeamAddCorrectRetireAndExportItsMembers() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let founded = await server.cli(["teams", "create", "--unit", "3808", "--name", "Tổ CNS thị trấn Ít Ong"], token: token)
            #expect(founded.status == 0, "\(founded.error)")
            let team = founded.output.trimmingCharacters(in: .newlines)
            let listed = await server.cli(["teams", "list", "--unit", "3808", "-o", "json"], token: token)
            let teams = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
            #expect(teams?.map { $0["id"] as? String } == [team])

            let added = await server.cli(
                ["members", "add", "--team", team, "--name", "Lò Văn Hùng", "--phone", "0912 345 678", "--trained", "true"],
                token: token
            )
            #expect(added.status == 0, "\(added.error)")
            let member = added.output.trimmingCharacters(in: .newlines)
            let dry = await server.cli(["members", "update", member, "--phone", "0389123456", "--dry-run"], token: token)
            #expect(dry.output == "would change phone of the member \(member) (dry run: nothing changed)\n")
            #expect(await server.cli(["members", "update", member, "--phone", "0389123456"], token: token).status == 0)
            let found = await server.cli(["members", "list", "--search", "lo van", "-o", "csv"], token: token)
            #expect(found.output.hasPrefix("id,name,unit,role,phone,trained,left\n"))
            #expect(found.output.contains("Lò Văn Hùng,3808,member,0389123456,yes,"))

            #expect(await server.cli(["members", "remove", member, "--on", "2024-06-30"], token: token).status == 0)
            let exported = await server.cli(["members", "export", "--unit", "3808"], token: token)
            #expect(
                exported.output.hasPrefix(
                    "id,team_id,full_name,gender,birth_year,ethnicity,phone,role,affiliation,has_smartphone,trained,joined_on,left_on\n"
                )
            )
            #expect(exported.output.contains(",2024-06-30"))
            let badName = await server.cli(["members", "add", "--team", team, "--name", "Lò Văn 7"], token: token)
            #expect(badName.status == 1)
            #expect(badName.error.contains("full_name") && !badName.error.contains("\n  "))
            #expect(await server.cli(["teams", "dissolve", team, "--on", "2024-07-01"], token: token).status == 0)
            let shown = await server.cli(["teams", "show", team, "-o", "json"], token: token)
            #expect(shown.output.contains("\"status\" : \"dissolved\""))

            // A dissolved team takes no members: a conflict.
            #expect(await server.cli(["members", "add", "--team", team, "--name", "Lò Văn Bảy"], token: token).status == 5)
            #expect(await server.cli(["members", "show", "not-an-id"], token: token).status == 2)
            #expect(await server.cli(["teams", "show", UUID().uuidString], token: token).status == 4)
            #expect(await server.cli(["members", "add", "--team", team], token: token).status == 2)
        }
    }

    /// `audit --member` answers who has read a member's personal data: one entry per request that showed it.
    @Test func whoReadAMembersPersonalData() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let team = await server.cli(["teams", "create", "--unit", "3808", "--name", "Tổ CNS Ít Ong"], token: token).output
                .trimmingCharacters(in: .newlines)
            let member = await server.cli(["members", "add", "--team", team, "--name", "Lò Văn Hùng", "--phone", "0912345678"], token: token)
                .output.trimmingCharacters(in: .newlines)
            #expect(await server.cli(["members", "show", member], token: token).status == 0)
            #expect(await server.cli(["members", "list", "--unit", "3808"], token: token).status == 0)

            let reads = await server.cli(["audit", "--member", member, "-o", "json"], token: token)
            #expect(reads.status == 0, "\(reads.error)")
            let entries = try JSONSerialization.jsonObject(with: Data(reads.output.utf8)) as? [[String: Any]] ?? []
            #expect(entries.map { $0["route"] as? String } == ["GET /v1/members", "GET /v1/members/{id}", "POST /v1/members"])
            #expect(entries.allSatisfy { $0["action"] as? String == "read_personal" && ($0["subjects"] as? [String])?.contains(member) == true })
            let table = await server.cli(["audit", "--member", member], token: token)
            #expect(table.output.contains("GET /v1/members/{id}"))

            #expect(await server.cli(["audit", "--member", "not-an-id"], token: token).status == 2)
            #expect(await server.cli(["audit", "--member", member, "--action", "update"], token: token).status == 2)
            #expect(await server.cli(["audit", "--limit", "0"], token: token).status == 2)
        }
    }

    @Test func aSessionItsAttendanceAndAnActivity() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let team = await server.cli(["teams", "create", "--unit", "3808", "--name", "Tổ CNS Ít Ong"], token: token).output
                .trimmingCharacters(in: .newlines)
            let member = await server.cli(["members", "add", "--team", team, "--name", "Quàng Văn Tiến"], token: token).output
                .trimmingCharacters(in: .newlines)
            let created = await server.cli(
                ["trainings", "create", "--unit", "120", "--held-on", "2023-09-15", "--topic", "Dịch vụ công trực tuyến", "--mode", "online"],
                token: token
            )
            #expect(created.status == 0, "\(created.error)")
            let session = created.output.trimmingCharacters(in: .newlines)
            #expect(await server.cli(["trainings", "attend", session, member], token: token).status == 0)
            let listed = await server.cli(["trainings", "list", "--unit", "120", "-o", "json"], token: token)
            let sessions = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
            #expect(sessions?.first?["attendee_count"] as? Int == 1)
            let trained = await server.cli(["members", "show", member, "-o", "csv"], token: token)
            #expect(trained.output.contains(",yes,"))
            #expect(await server.cli(["trainings", "attend", session, "nobody"], token: token).status == 2)
            let shown = await server.cli(["trainings", "show", session, "-o", "csv"], token: token)
            #expect(shown.output.contains("\(member),Quàng Văn Tiến,3808,"))
            #expect(await server.cli(["trainings", "update", session, "--topic", "Dịch vụ công trực tuyến mức độ 4"], token: token).status == 0)
            #expect(await server.cli(["trainings", "update", session], token: token).status == 2)

            let recorded = await server.cli(
                ["activities", "record", "--team", team, "--held-on", "2023-10-02", "--topic", "cashless_payment", "--residents", "25"],
                token: token
            )
            #expect(recorded.status == 0, "\(recorded.error)")
            let activity = recorded.output.trimmingCharacters(in: .newlines)
            let activities = await server.cli(["activities", "list", "--unit", "3808", "-o", "csv"], token: token)
            #expect(activities.output.contains("\(activity),2023-10-02,3808,cashless_payment,25"))
            #expect(
                await server.cli(
                    ["activities", "record", "--team", team, "--held-on", "2023-10-02", "--topic", "karaoke", "--residents", "2"],
                    token: token
                ).status == 1
            )
            #expect(await server.cli(["activities", "update", activity, "--residents", "30"], token: token).status == 0)
            let updated = await server.cli(["activities", "list", "--unit", "3808", "-o", "csv"], token: token)
            #expect(updated.output.contains("\(activity),2023-10-02,3808,cashless_payment,30"))
            #expect(await server.cli(["activities", "delete", activity], token: token).status == 0)
            #expect(await server.cli(["trainings", "delete", session, "--dry-run"], token: token).output.contains("1 attendances"))
            #expect(await server.cli(["trainings", "delete", session], token: token).status == 0)
            #expect(await server.cli(["trainings", "delete", session], token: token).status == 4)
        }
    }

    @Test func hamletsAddedRenamedMovedAndRetired() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let added = await server.cli(["units", "add-hamlet", "--commune", "3808", "--name", "Bản Nà  Cang", "--kind", "ban"], token: token)
            #expect(added.status == 0, "\(added.error)")
            let code = added.output.trimmingCharacters(in: .newlines)
            #expect(code == "3808-001")
            #expect(await server.cli(["units", "rename", code, "--name", "Bản Nà Cang Mới"], token: token).status == 0)
            let commune = try await server.db.superuserRows(
                "SELECT code FROM cds.units WHERE district_code = 120 AND level = 'commune' AND code <> 3808 ORDER BY code LIMIT 1",
                as: Int.self
            )[0]
            let dry = await server.cli(["units", "move", code, "--commune", "\(commune)", "--dry-run"], token: token)
            #expect(dry.output.hasPrefix("would move \(code) to \(commune)"))
            #expect(await server.cli(["units", "move", code, "--commune", "\(commune)"], token: token).status == 0)
            #expect(await server.cli(["units", "retire", code, "--on", "2030-12-31"], token: token).status == 0)
            let shown = await server.cli(["units", "show", code, "-o", "csv"], token: token)
            #expect(shown.output.contains("\(code),Bản Nà Cang Mới,ban,\(commune),"))
            #expect(shown.output.contains(",2030-12-31"))
            #expect(await server.cli(["units", "rename", "3808", "--name", "X"], token: token).status == 3)
            #expect(await server.cli(["units", "move", code, "--commune", "3646"], token: token).status == 5)
            #expect(await server.cli(["units", "show", "38a8"], token: token).status == 2)
        }
    }
}
