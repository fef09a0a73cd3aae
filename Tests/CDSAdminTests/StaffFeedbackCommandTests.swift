import AsyncHTTPClient
import CDSAdmin
import CDSTestSupport
import Foundation
import NIOCore
import Testing

/// `cds-admin partners` and `cds-admin feedback` through the admin API.
@Suite struct StaffFeedbackCommandTests {
    @Test func partnersAndFeedbackFromTheCommandLine() async throws {
        try await AdminCLITestCase.run { server in
            let token = server.adminToken
            let added = await server.cli(["partners", "add", "--name", "zalo-sonla", "--districts", "116", "--rate", "600"], token: token)
            #expect(added.status == 0, "\(added.error)")
            // The key alone on standard output; the webhook secret once on standard error.
            let key = added.output.trimmingCharacters(in: .newlines)
            #expect(key.wholeMatch(of: /cdsp_[A-Za-z0-9_-]{43}/) != nil, "\(added.output)")
            #expect(added.error.contains("whsec_"))
            #expect(await server.cli(["partners", "add", "--name", "zalo-sonla", "--districts", "116"], token: token).status == 5)

            var request = HTTPClientRequest(url: server.url + "/open311/v2/requests.json")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
            let form =
                "api_key=\(key)&service_code=giao-thong&address_id=3646&attribute%5Bblocked%5D=yes&description=%C4%90%C6%B0%E1%BB%9Dng+s%E1%BA%A1t&first_name=Mai&phone=0912345678"
            request.body = .bytes(ByteBuffer(string: form))
            // As long as the CLI itself waits: a bound on a hang, not a race with a loaded machine.
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            let body = try await response.body.collect(upTo: 1 << 16)
            #expect(response.status.code == 200)
            let created = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [[String: Any]]
            let code = try #require(created?.first?["service_request_id"] as? String)

            let listed = await server.cli(["feedback", "list", "-o", "csv"], token: token)
            #expect(listed.status == 0 && listed.output.contains(code), "\(listed.output)\(listed.error)")
            #expect(await server.cli(["feedback", "transition", code, "accepted", "--note", "Giao phòng Kinh tế"], token: token).status == 0)
            let refused = await server.cli(["feedback", "transition", code, "closed"], token: token)
            #expect(refused.status == 5 && refused.error.contains("accepted can move to"), "\(refused.error)")
            #expect(await server.cli(["feedback", "respond", code, "--message", "Đang xử lý."], token: token).status == 0)
            let shown = await server.cli(["feedback", "show", code], token: token)
            #expect(shown.output.contains("accepted") && shown.output.contains("0912345678") && shown.output.contains("public: Đang xử lý."))
            #expect(await server.cli(["feedback", "show", "PAKN-2026-999999"], token: token).status == 4)

            let rotated = await server.cli(["partners", "rotate-key", "zalo-sonla"], token: token)
            #expect(rotated.status == 0 && rotated.output.trimmingCharacters(in: .newlines) != key)
            let secret = await server.cli(["partners", "rotate-webhook-secret", "zalo-sonla", "--overlap-hours", "12"], token: token)
            #expect(secret.status == 0 && secret.output.hasPrefix("whsec_"), "\(secret.output)\(secret.error)")
            #expect(secret.error.contains("messages carry the old one's signature too until"), "\(secret.error)")
            let outOfRange = await server.cli(["partners", "rotate-webhook-secret", "zalo-sonla", "--overlap-hours", "200"], token: token)
            #expect(outOfRange.status != 0 && outOfRange.error.contains("overlap_hours"), "\(outOfRange.error)")
            #expect(await server.cli(["partners", "disable", "zalo-sonla"], token: token).status == 0)
            #expect(await server.cli(["partners", "list", "-o", "csv"], token: token).output.contains("zalo-sonla,116,disabled,600,"))
        }
    }
}
