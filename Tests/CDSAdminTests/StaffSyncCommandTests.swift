import CDSAdmin
import CDSCore
import CDSDatabase
import CDSRosterSync
import CDSTestSupport
import Foundation
import Testing

/// `cds-admin sync-clients` through the admin API, and `cds-admin sync push|pull` against a roster sync server over
/// mutual TLS with the development pair.
@Suite struct StaffSyncCommandTests {
    @Test func theProvinceRegistersDisablesAndEnablesASyncClient() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID()).pem")
            try TestCertificate.pem.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let added = await server.cli(
                ["sync-clients", "add", "--name", "hrm-sonla", "--cert", file.path, "--districts", "120,118", "--sources", "hrm,edu"],
                token: token
            )
            #expect(added.status == 0, "\(added.error)")
            #expect(added.output.trimmingCharacters(in: .newlines).wholeMatch(of: /[0-9a-f]{64}/) != nil)
            let listed = await server.cli(["sync-clients", "list", "-o", "csv"], token: token)
            #expect(listed.output.contains("hrm-sonla,\"118,120\",\"edu,hrm\",active,"), "\(listed.output)")
            let narrowed = await server.cli(["sync-clients", "set-sources", "hrm-sonla", "--sources", "hrm"], token: token)
            #expect(narrowed.status == 0 && narrowed.error.contains("hrm-sonla pushes under hrm"), "\(narrowed.error)")
            #expect(await server.cli(["sync-clients", "list", "-o", "csv"], token: token).output.contains("hrm-sonla,\"118,120\",hrm,active,"))
            let local = await server.cli(["sync-clients", "set-sources", "hrm-sonla", "--sources", "hrm,local"], token: token)
            #expect(local.status == 1 && local.error.contains("'local' is not a source system"), "\(local.error)")
            let none = await server.cli(
                ["sync-clients", "add", "--name", "x-none", "--cert", file.path, "--districts", "all", "--sources", ""],
                token: token
            )
            #expect(none.status == 1 && none.error.contains("sources"), "\(none.error)")
            #expect(await server.cli(["sync-clients", "disable", "hrm-sonla"], token: token).status == 0)
            #expect(await server.cli(["sync-clients", "list", "-o", "csv"], token: token).output.contains(",disabled,"))
            #expect(await server.cli(["sync-clients", "enable", "hrm-sonla"], token: token).status == 0)

            // The name, or the certificate, a second time: a conflict. An unknown district: refused.
            let again = await server.cli(
                ["sync-clients", "add", "--name", "hrm-sonla", "--cert", file.path, "--districts", "all", "--sources", "hrm"],
                token: token
            )
            #expect(again.status == 5)
            let twin = await server.cli(
                ["sync-clients", "add", "--name", "hrm-copy", "--cert", file.path, "--districts", "all", "--sources", "hrm"],
                token: token
            )
            #expect(twin.status == 5)
            let unknown = await server.cli(
                ["sync-clients", "add", "--name", "x-sys", "--cert", file.path, "--districts", "999", "--sources", "hrm"],
                token: token
            )
            #expect(unknown.status == 1 && unknown.error.contains("districts"))
            #expect(await server.cli(["sync-clients", "disable", "nobody"], token: token).status == 4)

            // A district admin administers its district, not the province's systems.
            #expect(await server.cli(["users", "add", "muongla", "--unit", "120"], token: token).status == 0)
            #expect(await server.cli(["grant", "district_admin", "--user", "muongla", "--unit", "120"], token: token).status == 0)
            let districtToken = await server.cli(["tokens", "issue", "--user", "muongla"], token: token).output.trimmingCharacters(in: .newlines)
            #expect(await server.cli(["sync-clients", "list"], token: districtToken).status == 3)
        }
    }

    @Test func pushFromCSVFilesThenPullTheChanges() async throws {
        try await TestDatabase.withTwoDistricts { _, app, _ in
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("cds-sync-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: data) }
            let certificates = try DevelopmentCertificates.ensure(in: data.appendingPathComponent("tls"))
            let server = try RosterSyncServer(
                host: "127.0.0.1",
                port: 0,
                tls: SyncTLSFiles(development: certificates),
                database: app,
                developmentClient: try certificates.clientFingerprint()
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                var port: Int?
                for _ in 0..<300 where port == nil {
                    port = try? await server.listeningPort()
                    if port == nil { try await Task.sleep(for: .milliseconds(10)) }
                }
                let environment = ["CDS_DATA_DIR": data.path, "CDS_GRPC_ADDR": "127.0.0.1:\(try #require(port))"]
                func cli(_ arguments: [String]) async -> (status: Int32, output: String, error: String) {
                    let console = Console.capture()
                    let status = await StaffEnvironment.$override.withValue(environment) {
                        await Console.$current.withValue(console) { await CDSAdminCommand.run(arguments: arguments) }
                    }
                    return (status, console.output, console.error)
                }
                let roster = data.appendingPathComponent("roster")
                try FileManager.default.createDirectory(at: roster, withIntermediateDirectories: true)
                try "external_id,commune_code,name,kind\nh1,3658,Bản Cọ,ban\n".write(
                    to: roster.appendingPathComponent("hamlets.csv"),
                    atomically: true,
                    encoding: .utf8
                )
                try "external_id,level,commune_code,hamlet_external_id,name,established_on\nt1,hamlet,3658,h1,Tổ CNS bản Cọ,2023-05-01\n".write(
                    to: roster.appendingPathComponent("teams.csv"),
                    atomically: true,
                    encoding: .utf8
                )
                try """
                external_id,team_external_id,full_name,gender,birth_year,phone,role,affiliation,has_smartphone,trained
                m1,t1,Lò Văn Hùng,male,1985,0912 111 222,leader,hamlet_head,true,true
                m2,t1,Cầm Thị Lan,female,1992,,member,women_union,true,false
                m3,t1,Quàng Văn Bảy,male,1970,12345,member,resident,false,false

                """.write(to: roster.appendingPathComponent("members.csv"), atomically: true, encoding: .utf8)
                let sent = try String(contentsOf: roster.appendingPathComponent("members.csv"), encoding: .utf8)
                try sent.replacingOccurrences(of: "has_smartphone,trained", with: "has_smartphone,phone").write(
                    to: roster.appendingPathComponent("members.csv"),
                    atomically: true,
                    encoding: .utf8
                )
                let doubled = await cli(["sync", "push", "--district", "116", "--mode", "full", "--dir", roster.path, "--source", "hrm-csv"])
                #expect(doubled.status == 1 && doubled.error.contains("names a column twice: phone"), "\(doubled.error)")
                try sent.write(to: roster.appendingPathComponent("members.csv"), atomically: true, encoding: .utf8)
                let refused = await cli(["sync", "push", "--district", "116", "--mode", "full", "--dir", roster.path, "--source", "hrm-csv"])
                #expect(refused.status == 1)
                #expect(refused.error.contains("#2 m3, phone:"), "\(refused.error)")
                #expect(refused.output.contains("not applied"))

                // A faulty line after the first chunk has gone: the push stops there, and nothing of it is applied
                // (the push that follows inserts its three members and deactivates none).
                var lines: [String] = [String(sent.split(separator: "\n")[0])]
                lines += (1...1500).map { "x\($0),t1,Lò Văn Hùng,male,1985,,member,resident,true,false" }
                lines[1400] = "x1400,t1,Lò Văn Hùng"
                try lines.joined(separator: "\n").write(to: roster.appendingPathComponent("members.csv"), atomically: true, encoding: .utf8)
                let faulty = await cli(["sync", "push", "--district", "116", "--mode", "full", "--dir", roster.path, "--source", "hrm-csv"])
                #expect(faulty.status == 1 && faulty.error.contains("line 1401: has 3 fields, the header has 10"), "[\(faulty.error)]")
                try sent.write(to: roster.appendingPathComponent("members.csv"), atomically: true, encoding: .utf8)

                let fixed = try String(contentsOf: roster.appendingPathComponent("members.csv"), encoding: .utf8)
                    .replacingOccurrences(of: ",12345,", with: ",0389 000 111,")
                try fixed.write(to: roster.appendingPathComponent("members.csv"), atomically: true, encoding: .utf8)
                let pushed = await cli(["sync", "push", "--district", "116", "--mode", "full", "--dir", roster.path, "--source", "hrm-csv"])
                #expect(pushed.status == 0, "\(pushed.error)")
                #expect(pushed.output.contains("members: 3 inserted, 0 updated, 0 unchanged, 0 deactivated, 0 rejected"), "\(pushed.output)")

                let out = data.appendingPathComponent("pulled")
                let pulled = await cli(["sync", "pull", "--district", "116", "--out", out.path])
                #expect(pulled.status == 0, "\(pulled.error)")
                let members = try String(contentsOf: out.appendingPathComponent("members.csv"), encoding: .utf8)
                #expect(members.contains("m2,t1,Cầm Thị Lan,female,1992,,member,women_union,true,false,"))
                // Names, phones and birth years: readable by the operator alone.
                for name in ["hamlets.csv", "teams.csv", "members.csv", "tombstones.csv"] {
                    let mode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path)[.posixPermissions] as? Int
                    #expect(mode == 0o600, "\(name) is mode \(String(mode ?? 0, radix: 8))")
                }
                let watermark = try #require(Int64(pulled.output.trimmingCharacters(in: .newlines)))
                let nothing = await cli(["sync", "pull", "--district", "116", "--since", String(watermark), "--out", out.path])
                #expect(nothing.error.contains("pulled 0 changes"))

                #expect(await cli(["sync", "push", "--district", "116", "--mode", "sideways", "--dir", roster.path]).status == 2)
                #expect(await cli(["sync", "pull", "--district", "999", "--out", out.path]).status == 4)
                group.cancelAll()
            }
        }
    }
}
