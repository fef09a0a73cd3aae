import AsyncHTTPClient
import CDSDatabase
import CDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CDSServer

@Suite struct HealthTests {
    static let configuration = ServerConfiguration(database: .init(dataDirectory: .init(fileURLWithPath: "/nonexistent")))

    @Test func healthAndReadinessAnswerWhenTheDatabaseDoes() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { database in
                let app = try Server.buildApplication(configuration: Self.configuration, database: database, logger: TestDatabase.logger)
                try await app.test(.router) { client in
                    try await client.execute(uri: "/healthz", method: .get) { response in
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                    }
                    // The first check opens the pool's first connection (a SCRAM handshake), which on a loaded
                    // 2-core machine can outlast the 2 s readiness timeout: a probe asks again, and so does the test.
                    var answer: (HTTPResponse.Status, String) = (.serviceUnavailable, "")
                    for _ in 0..<20 where answer.0 != .ok {
                        answer = try await client.execute(uri: "/readyz", method: .get) { ($0.status, String(buffer: $0.body)) }
                        if answer.0 != .ok { try await Task.sleep(for: .milliseconds(500)) }
                    }
                    #expect(answer.0 == .ok)
                    #expect(answer.1 == #"{"status":"ready"}"#)
                }
            }
        }
    }

    @Test func readinessFailsWhileTheDatabaseIsUnreachable() async throws {
        // A pool that never runs: every lease waits, as it would with the database down.
        let endpoint = try DatabaseEndpoint(url: "postgres://cds_app:x@127.0.0.1:1/cds?sslmode=disable")
        let (database, _) = Database.makeService(endpoint, logger: TestDatabase.logger)
        let app = try Server.buildApplication(configuration: Self.configuration, database: database, logger: TestDatabase.logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

/// A database that stops answering while the server runs: every request gets a 503 in its own format within the acquire
/// timeout, instead of waiting for the pool's minute-long circuit breaker.
@Suite struct DatabaseDownTests {
    /// Each request waits the acquire timeout (0.3 s), not the pool's own minute (its circuit breaker): two requests
    /// held for that minute would break the test's time limit, a margin no load on the machine comes near.
    @Test(.timeLimit(.minutes(1)))
    func requestsAnswer503WithRetryAfterWithinTheAcquireTimeout() async throws {
        var endpoint = try DatabaseEndpoint(url: "postgres://cds_app:x@127.0.0.1:1/cds?sslmode=disable")
        endpoint.acquireTimeout = .milliseconds(300)
        // A pool that never runs: every lease waits, as it would with the database down.
        let (database, _) = Database.makeService(endpoint, logger: TestDatabase.logger)
        let app = try Server.buildApplication(configuration: HealthTests.configuration, database: database, logger: TestDatabase.logger)
        try await app.test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer cds_0123456789abcdef0123456789abcdef"]
            try await client.execute(uri: "/v1/me", method: .get, headers: bearer) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/open311/v2/services.json", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""code":503"#))
            }
        }
    }
}

/// While migrations run, the listener is up but not ready.
@Suite struct PreparingListenerTests {
    /// The mechanism `Server.run` starts with: while `prepare` runs (the migrations), the listener answers `/readyz`
    /// with 503 "migrating"; once it returns, that listener is gone and its port is free for the real one. The
    /// listener takes a port of its own choosing and says which once it listens: no free port to race for, no polling.
    @Test func theAddressAnswersNotReadyWhilePreparingAndIsFreedAfter() async throws {
        var configuration = HealthTests.configuration
        configuration.httpAddress = .init(host: "127.0.0.1", port: 0)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        var listened: Int?
        var answer: (UInt, String)?
        try await Server.whilePreparing(configuration: configuration, logger: TestDatabase.logger, onListening: { listening.yield($0) }) {
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz")
            request.headers.add(name: "Connection", value: "close")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            answer = (response.status.code, String(buffer: try await response.body.collect(upTo: 1024)))
            listened = port
        }
        #expect(answer?.0 == 503)
        #expect(answer?.1 == #"{"status":"migrating"}"#)
        // Freed, not at the instant `whilePreparing` returns on a machine where other tests start processes: a child
        // forked by another thread holds a copy of every descriptor until it has closed them for its exec.
        #expect(try await waitUntilLoopbackPortRefuses(try #require(listened)))
    }

    @Test func readinessAndEveryOtherPathAnswer503WhileTheDatabaseIsPrepared() async throws {
        let app = Application(router: PreparingController.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"status":"migrating"}"#)
            }
            for path in ["/v1/me", "/open311/v2/services.json", "/metrics", "/nowhere"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(path)")
                    #expect(response.headers[.retryAfter] == "5")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }
}
