import AsyncHTTPClient
import CDSHTTP
import CDSTestSupport
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// What the open internet may cost: public reads counted per client address, failed look-ups of tokens and keys
/// stopped before they reach the database, paging no deeper than 10,000 reports, and public reads held to their share
/// of the pool so that staff keep working through a flood.
@Suite struct PublicTrafficTests {
    /// The live test server is reached on loopback, which these tests name as the proxy in front of it.
    static let loopbackProxy = TrustedProxies(list: "127.0.0.1,::1")!

    static func from(_ address: String) -> HTTPFields {
        [HTTPField.Name("X-Forwarded-For")!: address]
    }

    /// 1 a minute: a bucket of 10 that cannot refill during the test, however slow the machine.
    @Test func anAddressOverItsPublicLimitIsToldWhenToRetryAndOthersAreNot() async throws {
        let limits = PublicTrafficLimits(perAddress: RateLimit(perMinute: 1), trustedProxies: Self.loopbackProxy)
        try await FeedbackTestCase.run(publicTraffic: limits, live: true) { test in
            let flooder = Self.from("198.51.100.7")
            for _ in 0..<10 { #expect(try await test.get("/open311/v2/services.json", headers: flooder).status == 200) }
            let refused = try await test.get("/open311/v2/requests.json", headers: flooder)
            #expect(refused.status == 429)
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { (1...60).contains($0) } == true)
            #expect(refused.list.first?["code"] as? Int == 429)
            let xml = try await test.get("/open311/v2/requests.xml", headers: flooder)
            #expect(xml.status == 429 && xml.body.contains("<errors><error><code>429</code>"))
            #expect(try await test.get("/readyz", headers: flooder).status == 429)
            // Another client, and the flooder's own authenticated calls, which count against their token or key.
            #expect(try await test.get("/open311/v2/services.json", headers: Self.from("198.51.100.8")).status == 200)
            #expect(try await test.staff(.get, "/v1/me", as: "district", headers: flooder).status == 200)
            var partner = flooder
            partner[HTTPField.Name("X-API-Key")!] = test.keys["smart-city"]
            #expect(try await test.get("/v1/partner/reports", headers: partner).status == 200)
        }
    }

    /// Without a trusted proxy, `X-Forwarded-For` is the client's own claim and changes nothing.
    @Test func aForwardedAddressCountsOnlyFromATrustedProxy() async throws {
        try await FeedbackTestCase.run(publicTraffic: PublicTrafficLimits(perAddress: RateLimit(perMinute: 1)), live: true) { test in
            for index in 0..<10 {
                #expect(try await test.get("/open311/v2/services.json", headers: Self.from("198.51.100.\(index)")).status == 200)
            }
            let eleventh = try await test.get("/open311/v2/services.json", headers: Self.from("198.51.100.99"))
            #expect(eleventh.status == 429)
        }
    }

