import CDSTestSupport
import Foundation
import Logging
import Testing

@Suite struct ContactPrivacyLogTests {
    /// A report with the citizen's contact filed, read by its handler, moved, answered — and also refused for a bad
    /// field: at debug level, nothing the server or its database pool logs contains the contact.
    @Test func theCitizensContactIsNeverLogged() async throws {
        let recorder = LogRecorder()
        let logger = Logger(label: "privacy") { _ in LogRecorder.Handler(recorder: recorder) }
        try await FeedbackTestCase.run(logger: logger) { test in
            let code = try await test.file()
            _ = try await test.staff(.get, "/v1/feedback/reports/\(code)", as: "district")
            _ = try await test.transition(code, #"{"status": "accepted"}"#)
            var bad = roadReport.filter { $0.0 != "email" }
            bad.append(("email", "mai.lo@example"))
            #expect(try await test.postForm("/open311/v2/requests.json", bad, partner: "citizen-app").status == 400)
            #expect(try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: nativeReport, idempotencyKey: "log").status == 201)
        }
        let recorded = recorder.recorded
        #expect(!recorded.isEmpty)
        for secret in ["0912345678", "0912 345 678", "mai.lo@example", "Lò Thị", "0987654321", "Quàng Văn Minh"] {
            #expect(!recorded.contains { $0.contains(secret) }, "logged: \(secret)")
        }
    }
}
