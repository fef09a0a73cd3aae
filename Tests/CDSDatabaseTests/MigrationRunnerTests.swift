import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

@Suite struct MigrationRunnerTests {
    @Test func appliesEveryMigrationOnceAndRecordsItsChecksum() async throws {
        try await TestDatabase.withFresh(migrated: false) { db in
            try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                let runner = try MigrationRunner(database: owner)
                let first = try await runner.migrate()
                #expect(first.map(\.version) == (try Migration.bundled()).map(\.version))
                #expect(try await runner.migrate().isEmpty)
                let statuses = try await runner.status()
                #expect(statuses.allSatisfy { $0.isApplied })
            }
            let recorded = try await db.superuserRows(
                "SELECT version, checksum FROM cds_meta.schema_migrations ORDER BY version",
                as: (Int, String).self
            )
            #expect(recorded.map(\.1) == (try Migration.bundled()).map(\.checksum))
        }
    }

    /// Two processes starting at once: the advisory lock makes the second wait and find nothing to do.
    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        try await TestDatabase.withFresh(migrated: false) { db in
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                            try await MigrationRunner(database: owner).migrate().count
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let total = try Migration.bundled().count
            #expect(applied.sorted() == [0, 0, total])
            let recorded = try await db.superuserRows("SELECT count(*)::int FROM cds_meta.schema_migrations", as: Int.self)
            #expect(recorded == [total])
        }
    }

    @Test func refusesToRunWhenAnAppliedMigrationChanged() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                var migrations = try Migration.bundled()
                migrations[1] = try Migration(fileName: "0002_units.sql", contents: Data((migrations[1].sql + "\n-- edited\n").utf8))
                await #expect {
                    try await MigrationRunner(database: owner, migrations: migrations).migrate()
                } throws: { ($0 as? DatabaseError)?.code == .migrationChanged }
            }
        }
    }

    /// A database migrated before the first lines of six migrations were reworded (comments only) is current: it
    /// recorded the released checksums, which the build still knows.
    @Test func aDatabaseThatAppliedAReleasedTextBeforeItsCommentWasRewordedIsCurrent() async throws {
        try await TestDatabase.withFresh { db in
            for (version, released) in Migration.rewordedComments {
                let updated = try await db.superuserRows(
                    "UPDATE cds_meta.schema_migrations SET checksum = \(released.first!) WHERE version = \(version) RETURNING version",
                    as: Int.self
                )
                #expect(updated == [version])
            }
            try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                let applied = try await MigrationRunner(database: owner).migrate()
                #expect(applied.isEmpty)
            }
        }
    }

    @Test func refusesADatabaseMigratedByANewerVersion() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                let older = Array(try Migration.bundled().dropLast())
                await #expect {
                    try await MigrationRunner(database: owner, migrations: older).migrate()
                } throws: { ($0 as? DatabaseError)?.code == .migrationUnknown }
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                let broken = try Migration(
                    fileName: "0999_broken.sql",
                    contents: Data("CREATE TABLE cds.half_done (x integer);\nSELECT * FROM no_such_table;\n".utf8)
                )
                await #expect {
                    try await MigrationRunner(database: owner, migrations: try Migration.bundled() + [broken]).migrate()
                } throws: { error in
                    let error = error as? DatabaseError
                    return error?.code == .migrationFailed && error?.message.contains("0999") == false && error?.message.contains("999") == true
                }
            }
            let leftovers = try await db.superuserRows(
                "SELECT (SELECT count(*)::int FROM pg_tables WHERE tablename = 'half_done') + (SELECT count(*)::int FROM cds_meta.schema_migrations WHERE version = 999)",
                as: Int.self
            )
            #expect(leftovers == [0])
        }
    }
}
