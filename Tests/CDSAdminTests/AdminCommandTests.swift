import CDSAdmin
import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

/// `cds-admin` commands run in-process against a test database, output captured.
@Suite struct AdminCommandTests {
    struct Result {
        let status: Int32
        let output: String
        let error: String
    }

    /// - Parameter ownerURL: the URL the operator commands take as the owner's (the test database's owner unless told).
    static func run(_ arguments: [String], on db: TestDatabase, ownerURL: String? = nil) async -> Result {
        let console = Console.capture()
        var settings = DatabaseSettings(
            databaseURL: db.application.url,
            ownerURL: ownerURL ?? db.owner.url,
            dataDirectory: URL(fileURLWithPath: "/nonexistent")
        )
        // As patient as the tests' own pools: with every suite running at once on two cores, a connection has taken
        // longer than the operator's 5 s to come, and the demo seed failed on it.
        settings.acquireTimeout = .seconds(120)
        settings.connectTimeout = .seconds(120)
        let status = await OperatorDatabase.$settingsOverride.withValue(settings) {
            await Console.$current.withValue(console) {
                await CDSAdminCommand.run(arguments: arguments)
            }
        }
        return Result(status: status, output: console.output, error: console.error)
    }

    static let referenceCSV: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../sql/reference/sonla/establishment-2023-09-30.csv"
        )
        return try! String(contentsOf: url, encoding: .utf8)
    }()

    @Test func theDemoSeedSaysWhatItAdded() async throws {
        try await TestDatabase.withFresh { db in
            let seeded = await Self.run(["demo", "seed", "sonla-2023"], on: db)
            #expect(seeded.status == 0, "\(seeded.error)")
            #expect(seeded.output == "Seeded sonla-2023: 2909 hamlets, 2990 teams, 15301 members added.\n")
        }
    }

    /// An operator command that PostgreSQL refuses says why, on the operator's own terminal: the SQLSTATE and the
    /// server's message, not PostgresNIO's generic text.
    @Test func aFailureInPostgreSQLIsShownWithItsStateAndMessage() async throws {
        try await TestDatabase.withFresh { db in
            let refused = await Self.run(["db", "status"], on: db, ownerURL: db.application.url)
            #expect(refused.status == 1)
            #expect(!refused.error.contains("Generic description"), "\(refused.error)")
            #expect(refused.error.contains("PostgreSQL ERROR 42501: permission denied"), "\(refused.error)")
        }
    }

    @Test func badInputGetsOneLineAndTheRightExitCode() async throws {
        try await TestDatabase.withFresh { db in
            let unknownCommand = await Self.run(["frobnicate"], on: db)
            #expect(unknownCommand.status == 2)
            let badFlag = await Self.run(["db", "status", "--verbose-please"], on: db)
            #expect(badFlag.status == 2)
            let missingFile = await Self.run(["units", "import", "/nonexistent/units.csv"], on: db)
            #expect(missingFile.status == 4)
            #expect(missingFile.error.split(separator: "\n").count == 1, "\(missingFile.error)")
        }
    }

    @Test func importReportsBadLinesAndWritesNothing() async throws {
        try await TestDatabase.withFresh { db in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID()).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try "code,name,level,division_type,parent_code,display_order\n99001,Xã Mới,commune,xa,116,1\n99002,Xã Sai,commune,xa,777,2\n"
                .write(to: file, atomically: true, encoding: .utf8)
            let result = await Self.run(["units", "import", file.path], on: db)
            #expect(result.status == 1)
            #expect(result.error.contains("line 3, parent_code: unknown unit code 777"))
            let count = try await db.superuserRows("SELECT count(*)::int FROM cds.units WHERE code > 99000", as: Int.self)
            #expect(count == [0])
        }
    }

    @Test func theMigrationStatus() async throws {
        try await TestDatabase.withFresh { db in
            let status = await Self.run(["db", "status"], on: db)
            #expect(status.status == 0)
            #expect(status.output.contains("Up to date."))
            let migrate = await Self.run(["db", "migrate"], on: db)
            #expect(migrate.output == "The schema is up to date.\n")
        }
    }
}

extension AdminCommandTests {
    @Test func bootstrapPrintsTheTokenAloneAndRefusesASecondTime() async throws {
        try await TestDatabase.withFresh { db in
            let first = await Self.run(["bootstrap", "--name", "admin", "--display-name", "Quàng Văn Thắng"], on: db)
            #expect(first.status == 0, "\(first.error)")
            let token = first.output.trimmingCharacters(in: .newlines)
            #expect(first.output == token + "\n")
            #expect(token.hasPrefix("cds_"))
            #expect(first.error.contains("province_admin on unit 14"))

            let principal = try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                try await ControlPlane(database: app).authenticate(token: token)
            }
            #expect(principal?.name == "admin")
            #expect(principal?.grants == [.init(role: "province_admin", unitCode: 14)])

            let second = await Self.run(["bootstrap", "--name", "other"], on: db)
            #expect(second.status == 5)
            #expect(second.output.isEmpty)
            #expect(second.error.contains("--force"))

            let forced = await Self.run(["bootstrap", "--name", "admin", "--force", "--expires", "12h"], on: db)
            #expect(forced.status == 0)
            #expect(forced.output.trimmingCharacters(in: .newlines) != token)

            let badLifetime = await Self.run(["bootstrap", "--name", "x1", "--expires", "soon"], on: db)
            #expect(badLifetime.status == 2)
            let badName = await Self.run(["bootstrap", "--name", "Nguyễn", "--force"], on: db)
            #expect(badName.status == 1)
            let accounts = try await db.superuserRows("SELECT name FROM cds.principals ORDER BY name", as: String.self)
            #expect(accounts == ["admin"])
        }
    }
}
