import CDSDatabase
import CDSTestSupport
import Testing

/// `CDS_DATABASE_ENGINE` must name what serves the database: the server checks it before it serves, since a list page
/// in the other engine's form fails on Citus, or sorts whole districts on one server.
@Suite struct DatabaseEngineTests {
    @Test func theEngineNamedMustBeTheDatabasesOwn() async throws {
        try await TestDatabase.withFresh { db in
            let actual = db.application.engine
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { database in
                try await database.checkEngine()
            }
            var misnamed = db.application
            misnamed.engine = actual == .citus ? .postgresql : .citus
            let error = await #expect(throws: DatabaseError.self) {
                try await Database.withDatabase(misnamed, logger: TestDatabase.logger) { database in
                    try await database.checkEngine()
                }
            }
            #expect(error?.code == .engineMismatch)
            #expect(error?.message.contains("set CDS_DATABASE_ENGINE=\(actual.rawValue)") == true)
        }
    }
}
