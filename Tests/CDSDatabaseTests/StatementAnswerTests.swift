import CDSDatabase
import CDSTestSupport
import PostgresNIO
import Testing

/// The guard against statements PostgresNIO never answers once their connection is gone (`PostgresConnection.answer`).
/// A statement that sleeps 30 s stands in for the one that never answers: without the guard each test would wait for
/// it and then see it succeed.
@Suite struct StatementAnswerTests {
    static let neverAnswers: @Sendable () async throws -> Int = {
        try await Task.sleep(for: .seconds(30))
        return 1
    }

    static func connect(to database: TestDatabase) async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: database.superuser.testConnectionConfiguration(), id: 1, logger: TestDatabase.logger)
    }

    @Test func aStatementStillWaitingWhenItsConnectionClosesIsGivenUpASecondLater() async throws {
        try await TestDatabase.withFresh { database in
            let connection = try await Self.connect(to: database)
            #expect(try await connection.answer { try await connection.query("SELECT 1", logger: TestDatabase.logger).collect().count } == 1)
            let closing = Task {
                try await Task.sleep(for: .milliseconds(300))
                try await connection.close()
            }
            let asked = ContinuousClock.now
            await #expect {
                try await connection.answer(to: Self.neverAnswers)
            } throws: { ($0 as? DatabaseError)?.code == .unavailable }
            let waited = ContinuousClock.now - asked
            #expect(waited >= .milliseconds(1_200) && waited < .seconds(10), "given up after \(waited)")
            try await closing.value
        }
    }

    @Test func aStatementSentOnAClosedConnectionIsGivenUp() async throws {
        try await TestDatabase.withFresh { database in
            let connection = try await Self.connect(to: database)
            try await connection.close()
            let asked = ContinuousClock.now
            await #expect {
                try await connection.answer(to: Self.neverAnswers)
            } throws: { ($0 as? DatabaseError)?.code == .unavailable }
            #expect(ContinuousClock.now - asked < .seconds(10))
        }
    }
}