    /// 10 a minute for public reads: failed look-ups get 1 a minute, a bucket of 10.
    @Test func anAddressThatKeepsFailingToAuthenticateIsStoppedBeforeItsNextLookUp() async throws {
        let limits = PublicTrafficLimits(perAddress: RateLimit(perMinute: 10), trustedProxies: Self.loopbackProxy)
        try await FeedbackTestCase.run(publicTraffic: limits, live: true) { test in
            let guesser = Self.from("198.51.100.20")
            for index in 0..<10 {
                #expect(try await test.staff(.get, "/v1/me", as: "cds_guess\(index)", headers: guesser).status == 401)
            }
            let stopped = try await test.staff(.get, "/v1/me", as: "cds_guess10", headers: guesser)
            #expect(stopped.status == 429 && stopped.headers[.retryAfter] != nil)
            // Refused before the look-up, so a valid token from that address waits too; from another, it works.
            #expect(try await test.staff(.get, "/v1/me", as: "district", headers: guesser).status == 429)
            #expect(try await test.staff(.get, "/v1/me", as: "district", headers: Self.from("198.51.100.21")).status == 200)
            // No credentials at all cost no look-up, and are not counted.
            for _ in 0..<12 { #expect(try await test.get("/v1/me", headers: Self.from("198.51.100.22")).status == 401) }

            var partner = Self.from("198.51.100.23")
            partner[HTTPField.Name("X-API-Key")!] = "cdsp_guess"
            for _ in 0..<10 { #expect(try await test.get("/v1/partner/reports", headers: partner).status == 401) }
            #expect(try await test.get("/v1/partner/reports", headers: partner).status == 429)

            let open311 = Self.from("198.51.100.24")
            for _ in 0..<10 {
                #expect(try await test.postForm("/open311/v2/requests.json", roadReport, partner: "cdsp_guess", headers: open311).status == 403)
            }
            let refused = try await test.postForm("/open311/v2/requests.json", roadReport, partner: "cdsp_guess", headers: open311)
            #expect(refused.status == 429 && refused.list.first?["code"] as? Int == 429)
            #expect(try await test.reportCount() == 0)
        }
    }

    @Test func publicPagingStopsAtTheTenThousandthReport() async throws {
        try await FeedbackTestCase.run { test in
            for (query, status) in [
                ("page=10&page_size=1000", 200), ("page=11&page_size=1000", 400), ("page=10000&page_size=1", 200),
                ("page=10001&page_size=1", 400), ("page=100000", 400), ("page=2", 200), ("page=0", 400),
            ] {
                let answer = try await test.get("/open311/v2/requests.json?\(query)")
                #expect(answer.status == status, "\(query)")
                if status == 400 { #expect(answer.list.first?["description"] as? String != nil, "\(query)") }
            }
            let deep = try await test.get("/open311/v2/servicerequestupdates.json?page=11")
            #expect(deep.status == 400)
            #expect((deep.list.first?["description"] as? String)?.contains("narrow start_date and end_date") == true)
        }
    }

    /// The load test: a bounded flood of public reads from many addresses (which per-address limits cannot stop) while
    /// a district admin lists members. Staff get no 503, the flood never holds more than its share of the pool, and
    /// staff latency is printed against the stated bound rather than asserted: these machines are too noisy for that.
    @Test func aFloodOfPublicReadsLeavesStaffTheirConnections() async throws {
        let limits = PublicTrafficLimits(trustedProxies: Self.loopbackProxy, databaseShare: 2)
        let (floodCount, floodConcurrency, staffCount) = (1_200, 48, 80)
        try await FeedbackTestCase.run(publicTraffic: limits, live: true) { test in
            let port = try #require(test.client.port)
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = floodConcurrency
            let floodClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let staffClient = HTTPClient(eventLoopGroupProvider: .singleton)
            let paths = ["requests.json", "servicerequestupdates.json", "requests/PAKN-2026-000001.json", "tokens/\(UUID()).json"]
            let staffToken = try #require(test.tokens["district"])

            async let flood: [Int: Int] = withThrowingTaskGroup(of: Int.self) { group in
                var statuses: [Int: Int] = [:]
                for index in 0..<floodCount {
                    if index >= floodConcurrency, let status = try await group.next() { statuses[status, default: 0] += 1 }
                    group.addTask {
                        var request = HTTPClientRequest(url: "http://localhost:\(port)/open311/v2/\(paths[index % paths.count])")
                        request.headers.add(name: "X-Forwarded-For", value: "198.51.\(100 + index % 3).\(index % 200)")
                        let response = try await floodClient.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 4 << 20)
                        return Int(response.status.code)
                    }
                }
                for try await status in group { statuses[status, default: 0] += 1 }
                return statuses
            }
            var staffStatuses: [Int: Int] = [:]
            var staffMilliseconds: [Double] = []
            for _ in 0..<staffCount {
                var request = HTTPClientRequest(url: "http://localhost:\(port)/v1/members?limit=50")
                request.headers.add(name: "Authorization", value: "Bearer \(staffToken)")
                let started = ContinuousClock.now
                let response = try await staffClient.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 4 << 20)
                staffMilliseconds.append(Double((ContinuousClock.now - started) / .microseconds(1)) / 1000)
                staffStatuses[Int(response.status.code), default: 0] += 1
            }
            let floodStatuses = try await flood
            try await floodClient.shutdown()
            try await staffClient.shutdown()

            let sorted = staffMilliseconds.sorted()
            let percentile = { (p: Double) in
                String(format: "%.1f", sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)])
            }
            print(
                "public flood: \(floodCount) reads, \(floodConcurrency) at once, statuses \(floodStatuses.sorted { $0.key < $1.key }); "
                    + "staff: \(staffCount) member pages, statuses \(staffStatuses), p50 \(percentile(0.5)) ms, p99 \(percentile(0.99)) ms "
                    + "(stated bound: p99 under 500 ms with this test alone on 2 cores, debug build); public reads held at most "
                    + "\(test.traffic.reads.mostHeld) of the pool's 8 connections at once (share: \(limits.databaseShare))"
            )
            #expect(staffStatuses == [200: staffCount])
            #expect(Set(floodStatuses.keys).isSubset(of: [200, 404, 503]), "\(floodStatuses)")
            #expect(floodStatuses.values.reduce(0, +) == floodCount)
            #expect((1...limits.databaseShare).contains(test.traffic.reads.mostHeld))
        }
    }
}
