import CDSTestSupport
import HTTPTypes
import Logging
import Testing

/// One log line per request: route, status, request id, principal and tenant; never the query string.
@Suite struct AccessLogTests {
    @Test func eachRequestIsLoggedWithWhoAndWhereButNotWhatWasSearched() async throws {
        let recorder = LogRecorder()
        let logger = Logger(label: "access") { _ in LogRecorder.Handler(recorder: recorder) }
        try await AdminAPITestCase.run(logger: logger) { api in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(api.tokens["district"]!)"
            headers[HTTPField.Name("X-Request-Id")!] = "trace-42"
            try await api.client.execute(uri: "/v1/members?q=nguyen%20van%20an", method: .get, headers: headers) { #expect($0.status == .ok) }
            #expect(try await api.get("/v1/me", as: nil).status == 401)
        }
        let lines = recorder.recorded.filter { $0.hasPrefix("info request ") }
        let members = try #require(lines.first { $0.contains(#""http.route": /v1/members"#) })
        for expected in [
            #""http.status": 200"#, #""cds.client_request_id": trace-42"#, #""hb.request.id": "#, #""cds.principal": user:district"#, #""cds.tenant": [116]"#, "duration_ms",
        ] {
            #expect(members.contains(expected), "\(expected) not in \(members)")
        }
        #expect(!recorder.recorded.contains { $0.lowercased().contains("nguyen") })
        let refused = try #require(lines.first { $0.contains(#""http.status": 401"#) })
        #expect(refused.contains(#""http.route": /v1/me]"#) || refused.contains(#""http.route": /v1/me,"#), "\(refused)")
        #expect(!refused.contains("cds.principal"))
    }
}
