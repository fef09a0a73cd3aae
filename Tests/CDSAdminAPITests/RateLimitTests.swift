import CDSTestSupport
import Foundation
import Testing

import CDSHTTP

@Suite struct RateLimitTests {
    /// 1 a minute: a bucket of 10, refilled at one a minute, so that the ten requests that empty it cannot be slow
    /// enough to see it refill, however loaded the machine.
    @Test func aTokenOverItsLimitIsToldWhenToRetryAndOthersAreNot() async throws {
        try await AdminAPITestCase.run(rateLimit: RateLimit(perMinute: 1)) { api in
            var statuses: [Int] = []
            for _ in 0..<10 { statuses.append(try await api.get("/v1/me", as: "district").status) }
            #expect(statuses.allSatisfy { $0 == 200 })
            let refused = try await api.get("/v1/me", as: "district")
            #expect(refused.status == 429)
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { (1...60).contains($0) } == true)
            #expect((refused.json as? [String: Any])?["type"] as? String == "https://cds.sonla.gov.vn/problems/too-many-requests")
            #expect(try await api.get("/v1/me", as: "officer").status == 200)
        }
    }
}
