import CDSDatabase
import CDSTestSupport
import PostgresNIO
import Testing

/// The guard against statements PostgresNIO never answers once their connection is gone (`PostgresConnection.answer`).
/// A statement that sleeps 30 s stands in for the one that never answers: without the guard each test would wait for
/// it and then see it succeed.
@Suite struct StatementAnswerTests {
    /// A statement that would answer after an hour: a test that gets an error instead was given up on by the
    /// connection, however slow the machine. (The tests' time limit only keeps a broken build from hanging the suite.)
    static let neverAnswers: @Sendable () async throws -> Int = {
        try await Task.sleep(for: .seconds(3600))
        return 1
    }

    static func connect(to database: TestDatabase) async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: database.superuser.testConnectionConfiguration(), id: 1, logger: TestDatabase.logger)
    }

    @Test(.timeLimit(.minutes(2)))
    func aStatementStillWaitingWhenItsConnectionClosesIsGivenUpASecondLater() async throws {
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
            // Not at once: the second of grace a closing connection gives a statement (load only makes it later).
            let waited = ContinuousClock.now - asked
            #expect(waited >= .milliseconds(1_200), "given up after \(waited)")
            try await closing.value
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aStatementSentOnAClosedConnectionIsGivenUp() async throws {
        try await TestDatabase.withFresh { database in
            let connection = try await Self.connect(to: database)
            try await connection.close()
            await #expect {
                try await connection.answer(to: Self.neverAnswers)
            } throws: { ($0 as? DatabaseError)?.code == .unavailable }
        }
    }
}
