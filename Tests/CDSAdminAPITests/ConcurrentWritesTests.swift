import CDSTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Two officers who read the same version write at the same moment: exactly one wins, the other is told (412) and
/// nothing it sent is applied. The race is made certain, not hoped for: a third session holds the row locked while
/// both requests read the version and reach their write, and lets go only once both are waiting on it.
@Suite struct ConcurrentWritesTests {
    struct Target: Sendable, CustomTestStringConvertible {
        let noun: String
        let uri: @Sendable (TwoDistricts) -> String
        /// Locks the row that `uri` names, as the superuser.
        let lock: @Sendable (TwoDistricts) -> PostgresQuery
        /// The field both writers change.
        let field: String
        let first: String
        let second: String
        var testDescription: String { noun }
    }

    static let targets: [Target] = [
        Target(
            noun: "member",
            uri: { "/v1/members/\($0.a.memberID)" },
            lock: { "SELECT 1 FROM cds.members WHERE id = \($0.a.memberID) FOR UPDATE" },
            field: "full_name",
            first: #"{"full_name":"Lò Văn Một"}"#,
            second: #"{"full_name":"Lò Văn Hai"}"#
        ),
        Target(
            noun: "team",
            uri: { "/v1/teams/\($0.a.teamID)" },
            lock: { "SELECT 1 FROM cds.teams WHERE id = \($0.a.teamID) FOR UPDATE" },
            field: "name",
            first: #"{"name":"Tổ Một"}"#,
            second: #"{"name":"Tổ Hai"}"#
        ),
        Target(
            noun: "hamlet",
            uri: { "/v1/units/\($0.a.hamletCode)" },
            lock: { "SELECT 1 FROM cds.hamlets WHERE code = \($0.a.hamletCode) FOR UPDATE" },
            field: "name",
            first: #"{"name":"Bản Một"}"#,
            second: #"{"name":"Bản Hai"}"#
        ),
    ]

    @Test(arguments: targets) func twoWritersWithOneVersionMakeOneChange(_ target: Target) async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let uri = target.uri(fixture)
            let etag = try await api.etag(uri, as: "district")

            let holder = try await PostgresConnection.connect(
                configuration: api.db.superuser.testConnectionConfiguration(),
                id: 71,
                logger: TestDatabase.logger
            )
            try await holder.query("BEGIN", logger: TestDatabase.logger)
            try await holder.query(target.lock(fixture), logger: TestDatabase.logger)
            async let one = api.send(.patch, uri, as: "district", body: target.first, ifMatch: etag)
            async let two = api.send(.patch, uri, as: "district", body: target.second, ifMatch: etag)
            let bothWaiting = try await Self.waitForLockWaiters(2, on: holder)
            try await holder.query("COMMIT", logger: TestDatabase.logger)
            try await holder.close()
            let answers = try await [one, two]
            #expect(bothWaiting, "both writes should have reached the locked row")

            #expect(answers.map(\.status).sorted() == [200, 412], "\(target.noun): \(answers.map(\.status))")
            let winner = try #require(answers.first { $0.status == 200 }?.json as? [String: Any])
            let read = try await api.get(uri, as: "district")
            let stored = try #require((read.json as? [String: Any])?[target.field] as? String)
            #expect(stored == winner[target.field] as? String)
        }
    }

    @Test(arguments: targets) func aWildcardVersionIsRefused(_ target: Target) async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let uri = target.uri(fixture)
            let before = try await api.etag(uri, as: "district")
            let answer = try await api.send(.patch, uri, as: "district", body: target.first, ifMatch: "*")
            #expect(answer.status == 428)
            #expect(((answer.json as? [String: Any])?["detail"] as? String)?.contains("\"*\" is not accepted") == true)
            for malformed in ["{}", "W/\"1\"", "12345", "\"1\", \"2\""] {
                #expect(try await api.send(.patch, uri, as: "district", body: target.first, ifMatch: malformed).status == 400, "\(malformed)")
            }
            // Well formed by the OpenAPI document's pattern, though beyond any version: another version (schemathesis).
            let beyond = try await api.send(.patch, uri, as: "district", body: target.first, ifMatch: "\"025244803827196849197\"")
            #expect(beyond.status == 412)
            #expect(try await api.etag(uri, as: "district") == before)
        }
    }

    /// Whether `count` sessions of the test database came to wait on a lock within five seconds.
    static func waitForLockWaiters(_ count: Int, on connection: PostgresConnection) async throws -> Bool {
        for _ in 0..<100 {
            // Within a transaction PostgreSQL keeps the first view of the other sessions: drop it before each look.
            try await connection.query("SELECT pg_stat_clear_snapshot()", logger: TestDatabase.logger)
            let rows = try await connection.query(
                """
                SELECT count(*)::int FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
                """,
                logger: TestDatabase.logger
            )
            for try await waiting in rows.decode(Int.self) where waiting >= count { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
