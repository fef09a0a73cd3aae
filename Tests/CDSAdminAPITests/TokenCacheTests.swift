import CDSAdminAPI
import CDSServer
import CDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CDSDatabase

/// A verified token is kept for a few seconds, and every change to the control plane empties what is kept: at once
/// on the server that made it, through `NOTIFY` on every other. The caches here keep tokens for an hour, so that a
/// token refused is refused because the change was heard, never because its entry aged out.
@Suite struct TokenCacheTests {
    /// A revocation through one server: that server refuses the token on the next request, by its own invalidation
    /// (it hears no notification here: its cache is trusted without a listener); another server on the same
    /// database, which had the token cached too, refuses it once the notification arrives.
    @Test func aRevokedTokenIsRefusedHereAtOnceAndOnAnotherServerWhenHeard() async throws {
        let here = ControlPlaneCache(tokenAge: 3600)
        here.setListening(true)
        try await AdminAPITestCase.run(cache: here) { api in
            try await Self.withSecondServer(on: api) { other, otherCache in
                let (id, token) = try await Self.issueToken(for: "district", on: api)
                #expect(try await api.get("/v1/me", as: token).status == 200)
                #expect(here.tokens.principal(for: BearerToken.sha256(token)) != nil, "kept here")
                let keptThere = try await Self.eventually {
                    try await Self.status(of: "/v1/me", token: token, on: other) == 200
                        && otherCache.tokens.principal(for: BearerToken.sha256(token)) != nil
                }
                #expect(keptThere, "kept on the other server")

                #expect(try await api.send(.delete, "/v1/tokens/\(id)", as: "province").status == 204)
                #expect(try await api.get("/v1/me", as: token).status == 401, "the next request here")
                let refused = try await Self.eventually { try await Self.status(of: "/v1/me", token: token, on: other) == 401 }
                #expect(refused, "the other server never heard of the revocation")
            }
        }
    }

    /// Disabling an account and changing its grants, through any process (here the control plane without a cache, as
    /// cds-admin or another server would), reach a server that holds its token.
    @Test func aDisabledAccountAndAChangedGrantAreHeard() async throws {
        let cache = ControlPlaneCache(tokenAge: 3600)
        try await AdminAPITestCase.run(cache: cache) { api in
            try await Self.withListener(on: api, cache: cache) {
                let (_, token) = try await Self.issueToken(for: "district", on: api)
                let me = try await api.get("/v1/me", as: token)
                #expect((me.json as? [String: Any])?["districts"] as? [Int] == [116])
                try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { database in
                    let plane = ControlPlane(database: database)
                    let user = try #require(try await plane.principalID(named: "district"))
                    try await plane.grant(role: "district_admin", unitCode: 120, to: user, grantedBy: nil, actor: .operator("test"))
                }
                let widened = try await Self.eventually {
                    (try await api.get("/v1/me", as: token).json as? [String: Any])?["districts"] as? [Int] == [116, 120]
                }
                #expect(widened, "the new grant never reached the server")
                try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { database in
                    let plane = ControlPlane(database: database)
                    let user = try #require(try await plane.principalID(named: "district"))
                    try await plane.updateStaffUser(id: user, displayName: nil, status: "disabled", actor: .operator("test"))
                }
                #expect(try await Self.eventually { try await api.get("/v1/me", as: token).status == 401 }, "the account is disabled")
            }
        }
    }

    /// With its listener's connection killed, the server keeps no token: a revocation it could not hear is in force at
    /// once, and still once the listener is back.
    @Test func withoutTheListenerNoTokenIsKept() async throws {
        let cache = ControlPlaneCache(tokenAge: 3600)
        try await AdminAPITestCase.run(cache: cache) { api in
            try await Self.withListener(on: api, cache: cache) {
                let (id, token) = try await Self.issueToken(for: "district", on: api)
                // Kept once the notification of its own issuing has come and gone.
                let kept = try await Self.eventually {
                    try await api.get("/v1/me", as: token).status == 200 && cache.tokens.principal(for: BearerToken.sha256(token)) != nil
                }
                #expect(kept)

                let killed = try await api.db.superuserRows(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND query LIKE 'LISTEN%cds_control_plane%'
                    """,
                    as: Bool.self
                )
                #expect(killed == [true])
                #expect(try await Self.eventually { cache.tokens.generation() == nil }, "the listener never noticed")
                #expect(cache.tokens.principal(for: BearerToken.sha256(token)) == nil, "nothing kept while not listening")

                // A revocation the server cannot hear: straight in the database, as psql would.
                _ = try await api.db.superuserRows(
                    """
                    WITH psql AS (SELECT set_config('cds.actor', 'operator:psql', true))
                    UPDATE cds.credentials SET revoked_at = now() FROM psql WHERE id = \(id) RETURNING id
                    """,
                    as: UUID.self
                )
                #expect(try await api.get("/v1/me", as: token).status == 401)
                #expect(try await Self.eventually { cache.tokens.generation() != nil }, "the listener never came back")
                #expect(try await api.get("/v1/me", as: token).status == 401)
            }
        }
    }

    // MARK: Helpers

    /// Runs `body` with a ``ControlPlaneListener`` for `cache`, once it listens.
    static func withListener(on api: AdminAPITestCase, cache: ControlPlaneCache, _ body: () async throws -> Void) async throws {
        try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { database in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await ControlPlaneListener(database: database, cache: cache, retryDelay: .milliseconds(100)).run() }
                defer { tasks.cancelAll() }
                try #require(try await eventually { cache.tokens.generation() != nil }, "the listener never started")
                try await body()
            }
        }
    }

    /// Runs `body` with a second server on the same database, with its own cache and listener.
    static func withSecondServer(
        on api: AdminAPITestCase,
        _ body: @Sendable (any TestClientProtocol, ControlPlaneCache) async throws -> Void
    ) async throws {
        let cache = ControlPlaneCache(tokenAge: 3600)
        try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { database in
            var configuration = ServerConfiguration(database: .init(dataDirectory: URL(fileURLWithPath: "/nonexistent")))
            configuration.publicTraffic = .unlimited
            let app = try Server.buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger, cache: cache)
            try await withListener(on: api, cache: cache) {
                try await app.test(.router) { client in try await body(client, cache) }
            }
        }
    }

    /// A new token of `account`, with its id.
    static func issueToken(for account: String, on api: AdminAPITestCase) async throws -> (id: UUID, token: String) {
        try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { database in
            let plane = ControlPlane(database: database)
            let user = try #require(try await plane.principalID(named: account))
            return try await plane.issueToken(for: user, issuedWith: nil, label: "cache test", expiresAt: nil, actor: .operator("test"))
        }
    }

    static func status(of uri: String, token: String, on client: any TestClientProtocol) async throws -> Int {
        try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"]) { $0.status.code }
    }

    /// Whether `condition` holds within 10 s, checked every 20 ms: the bound is far above the milliseconds a
    /// notification takes, so that only a change never heard fails.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
